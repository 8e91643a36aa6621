//! Storage behind one trait ([`Storage`]), with SQLite (WAL, embedded: [`Store`]) and
//! PostgreSQL ([`crate::pg::PgStore`], shared by several collector instances). Each event id is
//! stored once: a batch sent twice, or an event that arrives both by a cancelled fetch and by a
//! beacon, is not duplicated.

use std::future::Future;
use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

use crate::validate::{Batch, Extra};

/// What every storage backend does; the collector's handlers only see this.
pub trait Storage: Send + Sync + 'static {
    /// Stores a valid batch in one transaction; `now_ms` is the collector's clock.
    fn insert(&self, batch: &Batch, now_ms: u64) -> impl Future<Output = Result<Stored, String>> + Send;
    /// The stored events, oldest first, optionally of one type.
    fn list(&self, kind: Option<&str>, limit: u32) -> impl Future<Output = Result<Vec<Value>, String>> + Send;
    /// The events with `from_ms <= ts < to_ms` (collector's clock), oldest first, at most
    /// [`MAX_WINDOW`].
    fn window(&self, from_ms: i64, to_ms: i64) -> impl Future<Output = Result<Vec<Value>, String>> + Send;
    /// Total drop counts reported by clients, by reason.
    fn drops(&self) -> impl Future<Output = Result<Vec<(String, i64)>, String>> + Send;
    /// How many events are stored.
    fn count(&self) -> impl Future<Output = Result<i64, String>> + Send;
    /// Approved reviews of `product`, page `page` (0-based) of `per_page`.
    fn reviews(
        &self,
        product: &str,
        page: u32,
        per_page: u32,
    ) -> impl Future<Output = Result<ReviewPage, String>> + Send;
    /// Sets a review's moderation state; false if there is no such review.
    fn moderate(&self, id: &str, approved: bool) -> impl Future<Output = Result<bool, String>> + Send;
    /// Reviews waiting for moderation, oldest first.
    fn pending_reviews(&self) -> impl Future<Output = Result<Vec<Value>, String>> + Send;
    /// A survey's results (see [`survey_summary`]).
    fn survey_results(&self, survey: &str) -> impl Future<Output = Result<Value, String>> + Send;
}

impl Storage for Store {
    async fn insert(&self, batch: &Batch, now_ms: u64) -> Result<Stored, String> {
        Store::insert(self, batch, now_ms).map_err(|e| e.to_string())
    }
    async fn list(&self, kind: Option<&str>, limit: u32) -> Result<Vec<Value>, String> {
        Store::list(self, kind, limit).map_err(|e| e.to_string())
    }
    async fn window(&self, from_ms: i64, to_ms: i64) -> Result<Vec<Value>, String> {
        Store::query(self, None, from_ms, to_ms, MAX_WINDOW).map_err(|e| e.to_string())
    }
    async fn drops(&self) -> Result<Vec<(String, i64)>, String> {
        Store::drops(self).map_err(|e| e.to_string())
    }
    async fn count(&self) -> Result<i64, String> {
        Store::count(self).map_err(|e| e.to_string())
    }
    async fn reviews(&self, product: &str, page: u32, per_page: u32) -> Result<ReviewPage, String> {
        Store::reviews(self, product, page, per_page).map_err(|e| e.to_string())
    }
    async fn moderate(&self, id: &str, approved: bool) -> Result<bool, String> {
        Store::moderate(self, id, approved).map_err(|e| e.to_string())
    }
    async fn pending_reviews(&self) -> Result<Vec<Value>, String> {
        Store::pending_reviews(self).map_err(|e| e.to_string())
    }
    async fn survey_results(&self, survey: &str) -> Result<Value, String> {
        Store::survey_results(self, survey).map_err(|e| e.to_string())
    }
}

/// Events read at most for one metrics window.
pub const MAX_WINDOW: u32 = 2_000_000;

/// The SQLite event store.
pub struct Store {
    conn: Mutex<Connection>,
    /// New reviews are approved at once (demo) instead of waiting for moderation.
    pub auto_approve: bool,
}

