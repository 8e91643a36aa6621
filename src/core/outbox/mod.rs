//! The outbox: events waiting to be sent, the batching rule, and what happens after a send.
//!
//! Rules:
//! - A batch is due when `max_batch_events` events are queued, when `flush_interval_ms` have
//!   passed since the oldest queued event was added, or when the shop calls `flush()`.
//! - One batch is in flight at a time; it holds at most `max_batch_events` events.
//! - A 2xx delivers the batch. A 4xx other than 408 and 429 rejects it: its events are dropped and
//!   counted (`rejected`). Network errors, 5xx, 408 and 429 put the events back at the front of
//!   the queue and retry after an exponential backoff with full jitter (1 s doubling up to
//!   5 min), or after `Retry-After` when the collector sends one.
//! - When the page is hidden or left, everything queued *and* in flight goes out in beacon-sized
//!   bodies (≤ [`BEACON_LIMIT_BYTES`]); the collector is idempotent on event id, so an event sent
//!   both by a late fetch and by the beacon is stored once.
//! - Every dropped event is counted by reason; the counts ride with the next batch and are
//!   forgotten only once that batch is delivered.

pub mod persist;

use crate::core::event::Event;
use crate::core::rng::Rng;
use crate::core::value::{write_str, write_u64};

/// The largest body handed to `navigator.sendBeacon` (browsers refuse more than 64 KiB in flight).
pub const BEACON_LIMIT_BYTES: usize = 60_000;
/// First retry delay.
pub const RETRY_BASE_MS: f64 = 1_000.0;
/// Longest retry delay.
pub const RETRY_CAP_MS: f64 = 300_000.0;

/// How a send ended, as the edge observed it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SendOutcome {
    /// The collector answered with this HTTP status (and `Retry-After` in seconds, if any).
    Status {
        /// HTTP status code.
        code: u16,
        /// The `Retry-After` header in seconds.
        retry_after_s: Option<f64>,
    },
    /// The request never got an answer (offline, DNS, connection reset, CORS).
    NetworkError,
    /// A beacon was accepted by the browser (it will deliver it after the page is gone).
    BeaconQueued,
}

/// What the outbox decided about a finished send.
#[derive(Clone, Debug, PartialEq)]
pub enum Settled {
    /// Delivered: this many events.
    Delivered(usize),
    /// Rejected by the collector: this many events dropped.
    Rejected(usize),
    /// Will retry at this time (ms).
    RetryAt(f64),
    /// The batch id was unknown (already settled).
    Unknown,
}

/// A body to send, with the id the result must be reported under.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    /// Id to report the outcome under.
    pub id: u64,
    /// The JSON body.
    pub body: String,
    /// How many events it carries.
    pub events: usize,
}

/// Reasons an event or a call can be dropped, in the order they are reported.
pub const DROP_REASONS: [&str; DROPS] = ["invalid_call", "rejected", "props_too_large", "sampled", "queue_full"];
/// How many drop reasons there are.
pub const DROPS: usize = 5;
/// A stored outbox whose page has not written it for this long (longer than the longest retry
/// delay) belongs to a page that is gone: another page may adopt its events.
pub const ORPHAN_AFTER_MS: f64 = 6.0 * 60_000.0;
/// The default cap on the outbox's size (bytes of stored text).
pub const DEFAULT_MAX_BYTES: usize = 512 * 1024;

/// A body handed to the edge whose outcome is not known yet.
#[derive(Debug)]
struct Sent {
    id: u64,
    events: Vec<Event>,
    drops: [u64; DROPS],
}

/// The queue of events not yet delivered.
#[derive(Debug)]
pub struct Outbox {
    /// Oldest first (a Vec: a VecDeque's ring-buffer drains cost 1.2 KB of wasm, and the queue
    /// is short).
    queue: Vec<Event>,
    sent: Vec<Sent>,
    fetch_in_flight: Option<u64>,
    oldest_queued_at: Option<f64>,
    retry_at: Option<f64>,
    attempt: u32,
    next_batch_id: u64,
    drops: [u64; DROPS],
    max_batch_events: usize,
    flush_interval_ms: f64,
    /// Events sent by beacon: the browser accepted them, but nobody can tell whether the
    /// collector did. They stay stored so a later page sends them again (the collector keeps
    /// each id once).
    unconfirmed: Vec<Event>,
    max_bytes: usize,
    bytes: usize,
    dirty: bool,
}

/// The envelope fields every batch carries.
#[derive(Clone, Debug)]
pub struct Envelope<'a> {
    /// Site key.
    pub site: &'a str,
    /// SDK name and version.
    pub sdk: &'a str,
}

