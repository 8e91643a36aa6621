//! Surveys in the SDK. The engine ([`crate::core::survey::Engine`]) hears about page views,
//! `track` events, friction findings and time; what it opens goes to the widget as
//! [`Action::ShowSurvey`]; answers and closings come back through [`Sdk::handle_survey_answer`]
//! and [`Sdk::handle_survey_close`]. Every step is recorded as a `survey` event through the
//! batching pipeline, and what the browser must remember is stored ([`Action::StoreSurveys`]).
//!
//! Consent: surveys show only while analytics are allowed (their answers travel with the
//! events) and the `surveys` purpose is not refused (in `opt_in` mode it must be granted).

use super::{Action, Sdk};
use crate::core::event::{Event, EventType};
use crate::core::privacy::Consent;
use crate::core::review::Lang;
use crate::core::survey::{Answer, Probe, QuestionKind, Record, Step, SurveyDef};
use crate::core::value::{write_str, Value};

/// A page that answers no probe (before the edge sets its own).
#[derive(Debug)]
pub struct NoProbe;

impl Probe for NoProbe {
    fn regex(&self, _: &str, _: &str) -> bool {
        false
    }
    fn selector(&self, _: &str) -> bool {
        false
    }
}

/// What the widget draws, as JSON: a question
/// `{"survey":…,"question":…,"type":"nps","text":…,"options":[…]}` or the thank-you step
/// `{"survey":…,"thanks":…}`.
pub fn render(def: &SurveyDef, step: Step, lang: Lang) -> String {
    let mut out = String::from("{\"survey\":");
    write_str(&def.id, &mut out);
    match step {
        Step::Thanks => {
            out.push_str(",\"thanks\":");
            write_str(def.thanks.get(lang), &mut out);
        }
        Step::Question(i) => {
            let q = &def.questions[i];
            out.push_str(",\"question\":");
            write_str(&q.id, &mut out);
            let (kind, options) = match &q.kind {
                QuestionKind::Nps => ("nps", None),
                QuestionKind::Csat => ("csat", None),
                QuestionKind::Ces => ("ces", None),
                QuestionKind::Single(o) => ("single", Some(o)),
                QuestionKind::Multiple(o) => ("multiple", Some(o)),
                QuestionKind::Text => ("text", None),
            };
            out.push_str(",\"type\":\"");
            out.push_str(kind);
            out.push_str("\",\"text\":");
            write_str(q.text.get(lang), &mut out);
            if let Some(options) = options {
                out.push_str(",\"options\":[");
                for (n, o) in options.iter().enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    write_str(o.get(lang), &mut out);
                }
                out.push(']');
            }
        }
    }
    out.push('}');
    out
}

impl Sdk {
    /// What the page can answer for survey targeting (URL regexes, selectors) and whether it is
    /// phone-sized. Set once by the edge.
    pub fn set_survey_page(&mut self, probe: Box<dyn Probe>, mobile: bool, lang: Lang) {
        self.probe = probe;
        self.mobile = mobile;
        self.lang = lang;
    }

    /// Survey definitions from the collector (`GET /v1/surveys`, validated there at start-up):
    /// every one that reads is added (ids already known are kept as they are), the others are
    /// skipped (and logged in debug mode). A survey may open at once.
    pub fn add_surveys(&mut self, now: f64, list: &Value) {
        self.last_now = now;
        let (defs, skipped) = SurveyDef::read_lenient(list);
        self.surveys.add(defs);
        if skipped > 0 {
            self.log2("skipped survey definitions that do not read", "");
        }
        self.survey_trigger(now, SurveyTrigger::Time);
    }

    /// The history of surveys an earlier page stored (see [`Action::StoreSurveys`]).
    pub fn restore_surveys(&mut self, text: &str) {
        self.surveys.restore(text);
    }

    /// Whether surveys may show: analytics allowed, and the `surveys` purpose not refused.
    pub fn surveys_allowed(&self) -> bool {
        self.analytics_allowed() == Some(true)
            && Consent::allowed(
                self.consent.surveys,
                self.config.consent_mode,
                self.privacy_signal,
                self.config.honor_gpc,
            ) == Some(true)
    }

