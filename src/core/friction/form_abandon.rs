//! **form_abandon** — a form counts as started at its first `input`; if it is not submitted
//! before `page` (any navigation), `end`, or 30 minutes without any field activity, it is
//! abandoned. Fields: `at` = the leaving input (or the idle deadline), `form`, `last_field`,
//! `fields` (distinct fields touched).
//!
//! Clarifications: any `field` action (focus, input, blur) is activity; fields are keyed by
//! form + field; `fields` is a count since the form started; idle is per form; `page` resets
//! the forms after reporting. A submitted or abandoned form starts afresh at its next `input`.

use super::{Detector, FieldAction, Finding, FrictionConfig, Input, InputKind};
use crate::core::privacy::scrub_text;
use crate::core::value::Value;

struct Form {
    name: String,
    started: bool,
    touched: Vec<String>,
    last_field: String,
    last_activity: f64,
}

/// The form-abandonment state machine.
pub struct FormAbandon {
    idle: f64,
    forms: Vec<Form>,
}

impl FormAbandon {
    /// A detector with `config`'s idle limit.
    pub fn new(config: &FrictionConfig) -> FormAbandon {
        FormAbandon { idle: config.form_idle_ms, forms: Vec::new() }
    }

    fn finding(f: &Form, at: f64) -> Finding {
        Finding {
            signal: "form_abandon",
            at,
            fields: vec![
                ("form", Value::Str(scrub_text(&f.name))),
                ("last_field", Value::Str(scrub_text(&f.last_field))),
                ("fields", Value::Num(f.touched.len() as f64)),
            ],
        }
    }

    fn leave(&mut self, at: f64, out: &mut Vec<Finding>) {
        for f in self.forms.drain(..) {
            if f.started {
                out.push(Self::finding(&f, at));
            }
        }
    }
}

impl Detector for FormAbandon {
    fn handle(&mut self, input: &Input, out: &mut Vec<Finding>) {
        match &input.kind {
            InputKind::Field { form, field, action, .. } => {
                let f = match self.forms.iter().position(|f| f.name == *form) {
                    Some(i) => &mut self.forms[i],
                    None => {
                        self.forms.push(Form {
                            name: form.clone(),
                            started: false,
                            touched: Vec::new(),
                            last_field: String::new(),
                            last_activity: input.t,
                        });
                        self.forms.last_mut().expect("just pushed")
                    }
                };
                f.last_activity = input.t;
                f.last_field.clone_from(field);
                if !f.started && *action == FieldAction::Input {
                    f.started = true;
                }
                if f.started && !f.touched.contains(field) {
                    f.touched.push(field.clone());
                }
            }
            InputKind::Submit { form } => self.forms.retain(|f| f.name != *form),
            InputKind::Page { .. } | InputKind::End => self.leave(input.t, out),
            _ => {}
        }
    }

    fn poll_timeout(&self) -> Option<f64> {
        self.forms.iter().filter(|f| f.started).map(|f| f.last_activity + self.idle).min_by(f64::total_cmp)
    }

