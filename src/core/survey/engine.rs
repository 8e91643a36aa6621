//! The survey engine: which survey shows when, what follows each answer, and what this browser
//! remembers. The widget draws what it is told and reports answers and dismissals; it decides
//! nothing.
//!
//! Rules:
//! - Surveys are considered, in definition order, on every trigger: a page view, a `track` event,
//!   a friction finding, and time passing (for `delay_s`). One survey is open at a time; the first
//!   whose targeting matches and whose caps allow it opens.
//! - `delay_s` counts from the trigger: the survey's `after_event` if it has one, else the page
//!   view. A friction-triggered survey (targeting `friction`) opens at once on that signal, and on
//!   nothing else.
//! - Opening counts as shown (so a dismissal counts as shown) and starts the global cooldown.
//! - An answer that does not fit the question is ignored (the question stays). One that fits is
//!   recorded (free text scrubbed) and leads to the next question (branching) or the thank-you
//!   step; reaching the thank-you step marks the survey answered and completed.
//! - A dismissal closes the survey and is recorded.
//! - What is remembered (per survey: times shown, answered, the sampling decision; when any survey
//!   was last shown) is kept as text, see [`Engine::save`].

use crate::core::rng::Rng;
use crate::core::value::{write_u64, Value};

use super::caps::History;
use super::definition::{Answer, Next, QuestionKind, SurveyDef};
use super::targeting::{Context, UrlRule};

/// What the engine needs the browser to answer about the page.
pub trait Probe: std::fmt::Debug {
    /// Whether the page path matches this regular expression (the browser's RegExp).
    fn regex(&self, pattern: &str, path: &str) -> bool;
    /// Whether this CSS selector matches an element on the page.
    fn selector(&self, selector: &str) -> bool;
}

/// Where an open survey is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Showing the question at this index.
    Question(usize),
    /// Showing the thank-you step.
    Thanks,
}

/// Something that happened, to record as a `survey` event (props as the collector reads them).
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// `{ survey_id, step, question_id?, question_type?, score?, choices?, text? }`.
    pub props: Value,
}

/// The first line of the stored history.
pub const MAGIC: &str = "vitrina-surveys 1";

/// The survey engine's state.
#[derive(Debug, Default)]
pub struct Engine {
    defs: Vec<SurveyDef>,
    history: Vec<(String, History)>,
    last_any_shown: Option<f64>,
    page_at: f64,
    path: String,
    mobile: bool,
    page_views: u32,
    events: Vec<(String, f64)>,
    open: Option<(usize, Step)>,
    dirty: bool,
    /// When surveys were last considered: a deadline not after it has been checked already.
    considered_at: f64,
}

fn kind_name(k: &QuestionKind) -> &'static str {
    match k {
        QuestionKind::Nps => "nps",
        QuestionKind::Csat => "csat",
        QuestionKind::Ces => "ces",
        QuestionKind::Single(_) => "single",
        QuestionKind::Multiple(_) => "multiple",
        QuestionKind::Text => "text",
    }
}

fn props(survey: &str, step: &str) -> Vec<(String, Value)> {
    vec![("survey_id".into(), Value::Str(survey.into())), ("step".into(), Value::Str(step.into()))]
}

impl Engine {
    /// An engine for these surveys, with nothing remembered.
    pub fn new(defs: Vec<SurveyDef>) -> Engine {
        Engine { defs, ..Engine::default() }
    }

    /// Adds definitions (an id already known keeps its first definition).
    pub fn add(&mut self, defs: Vec<SurveyDef>) {
        for d in defs {
            if !self.defs.iter().any(|x| x.id == d.id) {
                self.defs.push(d);
            }
        }
    }

    /// The survey definitions.
    pub fn defs(&self) -> &[SurveyDef] {
        &self.defs
    }

    /// The open survey and its step.
    pub fn open(&self) -> Option<(&SurveyDef, Step)> {
        self.open.map(|(i, s)| (&self.defs[i], s))
    }

    /// What this browser remembers about a survey.
    pub fn history(&self, survey_id: &str) -> History {
        self.history.iter().find(|(id, _)| id == survey_id).map(|(_, h)| *h).unwrap_or_default()
    }

    fn history_mut(&mut self, survey_id: &str) -> &mut History {
        let i = match self.history.iter().position(|(id, _)| id == survey_id) {
            Some(i) => i,
            None => {
                self.history.push((survey_id.to_string(), History::default()));
                self.history.len() - 1
            }
        };
        &mut self.history[i].1
    }

