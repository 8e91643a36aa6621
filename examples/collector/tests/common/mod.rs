//! Shared by the collector's test files: a temporary directory, the real router on a fresh
//! SQLite file, and a request helper.
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

/// The router on a fresh database, options adjusted by `f`.
pub fn setup_with(name: &str, f: impl FnOnce(&mut Options)) -> (axum::Router, Tmp) {
    let t = tmp(name);
    let mut opts = Options::with_db(t.0.join("t.db"));
    f(&mut opts);
    (app(&opts).unwrap(), t)
}

/// Sends a request; the status and the JSON answer (`Null` if it is not JSON).
pub async fn call(app: &axum::Router, req: Request<Body>) -> (StatusCode, Value) {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}
