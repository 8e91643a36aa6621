//! **js_error** — every `error`. Fields: `at`, `message` (scrubbed, at most 200 chars).
//! Scrub first, then cut to 200 chars.

use super::{scrub_message, Detector, Finding, FrictionConfig, Input, InputKind};
use crate::core::value::Value;

/// The JS-error detector.
pub struct JsError {
    max_chars: usize,
}

impl JsError {
    /// A detector with `config`'s message limit.
    pub fn new(config: &FrictionConfig) -> JsError {
        JsError { max_chars: config.max_message_chars }
    }
}

impl Detector for JsError {
    fn handle(&mut self, input: &Input, out: &mut Vec<Finding>) {
        if let InputKind::Error { message } = &input.kind {
            out.push(Finding {
                signal: "js_error",
                at: input.t,
                fields: vec![("message", Value::Str(scrub_message(message, self.max_chars)))],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;

    // "every error"
    #[test]
    fn every_error_is_reported() {
        let f = run(
            &mut JsError::new(&FrictionConfig::default()),
            &[at(1.0, InputKind::Error { message: "a".into() }), at(1.0, InputKind::Error { message: "a".into() })],
        );
        assert_eq!(ats(&f), vec![1.0, 1.0]);
        assert_eq!(f[0].to_value().to_json(), r#"{"signal":"js_error","at":1,"message":"a"}"#);
    }

    // "message (scrubbed, at most 200 chars)" and "Scrub first, then cut"
    #[test]
    fn messages_are_scrubbed_before_being_cut() {
        // The email straddles char 200: cutting first would leak "ana.lopez".
        let msg = format!("{} ana.lopez@correo.es", "x".repeat(190));
        let f = run(&mut JsError::new(&FrictionConfig::default()), &[at(0.0, InputKind::Error { message: msg })]);
        let m = f[0].get("message").and_then(Value::as_str).unwrap();
        assert_eq!(m, format!("{} [email]", "x".repeat(190)));
        let long = "é".repeat(300);
        let f = run(&mut JsError::new(&FrictionConfig::default()), &[at(0.0, InputKind::Error { message: long })]);
        assert_eq!(f[0].get("message").and_then(Value::as_str).unwrap().chars().count(), 200);
    }
}
