//! Fixture traces under `tests/fixtures/` replay to their expected findings, byte for byte.

use std::path::Path;

use vitrina::core::friction::trace::{parse, replay_to_jsonl};
use vitrina::core::friction::FrictionConfig;

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

#[test]
fn every_fixture_replays_to_its_expected_findings() {
    let mut checked = 0;
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Some(stem) = name.strip_suffix(".trace.jsonl") else {
            continue;
        };
        let expected_path = fixtures().join(format!("{stem}.expected.jsonl"));
        if !expected_path.exists() {
            continue; // malformed fixtures have no expectation
        }
        let trace = std::fs::read_to_string(&path).unwrap();
        let expected = std::fs::read_to_string(&expected_path).unwrap();
        let got = replay_to_jsonl(&trace, &FrictionConfig::default()).unwrap();
        assert_eq!(got, expected, "fixture {stem}");
        // deterministic: the same trace gives the same findings
        assert_eq!(replay_to_jsonl(&trace, &FrictionConfig::default()).unwrap(), got);
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} fixtures checked");
}

#[test]
fn the_malformed_fixture_names_its_bad_line() {
    let trace = std::fs::read_to_string(fixtures().join("malformed.trace.jsonl")).unwrap();
    let e = parse(&trace).unwrap_err();
    assert_eq!(e.line, 3);
    assert!(e.to_string().starts_with("line 3: invalid JSON"), "{e}");
}
