//! The outbox as text, for localStorage: a header line, then one event per line.
//!
//! ```text
//! vitrina-outbox 1 <heartbeat_ms> <closed: 0|1>
//! <id>\t<type>\t<name>\t<sid>\t<path>\t<at_ms>\t<props JSON>[\t<device id>]
//! ```
//! Backslash, tab and newline inside fields are escaped (`\\`, `\t`, `\n`). Times are whole
//! milliseconds and `props` stays JSON text, so restoring needs no float or JSON parsing (each
//! would cost kilobytes of wasm).

use crate::core::event::{Event, EventType};
use crate::core::value::write_u64;

/// The first word of a stored outbox.
pub const MAGIC: &str = "vitrina-outbox 1";

fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Whole non-negative integers only.
pub fn parse_u64(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 19 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(s.bytes().fold(0u64, |acc, b| acc.wrapping_mul(10).wrapping_add((b - b'0') as u64)))
}

/// Appends one event line (with its trailing newline).
pub fn write_event(e: &Event, out: &mut String) {
    escape(&e.id, out);
    out.push('\t');
    out.push_str(e.kind.as_str());
    for f in [&e.name, &e.sid, &e.path] {
        out.push('\t');
        escape(f, out);
    }
    out.push('\t');
    write_u64(e.at_ms.max(0.0).round() as u64, out);
    out.push('\t');
    escape(&e.props, out);
    if !e.did.is_empty() {
        out.push('\t');
        escape(&e.did, out);
    }
    out.push('\n');
}

/// Reads one event line; `None` if it is damaged.
pub fn read_event(line: &str) -> Option<Event> {
    let mut f = line.split('\t');
    let id = unescape(f.next()?);
    let kind = EventType::parse(f.next()?)?;
    let name = unescape(f.next()?);
    let sid = unescape(f.next()?);
    let path = unescape(f.next()?);
    let at_ms = parse_u64(f.next()?)? as f64;
    let props = unescape(f.next()?);
    let did = f.next().map(unescape).unwrap_or_default();
    if id.is_empty() || sid.is_empty() || !path.starts_with('/') || f.next().is_some() {
        return None;
    }
    Some(Event { id, kind, name, sid, did, path, at_ms, props })
}

/// The header line.
pub fn write_header(heartbeat_ms: f64, closed: bool, out: &mut String) {
    out.push_str(MAGIC);
    out.push(' ');
    write_u64(heartbeat_ms.max(0.0).round() as u64, out);
    out.push_str(if closed { " 1\n" } else { " 0\n" });
}

/// `(heartbeat_ms, closed)` of a stored outbox, `None` if it is not one.
pub fn read_header(text: &str) -> Option<(f64, bool)> {
    let first = text.split('\n').next()?;
    let rest = first.strip_prefix(MAGIC)?.strip_prefix(' ')?;
    let mut parts = rest.split(' ');
    let heartbeat = parse_u64(parts.next()?)? as f64;
    let closed = match parts.next()? {
        "1" => true,
        "0" => false,
        _ => return None,
    };
    Some((heartbeat, closed))
}

/// The events of a stored outbox (damaged lines are skipped).
pub fn read_events(text: &str) -> Vec<Event> {
    text.split('\n').skip(1).filter(|l| !l.is_empty()).filter_map(read_event).collect()
}
