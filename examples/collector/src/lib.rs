//! Vitrina's reference collector: receives batches from the SDK, validates them, stores them in
//! SQLite (idempotent on event id), and serves the demo shop and the built SDK.
//!
//! Endpoints:
//! - `POST /v1/batch` — a batch (JSON; `text/plain` or `application/json`). 200 with
//!   `{"accepted":N,"duplicates":M}`; 400 with `{"error":"events[3].offset_ms: expected …"}` when
//!   anything is wrong, and then nothing of the batch is stored.
//! - `GET /v1/events?type=&limit=` — stored events, oldest first (for tests and the curious).
//! - `GET /v1/health` — `{"ok":true,"events":N}`.
//! - `GET /v1/export?format=segment&limit=` — the stored events as a Segment spec batch.
//! - `GET /v1/metrics?from=&to=` — the merchant's numbers (see [`metrics`]).
//! - `GET /dashboard` — the merchant's dashboard (es / en) drawing those numbers.
//! - `GET /demo/slow/{file}?ms=N` — `{www}/img/{file}` served N ms late (demo of a poor LCP).
//! - `/` and `/pkg/` — the demo shop (`--www`) and the built SDK (`--pkg`), when given.

pub mod metrics;
pub mod pg;
pub mod store;
pub mod validate;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

pub use pg::PgStore;
pub use store::{Storage, Store};

/// How the collector is set up.
#[derive(Debug, Clone)]
pub struct Options {
    /// SQLite database file (when `postgres` is not set).
    pub db: PathBuf,
    /// A PostgreSQL connection string (`postgres://user@host/db` or `host=… user=…`): used
    /// instead of SQLite when set.
    pub postgres: Option<String>,
    /// Directory served at `/` (the demo shop).
    pub www: Option<PathBuf>,
    /// Directory served at `/pkg/` (the built SDK).
    pub pkg: Option<PathBuf>,
    /// Origins allowed to send batches from other origins (`*` for any).
    pub allow_origins: Vec<String>,
    /// Enable `POST /v1/faults` (fault injection for tests; never in production).
    pub faults: bool,
    /// Approve new reviews at once (demo) instead of holding them for moderation.
    pub auto_approve: bool,
    /// Bearer token for the moderation endpoints (moderation is off without one).
    pub admin_token: Option<String>,
    /// Survey definitions served at `GET /v1/surveys` (JSON text, validated at startup).
    pub surveys_json: Option<String>,
    /// Site keys and the origin each may send from (`--site KEY=ORIGIN`, repeatable). Empty: any
    /// site key from anywhere (one shop, development).
    pub sites: Vec<(String, String)>,
    /// Events per second accepted per site key (`--rate-limit N`), with a burst of 10 s worth;
    /// beyond it a batch gets 429 with `Retry-After`. Per collector instance.
    pub rate_limit: f64,
}

/// Events per second per site key when `--rate-limit` is not given.
pub const DEFAULT_RATE_LIMIT: f64 = 5000.0;

impl Options {
    /// Options with a database and nothing else.
    pub fn with_db(db: PathBuf) -> Options {
        Options {
            db,
            postgres: None,
            www: None,
            pkg: None,
            allow_origins: Vec::new(),
            faults: false,
            auto_approve: false,
            admin_token: None,
            surveys_json: None,
            sites: Vec::new(),
            rate_limit: DEFAULT_RATE_LIMIT,
        }
    }
}

/// Checks survey definitions with the SDK's own rules; the error names the field.
pub fn check_surveys(text: &str) -> Result<(), String> {
    let v =
        vitrina::core::json::parse(text).map_err(|e| format!("surveys: expected JSON, got a syntax error ({e})"))?;
    vitrina::core::survey::SurveyDef::list_from_value(&v, "surveys").map(|_| ())
}

/// Faults applied to `POST /v1/batch` while set (tests only; see `--faults`).
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Faults {
    /// Answer every batch with this status (500, 503, 429, …) without storing it.
    pub status: Option<u16>,
    /// Send `Retry-After` (seconds) with that status.
    pub retry_after_s: Option<u64>,
    /// Wait this long before handling a batch.
    pub delay_ms: Option<u64>,
    /// Store the batch, then drop the connection before answering (the client cannot know).
    pub drop_after_store: Option<bool>,
    /// Fail this fraction (0–1) of batches with 500, decided by a counter (every n-th).
    pub fail_every: Option<u64>,
}

