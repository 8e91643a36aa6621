//! The trace reader and every detector: any bytes parse or fail with a line number, and any
//! parsed trace replays without a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vitrina::core::friction::{trace, FrictionConfig};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match trace::replay_to_jsonl(&text, &FrictionConfig::default()) {
        Ok(out) => assert!(out.is_empty() || out.ends_with('\n')),
        Err(e) => assert!(e.line >= 1),
    }
});
