//! The trace format of `SIGNALS.md`: JSON Lines, one input per line, in time order.
//!
//! `t` (a number, ms since the trace started) and `kind` (a string) are required; a line that
//! is not valid JSON or lacks them is an error naming the line number. Unknown kinds and unknown
//! fields are ignored (forward compatible); so are unknown values of `nav` (read as `navigate`),
//! of `action` and of vital `name` (the line is skipped). Missing fields mean empty / false / 0.
//! Blank lines are skipped.

use super::{FieldAction, FrictionConfig, Input, InputKind, PageNav, Target, VitalName};
use crate::core::json;
use crate::core::value::Value;

/// A malformed line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for TraceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for TraceError {}

fn s(v: &Value, k: &str) -> String {
    v.get(k).and_then(Value::as_str).unwrap_or_default().to_string()
}

fn b(v: &Value, k: &str) -> bool {
    matches!(v.get(k), Some(Value::Bool(true)))
}

fn n(v: &Value, k: &str) -> f64 {
    match v.get(k) {
        Some(Value::Num(x)) => *x,
        _ => 0.0,
    }
}

/// Parses one line. `Ok(None)` for blank lines and inputs this version does not know.
pub fn parse_line(line: &str) -> Result<Option<Input>, String> {
    if line.trim().is_empty() {
        return Ok(None);
    }
    let v = json::parse(line).map_err(|e| String::from("invalid JSON: ") + &e)?;
    if !matches!(v, Value::Obj(_)) {
        return Err("expected a JSON object".into());
    }
    let t = match v.get("t") {
        Some(Value::Num(t)) if t.is_finite() => *t,
        Some(_) => return Err("t: expected a number".into()),
        None => return Err("missing t".into()),
    };
    let kind = match v.get("kind") {
        Some(Value::Str(k)) => k.as_str(),
        Some(_) => return Err("kind: expected a string".into()),
        None => return Err("missing kind".into()),
    };
    let kind = match kind {
        "page" => InputKind::Page {
            url: s(&v, "url"),
            nav: match v.get("nav").and_then(Value::as_str).unwrap_or("") {
                "reload" => PageNav::Reload,
                "back_forward" => PageNav::BackForward,
                "push" => PageNav::Push,
                "replace" => PageNav::Replace,
                "pop" => PageNav::Pop,
                _ => PageNav::Navigate,
            },
        },
        "click" => {
            let empty = Value::Obj(vec![]);
            let tv = v.get("target").unwrap_or(&empty);
            InputKind::Click {
                x: n(&v, "x"),
                y: n(&v, "y"),
                mods: b(&v, "mods"),
                target: Target {
                    sel: s(tv, "sel"),
                    tag: s(tv, "tag").to_ascii_lowercase(),
                    role: s(tv, "role"),
                    input_type: s(tv, "type"),
                    text: s(tv, "text"),
                    label: s(tv, "label"),
                    editable: b(tv, "editable"),
                    in_link: b(tv, "in_link"),
                    ignore: b(tv, "ignore"),
                    mask: false, // not part of the trace format: traces never report text
                },
            }
        }
        "mutation" => InputKind::Mutation,
        "scroll" => InputKind::Scroll { y: n(&v, "y") },
        "selection" => InputKind::Selection,
        "visibility" => InputKind::Visibility { hidden: b(&v, "hidden") },
        "window_focus" => InputKind::WindowFocus { focused: b(&v, "focused") },
        "error" => InputKind::Error { message: s(&v, "message") },
        "field" => InputKind::Field {
            form: s(&v, "form"),
            field: s(&v, "field"),
            action: match v.get("action").and_then(Value::as_str) {
                Some("focus") => FieldAction::Focus,
                Some("input") => FieldAction::Input,
                Some("blur") => FieldAction::Blur,
                _ => return Ok(None),
            },
            filled: b(&v, "filled"),
        },
        "submit" => InputKind::Submit { form: s(&v, "form") },
        "vital" => match VitalName::parse(&s(&v, "name")) {
            Some(name) => InputKind::Vital { name, value: n(&v, "value") },
            None => return Ok(None),
        },
        "longtask" => InputKind::LongTask { duration: n(&v, "duration") },
        "end" => InputKind::End,
        _ => return Ok(None),
    };
    Ok(Some(Input { t, kind }))
}