/// Shared state of the handlers.
pub struct AppState<S> {
    /// The event store.
    pub store: S,
    /// Injected faults (only settable with `--faults`).
    pub faults: std::sync::Mutex<Faults>,
    /// Batches seen (for `fail_every`).
    pub batches_seen: std::sync::atomic::AtomicU64,
    /// Moderation token.
    pub admin_token: Option<String>,
    /// Survey definitions (JSON).
    pub surveys_json: String,
    /// The demo shop's directory, if served.
    pub www: Option<PathBuf>,
    /// Site keys and their origins.
    pub sites: Vec<(String, String)>,
    /// Per site key: tokens (events) left and when they were counted (token bucket).
    pub buckets: std::sync::Mutex<std::collections::HashMap<String, (f64, std::time::Instant)>>,
    /// Events per second per site key.
    pub rate_limit: f64,
}

impl<S> AppState<S> {
    /// Takes `n` events from `site`'s bucket; `Err(seconds)` until enough are back.
    fn take(&self, site: &str, n: usize) -> Result<(), u64> {
        let (rate, burst) = (self.rate_limit, self.rate_limit * 10.0);
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let now = std::time::Instant::now();
        let (tokens, at) = buckets.entry(site.to_string()).or_insert((burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * rate).min(burst);
        *at = now;
        let n = n as f64;
        if n <= *tokens {
            *tokens -= n;
            Ok(())
        } else {
            Err((((n.min(burst) - *tokens) / rate).ceil() as u64).max(1))
        }
    }
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

fn error(status: StatusCode, message: String) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

#[derive(Deserialize)]
struct BatchQuery {
    gz: Option<String>,
}

async fn post_batch<S: Storage>(
    State(state): State<Arc<AppState<S>>>,
    Query(q): Query<BatchQuery>,
    headers: axum::http::HeaderMap,
    body: Body,
) -> Response {
    let gzipped = q.gz.as_deref() == Some("1")
        || headers
            .get(header::CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("gzip"));
    let faults = state.faults.lock().map(|f| f.clone()).unwrap_or_default();
    let n = state.batches_seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
    if let Some(ms) = faults.delay_ms {
        tokio::time::sleep(std::time::Duration::from_millis(ms.min(60_000))).await;
    }
    let forced = faults.status.or(faults.fail_every.filter(|k| *k > 0 && n % k == 0).map(|_| 500));
    if let Some(code) = forced {
        let mut resp =
            error(StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), "injected fault".into());
        if let Some(s) = faults.retry_after_s {
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        return resp;
    }
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let response = store_batch(&state, body, gzipped, origin).await;
    if faults.drop_after_store == Some(true) && response.status().is_success() {
        // Stored, but the client never hears: a body that fails mid-stream drops the connection.
        let failing = futures_util::stream::once(async {
            Err::<Bytes, std::io::Error>(std::io::Error::other("injected connection drop"))
        });
        return Response::new(Body::from_stream(failing));
    }
    response
}

async fn faults_disabled() -> Response {
    error(StatusCode::NOT_FOUND, "fault injection is off (start the collector with --faults)".into())
}

async fn set_faults<S: Storage>(State(state): State<Arc<AppState<S>>>, body: Bytes) -> Response {
    match serde_json::from_slice::<Faults>(&body) {
        Ok(f) => {
            if let Ok(mut cur) = state.faults.lock() {
                *cur = f.clone();
            }
            Json(json!({ "faults": f })).into_response()
        }
        Err(e) => error(StatusCode::BAD_REQUEST, format!("faults: {e}")),
    }
}

/// Reads the body (at most 1 MiB on the wire) and gunzips it when it says so — by
/// `Content-Encoding: gzip` (fetch) or `?gz=1` (sendBeacon cannot set headers). The unzipped
/// body is held to the same 1 MiB, so a small bomb cannot blow up memory.
async fn read_body(body: Body, gzipped: bool) -> Result<Bytes, String> {
    let limit = validate::MAX_BODY_BYTES;
    let raw = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| format!("body: expected at most {limit} bytes, got more"))?;
    if !gzipped {
        return Ok(raw);
    }
    use std::io::Read;
    let mut out = Vec::new();
    let mut decoder = flate2::read::GzDecoder::new(&raw[..]).take(limit as u64 + 1);
    decoder.read_to_end(&mut out).map_err(|e| format!("body: expected gzip data, got an error ({e})"))?;
    if out.len() > limit {
        return Err(format!("body: expected at most {limit} bytes once unzipped, got more"));
    }
    Ok(Bytes::from(out))
}

async fn store_batch<S: Storage>(
    state: &Arc<AppState<S>>,
    body: Body,
    gzipped: bool,
    origin: Option<&str>,
) -> Response {
    let body = match read_body(body, gzipped).await {
        Ok(b) => b,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let batch = match validate::parse_batch(&body) {
        Ok(b) => b,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    // Site keys: a known key, sent from its own origin (browsers always say where a POST comes
    // from; a request without Origin is not from a page and is let through).
    if !state.sites.is_empty() {
        let Some((_, allowed)) = state.sites.iter().find(|(k, _)| *k == batch.site) else {
            return error(StatusCode::FORBIDDEN, format!("site: unknown site key {:?}", batch.site));
        };
        if let Some(o) = origin.filter(|o| o != allowed) {
            return error(StatusCode::FORBIDDEN, format!("origin: {o} may not send for site key {:?}", batch.site));
        }
    }
    if let Err(wait_s) = state.take(&batch.site, batch.events.len()) {
        let mut resp = error(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "rate limit: site key {:?} sends over {} events/s; retry in {wait_s} s",
                batch.site, state.rate_limit
            ),
        );
        resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait_s));
        return resp;
    }
    match state.store.insert(&batch, now_ms()).await {
        Ok(stored) => Json(json!({ "accepted": stored.accepted, "duplicates": stored.duplicates })).into_response(),
        Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, format!("storage: {e}")),
    }
}

