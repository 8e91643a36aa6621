//! The SDK's configuration: parsed and validated from the object the shop passes to `init`.
//!
//! Every problem is reported as a [`ConfigError`] naming the field, what was expected and what was
//! given, e.g. `endpoint: expected an http(s) URL, got "ftp://x"`. Unknown options are errors too,
//! so a typo such as `flushIntervalMs` is caught at integration time instead of silently ignored.

use crate::core::friction::{FrictionConfig, SIGNALS};
use crate::core::privacy::ConsentMode;
use crate::core::survey::SurveyDef;
use crate::core::value::{join, write_num, write_str, write_u64, Value};

/// Validated SDK configuration. Units are in the names.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Base URL of the collector, without a trailing slash. Batches go to `{endpoint}/v1/batch`.
    pub endpoint: String,
    /// The site key the collector knows this shop by (may be empty for a single-site collector).
    pub site_key: String,
    /// Send a batch as soon as this many events are queued (1–500, default 20).
    pub max_batch_events: usize,
    /// Send queued events at most this long after the first of them was queued
    /// (100–600 000 ms, default 5000).
    pub flush_interval_ms: u32,
    /// Record a page view on load and on every SPA navigation (default true).
    pub auto_page_views: bool,
    /// Keep the query string in page paths (default false: queries often carry personal data).
    pub capture_query: bool,
    /// Log every decision to the console (default false: the SDK is silent).
    pub debug: bool,
    /// Send a device id that rotates every UTC day, kept in localStorage (default false).
    pub device_id: bool,
    /// Show the surveys the collector serves (`GET {endpoint}/v1/surveys`; `surveys: true`,
    /// default false).
    pub surveys: bool,
    /// Survey definitions given in the config itself (`surveys: [ … ]`).
    pub survey_defs: Vec<SurveyDef>,
    /// The on-device profile's half-life: an interaction weighs half as much after this many
    /// days (0.1–365, default 14).
    pub half_life_days: f64,
    /// Send the (scrubbed) text of clicked elements with click findings (default false);
    /// `data-vitrina-mask` on an element or an ancestor masks it.
    pub capture_text: bool,
    /// Detect navigation friction (default true).
    pub friction_enabled: bool,
    /// The friction rules' numbers and switched-off signals.
    pub friction: FrictionConfig,
    /// Opt-in (nothing before consent) or opt-out (default).
    pub consent_mode: ConsentMode,
    /// Treat Global Privacy Control / Do Not Track as a refusal (default true).
    pub honor_gpc: bool,
    /// Extra query keys whose values are always redacted (lower case).
    pub sensitive_query_keys: Vec<String>,
    /// Cap on the stored outbox (bytes, default 512 KiB); beyond it the oldest events are
    /// dropped and counted (`queue_full`).
    pub max_queue_bytes: usize,
    /// Sampling rates (0–1) by event type (`page`, `track`, `friction`) or name
    /// (`Product Viewed`, `dead_click`); a name wins over its type. Unlisted: 1.
    pub sampling: Vec<(String, f64)>,
}

/// What a survey definition in the config must be.
const SURVEY_EXPECTED: &str =
    "a survey with a unique id, 1 to 20 questions (id, type, text) and valid targeting and caps (see the README's Surveys; the collector's --surveys check names the exact field)";

impl Config {
    /// The defaults for everything but `endpoint`.
    pub fn with_endpoint(endpoint: &str) -> Config {
        Config {
            endpoint: endpoint.trim_end_matches('/').to_string(),
            site_key: String::new(),
            max_batch_events: 20,
            flush_interval_ms: 5000,
            auto_page_views: true,
            capture_query: false,
            debug: false,
            device_id: false,
            capture_text: false,
            surveys: false,
            survey_defs: Vec::new(),
            half_life_days: 14.0,
            friction_enabled: true,
            friction: FrictionConfig::default(),
            consent_mode: ConsentMode::OptOut,
            honor_gpc: true,
            sensitive_query_keys: Vec::new(),
            sampling: Vec::new(),
            max_queue_bytes: 512 * 1024,
        }
    }