impl Outbox {
    /// An empty outbox with the batching limits of the config.
    pub fn new(max_batch_events: usize, flush_interval_ms: u32) -> Outbox {
        Outbox {
            queue: Vec::new(),
            sent: Vec::new(),
            fetch_in_flight: None,
            oldest_queued_at: None,
            retry_at: None,
            attempt: 0,
            next_batch_id: 1,
            drops: [0; DROPS],
            max_batch_events: max_batch_events.max(1),
            flush_interval_ms: flush_interval_ms as f64,
            unconfirmed: Vec::new(),
            max_bytes: DEFAULT_MAX_BYTES,
            bytes: 0,
            dirty: false,
        }
    }

    /// Caps the stored size (bytes); the oldest events are dropped (and counted) beyond it.
    pub fn set_max_bytes(&mut self, max_bytes: usize) {
        self.max_bytes = max_bytes.max(1024);
    }

    /// Forgets the retry delay (the network is back).
    pub fn reset_backoff(&mut self) {
        self.attempt = 0;
        self.retry_at = None;
    }

    /// Marks the outbox as changed, so it is stored again.
    pub fn mark_dirty(&mut self) {
        self.dirty = true;
    }

    /// Whether the outbox changed since [`Outbox::snapshot`] was last taken.
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// The outbox as text for storage (see [`persist`]): queued, in-flight and unconfirmed
    /// events. `closed` marks the page as gone, so the next page adopts the events at once.
    pub fn snapshot(&mut self, now: f64, closed: bool) -> String {
        self.dirty = false;
        let mut out = String::new();
        persist::write_header(now, closed, &mut out);
        let mut seen: Vec<&str> = Vec::new();
        let in_flight = self.sent.iter().flat_map(|s| s.events.iter());
        for e in in_flight.chain(self.queue.iter()).chain(self.unconfirmed.iter()) {
            if !seen.contains(&e.id.as_str()) {
                seen.push(&e.id);
                persist::write_event(e, &mut out);
            }
        }
        out
    }

    /// Takes in the events of a stored outbox left by a page that is gone — known `gone` (its
    /// Web Lock is free), marked closed, or silent for [`ORPHAN_AFTER_MS`]; returns how many were
    /// adopted, `None` if the text is not an orphan.
    pub fn adopt(&mut self, now: f64, text: &str, gone: bool) -> Option<usize> {
        let (heartbeat, closed) = persist::read_header(text)?;
        if !gone && !closed && now - heartbeat < ORPHAN_AFTER_MS {
            return None;
        }
        let mut n = 0;
        for e in persist::read_events(text) {
            if !self.queue.iter().any(|q| q.id == e.id) {
                self.push(now, e);
                n += 1;
            }
        }
        Some(n)
    }

    /// Adds an event. Past the byte cap, the oldest queued events are dropped and counted.
    pub fn push(&mut self, now: f64, event: Event) {
        if self.oldest_queued_at.is_none() {
            self.oldest_queued_at = Some(now);
        }
        self.bytes += approx_bytes(&event);
        self.queue.push(event);
        self.dirty = true;
        while self.bytes > self.max_bytes {
            if self.queue.is_empty() {
                break;
            }
            let old = self.queue.remove(0);
            self.bytes = self.bytes.saturating_sub(approx_bytes(&old));
            self.count_drop("queue_full", 1);
        }
    }

    /// Counts a drop under one of [`DROP_REASONS`].
    pub fn count_drop(&mut self, reason: &str, n: u64) {
        if let Some(i) = DROP_REASONS.iter().position(|r| *r == reason) {
            self.drops[i] += n;
        }
    }

    /// Drop counts not yet delivered to the collector, by reason.
    pub fn pending_drops(&self) -> Vec<(&'static str, u64)> {
        DROP_REASONS.iter().zip(self.drops).filter(|(_, n)| *n > 0).map(|(r, n)| (*r, n)).collect()
    }

    /// Forgets every queued event (consent refused): nothing of them is stored or sent.
    pub fn clear(&mut self) {
        self.queue.clear();
        self.unconfirmed.clear();
        self.oldest_queued_at = None;
        self.bytes = 0;
        self.dirty = true;
    }

    /// Events queued (not counting bodies already handed out).
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Whether a fetch is waiting for its result.
    pub fn in_flight(&self) -> bool {
        self.fetch_in_flight.is_some()
    }