#[derive(Deserialize)]
struct SlowQuery {
    ms: Option<u64>,
}

/// Demo only: `/demo/slow/{file}?ms=N` serves `{www}/img/{file}` N ms late (at most 10 s), so
/// the demo shop can show a poor LCP.
async fn slow_image<S: Storage>(
    State(state): State<Arc<AppState<S>>>,
    axum::extract::Path(file): axum::extract::Path<String>,
    Query(q): Query<SlowQuery>,
) -> Response {
    let ms = q.ms.unwrap_or(3000).min(10_000);
    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    let safe = !file.is_empty()
        && file.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        && !file.contains("..");
    let Some(www) = state.www.as_ref().filter(|_| safe) else {
        return error(StatusCode::NOT_FOUND, "no such demo image".into());
    };
    match tokio::fs::read(www.join("img").join(&file)).await {
        Ok(bytes) => {
            let kind = if file.ends_with(".png") { "image/png" } else { "application/octet-stream" };
            ([(header::CONTENT_TYPE, kind)], bytes).into_response()
        }
        Err(_) => error(StatusCode::NOT_FOUND, "no such demo image".into()),
    }
}

#[derive(Deserialize)]
struct ReviewQuery {
    product: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
}

async fn get_reviews<S: Storage>(State(state): State<Arc<AppState<S>>>, Query(q): Query<ReviewQuery>) -> Response {
    let Some(product) = q.product.filter(|p| !p.is_empty() && p.len() <= 128) else {
        return error(StatusCode::BAD_REQUEST, "product: expected a product id, got nothing".into());
    };
    let (page, per_page) = (q.page.unwrap_or(0), q.per_page.unwrap_or(10).clamp(1, 50));
    match state.store.reviews(&product, page, per_page).await {
        Ok(p) => Json(json!({
            "product_id": product,
            "count": p.count,
            "average": p.average,
            "histogram": { "1": p.histogram[0], "2": p.histogram[1], "3": p.histogram[2], "4": p.histogram[3], "5": p.histogram[4] },
            "page": page,
            "per_page": per_page,
            "reviews": p.reviews,
        }))
        .into_response(),
        Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, format!("storage: {e}")),
    }
}

/// `None` when the request carries the admin token, else the error response.
fn unauthorized<S>(state: &AppState<S>, headers: &axum::http::HeaderMap) -> Option<Response> {
    let Some(token) = &state.admin_token else {
        return Some(error(StatusCode::FORBIDDEN, "moderation is off (start the collector with --admin-token)".into()));
    };
    let given =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if given != Some(token.as_str()) {
        return Some(error(StatusCode::UNAUTHORIZED, "authorization: expected Bearer and the admin token".into()));
    }
    None
}

async fn pending_reviews<S: Storage>(
    State(state): State<Arc<AppState<S>>>,
    headers: axum::http::HeaderMap,
) -> Response {
    if let Some(r) = unauthorized(&state, &headers) {
        return r;
    }
    match state.store.pending_reviews().await {
        Ok(list) => Json(json!({ "reviews": list })).into_response(),
        Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, format!("storage: {e}")),
    }
}

#[derive(Deserialize)]
struct Moderation {
    approve: bool,
}

