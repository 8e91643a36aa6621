//! **error_click** — an `error` less than 1000 ms after the most recent click (on the same page)
//! is reported once for that click. Fields: `at` = the click, `sel`, `message` (scrubbed, at most
//! 200 chars).

use super::{scrub_message, sel_value, Detector, Finding, FrictionConfig, Input, InputKind};
use crate::core::value::Value;

/// The error-click state machine.
pub struct ErrorClick {
    window: f64,
    max_chars: usize,
    /// The most recent click on this page: time, sel, already reported.
    last: Option<(f64, String, bool)>,
}

impl ErrorClick {
    /// A detector with `config`'s window.
    pub fn new(config: &FrictionConfig) -> ErrorClick {
        ErrorClick { window: config.error_click_window_ms, max_chars: config.max_message_chars, last: None }
    }
}

impl Detector for ErrorClick {
    fn handle(&mut self, input: &Input, out: &mut Vec<Finding>) {
        match &input.kind {
            InputKind::Click { target, .. } => self.last = Some((input.t, target.sel.clone(), false)),
            InputKind::Error { message } => {
                if let Some((t, sel, reported)) = &mut self.last {
                    if !*reported && input.t - *t < self.window {
                        *reported = true;
                        out.push(Finding {
                            signal: "error_click",
                            at: *t,
                            fields: vec![
                                ("sel", sel_value(sel)),
                                ("message", Value::Str(scrub_message(message, self.max_chars))),
                            ],
                        });
                    }
                }
            }
            InputKind::Page { .. } => self.last = None,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;

    fn err(t: f64, m: &str) -> Input {
        at(t, InputKind::Error { message: m.into() })
    }
    fn det() -> ErrorClick {
        ErrorClick::new(&FrictionConfig::default())
    }

    // "an error less than 1000 ms after the most recent click"
    #[test]
    fn an_error_under_1000_ms_after_the_click_is_reported() {
        let f = run(&mut det(), &[click(10.0, 0.0, 0.0, "#apply"), err(1009.0, "Coupon service unavailable")]);
        assert_eq!(
            f[0].to_value().to_json(),
            r##"{"signal":"error_click","at":10,"sel":"#apply","message":"Coupon service unavailable"}"##
        );
        assert!(run(&mut det(), &[click(10.0, 0.0, 0.0, "#apply"), err(1010.0, "x")]).is_empty());
        assert!(run(&mut det(), &[err(5.0, "x")]).is_empty(), "no click, no error click");
    }

    // "the most recent click"
    #[test]
    fn only_the_most_recent_click_counts() {
        let f = run(&mut det(), &[click(0.0, 0.0, 0.0, "a"), click(500.0, 0.0, 0.0, "b"), err(900.0, "x")]);
        assert_eq!(ats(&f), vec![500.0]);
    }

    // "(on the same page)"
    #[test]
    fn a_page_in_between_breaks_the_link() {
        assert!(run(&mut det(), &[click(0.0, 0.0, 0.0, "a"), page(10.0, "/b"), err(20.0, "x")]).is_empty());
    }

    // "is reported once for that click"
    #[test]
    fn several_errors_report_the_click_once() {
        let f = run(
            &mut det(),
            &[click(0.0, 0.0, 0.0, "a"), err(10.0, "x"), err(20.0, "y"), click(30.0, 0.0, 0.0, "a"), err(40.0, "z")],
        );
        assert_eq!(ats(&f), vec![0.0, 30.0]);
    }

    // "message (scrubbed)" — scrub first, then cut to 200 chars
    #[test]
    fn the_message_is_scrubbed_then_cut() {
        let long = format!("user ana@x.es failed {}", "x".repeat(300));
        let f = run(&mut det(), &[click(0.0, 0.0, 0.0, "a"), err(1.0, &long)]);
        let m = f[0].get("message").and_then(Value::as_str).unwrap();
        assert!(m.starts_with("user [email] failed xxx"));
        assert_eq!(m.chars().count(), 200);
    }
}