    /// When the outbox next needs [`Outbox::poll_batch`] to be called, if ever.
    pub fn poll_timeout(&self) -> Option<f64> {
        if self.fetch_in_flight.is_some() || self.queue.is_empty() {
            return None;
        }
        let due = if self.queue.len() >= self.max_batch_events {
            self.oldest_queued_at
        } else {
            self.oldest_queued_at.map(|t| t + self.flush_interval_ms)
        };
        match (due, self.retry_at) {
            (Some(d), Some(r)) => Some(d.max(r)),
            (d, None) => d,
            (None, r) => r,
        }
    }

    /// The next batch to send by fetch, if one is due now (or `force`d by `flush()`).
    /// A pending retry delay is honoured even when forced.
    pub fn poll_batch(&mut self, now: f64, force: bool, env: &Envelope) -> Option<Batch> {
        if self.fetch_in_flight.is_some() || self.queue.is_empty() {
            return None;
        }
        if matches!(self.retry_at, Some(r) if now < r) {
            return None;
        }
        let full = self.queue.len() >= self.max_batch_events;
        let timed_out = matches!(self.oldest_queued_at, Some(t) if now - t >= self.flush_interval_ms);
        if !(force || full || timed_out) {
            return None;
        }
        let n = self.queue.len().min(self.max_batch_events);
        let rest = self.queue.split_off(n);
        let events = std::mem::replace(&mut self.queue, rest);
        self.oldest_queued_at = if self.queue.is_empty() { None } else { Some(now) };
        self.bytes = self.bytes.saturating_sub(events.iter().map(approx_bytes).sum());
        let parts: Vec<String> = events.iter().map(|e| event_json(e, now)).collect();
        let body = write_batch(env, now, &self.drops, &parts);
        let id = self.new_id();
        self.fetch_in_flight = Some(id);
        self.sent.push(Sent { id, events, drops: self.drops });
        Some(Batch { id, body, events: n })
    }

    /// Everything not yet delivered — queued, and a copy of the fetch in flight (which the page
    /// is about to cancel) — as beacon bodies of at most [`BEACON_LIMIT_BYTES`]. Report each
    /// body's outcome with [`Outbox::settle`]. The collector stores each event id once, so an
    /// event that also arrives by the cancelled fetch is not duplicated.
    pub fn drain_for_beacon(&mut self, now: f64, env: &Envelope) -> Vec<Batch> {
        let mut events: Vec<Event> = Vec::new();
        if let Some(id) = self.fetch_in_flight {
            if let Some(s) = self.sent.iter().find(|s| s.id == id) {
                events.extend(s.events.iter().cloned());
            }
        }
        events.append(&mut self.queue);
        self.oldest_queued_at = None;
        self.bytes = 0;
        let parts: Vec<String> = events.iter().map(|e| event_json(e, now)).collect();
        let mut out = Vec::new();
        let mut drops = self.drops;
        let mut start = 0;
        loop {
            let header = write_batch(env, now, &drops, &[]).len();
            let mut size = header;
            let mut end = start;
            while end < parts.len() && (end == start || size + parts[end].len() < BEACON_LIMIT_BYTES) {
                size += parts[end].len() + 1;
                end += 1;
            }
            if end == start && drops.iter().all(|d| *d == 0) {
                break;
            }
            let body = write_batch(env, now, &drops, &parts[start..end]);
            let id = self.new_id();
            self.sent.push(Sent { id, events: events[start..end].to_vec(), drops });
            out.push(Batch { id, body, events: end - start });
            drops = [0; DROPS]; // drop counts ride with the first body only
            start = end;
            if start >= parts.len() {
                break;
            }
        }
        out
    }

