//! Embeds every file under trees/ in the binary, so `signpost` works from any folder without a
//! hand-kept list that could fall out of step with the folder.

use std::fs;
use std::path::Path;

fn collect(dir: &Path, base: &Path, out: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect(&p, base, out);
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("json") | Some("md")
        ) {
            if let Ok(rel) = p.strip_prefix(base) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let trees = root.join("trees");
    println!("cargo:rerun-if-changed=trees");
    let mut files = Vec::new();
    collect(&trees, root, &mut files);
    let mut code = String::from("/// Every file under trees/, as (path, contents).\npub const FILES: &[(&str, &str)] = &[\n");
    for f in &files {
        code.push_str(&format!(
            "    ({f:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{f}\"))),\n"
        ));
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
