//! The collector's HTTP API, exercised through its real router and a real SQLite file.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use vitrina_collector::{app, Options};

mod common;
use common::{backend, call, setup_with, Tmp};

async fn setup(name: &str) -> (axum::Router, Tmp) {
    setup_with(name, |_| {}).await
}

async fn post(app: &axum::Router, body: impl Into<Body>) -> (StatusCode, Value) {
    let req = Request::post("/v1/batch").header("content-type", "text/plain;charset=UTF-8").body(body.into()).unwrap();
    call(app, req).await
}

async fn stored(app: &axum::Router) -> Vec<Value> {
    let (s, v) = call(app, Request::get("/v1/events").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::OK);
    v["events"].as_array().unwrap().clone()
}

fn event(i: usize) -> Value {
    json!({"id": format!("event-id-{i:06}"), "type": "track", "name": "Product Viewed", "sid": "session-0001",
           "path": "/product.html", "offset_ms": 250, "props": {"product_id": "zap-1", "price": 79.95}})
}

fn batch(events: Vec<Value>) -> Value {
    json!({"v": 1, "sdk": "vitrina/0.1.0", "site": "demo", "sent_at": 1_700_000_000_000u64, "events": events})
}

#[tokio::test]
async fn a_valid_batch_is_stored_with_corrected_times() {
    let (app, _t) = setup("valid").await;
    let mut b = batch(vec![
        event(1),
        json!({"id": "page-id-000001", "type": "page", "sid": "session-0001", "did": "device-of-the-day",
               "path": "/", "offset_ms": 1000}),
    ]);
    b["dropped"] = json!({"invalid_call": 2});
    let (s, v) = post(&app, b.to_string()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v, json!({"accepted": 2, "duplicates": 0}));
    let evs = stored(&app).await;
    assert_eq!(evs.len(), 2);
    assert_eq!(evs[0]["name"], "Product Viewed");
    assert_eq!(evs[0]["props"]["price"], 79.95);
    assert_eq!(evs[0]["site"], "demo");
    assert_eq!(evs[0]["client_ts"], 1_700_000_000_000u64 - 250);
    let received = evs[0]["received_at"].as_i64().unwrap();
    assert_eq!(evs[0]["ts"].as_i64().unwrap(), received - 250);
    assert_eq!(evs[1]["type"], "page");
    assert!(evs[1]["name"].is_null());
    assert!(evs[0]["did"].is_null());
    assert_eq!(evs[1]["did"], "device-of-the-day");
}

#[tokio::test]
async fn the_same_batch_twice_is_stored_once() {
    let (app, _t) = setup("twice").await;
    let b = batch((0..5).map(event).collect()).to_string();
    assert_eq!(post(&app, b.clone()).await.1, json!({"accepted": 5, "duplicates": 0}));
    assert_eq!(post(&app, b).await.1, json!({"accepted": 0, "duplicates": 5}));
    // an id repeated inside one batch is also stored once
    assert_eq!(
        post(&app, batch(vec![event(9), event(9)]).to_string()).await.1,
        json!({"accepted": 1, "duplicates": 1})
    );
    assert_eq!(stored(&app).await.len(), 6);
}