    fn handle_timeout(&mut self, now: f64, out: &mut Vec<Finding>) {
        let idle = self.idle;
        let mut i = 0;
        while i < self.forms.len() {
            let f = &self.forms[i];
            if f.started && now - f.last_activity >= idle {
                out.push(Self::finding(f, f.last_activity + idle));
                self.forms.remove(i);
            } else {
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;

    fn fld(t: f64, form: &str, field: &str, action: FieldAction) -> Input {
        at(t, InputKind::Field { form: form.into(), field: field.into(), action, filled: action == FieldAction::Blur })
    }
    fn submit(t: f64, form: &str) -> Input {
        at(t, InputKind::Submit { form: form.into() })
    }
    fn det() -> FormAbandon {
        FormAbandon::new(&FrictionConfig::default())
    }
    const MIN30: f64 = 30.0 * 60_000.0;

    // "a form counts as started at its first input"
    #[test]
    fn focus_and_blur_alone_do_not_start_a_form() {
        let f = run(
            &mut det(),
            &[fld(0.0, "c", "email", FieldAction::Focus), fld(1.0, "c", "email", FieldAction::Blur), page(2.0, "/x")],
        );
        assert!(f.is_empty());
    }

    // "if it is not submitted before page (any navigation), end ... it is abandoned"
    #[test]
    fn leaving_a_started_form_unsubmitted_is_abandonment() {
        let f = run(
            &mut det(),
            &[
                fld(0.0, "checkout", "email", FieldAction::Focus),
                fld(1.0, "checkout", "email", FieldAction::Input),
                fld(2.0, "checkout", "email", FieldAction::Blur),
                fld(3.0, "checkout", "phone", FieldAction::Focus),
                fld(4.0, "checkout", "phone", FieldAction::Input),
                fld(5.0, "checkout", "card", FieldAction::Focus),
                page(9.0, "/cart"),
            ],
        );
        assert_eq!(
            f[0].to_value().to_json(),
            r#"{"signal":"form_abandon","at":9,"form":"checkout","last_field":"card","fields":3}"#
        );
        assert_eq!(run(&mut det(), &[fld(1.0, "c", "a", FieldAction::Input), end(2.0)]).len(), 1);
    }

    // "if it is not submitted"
    #[test]
    fn a_submitted_form_is_not_abandoned_and_starts_afresh() {
        assert!(
            run(&mut det(), &[fld(1.0, "c", "a", FieldAction::Input), submit(2.0, "c"), page(3.0, "/t")]).is_empty()
        );
        let f = run(
            &mut det(),
            &[
                fld(1.0, "c", "a", FieldAction::Input),
                submit(2.0, "c"),
                fld(3.0, "c", "b", FieldAction::Input),
                end(4.0),
            ],
        );
        assert_eq!(f[0].get("fields"), Some(&Value::Num(1.0)));
        // submitting another form does not save this one
        assert_eq!(
            run(&mut det(), &[fld(1.0, "c", "a", FieldAction::Input), submit(2.0, "search"), end(3.0)]).len(),
            1
        );
    }

    // "or 30 minutes without any field activity" — at = the idle deadline; idle is per form
    #[test]
    fn thirty_idle_minutes_abandon_the_form_at_the_deadline() {
        let mut d = det();
        let f = run(&mut d, &[fld(1000.0, "c", "a", FieldAction::Input), fld(2000.0, "c", "a", FieldAction::Blur)]);
        assert!(f.is_empty());
        assert_eq!(d.poll_timeout(), Some(2000.0 + MIN30), "any action is activity");
        let mut out = Vec::new();
        d.handle_timeout(2000.0 + MIN30 - 1.0, &mut out);
        assert!(out.is_empty());
        d.handle_timeout(2000.0 + MIN30, &mut out);
        assert_eq!(ats(&out), vec![2000.0 + MIN30]);
        // per form: activity on another form does not keep this one alive
        let f = run(
            &mut det(),
            &[fld(0.0, "a", "x", FieldAction::Input), fld(MIN30 - 1.0, "b", "y", FieldAction::Focus), end(MIN30 + 5.0)],
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].at, MIN30);
        assert_eq!(f[0].get("form"), Some(&Value::Str("a".into())));
    }

    // "fields is a count since the form started"
    #[test]
    fn fields_counts_distinct_fields_since_the_start() {
        let f = run(
            &mut det(),
            &[
                fld(0.0, "c", "before", FieldAction::Focus),
                fld(1.0, "c", "a", FieldAction::Input),
                fld(2.0, "c", "b", FieldAction::Focus),
                fld(3.0, "c", "a", FieldAction::Focus),
                end(4.0),
            ],
        );
        assert_eq!(f[0].get("fields"), Some(&Value::Num(2.0)));
        assert_eq!(f[0].get("last_field"), Some(&Value::Str("a".into())));
    }

    // "page resets ... forms after reporting"
    #[test]
    fn page_resets_forms_after_reporting() {
        let f = run(&mut det(), &[fld(0.0, "c", "a", FieldAction::Input), page(1.0, "/x"), end(2.0)]);
        assert_eq!(ats(&f), vec![1.0]);
    }
}
