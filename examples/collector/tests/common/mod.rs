//! Shared by the collector's test files: a temporary directory, the real router on a fresh
//! database, and a request helper.
//!
//! The database is a fresh SQLite file, or, when `VITRINA_TEST_PG` holds a PostgreSQL
//! connection string (`host=… port=… user=… dbname=…`; `scripts/test.sh` starts a server and
//! runs the suite again with it), a fresh schema of that server: the same tests on both.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use vitrina_collector::{app, Options};

/// A temporary directory, removed on drop.
pub struct Tmp(pub std::path::PathBuf);
impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh directory for one test.
pub fn tmp(name: &str) -> Tmp {
    let dir = std::env::temp_dir().join(format!("vitrina-collector-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Tmp(dir)
}

/// Points `opts` at a fresh PostgreSQL schema named after the test when `VITRINA_TEST_PG` is set
/// (else it keeps its SQLite file).
pub async fn backend(opts: &mut Options, name: &str) {
    let Ok(base) = std::env::var("VITRINA_TEST_PG") else { return };
    let schema: String = format!("t_{name}_{}", std::process::id())
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let (client, conn) =
        tokio_postgres::connect(&base, tokio_postgres::NoTls).await.expect("VITRINA_TEST_PG: cannot connect");
    tokio::spawn(conn);
    client
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"))
        .await
        .expect("cannot make the test schema");
    opts.postgres = Some(format!("{base} options='-c search_path={schema}'"));
}

/// The router on a fresh database, options adjusted by `f`.
pub async fn setup_with(name: &str, f: impl FnOnce(&mut Options)) -> (axum::Router, Tmp) {
    let t = tmp(name);
    let mut opts = Options::with_db(t.0.join("t.db"));
    f(&mut opts);
    backend(&mut opts, name).await;
    (app(&opts).await.unwrap(), t)
}

/// Sends a request; the status and the JSON answer (`Null` if it is not JSON).
pub async fn call(app: &axum::Router, req: Request<Body>) -> (StatusCode, Value) {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}
