//! When a survey may appear. Every condition given must hold:
//! - `url`: `{ "exact": "/checkout" }`, `{ "contains": "checkout" }` or `{ "regex": "^/p/" }`
//!   on the page path (the regex is evaluated by the browser's RegExp: the edge answers
//!   "does it match", the rule stays here);
//! - `after_event`: that event (a `track` name) happened in this page session;
//! - `delay_s`: seconds since the page (or the triggering event) before it shows;
//! - `min_page_views`: page views in this session so far;
//! - `device`: `mobile`, `desktop` or `any`;
//! - `selector`: a CSS selector present on the page (checked by the edge);
//! - `friction`: friction signals that trigger it on the spot (`["rage_click", "error_click"]`),
//!   (combine with `url` to limit them to some pages).

use super::read::{At, Report};
use crate::core::value::Value;

/// A URL condition.
#[derive(Clone, Debug, PartialEq)]
pub enum UrlRule {
    /// The path equals.
    Exact(String),
    /// The path contains.
    Contains(String),
    /// The path matches this regular expression (evaluated by the browser).
    Regex(String),
}

/// A survey's targeting.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Targeting {
    /// URL condition.
    pub url: Option<UrlRule>,
    /// A `track` event name that must have happened.
    pub after_event: Option<String>,
    /// Wait this long after the trigger (s).
    pub delay_s: f64,
    /// Minimum page views in the session.
    pub min_page_views: u32,
    /// `Some(true)` mobile only, `Some(false)` desktop only.
    pub mobile: Option<bool>,
    /// A CSS selector that must be on the page.
    pub selector: Option<String>,
    /// Friction signals that trigger the survey at once.
    pub friction: Vec<String>,
}

/// What the page is like now.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Context<'a> {
    /// The (scrubbed) page path.
    pub path: &'a str,
    /// Page views in this session.
    pub page_views: u32,
    /// A phone-sized screen.
    pub mobile: bool,
    /// The edge's answer for the URL regex (if there is one).
    pub regex_matches: bool,
    /// The edge's answer for the selector (if there is one).
    pub selector_present: bool,
    /// `track` events seen in this page session.
    pub events: &'a [String],
    /// The friction signal that just happened, if that is what asks.
    pub friction: Option<&'a str>,
    /// Seconds since the trigger (page load, event or friction).
    pub elapsed_s: f64,
}

impl Targeting {
    /// Reads `targeting` (absent: no conditions).
    pub fn from_value(v: Option<&Value>, at: &str) -> Result<Targeting, String> {
        super::read::validate(|r| Targeting::read(v, &At::Root(at), r))
    }

    /// Reads `targeting`, telling `r` what is wrong.
    pub fn read<R: Report>(v: Option<&Value>, at: &At, r: &mut R) -> Option<Targeting> {
        let mut t = Targeting::default();
        let Some(v) = v.filter(|v| !matches!(v, Value::Null)) else { return Some(t) };
        if !matches!(v, Value::Obj(_)) {
            r.fail(at, "an object", None);
            return None;
        }
        let text = |k: &str| v.get(k).map(|x| x.as_str().filter(|s| !s.is_empty()).map(str::to_string));
        if let Some(u) = v.get("url") {
            let s = |k: &str| u.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
            t.url = Some(match (s("exact"), s("contains"), s("regex")) {
                (Some(x), None, None) => UrlRule::Exact(x),
                (None, Some(x), None) => UrlRule::Contains(x),
                (None, None, Some(x)) => UrlRule::Regex(x),
                _ => {
                    r.fail(&at.key("url"), "one of { exact }, { contains }, { regex } with a text", None);
                    return None;
                }
            });
        }
        if let Some(e) = text("after_event") {
            let Some(e) = e else {
                r.fail(&at.key("after_event"), "an event name", None);
                return None;
            };
            t.after_event = Some(e);
        }
        if let Some(d) = v.get("delay_s") {
            match d {
                Value::Num(n) if (0.0..=3600.0).contains(n) => t.delay_s = *n,
                _ => {
                    r.fail(&at.key("delay_s"), "a number of seconds from 0 to 3600", None);
                    return None;
                }
            }
        }
        if let Some(p) = v.get("min_page_views") {
            match p {
                Value::Num(n) if n.fract() == 0.0 && (0.0..=1000.0).contains(n) => t.min_page_views = *n as u32,
                _ => {
                    r.fail(&at.key("min_page_views"), "an integer from 0 to 1000", None);
                    return None;
                }
            }
        }
        if let Some(d) = v.get("device") {
            t.mobile = match d.as_str() {
                Some("mobile") => Some(true),
                Some("desktop") => Some(false),
                Some("any") => None,
                _ => {
                    r.fail(&at.key("device"), "\"mobile\", \"desktop\" or \"any\"", None);
                    return None;
                }
            };
        }
        if let Some(sel) = text("selector") {
            let Some(sel) = sel else {
                r.fail(&at.key("selector"), "a CSS selector", None);
                return None;
            };
            t.selector = Some(sel);
        }
        if let Some(f) = v.get("friction") {
            let Value::Arr(items) = f else {
                r.fail(&at.key("friction"), "an array of signal names", None);
                return None;
            };
            for i in items {
                match i.as_str() {
                    Some(s) if crate::core::friction::SIGNALS.contains(&s) => t.friction.push(s.into()),
                    _ => {
                        r.fail(&at.key("friction"), "signal names (rage_click, dead_click, error_click, …)", None);
                        return None;
                    }
                }
            }
        }
        Some(t)
    }

    /// Whether the survey may show now.
    pub fn matches(&self, c: &Context) -> bool {
        let url_ok = match &self.url {
            None => true,
            Some(UrlRule::Exact(p)) => c.path == p,
            Some(UrlRule::Contains(p)) => crate::core::value::contains(c.path, p),
            Some(UrlRule::Regex(_)) => c.regex_matches,
        };
        let event_ok = self.after_event.as_ref().is_none_or(|e| c.events.iter().any(|x| x == e));
        let friction_ok = match c.friction {
            // Friction-triggered surveys show on that friction; others never because of it.
            Some(signal) => self.friction.iter().any(|f| f == signal),
            None => self.friction.is_empty(),
        };
        url_ok
            && event_ok
            && friction_ok
            && c.elapsed_s >= self.delay_s
            && c.page_views >= self.min_page_views
            && self.mobile.is_none_or(|m| m == c.mobile)
            && (self.selector.is_none() || c.selector_present)
    }
}