async fn rejected(app: &axum::Router, body: impl Into<Body>, expected_error: &str) {
    let (s, v) = post(app, body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let msg = v["error"].as_str().unwrap_or_default();
    assert!(msg.starts_with(expected_error), "error was {msg:?}, expected it to start with {expected_error:?}");
    assert!(stored(app).await.is_empty(), "nothing of a rejected batch is stored");
}

#[tokio::test]
async fn malformed_json_is_a_400_that_says_so() {
    let (app, _t) = setup("malformed").await;
    rejected(&app, "{\"v\":1,", "body: expected JSON, got a syntax error").await;
    rejected(&app, "[]", "body: expected a JSON object, got an array").await;
    rejected(&app, "", "body: expected JSON").await;
}

#[tokio::test]
async fn an_oversized_body_is_a_400() {
    let (app, _t) = setup("oversized").await;
    let mut b = batch(vec![event(1)]);
    b["pad"] = json!("x".repeat(1024 * 1024));
    rejected(&app, b.to_string(), "body: expected at most 1048576 bytes, got more").await;
}

#[tokio::test]
async fn more_than_500_events_is_a_400() {
    let (app, _t) = setup("501").await;
    rejected(
        &app,
        batch((0..501).map(event).collect()).to_string(),
        "events: expected at most 500 events per batch, got 501",
    )
    .await;
    let (s, v) = post(&app, batch((0..500).map(event).collect()).to_string()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["accepted"], 500);
}

#[tokio::test]
async fn wrong_field_types_name_the_field() {
    let (app, _t) = setup("types").await;
    let cases: Vec<(Value, &str)> = vec![
        (json!({"v": 2}), "v: expected 1"),
        (
            {
                let mut b = batch(vec![]);
                b["sent_at"] = json!("now");
                b
            },
            "sent_at: expected an integer from 0 to",
        ),
        (
            {
                let mut b = batch(vec![]);
                b["events"] = json!({});
                b
            },
            "events: expected an array, got an object",
        ),
        (
            {
                let mut b = batch(vec![]);
                b["dropped"] = json!({"rejected": -1});
                b
            },
            "dropped.rejected: expected an integer",
        ),
        (
            {
                let mut e = event(1);
                e["offset_ms"] = json!("250");
                batch(vec![event(0), e])
            },
            "events[1].offset_ms: expected an integer from 0 to 2592000000, got \"250\"",
        ),
        (
            {
                let mut e = event(1);
                e["offset_ms"] = json!(-5);
                batch(vec![e])
            },
            "events[0].offset_ms: expected an integer",
        ),
        (
            {
                let mut e = event(1);
                e["id"] = json!(12345678);
                batch(vec![e])
            },
            "events[0].id: expected an id of 8 to 64",
        ),
        (
            {
                let mut e = event(1);
                e.as_object_mut().unwrap().remove("sid");
                batch(vec![e])
            },
            "events[0].sid: expected a session id of 8 to 64 letters, digits, '-' or '_', got nothing",
        ),
        (
            {
                let mut e = event(1);
                e["did"] = json!("short");
                batch(vec![e])
            },
            "events[0].did: expected a device id of 8 to 64",
        ),
        (
            {
                let mut e = event(1);
                e["path"] = json!("https://x/y");
                batch(vec![e])
            },
            "events[0].path: expected a path starting with '/'",
        ),
        (
            {
                let mut e = event(1);
                e["props"] = json!([1, 2]);
                batch(vec![e])
            },
            "events[0].props: expected an object, got an array",
        ),
        (
            {
                let mut e = event(1);
                e.as_object_mut().unwrap().remove("name");
                batch(vec![e])
            },
            "events[0].name: expected a name (track events need one)",
        ),
        (
            {
                let mut e = event(1);
                e["type"] = json!("Page View");
                batch(vec![e])
            },
            "events[0].type: expected an event type",
        ),
        (json!({"v": 1, "sdk": "x", "site": "bad site", "sent_at": 1, "events": []}), "site: expected a site key"),
    ];
    for (body, expected) in cases {
        rejected(&app, body.to_string(), expected).await;
    }
}

#[tokio::test]
async fn one_bad_event_rejects_the_whole_batch() {
    let (app, _t) = setup("atomic").await;
    let mut bad = event(3);
    bad["path"] = json!(7);
    rejected(&app, batch(vec![event(1), event(2), bad]).to_string(), "events[2].path").await;
}

#[tokio::test]
async fn events_can_be_listed_by_type_with_a_limit() {
    let (app, _t) = setup("list").await;
    let page = json!({"id": "page-id-000001", "type": "page", "sid": "session-0001", "path": "/", "offset_ms": 0});
    post(&app, batch(vec![event(1), page, event(2), event(3)]).to_string()).await;
    let (_, v) = call(&app, Request::get("/v1/events?type=track&limit=2").body(Body::empty()).unwrap()).await;
    let ids: Vec<&str> = v["events"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["event-id-000001", "event-id-000002"]);
    let (_, v) = call(&app, Request::get("/v1/events?type=page").body(Body::empty()).unwrap()).await;
    assert_eq!(v["events"].as_array().unwrap().len(), 1);
    let (s, v) = call(&app, Request::get("/v1/health").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["events"], 4);
}

#[tokio::test]
async fn cors_is_granted_to_configured_origins_only() {
    let (app, _t) = setup_with("cors", |o| o.allow_origins = vec!["https://shop.example".into()]).await;
    let preflight = |origin: &str| {
        Request::builder()
            .method("OPTIONS")
            .uri("/v1/batch")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .body(Body::empty())
            .unwrap()
    };
    let resp = app.clone().oneshot(preflight("https://shop.example")).await.unwrap();
    assert_eq!(resp.headers().get("access-control-allow-origin").unwrap(), "https://shop.example");
    let resp = app.clone().oneshot(preflight("https://evil.example")).await.unwrap();
    assert!(resp.headers().get("access-control-allow-origin").is_none());
    let req = Request::post("/v1/batch")
        .header("origin", "https://shop.example")
        .body(Body::from(batch(vec![event(1)]).to_string()))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers().get("access-control-allow-origin").unwrap(), "https://shop.example");
    assert_eq!(resp.headers().get("access-control-expose-headers").unwrap(), "retry-after");
}