    /// A page view at `path` (scrubbed). May open a survey.
    pub fn on_page(&mut self, now: f64, path: &str, mobile: bool, probe: &dyn Probe, rng: &mut Rng) -> Option<Step> {
        self.note_page(now, path, mobile);
        self.consider(now, None, probe, rng)
    }

    /// Counts a page view without opening anything (surveys not allowed yet, or none known).
    pub fn note_page(&mut self, now: f64, path: &str, mobile: bool) {
        self.page_views += 1;
        self.page_at = now;
        self.path = path.to_string();
        self.mobile = mobile;
    }

    /// A `track` event. May open a survey.
    pub fn on_track(&mut self, now: f64, name: &str, probe: &dyn Probe, rng: &mut Rng) -> Option<Step> {
        self.note_track(now, name);
        self.consider(now, None, probe, rng)
    }

    /// Remembers a `track` event without opening anything.
    pub fn note_track(&mut self, now: f64, name: &str) {
        self.events.retain(|(n, _)| n != name);
        self.events.push((name.to_string(), now));
    }

    /// A friction finding. May open a friction-triggered survey at once.
    pub fn on_friction(&mut self, now: f64, signal: &str, probe: &dyn Probe, rng: &mut Rng) -> Option<Step> {
        self.consider(now, Some(signal), probe, rng)
    }

    /// Time passed. May open a survey whose delay is over.
    pub fn on_timeout(&mut self, now: f64, probe: &dyn Probe, rng: &mut Rng) -> Option<Step> {
        self.consider(now, None, probe, rng)
    }

    /// When a survey waiting for its `delay_s` may open (caps and probes are checked then). A
    /// deadline already checked is not returned again, so a survey that cannot open (wrong page,
    /// cap reached) never makes the timer spin.
    pub fn poll_timeout(&self) -> Option<f64> {
        if self.open.is_some() || self.page_views == 0 {
            return None;
        }
        self.defs
            .iter()
            .filter(|d| d.targeting.delay_s > 0.0 && d.targeting.friction.is_empty())
            .filter_map(|d| self.trigger_at(d).map(|t| t + d.targeting.delay_s * 1000.0))
            .filter(|t| *t > self.considered_at)
            .fold(None, |acc: Option<f64>, t| Some(acc.map_or(t, |a| a.min(t))))
    }

    fn trigger_at(&self, d: &SurveyDef) -> Option<f64> {
        match &d.targeting.after_event {
            Some(e) => self.events.iter().find(|(n, _)| n == e).map(|(_, t)| *t),
            None => Some(self.page_at),
        }
    }

    fn consider(&mut self, now: f64, friction: Option<&str>, probe: &dyn Probe, rng: &mut Rng) -> Option<Step> {
        if self.open.is_some() || self.page_views == 0 {
            return None;
        }
        if friction.is_none() {
            self.considered_at = self.considered_at.max(now);
        }
        let names: Vec<String> = self.events.iter().map(|(n, _)| n.clone()).collect();
        for i in 0..self.defs.len() {
            let d = &self.defs[i];
            let Some(trigger) = self.trigger_at(d) else { continue };
            let t = &d.targeting;
            let ctx = Context {
                path: &self.path,
                page_views: self.page_views,
                mobile: self.mobile,
                regex_matches: matches!(&t.url, Some(UrlRule::Regex(r)) if probe.regex(r, &self.path)),
                selector_present: t.selector.as_deref().is_some_and(|s| probe.selector(s)),
                events: &names,
                friction,
                elapsed_s: if friction.is_some() { f64::INFINITY } else { (now - trigger) / 1000.0 },
            };
            if !t.matches(&ctx) {
                continue;
            }
            let caps = d.caps;
            let last = self.last_any_shown;
            let id = d.id.clone();
            let unit = rng.next_f64();
            let h = self.history_mut(&id);
            let was_sampled = h.sampled_in;
            let allowed = caps.allows(h, last, now, unit);
            if was_sampled != h.sampled_in {
                self.dirty = true;
            }
            if !allowed {
                continue;
            }
            self.history_mut(&id).shown += 1;
            self.last_any_shown = Some(now);
            self.dirty = true;
            let step = if self.defs[i].questions.is_empty() { Step::Thanks } else { Step::Question(0) };
            self.open = Some((i, step));
            return Some(step);
        }
        None
    }

    /// The event for the survey that just opened.
    pub fn shown_record(&self) -> Option<Record> {
        let (i, _) = self.open?;
        Some(Record { props: Value::Obj(props(&self.defs[i].id, "shown")) })
    }