    /// Validates a config object.
    pub fn from_value(v: &Value) -> Result<Config, ConfigError> {
        let fields = match v {
            Value::Obj(fields) => fields,
            other => return Err(ConfigError::new("config", "an object", other)),
        };
        for (key, _) in fields {
            if !KNOWN.contains(&key.as_str()) {
                return Err(ConfigError {
                    field: key.clone(),
                    expected: "a known option (".to_string() + &join(KNOWN, ", ") + ")",
                    got: "an unknown option".to_string(),
                });
            }
        }
        let endpoint = match v.get("endpoint") {
            Some(Value::Str(s)) if is_http_url(s) => s.trim_end_matches('/').to_string(),
            Some(other) => return Err(ConfigError::new("endpoint", "an http(s) URL", other)),
            None => return Err(ConfigError::missing("endpoint", "an http(s) URL")),
        };
        let mut c = Config::with_endpoint(&endpoint);
        if let Some(val) = present(v, "site_key") {
            match val {
                Value::Str(s) if s.len() <= 64 && s.bytes().all(is_key_byte) => c.site_key = s.clone(),
                other => {
                    return Err(ConfigError::new(
                        "site_key",
                        "a string of at most 64 letters, digits, '-' or '_'",
                        other,
                    ))
                }
            }
        }
        if let Some(val) = present(v, "max_batch_events") {
            c.max_batch_events = int_in(val, "max_batch_events", 1, 500)? as usize;
        }
        if let Some(val) = present(v, "flush_interval_ms") {
            c.flush_interval_ms = int_in(val, "flush_interval_ms", 100, 600_000)?;
        }
        if let Some(val) = present(v, "auto_page_views") {
            c.auto_page_views = boolean(val, "auto_page_views")?;
        }
        if let Some(val) = present(v, "capture_query") {
            c.capture_query = boolean(val, "capture_query")?;
        }
        if let Some(val) = present(v, "debug") {
            c.debug = boolean(val, "debug")?;
        }
        if let Some(val) = present(v, "device_id") {
            c.device_id = boolean(val, "device_id")?;
        }
        if let Some(val) = present(v, "surveys") {
            match val {
                // Read with the browser's reader: a definition that does not read is named by its
                // index (the collector's `--surveys` check names the exact field).
                Value::Arr(items) => {
                    for (i, item) in items.iter().enumerate() {
                        match SurveyDef::read_one(item) {
                            Some(d) if !c.survey_defs.iter().any(|o| o.id == d.id) => c.survey_defs.push(d),
                            _ => {
                                let mut field = String::from("surveys[");
                                write_u64(i as u64, &mut field);
                                field.push(']');
                                return Err(ConfigError::new(&field, SURVEY_EXPECTED, item));
                            }
                        }
                    }
                }
                Value::Bool(b) => c.surveys = *b,
                other => return Err(ConfigError::new("surveys", "true, false or an array of surveys", other)),
            }
        }
        if let Some(val) = present(v, "capture_text") {
            c.capture_text = boolean(val, "capture_text")?;
        }
        if let Some(val) = present(v, "friction") {
            parse_friction(val, &mut c)?;
        }
        if let Some(val) = present(v, "consent_mode") {
            c.consent_mode = match val.as_str() {
                Some("opt_in") => ConsentMode::OptIn,
                Some("opt_out") => ConsentMode::OptOut,
                _ => return Err(ConfigError::new("consent_mode", "\"opt_in\" or \"opt_out\"", val)),
            };
        }
        if let Some(val) = present(v, "max_queue_bytes") {
            c.max_queue_bytes = int_in(val, "max_queue_bytes", 16 * 1024, 5 * 1024 * 1024)? as usize;
        }
        if let Some(val) = present(v, "honor_gpc") {
            c.honor_gpc = boolean(val, "honor_gpc")?;
        }
        if let Some(val) = present(v, "sensitive_query_keys") {
            let expected = "an array of query key names (strings of 1 to 64 characters)";
            let Value::Arr(items) = val else { return Err(ConfigError::new("sensitive_query_keys", expected, val)) };
            for item in items {
                match item {
                    Value::Str(k) if !k.is_empty() && k.len() <= 64 => {
                        c.sensitive_query_keys.push(k.to_ascii_lowercase())
                    }
                    other => return Err(ConfigError::new("sensitive_query_keys", expected, other)),
                }
            }
        }
        if let Some(val) = present(v, "half_life_days") {
            match val {
                Value::Num(d) if (0.1..=365.0).contains(d) => c.half_life_days = *d,
                other => return Err(ConfigError::new("half_life_days", "a number of days from 0.1 to 365", other)),
            }
        }
        if let Some(val) = present(v, "sampling") {
            let Value::Obj(rates) = val else {
                return Err(ConfigError::new("sampling", "an object of rates, e.g. { friction: 0.5 }", val));
            };
            for (k, r) in rates {
                match r {
                    Value::Num(x) if (0.0..=1.0).contains(x) => c.sampling.push((k.clone(), *x)),
                    other => {
                        return Err(ConfigError::new(&(String::from("sampling.") + k), "a number from 0 to 1", other))
                    }
                }
            }
        }
        Ok(c)
    }
}

