//! Batch validation with precise messages: every error names the field (`events[3].offset_ms`)
//! and says what was expected, so an SDK or integration bug is obvious from the 400 alone.

use serde_json::{Map, Value};

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// The most events one batch may carry.
pub const MAX_EVENTS: usize = 500;
/// The largest `props` object, serialized.
pub const MAX_PROPS_BYTES: usize = 32 * 1024;
/// Offsets beyond this (30 days) are nonsense from a broken clock.
pub const MAX_OFFSET_MS: u64 = 30 * 24 * 3600 * 1000;

/// A valid batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// SDK name/version.
    pub sdk: String,
    /// Site key.
    pub site: String,
    /// Client clock at send time, ms since the epoch.
    pub sent_at: u64,
    /// Drop counts reported by the client, by reason.
    pub dropped: Vec<(String, u64)>,
    /// The events.
    pub events: Vec<Event>,
}

/// A valid event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Unique id.
    pub id: String,
    /// `page`, `track`, ...
    pub kind: String,
    /// Event name (track events).
    pub name: Option<String>,
    /// Session id.
    pub sid: String,
    /// Device id of the day, when the shop turned it on.
    pub did: Option<String>,
    /// Page path.
    pub path: String,
    /// How long before `sent_at` it happened.
    pub offset_ms: u64,
    /// Properties as JSON text.
    pub props: Option<String>,
    /// What a `review` or `survey` event carries, checked.
    pub extra: Extra,
}

/// Typed content of special events.
#[derive(Debug, Clone, PartialEq)]
pub enum Extra {
    /// An ordinary event.
    None,
    /// A product review (`type: "review"`).
    Review(ReviewData),
    /// A survey step (`type: "survey"`).
    Survey(SurveyData),
}

/// A review as the SDK sends it (already validated and scrubbed on the device; checked again).
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewData {
    /// The product.
    pub product_id: String,
    /// 1–5.
    pub rating: u8,
    /// Title.
    pub title: Option<String>,
    /// Body.
    pub body: Option<String>,
    /// Would recommend.
    pub recommend: Option<bool>,
    /// Nickname.
    pub nickname: Option<String>,
}

/// A survey step: shown, answered, dismissed or completed.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyData {
    /// The survey.
    pub survey_id: String,
    /// `shown`, `answered`, `dismissed`, `completed`.
    pub step: String,
    /// The question (answers only).
    pub question_id: Option<String>,
    /// nps, csat, ces, single, multiple, text (answers only).
    pub question_type: Option<String>,
    /// The score or option index.
    pub score: Option<f64>,
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            let cut: String = s.chars().take(40).collect();
            serde_json::to_string(&cut).unwrap_or_default()
        }
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

fn err(field: &str, expected: &str, got: Option<&Value>) -> String {
    match got {
        Some(v) => format!("{field}: expected {expected}, got {}", describe(v)),
        None => format!("{field}: expected {expected}, got nothing"),
    }
}

fn token(s: &str, max: usize, extra: &[u8]) -> bool {
    !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_alphanumeric() || extra.contains(&b))
}

fn uint(obj: &Map<String, Value>, field: &str, path: &str, max: u64) -> Result<u64, String> {
    match obj.get(field) {
        Some(Value::Number(n)) if n.as_u64().is_some_and(|x| x <= max) => Ok(n.as_u64().unwrap_or(0)),
        // JSON numbers like 12.0 are integers too.
        Some(Value::Number(n)) if n.as_f64().is_some_and(|f| f >= 0.0 && f.fract() == 0.0 && f <= max as f64) => {
            Ok(n.as_f64().unwrap_or(0.0) as u64)
        }
        other => Err(err(path, &format!("an integer from 0 to {max}"), other)),
    }
}

fn string<'a>(
    obj: &'a Map<String, Value>,
    field: &str,
    path: &str,
    expected: &str,
    ok: impl Fn(&str) -> bool,
) -> Result<&'a str, String> {
    match obj.get(field) {
        Some(Value::String(s)) if ok(s) => Ok(s),
        other => Err(err(path, expected, other)),
    }
}

