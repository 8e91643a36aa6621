//! The merchant's numbers (`GET /v1/metrics`) from a seeded shop day, worked out by hand, on the
//! real router and database (SQLite, and PostgreSQL when `VITRINA_TEST_PG` is set).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{json, Value};

mod common;
use common::{call, setup_with};

fn ev(n: &mut usize, sid: &str, kind: &str, name: Option<&str>, path: &str, props: Value) -> Value {
    *n += 1;
    let mut e = json!({"id": format!("seed-event-{n:06}"), "type": kind, "sid": format!("session-{sid}"), "path": path, "offset_ms": 0});
    if let Some(name) = name {
        e["name"] = json!(name);
    }
    if !props.is_null() {
        e["props"] = props;
    }
    e
}

/// Five sessions: two orders (100 and 50), two abandoned carts (one at checkout), a bounce.
fn seed() -> Vec<Value> {
    let n = &mut 0;
    let mut v = Vec::new();
    let page = |n: &mut usize, sid: &str, path: &str| ev(n, sid, "page", None, path, Value::Null);
    let track =
        |n: &mut usize, sid: &str, name: &str, props: Value| ev(n, sid, "track", Some(name), "/product.html", props);
    let fric = |n: &mut usize, sid: &str, name: &str, path: &str, props: Value| {
        ev(n, sid, "friction", Some(name), path, props)
    };
    for (sid, paths) in [
        ("s1", &["/", "/product.html", "/checkout.html"][..]),
        ("s2", &["/", "/product.html"][..]),
        ("s3", &["/"][..]),
        ("s4", &["/", "/product.html", "/checkout.html"][..]),
        ("s5", &["/"][..]),
    ] {
        for p in paths {
            v.push(page(n, sid, p));
        }
    }
    for sid in ["s1", "s2", "s4", "s5"] {
        v.push(track(n, sid, "Product Viewed", json!({"product_id": "zap-1"})));
        v.push(track(n, sid, "Product Added", json!({"product_id": "zap-1", "price": 50})));
    }
    for sid in ["s1", "s4", "s5"] {
        v.push(track(n, sid, "Checkout Started", Value::Null));
    }
    v.push(track(n, "s1", "Order Completed", json!({"total": 100, "products": []})));
    v.push(track(n, "s5", "Order Completed", json!({"revenue": 50})));
    v.push(fric(n, "s1", "rage_click", "/product.html", json!({"selector": "button.size-guide"})));
    v.push(fric(n, "s2", "rage_click", "/product.html", json!({"selector": "button.size-guide"})));
    v.push(fric(n, "s4", "dead_click", "/product.html", json!({"selector": "button.size-guide"})));
    v.push(fric(n, "s1", "error_click", "/checkout.html", json!({"selector": "#pay"})));
    v.push(fric(
        n,
        "s4",
        "form_abandon",
        "/checkout.html",
        json!({"form": "checkout", "last_field": "email", "fields": 2}),
    ));
    for (sid, lcp) in [("s1", 2000.0), ("s2", 3000.0), ("s3", 4500.0), ("s4", 1000.0)] {
        v.push(fric(n, sid, "vital", "/", json!({"name": "LCP", "value": lcp, "rating": "x"})));
    }
    v.push(fric(n, "s1", "vital", "/", json!({"name": "CLS", "value": 0.05, "rating": "good"})));
    for (sid, rating) in [("s1", 5), ("s2", 3)] {
        v.push(ev(n, sid, "review", None, "/product.html", json!({"product_id": "zap-1", "rating": rating})));
    }
    for (sid, variant, conv) in [("s1", "a", true), ("s2", "a", false), ("s3", "b", false)] {
        v.push(ev(n, sid, "slot", None, "/", json!({"slot": "hero", "variant": variant, "by": "bandit", "shown": 1})));
        if conv {
            v.push(ev(n, sid, "slot", None, "/", json!({"slot": "hero", "variant": variant, "converted": 1})));
        }
    }
    for (sid, score) in [("s1", 10), ("s2", 9), ("s4", 3)] {
        v.push(ev(n, sid, "survey", None, "/thanks.html", json!({"survey_id": "nps-1", "step": "answered", "question_id": "q", "question_type": "nps", "score": score})));
    }
    v
}