    /// A trigger for the survey engine: `None` page (time passed), or a page view, event or
    /// friction signal.
    pub(super) fn survey_trigger(&mut self, now: f64, trigger: SurveyTrigger) {
        if self.stopped || !self.surveys_allowed() || self.surveys.defs().is_empty() {
            // Nothing may open, but page views and events still count for later.
            match trigger {
                SurveyTrigger::Page => self.surveys.note_page(now, &self.current_path, self.mobile),
                SurveyTrigger::Track(name) => self.surveys.note_track(now, &name),
                _ => {}
            }
            return;
        }
        let probe: &dyn Probe = &*self.probe;
        let rng = &mut self.rng;
        let opened = match trigger {
            SurveyTrigger::Page => self.surveys.on_page(now, &self.current_path, self.mobile, probe, rng),
            SurveyTrigger::Track(name) => self.surveys.on_track(now, &name, probe, rng),
            SurveyTrigger::Friction(signal) => self.surveys.on_friction(now, signal, probe, rng),
            SurveyTrigger::Time => self.surveys.on_timeout(now, probe, rng),
        };
        if let Some(step) = opened {
            if let Some(r) = self.surveys.shown_record() {
                self.record_survey(now, r);
            }
            self.show(step);
        }
        self.store_surveys();
    }

    fn show(&mut self, step: Step) {
        if let Some((def, _)) = self.surveys.open() {
            let json = render(def, step, self.lang);
            self.actions.push(Action::ShowSurvey(json));
        }
    }

    fn store_surveys(&mut self) {
        if let Some(text) = self.surveys.save() {
            self.actions.push(Action::StoreSurveys(text));
        }
    }

    fn record_survey(&mut self, now: f64, r: Record) {
        let event = Event {
            id: self.rng.id(),
            kind: EventType::Survey,
            name: String::new(),
            sid: self.session_id.clone(),
            did: self.device_id(now),
            path: self.current_path.clone(),
            at_ms: now,
            props: r.props.to_json(),
        };
        self.enqueue(now, event);
    }

    /// The shopper answered the open survey's question: a number (a score, or the option's
    /// index), an array of option indexes, or a text. A wrong answer is ignored and counted.
    pub fn handle_survey_answer(&mut self, now: f64, survey_id: &Value, answer: &Value) {
        self.last_now = now;
        let answer = match answer {
            Value::Num(n) => Some(Answer::Number(*n)),
            Value::Str(t) => Some(Answer::Text(t.clone())),
            Value::Arr(items) => items
                .iter()
                .map(|v| match v {
                    Value::Num(n) if n.fract() == 0.0 && *n >= 0.0 && *n < 64.0 => Some(*n as usize),
                    _ => None,
                })
                .collect::<Option<Vec<usize>>>()
                .map(Answer::Many),
            _ => None,
        };
        let outcome = match (survey_id.as_str(), answer) {
            (Some(id), Some(a)) => self.surveys.answer(id, &a),
            _ => None,
        };
        let Some((records, step)) = outcome else {
            return self.bad_call("answerSurvey: no open survey, or an answer that does not fit its question");
        };
        for r in records {
            self.record_survey(now, r);
        }
        self.show(step);
        self.store_surveys();
        self.send_due(now, false);
    }

    /// The shopper closed the open survey (Esc, the close button, or done after thanks).
    pub fn handle_survey_close(&mut self, now: f64, survey_id: &Value) {
        self.last_now = now;
        if let Some(r) = survey_id.as_str().and_then(|id| self.surveys.close(id)) {
            self.record_survey(now, r);
        }
        self.store_surveys();
        self.send_due(now, false);
    }
}

/// What woke the survey engine.
pub enum SurveyTrigger {
    /// A page view.
    Page,
    /// A `track` event.
    Track(String),
    /// A friction signal.
    Friction(&'static str),
    /// Time passed.
    Time,
}
