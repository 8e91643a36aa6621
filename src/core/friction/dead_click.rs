//! **dead_click** — a click is a candidate unless `mods`, `in_link` or tag `a`, `editable`, tag
//! `canvas`, `ignore`, or the same `sel` was clicked less than 1000 ms before. The click is alive
//! if, after it, a `mutation` or a `page` comes less than 2500 ms later, a `scroll` or
//! `selection` less than 100 ms later, or a `visibility`/`window_focus` change less than 1000 ms
//! before or after it. Otherwise it is reported when 2500 ms have passed since the click (or at
//! `end` if that time has already passed; a candidate still pending at `end` or `page` is alive:
//! the page changed). Fields: `at` = the click, `sel`.
//!
//! Clarifications: `visibility` / `window_focus` inputs count whatever their value; "the same
//! `sel` was clicked" counts every click, candidate or not; `page` resets the per-page state.

use super::{sel_value, Detector, Finding, FrictionConfig, Input, InputKind};

/// The dead-click state machine.
pub struct DeadClick {
    mutation_window: f64,
    scroll_window: f64,
    focus_window: f64,
    repeat: f64,
    pending: Vec<(f64, String)>,
    /// The last click time per selector on this page (few entries: a linear scan beats a hash map
    /// in code size).
    last_click_by_sel: Vec<(String, f64)>,
    last_focus_change: Option<f64>,
}

impl DeadClick {
    /// A detector with `config`'s windows.
    pub fn new(config: &FrictionConfig) -> DeadClick {
        DeadClick {
            mutation_window: config.dead_mutation_window_ms,
            scroll_window: config.dead_scroll_window_ms,
            focus_window: config.dead_focus_window_ms,
            repeat: config.dead_repeat_ms,
            pending: Vec::new(),
            last_click_by_sel: Vec::new(),
            last_focus_change: None,
        }
    }

    fn report_due(&mut self, now: f64, out: &mut Vec<Finding>) {
        let window = self.mutation_window;
        self.pending.retain(|(t, sel)| {
            if now - t >= window {
                out.push(Finding { signal: "dead_click", at: *t, fields: vec![("sel", sel_value(sel))] });
                false
            } else {
                true
            }
        });
    }
}

impl Detector for DeadClick {
    fn handle(&mut self, input: &Input, out: &mut Vec<Finding>) {
        let now = input.t;
        match &input.kind {
            InputKind::Click { target, mods, .. } => {
                let repeat = match self.last_click_by_sel.iter_mut().find(|(s, _)| *s == target.sel) {
                    Some((_, t)) => {
                        let repeat = now - *t < self.repeat;
                        *t = now;
                        repeat
                    }
                    None => {
                        self.last_click_by_sel.push((target.sel.clone(), now));
                        false
                    }
                };
                let excluded = *mods
                    || target.in_link
                    || target.tag == "a"
                    || target.editable
                    || target.tag == "canvas"
                    || target.ignore
                    || repeat;
                let focus_before = self.last_focus_change.is_some_and(|f| now - f < self.focus_window);
                if !excluded && !focus_before {
                    self.pending.push((now, target.sel.clone()));
                }
            }
            InputKind::Mutation => {
                let w = self.mutation_window;
                self.pending.retain(|(t, _)| now - t >= w);
            }
            InputKind::Scroll { .. } | InputKind::Selection => {
                let w = self.scroll_window;
                self.pending.retain(|(t, _)| now - t >= w);
            }
            InputKind::Visibility { .. } | InputKind::WindowFocus { .. } => {
                self.last_focus_change = Some(now);
                let w = self.focus_window;
                self.pending.retain(|(t, _)| now - t >= w);
            }
            InputKind::Page { .. } => {
                // A page change within the window makes pending clicks alive; any still pending
                // "at page" are alive too. Per-page state resets.
                self.pending.clear();
                self.last_click_by_sel.clear();
                self.last_focus_change = None;
            }
            InputKind::End => {
                self.report_due(now, out);
                self.pending.clear();
            }
            _ => {}
        }
    }

    fn poll_timeout(&self) -> Option<f64> {
        self.pending.first().map(|(t, _)| t + self.mutation_window)
    }

