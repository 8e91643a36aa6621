//! How often a survey may appear, stored per browser:
//! - `show`: `"once"` (shown once, answered or not), `"until_answered"`, or `{ "max_times": N }`;
//! - `cooldown_days`: after any survey is shown, no survey for this long (across all surveys);
//! - `sample_percent`: the share of browsers that ever see it, decided once per browser with a
//!   cryptographically seeded random number and remembered.
//!
//! Dismissing counts as shown.

use super::read::{At, Report};
use crate::core::value::Value;

/// One day in ms.
pub const DAY_MS: f64 = 86_400_000.0;

/// How many times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShowPolicy {
    /// Once, whatever happens.
    Once,
    /// Until answered.
    UntilAnswered,
    /// Up to N times (stops early once answered).
    MaxTimes(u32),
}

/// A survey's caps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Caps {
    /// How many times.
    pub show: ShowPolicy,
    /// Quiet period after any survey (days).
    pub cooldown_days: f64,
    /// Share of browsers (0–100).
    pub sample_percent: f64,
}

impl Default for Caps {
    fn default() -> Self {
        Caps { show: ShowPolicy::Once, cooldown_days: 0.0, sample_percent: 100.0 }
    }
}

/// What this browser remembers about one survey.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct History {
    /// Times shown (dismissals included).
    pub shown: u32,
    /// Answered to the end.
    pub answered: bool,
    /// The sampling decision, once made.
    pub sampled_in: Option<bool>,
}

impl Caps {
    /// Reads `caps` (absent: once, no cooldown, everyone).
    pub fn from_value(v: Option<&Value>, at: &str) -> Result<Caps, String> {
        super::read::validate(|r| Caps::read(v, &At::Root(at), r))
    }

    /// Reads `caps`, telling `r` what is wrong.
    pub fn read<R: Report>(v: Option<&Value>, at: &At, r: &mut R) -> Option<Caps> {
        let mut c = Caps::default();
        let Some(v) = v.filter(|v| !matches!(v, Value::Null)) else { return Some(c) };
        if !matches!(v, Value::Obj(_)) {
            r.fail(at, "an object", None);
            return None;
        }
        if let Some(s) = v.get("show") {
            c.show = match s {
                Value::Str(x) if x == "once" => ShowPolicy::Once,
                Value::Str(x) if x == "until_answered" => ShowPolicy::UntilAnswered,
                o @ Value::Obj(_) => match o.get("max_times") {
                    Some(Value::Num(n)) if n.fract() == 0.0 && (1.0..=100.0).contains(n) => {
                        ShowPolicy::MaxTimes(*n as u32)
                    }
                    _ => {
                        r.fail(&at.key("show").key("max_times"), "an integer from 1 to 100", None);
                        return None;
                    }
                },
                _ => {
                    r.fail(&at.key("show"), "\"once\", \"until_answered\" or { max_times: N }", None);
                    return None;
                }
            };
        }
        if let Some(d) = v.get("cooldown_days") {
            match d {
                Value::Num(n) if (0.0..=365.0).contains(n) => c.cooldown_days = *n,
                _ => {
                    r.fail(&at.key("cooldown_days"), "a number of days from 0 to 365", None);
                    return None;
                }
            }
        }
        if let Some(p) = v.get("sample_percent") {
            match p {
                Value::Num(n) if (0.0..=100.0).contains(n) => c.sample_percent = *n,
                _ => {
                    r.fail(&at.key("sample_percent"), "a number from 0 to 100", None);
                    return None;
                }
            }
        }
        Some(c)
    }

    /// Whether the survey may be shown: its own count, the global cooldown (`last_any_shown_ms`:
    /// when any survey was last shown in this browser) and the sampling decision (made now with
    /// `unit_random` if not made yet; returned so it can be remembered).
    pub fn allows(&self, h: &mut History, last_any_shown_ms: Option<f64>, now: f64, unit_random: f64) -> bool {
        let sampled = *h.sampled_in.get_or_insert(unit_random * 100.0 < self.sample_percent);
        if !sampled {
            return false;
        }
        let count_ok = match self.show {
            ShowPolicy::Once => h.shown == 0,
            ShowPolicy::UntilAnswered => !h.answered,
            ShowPolicy::MaxTimes(n) => !h.answered && h.shown < n,
        };
        let cooled = last_any_shown_ms.is_none_or(|t| now - t >= self.cooldown_days * DAY_MS);
        count_ok && cooled
    }
}