/// What storing a batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    /// Events stored for the first time.
    pub accepted: usize,
    /// Events whose id was already stored.
    pub duplicates: usize,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS events (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  id          TEXT NOT NULL UNIQUE,
  type        TEXT NOT NULL,
  name        TEXT,
  site        TEXT NOT NULL,
  sid         TEXT NOT NULL,
  path        TEXT NOT NULL,
  ts          INTEGER NOT NULL,  -- event time on the collector's clock: received_at - offset_ms
  client_ts   INTEGER NOT NULL,  -- event time on the shopper's clock: sent_at - offset_ms
  received_at INTEGER NOT NULL,
  sdk         TEXT NOT NULL,
  props       TEXT,
  did         TEXT               -- device id of the day (optional)
);
CREATE INDEX IF NOT EXISTS events_type ON events(type);
CREATE TABLE IF NOT EXISTS reviews (
  id          TEXT PRIMARY KEY,  -- the event id
  site        TEXT NOT NULL,
  product_id  TEXT NOT NULL,
  rating      INTEGER NOT NULL,
  title       TEXT,
  body        TEXT,
  recommend   INTEGER,
  nickname    TEXT,
  state       TEXT NOT NULL,     -- pending, approved, rejected
  created_at  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS reviews_product ON reviews(product_id, state);
CREATE TABLE IF NOT EXISTS survey_steps (
  id            TEXT PRIMARY KEY,  -- the event id
  site          TEXT NOT NULL,
  survey_id     TEXT NOT NULL,
  step          TEXT NOT NULL,
  question_id   TEXT,
  question_type TEXT,
  score         REAL,
  ts            INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS survey_steps_survey ON survey_steps(survey_id, step);
CREATE TABLE IF NOT EXISTS client_drops (
  site        TEXT NOT NULL,
  reason      TEXT NOT NULL,
  count       INTEGER NOT NULL,
  received_at INTEGER NOT NULL
);
";

impl Store {
    /// Opens (creating if needed) the database at `path`.
    pub fn open(path: &Path) -> rusqlite::Result<Store> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.execute_batch(SCHEMA)?;
        // Databases made before the device id existed get the column.
        let has_did = conn.prepare("SELECT did FROM events LIMIT 0").is_ok();
        if !has_did {
            conn.execute_batch("ALTER TABLE events ADD COLUMN did TEXT")?;
        }
        Ok(Store { conn: Mutex::new(conn), auto_approve: false })
    }

    /// Stores a valid batch in one transaction; `now_ms` is the collector's clock.
    pub fn insert(&self, batch: &Batch, now_ms: u64) -> rusqlite::Result<Stored> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn.transaction()?;
        let mut accepted = 0;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR IGNORE INTO events (id, type, name, site, sid, path, ts, client_ts, received_at, sdk, props, did)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?;
            let mut review = tx.prepare_cached(
                "INSERT OR IGNORE INTO reviews (id, site, product_id, rating, title, body, recommend, nickname, state, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            let mut survey = tx.prepare_cached(
                "INSERT OR IGNORE INTO survey_steps (id, site, survey_id, step, question_id, question_type, score, ts)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            let state = if self.auto_approve { "approved" } else { "pending" };
            for e in &batch.events {
                let ts = now_ms.saturating_sub(e.offset_ms) as i64;
                match &e.extra {
                    Extra::Review(r) => {
                        review.execute(params![
                            e.id,
                            batch.site,
                            r.product_id,
                            r.rating,
                            r.title,
                            r.body,
                            r.recommend,
                            r.nickname,
                            state,
                            ts
                        ])?;
                    }
                    Extra::Survey(v) => {
                        survey.execute(params![
                            e.id,
                            batch.site,
                            v.survey_id,
                            v.step,
                            v.question_id,
                            v.question_type,
                            v.score,
                            ts
                        ])?;
                    }
                    Extra::None => {}
                }
                accepted += stmt.execute(params![
                    e.id,
                    e.kind,
                    e.name,
                    batch.site,
                    e.sid,
                    e.path,
                    now_ms.saturating_sub(e.offset_ms) as i64,
                    batch.sent_at.saturating_sub(e.offset_ms) as i64,
                    now_ms as i64,
                    batch.sdk,
                    e.props,
                    e.did,
                ])?;
            }
            let mut drop_stmt = tx.prepare_cached(
                "INSERT INTO client_drops (site, reason, count, received_at) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (reason, n) in &batch.dropped {
                drop_stmt.execute(params![batch.site, reason, *n as i64, now_ms as i64])?;
            }
        }
        tx.commit()?;
        Ok(Stored { accepted, duplicates: batch.events.len() - accepted })
    }

    /// The stored events, oldest first, optionally of one type.
    pub fn list(&self, kind: Option<&str>, limit: u32) -> rusqlite::Result<Vec<Value>> {
        self.query(kind, i64::MIN, i64::MAX, limit)
    }

    fn query(&self, kind: Option<&str>, from_ms: i64, to_ms: i64, limit: u32) -> rusqlite::Result<Vec<Value>> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let mut stmt = conn.prepare_cached(
            "SELECT id, type, name, site, sid, path, ts, client_ts, received_at, sdk, props, did FROM events
             WHERE (?1 IS NULL OR type = ?1) AND ts >= ?2 AND ts < ?3 ORDER BY seq LIMIT ?4",
        )?;
        let rows = stmt.query_map(params![kind, from_ms, to_ms, limit], |r| {
            let props: Option<String> = r.get(10)?;
            Ok(json!({
                "id": r.get::<_, String>(0)?,
                "type": r.get::<_, String>(1)?,
                "name": r.get::<_, Option<String>>(2)?,
                "site": r.get::<_, String>(3)?,
                "sid": r.get::<_, String>(4)?,
                "path": r.get::<_, String>(5)?,
                "ts": r.get::<_, i64>(6)?,
                "client_ts": r.get::<_, i64>(7)?,
                "received_at": r.get::<_, i64>(8)?,
                "sdk": r.get::<_, String>(9)?,
                "did": r.get::<_, Option<String>>(11)?,
                "props": props.and_then(|p| serde_json::from_str::<Value>(&p).ok()),
            }))
        })?;
        rows.collect()
    }

    /// Total drop counts reported by clients, by reason.
    pub fn drops(&self) -> rusqlite::Result<Vec<(String, i64)>> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let mut stmt =
            conn.prepare_cached("SELECT reason, SUM(count) FROM client_drops GROUP BY reason ORDER BY reason")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    }

    /// How many events are stored.
    pub fn count(&self) -> rusqlite::Result<i64> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        conn.query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0)).optional().map(|c| c.unwrap_or(0))
    }
}

