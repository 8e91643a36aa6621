//! SQLite storage (WAL). Each event id is stored once: a batch sent twice, or an event that
//! arrives both by a cancelled fetch and by a beacon, is not duplicated.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

use crate::validate::Batch;

/// The event store.
pub struct Store {
    conn: Mutex<Connection>,
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
  props       TEXT
);
CREATE INDEX IF NOT EXISTS events_type ON events(type);
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
        Ok(Store { conn: Mutex::new(conn) })
    }

    /// Stores a valid batch in one transaction; `now_ms` is the collector's clock.
    pub fn insert(&self, batch: &Batch, now_ms: u64) -> rusqlite::Result<Stored> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn.transaction()?;
        let mut accepted = 0;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR IGNORE INTO events (id, type, name, site, sid, path, ts, client_ts, received_at, sdk, props)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            for e in &batch.events {
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
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let mut stmt = conn.prepare_cached(
            "SELECT id, type, name, site, sid, path, ts, client_ts, received_at, sdk, props FROM events
             WHERE (?1 IS NULL OR type = ?1) ORDER BY seq LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![kind, limit], |r| {
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
