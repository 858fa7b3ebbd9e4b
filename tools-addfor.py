import json, re
def skip_ws(s, i):
    while i < len(s) and s[i] in ' \t\r\n': i += 1
    return i

def skip_string(s, i):
    assert s[i] == '"'
    i += 1
    while s[i] != '"':
        if s[i] == '\\': i += 1
        i += 1
    return i + 1

def value_span(s, i):
    """returns end index of the value starting at i"""
    i = skip_ws(s, i)
    c = s[i]
    if c == '"': return skip_string(s, i)
    if c in '{[':
        close = '}' if c == '{' else ']'
        i += 1
        while True:
            i = skip_ws(s, i)
            if s[i] == close: return i + 1
            if c == '{':
                i = skip_string(s, i); i = skip_ws(s, i); assert s[i] == ':'; i += 1
            i = value_span(s, i); i = skip_ws(s, i)
            if s[i] == ',': i += 1
    m = re.compile(r'[^,\]\}\s]+').match(s, i)
    return m.end()

def members(s, i):
    """(key, value_start, value_end) of the object at i"""
    i = skip_ws(s, i); assert s[i] == '{'; i += 1
    out = []
    while True:
        i = skip_ws(s, i)
        if s[i] == '}': return out, i
        ks = i; i = skip_string(s, i); key = json.loads(s[ks:i])
        i = skip_ws(s, i); assert s[i] == ':'; i += 1
        vs = skip_ws(s, i); ve = value_span(s, vs)
        out.append((key, vs, ve)); i = skip_ws(s, ve)
        if s[i] == ',': i += 1

def add_for(s, audiences_of):
    top, _ = members(s, 0)
    adv = [m for m in top if m[0] == 'advice']
    if not adv: return s
    items, _ = members(s, adv[0][1])
    edits = []
    for key, vs, ve in items:
        if s[vs] != '{': continue
        inner, close = members(s, vs)
        if any(k == 'for' for k, _, _ in inner): continue
        names = audiences_of(key)
        if names is None: continue
        field = '"for": ' + json.dumps(names)
        eol = s.find('\n', vs)
        if eol != -1 and s[vs+1:eol].strip() == '' and inner:
            edits.append((vs+1, vs+1, field + ','))
        elif not inner:
            edits.append((close, close, field))
        else:
            edits.append((inner[-1][2], inner[-1][2], ', ' + field))
    for a, b, t in sorted(edits, reverse=True):
        s = s[:a] + t + s[b:]
    return s

