//! **scroll_hunt** — the scroll position starts at 0 on each `page`. Keep the turning point (the
//! extreme position reached in the current direction). The first move of 200 px or more away
//! from the start sets the direction (not a reversal). After that, whenever the position comes
//! back 200 px or more from the turning point, count one reversal at that input's time; the
//! direction flips, and the turning point is from then on the extreme reached in the new
//! direction (starting at that position). 3 reversals within 5000 ms (first to last) are
//! reported once, then the count restarts from zero. Fields: `at` = the first of those
//! reversals, `reversals`.
//!
//! Clarification: "within 5000 ms (first to last)" means last − first ≤ 5000, sliding.

use super::{Detector, Finding, FrictionConfig, Input, InputKind};
use crate::core::value::Value;

/// The scroll-hunt state machine.
pub struct ScrollHunt {
    min_distance: f64,
    needed: usize,
    window: f64,
    /// +1 down, -1 up, 0 not set yet.
    direction: f64,
    turning: f64,
    reversals: Vec<f64>,
}

impl ScrollHunt {
    /// A detector with `config`'s limits.
    pub fn new(config: &FrictionConfig) -> ScrollHunt {
        ScrollHunt {
            min_distance: config.scroll_min_distance_px,
            needed: config.scroll_reversals.max(1) as usize,
            window: config.scroll_window_ms,
            direction: 0.0,
            turning: 0.0,
            reversals: Vec::new(),
        }
    }

    fn reset(&mut self) {
        self.direction = 0.0;
        self.turning = 0.0;
        self.reversals.clear();
    }
}

impl Detector for ScrollHunt {
    fn handle(&mut self, input: &Input, out: &mut Vec<Finding>) {
        match input.kind {
            InputKind::Page { .. } => self.reset(),
            InputKind::Scroll { y } => {
                if self.direction == 0.0 {
                    // Before a direction: the turning point is the start (0).
                    if (y - self.turning).abs() >= self.min_distance {
                        self.direction = (y - self.turning).signum();
                        self.turning = y;
                    }
                    return;
                }
                let beyond = (y - self.turning) * self.direction; // > 0: further the same way
                if beyond > 0.0 {
                    self.turning = y;
                } else if -beyond >= self.min_distance {
                    self.direction = -self.direction;
                    self.turning = y;
                    let window = self.window;
                    self.reversals.retain(|first| input.t - first <= window);
                    self.reversals.push(input.t);
                    if self.reversals.len() >= self.needed {
                        let first = self.reversals[0];
                        out.push(Finding {
                            signal: "scroll_hunt",
                            at: first,
                            fields: vec![("reversals", Value::Num(self.reversals.len() as f64))],
                        });
                        self.reversals.clear();
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;

    fn sc(t: f64, y: f64) -> Input {
        at(t, InputKind::Scroll { y })
    }
    fn det() -> ScrollHunt {
        ScrollHunt::new(&FrictionConfig::default())
    }

    // "The first move of 200 px or more away from the start sets the direction (not a reversal)."
    #[test]
    fn the_first_200_px_move_sets_the_direction_without_counting() {
        // down 200 (direction), up 200 (1), down 200 (2), up 200 (3)
        let f = run(&mut det(), &[sc(0.0, 200.0), sc(100.0, 0.0), sc(200.0, 200.0), sc(300.0, 0.0)]);
        assert_eq!(ats(&f), vec![100.0]);
        // 199 px does not set a direction; the later 200 does
        let f = run(
            &mut det(),
            &[sc(0.0, 199.0), sc(50.0, 0.0), sc(60.0, 200.0), sc(100.0, 0.0), sc(200.0, 200.0), sc(300.0, 0.0)],
        );
        assert_eq!(ats(&f), vec![100.0]);
    }

    // "whenever the position comes back 200 px or more from the turning point, count one reversal"
    #[test]
    fn reversals_need_200_px_back_from_the_extreme() {
        // down to 1000 (turning point), back to 801 is only 199
        let f = run(
            &mut det(),
            &[
                sc(0.0, 500.0),
                sc(10.0, 1000.0),
                sc(20.0, 801.0),
                sc(30.0, 1000.0),
                sc(40.0, 801.0),
                sc(50.0, 1000.0),
                sc(60.0, 801.0),
            ],
        );
        assert!(f.is_empty());
        // exactly 200 counts
        let f = run(&mut det(), &[sc(0.0, 1000.0), sc(10.0, 800.0), sc(20.0, 1000.0), sc(30.0, 800.0)]);
        assert_eq!(ats(&f), vec![10.0]);
    }

    // "the turning point is from then on the extreme reached in the new direction (starting at that position)"
    #[test]
    fn the_turning_point_follows_the_extreme_in_the_new_direction() {
        // down 1000; up to 800 (rev 1, turning 800) then further up to 300 (turning 300);
        // down to 499 is 199 from 300: no reversal; down to 500: rev 2; up to 300: rev 3.
        let f = run(
            &mut det(),
            &[sc(0.0, 1000.0), sc(10.0, 800.0), sc(20.0, 300.0), sc(30.0, 499.0), sc(40.0, 500.0), sc(50.0, 300.0)],
        );
        assert_eq!(ats(&f), vec![10.0]);
        assert_eq!(f[0].to_value().to_json(), r#"{"signal":"scroll_hunt","at":10,"reversals":3}"#);
    }

    // "3 reversals within 5000 ms (first to last)" — last − first ≤ 5000, sliding
    #[test]
    fn three_reversals_within_5000_ms_sliding() {
        let f = run(&mut det(), &[sc(0.0, 1000.0), sc(1000.0, 0.0), sc(3000.0, 1000.0), sc(6000.0, 0.0)]);
        assert_eq!(ats(&f), vec![1000.0], "6000 - 1000 = 5000 is within");
        let f = run(&mut det(), &[sc(0.0, 1000.0), sc(1000.0, 0.0), sc(3000.0, 1000.0), sc(6001.0, 0.0)]);
        assert!(f.is_empty(), "5001 is not");
        // sliding: the 4th reversal forms a window with the 2nd and 3rd
        let f = run(
            &mut det(),
            &[sc(0.0, 1000.0), sc(1000.0, 0.0), sc(3000.0, 1000.0), sc(6001.0, 0.0), sc(6500.0, 1000.0)],
        );
        assert_eq!(ats(&f), vec![3000.0]);
    }

    // "are reported once, then the count restarts from zero"
    #[test]
    fn after_a_report_the_count_restarts() {
        let mut inputs = vec![sc(0.0, 1000.0)];
        for i in 1..=7 {
            inputs.push(sc(i as f64 * 100.0, if i % 2 == 1 { 0.0 } else { 1000.0 }));
        }
        // reversals at 100..700: reports at the 3rd (first = 100) and 6th (first = 400)
        assert_eq!(ats(&run(&mut det(), &inputs)), vec![100.0, 400.0]);
    }

    // "the scroll position starts at 0 on each page"
    #[test]
    fn a_page_resets_position_direction_and_count() {
        let f = run(&mut det(), &[sc(0.0, 1000.0), sc(10.0, 0.0), sc(20.0, 1000.0), page(30.0, "/x"), sc(40.0, 800.0)]);
        assert!(f.is_empty(), "after the page, 800 only sets the direction");
    }
}