/// Every option `init` accepts.
pub const KNOWN: &[&str] = &[
    "endpoint",
    "site_key",
    "max_batch_events",
    "flush_interval_ms",
    "auto_page_views",
    "capture_query",
    "debug",
    "device_id",
    "capture_text",
    "surveys",
    "friction",
    "consent_mode",
    "honor_gpc",
    "sensitive_query_keys",
    "sampling",
    "max_queue_bytes",
    "half_life_days",
];

/// A numeric friction option: name, min, max, integer only, and where it goes.
type NumOpt = (&'static str, f64, f64, bool, fn(&mut FrictionConfig, f64));

/// Per signal, its numeric options (SIGNALS.md defaults live in `FrictionConfig::default`).
fn friction_options(signal: &str) -> &'static [NumOpt] {
    match signal {
        "rage_click" => &[
            ("min_clicks", 2.0, 20.0, true, |c, v| c.rage_min_clicks = v as u32),
            ("max_distance_px", 1.0, 500.0, false, |c, v| c.rage_max_distance_px = v),
            ("max_gap_ms", 50.0, 10_000.0, false, |c, v| c.rage_max_gap_ms = v),
        ],
        "dead_click" => &[
            ("mutation_window_ms", 100.0, 30_000.0, false, |c, v| c.dead_mutation_window_ms = v),
            ("scroll_window_ms", 0.0, 5_000.0, false, |c, v| c.dead_scroll_window_ms = v),
            ("focus_window_ms", 0.0, 10_000.0, false, |c, v| c.dead_focus_window_ms = v),
            ("repeat_ms", 0.0, 10_000.0, false, |c, v| c.dead_repeat_ms = v),
        ],
        "error_click" => &[("window_ms", 0.0, 10_000.0, false, |c, v| c.error_click_window_ms = v)],
        "quick_back" => &[("max_dwell_ms", 100.0, 600_000.0, false, |c, v| c.quick_back_max_dwell_ms = v)],
        "scroll_hunt" => &[
            ("min_distance_px", 10.0, 10_000.0, false, |c, v| c.scroll_min_distance_px = v),
            ("reversals", 1.0, 20.0, true, |c, v| c.scroll_reversals = v as u32),
            ("window_ms", 100.0, 60_000.0, false, |c, v| c.scroll_window_ms = v),
        ],
        "form_abandon" => &[("idle_ms", 1_000.0, 86_400_000.0, false, |c, v| c.form_idle_ms = v)],
        "long_task" => &[("min_duration_ms", 50.0, 10_000.0, false, |c, v| c.long_task_min_ms = v)],
        "js_error" => &[("max_message_chars", 20.0, 2_000.0, true, |c, v| c.max_message_chars = v as usize)],
        _ => &[],
    }
}

