//! A deterministic, always-on slice of the fuzz targets in `fuzz/`: thousands of mutated inputs
//! (from valid configs, fixture traces and stored outboxes) must never panic. The real fuzzers
//! run for as long as you like with `cargo fuzz` (see the README).

use std::path::Path;

use vitrina::core::friction::{trace, FrictionConfig};
use vitrina::core::outbox::Outbox;
use vitrina::core::rng::Rng;
use vitrina::core::{json, Config};

/// Byte flips, insertions of interesting bytes, deletions and truncations.
fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut v = seed.to_vec();
    let interesting: &[u8] = b"{}[]\",:\\\n\t0123456789.-eE\xff\xc3\x00 tnf";
    for _ in 0..(1 + rng.next_u64() % 8) {
        let len = v.len().max(1);
        let at = (rng.next_u64() as usize) % len;
        match rng.next_u64() % 5 {
            0 if !v.is_empty() => {
                let i = at.min(v.len() - 1);
                v[i] ^= 1 << (rng.next_u64() % 8);
            }
            1 => v.insert(at.min(v.len()), interesting[(rng.next_u64() as usize) % interesting.len()]),
            2 if !v.is_empty() => {
                v.remove(at.min(v.len() - 1));
            }
            3 => v.truncate(at),
            _ => {
                let dup: Vec<u8> = v[at.min(v.len())..].iter().take(16).copied().collect();
                v.splice(at.min(v.len())..at.min(v.len()), dup);
            }
        }
    }
    v
}

#[test]
fn mutated_configs_never_panic() {
    let seeds = [
        r#"{"endpoint":"https://c.example.com","max_batch_events":20,"friction":{"rage_click":{"max_gap_ms":800},"dead_click":false},"sampling":{"friction":0.5},"consent_mode":"opt_in"}"#,
        r#"{"endpoint":"http://127.0.0.1:8080","sensitive_query_keys":["member"],"debug":true,"honor_gpc":false}"#,
    ];
    let mut rng = Rng::from_seed([11; 32]);
    let (mut ok, mut err) = (0, 0);
    for i in 0..20_000 {
        let input = mutate(seeds[i % 2].as_bytes(), &mut rng);
        let text = String::from_utf8_lossy(&input);
        if let Ok(v) = json::parse(&text) {
            match Config::from_value(&v) {
                Ok(c) => {
                    assert!(c.endpoint.starts_with("http"));
                    ok += 1;
                }
                Err(e) => {
                    assert!(e.message().contains(": expected "), "{}", e.message());
                    err += 1;
                }
            }
        }
    }
    assert!(ok > 100 && err > 100, "the mutations reach both outcomes: {ok} ok, {err} errors");
}

#[test]
fn mutated_traces_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let seeds: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".trace.jsonl"))
        .map(|e| std::fs::read(e.path()).unwrap())
        .collect();
    assert!(seeds.len() >= 5);
    let mut rng = Rng::from_seed([12; 32]);
    let (mut ok, mut err) = (0, 0);
    for i in 0..5_000 {
        let input = mutate(&seeds[i % seeds.len()], &mut rng);
        match trace::replay_to_jsonl(&String::from_utf8_lossy(&input), &FrictionConfig::default()) {
            Ok(_) => ok += 1,
            Err(e) => {
                assert!(e.line >= 1);
                err += 1;
            }
        }
    }
    assert!(ok > 100 && err > 100, "{ok} ok, {err} errors");
}

#[test]
fn mutated_stored_outboxes_never_panic_and_round_trip() {
    let mut o = Outbox::new(20, 5000);
    let mut rng = Rng::from_seed([13; 32]);
    for i in 0..5 {
        o.push(
            i as f64,
            vitrina::core::event::Event {
                id: rng.id(),
                kind: vitrina::core::event::EventType::Track,
                name: "Product\tViewed\n\\".into(),
                sid: rng.id(),
                did: if i % 2 == 0 { rng.id() } else { String::new() },
                path: "/p?q=1".into(),
                at_ms: 1_700_000_000_000.0 + i as f64,
                props: r#"{"price":79.95}"#.into(),
            },
        );
    }
    let seed = o.snapshot(1_700_000_000_000.0, true);
    for _ in 0..10_000 {
        let input = mutate(seed.as_bytes(), &mut rng);
        let mut fresh = Outbox::new(20, 5000);
        let _ = fresh.adopt(1e13, &String::from_utf8_lossy(&input), false);
        let snap = fresh.snapshot(1e13, true);
        let mut again = Outbox::new(20, 5000);
        assert_eq!(again.adopt(1e13, &snap, false), Some(fresh.queued()), "what was adopted survives another round");
    }
}