async fn moderate_review<S: Storage>(
    State(state): State<Arc<AppState<S>>>,
    axum::extract::Path(id): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(r) = unauthorized(&state, &headers) {
        return r;
    }
    let Ok(m) = serde_json::from_slice::<Moderation>(&body) else {
        return error(StatusCode::BAD_REQUEST, "body: expected {\"approve\": true|false}".into());
    };
    match state.store.moderate(&id, m.approve).await {
        Ok(true) => Json(json!({ "id": id, "state": if m.approve { "approved" } else { "rejected" } })).into_response(),
        Ok(false) => error(StatusCode::NOT_FOUND, format!("review {id}: no such review")),
        Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, format!("storage: {e}")),
    }
}

async fn get_surveys<S: Storage>(State(state): State<Arc<AppState<S>>>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], state.surveys_json.clone()).into_response()
}

async fn survey_results<S: Storage>(
    State(state): State<Arc<AppState<S>>>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    match state.store.survey_results(&id).await {
        Ok(v) => Json(v).into_response(),
        Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, format!("storage: {e}")),
    }
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(rename = "type")]
    kind: Option<String>,
    limit: Option<u32>,
}

async fn list_events<S: Storage>(State(state): State<Arc<AppState<S>>>, Query(q): Query<ListQuery>) -> Response {
    let limit = q.limit.unwrap_or(1000).min(100_000);
    let kind = q.kind.filter(|k| !k.is_empty());
    match state.store.list(kind.as_deref(), limit).await {
        Ok(events) => Json(json!({ "events": events })).into_response(),
        Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, format!("storage: {e}")),
    }
}

/// The dashboard's files, built into the binary.
async fn dashboard(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    let (kind, body) = match file.as_str() {
        "" | "index.html" => ("text/html; charset=utf-8", include_str!("../dashboard/index.html")),
        "dashboard.js" => ("text/javascript; charset=utf-8", include_str!("../dashboard/dashboard.js")),
        "dashboard.css" => ("text/css; charset=utf-8", include_str!("../dashboard/dashboard.css")),
        _ => return error(StatusCode::NOT_FOUND, format!("dashboard/{file}: no such file")),
    };
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

async fn dashboard_index() -> Response {
    dashboard(axum::extract::Path(String::new())).await
}

#[derive(Deserialize)]
struct MetricsQuery {
    from: Option<i64>,
    to: Option<i64>,
}

/// `GET /v1/metrics?from=&to=` (ms on the collector's clock; default: the last 30 days).
async fn get_metrics<S: Storage>(State(state): State<Arc<AppState<S>>>, Query(q): Query<MetricsQuery>) -> Response {
    let to = q.to.unwrap_or(now_ms() as i64 + 1);
    let from = q.from.unwrap_or(to - 30 * 86_400_000);
    if from >= to {
        return error(StatusCode::BAD_REQUEST, format!("from: expected a time before to ({to}), got {from}"));
    }
    let events = match state.store.window(from, to).await {
        Ok(e) => e,
        Err(e) => return error(StatusCode::SERVICE_UNAVAILABLE, format!("storage: {e}")),
    };
    let ids: std::collections::BTreeSet<&str> =
        events.iter().filter(|e| e["type"] == "survey").filter_map(|e| e["props"]["survey_id"].as_str()).collect();
    let mut surveys = Vec::new();
    for id in ids {
        match state.store.survey_results(id).await {
            Ok(v) => surveys.push(v),
            Err(e) => return error(StatusCode::SERVICE_UNAVAILABLE, format!("storage: {e}")),
        }
    }
    Json(metrics::compute(&events, from, to, surveys)).into_response()
}

#[derive(Deserialize)]
struct ExportQuery {
    format: Option<String>,
    limit: Option<u32>,
}

/// `ms` since the Unix epoch as ISO 8601 UTC (`2026-12-02T01:53:51.123Z`).
pub fn iso8601(ms: i64) -> String {
    let (days, rem) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    // civil from days (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let (h, mi, sec, milli) = (rem / 3_600_000, rem / 60_000 % 60, rem / 1000 % 60, rem % 1000);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{sec:02}.{milli:03}Z")
}

/// A stored event as a Segment spec message: page views as `page`, the rest as `track` (shop
/// events under their own name; friction as `Friction Detected`, reviews as `Product
/// Reviewed`, survey steps as `Survey Step`, slot counts as `Content Slot`), the session id as
/// `anonymousId`, the event id as `messageId`.
pub fn segment_message(e: &serde_json::Value) -> serde_json::Value {
    let props = e["props"].as_object().cloned().unwrap_or_default();
    let kind = e["type"].as_str().unwrap_or("");
    let mut m = json!({
        "messageId": e["id"],
        "anonymousId": e["sid"],
        "timestamp": iso8601(e["ts"].as_i64().unwrap_or(0)),
        "context": { "page": { "path": e["path"] }, "library": { "name": "vitrina", "version": e["sdk"] } },
    });
    if kind == "page" {
        m["type"] = json!("page");
        m["properties"] = json!({ "path": e["path"] });
        return m;
    }
    let mut properties = serde_json::Value::Object(props);
    let event = match kind {
        "track" => e["name"].clone(),
        "friction" => {
            properties["signal"] = e["name"].clone();
            json!("Friction Detected")
        }
        "review" => {
            properties["review_id"] = e["id"].clone();
            json!("Product Reviewed")
        }
        "survey" => json!("Survey Step"),
        "slot" => json!("Content Slot"),
        other => json!(other),
    };
    m["type"] = json!("track");
    m["event"] = event;
    m["properties"] = properties;
    m
}

async fn export<S: Storage>(State(state): State<Arc<AppState<S>>>, Query(q): Query<ExportQuery>) -> Response {
    if q.format.as_deref() != Some("segment") {
        return error(
            StatusCode::BAD_REQUEST,
            format!("format: expected \"segment\", got {:?}", q.format.unwrap_or_default()),
        );
    }
    match state.store.list(None, q.limit.unwrap_or(10_000).min(100_000)).await {
        Ok(events) => Json(json!({ "batch": events.iter().map(segment_message).collect::<Vec<_>>() })).into_response(),
        Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, format!("storage: {e}")),
    }
}

