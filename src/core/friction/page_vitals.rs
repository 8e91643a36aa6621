//! Web vitals from raw performance entries, following web-vitals' definitions:
//! - LCP: the latest `largest-contentful-paint` candidate, final at the first click or key press,
//!   or when the page is hidden;
//! - CLS: the largest session window of layout shifts without recent input, shifts less than
//!   1 s apart and windows at most 5 s long; reported when the page is hidden;
//! - INP: per interaction its longest event duration; the value is the worst interaction, or the
//!   p98 (skipping one worst interaction per 50) on busy pages; reported when the page is hidden;
//! - FCP and TTFB: reported once, as soon as they are known.
//!
//! Each metric is reported at most once per page (web-vitals reports the final value).

use super::VitalName;

/// How many of the longest interactions are kept for INP.
pub const KEEP: usize = 10;

/// A raw performance entry, as the browser edge reads it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Entry {
    /// `largest-contentful-paint`: its render (or start) time, ms since navigation start.
    LcpCandidate(f64),
    /// `layout-shift`: value, start time (ms), and `hadRecentInput`.
    LayoutShift {
        /// The shift score.
        value: f64,
        /// When it happened (ms).
        start: f64,
        /// Shifts right after input do not count.
        had_recent_input: bool,
    },
    /// An `event` timing entry with an `interactionId` (> 0) and its duration (ms).
    Interaction {
        /// The interaction it belongs to.
        id: u64,
        /// Its duration (ms).
        duration: f64,
    },
    /// `first-contentful-paint` time (ms).
    Fcp(f64),
    /// `responseStart` of the navigation entry (ms).
    Ttfb(f64),
    /// The shopper clicked or pressed a key (LCP is final).
    UserInput,
    /// The page was hidden or is being left (LCP, CLS and INP are final).
    Hidden,
}

/// The page's vitals as they accumulate.
#[derive(Clone, Debug, Default)]
pub struct PageVitals {
    lcp: Option<f64>,
    lcp_final: bool,
    cls_best: f64,
    cls_window: f64,
    cls_first: f64,
    cls_last: f64,
    cls_any: bool,
    /// The longest interactions (id, duration), longest first, at most [`KEEP`].
    longest: Vec<(u64, f64)>,
    /// Interactions seen (ids increase, so a new id is one above the largest seen).
    interaction_count: u64,
    max_interaction_id: u64,
    reported: [bool; 5],
}

fn idx(n: VitalName) -> usize {
    match n {
        VitalName::Lcp => 0,
        VitalName::Inp => 1,
        VitalName::Cls => 2,
        VitalName::Fcp => 3,
        VitalName::Ttfb => 4,
    }
}

impl PageVitals {
    /// Fresh state for a new document.
    pub fn new() -> PageVitals {
        PageVitals::default()
    }

    fn once(&mut self, name: VitalName, value: f64, out: &mut Vec<(VitalName, f64)>) {
        if !self.reported[idx(name)] && value.is_finite() && value >= 0.0 {
            self.reported[idx(name)] = true;
            out.push((name, value));
        }
    }

    /// The current INP estimate: the worst interaction, skipping one per 50 interactions
    /// (as web-vitals does, keeping only the 10 longest).
    pub fn inp(&self) -> Option<f64> {
        if self.longest.is_empty() {
            return None;
        }
        let skip = ((self.interaction_count / 50) as usize).min(self.longest.len() - 1);
        Some(self.longest[skip].1)
    }

    /// The current CLS (largest session window so far).
    pub fn cls(&self) -> f64 {
        self.cls_best.max(self.cls_window)
    }

