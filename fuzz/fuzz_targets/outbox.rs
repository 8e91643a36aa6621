//! A stored outbox read back from localStorage: any text is adopted or ignored, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vitrina::core::outbox::Outbox;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut o = Outbox::new(20, 5000);
    let _ = o.adopt(1e13, &text, false);
    let snap = o.snapshot(1e13, true);
    let mut again = Outbox::new(20, 5000);
    assert!(again.adopt(1e13, &snap, false).is_some());
});