#[tokio::test]
async fn the_demo_slow_image_serves_only_files_under_www_img() {
    let dir = std::env::temp_dir().join(format!("vitrina-collector-test-slow-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("www/img")).unwrap();
    std::fs::write(dir.join("www/img/b.png"), b"\x89PNG").unwrap();
    std::fs::write(dir.join("secret.txt"), b"no").unwrap();
    let _t = Tmp(dir.clone());
    let mut opts = Options {
        www: Some(dir.join("www")),
        allow_origins: vec![],
        faults: false,
        ..Options::with_db(dir.join("t.db"))
    };
    backend(&mut opts, "slow").await;
    let app = app(&opts).await.unwrap();
    let get = |uri: &str| Request::get(uri).body(Body::empty()).unwrap();
    let resp = app.clone().oneshot(get("/demo/slow/b.png?ms=0")).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers().get("content-type").unwrap(), "image/png");
    for bad in ["/demo/slow/..%2Fsecret.txt?ms=0", "/demo/slow/missing.png?ms=0"] {
        let resp = app.clone().oneshot(get(bad)).await.unwrap();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{bad}");
    }
}

async fn faulty(name: &str) -> (axum::Router, Tmp) {
    setup_with(name, |o| o.faults = true).await
}

async fn set_faults(app: &axum::Router, faults: Value) -> StatusCode {
    let req = Request::post("/v1/faults").body(Body::from(faults.to_string())).unwrap();
    app.clone().oneshot(req).await.unwrap().status()
}

#[tokio::test]
async fn injected_errors_store_nothing_and_can_carry_retry_after() {
    let (app, _t) = faulty("faults").await;
    assert_eq!(set_faults(&app, json!({"status": 429, "retry_after_s": 7})).await, StatusCode::OK);
    let req = Request::post("/v1/batch").body(Body::from(batch(vec![event(1)]).to_string())).unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(resp.headers().get("retry-after").unwrap(), "7");
    assert!(stored(&app).await.is_empty());
    assert_eq!(set_faults(&app, json!({"fail_every": 2})).await, StatusCode::OK);
    let codes: Vec<StatusCode> = {
        let mut v = Vec::new();
        for i in 0..4 {
            v.push(post(&app, batch(vec![event(10 + i)]).to_string()).await.0);
        }
        v
    };
    assert_eq!(codes.iter().filter(|c| **c == StatusCode::INTERNAL_SERVER_ERROR).count(), 2, "{codes:?}");
    assert_eq!(set_faults(&app, json!({})).await, StatusCode::OK);
    assert_eq!(post(&app, batch(vec![event(1)]).to_string()).await.0, StatusCode::OK);
    assert_eq!(set_faults(&app, json!({"bogus": 1})).await, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_dropped_connection_after_storing_leaves_the_events_stored_once_for_the_retry() {
    let (app, _t) = faulty("drop").await;
    set_faults(&app, json!({"drop_after_store": true})).await;
    let b = batch(vec![event(1), event(2)]).to_string();
    let resp = app.clone().oneshot(Request::post("/v1/batch").body(Body::from(b.clone())).unwrap()).await.unwrap();
    assert!(resp.into_body().collect().await.is_err(), "the client never gets an answer");
    set_faults(&app, json!({})).await;
    assert_eq!(post(&app, b).await.1, json!({"accepted": 0, "duplicates": 2}), "the retry is recognised");
    assert_eq!(stored(&app).await.len(), 2);
}

#[tokio::test]
async fn fault_injection_is_off_unless_asked_for() {
    let (app, _t) = setup("nofaults").await;
    assert_eq!(set_faults(&app, json!({"status": 500})).await, StatusCode::NOT_FOUND);
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[tokio::test]
async fn gzip_bodies_are_accepted_by_header_or_by_query_flag() {
    let (app, _t) = setup("gzip").await;
    let body = gzip(batch(vec![event(1)]).to_string().as_bytes());
    let req = Request::post("/v1/batch").header("content-encoding", "gzip").body(Body::from(body.clone())).unwrap();
    assert_eq!(call(&app, req).await.1, json!({"accepted": 1, "duplicates": 0}));
    let body2 = gzip(batch(vec![event(2)]).to_string().as_bytes());
    let req = Request::post("/v1/batch?gz=1").body(Body::from(body2)).unwrap();
    assert_eq!(call(&app, req).await.1, json!({"accepted": 1, "duplicates": 0}));
    // claimed gzip that is not: a precise 400
    let req = Request::post("/v1/batch?gz=1").body(Body::from("{}")).unwrap();
    let (s, v) = call(&app, req).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(v["error"].as_str().unwrap().starts_with("body: expected gzip data"), "{v}");
    // a bomb: 40 MB of zeros in a small body
    let bomb = gzip(&vec![b' '; 40 * 1024 * 1024]);
    assert!(bomb.len() < 1024 * 1024);
    let req = Request::post("/v1/batch?gz=1").body(Body::from(bomb)).unwrap();
    let (s, v) = call(&app, req).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"], "body: expected at most 1048576 bytes once unzipped, got more");
    assert_eq!(stored(&app).await.len(), 2);
}

#[test]
fn mutated_batches_are_valid_or_a_precise_400_never_a_panic() {
    let seed = batch((0..3).map(event).collect()).to_string().into_bytes();
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let (mut ok, mut err) = (0, 0);
    for _ in 0..20_000 {
        let mut v = seed.clone();
        for _ in 0..(1 + next() % 6) {
            let at = (next() as usize) % v.len().max(1);
            match next() % 4 {
                0 if !v.is_empty() => {
                    let i = at.min(v.len() - 1);
                    v[i] ^= 1 << (next() % 8);
                }
                1 => v.insert(at.min(v.len()), b"{}[]\",:-0.e\\n"[(next() % 13) as usize]),
                2 if !v.is_empty() => {
                    v.remove(at.min(v.len() - 1));
                }
                _ => v.truncate(at),
            }
        }
        match vitrina_collector::validate::parse_batch(&v) {
            Ok(b) => {
                assert!(b.events.len() <= 500);
                ok += 1;
            }
            Err(m) => {
                assert!(m.contains(": expected"), "{m}");
                err += 1;
            }
        }
    }
    assert!(ok > 50 && err > 1000, "{ok} ok, {err} errors");
}

#[tokio::test]
async fn two_collector_instances_on_one_database_store_each_event_once() {
    // Two stateless instances (two routers, two connection sets) on the same database, as behind
    // a load balancer: a batch retried on the other instance is not stored twice, and each sees
    // what the other stored.
    let t = common::tmp("shared");
    let mut opts = Options::with_db(t.0.join("t.db"));
    backend(&mut opts, "shared").await;
    let (a, b) = (app(&opts).await.unwrap(), app(&opts).await.unwrap());
    let events: Vec<Value> = (0..40).map(event).collect();
    let (s, v) = post(&a, batch(events[..30].to_vec()).to_string()).await;
    assert_eq!((s, v), (StatusCode::OK, json!({"accepted": 30, "duplicates": 0})));
    // the retry of the same batch, plus ten new events, reaches the other instance
    let (s, v) = post(&b, batch(events.clone()).to_string()).await;
    assert_eq!((s, v), (StatusCode::OK, json!({"accepted": 10, "duplicates": 30})));
    // both at once: concurrent batches with overlapping ids
    let more: Vec<Value> = (40..90).map(event).collect();
    let (ra, rb) = tokio::join!(post(&a, batch(more.clone()).to_string()), post(&b, batch(more).to_string()));
    assert_eq!(ra.0, StatusCode::OK);
    assert_eq!(rb.0, StatusCode::OK);
    assert_eq!(ra.1["accepted"].as_u64().unwrap() + rb.1["accepted"].as_u64().unwrap(), 50, "{ra:?} {rb:?}");
    let (from_a, from_b) = (stored(&a).await, stored(&b).await);
    assert_eq!(from_a.len(), 90);
    assert_eq!(from_a, from_b, "one database: the same events, in the same order");
}

async fn post_from(app: &axum::Router, origin: Option<&str>, body: String) -> (StatusCode, Value, Option<String>) {
    let mut req = Request::post("/v1/batch").header("content-type", "text/plain;charset=UTF-8");
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    let resp = app.clone().oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
    let status = resp.status();
    let retry = resp.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null), retry)
}

#[tokio::test]
async fn site_keys_take_batches_only_from_their_own_origin() {
    let (app, _t) = setup_with("sites", |o| {
        o.sites = vec![("demo".into(), "https://shop.example".into()), ("other".into(), "https://b.example".into())]
    })
    .await;
    let b = |site: &str, i: usize| {
        let mut x = batch(vec![event(i)]);
        x["site"] = json!(site);
        x.to_string()
    };
    let (s, v, _) = post_from(&app, Some("https://shop.example"), b("demo", 1)).await;
    assert_eq!((s, v), (StatusCode::OK, json!({"accepted": 1, "duplicates": 0})));
    let (s, v, _) = post_from(&app, Some("https://evil.example"), b("demo", 2)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(v["error"], "origin: https://evil.example may not send for site key \"demo\"");
    let (s, v, _) = post_from(&app, Some("https://shop.example"), b("nope", 3)).await;
    assert_eq!((s, v["error"].as_str().unwrap()), (StatusCode::FORBIDDEN, "site: unknown site key \"nope\""));
    let (s, _, _) = post_from(&app, Some("https://b.example"), b("demo", 4)).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "another site's origin");
    let (s, _, _) = post_from(&app, None, b("other", 5)).await;
    assert_eq!(s, StatusCode::OK, "no Origin: not from a page (a server or a test), let through");
    let ids: Vec<String> = stored(&app).await.iter().map(|e| e["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids, vec!["event-id-000001", "event-id-000005"], "nothing refused was stored");
    // the site origins are allowed by CORS too
    let pre = Request::options("/v1/batch")
        .header("origin", "https://b.example")
        .header("access-control-request-method", "POST")
        .body(Body::empty())
        .unwrap();
    let resp = app.clone().oneshot(pre).await.unwrap();
    assert_eq!(resp.headers().get("access-control-allow-origin").unwrap(), "https://b.example");
}

#[tokio::test]
async fn a_site_key_over_its_rate_gets_429_with_retry_after_and_nothing_is_stored() {
    // 10 events/s, a burst of 100
    let (app, _t) = setup_with("rate", |o| o.rate_limit = 10.0).await;
    let events: Vec<Value> = (0..100).map(event).collect();
    let (s, v, _) = post_from(&app, None, batch(events).to_string()).await;
    assert_eq!((s, v), (StatusCode::OK, json!({"accepted": 100, "duplicates": 0})), "the burst");
    let (s, v, retry) = post_from(&app, None, batch((100..120).map(event).collect()).to_string()).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{v}");
    let wait: u64 = retry.expect("Retry-After").parse().unwrap();
    assert!((1..=3).contains(&wait), "20 events at 10/s: about 2 s, got {wait}");
    assert!(v["error"].as_str().unwrap().starts_with("rate limit: site key \"demo\" sends over 10 events/s"), "{v}");
    assert_eq!(stored(&app).await.len(), 100);
    // another site key has its own bucket
    let mut other = batch(vec![event(500)]);
    other["site"] = json!("b");
    assert_eq!(post_from(&app, None, other.to_string()).await.0, StatusCode::OK);
}

#[tokio::test]
async fn export_gives_the_events_as_a_segment_batch() {
    let (app, _t) = setup("export").await;
    let evs = vec![
        json!({"id": "page-id-000001", "type": "page", "sid": "session-0001", "path": "/", "offset_ms": 0}),
        event(2),
        json!({"id": "fric-id-000003", "type": "friction", "name": "rage_click", "sid": "session-0001", "path": "/cart.html",
               "offset_ms": 0, "props": {"selector": "button#pay", "clicks": 4}}),
        json!({"id": "slot-id-000004", "type": "slot", "sid": "session-0001", "path": "/", "offset_ms": 0,
               "props": {"slot": "hero", "variant": "tees", "by": "bandit", "shown": 1}}),
    ];
    assert_eq!(post(&app, batch(evs).to_string()).await.0, StatusCode::OK);
    let (s, v) = call(&app, Request::get("/v1/export?format=segment").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let b = v["batch"].as_array().unwrap();
    assert_eq!(b.len(), 4);
    assert_eq!(b[0]["type"], "page");
    assert_eq!(b[0]["properties"], json!({"path": "/"}));
    assert_eq!(b[1]["type"], "track");
    assert_eq!(b[1]["event"], "Product Viewed");
    assert_eq!(b[1]["properties"], json!({"product_id": "zap-1", "price": 79.95}));
    assert_eq!(b[1]["messageId"], "event-id-000002");
    assert_eq!(b[1]["anonymousId"], "session-0001");
    assert_eq!(b[1]["context"]["page"]["path"], "/product.html");
    assert_eq!(b[2]["event"], "Friction Detected");
    assert_eq!(b[2]["properties"]["signal"], "rage_click");
    assert_eq!(b[3]["event"], "Content Slot");
    let ts = b[1]["timestamp"].as_str().unwrap();
    assert!(ts.len() == 24 && ts.ends_with('Z') && ts.starts_with("20"), "{ts}");
    let (s, v) = call(&app, Request::get("/v1/export?format=csv").body(Body::empty()).unwrap()).await;
    assert_eq!(
        (s, v["error"].as_str().unwrap()),
        (StatusCode::BAD_REQUEST, "format: expected \"segment\", got \"csv\"")
    );
}

#[test]
fn iso8601_matches_known_dates() {
    use vitrina_collector::iso8601;
    assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
    assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00.000Z");
    assert_eq!(iso8601(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
    assert_eq!(iso8601(4_102_444_799_999), "2099-12-31T23:59:59.999Z");
}
