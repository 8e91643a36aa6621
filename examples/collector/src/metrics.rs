//! The merchant's numbers, computed from the stored events of a time window — the same code
//! for every storage backend, so SQLite and PostgreSQL give the same figures.
//!
//! Event names follow the Segment e-commerce spec v2 (`Product Viewed`, `Product Added`,
//! `Checkout Started`, `Order Completed`, …). Definitions:
//! - a session is a session id with any event in the window;
//! - conversion rate: sessions with an `Order Completed` / sessions;
//! - cart abandonment: sessions with a `Product Added` and no order / sessions with a
//!   `Product Added`; checkout abandonment likewise from `Checkout Started`;
//! - average order value: the mean of the orders' `total` (else `revenue`);
//! - friction per page: rage, dead and error clicks per 100 page views of that path, quick
//!   backs, form abandonment counted by the last field touched;
//! - web vitals: the 75th percentile (nearest rank) of each metric per page, rated with the
//!   web-vitals limits (LCP 2500/4000 ms, INP 200/500 ms, CLS 0.1/0.25, FCP 1800/3000 ms,
//!   TTFB 800/1800 ms);
//! - NPS / CSAT / CES per survey over time: each UTC day's answers (NPS: % promoters −
//!   % detractors; CSAT: % of 4–5; CES: the average);
//! - reviews: count and average rating of the submitted reviews per product;
//! - personalization: per content slot and variant, sessions shown, converted, and the rate.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

/// One UTC day in ms.
const DAY_MS: i64 = 86_400_000;

fn rate(part: usize, all: usize) -> Value {
    if all == 0 {
        Value::Null
    } else {
        json!(((part as f64 / all as f64) * 1000.0).round() / 1000.0)
    }
}

/// The web-vitals rating of a value: the SDK core's own limits (`vitrina::core::friction::vital`);
/// an unknown metric is `good`.
pub fn vital_rating(name: &str, value: f64) -> &'static str {
    vitrina::core::friction::VitalName::parse(name).map_or("good", |n| vitrina::core::friction::vital::rate(n, value))
}

/// The 75th percentile by nearest rank (the value at rank ⌈0.75·n⌉ of the sorted values).
pub fn p75(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let rank = (values.len() * 3).div_ceil(4);
    Some(values[rank - 1])
}

#[derive(Default)]
struct Page {
    views: usize,
    counts: BTreeMap<&'static str, usize>,
    vitals: BTreeMap<String, Vec<f64>>,
}

