//! A survey definition and its questions, read from config or from the collector
//! (`GET /v1/surveys`), with precise errors: `surveys[0].questions[1].type: expected one of …`.
//!
//! Question types: `nps` (0–10), `csat` (1–5), `ces` (1–7), `single` and `multiple` choice,
//! `text` (at most 2000 characters, scrubbed). Branching: each question may list rules
//! `{ "if": { "at_most": 6 } | { "at_least": 9 } | { "is": 2 }, "goto": "q3" | "thanks" }`; the
//! first rule that matches decides, otherwise the next question in order, and after the last
//! question comes the thank-you step.

use crate::core::privacy::scrub::scrub_free_text;
use crate::core::review::Lang;
use crate::core::value::Value;

use super::caps::Caps;
use super::read::{self, At, Report};
use super::targeting::Targeting;

/// The longest open-text answer.
pub const MAX_TEXT: usize = 2000;

/// A text in both languages.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    /// Spanish.
    pub es: String,
    /// English.
    pub en: String,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Es => &self.es,
            Lang::En => &self.en,
        }
    }
}

/// What kind of question.
#[derive(Clone, Debug, PartialEq)]
pub enum QuestionKind {
    /// 0–10.
    Nps,
    /// 1–5.
    Csat,
    /// 1–7.
    Ces,
    /// One of the options.
    Single(Vec<Text>),
    /// Any of the options.
    Multiple(Vec<Text>),
    /// Free text.
    Text,
}

/// A branching condition on a numeric answer (a score, or an option index for choices).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Condition {
    /// answer ≤ n.
    AtMost(f64),
    /// answer ≥ n.
    AtLeast(f64),
    /// answer = n.
    Is(f64),
}

/// Where a branch goes.
#[derive(Clone, Debug, PartialEq)]
pub struct Branch {
    /// When.
    pub when: Condition,
    /// The question id, or `thanks`.
    pub goto: String,
}

/// One question.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    /// Unique within the survey.
    pub id: String,
    /// Type and options.
    pub kind: QuestionKind,
    /// The prompt.
    pub text: Text,
    /// Branching rules, in order.
    pub branches: Vec<Branch>,
}

/// A survey.
#[derive(Clone, Debug, PartialEq)]
pub struct SurveyDef {
    /// Unique id.
    pub id: String,
    /// The questions, in order.
    pub questions: Vec<Question>,
    /// The thank-you step.
    pub thanks: Text,
    /// When to show it.
    pub targeting: Targeting,
    /// How often.
    pub caps: Caps,
}

/// A shopper's answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// A score (nps, csat, ces) or an option index (single).
    Number(f64),
    /// Option indexes (multiple).
    Many(Vec<usize>),
    /// Free text.
    Text(String),
}

/// What comes after an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// The question at this index.
    Question(usize),
    /// The thank-you step.
    Thanks,
}

fn text<R: Report>(v: Option<&Value>, at: &At, r: &mut R) -> Option<Text> {
    match v {
        Some(Value::Str(s)) if !s.trim().is_empty() => return Some(Text { es: s.clone(), en: s.clone() }),
        Some(o @ Value::Obj(_)) => {
            let es = o.get("es").and_then(Value::as_str).filter(|s| !s.trim().is_empty());
            let en = o.get("en").and_then(Value::as_str).filter(|s| !s.trim().is_empty());
            match (es, en) {
                (Some(es), Some(en)) => return Some(Text { es: es.into(), en: en.into() }),
                (Some(one), None) | (None, Some(one)) => return Some(Text { es: one.into(), en: one.into() }),
                (None, None) => {}
            }
        }
        _ => {}
    }
    r.fail(at, "a text, or { es, en } texts", Some(v));
    None
}

fn id<R: Report>(v: Option<&Value>, at: &At, r: &mut R) -> Option<String> {
    match v {
        Some(Value::Str(s))
            if !s.is_empty()
                && s.len() <= 64
                && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            Some(s.clone())
        }
        other => {
            r.fail(at, "an id of 1 to 64 letters, digits, '-' or '_'", Some(other));
            None
        }
    }
}

impl SurveyDef {
    /// Reads and validates one survey; `at` prefixes error paths (`surveys[0]`).
    pub fn from_value(v: &Value, at: &str) -> Result<SurveyDef, String> {
        read::validate(|r| SurveyDef::read(v, &At::Root(at), r))
    }