fn opt_text(o: &Map<String, Value>, k: &str, at: &str, max: usize) -> Result<Option<String>, String> {
    match o.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.chars().count() <= max => Ok(Some(s.clone())),
        other => Err(err(&format!("{at}.{k}"), &format!("a string of at most {max} characters"), other)),
    }
}

fn review_data(props: Option<&Value>, at: &str) -> Result<ReviewData, String> {
    let Some(Value::Object(o)) = props else { return Err(err(at, "an object with product_id and rating", props)) };
    let product_id =
        string(o, "product_id", &format!("{at}.product_id"), "a product id of 1 to 128 characters", |s| {
            !s.is_empty() && s.len() <= 128
        })?
        .to_string();
    let rating = match o.get("rating").and_then(Value::as_u64) {
        Some(r @ 1..=5) => r,
        _ => return Err(err(&format!("{at}.rating"), "an integer from 1 to 5", o.get("rating"))),
    };
    let body = opt_text(o, "body", at, 5000)?;
    if body.as_ref().is_some_and(|b| b.chars().count() < 20) {
        return Err(err(&format!("{at}.body"), "nothing, or 20 to 5000 characters", o.get("body")));
    }
    let recommend = match o.get("recommend") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        other => return Err(err(&format!("{at}.recommend"), "true or false", other)),
    };
    Ok(ReviewData {
        product_id,
        rating: rating as u8,
        title: opt_text(o, "title", at, 120)?,
        body,
        recommend,
        nickname: opt_text(o, "nickname", at, 40)?,
    })
}

fn survey_data(props: Option<&Value>, at: &str) -> Result<SurveyData, String> {
    let Some(Value::Object(o)) = props else { return Err(err(at, "an object with survey_id and step", props)) };
    let survey_id = string(o, "survey_id", &format!("{at}.survey_id"), "a survey id of 1 to 64 characters", |s| {
        !s.is_empty() && s.len() <= 64
    })?
    .to_string();
    let step = string(o, "step", &format!("{at}.step"), "one of shown, answered, dismissed, completed", |s| {
        matches!(s, "shown" | "answered" | "dismissed" | "completed")
    })?
    .to_string();
    let (mut question_id, mut question_type, mut score) = (None, None, None);
    if step == "answered" {
        question_id = Some(
            string(o, "question_id", &format!("{at}.question_id"), "a question id", |s| {
                !s.is_empty() && s.len() <= 64
            })?
            .to_string(),
        );
        let t = string(
            o,
            "question_type",
            &format!("{at}.question_type"),
            "one of nps, csat, ces, single, multiple, text",
            |s| matches!(s, "nps" | "csat" | "ces" | "single" | "multiple" | "text"),
        )?
        .to_string();
        let range = match t.as_str() {
            "nps" => Some((0.0, 10.0)),
            "csat" => Some((1.0, 5.0)),
            "ces" => Some((1.0, 7.0)),
            _ => None,
        };
        if let Some((lo, hi)) = range {
            match o.get("score").and_then(Value::as_f64) {
                Some(x) if x.fract() == 0.0 && x >= lo && x <= hi => score = Some(x),
                _ => return Err(err(&format!("{at}.score"), &format!("an integer from {lo} to {hi}"), o.get("score"))),
            }
        }
        question_type = Some(t);
    }
    Ok(SurveyData { survey_id, step, question_id, question_type, score })
}

