//! **rage_click** — clicks that are not *excluded* form a burst while each click is less than
//! 30 px (Euclidean) from the previous click of the burst and less than 1000 ms after it. A burst
//! of 3 or more clicks is reported once, when it closes: at the first click that does not
//! qualify, when 1000 ms pass after its last click, or at `page`/`end`. Fields: `at` = first
//! click of the burst, `count`, `sel` of the last click. Excluded (invisible to this detector):
//! `editable` targets, `ignore` targets, quantity steppers (text or label exactly `+`, `-`, `−`,
//! `–`) and carousel controls (text or label, case-insensitive, containing `next`, `prev`,
//! `siguiente`, `anterior`, or exactly `>`, `<`, `›`, `‹`, `»`, `«`).
//!
//! Clarifications: the click that breaks a burst starts the next one (if not excluded); text and
//! labels are trimmed before the exact-match exclusions; `page` resets the burst.

use super::{Detector, Finding, FrictionConfig, Input, InputKind, Target};
use crate::core::value::Value;

/// The rage-click state machine.
pub struct RageClick {
    min_clicks: u32,
    max_distance: f64,
    max_gap: f64,
    burst: Option<Burst>,
}

struct Burst {
    first_t: f64,
    last_t: f64,
    last_x: f64,
    last_y: f64,
    count: u32,
    last_sel: String,
}

/// Quantity steppers and carousel controls: clicked repeatedly on purpose.
pub fn is_excluded(t: &Target) -> bool {
    t.editable || t.ignore || is_stepper_or_carousel(&t.text) || is_stepper_or_carousel(&t.label)
}

fn is_stepper_or_carousel(s: &str) -> bool {
    let s = s.trim();
    if matches!(s, "+" | "-" | "−" | "–" | ">" | "<" | "›" | "‹" | "»" | "«") {
        return true;
    }
    // ASCII case folding is enough for these ASCII words (and keeps Unicode tables out of the wasm).
    let lower = s.to_ascii_lowercase();
    ["next", "prev", "siguiente", "anterior"].iter().any(|w| crate::core::value::contains(&lower, w))
}

impl RageClick {
    /// A detector with `config`'s limits.
    pub fn new(config: &FrictionConfig) -> RageClick {
        RageClick {
            min_clicks: config.rage_min_clicks,
            max_distance: config.rage_max_distance_px,
            max_gap: config.rage_max_gap_ms,
            burst: None,
        }
    }

    fn close(&mut self, out: &mut Vec<Finding>) {
        if let Some(b) = self.burst.take() {
            if b.count >= self.min_clicks {
                out.push(Finding {
                    signal: "rage_click",
                    at: b.first_t,
                    fields: vec![("count", Value::Num(b.count as f64)), ("sel", super::sel_value(&b.last_sel))],
                });
            }
        }
    }
}

impl Detector for RageClick {
    fn handle(&mut self, input: &Input, out: &mut Vec<Finding>) {
        match &input.kind {
            InputKind::Click { x, y, target, .. } => {
                if is_excluded(target) {
                    return;
                }
                let qualifies = self.burst.as_ref().is_some_and(|b| {
                    let d = ((x - b.last_x).powi(2) + (y - b.last_y).powi(2)).sqrt();
                    d < self.max_distance && input.t - b.last_t < self.max_gap
                });
                if qualifies {
                    let b = self.burst.as_mut().expect("burst");
                    b.count += 1;
                    b.last_t = input.t;
                    b.last_x = *x;
                    b.last_y = *y;
                    b.last_sel.clone_from(&target.sel);
                } else {
                    self.close(out);
                    self.burst = Some(Burst {
                        first_t: input.t,
                        last_t: input.t,
                        last_x: *x,
                        last_y: *y,
                        count: 1,
                        last_sel: target.sel.clone(),
                    });
                }
            }
            InputKind::Page { .. } | InputKind::End => self.close(out),
            _ => {}
        }
    }

    fn poll_timeout(&self) -> Option<f64> {
        self.burst.as_ref().map(|b| b.last_t + self.max_gap)
    }