/// One page of approved reviews of a product, with the aggregate over all approved ones.
pub struct ReviewPage {
    /// Approved reviews, newest first.
    pub reviews: Vec<Value>,
    /// How many approved reviews there are.
    pub count: i64,
    /// Average rating (0 when none).
    pub average: f64,
    /// Count per star, 1 to 5.
    pub histogram: [i64; 5],
}

impl Store {
    /// Approved reviews of `product`, page `page` (0-based) of `per_page`.
    pub fn reviews(&self, product: &str, page: u32, per_page: u32) -> rusqlite::Result<ReviewPage> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let mut histogram = [0i64; 5];
        let mut stmt = conn.prepare_cached(
            "SELECT rating, COUNT(*) FROM reviews WHERE product_id = ?1 AND state = 'approved' GROUP BY rating",
        )?;
        let rows = stmt.query_map(params![product], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (rating, n) = row?;
            if (1..=5).contains(&rating) {
                histogram[(rating - 1) as usize] = n;
            }
        }
        let mut stmt = conn.prepare_cached(
            "SELECT id, rating, title, body, recommend, nickname, created_at FROM reviews
             WHERE product_id = ?1 AND state = 'approved' ORDER BY created_at DESC, id LIMIT ?2 OFFSET ?3",
        )?;
        let reviews = stmt
            .query_map(params![product, per_page, page as i64 * per_page as i64], |r| {
                Ok(json!({
                    "id": r.get::<_, String>(0)?,
                    "rating": r.get::<_, i64>(1)?,
                    "title": r.get::<_, Option<String>>(2)?,
                    "body": r.get::<_, Option<String>>(3)?,
                    "recommend": r.get::<_, Option<bool>>(4)?,
                    "nickname": r.get::<_, Option<String>>(5)?,
                    "created_at": r.get::<_, i64>(6)?,
                }))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(review_page(histogram, reviews))
    }

    /// Sets a review's moderation state; false if there is no such review.
    pub fn moderate(&self, id: &str, approved: bool) -> rusqlite::Result<bool> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let n = conn.execute(
            "UPDATE reviews SET state = ?2 WHERE id = ?1",
            params![id, if approved { "approved" } else { "rejected" }],
        )?;
        Ok(n > 0)
    }

