//! PostgreSQL storage: the same tables and answers as the SQLite store, for several stateless
//! collector instances behind a load balancer sharing one database. `--db postgres://…` (or a
//! `host=… user=…` connection string). Each instance keeps a few connections and hands a request
//! the next free one; a batch is one transaction: its events in one statement (arrays through
//! UNNEST, in batch order), reviews and survey steps pipelined.

use std::sync::atomic::{AtomicUsize, Ordering};

use futures_util::future::try_join_all;
use serde_json::{json, Value};
use tokio::sync::Mutex;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, NoTls};

type Param<'a> = &'a (dyn ToSql + Sync);

use crate::store::{review_page, survey_summary, ReviewPage, Storage, Stored};
use crate::validate::{Batch, Extra};

/// Connections per collector instance.
pub const CONNECTIONS: usize = 4;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS events (
  seq         BIGSERIAL PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  type        TEXT NOT NULL,
  name        TEXT,
  site        TEXT NOT NULL,
  sid         TEXT NOT NULL,
  path        TEXT NOT NULL,
  ts          BIGINT NOT NULL,
  client_ts   BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  sdk         TEXT NOT NULL,
  props       TEXT,
  did         TEXT
);
CREATE INDEX IF NOT EXISTS events_type ON events(type);
CREATE TABLE IF NOT EXISTS reviews (
  id          TEXT PRIMARY KEY,
  site        TEXT NOT NULL,
  product_id  TEXT NOT NULL,
  rating      BIGINT NOT NULL,
  title       TEXT,
  body        TEXT,
  recommend   BOOLEAN,
  nickname    TEXT,
  state       TEXT NOT NULL,
  created_at  BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS reviews_product ON reviews(product_id, state);
CREATE TABLE IF NOT EXISTS survey_steps (
  id            TEXT PRIMARY KEY,
  site          TEXT NOT NULL,
  survey_id     TEXT NOT NULL,
  step          TEXT NOT NULL,
  question_id   TEXT,
  question_type TEXT,
  score         DOUBLE PRECISION,
  ts            BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS survey_steps_survey ON survey_steps(survey_id, step);
CREATE TABLE IF NOT EXISTS client_drops (
  site        TEXT NOT NULL,
  reason      TEXT NOT NULL,
  count       BIGINT NOT NULL,
  received_at BIGINT NOT NULL
);
";

/// The PostgreSQL event store.
pub struct PgStore {
    clients: Vec<Mutex<Client>>,
    next: AtomicUsize,
    /// New reviews are approved at once (demo) instead of waiting for moderation.
    pub auto_approve: bool,
}

fn db(e: tokio_postgres::Error) -> String {
    // the server's own message when there is one ("relation … does not exist"), not just "db error"
    match e.as_db_error() {
        Some(d) => d.message().to_string(),
        None => e.to_string(),
    }
}

impl PgStore {
    /// Connects ([`CONNECTIONS`] connections) and creates the tables if needed (under an
    /// advisory lock, so instances starting together do not race).
    pub async fn connect(config: &str) -> Result<PgStore, String> {
        let mut clients = Vec::new();
        for _ in 0..CONNECTIONS {
            let (client, connection) = tokio_postgres::connect(config, NoTls).await.map_err(db)?;
            tokio::spawn(async move {
                if let Err(e) = connection.await {
                    eprintln!("postgres connection: {e}");
                }
            });
            clients.push(Mutex::new(client));
        }
        {
            let c = clients[0].lock().await;
            c.batch_execute("SELECT pg_advisory_lock(716254)").await.map_err(db)?;
            let made = c.batch_execute(SCHEMA).await.map_err(db);
            c.batch_execute("SELECT pg_advisory_unlock(716254)").await.map_err(db)?;
            made?;
        }
        Ok(PgStore { clients, next: AtomicUsize::new(0), auto_approve: false })
    }

    async fn query(&self, kind: Option<&str>, from_ms: i64, to_ms: i64, limit: u32) -> Result<Vec<Value>, String> {
        let c = self.client().await;
        let rows = c
            .query(
                "SELECT id, type, name, site, sid, path, ts, client_ts, received_at, sdk, props, did FROM events
                 WHERE ($1::TEXT IS NULL OR type = $1) AND ts >= $2 AND ts < $3 ORDER BY seq LIMIT $4",
                &[&kind, &from_ms, &to_ms, &i64::from(limit)],
            )
            .await
            .map_err(db)?;
        Ok(rows
            .iter()
            .map(|r| {
                let props: Option<String> = r.get(10);
                json!({
                    "id": r.get::<_, String>(0),
                    "type": r.get::<_, String>(1),
                    "name": r.get::<_, Option<String>>(2),
                    "site": r.get::<_, String>(3),
                    "sid": r.get::<_, String>(4),
                    "path": r.get::<_, String>(5),
                    "ts": r.get::<_, i64>(6),
                    "client_ts": r.get::<_, i64>(7),
                    "received_at": r.get::<_, i64>(8),
                    "sdk": r.get::<_, String>(9),
                    "did": r.get::<_, Option<String>>(11),
                    "props": props.and_then(|p| serde_json::from_str::<Value>(&p).ok()),
                })
            })
            .collect())
    }

    /// A connection: the next one round-robin, or any free one.
    async fn client(&self) -> tokio::sync::MutexGuard<'_, Client> {
        for c in &self.clients {
            if let Ok(g) = c.try_lock() {
                return g;
            }
        }
        self.clients[self.next.fetch_add(1, Ordering::Relaxed) % self.clients.len()].lock().await
    }
}

impl Storage for PgStore {
    async fn insert(&self, batch: &Batch, now_ms: u64) -> Result<Stored, String> {
        let mut c = self.client().await;
        let tx = c.transaction().await.map_err(db)?;
        let ev = tx
            .prepare(
                "INSERT INTO events (id, type, name, site, sid, path, ts, client_ts, received_at, sdk, props, did)
                 SELECT id, type, name, $4, sid, path, ts, client_ts, $9, $10, props, did
                 FROM UNNEST($1::TEXT[], $2::TEXT[], $3::TEXT[], $5::TEXT[], $6::TEXT[], $7::BIGINT[], $8::BIGINT[],
                             $11::TEXT[], $12::TEXT[])
                      WITH ORDINALITY AS t(id, type, name, sid, path, ts, client_ts, props, did, n)
                 ORDER BY n
                 ON CONFLICT (id) DO NOTHING",
            )
            .await
            .map_err(db)?;
        let review = tx
            .prepare(
                "INSERT INTO reviews (id, site, product_id, rating, title, body, recommend, nickname, state, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING",
            )
            .await
            .map_err(db)?;
        let survey = tx
            .prepare(
                "INSERT INTO survey_steps (id, site, survey_id, step, question_id, question_type, score, ts)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
            )
            .await
            .map_err(db)?;
        let state = if self.auto_approve { "approved" } else { "pending" };
        let received = now_ms as i64;
        let rows: Vec<(i64, i64)> = batch
            .events
            .iter()
            .map(|e| (now_ms.saturating_sub(e.offset_ms) as i64, batch.sent_at.saturating_sub(e.offset_ms) as i64))
            .collect();
        let ratings: Vec<i64> = batch
            .events
            .iter()
            .map(|e| if let Extra::Review(r) = &e.extra { i64::from(r.rating) } else { 0 })
            .collect();
        // the extra rows first (their ids are the events' ids), then the events, all pipelined
        let mut extras = Vec::new();
        for ((e, (ts, _)), rating) in batch.events.iter().zip(&rows).zip(&ratings) {
            let params: Vec<Param> = match &e.extra {
                Extra::Review(r) => {
                    vec![
                        &e.id,
                        &batch.site,
                        &r.product_id,
                        rating,
                        &r.title,
                        &r.body,
                        &r.recommend,
                        &r.nickname,
                        &state,
                        ts,
                    ]
                }
                Extra::Survey(v) => {
                    vec![&e.id, &batch.site, &v.survey_id, &v.step, &v.question_id, &v.question_type, &v.score, ts]
                }
                Extra::None => continue,
            };
            let stmt = if matches!(e.extra, Extra::Review(_)) { &review } else { &survey };
            extras.push(tx.execute_raw(stmt, params));
        }
        try_join_all(extras).await.map_err(db)?;
        // the events: one statement for the whole batch (arrays, UNNEST), not one per event
        let col = |f: fn(&crate::validate::Event) -> Option<String>| {
            batch.events.iter().map(f).collect::<Vec<Option<String>>>()
        };
        let ids = col(|e| Some(e.id.clone()));
        let kinds = col(|e| Some(e.kind.clone()));
        let names = col(|e| e.name.clone());
        let sids = col(|e| Some(e.sid.clone()));
        let paths = col(|e| Some(e.path.clone()));
        let props = col(|e| e.props.clone());
        let dids = col(|e| e.did.clone());
        let tss: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let client_tss: Vec<i64> = rows.iter().map(|r| r.1).collect();
        let inserted = tx
            .execute(
                &ev,
                &[
                    &ids,
                    &kinds,
                    &names,
                    &batch.site,
                    &sids,
                    &paths,
                    &tss,
                    &client_tss,
                    &received,
                    &batch.sdk,
                    &props,
                    &dids,
                ],
            )
            .await
            .map_err(db)?;
        for (reason, n) in &batch.dropped {
            tx.execute(
                "INSERT INTO client_drops (site, reason, count, received_at) VALUES ($1, $2, $3, $4)",
                &[&batch.site, reason, &(*n as i64), &received],
            )
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        let accepted = inserted as usize;
        Ok(Stored { accepted, duplicates: batch.events.len() - accepted })
    }

    async fn list(&self, kind: Option<&str>, limit: u32) -> Result<Vec<Value>, String> {
        self.query(kind, i64::MIN, i64::MAX, limit).await
    }

    async fn window(&self, from_ms: i64, to_ms: i64) -> Result<Vec<Value>, String> {
        self.query(None, from_ms, to_ms, crate::store::MAX_WINDOW).await
    }

    async fn drops(&self) -> Result<Vec<(String, i64)>, String> {
        let c = self.client().await;
        let rows = c
            .query("SELECT reason, SUM(count)::BIGINT FROM client_drops GROUP BY reason ORDER BY reason", &[])
            .await
            .map_err(db)?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    async fn count(&self) -> Result<i64, String> {
        let c = self.client().await;
        c.query_one("SELECT COUNT(*) FROM events", &[]).await.map(|r| r.get(0)).map_err(db)
    }

    async fn reviews(&self, product: &str, page: u32, per_page: u32) -> Result<ReviewPage, String> {
        let c = self.client().await;
        let mut histogram = [0i64; 5];
        let rows = c
            .query(
                "SELECT rating, COUNT(*) FROM reviews WHERE product_id = $1 AND state = 'approved' GROUP BY rating",
                &[&product],
            )
            .await
            .map_err(db)?;
        for r in rows {
            let (rating, n): (i64, i64) = (r.get(0), r.get(1));
            if (1..=5).contains(&rating) {
                histogram[(rating - 1) as usize] = n;
            }
        }
        let rows = c
            .query(
                "SELECT id, rating, title, body, recommend, nickname, created_at FROM reviews
                 WHERE product_id = $1 AND state = 'approved' ORDER BY created_at DESC, id LIMIT $2 OFFSET $3",
                &[&product, &i64::from(per_page), &(i64::from(page) * i64::from(per_page))],
            )
            .await
            .map_err(db)?;
        let reviews = rows
            .iter()
            .map(|r| {
                json!({
                    "id": r.get::<_, String>(0),
                    "rating": r.get::<_, i64>(1),
                    "title": r.get::<_, Option<String>>(2),
                    "body": r.get::<_, Option<String>>(3),
                    "recommend": r.get::<_, Option<bool>>(4),
                    "nickname": r.get::<_, Option<String>>(5),
                    "created_at": r.get::<_, i64>(6),
                })
            })
            .collect();
        Ok(review_page(histogram, reviews))
    }

    async fn moderate(&self, id: &str, approved: bool) -> Result<bool, String> {
        let c = self.client().await;
        let state = if approved { "approved" } else { "rejected" };
        let n = c.execute("UPDATE reviews SET state = $2 WHERE id = $1", &[&id, &state]).await.map_err(db)?;
        Ok(n > 0)
    }

    async fn pending_reviews(&self) -> Result<Vec<Value>, String> {
        let c = self.client().await;
        let rows = c
            .query(
                "SELECT id, product_id, rating, title, body, nickname FROM reviews WHERE state = 'pending' ORDER BY created_at",
                &[],
            )
            .await
            .map_err(db)?;
        Ok(rows
            .iter()
            .map(|r| {
                json!({
                    "id": r.get::<_, String>(0), "product_id": r.get::<_, String>(1), "rating": r.get::<_, i64>(2),
                    "title": r.get::<_, Option<String>>(3), "body": r.get::<_, Option<String>>(4), "nickname": r.get::<_, Option<String>>(5),
                })
            })
            .collect())
    }

    async fn survey_results(&self, survey: &str) -> Result<Value, String> {
        let c = self.client().await;
        let mut scores = Vec::new();
        for kind in ["nps", "csat", "ces"] {
            let rows = c
                .query(
                    "SELECT score FROM survey_steps WHERE survey_id = $1 AND step = 'answered' AND question_type = $2 AND score IS NOT NULL",
                    &[&survey, &kind],
                )
                .await
                .map_err(db)?;
            scores.push(rows.iter().map(|r| r.get::<_, f64>(0)).collect::<Vec<f64>>());
        }
        let mut steps = [0i64; 3];
        for (i, step) in ["shown", "dismissed", "completed"].iter().enumerate() {
            steps[i] = c
                .query_one("SELECT COUNT(*) FROM survey_steps WHERE survey_id = $1 AND step = $2", &[&survey, step])
                .await
                .map(|r| r.get(0))
                .map_err(db)?;
        }
        Ok(survey_summary(survey, &scores[0], &scores[1], &scores[2], steps))
    }
}