    fn handle_timeout(&mut self, now: f64, out: &mut Vec<Finding>) {
        self.report_due(now, out);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::super::{InputKind, Target};
    use super::*;

    fn det() -> DeadClick {
        DeadClick::new(&FrictionConfig::default())
    }
    fn mutation(t: f64) -> Input {
        at(t, InputKind::Mutation)
    }

    // "a click is a candidate unless mods, in_link or tag a, editable, tag canvas, ignore"
    #[test]
    fn excluded_clicks_are_not_candidates() {
        let cases = [
            at(0.0, InputKind::Click { x: 0.0, y: 0.0, target: target("b"), mods: true }),
            click_on(0.0, 0.0, 0.0, Target { in_link: true, ..target("b") }),
            click_on(0.0, 0.0, 0.0, Target { tag: "a".into(), ..target("b") }),
            click_on(0.0, 0.0, 0.0, Target { editable: true, ..target("b") }),
            click_on(0.0, 0.0, 0.0, Target { tag: "canvas".into(), ..target("b") }),
            click_on(0.0, 0.0, 0.0, Target { ignore: true, ..target("b") }),
        ];
        for c in cases {
            assert!(run(&mut det(), &[c.clone(), end(5000.0)]).is_empty(), "{c:?}");
        }
        assert_eq!(run(&mut det(), &[click(0.0, 0.0, 0.0, "b"), end(5000.0)]).len(), 1);
    }

    // "or the same sel was clicked less than 1000 ms before"
    #[test]
    fn a_repeat_on_the_same_sel_within_1000_ms_is_not_a_candidate() {
        let f = run(&mut det(), &[click(0.0, 0.0, 0.0, "b"), click(999.0, 0.0, 0.0, "b"), end(9000.0)]);
        assert_eq!(ats(&f), vec![0.0]);
        let f = run(&mut det(), &[click(0.0, 0.0, 0.0, "b"), click(1000.0, 0.0, 0.0, "b"), end(9000.0)]);
        assert_eq!(ats(&f), vec![0.0, 1000.0]);
        // any earlier click counts, even one that was not a candidate
        let f = run(
            &mut det(),
            &[
                at(0.0, InputKind::Click { x: 0.0, y: 0.0, target: target("b"), mods: true }),
                click(500.0, 0.0, 0.0, "b"),
                end(9000.0),
            ],
        );
        assert!(f.is_empty());
    }

    // "alive if, after it, a mutation or a page comes less than 2500 ms later"
    #[test]
    fn a_mutation_or_page_under_2500_ms_makes_it_alive() {
        assert!(run(&mut det(), &[click(0.0, 0.0, 0.0, "b"), mutation(2499.0), end(9000.0)]).is_empty());
        assert_eq!(run(&mut det(), &[click(0.0, 0.0, 0.0, "b"), mutation(2500.0), end(9000.0)]).len(), 1);
        assert!(run(&mut det(), &[click(0.0, 0.0, 0.0, "b"), page(2499.0, "/n"), end(9000.0)]).is_empty());
    }

    // "a scroll or selection less than 100 ms later"
    #[test]
    fn a_scroll_or_selection_under_100_ms_makes_it_alive() {
        for k in [InputKind::Scroll { y: 10.0 }, InputKind::Selection] {
            assert!(run(&mut det(), &[click(0.0, 0.0, 0.0, "b"), at(99.0, k.clone()), end(9000.0)]).is_empty());
            assert_eq!(run(&mut det(), &[click(0.0, 0.0, 0.0, "b"), at(100.0, k), end(9000.0)]).len(), 1);
        }
    }

    // "or a visibility/window_focus change less than 1000 ms before or after it"
    #[test]
    fn a_visibility_or_focus_change_within_1000_ms_either_side_makes_it_alive() {
        for k in [
            InputKind::Visibility { hidden: true },
            InputKind::WindowFocus { focused: false },
            InputKind::Visibility { hidden: false },
        ] {
            assert!(run(&mut det(), &[click(0.0, 0.0, 0.0, "b"), at(999.0, k.clone()), end(9000.0)]).is_empty());
            assert_eq!(run(&mut det(), &[click(0.0, 0.0, 0.0, "b"), at(1000.0, k.clone()), end(9000.0)]).len(), 1);
            assert!(run(&mut det(), &[at(0.0, k.clone()), click(999.0, 0.0, 0.0, "b"), end(9000.0)]).is_empty());
            assert_eq!(run(&mut det(), &[at(0.0, k), click(1000.0, 0.0, 0.0, "b"), end(9000.0)]).len(), 1);
        }
    }

    // "Otherwise it is reported when 2500 ms have passed since the click"
    #[test]
    fn reported_exactly_when_2500_ms_have_passed() {
        let mut d = det();
        run(&mut d, &[click(100.0, 0.0, 0.0, "#buy")]);
        assert_eq!(d.poll_timeout(), Some(2600.0));
        let mut out = Vec::new();
        d.handle_timeout(2599.0, &mut out);
        assert!(out.is_empty());
        d.handle_timeout(2600.0, &mut out);
        assert_eq!(out[0].to_value().to_json(), r##"{"signal":"dead_click","at":100,"sel":"#buy"}"##);
        assert_eq!(d.poll_timeout(), None);
    }

    // "(or at end if that time has already passed; a candidate still pending at end or page is alive)"
    #[test]
    fn at_end_only_overdue_candidates_are_reported_and_pending_ones_are_alive() {
        let mut d = det();
        let mut out = Vec::new();
        // Feed end directly without firing deadlines: the overdue click is reported at end.
        d.handle(&click(0.0, 0.0, 0.0, "a"), &mut out);
        d.handle(&click(2000.0, 0.0, 0.0, "b"), &mut out);
        d.handle(&end(3000.0), &mut out);
        assert_eq!(ats(&out), vec![0.0]);
        assert!(run(&mut det(), &[click(0.0, 0.0, 0.0, "b"), end(2499.0)]).is_empty());
        assert!(
            run(&mut det(), &[click(0.0, 0.0, 0.0, "b"), page(2600.0, "/x")]).len() == 1,
            "deadline fired before the page"
        );
    }

    // several candidates are independent; a mutation saves only those within their window
    #[test]
    fn candidates_are_independent() {
        let f =
            run(&mut det(), &[click(0.0, 0.0, 0.0, "a"), click(2000.0, 0.0, 0.0, "b"), mutation(2600.0), end(9000.0)]);
        assert_eq!(ats(&f), vec![0.0]);
        assert_eq!(f[0].get("sel"), Some(&crate::core::value::Value::Str("a".into())));
    }
}