    /// Takes one entry; returns the vitals that became final, each at most once per page.
    pub fn handle(&mut self, entry: Entry, out: &mut Vec<(VitalName, f64)>) {
        match entry {
            Entry::LcpCandidate(t) => {
                if !self.lcp_final {
                    self.lcp = Some(t);
                }
            }
            Entry::LayoutShift { value, start, had_recent_input } => {
                if had_recent_input {
                    return;
                }
                if self.cls_any && start - self.cls_last < 1000.0 && start - self.cls_first < 5000.0 {
                    self.cls_window += value;
                } else {
                    self.cls_best = self.cls_best.max(self.cls_window);
                    self.cls_window = value;
                    self.cls_first = start;
                }
                self.cls_last = start;
                self.cls_any = true;
            }
            Entry::Interaction { id, duration } => {
                if id == 0 {
                    return;
                }
                if id > self.max_interaction_id {
                    self.max_interaction_id = id;
                    self.interaction_count += 1;
                }
                // Keep the KEEP longest, longest first (insertion by hand: no sort code in the wasm).
                if let Some(pos) = self.longest.iter().position(|(i, _)| *i == id) {
                    if self.longest[pos].1 >= duration {
                        return;
                    }
                    self.longest.remove(pos);
                }
                let at = self.longest.iter().position(|(_, d)| *d < duration).unwrap_or(self.longest.len());
                if at < KEEP {
                    self.longest.insert(at, (id, duration));
                    self.longest.truncate(KEEP);
                }
            }
            Entry::Fcp(t) => self.once(VitalName::Fcp, t, out),
            Entry::Ttfb(t) => self.once(VitalName::Ttfb, t, out),
            Entry::UserInput => {
                self.lcp_final = true;
                if let Some(l) = self.lcp {
                    self.once(VitalName::Lcp, l, out);
                }
            }
            Entry::Hidden => {
                self.lcp_final = true;
                if let Some(l) = self.lcp {
                    self.once(VitalName::Lcp, l, out);
                }
                if self.cls_any {
                    let c = self.cls();
                    self.once(VitalName::Cls, c, out);
                }
                if let Some(i) = self.inp() {
                    self.once(VitalName::Inp, i, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(entries: &[Entry]) -> Vec<(VitalName, f64)> {
        let mut v = PageVitals::new();
        let mut out = Vec::new();
        for e in entries {
            v.handle(*e, &mut out);
        }
        out
    }

    #[test]
    fn fcp_and_ttfb_are_reported_once_at_once() {
        assert_eq!(
            run(&[Entry::Ttfb(120.0), Entry::Fcp(900.0), Entry::Fcp(950.0)]),
            vec![(VitalName::Ttfb, 120.0), (VitalName::Fcp, 900.0)]
        );
    }

    #[test]
    fn lcp_is_the_last_candidate_before_input_and_reported_once() {
        let out = run(&[
            Entry::LcpCandidate(800.0),
            Entry::LcpCandidate(2600.0),
            Entry::UserInput,
            Entry::LcpCandidate(5000.0),
            Entry::Hidden,
        ]);
        assert_eq!(out, vec![(VitalName::Lcp, 2600.0)]);
        assert_eq!(run(&[Entry::LcpCandidate(800.0), Entry::Hidden]), vec![(VitalName::Lcp, 800.0)]);
    }

    #[test]
    fn cls_takes_the_worst_session_window() {
        let ls = |value: f64, start: f64| Entry::LayoutShift { value, start, had_recent_input: false };
        // window 1: 0.05 + 0.05 (0.5 s apart); gap > 1 s; window 2: 0.08 alone
        let out = run(&[ls(0.05, 0.0), ls(0.05, 500.0), ls(0.08, 2000.0), Entry::Hidden]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].0, VitalName::Cls);
        assert!((out[0].1 - 0.1).abs() < 1e-9);
        // windows are capped at 5 s even if shifts keep coming every 0.9 s
        let many: Vec<Entry> = (0..10).map(|i| ls(0.01, i as f64 * 900.0)).chain([Entry::Hidden]).collect();
        let out = run(&many);
        assert!((out[0].1 - 0.06).abs() < 1e-9, "{}", out[0].1);
        // shifts after input do not count
        assert!(run(&[Entry::LayoutShift { value: 0.5, start: 0.0, had_recent_input: true }, Entry::Hidden]).is_empty());
    }

    #[test]
    fn inp_is_the_worst_interaction_or_p98_on_busy_pages() {
        let it = |id: u64, d: f64| Entry::Interaction { id, duration: d };
        assert_eq!(
            run(&[it(1, 80.0), it(1, 240.0), it(2, 120.0), it(0, 900.0), Entry::Hidden]),
            vec![(VitalName::Inp, 240.0)]
        );
        let mut busy: Vec<Entry> = (1..=100).map(|i| it(i, i as f64)).collect();
        busy.push(Entry::Hidden);
        assert_eq!(run(&busy), vec![(VitalName::Inp, 98.0)], "100 interactions: skip the 2 worst");
    }
}
