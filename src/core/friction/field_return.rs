//! **field_return** — a `focus` on a field that was left (`blur`) with `filled: true` earlier on
//! the same page. Fields: `at`, `form`, `field`.
//!
//! Clarifications: every focus on a field whose last blur had `filled: true` is reported; fields
//! are keyed by form + field; `page` resets the state.

use super::{Detector, FieldAction, Finding, Input, InputKind};
use crate::core::privacy::scrub_text;
use crate::core::value::Value;

/// The field-return state machine.
#[derive(Default)]
pub struct FieldReturn {
    /// (form, field) → the last blur left it filled.
    left_filled: Vec<((String, String), bool)>,
}

impl FieldReturn {
    /// An empty detector.
    pub fn new() -> FieldReturn {
        FieldReturn::default()
    }
}

impl Detector for FieldReturn {
    fn handle(&mut self, input: &Input, out: &mut Vec<Finding>) {
        match &input.kind {
            InputKind::Field { form, field, action, filled } => {
                let key = (form.clone(), field.clone());
                match action {
                    FieldAction::Blur => match self.left_filled.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, f)) => *f = *filled,
                        None => self.left_filled.push((key, *filled)),
                    },
                    FieldAction::Focus => {
                        if self.left_filled.iter().any(|(k, f)| *k == key && *f) {
                            out.push(Finding {
                                signal: "field_return",
                                at: input.t,
                                fields: vec![
                                    ("form", Value::Str(scrub_text(form))),
                                    ("field", Value::Str(scrub_text(field))),
                                ],
                            });
                        }
                    }
                    FieldAction::Input => {}
                }
            }
            InputKind::Page { .. } => self.left_filled.clear(),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;

    pub fn fld(t: f64, form: &str, field: &str, action: FieldAction, filled: bool) -> Input {
        at(t, InputKind::Field { form: form.into(), field: field.into(), action, filled })
    }

    // "a focus on a field that was left (blur) with filled: true earlier"
    #[test]
    fn focus_after_a_filled_blur_is_reported() {
        let f = run(
            &mut FieldReturn::new(),
            &[
                fld(0.0, "checkout", "email", FieldAction::Focus, false),
                fld(10.0, "checkout", "email", FieldAction::Blur, true),
                fld(20.0, "checkout", "email", FieldAction::Focus, false),
            ],
        );
        assert_eq!(f[0].to_value().to_json(), r#"{"signal":"field_return","at":20,"form":"checkout","field":"email"}"#);
        // left empty: not a return
        assert!(run(
            &mut FieldReturn::new(),
            &[fld(10.0, "f", "a", FieldAction::Blur, false), fld(20.0, "f", "a", FieldAction::Focus, false)]
        )
        .is_empty());
    }

    // "every focus on a field whose last blur had filled: true is reported"
    #[test]
    fn the_last_blur_decides_and_every_focus_counts() {
        let f = run(
            &mut FieldReturn::new(),
            &[
                fld(1.0, "f", "a", FieldAction::Blur, true),
                fld(2.0, "f", "a", FieldAction::Focus, false),
                fld(3.0, "f", "a", FieldAction::Focus, false),
                fld(4.0, "f", "a", FieldAction::Blur, false),
                fld(5.0, "f", "a", FieldAction::Focus, false),
            ],
        );
        assert_eq!(ats(&f), vec![2.0, 3.0]);
    }

    // "fields are keyed by form + field"
    #[test]
    fn fields_are_keyed_by_form_and_field() {
        let f = run(
            &mut FieldReturn::new(),
            &[
                fld(1.0, "login", "email", FieldAction::Blur, true),
                fld(2.0, "newsletter", "email", FieldAction::Focus, false),
            ],
        );
        assert!(f.is_empty());
    }

    // "earlier on the same page"
    #[test]
    fn a_page_resets() {
        let f = run(
            &mut FieldReturn::new(),
            &[
                fld(1.0, "f", "a", FieldAction::Blur, true),
                page(2.0, "/x"),
                fld(3.0, "f", "a", FieldAction::Focus, false),
            ],
        );
        assert!(f.is_empty());
    }
}
