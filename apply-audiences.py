#!/usr/bin/env python3
"""Writes "for" into every advice item of trees/*.json that has none, from
audience-annotations.json (items not listed there get ["everyone"]). Lines are kept
where they are; run `signpost fmt trees` afterwards for the canonical layout."""
import glob, json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
here = os.path.dirname(os.path.abspath(__file__))
exec(open(os.path.join(here, 'tools-addfor.py')).read())
notes = json.load(open(os.path.join(here, 'audience-annotations.json')))
folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, 'trees')
for p in sorted(glob.glob(os.path.join(folder, '*.json'))):
    text = open(p).read()
    try:
        tree = json.loads(text)
    except ValueError:
        continue
    if 'nodes' not in tree or 'advice' not in tree:
        continue
    tid = tree['id']
    new = add_for(text, lambda k: notes.get(f"{tid}.{k}", ["everyone"]))
    if new != text:
        open(p, 'w').write(new)
        print("annotated", p)