/// Parses a whole trace.
pub fn parse(text: &str) -> Result<Vec<Input>, TraceError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        match parse_line(line) {
            Ok(Some(input)) => out.push(input),
            Ok(None) => {}
            Err(message) => return Err(TraceError { line: i + 1, message }),
        }
    }
    Ok(out)
}

/// Replays a trace and returns the findings as JSON Lines (one finding per line).
pub fn replay_to_jsonl(text: &str, config: &FrictionConfig) -> Result<String, TraceError> {
    let inputs = parse(text)?;
    let mut out = String::new();
    for f in super::replay(&inputs, config) {
        f.to_value().write_json(&mut out);
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_kind_with_defaults_for_missing_fields() {
        let text = r##"{"t":0,"kind":"page","url":"/a","nav":"back_forward"}
{"t":1.5,"kind":"click","x":10,"y":20,"target":{"sel":"#b","tag":"BUTTON","text":"Buy","editable":false,"in_link":true},"mods":true}

{"t":2,"kind":"mutation"}
{"t":3,"kind":"scroll","y":400}
{"t":4,"kind":"selection"}
{"t":5,"kind":"visibility","hidden":true}
{"t":6,"kind":"window_focus","focused":false}
{"t":7,"kind":"error","message":"boom"}
{"t":8,"kind":"field","form":"f","field":"e","action":"blur","filled":true}
{"t":9,"kind":"submit","form":"f"}
{"t":10,"kind":"vital","name":"LCP","value":3000}
{"t":11,"kind":"longtask","duration":70}
{"t":12,"kind":"end"}"##;
        let inputs = parse(text).unwrap();
        assert_eq!(inputs.len(), 13);
        assert_eq!(inputs[0].kind, InputKind::Page { url: "/a".into(), nav: PageNav::BackForward });
        let InputKind::Click { x, y, target, mods } = &inputs[1].kind else { panic!() };
        assert_eq!((*x, *y, *mods), (10.0, 20.0, true));
        assert_eq!(target.tag, "button");
        assert!(target.in_link && !target.editable && !target.ignore);
        assert_eq!(target.label, "");
        assert_eq!(inputs[1].t, 1.5);
        assert_eq!(inputs[12].kind, InputKind::End);
    }

    #[test]
    fn unknown_kinds_and_fields_are_ignored() {
        let inputs = parse("{\"t\":0,\"kind\":\"hover\",\"x\":1}\n{\"t\":1,\"kind\":\"mutation\",\"extra\":[1,2]}\n{\"t\":2,\"kind\":\"vital\",\"name\":\"FID\",\"value\":1}").unwrap();
        assert_eq!(inputs, vec![Input { t: 1.0, kind: InputKind::Mutation }]);
    }

    #[test]
    fn malformed_lines_are_errors_naming_the_line() {
        let cases = [
            ("{\"t\":0,\"kind\":\"end\"}\n{oops}", 2, "invalid JSON"),
            ("\n\n{\"kind\":\"end\"}", 3, "missing t"),
            ("{\"t\":0}", 1, "missing kind"),
            ("{\"t\":\"0\",\"kind\":\"end\"}", 1, "t: expected a number"),
            ("{\"t\":0,\"kind\":5}", 1, "kind: expected a string"),
            ("[1]", 1, "expected a JSON object"),
        ];
        for (text, line, msg) in cases {
            let e = parse(text).unwrap_err();
            assert_eq!(e.line, line, "{text}");
            assert!(e.message.starts_with(msg), "{}", e.message);
            assert!(e.to_string().starts_with(&format!("line {line}: ")));
        }
    }
}