    /// The shopper answered the open survey's current question. Returns what to record and the
    /// next step, or `None` (ignored) when no such survey or question is open or the answer does
    /// not fit.
    pub fn answer(&mut self, survey_id: &str, answer: &Answer) -> Option<(Vec<Record>, Step)> {
        let (i, Step::Question(q)) = self.open? else { return None };
        let def = &self.defs[i];
        if def.id != survey_id {
            return None;
        }
        let checked = def.check_answer(q, answer)?;
        let question = &def.questions[q];
        let mut p = props(&def.id, "answered");
        p.push(("question_id".into(), Value::Str(question.id.clone())));
        p.push(("question_type".into(), Value::Str(kind_name(&question.kind).into())));
        match &checked {
            Answer::Number(n) if matches!(question.kind, QuestionKind::Single(_)) => {
                p.push(("choice".into(), Value::Num(*n)))
            }
            Answer::Number(n) => p.push(("score".into(), Value::Num(*n))),
            Answer::Many(picks) => {
                p.push(("choices".into(), Value::Arr(picks.iter().map(|c| Value::Num(*c as f64)).collect())))
            }
            Answer::Text(t) => p.push(("text".into(), Value::Str(t.clone()))),
        }
        let mut records = vec![Record { props: Value::Obj(p) }];
        let step = match def.next(q, &checked) {
            Next::Question(n) => Step::Question(n),
            Next::Thanks => {
                records.push(Record { props: Value::Obj(props(&def.id, "completed")) });
                Step::Thanks
            }
        };
        if step == Step::Thanks {
            let id = def.id.clone();
            self.history_mut(&id).answered = true;
            self.dirty = true;
        }
        self.open = Some((i, step));
        Some((records, step))
    }

    /// The shopper closed the open survey (Esc, the close button, or after the thank-you step).
    /// A survey closed before its thank-you step is recorded as dismissed.
    pub fn close(&mut self, survey_id: &str) -> Option<Record> {
        let (i, step) = self.open?;
        if self.defs[i].id != survey_id {
            return None;
        }
        self.open = None;
        (step != Step::Thanks).then(|| Record { props: Value::Obj(props(survey_id, "dismissed")) })
    }

    /// The history as text when it changed since the last call:
    /// `vitrina-surveys 1 <last_any_shown_ms|->` then `<id>\t<shown>\t<answered 0|1>\t<sampled -|0|1>` per line.
    pub fn save(&mut self) -> Option<String> {
        if !self.dirty {
            return None;
        }
        self.dirty = false;
        let mut out = String::from(MAGIC);
        out.push(' ');
        match self.last_any_shown {
            Some(t) => write_u64(t.max(0.0).round() as u64, &mut out),
            None => out.push('-'),
        }
        for (id, h) in &self.history {
            out.push('\n');
            out.push_str(id);
            out.push('\t');
            write_u64(h.shown as u64, &mut out);
            out.push_str(if h.answered { "\t1\t" } else { "\t0\t" });
            out.push(match h.sampled_in {
                None => '-',
                Some(true) => '1',
                Some(false) => '0',
            });
        }
        Some(out)
    }

    /// Takes back what [`Engine::save`] wrote (damaged lines are skipped; a damaged header
    /// forgets everything).
    pub fn restore(&mut self, text: &str) {
        use crate::core::outbox::persist::parse_u64;
        let mut lines = text.split('\n');
        let Some(rest) = lines.next().and_then(|l| l.strip_prefix(MAGIC)).and_then(|r| r.strip_prefix(' ')) else {
            return;
        };
        self.last_any_shown = match (rest, parse_u64(rest)) {
            ("-", _) => None,
            (_, Some(t)) => Some(t as f64),
            _ => return,
        };
        for line in lines {
            let f: Vec<&str> = line.split('\t').collect();
            let [id, shown, answered, sampled] = f[..] else { continue };
            let (Some(shown), answered, sampled) = (
                parse_u64(shown),
                answered == "1",
                match sampled {
                    "1" => Some(true),
                    "0" => Some(false),
                    _ => None,
                },
            ) else {
                continue;
            };
            if id.is_empty() || id.len() > 64 {
                continue;
            }
            *self.history_mut(id) = History { shown: shown.min(u32::MAX as u64) as u32, answered, sampled_in: sampled };
        }
        self.dirty = false;
    }
}

#[cfg(test)]
mod tests;