/// `friction: false`, `friction: true`, or `friction: { enabled, rage_click: { max_gap_ms: 800 },
/// dead_click: false, ... }`.
fn parse_friction(v: &Value, c: &mut Config) -> Result<(), ConfigError> {
    let fields = match v {
        Value::Bool(b) => {
            c.friction_enabled = *b;
            return Ok(());
        }
        Value::Obj(fields) => fields,
        other => return Err(ConfigError::new("friction", "true, false or an object", other)),
    };
    for (key, val) in fields {
        let path = String::from("friction.") + key;
        if key == "enabled" {
            c.friction_enabled = boolean(val, &path)?;
            continue;
        }
        let Some(signal) = SIGNALS.iter().find(|s| **s == key.as_str()) else {
            return Err(ConfigError {
                field: path,
                expected: "a known option (enabled, ".to_string() + &join(&SIGNALS, ", ") + ")",
                got: "an unknown option".to_string(),
            });
        };
        let opts = friction_options(signal);
        match val {
            Value::Null | Value::Bool(true) => {}
            Value::Bool(false) => c.friction.disabled.push(signal),
            Value::Obj(sub) => {
                for (name, x) in sub {
                    let sub_path = path.clone() + "." + name;
                    let Some((_, min, max, int, set)) = opts.iter().find(|o| o.0 == name.as_str()) else {
                        let names: Vec<&str> = opts.iter().map(|o| o.0).collect();
                        return Err(ConfigError {
                            field: sub_path,
                            expected: if names.is_empty() {
                                "no options here (use true or false)".to_string()
                            } else {
                                "a known option (".to_string() + &join(&names, ", ") + ")"
                            },
                            got: "an unknown option".to_string(),
                        });
                    };
                    match x {
                        Value::Num(n) if *n >= *min && *n <= *max && (!int || n.fract() == 0.0) => {
                            set(&mut c.friction, *n)
                        }
                        other => {
                            let mut expected = String::from(if *int { "an integer from " } else { "a number from " });
                            write_num(*min, &mut expected);
                            expected.push_str(" to ");
                            write_num(*max, &mut expected);
                            return Err(ConfigError::new(&sub_path, &expected, other));
                        }
                    }
                }
            }
            other => return Err(ConfigError::new(&path, "true, false or an object of options", other)),
        }
    }
    Ok(())
}

/// A config value that is present and not `null`/`undefined` (those mean "use the default").
#[inline(never)]
fn present<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.get(key).filter(|x| !matches!(x, Value::Null))
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

#[inline(never)]
fn int_in(v: &Value, field: &str, min: u32, max: u32) -> Result<u32, ConfigError> {
    match v {
        Value::Num(n) if n.fract() == 0.0 && *n >= min as f64 && *n <= max as f64 => Ok(*n as u32),
        other => {
            let mut expected = String::from("an integer from ");
            write_u64(min as u64, &mut expected);
            expected.push_str(" to ");
            write_u64(max as u64, &mut expected);
            Err(ConfigError::new(field, &expected, other))
        }
    }
}

#[inline(never)]
fn boolean(v: &Value, field: &str) -> Result<bool, ConfigError> {
    match v {
        Value::Bool(b) => Ok(*b),
        other => Err(ConfigError::new(field, "true or false", other)),
    }
}