/// Parses and validates a batch body.
pub fn parse_batch(body: &[u8]) -> Result<Batch, String> {
    if body.len() > MAX_BODY_BYTES {
        return Err(format!("body: expected at most {MAX_BODY_BYTES} bytes, got {}", body.len()));
    }
    let root: Value =
        serde_json::from_slice(body).map_err(|e| format!("body: expected JSON, got a syntax error ({e})"))?;
    let Value::Object(root) = root else {
        return Err(err("body", "a JSON object", Some(&root)));
    };
    match root.get("v") {
        Some(Value::Number(n)) if n.as_u64() == Some(1) => {}
        other => return Err(err("v", "1 (the wire format version)", other)),
    }
    let sdk = string(&root, "sdk", "sdk", "a string of at most 64 characters", |s| !s.is_empty() && s.len() <= 64)?
        .to_string();
    let site = match root.get("site") {
        None => String::new(),
        Some(Value::String(s)) if s.is_empty() || token(s, 64, b"-_") => s.clone(),
        other => return Err(err("site", "a site key of at most 64 letters, digits, '-' or '_'", other)),
    };
    let sent_at = uint(&root, "sent_at", "sent_at", u64::MAX >> 11)?;
    let mut dropped = Vec::new();
    match root.get("dropped") {
        None => {}
        Some(Value::Object(m)) => {
            for reason in m.keys() {
                let path = format!("dropped.{reason}");
                if !token(reason, 32, b"_") {
                    return Err(format!("{path}: expected a reason of at most 32 letters, digits or '_'"));
                }
                dropped.push((reason.clone(), uint(m, reason, &path, u32::MAX as u64)?));
            }
        }
        other => return Err(err("dropped", "an object of counts", other)),
    }
    let events = match root.get("events") {
        Some(Value::Array(a)) if a.len() <= MAX_EVENTS => a,
        Some(Value::Array(a)) => {
            return Err(format!("events: expected at most {MAX_EVENTS} events per batch, got {}", a.len()))
        }
        other => return Err(err("events", "an array", other)),
    };
    let mut out = Vec::with_capacity(events.len());
    for (i, ev) in events.iter().enumerate() {
        let p = |f: &str| format!("events[{i}].{f}");
        let Value::Object(e) = ev else {
            return Err(err(&format!("events[{i}]"), "an object", Some(ev)));
        };
        let id = string(e, "id", &p("id"), "an id of 8 to 64 letters, digits, '-' or '_'", |s| {
            s.len() >= 8 && token(s, 64, b"-_")
        })?;
        let kind = string(e, "type", &p("type"), "an event type of at most 32 lower-case letters or '_'", |s| {
            !s.is_empty() && s.len() <= 32 && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        })?;
        let name = match e.get("name") {
            None if kind == "track" => return Err(err(&p("name"), "a name (track events need one)", None)),
            None => None,
            Some(Value::String(s)) if !s.is_empty() && s.chars().count() <= 200 => Some(s.clone()),
            other => return Err(err(&p("name"), "a string of 1 to 200 characters", other)),
        };
        let sid = string(e, "sid", &p("sid"), "a session id of 8 to 64 letters, digits, '-' or '_'", |s| {
            s.len() >= 8 && token(s, 64, b"-_")
        })?;
        let did = match e.get("did") {
            None => None,
            Some(Value::String(s)) if s.len() >= 8 && token(s, 64, b"-_") => Some(s.clone()),
            other => return Err(err(&p("did"), "a device id of 8 to 64 letters, digits, '-' or '_'", other)),
        };
        let path = string(e, "path", &p("path"), "a path starting with '/' (at most 2048 characters)", |s| {
            s.starts_with('/') && s.len() <= 2048
        })?;
        let offset_ms = uint(e, "offset_ms", &p("offset_ms"), MAX_OFFSET_MS)?;
        let props = match e.get("props") {
            None | Some(Value::Null) => None,
            Some(v @ Value::Object(_)) => {
                let text = v.to_string();
                if text.len() > MAX_PROPS_BYTES {
                    return Err(format!(
                        "{}: expected at most {MAX_PROPS_BYTES} bytes of JSON, got {}",
                        p("props"),
                        text.len()
                    ));
                }
                Some(text)
            }
            other => return Err(err(&p("props"), "an object", other)),
        };
        let extra = match kind {
            "review" => Extra::Review(review_data(e.get("props"), &p("props"))?),
            "survey" => Extra::Survey(survey_data(e.get("props"), &p("props"))?),
            _ => Extra::None,
        };
        out.push(Event {
            id: id.to_string(),
            kind: kind.to_string(),
            name,
            sid: sid.to_string(),
            did,
            path: path.to_string(),
            offset_ms,
            props,
            extra,
        });
    }
    Ok(Batch { sdk, site, sent_at, dropped, events: out })
}
