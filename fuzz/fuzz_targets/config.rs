//! The config parser: any JSON (or garbage) gives a Config or a ConfigError, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(v) = vitrina::core::json::parse(&text) {
        match vitrina::core::Config::from_value(&v) {
            Ok(c) => assert!(c.endpoint.starts_with("http")),
            Err(e) => assert!(!e.message().is_empty()),
        }
    }
});