/// `http://` or `https://` followed by a host.
fn is_http_url(s: &str) -> bool {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(r) => {
            let host = r.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !host.contains(char::is_whitespace) && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// A bad config: which field, what was expected, what was given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The option's name (`"endpoint"`), or `"config"` when the whole config is wrong.
    pub field: String,
    /// What a valid value looks like.
    pub expected: String,
    /// The value given, as the shop developer would recognise it (`"ftp://x"`, `42`, `nothing`).
    pub got: String,
}

impl ConfigError {
    #[inline(never)]
    fn new(field: &str, expected: &str, got: &Value) -> ConfigError {
        ConfigError { field: field.to_string(), expected: expected.to_string(), got: describe(got) }
    }

    fn missing(field: &str, expected: &str) -> ConfigError {
        ConfigError { field: field.to_string(), expected: expected.to_string(), got: "nothing".to_string() }
    }

    /// `field: expected X, got Y` (`, got Y` left out when nothing more is known).
    pub fn message(&self) -> String {
        let mut m = String::with_capacity(self.field.len() + self.expected.len() + self.got.len() + 16);
        m.push_str(&self.field);
        m.push_str(": expected ");
        m.push_str(&self.expected);
        if !self.got.is_empty() {
            m.push_str(", got ");
            m.push_str(&self.got);
        }
        m
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ConfigError {}

/// A short, recognisable rendering of a value for error messages.
#[inline(never)]
fn describe(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Str(s) => {
            let cut: String = s.chars().take(60).collect();
            write_str(&cut, &mut out);
            if cut.len() < s.len() {
                out.insert(out.len() - 1, '…');
            }
        }
        Value::Num(n) => write_num(*n, &mut out),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        other => out.push_str(other.kind()),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(fields: &[(&str, Value)]) -> Value {
        Value::Obj(fields.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }
    fn s(x: &str) -> Value {
        Value::Str(x.into())
    }
    fn err(v: Value) -> String {
        Config::from_value(&v).unwrap_err().message()
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let c = Config::from_value(&obj(&[("endpoint", s("https://c.example.com/"))])).unwrap();
        assert_eq!(c, Config::with_endpoint("https://c.example.com"));
        assert_eq!(c.max_batch_events, 20);
        assert_eq!(c.flush_interval_ms, 5000);
        assert!(c.auto_page_views && !c.capture_query && !c.debug);
    }

    #[test]
    fn every_option_is_read() {
        let c = Config::from_value(&obj(&[
            ("endpoint", s("http://127.0.0.1:8080")),
            ("site_key", s("shop-1")),
            ("max_batch_events", Value::Num(5.0)),
            ("flush_interval_ms", Value::Num(250.0)),
            ("auto_page_views", Value::Bool(false)),
            ("capture_query", Value::Bool(true)),
            ("debug", Value::Bool(true)),
        ]))
        .unwrap();
        assert_eq!(c.site_key, "shop-1");
        assert_eq!(c.max_batch_events, 5);
        assert_eq!(c.flush_interval_ms, 250);
        assert!(!c.auto_page_views && c.capture_query && c.debug);
    }

    #[test]
    fn null_means_default() {
        let c = Config::from_value(&obj(&[("endpoint", s("https://x.io")), ("debug", Value::Null)])).unwrap();
        assert!(!c.debug);
    }

    #[test]
    fn endpoint_errors_name_the_field_and_the_value() {
        assert_eq!(err(obj(&[("endpoint", s("ftp://x"))])), r#"endpoint: expected an http(s) URL, got "ftp://x""#);
        assert_eq!(err(obj(&[])), "endpoint: expected an http(s) URL, got nothing");
        assert_eq!(err(obj(&[("endpoint", Value::Num(3.0))])), "endpoint: expected an http(s) URL, got 3");
        assert_eq!(err(obj(&[("endpoint", s("https://"))])), r#"endpoint: expected an http(s) URL, got "https://""#);
        assert_eq!(
            err(obj(&[("endpoint", s("https://a b.com"))])),
            r#"endpoint: expected an http(s) URL, got "https://a b.com""#
        );
    }

    #[test]
    fn numbers_must_be_integers_in_range() {
        let base = |k: &str, v: Value| obj(&[("endpoint", s("https://x.io")), (k, v)]);
        assert_eq!(
            err(base("max_batch_events", Value::Num(0.0))),
            "max_batch_events: expected an integer from 1 to 500, got 0"
        );
        assert_eq!(
            err(base("max_batch_events", Value::Num(501.0))),
            "max_batch_events: expected an integer from 1 to 500, got 501"
        );
        assert_eq!(
            err(base("max_batch_events", Value::Num(2.5))),
            "max_batch_events: expected an integer from 1 to 500, got 2.5"
        );
        assert_eq!(
            err(base("flush_interval_ms", s("5000"))),
            r#"flush_interval_ms: expected an integer from 100 to 600000, got "5000""#
        );
        assert!(Config::from_value(&base("max_batch_events", Value::Num(500.0))).is_ok());
        assert!(Config::from_value(&base("flush_interval_ms", Value::Num(100.0))).is_ok());
    }

    #[test]
    fn booleans_and_site_key_are_checked() {
        let base = |k: &str, v: Value| obj(&[("endpoint", s("https://x.io")), (k, v)]);
        assert_eq!(err(base("debug", s("yes"))), r#"debug: expected true or false, got "yes""#);
        assert_eq!(err(base("auto_page_views", Value::Num(1.0))), "auto_page_views: expected true or false, got 1");
        assert_eq!(
            err(base("surveys", Value::Num(1.0))),
            "surveys: expected true, false or an array of surveys, got 1"
        );
        let defs = crate::core::json::parse(
            r#"[{"id": "a", "questions": [{"id": "q", "type": "nps", "text": "¿Nos recomendarías?"}]},
                {"id": "b", "questions": [{"id": "q", "type": "stars", "text": "?"}]}]"#,
        )
        .unwrap();
        let e = Config::from_value(&base("surveys", defs.clone())).unwrap_err();
        assert_eq!(e.field, "surveys[1]", "the definition at fault is named by its index");
        assert!(e.message().starts_with("surveys[1]: expected a survey with a unique id"), "{}", e.message());
        let Value::Arr(mut items) = defs else { unreachable!() };
        items.truncate(1);
        let c = Config::from_value(&base("surveys", Value::Arr(items.clone()))).unwrap();
        assert_eq!((c.surveys, c.survey_defs.len(), c.survey_defs[0].id.as_str()), (false, 1, "a"));
        items.push(items[0].clone());
        let e = Config::from_value(&base("surveys", Value::Arr(items))).unwrap_err();
        assert_eq!(e.field, "surveys[1]", "a repeated id is named too");
        assert!(Config::from_value(&base("surveys", Value::Bool(true))).unwrap().surveys);
        assert_eq!(
            err(base("site_key", s("has space"))),
            r#"site_key: expected a string of at most 64 letters, digits, '-' or '_', got "has space""#
        );
    }

    #[test]
    fn friction_options_are_read_and_signals_can_be_switched_off() {
        let c = Config::from_value(&obj(&[
            ("endpoint", s("https://x.io")),
            (
                "friction",
                obj(&[
                    ("rage_click", obj(&[("max_gap_ms", Value::Num(800.0)), ("min_clicks", Value::Num(4.0))])),
                    ("dead_click", Value::Bool(false)),
                    ("vital", Value::Bool(true)),
                    ("form_abandon", obj(&[("idle_ms", Value::Num(60_000.0))])),
                ]),
            ),
        ]))
        .unwrap();
        assert!(c.friction_enabled);
        assert_eq!(c.friction.rage_max_gap_ms, 800.0);
        assert_eq!(c.friction.rage_min_clicks, 4);
        assert_eq!(c.friction.form_idle_ms, 60_000.0);
        assert_eq!(c.friction.disabled, vec!["dead_click"]);
        assert_eq!(c.friction.rage_max_distance_px, 30.0, "untouched options keep SIGNALS.md defaults");
        let off =
            Config::from_value(&obj(&[("endpoint", s("https://x.io")), ("friction", Value::Bool(false))])).unwrap();
        assert!(!off.friction_enabled);
        let off2 = Config::from_value(&obj(&[
            ("endpoint", s("https://x.io")),
            ("friction", obj(&[("enabled", Value::Bool(false))])),
        ]))
        .unwrap();
        assert!(!off2.friction_enabled);
    }

    #[test]
    fn friction_errors_name_the_full_path() {
        let f = |v: Value| err(obj(&[("endpoint", s("https://x.io")), ("friction", v)]));
        assert_eq!(
            f(obj(&[("rage_click", obj(&[("max_gap_ms", s("1s"))]))])),
            r#"friction.rage_click.max_gap_ms: expected a number from 50 to 10000, got "1s""#
        );
        assert_eq!(
            f(obj(&[("scroll_hunt", obj(&[("reversals", Value::Num(2.5))]))])),
            "friction.scroll_hunt.reversals: expected an integer from 1 to 20, got 2.5"
        );
        assert!(f(obj(&[("rage_clicks", Value::Bool(true))]))
            .starts_with("friction.rage_clicks: expected a known option (enabled, rage_click,"));
        assert_eq!(
            f(obj(&[("rage_click", obj(&[("gap", Value::Num(1.0))]))])),
            "friction.rage_click.gap: expected a known option (min_clicks, max_distance_px, max_gap_ms), got an unknown option"
        );
        assert_eq!(
            f(obj(&[("vital", obj(&[("x", Value::Num(1.0))]))])),
            "friction.vital.x: expected no options here (use true or false), got an unknown option"
        );
        assert_eq!(f(s("yes")), r#"friction: expected true, false or an object, got "yes""#);
        assert_eq!(f(obj(&[("enabled", Value::Num(1.0))])), "friction.enabled: expected true or false, got 1");
        assert_eq!(
            f(obj(&[("js_error", Value::Num(1.0))])),
            "friction.js_error: expected true, false or an object of options, got 1"
        );
    }

    #[test]
    fn privacy_and_sampling_options_are_read_and_checked() {
        let c = Config::from_value(&obj(&[
            ("endpoint", s("https://x.io")),
            ("consent_mode", s("opt_in")),
            ("honor_gpc", Value::Bool(false)),
            ("sensitive_query_keys", Value::Arr(vec![s("Member"), s("ref_id")])),
            ("sampling", obj(&[("friction", Value::Num(0.25)), ("Product Viewed", Value::Num(1.0))])),
        ]))
        .unwrap();
        assert_eq!(c.consent_mode, ConsentMode::OptIn);
        assert!(!c.honor_gpc);
        assert_eq!(c.sensitive_query_keys, vec!["member", "ref_id"]);
        assert_eq!(c.sampling, vec![("friction".to_string(), 0.25), ("Product Viewed".to_string(), 1.0)]);
        let d = Config::with_endpoint("https://x.io");
        assert_eq!((d.consent_mode, d.honor_gpc), (ConsentMode::OptOut, true));
        let base = |k: &str, v: Value| obj(&[("endpoint", s("https://x.io")), (k, v)]);
        assert_eq!(
            err(base("consent_mode", s("maybe"))),
            r#"consent_mode: expected "opt_in" or "opt_out", got "maybe""#
        );
        assert_eq!(
            err(base("sampling", obj(&[("page", Value::Num(1.5))]))),
            "sampling.page: expected a number from 0 to 1, got 1.5"
        );
        assert_eq!(
            err(base("sensitive_query_keys", Value::Arr(vec![Value::Num(1.0)]))),
            "sensitive_query_keys: expected an array of query key names (strings of 1 to 64 characters), got 1"
        );
    }

    #[test]
    fn unknown_options_and_non_objects_are_errors() {
        let m = err(obj(&[("endpoint", s("https://x.io")), ("flushIntervalMs", Value::Num(1.0))]));
        assert!(m.starts_with("flushIntervalMs: expected a known option (endpoint, site_key,"), "{m}");
        assert!(m.ends_with("sampling, max_queue_bytes, half_life_days), got an unknown option"), "{m}");
        assert!(m.contains("device_id, capture_text, surveys"), "{m}");
        assert_eq!(err(s("https://x.io")), r#"config: expected an object, got "https://x.io""#);
        assert_eq!(err(Value::Null), "config: expected an object, got null");
    }
}