/// The metrics of `events` (as `GET /v1/events` lists them) between `from_ms` and `to_ms`;
/// `surveys` are the results of the surveys seen (see `Storage::survey_results`).
pub fn compute(events: &[Value], from_ms: i64, to_ms: i64, surveys: Vec<Value>) -> Value {
    let s = |e: &Value, k: &str| e[k].as_str().unwrap_or("").to_string();
    let mut sessions = BTreeSet::new();
    let (mut viewed, mut added, mut checkout, mut ordered) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    let mut orders = Vec::new();
    let mut pages: BTreeMap<String, Page> = BTreeMap::new();
    let mut days: BTreeMap<i64, (usize, BTreeSet<String>)> = BTreeMap::new();
    let mut form_fields: BTreeMap<String, usize> = BTreeMap::new();
    let mut reviews: BTreeMap<String, (usize, u64)> = BTreeMap::new();
    let mut slots: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    // answers per survey and day: NPS (promoters, detractors, responses), CSAT (satisfied,
    // responses), CES (sum, responses)
    type Day = ((usize, usize, usize), (usize, usize), (f64, usize));
    let mut answers: BTreeMap<String, BTreeMap<i64, Day>> = BTreeMap::new();
    let mut page_views = 0;
    for e in events {
        let (sid, kind, name, path) = (s(e, "sid"), s(e, "type"), s(e, "name"), s(e, "path"));
        let day = e["ts"].as_i64().unwrap_or(0).div_euclid(DAY_MS) * DAY_MS;
        sessions.insert(sid.clone());
        let d = days.entry(day).or_default();
        d.1.insert(sid.clone());
        let props = &e["props"];
        match kind.as_str() {
            "page" => {
                page_views += 1;
                d.0 += 1;
                pages.entry(path).or_default().views += 1;
            }
            "track" => match name.as_str() {
                "Product Viewed" => {
                    viewed.insert(sid);
                }
                "Product Added" => {
                    added.insert(sid);
                }
                "Checkout Started" => {
                    checkout.insert(sid);
                }
                "Order Completed" => {
                    ordered.insert(sid);
                    if let Some(t) = props["total"].as_f64().or(props["revenue"].as_f64()) {
                        orders.push(t);
                    }
                }
                _ => {}
            },
            "friction" => {
                let p = pages.entry(path).or_default();
                let signal: &'static str = match name.as_str() {
                    "rage_click" => "rage_clicks",
                    "dead_click" => "dead_clicks",
                    "error_click" => "error_clicks",
                    "quick_back" => "quick_backs",
                    "form_abandon" => "form_abandons",
                    "scroll_hunt" => "scroll_hunts",
                    "field_return" => "field_returns",
                    "js_error" => "js_errors",
                    "long_task" => "long_tasks",
                    "vital" => {
                        if let (Some(n), Some(v)) = (props["name"].as_str(), props["value"].as_f64()) {
                            p.vitals.entry(n.to_string()).or_default().push(v);
                        }
                        continue;
                    }
                    _ => continue,
                };
                *p.counts.entry(signal).or_default() += 1;
                if signal == "form_abandons" {
                    let field = props["last_field"].as_str().unwrap_or("(none)").to_string();
                    *form_fields.entry(field).or_default() += 1;
                }
            }
            "review" => {
                if let (Some(p), Some(r)) = (props["product_id"].as_str(), props["rating"].as_u64()) {
                    let x = reviews.entry(p.to_string()).or_default();
                    x.0 += 1;
                    x.1 += r;
                }
            }
            "survey" if props["step"] == "answered" => {
                if let (Some(id), Some(score)) = (props["survey_id"].as_str(), props["score"].as_f64()) {
                    let x = answers.entry(id.to_string()).or_default().entry(day).or_default();
                    match props["question_type"].as_str() {
                        Some("nps") => {
                            x.0 .0 += usize::from(score >= 9.0);
                            x.0 .1 += usize::from(score <= 6.0);
                            x.0 .2 += 1;
                        }
                        Some("csat") => {
                            x.1 .0 += usize::from(score >= 4.0);
                            x.1 .1 += 1;
                        }
                        Some("ces") => {
                            x.2 .0 += score;
                            x.2 .1 += 1;
                        }
                        _ => {}
                    }
                }
            }
            "slot" => {
                if let (Some(slot), Some(v)) = (props["slot"].as_str(), props["variant"].as_str()) {
                    let x = slots.entry((slot.to_string(), v.to_string())).or_default();
                    x.0 += props["shown"].as_u64().unwrap_or(0) as usize;
                    x.1 += props["converted"].as_u64().unwrap_or(0) as usize;
                }
            }
            _ => {}
        }
    }
    let abandon = |started: &BTreeSet<String>| {
        let left = started.iter().filter(|sid| !ordered.contains(*sid)).count();
        rate(left, started.len())
    };
    let aov = if orders.is_empty() {
        Value::Null
    } else {
        json!((orders.iter().sum::<f64>() / orders.len() as f64 * 100.0).round() / 100.0)
    };
    let mut friction: Vec<Value> = pages
        .iter()
        .map(|(path, p)| {
            let per100 = |k: &str| {
                let n = p.counts.get(k).copied().unwrap_or(0);
                if p.views == 0 {
                    Value::Null
                } else {
                    json!((n as f64 * 100.0 / p.views as f64 * 10.0).round() / 10.0)
                }
            };
            let mut counts = Map::new();
            for (k, n) in &p.counts {
                counts.insert((*k).to_string(), json!(n));
            }
            let clicks = ["rage_clicks", "dead_clicks", "error_clicks"]
                .iter()
                .map(|k| p.counts.get(k).copied().unwrap_or(0))
                .sum::<usize>();
            json!({
                "path": path,
                "page_views": p.views,
                "rage_clicks_per_100": per100("rage_clicks"),
                "dead_clicks_per_100": per100("dead_clicks"),
                "error_clicks_per_100": per100("error_clicks"),
                "friction_clicks": clicks,
                "counts": counts,
            })
        })
        .collect();
    // worst first: most rage + dead + error clicks per page view
    let worst = |v: &Value| {
        let views = v["page_views"].as_u64().unwrap_or(0).max(1) as f64;
        v["friction_clicks"].as_u64().unwrap_or(0) as f64 / views
    };
    friction.sort_by(|a, b| worst(b).total_cmp(&worst(a)).then_with(|| a["path"].as_str().cmp(&b["path"].as_str())));
    let vitals: Vec<Value> = pages
        .iter()
        .filter(|(_, p)| !p.vitals.is_empty())
        .map(|(path, p)| {
            let mut m = Map::new();
            for (name, values) in &p.vitals {
                let mut v = values.clone();
                let p75 = p75(&mut v).unwrap_or(0.0);
                let p75 = if name == "CLS" { (p75 * 1000.0).round() / 1000.0 } else { p75.round() };
                m.insert(
                    name.clone(),
                    json!({ "p75": p75, "rating": vital_rating(name, p75), "samples": values.len() }),
                );
            }
            json!({ "path": path, "vitals": m })
        })
        .collect();
    let mut fields: Vec<(String, usize)> = form_fields.into_iter().collect();
    fields.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    json!({
        "from_ms": from_ms,
        "to_ms": to_ms,
        "page_views": page_views,
        "sessions": sessions.len(),
        "orders": orders.len(),
        "conversion_rate": rate(ordered.len(), sessions.len()),
        "cart_abandonment": abandon(&added),
        "checkout_abandonment": abandon(&checkout),
        "average_order_value": aov,
        "funnel": [
            { "step": "sessions", "sessions": sessions.len() },
            { "step": "Product Viewed", "sessions": viewed.len() },
            { "step": "Product Added", "sessions": added.len() },
            { "step": "Checkout Started", "sessions": checkout.len() },
            { "step": "Order Completed", "sessions": ordered.len() },
        ],
        "daily": days.iter().map(|(day, (pv, s))| json!({ "day": &crate::iso8601(*day)[..10], "page_views": pv, "sessions": s.len() })).collect::<Vec<_>>(),
        "friction": friction,
        "form_abandonment_by_field": fields.iter().map(|(f, n)| json!({ "field": f, "abandons": n })).collect::<Vec<_>>(),
        "web_vitals": vitals,
        "surveys": surveys,
        "surveys_daily": answers.iter().map(|(id, days)| json!({
            "survey_id": id,
            "days": days.iter().map(|(day, ((p, d, n), (sat, cn), (sum, en)))| json!({
                "day": &crate::iso8601(*day)[..10],
                "nps": { "responses": n, "score": if *n == 0 { Value::Null } else { json!((((*p as f64 - *d as f64) / *n as f64) * 1000.0).round() / 10.0) } },
                "csat": { "responses": cn, "satisfied_percent": if *cn == 0 { Value::Null } else { json!((*sat as f64 * 1000.0 / *cn as f64).round() / 10.0) } },
                "ces": { "responses": en, "average": if *en == 0 { Value::Null } else { json!((sum / *en as f64 * 100.0).round() / 100.0) } },
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "reviews": reviews.iter().map(|(p, (n, sum))| json!({ "product_id": p, "count": n, "average": (*sum as f64 / *n as f64 * 100.0).round() / 100.0 })).collect::<Vec<_>>(),
        "personalization": slots.iter().map(|((slot, v), (shown, conv))| json!({ "slot": slot, "variant": v, "shown": shown, "converted": conv, "conversion_rate": rate(*conv, *shown) })).collect::<Vec<_>>(),
    })
}