    /// Applies the outcome of a send; `rng` draws the retry jitter.
    pub fn settle(&mut self, now: f64, id: u64, outcome: SendOutcome, rng: &mut Rng) -> Settled {
        let Some(pos) = self.sent.iter().position(|s| s.id == id) else {
            return Settled::Unknown;
        };
        let sent = self.sent.remove(pos);
        self.dirty = true;
        let was_fetch = self.fetch_in_flight == Some(id);
        if was_fetch {
            self.fetch_in_flight = None;
        }
        let n = sent.events.len();
        let retry_after_s = match outcome {
            SendOutcome::Status { code, .. } if (200..300).contains(&code) => {
                return self.delivered(&sent, was_fetch);
            }
            SendOutcome::BeaconQueued => {
                let settled = self.delivered(&sent, was_fetch);
                for e in sent.events {
                    if !self.unconfirmed.iter().any(|u| u.id == e.id) {
                        self.unconfirmed.push(e);
                    }
                }
                // Bounded: the oldest unconfirmed go first.
                let excess = self.unconfirmed.len().saturating_sub(500);
                self.unconfirmed = self.unconfirmed.split_off(excess);
                return settled;
            }
            SendOutcome::Status { code, retry_after_s } if code == 408 || code == 429 || code >= 500 => retry_after_s,
            SendOutcome::Status { .. } => {
                // A 4xx the collector will never accept: drop, count, and move on.
                self.drops[1] += n as u64;
                if was_fetch {
                    self.attempt = 0;
                    self.retry_at = None;
                }
                return Settled::Rejected(n);
            }
            SendOutcome::NetworkError => None,
        };
        // Retry: back to the front of the queue, in their original order.
        self.bytes += sent.events.iter().map(approx_bytes).sum::<usize>();
        let mut queue = sent.events;
        queue.append(&mut self.queue);
        self.queue = queue;
        if !self.queue.is_empty() && self.oldest_queued_at.is_none() {
            self.oldest_queued_at = Some(now);
        }
        let delay = match retry_after_s {
            Some(s) if s.is_finite() && s >= 0.0 => (s * 1000.0).min(RETRY_CAP_MS),
            _ => backoff_ms(self.attempt, rng.next_f64()),
        };
        self.attempt = self.attempt.saturating_add(1);
        let at = now + delay;
        self.retry_at = Some(at);
        Settled::RetryAt(at)
    }

    fn delivered(&mut self, sent: &Sent, was_fetch: bool) -> Settled {
        for (have, reported) in self.drops.iter_mut().zip(sent.drops) {
            *have = have.saturating_sub(reported);
        }
        if was_fetch {
            self.attempt = 0;
            self.retry_at = None;
        }
        Settled::Delivered(sent.events.len())
    }

    /// A body of its own for one event that does not wait in the queue (a review the shopper
    /// submitted), and the id to report its outcome under (outside the outbox: [`Outbox::settle`]
    /// answers `Unknown` for it).
    pub fn single(&mut self, now: f64, env: &Envelope, event: &Event) -> Batch {
        let body = write_batch(env, now, &[0; DROPS], &[event_json(event, now)]);
        Batch { id: self.new_id(), body, events: 1 }
    }

    fn new_id(&mut self) -> u64 {
        let id = self.next_batch_id;
        self.next_batch_id += 1;
        id
    }
}

/// A `Retry-After` header in seconds (HTTP dates are ignored: the backoff applies instead).
pub fn parse_retry_after(header: &str) -> Option<f64> {
    let h = header.trim();
    if h.is_empty() || h.len() > 9 || !h.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    h.bytes().try_fold(0f64, |acc, b| Some(acc * 10.0 + (b - b'0') as f64))
}

/// Full-jitter exponential backoff: a uniform delay in [0, min(cap, base · 2^attempt)).
pub fn backoff_ms(attempt: u32, unit_random: f64) -> f64 {
    let ceiling = (RETRY_BASE_MS * 2f64.powi(attempt.min(30) as i32)).min(RETRY_CAP_MS);
    ceiling * unit_random.clamp(0.0, 1.0)
}

/// About how many bytes an event takes stored.
fn approx_bytes(e: &Event) -> usize {
    e.id.len() + e.name.len() + e.sid.len() + e.path.len() + e.props.len() + 24
}

fn event_json(e: &Event, sent_at: f64) -> String {
    let mut s = String::with_capacity(160);
    e.write_json(sent_at, &mut s);
    s
}

/// `{"v":1,"sdk":…,"site":…,"sent_at":…,"dropped":{…},"events":[…]}`
fn write_batch(env: &Envelope, sent_at: f64, drops: &[u64; DROPS], events: &[String]) -> String {
    let mut out = String::with_capacity(96 + events.iter().map(|e| e.len() + 1).sum::<usize>());
    out.push_str("{\"v\":1,\"sdk\":");
    write_str(env.sdk, &mut out);
    out.push_str(",\"site\":");
    write_str(env.site, &mut out);
    out.push_str(",\"sent_at\":");
    write_u64(sent_at.max(0.0).round() as u64, &mut out);
    if drops.iter().any(|d| *d > 0) {
        out.push_str(",\"dropped\":{");
        let mut first = true;
        for (reason, n) in DROP_REASONS.iter().zip(drops) {
            if *n > 0 {
                if !first {
                    out.push(',');
                }
                first = false;
                write_str(reason, &mut out);
                out.push(':');
                write_u64(*n, &mut out);
            }
        }
        out.push('}');
    }
    out.push_str(",\"events\":[");
    for (i, e) in events.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(e);
    }
    out.push_str("]}");
    out
}

#[cfg(test)]
mod tests;
