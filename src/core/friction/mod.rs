//! Navigation friction: one pure state machine per signal of `SIGNALS.md`.
//!
//! Every detector is fed the inputs of the trace format with their timestamps, asks for a
//! wake-up time ([`Detector::poll_timeout`]) instead of reading a clock, and emits [`Finding`]s.
//! The browser edge and the replay tool drive the very same [`Detectors`], so a trace recorded
//! in a shop replays to the same findings on a laptop.
//!
//! Driving rule (both in the browser and in [`replay`]): before an input at time `t`, every
//! deadline `<= t` fires, in time order; then the input is handled.

pub mod dead_click;
pub mod error_click;
pub mod field_return;
pub mod form_abandon;
pub mod js_error;
pub mod long_task;
pub mod page_vitals;
pub mod quick_back;
pub mod rage_click;
pub mod scroll_hunt;
pub mod trace;
pub mod vital;

use crate::core::value::Value;

/// The clicked element, as the trace format describes it. Missing fields are empty / false.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Target {
    /// A stable selector (same element, same `sel`).
    pub sel: String,
    /// Tag name, lower case.
    pub tag: String,
    /// ARIA role.
    pub role: String,
    /// Input type.
    pub input_type: String,
    /// Visible text, first 40 characters (used for the rules; not reported unless allowed).
    pub text: String,
    /// `aria-label`.
    pub label: String,
    /// Text entry, textarea, select or contenteditable.
    pub editable: bool,
    /// The element is or is inside `<a href>`.
    pub in_link: bool,
    /// It or an ancestor has `data-vitrina-ignore`.
    pub ignore: bool,
    /// It or an ancestor has `data-vitrina-mask`: its text is never reported (it is still used
    /// for the rules, on the device). Not part of the trace format.
    pub mask: bool,
}

/// How a page was reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageNav {
    /// A normal navigation.
    Navigate,
    /// A reload.
    Reload,
    /// Back/forward into a document.
    BackForward,
    /// `pushState`.
    Push,
    /// `replaceState`.
    Replace,
    /// `popstate`.
    Pop,
}

/// A form field action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldAction {
    /// The field got focus.
    Focus,
    /// The value changed.
    Input,
    /// The field lost focus.
    Blur,
}

/// One web-vitals metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VitalName {
    /// Largest Contentful Paint (ms).
    Lcp,
    /// Interaction to Next Paint (ms).
    Inp,
    /// Cumulative Layout Shift (unitless).
    Cls,
    /// First Contentful Paint (ms).
    Fcp,
    /// Time To First Byte (ms).
    Ttfb,
}

impl VitalName {
    /// The name as written in traces and findings.
    pub fn as_str(self) -> &'static str {
        match self {
            VitalName::Lcp => "LCP",
            VitalName::Inp => "INP",
            VitalName::Cls => "CLS",
            VitalName::Fcp => "FCP",
            VitalName::Ttfb => "TTFB",
        }
    }

    /// Parses `LCP`, `INP`, ...
    pub fn parse(s: &str) -> Option<VitalName> {
        Some(match s {
            "LCP" => VitalName::Lcp,
            "INP" => VitalName::Inp,
            "CLS" => VitalName::Cls,
            "FCP" => VitalName::Fcp,
            "TTFB" => VitalName::Ttfb,
            _ => return None,
        })
    }
}

/// What happened, per the trace format.
#[derive(Clone, Debug, PartialEq)]
pub enum InputKind {
    /// A page load or SPA route change.
    Page {
        /// The page URL (scrubbed by the detectors before use).
        url: String,
        /// How it was reached.
        nav: PageNav,
    },
    /// A primary click or tap.
    Click {
        /// Viewport x (px).
        x: f64,
        /// Viewport y (px).
        y: f64,
        /// The element.
        target: Target,
        /// Ctrl, meta, alt or shift held.
        mods: bool,
    },
    /// The DOM changed.
    Mutation,
    /// The page scrolled to `y`.
    Scroll {
        /// Document scroll top (px).
        y: f64,
    },
    /// The text selection changed.
    Selection,
    /// The tab was hidden / shown.
    Visibility {
        /// Hidden now.
        hidden: bool,
    },
    /// The window gained / lost focus.
    WindowFocus {
        /// Focused now.
        focused: bool,
    },
    /// An uncaught error or unhandled rejection.
    Error {
        /// The message (scrubbed by the detectors).
        message: String,
    },
    /// A form field was used.
    Field {
        /// Form key.
        form: String,
        /// Field key.
        field: String,
        /// What happened.
        action: FieldAction,
        /// On blur: the field had a value.
        filled: bool,
    },
    /// A form was submitted.
    Submit {
        /// Form key.
        form: String,
    },
    /// A web-vitals measurement.
    Vital {
        /// Which metric.
        name: VitalName,
        /// Its value.
        value: f64,
    },
    /// A long task.
    LongTask {
        /// Its duration (ms).
        duration: f64,
    },
    /// The page is being left, or the trace ends.
    End,
}