#[tokio::test]
async fn metrics_of_a_seeded_day_match_the_numbers_worked_out_by_hand() {
    let (app, _t) = setup_with("metrics", |_| {}).await;
    let batch =
        json!({"v": 1, "sdk": "vitrina/test", "site": "demo", "sent_at": 1_700_000_000_000u64, "events": seed()});
    let (s, v) = call(&app, Request::post("/v1/batch").body(Body::from(batch.to_string())).unwrap()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, m) = call(&app, Request::get("/v1/metrics").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::OK, "{m}");
    assert_eq!(m["sessions"], 5);
    assert_eq!(m["page_views"], 10);
    assert_eq!(m["orders"], 2);
    assert_eq!(m["conversion_rate"], 0.4);
    assert_eq!(m["cart_abandonment"], 0.5, "s2 and s4 of the four carts");
    assert_eq!(m["checkout_abandonment"], 0.333, "s4 of the three checkouts");
    assert_eq!(m["average_order_value"], 75.0);
    let funnel: Vec<u64> = m["funnel"].as_array().unwrap().iter().map(|f| f["sessions"].as_u64().unwrap()).collect();
    assert_eq!(funnel, vec![5, 4, 4, 3, 2]);
    // friction per page, worst first
    let f = m["friction"].as_array().unwrap();
    assert_eq!(
        f.iter().map(|p| p["path"].as_str().unwrap()).collect::<Vec<_>>(),
        vec!["/product.html", "/checkout.html", "/"]
    );
    assert_eq!(f[0]["page_views"], 3);
    assert_eq!(f[0]["rage_clicks_per_100"], 66.7);
    assert_eq!(f[0]["dead_clicks_per_100"], 33.3);
    assert_eq!(f[1]["error_clicks_per_100"], 50.0);
    assert_eq!(f[1]["counts"]["form_abandons"], 1);
    assert_eq!(m["form_abandonment_by_field"], json!([{"field": "email", "abandons": 1}]));
    // LCP 1000, 2000, 3000, 4500: the 75th percentile by nearest rank is the third
    assert_eq!(
        m["web_vitals"],
        json!([{"path": "/", "vitals": {
        "CLS": {"p75": 0.05, "rating": "good", "samples": 1},
        "LCP": {"p75": 3000.0, "rating": "needs-improvement", "samples": 4}}}])
    );
    assert_eq!(m["reviews"], json!([{"product_id": "zap-1", "count": 2, "average": 4.0}]));
    assert_eq!(
        m["personalization"],
        json!([
        {"slot": "hero", "variant": "a", "shown": 2, "converted": 1, "conversion_rate": 0.5},
        {"slot": "hero", "variant": "b", "shown": 1, "converted": 0, "conversion_rate": 0.0}])
    );
    assert_eq!(m["surveys"][0]["nps"]["score"], 33.3, "two promoters, one detractor of three");
    assert_eq!(m["surveys_daily"][0]["days"][0]["nps"], json!({"responses": 3, "score": 33.3}));
    assert_eq!(m["surveys_daily"][0]["days"][0]["csat"]["satisfied_percent"], Value::Null, "no CSAT question");
    assert_eq!(m["daily"].as_array().unwrap().len(), 1);
    assert_eq!(m["daily"][0]["page_views"], 10);
    // a window with nothing in it, and a bad one
    let (_, empty) = call(&app, Request::get("/v1/metrics?from=0&to=1000").body(Body::empty()).unwrap()).await;
    assert_eq!((empty["sessions"].clone(), empty["conversion_rate"].clone()), (json!(0), Value::Null));
    let (s, e) = call(&app, Request::get("/v1/metrics?from=5&to=5").body(Body::empty()).unwrap()).await;
    assert_eq!(
        (s, e["error"].as_str().unwrap()),
        (StatusCode::BAD_REQUEST, "from: expected a time before to (5), got 5")
    );
}

#[test]
fn p75_is_the_nearest_rank_and_ratings_follow_web_vitals() {
    use vitrina_collector::metrics::{p75, vital_rating};
    assert_eq!(p75(&mut []), None);
    assert_eq!(p75(&mut [7.0]), Some(7.0));
    assert_eq!(p75(&mut [4.0, 1.0, 3.0, 2.0]), Some(3.0));
    assert_eq!(p75(&mut (1..=100).map(f64::from).collect::<Vec<_>>()), Some(75.0));
    assert_eq!(vital_rating("LCP", 2500.0), "good");
    assert_eq!(vital_rating("LCP", 2501.0), "needs-improvement");
    assert_eq!(vital_rating("INP", 501.0), "poor");
    assert_eq!(vital_rating("CLS", 0.1), "good");
    assert_eq!(vital_rating("TTFB", 1800.0), "needs-improvement");
}