    /// Reviews waiting for moderation, oldest first.
    pub fn pending_reviews(&self) -> rusqlite::Result<Vec<Value>> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let mut stmt = conn.prepare_cached(
            "SELECT id, product_id, rating, title, body, nickname FROM reviews WHERE state = 'pending' ORDER BY created_at",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(json!({
                "id": r.get::<_, String>(0)?, "product_id": r.get::<_, String>(1)?, "rating": r.get::<_, i64>(2)?,
                "title": r.get::<_, Option<String>>(3)?, "body": r.get::<_, Option<String>>(4)?, "nickname": r.get::<_, Option<String>>(5)?,
            }))
        })?;
        rows.collect()
    }

    /// NPS (% promoters 9–10 − % detractors 0–6), CSAT (% of 4–5) and CES (average, and % ≥ 5)
    /// over a survey's answers, plus how often it was shown, dismissed and completed.
    pub fn survey_results(&self, survey: &str) -> rusqlite::Result<Value> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let scores = |kind: &str| -> rusqlite::Result<Vec<f64>> {
            let mut stmt = conn.prepare_cached(
                "SELECT score FROM survey_steps WHERE survey_id = ?1 AND step = 'answered' AND question_type = ?2 AND score IS NOT NULL",
            )?;
            let rows = stmt.query_map(params![survey, kind], |r| r.get::<_, f64>(0))?;
            rows.collect()
        };
        let count_step = |step: &str| -> rusqlite::Result<i64> {
            conn.query_row(
                "SELECT COUNT(*) FROM survey_steps WHERE survey_id = ?1 AND step = ?2",
                params![survey, step],
                |r| r.get(0),
            )
        };
        let steps = [count_step("shown")?, count_step("dismissed")?, count_step("completed")?];
        Ok(survey_summary(survey, &scores("nps")?, &scores("csat")?, &scores("ces")?, steps))
    }
}

/// NPS (% promoters 9–10 − % detractors 0–6), CSAT (% of 4–5) and CES (average, and % ≥ 5)
/// from a survey's answer scores, with how often it was shown, dismissed and completed.
pub fn survey_summary(
    survey: &str,
    nps: &[f64],
    csat: &[f64],
    ces: &[f64],
    [shown, dismissed, completed]: [i64; 3],
) -> Value {
    let pct = |part: usize, all: usize| {
        if all == 0 {
            Value::Null
        } else {
            json!(((part as f64 / all as f64) * 1000.0).round() / 10.0)
        }
    };
    let promoters = nps.iter().filter(|s| **s >= 9.0).count();
    let detractors = nps.iter().filter(|s| **s <= 6.0).count();
    let nps_value = if nps.is_empty() {
        Value::Null
    } else {
        json!((((promoters as f64 - detractors as f64) / nps.len() as f64) * 1000.0).round() / 10.0)
    };
    let ces_avg = if ces.is_empty() {
        Value::Null
    } else {
        json!((ces.iter().sum::<f64>() / ces.len() as f64 * 100.0).round() / 100.0)
    };
    json!({
        "survey_id": survey,
        "shown": shown,
        "dismissed": dismissed,
        "completed": completed,
        "nps": { "responses": nps.len(), "promoters": promoters, "detractors": detractors,
                 "passives": nps.len() - promoters - detractors, "score": nps_value },
        "csat": { "responses": csat.len(), "satisfied_percent": pct(csat.iter().filter(|s| **s >= 4.0).count(), csat.len()) },
        "ces": { "responses": ces.len(), "average": ces_avg, "easy_percent": pct(ces.iter().filter(|s| **s >= 5.0).count(), ces.len()) },
    })
}

/// The aggregate of a product's approved reviews from the count per star (1 to 5).
pub fn review_page(histogram: [i64; 5], reviews: Vec<Value>) -> ReviewPage {
    let count: i64 = histogram.iter().sum();
    let sum: i64 = histogram.iter().enumerate().map(|(i, n)| (i as i64 + 1) * n).sum();
    let average = if count > 0 { (sum as f64 / count as f64 * 100.0).round() / 100.0 } else { 0.0 };
    ReviewPage { reviews, count, average, histogram }
}