/// A timestamped input.
#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    /// Milliseconds since the trace (or page session) started.
    pub t: f64,
    /// What happened.
    pub kind: InputKind,
}

/// A detected friction signal.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// `rage_click`, `dead_click`, ...
    pub signal: &'static str,
    /// The trace time the finding is about.
    pub at: f64,
    /// The signal's fields, in output order.
    pub fields: Vec<(&'static str, Value)>,
}

impl Finding {
    /// The finding as one JSON object: `{"signal":…,"at":…,…}`.
    pub fn to_value(&self) -> Value {
        let mut obj = Vec::with_capacity(self.fields.len() + 2);
        obj.push(("signal".to_string(), Value::Str(self.signal.to_string())));
        obj.push(("at".to_string(), Value::Num(self.at)));
        for (k, v) in &self.fields {
            obj.push((k.to_string(), v.clone()));
        }
        Value::Obj(obj)
    }

    /// A field's value.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

/// One friction rule as a state machine.
pub trait Detector {
    /// Handles an input (deadlines `<= input.t` have already fired).
    fn handle(&mut self, input: &Input, out: &mut Vec<Finding>);
    /// The next time this detector needs [`Detector::handle_timeout`], if any.
    fn poll_timeout(&self) -> Option<f64> {
        None
    }
    /// Time `now` has come (`now >= poll_timeout()`).
    fn handle_timeout(&mut self, _now: f64, _out: &mut Vec<Finding>) {}
    /// State that must survive a page load (multi-page shops start a new document per page).
    fn save(&self) -> Option<String> {
        None
    }
    /// Restores what [`Detector::save`] returned in the previous document.
    fn restore(&mut self, _state: &str) {}
}

/// The tunable numbers of every rule (defaults from `SIGNALS.md`).
#[derive(Clone, Debug, PartialEq)]
pub struct FrictionConfig {
    /// rage_click: clicks in a burst to report.
    pub rage_min_clicks: u32,
    /// rage_click: max distance from the previous click (px, strict).
    pub rage_max_distance_px: f64,
    /// rage_click: max gap after the previous click (ms, strict).
    pub rage_max_gap_ms: f64,
    /// dead_click: a mutation or page within this (ms, strict) makes a click alive.
    pub dead_mutation_window_ms: f64,
    /// dead_click: a scroll or selection within this (ms, strict) makes a click alive.
    pub dead_scroll_window_ms: f64,
    /// dead_click: a visibility / focus change within this before or after (ms, strict).
    pub dead_focus_window_ms: f64,
    /// dead_click: a repeat click on the same element within this is not a candidate (ms).
    pub dead_repeat_ms: f64,
    /// error_click: an error within this after a click (ms, strict).
    pub error_click_window_ms: f64,
    /// quick_back: coming back within this after arriving (ms, strict).
    pub quick_back_max_dwell_ms: f64,
    /// scroll_hunt: a move of at least this counts (px).
    pub scroll_min_distance_px: f64,
    /// scroll_hunt: reversals to report.
    pub scroll_reversals: u32,
    /// scroll_hunt: within this, first to last (ms, inclusive).
    pub scroll_window_ms: f64,
    /// form_abandon: idle time after which a started form is abandoned (ms).
    pub form_idle_ms: f64,
    /// long_task: minimum duration (ms, inclusive).
    pub long_task_min_ms: f64,
    /// js_error: longest message (chars, after scrubbing).
    pub max_message_chars: usize,
    /// Signals switched off by the shop (`friction: { dead_click: false }`).
    pub disabled: Vec<&'static str>,
}

impl Default for FrictionConfig {
    fn default() -> Self {
        FrictionConfig {
            rage_min_clicks: 3,
            rage_max_distance_px: 30.0,
            rage_max_gap_ms: 1000.0,
            dead_mutation_window_ms: 2500.0,
            dead_scroll_window_ms: 100.0,
            dead_focus_window_ms: 1000.0,
            dead_repeat_ms: 1000.0,
            error_click_window_ms: 1000.0,
            quick_back_max_dwell_ms: 10_000.0,
            scroll_min_distance_px: 200.0,
            scroll_reversals: 3,
            scroll_window_ms: 5000.0,
            form_idle_ms: 30.0 * 60_000.0,
            long_task_min_ms: 50.0,
            max_message_chars: 200,
            disabled: Vec::new(),
        }
    }
}

/// Scrubs a message and cuts it to `max` characters (scrub first, then cut).
pub fn scrub_message(message: &str, max: usize) -> String {
    let s = crate::core::privacy::scrub_text(message);
    crate::core::value::cut_chars(&s, max).to_string()
}

/// A selector as findings carry it (scrubbed: an id may hold an email).
pub fn sel_value(sel: &str) -> Value {
    Value::Str(crate::core::privacy::scrub_text(sel))
}

/// The names of every signal, in the order detectors run.
pub const SIGNALS: [&str; 10] = [
    "rage_click",
    "dead_click",
    "error_click",
    "quick_back",
    "scroll_hunt",
    "field_return",
    "form_abandon",
    "vital",
    "long_task",
    "js_error",
];

/// Every detector, driven together.
pub struct Detectors {
    detectors: Vec<Box<dyn Detector>>,
}

impl std::fmt::Debug for Detectors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Detectors").field("detectors", &self.detectors.len()).finish()
    }
}

