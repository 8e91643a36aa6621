//! `src/core/` must stay platform-free: it may not name wasm-bindgen, web-sys, js-sys or gloo,
//! so it builds and is tested natively and every decision it makes replays deterministically.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn core_names_no_web_crate() {
    let core = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core");
    let mut files = Vec::new();
    rust_files(&core, &mut files);
    assert!(files.len() >= 5, "found the core's files");
    let forbidden = ["wasm_bindgen", "web_sys", "js_sys", "gloo", "gloo_events", "gloo_timers"];
    let mut hits = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (n, line) in text.lines().enumerate() {
            for word in forbidden {
                let found = line.match_indices(word).any(|(i, _)| {
                    let before = line[..i].chars().last();
                    let after = line[i + word.len()..].chars().next();
                    let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                    !ident(before) && !ident(after)
                });
                if found {
                    hits.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(hits.is_empty(), "src/core names web crates:\n{}", hits.join("\n"));
}

#[test]
fn the_check_itself_catches_a_web_crate() {
    // Guard against a scanner that can never fail.
    let line = "use web_sys::Window;";
    assert!(line.match_indices("web_sys").any(|(i, _)| i == 4));
}