    /// Reads one survey, telling `r` what is wrong.
    pub fn read<R: Report>(v: &Value, at: &At, r: &mut R) -> Option<SurveyDef> {
        if !matches!(v, Value::Obj(_)) {
            r.fail(at, "a survey object", Some(Some(v)));
            return None;
        }
        let sid = id(v.get("id"), &at.key("id"), r)?;
        let qat = at.key("questions");
        let qs = match v.get("questions") {
            Some(Value::Arr(items)) if !items.is_empty() && items.len() <= 20 => items,
            other => {
                r.fail(&qat, "an array of 1 to 20 questions", Some(other));
                return None;
            }
        };
        let mut questions: Vec<Question> = Vec::new();
        for (i, q) in qs.iter().enumerate() {
            let qat = qat.index(i);
            let qid = id(q.get("id"), &qat.key("id"), r)?;
            if questions.iter().any(|x| x.id == qid) || qid == "thanks" {
                r.fail(&qat.key("id"), "an id used once and not \"thanks\"", Some(q.get("id")));
                return None;
            }
            let kind = match q.get("type").and_then(Value::as_str) {
                Some("nps") => QuestionKind::Nps,
                Some("csat") => QuestionKind::Csat,
                Some("ces") => QuestionKind::Ces,
                Some(k @ ("single" | "multiple")) => {
                    let oat = qat.key("options");
                    let Some(Value::Arr(o)) =
                        q.get("options").filter(|o| matches!(o, Value::Arr(a) if (2..=12).contains(&a.len())))
                    else {
                        r.fail(&oat, "an array of 2 to 12 options", Some(q.get("options")));
                        return None;
                    };
                    let mut options = Vec::new();
                    for (j, t) in o.iter().enumerate() {
                        options.push(text(Some(t), &oat.index(j), r)?);
                    }
                    if k == "single" {
                        QuestionKind::Single(options)
                    } else {
                        QuestionKind::Multiple(options)
                    }
                }
                Some("text") => QuestionKind::Text,
                _ => {
                    r.fail(&qat.key("type"), "one of nps, csat, ces, single, multiple, text", Some(q.get("type")));
                    return None;
                }
            };
            let prompt = text(q.get("text"), &qat.key("text"), r)?;
            let mut branches = Vec::new();
            let bat = qat.key("branches");
            match q.get("branches") {
                None | Some(Value::Null) => {}
                Some(Value::Arr(rules)) => {
                    for (j, rule) in rules.iter().enumerate() {
                        let rat = bat.index(j);
                        let cond = rule.get("if");
                        let num = |k: &str| {
                            cond.and_then(|c| c.get(k))
                                .and_then(|x| if let Value::Num(n) = x { Some(*n) } else { None })
                        };
                        let when = match (num("at_most"), num("at_least"), num("is")) {
                            (Some(n), None, None) => Condition::AtMost(n),
                            (None, Some(n), None) => Condition::AtLeast(n),
                            (None, None, Some(n)) => Condition::Is(n),
                            _ => {
                                r.fail(&rat.key("if"), "{ at_most: n } or { at_least: n } or { is: n }", Some(cond));
                                return None;
                            }
                        };
                        let goto = id(rule.get("goto"), &rat.key("goto"), r)?;
                        branches.push(Branch { when, goto });
                    }
                }
                other => {
                    r.fail(&bat, "an array of rules", Some(other));
                    return None;
                }
            }
            questions.push(Question { id: qid, kind, text: prompt, branches });
        }
        // Every goto must name a question after this one (no loops) or `thanks`.
        for (i, q) in questions.iter().enumerate() {
            for (j, b) in q.branches.iter().enumerate() {
                let later = questions[i + 1..].iter().any(|x| x.id == b.goto);
                if b.goto != "thanks" && !later {
                    let qi = qat.index(i);
                    let branches = qi.key("branches");
                    let bj = branches.index(j);
                    r.fail(
                        &bj.key("goto"),
                        "a later question's id or \"thanks\"",
                        Some(Some(&Value::Str(b.goto.clone()))),
                    );
                    return None;
                }
            }
        }
        let thanks = match v.get("thanks") {
            None | Some(Value::Null) => {
                Text { es: "¡Gracias por tu respuesta!".into(), en: "Thank you for your answer!".into() }
            }
            t => text(t, &at.key("thanks"), r)?,
        };
        let targeting = Targeting::read(v.get("targeting"), &at.key("targeting"), r)?;
        let caps = Caps::read(v.get("caps"), &at.key("caps"), r)?;
        Some(SurveyDef { id: sid, questions, thanks, targeting, caps })
    }