impl Detectors {
    /// All ten detectors with `config`.
    pub fn new(config: &FrictionConfig) -> Detectors {
        let all: [(&str, Box<dyn Detector>); 10] = [
            ("rage_click", Box::new(rage_click::RageClick::new(config))),
            ("dead_click", Box::new(dead_click::DeadClick::new(config))),
            ("error_click", Box::new(error_click::ErrorClick::new(config))),
            ("quick_back", Box::new(quick_back::QuickBack::new(config))),
            ("scroll_hunt", Box::new(scroll_hunt::ScrollHunt::new(config))),
            ("field_return", Box::new(field_return::FieldReturn::new())),
            ("form_abandon", Box::new(form_abandon::FormAbandon::new(config))),
            ("vital", Box::new(vital::Vital::new())),
            ("long_task", Box::new(long_task::LongTask::new(config))),
            ("js_error", Box::new(js_error::JsError::new(config))),
        ];
        Detectors {
            detectors: all.into_iter().filter(|(name, _)| !config.disabled.contains(name)).map(|(_, d)| d).collect(),
        }
    }

    /// What must survive into the next document (the quick-back history), if anything.
    pub fn save(&self) -> Option<String> {
        self.detectors.iter().find_map(|d| d.save())
    }

    /// Restores [`Detectors::save`]'s state from the previous document.
    pub fn restore(&mut self, state: &str) {
        for d in self.detectors.iter_mut() {
            d.restore(state);
        }
    }

    /// The earliest deadline of any detector.
    pub fn poll_timeout(&self) -> Option<f64> {
        self.detectors.iter().filter_map(|d| d.poll_timeout()).min_by(f64::total_cmp)
    }

    /// Fires every deadline `<= now`, in time order.
    pub fn advance(&mut self, now: f64, out: &mut Vec<Finding>) {
        while let Some(t) = self.poll_timeout() {
            if t > now {
                break;
            }
            for d in self.detectors.iter_mut() {
                if d.poll_timeout().is_some_and(|dt| dt <= t) {
                    d.handle_timeout(t, out);
                }
            }
        }
    }

    /// Fires due deadlines, then handles the input.
    pub fn handle(&mut self, input: &Input, out: &mut Vec<Finding>) {
        self.advance(input.t, out);
        for d in self.detectors.iter_mut() {
            d.handle(input, out);
        }
    }
}

/// Feeds a whole trace through the detectors. A trace without `end` is flushed as if it ended
/// at its last input.
pub fn replay(inputs: &[Input], config: &FrictionConfig) -> Vec<Finding> {
    let mut d = Detectors::new(config);
    let mut out = Vec::new();
    for input in inputs {
        d.handle(input, &mut out);
    }
    if let Some(last) = inputs.last() {
        if last.kind != InputKind::End {
            d.handle(&Input { t: last.t, kind: InputKind::End }, &mut out);
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod testkit;
