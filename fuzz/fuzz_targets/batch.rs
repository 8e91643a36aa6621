//! The collector's batch decoder: any body is a valid batch or a 400 message, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match vitrina_collector::validate::parse_batch(data) {
        Ok(b) => assert!(b.events.len() <= vitrina_collector::validate::MAX_EVENTS),
        Err(m) => assert!(m.contains(": expected")),
    }
});