    /// Reads and validates a list of surveys (`surveys` in the config, or the collector's file).
    pub fn list_from_value(v: &Value, at: &str) -> Result<Vec<SurveyDef>, String> {
        read::validate(|r| SurveyDef::read_list(v, &At::Root(at), r))
    }

    /// The browser's reader for definitions the collector already validated: every survey
    /// that reads is kept, the others (and repeated ids) are skipped and counted. No message is
    /// ever built, so none of the validator's text reaches the wasm.
    pub fn read_lenient(v: &Value) -> (Vec<SurveyDef>, usize) {
        let Value::Arr(items) = v else { return (Vec::new(), 1) };
        let mut out: Vec<SurveyDef> = Vec::new();
        let mut skipped = 0;
        for s in items {
            match SurveyDef::read_one(s) {
                Some(d) if !out.iter().any(|o| o.id == d.id) => out.push(d),
                _ => skipped += 1,
            }
        }
        (out, skipped)
    }

    /// One survey with the browser's reader (no messages): `None` if it does not read.
    pub fn read_one(v: &Value) -> Option<SurveyDef> {
        SurveyDef::read(v, &At::Root(""), &mut read::Lenient)
    }

    /// Reads a list of surveys, telling `r` what is wrong; ids must be unique.
    pub fn read_list<R: Report>(v: &Value, at: &At, r: &mut R) -> Option<Vec<SurveyDef>> {
        let Value::Arr(items) = v else {
            r.fail(at, "an array of surveys", Some(Some(v)));
            return None;
        };
        let mut out: Vec<SurveyDef> = Vec::new();
        for (i, s) in items.iter().enumerate() {
            let sat = at.index(i);
            let def = SurveyDef::read(s, &sat, r)?;
            if out.iter().any(|d| d.id == def.id) {
                r.fail(&sat.key("id"), "an id used once", Some(Some(&Value::Str(def.id))));
                return None;
            }
            out.push(def);
        }
        Some(out)
    }

    /// Checks an answer to question `q`, scrubbing free text. `None` if it is not acceptable.
    pub fn check_answer(&self, q: usize, answer: &Answer) -> Option<Answer> {
        let question = self.questions.get(q)?;
        let in_range = |n: f64, lo: f64, hi: f64| n.fract() == 0.0 && n >= lo && n <= hi;
        match (&question.kind, answer) {
            (QuestionKind::Nps, Answer::Number(n)) if in_range(*n, 0.0, 10.0) => Some(answer.clone()),
            (QuestionKind::Csat, Answer::Number(n)) if in_range(*n, 1.0, 5.0) => Some(answer.clone()),
            (QuestionKind::Ces, Answer::Number(n)) if in_range(*n, 1.0, 7.0) => Some(answer.clone()),
            (QuestionKind::Single(o), Answer::Number(n)) if in_range(*n, 0.0, o.len() as f64 - 1.0) => {
                Some(answer.clone())
            }
            (QuestionKind::Multiple(o), Answer::Many(picks))
                if !picks.is_empty() && picks.iter().all(|p| *p < o.len()) =>
            {
                let mut p: Vec<usize> = Vec::new();
                for x in picks {
                    if !p.contains(x) {
                        p.push(*x);
                    }
                }
                Some(Answer::Many(p))
            }
            (QuestionKind::Text, Answer::Text(t)) if !t.trim().is_empty() && t.trim().chars().count() <= MAX_TEXT => {
                Some(Answer::Text(scrub_free_text(t.trim())))
            }
            _ => None,
        }
    }

    /// Where an answer to question `q` leads.
    pub fn next(&self, q: usize, answer: &Answer) -> Next {
        let Some(question) = self.questions.get(q) else { return Next::Thanks };
        let value = match answer {
            Answer::Number(n) => Some(*n),
            _ => None,
        };
        for b in &question.branches {
            let hit = value.is_some_and(|v| match b.when {
                Condition::AtMost(n) => v <= n,
                Condition::AtLeast(n) => v >= n,
                Condition::Is(n) => v == n,
            });
            if hit {
                return match self.questions.iter().position(|x| x.id == b.goto) {
                    Some(i) => Next::Question(i),
                    None => Next::Thanks,
                };
            }
        }
        if q + 1 < self.questions.len() {
            Next::Question(q + 1)
        } else {
            Next::Thanks
        }
    }
}
