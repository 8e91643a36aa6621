//! The events Vitrina records, and how one is written into a batch.

use crate::core::value::{write_num, write_str};

/// What kind of event this is. The wire name is [`EventType::as_str`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    /// A page view: on load, on each SPA navigation, or from `page()`.
    Page,
    /// A custom event from `track(name, props)`.
    Track,
    /// A friction finding; the name is the signal (`rage_click`, ...).
    Friction,
    /// A product review the shopper submitted (props: product_id, rating, title, body, ...).
    Review,
    /// A survey step: shown, answered, dismissed, completed (props: survey_id, step, ...).
    Survey,
    /// A content-slot count: a variant shown, or converted (props: slot, variant, by, shown
    /// or converted).
    Slot,
}

impl EventType {
    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<EventType> {
        Some(match s {
            "page" => EventType::Page,
            "track" => EventType::Track,
            "friction" => EventType::Friction,
            "review" => EventType::Review,
            "survey" => EventType::Survey,
            "slot" => EventType::Slot,
            _ => return None,
        })
    }

    /// The `type` field on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Page => "page",
            EventType::Track => "track",
            EventType::Friction => "friction",
            EventType::Review => "review",
            EventType::Survey => "survey",
            EventType::Slot => "slot",
        }
    }
}

/// One recorded event, waiting in the outbox.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Unique id (22 URL-safe base64 chars); the collector stores each id once.
    pub id: String,
    /// Page view, custom event, ...
    pub kind: EventType,
    /// The event name (`Product Viewed`); empty for page views.
    pub name: String,
    /// The anonymous session id.
    pub sid: String,
    /// The device id of the day (empty unless the shop turned `device_id` on).
    pub did: String,
    /// The page path (query only if the shop opted in).
    pub path: String,
    /// When it happened, client clock, ms since the Unix epoch.
    pub at_ms: f64,
    /// Custom properties as a JSON object, already scrubbed and serialized (empty: none).
    /// Kept as text so a stored outbox is restored without parsing JSON in the wasm.
    pub props: String,
}

impl Event {
    /// Appends this event as JSON, with its time as `offset_ms` before `sent_at_ms`
    /// (the collector subtracts it from its own clock, which corrects client clock skew).
    pub fn write_json(&self, sent_at_ms: f64, out: &mut String) {
        out.push_str("{\"id\":");
        write_str(&self.id, out);
        out.push_str(",\"type\":\"");
        out.push_str(self.kind.as_str());
        out.push('"');
        if !self.name.is_empty() {
            out.push_str(",\"name\":");
            write_str(&self.name, out);
        }
        out.push_str(",\"sid\":");
        write_str(&self.sid, out);
        if !self.did.is_empty() {
            out.push_str(",\"did\":");
            write_str(&self.did, out);
        }
        out.push_str(",\"path\":");
        write_str(&self.path, out);
        out.push_str(",\"offset_ms\":");
        write_num((sent_at_ms - self.at_ms).max(0.0).round(), out);
        if !self.props.is_empty() && self.props != "{}" {
            out.push_str(",\"props\":");
            out.push_str(&self.props);
        }
        out.push('}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_json_has_offset_and_omits_empty_fields() {
        let e = Event {
            id: "AAAAAAAAAAAAAAAAAAAAAA".into(),
            kind: EventType::Page,
            name: String::new(),
            sid: "s1".into(),
            did: String::new(),
            path: "/".into(),
            at_ms: 1000.4,
            props: String::new(),
        };
        let mut s = String::new();
        e.write_json(3000.0, &mut s);
        assert_eq!(s, r#"{"id":"AAAAAAAAAAAAAAAAAAAAAA","type":"page","sid":"s1","path":"/","offset_ms":2000}"#);
    }

    #[test]
    fn track_event_carries_name_and_props_and_offset_never_negative() {
        let e = Event {
            id: "x".into(),
            kind: EventType::Track,
            name: "Product Viewed".into(),
            sid: "s".into(),
            did: "d".into(),
            path: "/p".into(),
            at_ms: 5000.0,
            props: r#"{"price":79.95}"#.into(),
        };
        let mut s = String::new();
        e.write_json(4000.0, &mut s); // client clock went backwards
        assert_eq!(
            s,
            r#"{"id":"x","type":"track","name":"Product Viewed","sid":"s","did":"d","path":"/p","offset_ms":0,"props":{"price":79.95}}"#
        );
    }
}