async fn health<S: Storage>(State(state): State<Arc<AppState<S>>>) -> Response {
    match state.store.count().await {
        Ok(n) => Json(json!({ "ok": true, "events": n })).into_response(),
        Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, format!("storage: {e}")),
    }
}

/// Builds the HTTP application on the configured storage: PostgreSQL when `opts.postgres` is
/// set, else SQLite at `opts.db`.
pub async fn app(opts: &Options) -> Result<Router, String> {
    match &opts.postgres {
        Some(config) => {
            let mut store = PgStore::connect(config).await?;
            store.auto_approve = opts.auto_approve;
            Ok(router(store, opts))
        }
        None => {
            let mut store = Store::open(&opts.db).map_err(|e| e.to_string())?;
            store.auto_approve = opts.auto_approve;
            Ok(router(store, opts))
        }
    }
}

fn router<S: Storage>(store: S, opts: &Options) -> Router {
    let state = Arc::new(AppState {
        admin_token: opts.admin_token.clone(),
        surveys_json: opts.surveys_json.clone().unwrap_or_else(|| "[]".into()),
        store,
        www: opts.www.clone(),
        faults: std::sync::Mutex::new(Faults::default()),
        batches_seen: std::sync::atomic::AtomicU64::new(0),
        sites: opts.sites.clone(),
        buckets: Default::default(),
        rate_limit: opts.rate_limit.max(0.001),
    });
    let api = Router::new()
        .route("/v1/batch", post(post_batch::<S>))
        .route("/v1/events", get(list_events::<S>))
        .route("/v1/health", get(health::<S>))
        .route("/v1/export", get(export::<S>))
        .route("/v1/metrics", get(get_metrics::<S>))
        .route("/dashboard", get(dashboard_index))
        .route("/dashboard/", get(dashboard_index))
        .route("/dashboard/{file}", get(dashboard))
        .route("/demo/slow/{file}", get(slow_image::<S>))
        .route("/v1/reviews", get(get_reviews::<S>))
        .route("/v1/reviews/pending", get(pending_reviews::<S>))
        .route("/v1/reviews/{id}/moderate", post(moderate_review::<S>))
        .route("/v1/surveys", get(get_surveys::<S>))
        .route("/v1/surveys/{id}/results", get(survey_results::<S>))
        .route("/v1/faults", if opts.faults { post(set_faults::<S>) } else { post(faults_disabled) })
        // post_batch enforces the body limit itself, to answer with a precise 400.
        .layer(DefaultBodyLimit::disable())
        .with_state(state);
    let mut app = api;
    if let Some(pkg) = &opts.pkg {
        app = app.nest_service("/pkg", ServeDir::new(pkg));
    }
    if let Some(www) = &opts.www {
        app = app.fallback_service(ServeDir::new(www));
    }
    let app =
        app.layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")));
    let origins: Vec<&String> = opts.allow_origins.iter().chain(opts.sites.iter().map(|(_, o)| o)).collect();
    if origins.is_empty() {
        return app;
    }
    let origin = if origins.iter().any(|o| *o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    let cors = CorsLayer::new()
        .allow_origin(origin)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::CONTENT_ENCODING])
        .expose_headers([header::RETRY_AFTER]);
    app.layer(cors)
}