    fn handle_timeout(&mut self, now: f64, out: &mut Vec<Finding>) {
        if self.burst.as_ref().is_some_and(|b| now - b.last_t >= self.max_gap) {
            self.close(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;

    fn det() -> RageClick {
        RageClick::new(&FrictionConfig::default())
    }

    fn with_text(sel: &str, text: &str, label: &str) -> Target {
        Target { text: text.into(), label: label.into(), ..target(sel) }
    }

    // "clicks ... form a burst while each click is less than 30 px (Euclidean) from the previous click"
    #[test]
    fn distance_is_euclidean_and_strictly_under_30_px() {
        // 18-24 → 30 exactly apart: breaks the burst
        let f = run(
            &mut det(),
            &[click(0.0, 0.0, 0.0, "b"), click(100.0, 18.0, 24.0, "b"), click(200.0, 36.0, 48.0, "b"), end(300.0)],
        );
        assert!(f.is_empty());
        // 29.9 px apart each: a burst of 3
        let f = run(
            &mut det(),
            &[click(0.0, 0.0, 0.0, "b"), click(100.0, 29.9, 0.0, "b"), click(200.0, 59.8, 0.0, "b"), end(300.0)],
        );
        assert_eq!(f.len(), 1);
        // distance is measured from the previous click of the burst, not the first
        let f = run(
            &mut det(),
            &[
                click(0.0, 0.0, 0.0, "b"),
                click(1.0, 20.0, 0.0, "b"),
                click(2.0, 40.0, 0.0, "b"),
                click(3.0, 60.0, 0.0, "b"),
                end(4.0),
            ],
        );
        assert_eq!(f[0].get("count"), Some(&Value::Num(4.0)));
    }

    // "... and less than 1000 ms after it"
    #[test]
    fn gap_is_strictly_under_1000_ms() {
        let f = run(
            &mut det(),
            &[click(0.0, 5.0, 5.0, "b"), click(1000.0, 5.0, 5.0, "b"), click(2000.0, 5.0, 5.0, "b"), end(2500.0)],
        );
        assert!(f.is_empty());
        let f = run(
            &mut det(),
            &[click(0.0, 5.0, 5.0, "b"), click(999.0, 5.0, 5.0, "b"), click(1998.0, 5.0, 5.0, "b"), end(2500.0)],
        );
        assert_eq!(ats(&f), vec![0.0]);
    }

    // "A burst of 3 or more clicks is reported once"
    #[test]
    fn two_clicks_are_not_a_burst_and_a_long_burst_is_reported_once() {
        assert!(run(&mut det(), &[click(0.0, 1.0, 1.0, "b"), click(10.0, 1.0, 1.0, "b"), end(20.0)]).is_empty());
        let clicks: Vec<Input> = (0..10).map(|i| click(i as f64 * 100.0, 1.0, 1.0, "b")).chain([end(5000.0)]).collect();
        let f = run(&mut det(), &clicks);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].get("count"), Some(&Value::Num(10.0)));
    }

    // "when it closes: at the first click that does not qualify"
    #[test]
    fn closes_at_the_first_click_that_does_not_qualify_which_starts_the_next_burst() {
        let f = run(
            &mut det(),
            &[
                click(0.0, 0.0, 0.0, "a"),
                click(100.0, 0.0, 0.0, "a"),
                click(200.0, 0.0, 0.0, "a"),
                click(300.0, 500.0, 500.0, "far"), // breaks: reported now
                click(400.0, 500.0, 500.0, "far"),
                click(500.0, 500.0, 500.0, "far"),
            ],
        );
        assert_eq!(ats(&f), vec![0.0]);
        let f2 = run(
            &mut det(),
            &[
                click(0.0, 0.0, 0.0, "a"),
                click(100.0, 0.0, 0.0, "a"),
                click(200.0, 0.0, 0.0, "a"),
                click(300.0, 500.0, 500.0, "far"),
                click(400.0, 500.0, 500.0, "far"),
                click(500.0, 500.0, 500.0, "far"),
                end(600.0),
            ],
        );
        assert_eq!(ats(&f2), vec![0.0, 300.0], "the breaking click started the second burst");
    }

    // "when 1000 ms pass after its last click"
    #[test]
    fn closes_when_1000_ms_pass_after_the_last_click() {
        let mut d = det();
        let f = run(&mut d, &[click(0.0, 0.0, 0.0, "a"), click(100.0, 0.0, 0.0, "a"), click(200.0, 0.0, 0.0, "a")]);
        assert!(f.is_empty());
        assert_eq!(d.poll_timeout(), Some(1200.0));
        let mut out = Vec::new();
        d.handle_timeout(1199.0, &mut out);
        assert!(out.is_empty());
        d.handle_timeout(1200.0, &mut out);
        assert_eq!(ats(&out), vec![0.0]);
        assert_eq!(d.poll_timeout(), None);
    }

    // "or at page/end"
    #[test]
    fn closes_at_page_and_end() {
        let f = run(
            &mut det(),
            &[click(0.0, 0.0, 0.0, "a"), click(1.0, 0.0, 0.0, "a"), click(2.0, 0.0, 0.0, "a"), page(3.0, "/x")],
        );
        assert_eq!(ats(&f), vec![0.0]);
        let f = run(
            &mut det(),
            &[click(0.0, 0.0, 0.0, "a"), click(1.0, 0.0, 0.0, "a"), click(2.0, 0.0, 0.0, "a"), end(3.0)],
        );
        assert_eq!(ats(&f), vec![0.0]);
        // a page resets: clicks on both sides do not join
        let f = run(
            &mut det(),
            &[
                click(0.0, 0.0, 0.0, "a"),
                click(1.0, 0.0, 0.0, "a"),
                page(2.0, "/x"),
                click(3.0, 0.0, 0.0, "a"),
                end(4.0),
            ],
        );
        assert!(f.is_empty());
    }

    // "Fields: at = first click of the burst, count, sel of the last click."
    #[test]
    fn fields_are_first_click_count_and_last_sel() {
        let f = run(
            &mut det(),
            &[click(10.0, 0.0, 0.0, "#a"), click(20.0, 1.0, 0.0, "#b"), click(30.0, 2.0, 0.0, "#c"), end(40.0)],
        );
        assert_eq!(f[0].to_value().to_json(), r##"{"signal":"rage_click","at":10,"count":3,"sel":"#c"}"##);
    }

    // "Excluded (invisible to this detector): editable targets, ignore targets"
    #[test]
    fn editable_and_ignored_targets_are_invisible() {
        let editable = Target { editable: true, ..target("input") };
        let ignored = Target { ignore: true, ..target("x") };
        for t in [editable, ignored] {
            let f = run(
                &mut det(),
                &[
                    click_on(0.0, 0.0, 0.0, t.clone()),
                    click_on(1.0, 0.0, 0.0, t.clone()),
                    click_on(2.0, 0.0, 0.0, t),
                    end(3.0),
                ],
            );
            assert!(f.is_empty());
        }
        // invisible means they do not break a burst either
        let f = run(
            &mut det(),
            &[
                click(0.0, 0.0, 0.0, "a"),
                click(1.0, 0.0, 0.0, "a"),
                click_on(2.0, 900.0, 900.0, Target { editable: true, ..target("i") }),
                click(3.0, 0.0, 0.0, "a"),
                end(4.0),
            ],
        );
        assert_eq!(f[0].get("count"), Some(&Value::Num(3.0)));
    }

    // "quantity steppers (text or label exactly +, -, −, –)"
    #[test]
    fn quantity_steppers_are_excluded_after_trimming() {
        for s in ["+", "-", "−", "–", " + ", "\n−\t"] {
            assert!(is_excluded(&with_text("q", s, "")), "{s:?}");
            assert!(is_excluded(&with_text("q", "", s)), "{s:?}");
        }
        for s in ["++", "+1", "Add +", "—"] {
            assert!(!is_excluded(&with_text("q", s, "")), "{s:?}");
        }
        let t = with_text("q", "+", "");
        assert!(run(
            &mut det(),
            &[
                click_on(0.0, 0.0, 0.0, t.clone()),
                click_on(1.0, 0.0, 0.0, t.clone()),
                click_on(2.0, 0.0, 0.0, t),
                end(3.0)
            ]
        )
        .is_empty());
    }

    // "carousel controls (text or label, case-insensitive, containing next, prev, siguiente, anterior, or exactly >, <, ›, ‹, », «)"
    #[test]
    fn carousel_controls_are_excluded() {
        for s in
            ["Next", "NEXT slide", "prev", "Previous", "Siguiente", "ANTERIOR", ">", "<", "›", "‹", "»", "«", " › "]
        {
            assert!(is_excluded(&with_text("c", s, "")), "{s:?}");
            assert!(is_excluded(&with_text("c", "", s)), "{s:?}");
        }
        for s in [">>", "Buy", "Añadir al carrito", "Nex t"] {
            assert!(!is_excluded(&with_text("c", s, "")), "{s:?}");
        }
    }
}
