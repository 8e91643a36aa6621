//! Reviews (moderation, aggregates, pagination) and survey results (NPS, CSAT, CES) through the
//! collector's real router and SQLite.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{json, Value};
use vitrina_collector::check_surveys;

mod common;
use common::{call, setup_with as setup};

async fn post_events(app: &axum::Router, events: Vec<Value>) -> (StatusCode, Value) {
    let batch =
        json!({"v": 1, "sdk": "vitrina/test", "site": "demo", "sent_at": 1_700_000_000_000u64, "events": events});
    call(app, Request::post("/v1/batch").body(Body::from(batch.to_string())).unwrap()).await
}

fn review(i: usize, product: &str, rating: u8) -> Value {
    json!({"id": format!("review-id-{i:04}"), "type": "review", "sid": "session-0001", "path": "/product.html", "offset_ms": i,
           "props": {"product_id": product, "rating": rating, "title": format!("Título {i}"), "body": "Muy cómodas para correr cada día", "recommend": rating >= 4, "nickname": "Ana"}})
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn moderate(id: &str, approve: bool, token: Option<&str>) -> Request<Body> {
    let mut r = Request::post(format!("/v1/reviews/{id}/moderate"));
    if let Some(t) = token {
        r = r.header("authorization", format!("Bearer {t}"));
    }
    r.body(Body::from(json!({ "approve": approve }).to_string())).unwrap()
}

#[tokio::test]
async fn reviews_wait_for_moderation_then_show_with_their_aggregate() {
    let (app, _t) = setup("moderation", |o| o.admin_token = Some("s3cret".into())).await;
    let (s, _) = post_events(
        &app,
        vec![review(1, "zap-1", 5), review(2, "zap-1", 4), review(3, "zap-1", 1), review(4, "cam-2", 3)],
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (_, v) = call(&app, get("/v1/reviews?product=zap-1")).await;
    assert_eq!(v["count"], 0, "pending reviews are not public");
    let (s, v) = call(&app, get("/v1/reviews/pending")).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{v}");
    assert_eq!(call(&app, moderate("review-id-0001", true, Some("wrong"))).await.0, StatusCode::UNAUTHORIZED);
    for (id, ok) in [("review-id-0001", true), ("review-id-0002", true), ("review-id-0003", false)] {
        assert_eq!(call(&app, moderate(id, ok, Some("s3cret"))).await.0, StatusCode::OK);
    }
    assert_eq!(call(&app, moderate("nope-0000", true, Some("s3cret"))).await.0, StatusCode::NOT_FOUND);
    let (_, v) = call(&app, get("/v1/reviews?product=zap-1")).await;
    assert_eq!(v["count"], 2);
    assert_eq!(v["average"], 4.5);
    assert_eq!(v["histogram"], json!({"1": 0, "2": 0, "3": 0, "4": 1, "5": 1}));
    assert_eq!(v["reviews"].as_array().unwrap().len(), 2);
    assert_eq!(v["reviews"][0]["body"], "Muy cómodas para correr cada día");
    let (_, p) = call(&app, get("/v1/reviews?product=zap-1&page=1&per_page=1")).await;
    assert_eq!(p["reviews"].as_array().unwrap().len(), 1);
    assert_ne!(p["reviews"][0]["id"], v["reviews"][0]["id"], "page 1 is the second review");
    let (s, v) = call(&app, get("/v1/reviews")).await;
    assert_eq!(
        (s, v["error"].as_str().unwrap()),
        (StatusCode::BAD_REQUEST, "product: expected a product id, got nothing")
    );
}

#[tokio::test]
async fn auto_approve_publishes_at_once_and_moderation_needs_a_token() {
    let (app, _t) = setup("auto", |o| o.auto_approve = true).await;
    post_events(&app, vec![review(1, "zap-1", 4)]).await;
    assert_eq!(call(&app, get("/v1/reviews?product=zap-1")).await.1["count"], 1);
    assert_eq!(call(&app, moderate("review-id-0001", false, Some("x"))).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn malformed_reviews_and_survey_answers_are_precise_400s() {
    let (app, _t) = setup("bad", |_| {}).await;
    let mut r = review(1, "zap-1", 4);
    r["props"]["rating"] = json!(6);
    let (s, v) = post_events(&app, vec![r]).await;
    assert_eq!(
        (s, v["error"].as_str().unwrap()),
        (StatusCode::BAD_REQUEST, "events[0].props.rating: expected an integer from 1 to 5, got 6")
    );
    let mut r = review(1, "zap-1", 4);
    r["props"]["body"] = json!("corta");
    let (_, v) = post_events(&app, vec![r]).await;
    assert_eq!(v["error"], "events[0].props.body: expected nothing, or 20 to 5000 characters, got \"corta\"");
    let bad_nps = json!({"id": "survey-id-0001", "type": "survey", "sid": "session-0001", "path": "/", "offset_ms": 0,
        "props": {"survey_id": "nps", "step": "answered", "question_id": "q", "question_type": "nps", "score": 11}});
    let (_, v) = post_events(&app, vec![bad_nps]).await;
    assert_eq!(v["error"], "events[0].props.score: expected an integer from 0 to 10, got 11");
}

fn step(i: usize, survey: &str, step: &str, qtype: Option<&str>, score: Option<f64>) -> Value {
    let mut props = json!({"survey_id": survey, "step": step});
    if let Some(t) = qtype {
        props["question_id"] = json!("q");
        props["question_type"] = json!(t);
        if let Some(s) = score {
            props["score"] = json!(s);
        }
    }
    json!({"id": format!("survey-step-{i:04}"), "type": "survey", "sid": "session-0001", "path": "/checkout.html", "offset_ms": 0, "props": props})
}

#[tokio::test]
async fn survey_results_compute_nps_csat_and_ces() {
    let (app, _t) = setup("results", |_| {}).await;
    let mut events = Vec::new();
    let mut i = 0;
    for score in [10.0, 9.0, 9.0, 8.0, 7.0, 6.0, 5.0, 0.0, 10.0, 3.0, 10.0] {
        events.push(step(i, "nps-checkout", "answered", Some("nps"), Some(score)));
        i += 1;
    }
    for score in [5.0, 4.0, 3.0, 1.0] {
        events.push(step(i, "nps-checkout", "answered", Some("csat"), Some(score)));
        i += 1;
    }
    for score in [7.0, 5.0, 3.0] {
        events.push(step(i, "nps-checkout", "answered", Some("ces"), Some(score)));
        i += 1;
    }
    events.push(step(i, "nps-checkout", "answered", Some("text"), None));
    for s in ["shown", "shown", "shown", "dismissed", "completed"] {
        i += 1;
        events.push(step(i, "nps-checkout", s, None, None));
    }
    events.push(step(99, "other", "answered", Some("nps"), Some(0.0)));
    assert_eq!(post_events(&app, events).await.0, StatusCode::OK);
    let (_, v) = call(&app, get("/v1/surveys/nps-checkout/results")).await;
    // 11 answers: promoters 10,9,9,10,10 = 5; detractors 6,5,0,3 = 4 → (5 − 4) / 11 = 9.1
    assert_eq!(v["nps"], json!({"responses": 11, "promoters": 5, "detractors": 4, "passives": 2, "score": 9.1}));
    assert_eq!(v["csat"], json!({"responses": 4, "satisfied_percent": 50.0}));
    assert_eq!(v["ces"], json!({"responses": 3, "average": 5.0, "easy_percent": 66.7}));
    assert_eq!((v["shown"].as_i64(), v["dismissed"].as_i64(), v["completed"].as_i64()), (Some(3), Some(1), Some(1)));
    let (_, empty) = call(&app, get("/v1/surveys/none/results")).await;
    assert_eq!(empty["nps"]["score"], Value::Null);
}

#[tokio::test]
async fn survey_definitions_are_served_and_checked_with_the_sdk_rules() {
    let defs = r#"[{"id":"nps","questions":[{"id":"q","type":"nps","text":"¿Nos recomendarías?"}]}]"#;
    assert!(check_surveys(defs).is_ok());
    assert_eq!(
        check_surveys(r#"[{"id":"nps","questions":[{"id":"q","type":"stars","text":"t"}]}]"#).unwrap_err(),
        r#"surveys[0].questions[0].type: expected one of nps, csat, ces, single, multiple, text, got "stars""#
    );
    assert!(check_surveys("[").unwrap_err().starts_with("surveys: expected JSON"));
    // The demo's surveys (scripts/demo.sh starts the collector with them) pass the same check.
    assert_eq!(check_surveys(include_str!("../../demo-surveys.json")), Ok(()));
    let (app, _t) = setup("defs", |o| o.surveys_json = Some(defs.into())).await;
    let (s, v) = call(&app, get("/v1/surveys")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v[0]["id"], "nps");
}
