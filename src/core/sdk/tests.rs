use super::*;
use crate::core::friction::InputKind;
use serde_json::Value as J;

fn sdk_with(cfg: Config) -> Sdk {
    Sdk::new(cfg, [9; 32], Some("SESSIONSESSIONSESSION0"))
}
fn sdk() -> Sdk {
    sdk_with(Config::with_endpoint("http://127.0.0.1:8080"))
}

/// Drains the actions, returning the parsed bodies of every send.
fn sends(s: &mut Sdk) -> Vec<(u64, Transport, J)> {
    let mut out = Vec::new();
    while let Some(a) = s.poll_action() {
        if let Action::Send { batch, url, body, transport, .. } = a {
            assert_eq!(url, "http://127.0.0.1:8080/v1/batch");
            out.push((batch, transport, serde_json::from_str(&body).unwrap()));
        }
    }
    out
}

fn events(s: &mut Sdk, now: f64) -> Vec<J> {
    s.handle_flush(now);
    let mut evs = Vec::new();
    for (id, _, body) in sends(s) {
        evs.extend(body["events"].as_array().unwrap().clone());
        s.handle_send_result(now, id, SendOutcome::Status { code: 200, retry_after_s: None });
    }
    evs
}

fn obj(fields: &[(&str, Value)]) -> Value {
    Value::Obj(fields.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

#[test]
fn a_new_session_id_is_made_and_stored_when_none_is_kept() {
    let mut s = Sdk::new(Config::with_endpoint("https://x.io"), [1; 32], None);
    let id = s.session_id().to_string();
    assert!(is_id(&id));
    assert_eq!(s.poll_action(), Some(Action::StoreSessionId(id)));
    let mut s2 = Sdk::new(Config::with_endpoint("https://x.io"), [1; 32], Some("garbage"));
    assert!(matches!(s2.poll_action(), Some(Action::StoreSessionId(_))));
    let mut s3 = Sdk::new(Config::with_endpoint("https://x.io"), [1; 32], Some("abcdefghijABCDEFGHIJ-_"));
    assert_eq!(s3.session_id(), "abcdefghijABCDEFGHIJ-_");
    assert_eq!(s3.poll_action(), None);
}

#[test]
fn page_view_on_load_carries_path_without_query_session_and_offset() {
    let mut s = sdk();
    s.handle_page(1000.0, "https://shop.example/product.html?id=7&email=a@b.c#top", Nav::Load);
    let evs = events(&mut s, 1500.0);
    assert_eq!(evs.len(), 1);
    let e = &evs[0];
    assert_eq!(e["type"], "page");
    assert_eq!(e["path"], "/product.html");
    assert_eq!(e["sid"], "SESSIONSESSIONSESSION0");
    assert_eq!(e["offset_ms"], 500);
    assert!(is_id(e["id"].as_str().unwrap()));
    assert!(e.get("name").is_none());
}

#[test]
fn capture_query_keeps_the_query() {
    let mut c = Config::with_endpoint("http://127.0.0.1:8080");
    c.capture_query = true;
    let mut s = sdk_with(c);
    s.handle_page(0.0, "https://shop.example/search?q=shoes#x", Nav::Load);
    assert_eq!(events(&mut s, 0.0)[0]["path"], "/search?q=shoes");
}

#[test]
fn each_spa_navigation_yields_exactly_one_page_view() {
    let mut s = sdk();
    s.handle_page(0.0, "https://a/", Nav::Load);
    s.handle_page(1.0, "https://a/cat?c=1", Nav::Push);
    s.handle_page(2.0, "https://a/cat?c=1", Nav::Replace); // router repeats the URL
    s.handle_page(3.0, "https://a/cat?c=1#grid", Nav::Push); // hash only
    s.handle_page(4.0, "https://a/cat?c=2", Nav::Replace); // a real change by replaceState
    s.handle_page(5.0, "https://a/", Nav::Pop);
    s.handle_page(6.0, "https://a/", Nav::Pop);
    let paths: Vec<String> = events(&mut s, 10.0).iter().map(|e| e["path"].as_str().unwrap().to_string()).collect();
    assert_eq!(paths, vec!["/", "/cat", "/cat", "/"]);
}

#[test]
fn a_reload_is_a_new_page_view_and_manual_page_always_records() {
    let mut s = sdk();
    s.handle_page(0.0, "https://a/x", Nav::Load);
    s.handle_page(1.0, "https://a/x", Nav::Load);
    s.handle_page(2.0, "https://a/x", Nav::Manual);
    assert_eq!(events(&mut s, 3.0).len(), 3);
}

#[test]
fn auto_page_views_off_records_only_manual_ones() {
    let mut c = Config::with_endpoint("http://127.0.0.1:8080");
    c.auto_page_views = false;
    let mut s = sdk_with(c);
    s.handle_page(0.0, "https://a/x", Nav::Load);
    s.handle_page(1.0, "https://a/y", Nav::Push);
    s.handle_page(2.0, "https://a/y", Nav::Manual);
    let evs = events(&mut s, 3.0);
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0]["path"], "/y");
}

#[test]
fn track_records_name_props_and_the_current_path() {
    let mut s = sdk();
    s.handle_page(0.0, "https://a/product.html?id=1", Nav::Load);
    let props = obj(&[("product_id", Value::Str("zap-1".into())), ("price", Value::Num(79.95))]);
    s.handle_track(5.0, &Value::Str(" Product Viewed ".into()), &props);
    s.handle_track(6.0, &Value::Str("Signed Up".into()), &Value::Null);
    let evs = events(&mut s, 10.0);
    assert_eq!(evs[1]["type"], "track");
    assert_eq!(evs[1]["name"], "Product Viewed");
    assert_eq!(evs[1]["path"], "/product.html");
    assert_eq!(evs[1]["props"]["price"], 79.95);
    assert_eq!(evs[1]["props"]["product_id"], "zap-1");
    assert!(evs[2].get("props").is_none());
}

#[test]
fn wrong_track_arguments_are_ignored_and_counted() {
    let mut s = sdk();
    s.handle_track(0.0, &Value::Num(1.0), &Value::Null);
    s.handle_track(0.0, &Value::Str("  ".into()), &Value::Null);
    s.handle_track(0.0, &Value::Str("x".repeat(201)), &Value::Null);
    s.handle_track(0.0, &Value::Str("ok".into()), &Value::Str("not props".into()));
    s.handle_track(0.0, &Value::Str("ok".into()), &Value::Arr(vec![]));
    s.handle_track(0.0, &Value::Str("big".into()), &obj(&[("x", Value::Str("y".repeat(17_000)))]));
    assert_eq!(s.queued(), 0);
    assert_eq!(s.pending_drops(), vec![("invalid_call", 5), ("props_too_large", 1)]);
    s.handle_track(0.0, &Value::Str("x".repeat(200)), &Value::Null);
    s.handle_flush(0.0);
    let sent = sends(&mut s);
    assert_eq!(sent[0].2["dropped"]["invalid_call"], 5);
    assert_eq!(sent[0].2["dropped"]["props_too_large"], 1);
}

#[test]
fn twenty_events_send_a_batch_without_waiting() {
    let mut s = sdk();
    for i in 0..19 {
        s.handle_track(i as f64, &Value::Str("e".into()), &Value::Null);
    }
    assert!(sends(&mut s).is_empty());
    assert_eq!(s.poll_timeout(), Some(5000.0));
    s.handle_track(19.0, &Value::Str("e".into()), &Value::Null);
    let sent = sends(&mut s);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].1, Transport::Fetch);
    assert_eq!(sent[0].2["events"].as_array().unwrap().len(), 20);
}

#[test]
fn the_flush_interval_comes_from_config_and_fires_via_poll_timeout() {
    let mut c = Config::with_endpoint("http://127.0.0.1:8080");
    c.flush_interval_ms = 250;
    c.max_batch_events = 3;
    let mut s = sdk_with(c);
    s.handle_track(100.0, &Value::Str("e".into()), &Value::Null);
    assert_eq!(s.poll_timeout(), Some(350.0));
    s.handle_timeout(349.0);
    assert!(sends(&mut s).is_empty());
    s.handle_timeout(350.0);
    assert_eq!(sends(&mut s).len(), 1);
}

#[test]
fn hiding_the_page_sends_everything_by_beacon_and_shutdown_stops_recording() {
    let mut s = sdk();
    s.handle_page(0.0, "https://a/", Nav::Load);
    s.handle_track(1.0, &Value::Str("e".into()), &Value::Null);
    s.handle_page_hidden(2.0);
    let sent = sends(&mut s);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].1, Transport::Beacon);
    assert_eq!(sent[0].2["events"].as_array().unwrap().len(), 2);
    s.handle_send_result(2.0, sent[0].0, SendOutcome::BeaconQueued);
    s.handle_track(3.0, &Value::Str("late".into()), &Value::Null);
    s.handle_shutdown(4.0);
    let sent = sends(&mut s);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].2["events"][0]["name"], "late");
    assert!(s.is_stopped());
    s.handle_track(5.0, &Value::Str("after".into()), &Value::Null);
    s.handle_page(5.0, "https://a/z", Nav::Push);
    assert_eq!(s.queued(), 0);
    assert_eq!(s.poll_timeout(), None);
}

#[test]
fn event_ids_are_unique_across_many_events() {
    let mut s = sdk();
    let mut seen = std::collections::HashSet::new();
    for i in 0..2000 {
        s.handle_track(i as f64, &Value::Str("e".into()), &Value::Null);
        for (id, _, body) in sends(&mut s) {
            for e in body["events"].as_array().unwrap() {
                assert!(seen.insert(e["id"].as_str().unwrap().to_string()));
            }
            s.handle_send_result(i as f64, id, SendOutcome::Status { code: 200, retry_after_s: None });
        }
    }
    assert_eq!(seen.len(), 2000);
}

#[test]
fn debug_mode_logs_decisions_and_silent_mode_logs_nothing() {
    let mut quiet = sdk();
    quiet.handle_page(0.0, "https://a/", Nav::Load);
    quiet.handle_track(0.0, &Value::Num(1.0), &Value::Null);
    quiet.handle_flush(0.0);
    let mut logs = 0;
    while let Some(a) = quiet.poll_action() {
        if matches!(a, Action::Log(_)) {
            logs += 1;
        }
    }
    assert_eq!(logs, 0);

    let mut c = Config::with_endpoint("http://127.0.0.1:8080");
    c.debug = true;
    let mut loud = sdk_with(c);
    loud.handle_page(0.0, "https://a/", Nav::Load);
    loud.handle_track(0.0, &Value::Num(1.0), &Value::Null);
    loud.handle_flush(0.0);
    let mut lines = Vec::new();
    while let Some(a) = loud.poll_action() {
        if let Action::Log(m) = a {
            lines.push(m);
        }
    }
    assert_eq!(lines[0], "queued page /");
    assert!(lines[1].starts_with("ignored call: track: the name must be"));
    assert_eq!(lines[2], "sending batch 1 (1 events)");
}

#[test]
fn personal_data_is_scrubbed_from_paths_names_and_props_before_queueing() {
    let mut c = Config::with_endpoint("http://127.0.0.1:8080");
    c.capture_query = true;
    let mut s = sdk_with(c);
    s.handle_page(0.0, "https://a/u/ana@x.es/orders?token=abc&q=shoes", Nav::Load);
    let props = obj(&[
        ("note", Value::Str("call +34 612 345 678".into())),
        ("items", Value::Arr(vec![Value::Str("4111 1111 1111 1111".into()), Value::Num(612345678.0)])),
        ("ana@x.es", Value::Bool(true)),
        ("api_token", Value::Str("abc123".into())),
        ("password", Value::Num(1234.0)),
        ("keyword", Value::Str("zapatillas".into())),
    ]);
    s.handle_track(1.0, &Value::Str("Mail ana@x.es".into()), &props);
    let evs = events(&mut s, 2.0);
    assert_eq!(evs[0]["path"], "/u/[email]/orders?token=[redacted]&q=shoes");
    assert_eq!(evs[1]["path"], "/u/[email]/orders?token=[redacted]&q=shoes");
    assert_eq!(evs[1]["name"], "Mail [email]");
    assert_eq!(evs[1]["props"]["note"], "call [phone]");
    assert_eq!(evs[1]["props"]["items"][0], "[card]");
    assert_eq!(evs[1]["props"]["items"][1], 612345678.0, "numbers are not text: kept");
    assert_eq!(evs[1]["props"]["[email]"], true);
    assert_eq!(evs[1]["props"]["api_token"], "[redacted]", "sensitive keys are redacted in props too");
    assert_eq!(evs[1]["props"]["password"], "[redacted]");
    assert_eq!(evs[1]["props"]["keyword"], "zapatillas");
}

fn click(sel: &str) -> InputKind {
    InputKind::Click {
        x: 10.0,
        y: 10.0,
        target: crate::core::friction::Target { sel: sel.into(), tag: "button".into(), ..Default::default() },
        mods: false,
    }
}

#[test]
fn friction_findings_become_events_with_the_signal_as_name() {
    let mut s = sdk();
    s.handle_page(0.0, "https://a/product.html", Nav::Load);
    for t in [1000.0, 1100.0, 1200.0] {
        s.handle_input(t, click("#size-guide"));
    }
    assert_eq!(s.poll_timeout(), Some(2200.0), "the rage burst closes 1000 ms after its last click");
    s.handle_timeout(2200.0);
    s.handle_timeout(3500.0); // and the dead click is due
    let evs = events(&mut s, 4000.0);
    let friction: Vec<&J> = evs.iter().filter(|e| e["type"] == "friction").collect();
    assert_eq!(friction.len(), 2);
    assert_eq!(friction[0]["name"], "rage_click");
    assert_eq!(friction[0]["props"]["count"], 3);
    assert_eq!(friction[0]["props"]["sel"], "#size-guide");
    assert_eq!(friction[0]["path"], "/product.html");
    assert_eq!(friction[0]["offset_ms"], 3000, "dated at the first click of the burst");
    assert_eq!(friction[1]["name"], "dead_click");
}

#[test]
fn leaving_findings_keep_the_old_path_and_quick_back_gets_the_new_one() {
    use crate::core::friction::FieldAction;
    let mut s = sdk();
    s.handle_page(0.0, "https://a/", Nav::Load);
    s.handle_page(1000.0, "https://a/checkout.html", Nav::Push);
    s.handle_input(
        1500.0,
        InputKind::Field { form: "checkout".into(), field: "email".into(), action: FieldAction::Input, filled: false },
    );
    s.handle_page(3000.0, "https://a/", Nav::Pop);
    let evs = events(&mut s, 4000.0);
    let mut f: Vec<(String, String)> = evs
        .iter()
        .filter(|e| e["type"] == "friction")
        .map(|e| (e["name"].as_str().unwrap().to_string(), e["path"].as_str().unwrap().to_string()))
        .collect();
    f.sort();
    assert_eq!(
        f,
        vec![("form_abandon".to_string(), "/checkout.html".to_string()), ("quick_back".to_string(), "/".to_string())]
    );
}

#[test]
fn a_same_url_navigation_is_not_a_page_for_friction_either() {
    let mut s = sdk();
    s.handle_page(0.0, "https://a/x", Nav::Load);
    s.handle_page(100.0, "https://a/y", Nav::Push);
    s.handle_page(200.0, "https://a/y#h", Nav::Replace); // not a navigation
    s.handle_page(300.0, "https://a/x", Nav::Pop);
    let evs = events(&mut s, 400.0);
    assert_eq!(evs.iter().filter(|e| e["name"] == "quick_back").count(), 1);
}

#[test]
fn friction_can_be_switched_off() {
    let mut c = Config::with_endpoint("http://127.0.0.1:8080");
    c.friction_enabled = false;
    let mut s = sdk_with(c);
    s.handle_page(0.0, "https://a/", Nav::Load);
    s.handle_input(1.0, InputKind::Error { message: "boom".into() });
    assert_eq!(s.poll_timeout(), Some(5000.0));
    assert_eq!(events(&mut s, 10.0).len(), 1);
    let mut c = Config::with_endpoint("http://127.0.0.1:8080");
    c.friction.disabled.push("js_error");
    let mut s = sdk_with(c);
    s.handle_input(1.0, InputKind::Error { message: "boom".into() });
    assert_eq!(s.queued(), 0);
}

#[test]
fn a_quick_back_across_documents_uses_the_stored_nav_state() {
    let mut first = sdk();
    first.handle_page(1000.0, "https://a/category.html?c=1", Nav::Load);
    first.handle_page(3000.0, "https://a/product.html?id=9", Nav::Load);
    let mut state = None;
    while let Some(a) = first.poll_action() {
        if let Action::StoreNavState(s) = a {
            state = Some(s);
        }
    }
    let state = state.expect("the nav state is stored after each page");
    let mut second = sdk();
    second.restore_nav_state(&state);
    second.handle_page(6000.0, "https://a/category.html?c=1", Nav::BackForward);
    let evs = events(&mut second, 7000.0);
    let qb: Vec<&J> = evs.iter().filter(|e| e["name"] == "quick_back").collect();
    assert_eq!(qb.len(), 1);
    assert_eq!(qb[0]["props"]["from"], "/product.html");
    assert_eq!(qb[0]["props"]["dwell_ms"], 3000);
    assert_eq!(qb[0]["path"], "/category.html");
}

fn opt_in() -> Sdk {
    let mut c = Config::with_endpoint("http://127.0.0.1:8080");
    c.consent_mode = crate::core::privacy::ConsentMode::OptIn;
    Sdk::new(c, [9; 32], None)
}

fn all_actions(s: &mut Sdk) -> Vec<Action> {
    std::iter::from_fn(|| s.poll_action()).collect()
}

#[test]
fn opt_in_holds_events_in_memory_and_stores_nothing_until_consent() {
    let mut s = opt_in();
    s.handle_page(0.0, "https://a/", Nav::Load);
    for i in 0..25 {
        s.handle_track(i as f64, &Value::Str("e".into()), &Value::Null);
    }
    s.handle_flush(30.0);
    s.handle_page_hidden(31.0);
    assert_eq!(s.poll_timeout(), None, "no flush timer while waiting for consent");
    let acts = all_actions(&mut s);
    assert!(acts.is_empty(), "nothing stored or sent before consent: {acts:?}");
    assert_eq!(s.queued(), 26);
    s.handle_consent(40.0, &obj(&[("analytics", Value::Bool(true))]));
    let acts = all_actions(&mut s);
    assert_eq!(acts[0], Action::StoreConsent("v1:1--".into()));
    assert!(matches!(acts[1], Action::StoreSessionId(_)));
    let sent: usize = acts
        .iter()
        .filter_map(|a| match a {
            Action::Send { body, .. } => {
                Some(serde_json::from_str::<J>(body).unwrap()["events"].as_array().unwrap().len())
            }
            _ => None,
        })
        .sum();
    assert_eq!(sent, 20, "the held events leave at once (one batch in flight at a time)");
}

#[test]
fn refusing_consent_forgets_held_events_and_records_nothing_more() {
    let mut s = opt_in();
    s.handle_page(0.0, "https://a/", Nav::Load);
    s.handle_track(1.0, &Value::Str("e".into()), &Value::Null);
    s.handle_consent(2.0, &obj(&[("analytics", Value::Bool(false))]));
    assert_eq!(s.queued(), 0);
    s.handle_track(3.0, &Value::Str("e".into()), &Value::Null);
    s.handle_input(4.0, InputKind::Error { message: "x".into() });
    s.handle_page_hidden(5.0);
    assert_eq!(s.queued(), 0);
    let acts = all_actions(&mut s);
    assert_eq!(
        acts,
        vec![Action::StoreConsent("v1:0--".into()), Action::PersistOutbox { text: String::new(), exit: false }]
    );
}

#[test]
fn gpc_or_dnt_means_refused_unless_the_shop_opts_out_of_honouring_it_or_the_shopper_agrees() {
    let mut s = sdk();
    s.set_privacy(true, None);
    s.handle_page(0.0, "https://a/", Nav::Load);
    assert_eq!(s.queued(), 0);
    assert_eq!(s.analytics_allowed(), Some(false));
    s.handle_consent(1.0, &obj(&[("analytics", Value::Bool(true))]));
    s.handle_track(2.0, &Value::Str("e".into()), &Value::Null);
    assert_eq!(s.queued(), 1, "an explicit yes wins over GPC");

    let mut c = Config::with_endpoint("http://127.0.0.1:8080");
    c.honor_gpc = false;
    let mut s = Sdk::new(c, [9; 32], None);
    s.set_privacy(true, None);
    s.handle_page(0.0, "https://a/", Nav::Load);
    assert_eq!(s.queued(), 1);
}

#[test]
fn stored_consent_from_an_earlier_page_applies() {
    let mut s = opt_in();
    s.set_privacy(false, Some("v1:1--"));
    assert_eq!(s.analytics_allowed(), Some(true));
    assert!(all_actions(&mut s).iter().any(|a| matches!(a, Action::StoreSessionId(_))));
    let mut s = opt_in();
    s.set_privacy(false, Some("v1:0--"));
    s.handle_page(0.0, "https://a/", Nav::Load);
    assert_eq!(s.queued(), 0);
}

#[test]
fn bad_consent_calls_are_ignored_and_counted() {
    let mut s = opt_in();
    s.handle_consent(0.0, &Value::Str("yes".into()));
    s.handle_consent(0.0, &obj(&[("analytics", Value::Num(1.0))]));
    assert_eq!(s.analytics_allowed(), None);
    assert_eq!(s.pending_drops(), vec![("invalid_call", 2)]);
}

#[test]
fn sampling_keeps_about_the_configured_share_and_counts_the_rest() {
    let mut c = Config::with_endpoint("http://127.0.0.1:8080");
    c.sampling = vec![("track".into(), 0.25), ("Important".into(), 1.0)];
    c.max_batch_events = 500;
    let mut s = Sdk::new(c, [5; 32], Some("SESSIONSESSIONSESSION0"));
    let (mut minor, mut important, mut sampled_reported) = (0, 0, 0);
    for i in 0..4000 {
        s.handle_track(i as f64, &Value::Str("Minor".into()), &Value::Null);
        s.handle_track(i as f64, &Value::Str("Important".into()), &Value::Null);
        if i == 3999 {
            s.handle_flush(i as f64);
        }
        while let Some(a) = s.poll_action() {
            if let Action::Send { batch, body, .. } = a {
                let j: J = serde_json::from_str(&body).unwrap();
                for e in j["events"].as_array().unwrap() {
                    match e["name"].as_str() {
                        Some("Minor") => minor += 1,
                        Some("Important") => important += 1,
                        _ => {}
                    }
                }
                sampled_reported += j["dropped"]["sampled"].as_u64().unwrap_or(0);
                s.handle_send_result(i as f64, batch, SendOutcome::Status { code: 200, retry_after_s: None });
            }
        }
    }
    assert_eq!(important, 4000, "a name rate of 1 wins over its type's 0.25");
    assert!((850..=1150).contains(&minor), "{minor} of 4000 kept at 25%");
    let pending = s.pending_drops().iter().find(|(r, _)| *r == "sampled").map_or(0, |(_, n)| *n);
    assert_eq!(minor + sampled_reported + pending, 4000, "every sampled-out event is counted");
}

fn persisted(acts: &[Action]) -> Vec<String> {
    acts.iter()
        .filter_map(|a| if let Action::PersistOutbox { text, .. } = a { Some(text.clone()) } else { None })
        .collect()
}

#[test]
fn the_outbox_is_stored_after_changes_at_most_once_a_second_and_always_when_leaving() {
    let mut s = sdk();
    s.handle_page(0.0, "https://a/", Nav::Load);
    let acts = all_actions(&mut s);
    let p = persisted(&acts);
    assert_eq!(p.len(), 1);
    assert!(p[0].starts_with("vitrina-outbox 1 0 0\n") && p[0].lines().count() == 2, "{}", p[0]);
    assert!(acts.iter().any(|a| matches!(a, Action::PersistOutbox { exit: false, .. })), "an ordinary write");
    s.handle_track(500.0, &Value::Str("e".into()), &Value::Null);
    assert!(persisted(&all_actions(&mut s)).is_empty(), "too soon");
    assert_eq!(s.poll_timeout(), Some(1000.0), "wakes up to store it");
    s.handle_timeout(1000.0);
    let p = persisted(&all_actions(&mut s));
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].lines().count(), 3);
    s.handle_track(1100.0, &Value::Str("f".into()), &Value::Null);
    s.handle_leave(1200.0);
    let acts = all_actions(&mut s);
    let p = persisted(&acts);
    assert!(p.last().unwrap().starts_with("vitrina-outbox 1 1200 1\n"), "left behind for the next page");
    let last = acts.iter().rev().find(|a| matches!(a, Action::PersistOutbox { .. }));
    assert!(matches!(last, Some(Action::PersistOutbox { exit: true, .. })), "the exit write is marked as such");
    assert!(acts.iter().any(|a| matches!(a, Action::Send { transport: Transport::Beacon, .. })));
}

#[test]
fn the_next_page_adopts_what_the_last_page_left_and_sends_it() {
    let mut first = sdk();
    first.handle_page(0.0, "https://a/", Nav::Load);
    first.handle_track(10.0, &Value::Str("Left Behind".into()), &Value::Null);
    first.handle_leave(20.0);
    let stored = persisted(&all_actions(&mut first)).pop().unwrap();
    let mut second = sdk();
    assert!(second.adopt_outbox(30.0, &stored, false));
    second.handle_flush(40.0);
    let evs: Vec<J> =
        sends(&mut second).into_iter().flat_map(|(_, _, b)| b["events"].as_array().unwrap().clone()).collect();
    assert!(evs.iter().any(|e| e["name"] == "Left Behind"));
    // a page that is still alive keeps its events
    let mut third = sdk();
    let live = stored.replacen(" 1\n", " 0\n", 1);
    assert!(!third.adopt_outbox(30.0, &live, false));
    // unless the caller knows it is gone (its Web Lock is free)
    assert!(third.adopt_outbox(30.0, &live, true));
    // without consent nothing is adopted
    let mut refused = sdk();
    refused.set_privacy(true, None);
    assert!(!refused.adopt_outbox(30.0, &stored, false));
}

#[test]
fn offline_pauses_sending_and_online_resumes_at_once_without_backoff() {
    let mut s = sdk();
    s.handle_connectivity(0.0, false);
    s.handle_page(0.0, "https://a/", Nav::Load);
    for i in 0..25 {
        s.handle_track(i as f64, &Value::Str("e".into()), &Value::Null);
    }
    s.handle_flush(30.0);
    assert!(sends(&mut s).is_empty(), "nothing leaves while offline");
    s.handle_connectivity(40.0, true);
    let sent = sends(&mut s);
    assert_eq!(sent.len(), 1);
    // a failure then going offline and online again: no waiting for the backoff
    s.handle_send_result(50.0, sent[0].0, SendOutcome::NetworkError);
    s.handle_connectivity(60.0, false);
    s.handle_connectivity(61.0, true);
    assert_eq!(sends(&mut s).len(), 1);
}

#[test]
fn fetch_bodies_over_a_kilobyte_are_marked_for_gzip_beacons_never() {
    let mut s = sdk();
    s.handle_track(0.0, &Value::Str("small".into()), &Value::Null);
    s.handle_flush(0.0);
    let big = obj(&[("pad", Value::Str("x".repeat(2000)))]);
    let mut gz = Vec::new();
    while let Some(a) = s.poll_action() {
        if let Action::Send { gzip, batch, .. } = a {
            gz.push(gzip);
            s.handle_send_result(0.0, batch, SendOutcome::Status { code: 200, retry_after_s: None });
        }
    }
    s.handle_track(1.0, &Value::Str("big".into()), &big);
    s.handle_flush(1.0);
    s.handle_track(2.0, &Value::Str("big".into()), &big);
    s.handle_page_hidden(3.0);
    while let Some(a) = s.poll_action() {
        if let Action::Send { gzip, transport, .. } = a {
            gz.push(gzip);
            if transport == Transport::Beacon {
                assert!(!gzip);
            }
        }
    }
    assert_eq!(gz, vec![false, true, false]);
}

fn device_actions(acts: &[Action]) -> Vec<String> {
    acts.iter().filter_map(|a| if let Action::StoreDeviceId(t) = a { Some(t.clone()) } else { None }).collect()
}

const DAY: f64 = DAY_MS;

#[test]
fn no_device_id_unless_the_shop_turns_it_on() {
    let mut s = sdk();
    s.restore_device_id("20000 AAAAAAAAAAAAAAAAAAAAAA");
    s.handle_page(100.0 * DAY, "https://a/", Nav::Load);
    s.handle_flush(100.0 * DAY);
    let acts = all_actions(&mut s);
    assert!(device_actions(&acts).is_empty());
    let body = acts.iter().find_map(|a| if let Action::Send { body, .. } = a { Some(body.clone()) } else { None });
    assert!(!body.unwrap().contains("did"), "no device id on the wire");
}

#[test]
fn the_device_id_is_kept_for_the_utc_day_and_rotates_at_midnight() {
    let mut c = Config::with_endpoint("http://127.0.0.1:8080");
    c.device_id = true;
    let mut s = sdk_with(c.clone());
    let day = 20_000.0;
    s.handle_page(day * DAY, "https://a/", Nav::Load); // 00:00:00.000 UTC
    s.handle_track(day * DAY + DAY - 1.0, &Value::Str("late".into()), &Value::Null); // 23:59:59.999
    s.handle_track((day + 1.0) * DAY, &Value::Str("next day".into()), &Value::Null); // midnight
    s.handle_flush((day + 1.0) * DAY);
    let acts = all_actions(&mut s);
    let stored = device_actions(&acts);
    assert_eq!(stored.len(), 2, "stored once per day: {stored:?}");
    let (d1, id1) = stored[0].split_once(' ').unwrap();
    let (d2, id2) = stored[1].split_once(' ').unwrap();
    assert_eq!((d1, d2), ("20000", "20001"));
    assert!(is_id(id1) && is_id(id2) && id1 != id2, "a new random id each day");
    let mut dids: Vec<String> = Vec::new();
    let mut pending = acts;
    while let Some(batch) = pending.iter().find_map(|a| match a {
        Action::Send { batch, body, .. } => Some((*batch, body.clone())),
        _ => None,
    }) {
        let body: J = serde_json::from_str(&batch.1).unwrap();
        dids.extend(body["events"].as_array().unwrap().iter().map(|e| e["did"].as_str().unwrap().to_string()));
        s.handle_send_result((day + 1.0) * DAY, batch.0, SendOutcome::Status { code: 200, retry_after_s: None });
        s.handle_flush((day + 1.0) * DAY);
        pending = all_actions(&mut s);
    }
    assert_eq!(dids, vec![id1, id1, id2]);

    // The next page on the same day keeps the stored id; on a later day, a new one.
    let mut same_day = sdk_with(c.clone());
    same_day.restore_device_id(&stored[1]);
    same_day.handle_page((day + 1.5) * DAY, "https://a/", Nav::Load);
    assert!(device_actions(&all_actions(&mut same_day)).is_empty(), "nothing to store");
    assert_eq!(events(&mut same_day, (day + 1.5) * DAY)[0]["did"], id2);
    let mut later = sdk_with(c);
    later.restore_device_id(&stored[1]);
    later.handle_page((day + 2.0) * DAY, "https://a/", Nav::Load);
    let again = device_actions(&all_actions(&mut later));
    assert_eq!(again.len(), 1);
    assert!(again[0].starts_with("20002 ") && !again[0].ends_with(id2));
}

#[test]
fn a_damaged_stored_device_id_is_replaced() {
    let mut c = Config::with_endpoint("http://127.0.0.1:8080");
    c.device_id = true;
    for bad in ["", "20000", "x AAAAAAAAAAAAAAAAAAAAAA", "20000 not an id!", "20000 AAAAAAAAAAAAAAAAAAAAAA extra"] {
        let mut s = sdk_with(c.clone());
        s.restore_device_id(bad);
        s.handle_page(20_000.0 * DAY, "https://a/", Nav::Load);
        let stored = device_actions(&all_actions(&mut s));
        assert_eq!(stored.len(), 1, "{bad:?}");
        assert_ne!(stored[0], bad);
    }
}

#[test]
fn the_device_id_is_stored_only_with_consent_and_removed_on_refusal() {
    let mut c = Config::with_endpoint("http://127.0.0.1:8080");
    c.device_id = true;
    c.consent_mode = crate::core::privacy::ConsentMode::OptIn;
    let mut s = Sdk::new(c, [9; 32], None);
    s.handle_page(5.0 * DAY, "https://a/", Nav::Load);
    assert!(all_actions(&mut s).is_empty(), "nothing stored before consent");
    s.handle_consent(5.0 * DAY + 1.0, &obj(&[("analytics", Value::Bool(true))]));
    let acts = all_actions(&mut s);
    let stored = device_actions(&acts);
    assert_eq!(stored.len(), 1);
    let held = acts.iter().find_map(|a| if let Action::Send { body, .. } = a { Some(body.clone()) } else { None });
    assert!(held.unwrap().contains(stored[0].split_once(' ').unwrap().1), "held events carry it");
    s.handle_consent(5.0 * DAY + 2.0, &obj(&[("analytics", Value::Bool(false))]));
    assert_eq!(device_actions(&all_actions(&mut s)), vec![String::new()], "refusal removes it");
}

fn click_text(sel: &str, text: &str, mask: bool) -> InputKind {
    InputKind::Click {
        x: 10.0,
        y: 10.0,
        target: crate::core::friction::Target {
            sel: sel.into(),
            tag: "button".into(),
            text: text.into(),
            mask,
            ..Default::default()
        },
        mods: false,
    }
}

fn rage_text(capture: bool, text: &str, mask: bool) -> J {
    let mut c = Config::with_endpoint("http://127.0.0.1:8080");
    c.capture_text = capture;
    let mut s = sdk_with(c);
    s.handle_page(0.0, "https://a/", Nav::Load);
    s.handle_input(500.0, click_text("#other", "Otra cosa", false));
    for t in [1000.0, 1100.0, 1200.0] {
        s.handle_input(t, click_text("#size", text, mask));
    }
    s.handle_timeout(2200.0);
    events(&mut s, 2300.0).into_iter().find(|e| e["name"] == "rage_click").unwrap()
}

#[test]
fn clicked_text_is_reported_only_when_allowed_scrubbed_shortened_and_never_when_masked() {
    assert!(rage_text(false, "Guía de tallas", false)["props"].get("text").is_none(), "off by default");
    assert_eq!(rage_text(true, "  Guía de\n tallas ", false)["props"]["text"], "Guía de tallas");
    let pii = rage_text(true, "Escribe a ana.garcia@example.com", false);
    assert_eq!(pii["props"]["text"], "Escribe a [email]");
    let long = rage_text(true, &"x".repeat(100), false);
    assert_eq!(long["props"]["text"].as_str().unwrap().chars().count(), 40);
    assert!(rage_text(true, "Ana García, Calle Mayor 5", true)["props"].get("text").is_none(), "masked");
}

#[test]
fn back_from_the_back_forward_cache_the_slot_is_live_again() {
    let mut s = sdk();
    s.handle_page(0.0, "https://a/", Nav::Load);
    s.handle_track(10.0, &Value::Str("e".into()), &Value::Null);
    s.handle_leave(20.0); // pagehide into the bfcache
    let acts = all_actions(&mut s);
    assert!(acts.iter().any(|a| matches!(a, Action::PersistOutbox { exit: true, .. })));
    s.handle_page(5000.0, "https://a/", Nav::BackForward); // pageshow, persisted
    let acts = all_actions(&mut s);
    let last = acts.iter().rev().find_map(|a| match a {
        Action::PersistOutbox { text, exit } => Some((text.clone(), *exit)),
        _ => None,
    });
    let (text, exit) = last.expect("the slot is stored again at once");
    assert!(!exit, "an ordinary write");
    assert!(text.starts_with("vitrina-outbox 1 5000 0\n"), "no longer marked as left behind: {text}");
    s.handle_track(5100.0, &Value::Str("f".into()), &Value::Null);
    assert!(persisted(&all_actions(&mut s)).is_empty(), "writes are throttled again (not every change)");
}

fn review_draft(rating: f64, body: &str) -> Value {
    obj(&[
        ("rating", Value::Num(rating)),
        ("title", Value::Str("Muy buenas".into())),
        ("body", Value::Str(body.into())),
    ])
}

fn review_send(acts: &[Action]) -> (u64, J) {
    acts.iter()
        .find_map(|a| match a {
            Action::Send { batch, body, transport: Transport::Fetch, .. } => {
                Some((*batch, serde_json::from_str::<J>(body).unwrap()))
            }
            _ => None,
        })
        .expect("a review body was sent")
}

#[test]
fn a_valid_review_is_scrubbed_and_sent_at_once_in_a_body_of_its_own() {
    let mut s = sdk();
    s.handle_page(0.0, "https://a/product.html", Nav::Load);
    s.handle_track(1.0, &Value::Str("queued".into()), &Value::Null);
    let _ = all_actions(&mut s);
    let body = "Me encantan, escribidme a ana@example.com o visitad https://spam.example/x";
    let id = s.handle_review(10.0, &Value::Str(" zap-1 ".into()), &review_draft(5.0, body), None).unwrap();
    let acts = all_actions(&mut s);
    let (batch, j) = review_send(&acts);
    assert_eq!(batch, id);
    let evs = j["events"].as_array().unwrap();
    assert_eq!(evs.len(), 1, "not mixed with the queued analytics events");
    assert_eq!(evs[0]["type"], "review");
    assert_eq!(evs[0]["sid"], "SESSIONSESSIONSESSION0");
    assert_eq!(evs[0]["props"]["product_id"], "zap-1");
    assert_eq!(evs[0]["props"]["rating"], 5);
    assert_eq!(evs[0]["props"]["body"], "Me encantan, escribidme a [email] o visitad [url]");
    assert_eq!(s.queued(), 2, "the page view and the analytics event still wait for their batch");
    assert!(!s.has_reviewed("zap-1"), "not until the collector has it");
    s.handle_send_result(20.0, id, SendOutcome::Status { code: 200, retry_after_s: None });
    let acts = all_actions(&mut s);
    assert!(acts.contains(&Action::StoreReviewed("zap-1".into())));
    assert!(acts.contains(&Action::ReviewResult { request: id, error: None }));
    assert!(s.has_reviewed("zap-1"));
    let again = s.handle_review(30.0, &Value::Str("zap-1".into()), &review_draft(4.0, ""), None).unwrap_err();
    assert_eq!(again[0].code, crate::core::review::ErrorCode::AlreadyReviewed);
}

#[test]
fn review_errors_come_back_all_at_once_and_nothing_is_sent() {
    let mut s = sdk();
    s.handle_page(0.0, "https://a/", Nav::Load);
    let _ = all_actions(&mut s);
    let bad =
        obj(&[("rating", Value::Num(7.0)), ("body", Value::Str("corto".into())), ("nickname", Value::Str("x".into()))]);
    let errs = s.handle_review(10.0, &Value::Str("zap-1".into()), &bad, None).unwrap_err();
    let fields: Vec<&str> = errs.iter().map(|e| e.field).collect();
    assert_eq!(fields, vec!["rating", "body", "nickname"]);
    for missing in
        [Value::Null, Value::Str("  ".into()), Value::Str("p".repeat(129)), Value::Num(3.0), Value::Str("a b".into())]
    {
        let e = s.handle_review(10.0, &missing, &review_draft(5.0, ""), None).unwrap_err();
        assert_eq!((e[0].field, e[0].code.as_str()), ("product_id", "product_id"));
    }
    let spam = obj(&[("rating", Value::Num(5.0)), ("honeypot", Value::Str("http://bot".into()))]);
    assert_eq!(s.handle_review(10.0, &Value::Str("p".into()), &spam, None).unwrap_err()[0].code.as_str(), "spam");
    let fast = s.handle_review(2999.0, &Value::Str("p".into()), &review_draft(5.0, ""), Some(0.0)).unwrap_err();
    assert_eq!(fast[0].code.as_str(), "too_fast", "the widget's 3 s rule");
    assert!(s.handle_review(3000.0, &Value::Str("p".into()), &review_draft(5.0, ""), Some(0.0)).is_ok(), "exactly 3 s");
    let sends = all_actions(&mut s).iter().filter(|a| matches!(a, Action::Send { .. })).count();
    assert_eq!(sends, 1, "only the valid one went out");
}

#[test]
fn a_failed_review_send_can_be_retried_and_a_pending_one_cannot_be_doubled() {
    let mut s = sdk();
    s.handle_page(0.0, "https://a/", Nav::Load);
    let id = s.handle_review(10.0, &Value::Str("p".into()), &review_draft(4.0, ""), None).unwrap();
    let twice = s.handle_review(11.0, &Value::Str("p".into()), &review_draft(4.0, ""), None).unwrap_err();
    assert_eq!(twice[0].code.as_str(), "already_reviewed", "one in flight is enough");
    let _ = all_actions(&mut s);
    s.handle_send_result(12.0, id, SendOutcome::NetworkError);
    let acts = all_actions(&mut s);
    assert!(
        acts.contains(&Action::ReviewResult { request: id, error: Some(crate::core::review::ErrorCode::SendFailed) })
    );
    assert!(!acts.iter().any(|a| matches!(a, Action::StoreReviewed(_))));
    assert!(
        s.handle_review(13.0, &Value::Str("p".into()), &review_draft(4.0, ""), None).is_ok(),
        "the shopper tries again"
    );
}

#[test]
fn with_analytics_refused_a_review_still_goes_but_cannot_be_linked_to_browsing() {
    let mut s = opt_in();
    s.handle_page(0.0, "https://a/", Nav::Load);
    s.handle_consent(1.0, &obj(&[("analytics", Value::Bool(false))]));
    let _ = all_actions(&mut s);
    s.handle_review(10.0, &Value::Str("p".into()), &review_draft(3.0, ""), None).unwrap();
    let (_, j) = review_send(&all_actions(&mut s));
    let sid = j["events"][0]["sid"].as_str().unwrap();
    assert!(is_id(sid) && sid != s.session_id(), "a one-off session id");
    assert!(j["events"][0].get("did").is_none());
}

#[test]
fn the_reviewed_list_is_restored_and_capped() {
    let mut s = sdk();
    s.restore_reviewed("a b  c");
    assert!(s.has_reviewed("b") && !s.has_reviewed("d"));
    let many: Vec<String> = (0..250).map(|i| format!("p{i}")).collect();
    s.restore_reviewed(&many.join(" "));
    assert!(s.has_reviewed("p199") && !s.has_reviewed("p200"), "at most 200 kept");
    let _ = all_actions(&mut s);
    s.handle_page(0.0, "https://a/", Nav::Load);
    let id = s.handle_review(1.0, &Value::Str("new".into()), &review_draft(5.0, ""), None).unwrap();
    s.handle_send_result(2.0, id, SendOutcome::Status { code: 200, retry_after_s: None });
    let stored =
        all_actions(&mut s).into_iter().find_map(|a| if let Action::StoreReviewed(t) = a { Some(t) } else { None });
    let stored = stored.unwrap();
    assert_eq!(stored.split(' ').count(), 200);
    assert!(stored.ends_with(" new") && !stored.starts_with("p0 "), "the oldest is forgotten");
}

#[test]
fn fields_never_report_their_text_even_with_capture_text() {
    let mut c = Config::with_endpoint("http://127.0.0.1:8080");
    c.capture_text = true;
    let mut s = sdk_with(c);
    s.handle_page(0.0, "https://a/", Nav::Load);
    let field = InputKind::Click {
        x: 1.0,
        y: 1.0,
        target: crate::core::friction::Target {
            sel: "#address".into(),
            tag: "select".into(),
            text: "Calle Mayor 5, Madrid".into(),
            editable: true,
            ..Default::default()
        },
        mods: false,
    };
    s.handle_input(100.0, field);
    s.handle_input(200.0, InputKind::Error { message: "boom".into() });
    let evs = events(&mut s, 300.0);
    let e = evs.iter().find(|e| e["name"] == "error_click").expect("an error click");
    assert!(e["props"].get("text").is_none(), "{e}");
}

#[test]
fn a_stored_device_id_is_removed_when_analytics_are_refused_by_the_privacy_signal() {
    let mut c = Config::with_endpoint("http://127.0.0.1:8080");
    c.device_id = true;
    let mut s = sdk_with(c);
    s.set_privacy(true, None); // GPC: refused
    let _ = all_actions(&mut s);
    s.restore_device_id("20000 AAAAAAAAAAAAAAAAAAAAAA");
    assert_eq!(device_actions(&all_actions(&mut s)), vec![String::new()]);
}

const SURVEYS: &str = r#"[
  {"id": "nps", "questions": [
     {"id": "score", "type": "nps", "text": {"es": "¿Nos recomendarías?", "en": "Would you recommend us?"},
      "branches": [{"if": {"at_most": 6}, "goto": "improve"}, {"if": {"at_least": 7}, "goto": "thanks"}]},
     {"id": "improve", "type": "text", "text": {"es": "¿Qué podemos mejorar?", "en": "What could we improve?"}}],
   "thanks": {"es": "¡Gracias!", "en": "Thanks!"},
   "targeting": {"url": {"exact": "/thanks"}}},
  {"id": "help", "questions": [{"id": "what", "type": "single", "text": "¿Algo no funciona?", "options": ["El pago", "Otra cosa"]}],
   "thanks": "Gracias", "targeting": {"url": {"contains": "/checkout"}, "friction": ["rage_click"]}, "caps": {"show": "once"}}
]"#;

fn with_surveys(c: Config) -> Sdk {
    let mut s = Sdk::new(c, [9; 32], Some("SESSIONSESSIONSESSION0"));
    s.add_surveys(0.0, &crate::core::json::parse(SURVEYS).unwrap());
    let _ = all_actions(&mut s);
    s
}

fn shown(acts: &[Action]) -> Vec<J> {
    acts.iter()
        .filter_map(|a| if let Action::ShowSurvey(j) = a { Some(serde_json::from_str(j).unwrap()) } else { None })
        .collect()
}

#[test]
fn an_nps_survey_opens_on_its_page_branches_and_every_step_travels_as_an_event() {
    let mut s = with_surveys(Config::with_endpoint("http://127.0.0.1:8080"));
    s.handle_page(0.0, "https://a/cart", Nav::Load);
    assert!(shown(&all_actions(&mut s)).is_empty());
    s.handle_page(10.0, "https://a/thanks", Nav::Push);
    let acts = all_actions(&mut s);
    let q = shown(&acts);
    assert_eq!(q.len(), 1);
    assert_eq!(
        (q[0]["survey"].as_str(), q[0]["type"].as_str(), q[0]["text"].as_str()),
        (Some("nps"), Some("nps"), Some("¿Nos recomendarías?"))
    );
    assert!(
        acts.iter().any(|a| matches!(a, Action::StoreSurveys(t) if t.contains("nps\t1\t0"))),
        "remembered as shown"
    );
    s.handle_survey_answer(20.0, &Value::Str("nps".into()), &Value::Num(4.0));
    let q = shown(&all_actions(&mut s));
    assert_eq!(q[0]["question"], "improve", "NPS ≤ 6 asks what to improve");
    s.handle_survey_answer(
        30.0,
        &Value::Str("nps".into()),
        &Value::Str("El envío; escribidme a ana@example.com".into()),
    );
    let q = shown(&all_actions(&mut s));
    assert_eq!(q[0]["thanks"], "¡Gracias!");
    s.handle_survey_close(40.0, &Value::Str("nps".into()));
    let evs: Vec<J> = events(&mut s, 50.0).into_iter().filter(|e| e["type"] == "survey").collect();
    let steps: Vec<&str> = evs.iter().map(|e| e["props"]["step"].as_str().unwrap()).collect();
    assert_eq!(steps, vec!["shown", "answered", "answered", "completed"]);
    assert_eq!(evs[1]["props"]["score"], 4);
    assert_eq!(evs[2]["props"]["text"], "El envío; escribidme a [email]");
    assert_eq!(evs[0]["path"], "/thanks");
}

#[test]
fn a_rage_click_on_checkout_opens_the_help_prompt_once() {
    let mut s = with_surveys(Config::with_endpoint("http://127.0.0.1:8080"));
    s.handle_page(0.0, "https://a/checkout", Nav::Load);
    for t in [1000.0, 1100.0, 1200.0] {
        s.handle_input(t, click("#pay"));
    }
    s.handle_timeout(2200.0); // the burst closes: rage_click
    let q = shown(&all_actions(&mut s));
    assert_eq!(q.len(), 1);
    assert_eq!((q[0]["survey"].as_str(), q[0]["options"][0].as_str()), (Some("help"), Some("El pago")));
    s.handle_survey_close(2300.0, &Value::Str("help".into()));
    for t in [3000.0, 3100.0, 3200.0] {
        s.handle_input(t, click("#pay"));
    }
    s.handle_timeout(4200.0);
    assert!(shown(&all_actions(&mut s)).is_empty(), "once per cap");
    let evs: Vec<J> = events(&mut s, 5000.0).into_iter().filter(|e| e["type"] == "survey").collect();
    assert_eq!(
        evs.iter().map(|e| e["props"]["step"].as_str().unwrap()).collect::<Vec<_>>(),
        vec!["shown", "dismissed"]
    );
}

#[test]
fn surveys_need_analytics_and_the_surveys_purpose() {
    let optin = |c: &mut Config| c.consent_mode = crate::core::privacy::ConsentMode::OptIn;
    let mut c = Config::with_endpoint("http://127.0.0.1:8080");
    optin(&mut c);
    let mut s = with_surveys(c);
    s.handle_page(0.0, "https://a/thanks", Nav::Load);
    assert!(shown(&all_actions(&mut s)).is_empty(), "opt-in, undecided: no survey");
    s.handle_consent(1.0, &obj(&[("analytics", Value::Bool(true))]));
    s.handle_page(2.0, "https://a/thanks", Nav::Reload);
    assert!(shown(&all_actions(&mut s)).is_empty(), "analytics alone is not enough in opt-in mode");
    s.handle_consent(3.0, &obj(&[("surveys", Value::Bool(true))]));
    s.handle_page(4.0, "https://a/thanks", Nav::Reload);
    assert_eq!(shown(&all_actions(&mut s)).len(), 1, "both granted");

    let mut s = with_surveys(Config::with_endpoint("http://127.0.0.1:8080"));
    s.handle_consent(0.0, &obj(&[("surveys", Value::Bool(false))]));
    s.handle_page(1.0, "https://a/thanks", Nav::Load);
    assert!(shown(&all_actions(&mut s)).is_empty(), "surveys refused");
}

#[test]
fn answers_that_do_not_fit_are_ignored_and_counted() {
    let mut s = with_surveys(Config::with_endpoint("http://127.0.0.1:8080"));
    s.handle_page(0.0, "https://a/thanks", Nav::Load);
    let _ = all_actions(&mut s);
    for (id, answer) in [
        ("nps", Value::Num(11.0)),
        ("nps", Value::Bool(true)),
        ("help", Value::Num(1.0)),
        ("nps", Value::Arr(vec![Value::Num(-1.0)])),
    ] {
        s.handle_survey_answer(1.0, &Value::Str(id.into()), &answer);
    }
    s.handle_survey_answer(1.0, &Value::Null, &Value::Num(5.0));
    assert!(shown(&all_actions(&mut s)).is_empty(), "the question stays");
    assert_eq!(s.pending_drops(), vec![("invalid_call", 5)]);
}

#[test]
fn surveys_arriving_after_the_page_view_open_at_once_and_bad_ones_are_skipped() {
    let mut s = sdk();
    s.handle_page(0.0, "https://a/thanks", Nav::Load);
    let _ = all_actions(&mut s);
    let list = crate::core::json::parse(&format!(
        r#"[{{"id": "broken", "questions": []}}, {}]"#,
        &SURVEYS[1..SURVEYS.len() - 1]
    ))
    .unwrap();
    s.add_surveys(500.0, &list);
    let q = shown(&all_actions(&mut s));
    assert_eq!(q.len(), 1, "the NPS survey targets /thanks: it opens as soon as it is known");
    assert_eq!(q[0]["survey"], "nps");
}

#[test]
fn surveys_given_in_the_config_open_without_the_collector() {
    let mut c = Config::with_endpoint("http://127.0.0.1:8080");
    let defs = crate::core::json::parse(SURVEYS).unwrap();
    let Value::Arr(items) = defs else { unreachable!() };
    c.survey_defs = items.iter().filter_map(crate::core::survey::SurveyDef::read_one).collect();
    assert_eq!(c.survey_defs.len(), 2);
    let mut s = sdk_with(c);
    let _ = all_actions(&mut s);
    s.handle_page(0.0, "https://a/thanks", Nav::Load);
    let q = shown(&all_actions(&mut s));
    assert_eq!(q.len(), 1);
    assert_eq!(q[0]["survey"], "nps");
}

fn profile_stores(acts: &[Action]) -> Vec<String> {
    acts.iter().filter_map(|a| if let Action::StoreProfile(t) = a { Some(t.clone()) } else { None }).collect()
}

fn viewed(s: &mut Sdk, now: f64, id: &str, category: &str, brand: &str, price: f64) {
    let props = obj(&[
        ("product_id", Value::Str(id.into())),
        ("category", Value::Str(category.into())),
        ("brand", Value::Str(brand.into())),
        ("price", Value::Num(price)),
    ]);
    s.handle_track(now, &Value::Str("Product Viewed".into()), &props);
}

const GRID: &str =
    "bag-1\tbags\tAndes\t45\nshoe-1\tshoes\tZap\t89.90\nsock-1\tsocks\tZap\t9\nshoe-2\tshoes\tNorte\t120";

/// The edge's order for `rank_lines`' scores: highest first, stable (as Array.prototype.sort).
fn order(scores: &str) -> String {
    let s: Vec<f64> = scores.split(',').map(|x| x.parse().unwrap()).collect();
    let mut idx: Vec<usize> = (0..s.len()).collect();
    idx.sort_by(|a, b| s[*b].partial_cmp(&s[*a]).unwrap());
    idx.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")
}

#[test]
fn segment_events_teach_the_profile_which_reorders_grids_and_never_travels() {
    let mut s = sdk_with(Config::with_endpoint("http://127.0.0.1:8080"));
    s.handle_page(0.0, "https://a/", Nav::Load);
    assert_eq!(order(&s.rank_lines(1.0, GRID)), "0,1,2,3", "no taste yet: the page's order");
    viewed(&mut s, 10.0, "shoe-9", "shoes", "Zap", 95.0);
    viewed(&mut s, 15.0, "shoe-7", "shoes", "Zap", 90.0);
    viewed(&mut s, 20.0, "shoe-8", "shoes", "Norte", 110.0);
    let added = obj(&[("product_id", Value::Str("shoe-8".into())), ("category", Value::Str("shoes".into()))]);
    s.handle_track(30.0, &Value::Str("Product Added".into()), &added);
    let stored = profile_stores(&all_actions(&mut s));
    assert_eq!(stored.len(), 4, "stored after each lesson (opt-out mode: allowed)");
    assert!(stored[3].starts_with("vitrina-profile 1\n"));
    // shoes first (category), the Zap shoe before the Norte one (brand), then the Zap socks
    assert_eq!(order(&s.rank_lines(40.0, GRID)), "1,3,2,0");
    let p: J = serde_json::from_str(&s.profile_json(40.0)).unwrap();
    assert_eq!(p["categories"][0]["key"], "shoes");
    assert_eq!(p["categories"][0]["score"], 6.0, "three views (1 each) and an add to cart (3)");
    assert_eq!(p["brands"][0], serde_json::json!({"key": "Zap", "score": 2}));
    assert_eq!(p["recently_viewed"], serde_json::json!(["shoe-8", "shoe-7", "shoe-9"]));
    assert_eq!(p["cart"], serde_json::json!([{"product_id": "shoe-8", "quantity": 1}]));
    // an order empties the cart
    let purchase = obj(&[("products", Value::Arr(vec![added.clone()]))]);
    s.handle_track(50.0, &Value::Str("Order Completed".into()), &purchase);
    let p: J = serde_json::from_str(&s.profile_json(50.0)).unwrap();
    assert_eq!(p["cart"], serde_json::json!([]));
    // the events carry the shop's own props, never the profile
    for e in events(&mut s, 60.0) {
        let text = e.to_string();
        assert!(
            !text.contains("vitrina-profile") && !text.contains("recently_viewed") && !text.contains("score"),
            "{text}"
        );
    }
    s.reset_profile();
    assert_eq!(profile_stores(&all_actions(&mut s)), vec![String::new()]);
    assert_eq!(order(&s.rank_lines(70.0, GRID)), "0,1,2,3");
}

#[test]
fn with_personalization_refused_nothing_is_learned_or_stored_and_the_stored_profile_goes() {
    let mut s = sdk_with(Config::with_endpoint("http://127.0.0.1:8080"));
    s.set_privacy(false, Some("v1:1-1")); // analytics allowed, personalization not decided... then refused
    s.handle_consent(0.0, &obj(&[("personalization", Value::Bool(false))]));
    assert_eq!(profile_stores(&all_actions(&mut s)), vec![String::new()], "refusing removes it");
    viewed(&mut s, 10.0, "shoe-9", "shoes", "Zap", 95.0);
    assert!(profile_stores(&all_actions(&mut s)).is_empty());
    assert_eq!(s.rank_lines(20.0, GRID), "", "no scores: the edge keeps the page's order");
    assert_eq!(
        s.profile_json(20.0),
        r#"{"categories":[],"brands":[],"price_bands":[],"recently_viewed":[],"cart":[]}"#
    );
    // GPC on a later page: the stored profile is removed, not read
    let mut s = sdk_with(Config::with_endpoint("http://127.0.0.1:8080"));
    s.set_privacy(true, None);
    let _ = all_actions(&mut s);
    s.restore_profile("vitrina-profile 1\nc\tshoes\t5000\t0\n");
    assert_eq!(profile_stores(&all_actions(&mut s)), vec![String::new()]);
    assert_eq!(s.rank_lines(20.0, GRID), "", "no scores: the edge keeps the page's order");
}

#[test]
fn opt_in_keeps_the_profile_in_memory_until_consent_then_stores_it() {
    let mut c = Config::with_endpoint("http://127.0.0.1:8080");
    c.consent_mode = crate::core::privacy::ConsentMode::OptIn;
    let mut s = sdk_with(c);
    viewed(&mut s, 10.0, "shoe-9", "shoes", "Zap", 95.0);
    assert!(profile_stores(&all_actions(&mut s)).is_empty(), "nothing stored before consent");
    // the Zap shoe first; the Zap socks and the other shoe tie (brand vs category) and keep
    // the page's order
    assert_eq!(order(&s.rank_lines(20.0, GRID)), "1,2,3,0", "but this page already benefits");
    s.handle_consent(30.0, &obj(&[("personalization", Value::Bool(true))]));
    let stored = profile_stores(&all_actions(&mut s));
    assert_eq!(stored.len(), 1);
    assert!(stored[0].contains("c\tshoes\t1000\t10\n"), "{}", stored[0]);
}

#[test]
fn prices_are_read_without_a_float_parser() {
    use crate::core::personalize::profile::parse_price;
    assert_eq!(parse_price("59.95"), 59.95);
    assert_eq!(parse_price(" 120 "), 120.0);
    for bad in ["", "abc", "1,5", "-3", "1.2.3", ".5"] {
        assert_eq!(parse_price(bad), 0.0, "{bad}");
    }
}

const CATALOG: &str = "s1\tshoes\u{1f}running\tZap\t89.90\ns2\tshoes\tNorte\t95\nt1\ttshirts\tZap\t19\nb1\tbags\tAndes\t45\ns3\trunning\tOla\t60";

#[test]
fn recommendations_come_from_the_catalog_lines_with_context_exclusions_and_limit() {
    let mut s = sdk_with(Config::with_endpoint("http://127.0.0.1:8080"));
    s.handle_page(0.0, "https://a/", Nav::Load);
    assert_eq!(s.recommend_lines(1.0, Some(CATALOG), "", "", 3), "0,1,2", "no taste, no context: catalog order");
    viewed(&mut s, 10.0, "b9", "bags", "Andes", 40.0);
    assert_eq!(s.recommend_lines(11.0, Some(CATALOG), "", "", 2), "3,0", "the bag first (category, brand, band)");
    // on the s1 page: s1 left out; s3 shares a category (running), s2 one (shoes) and the band,
    // t1 the brand; the bag keeps its affinity (1 + 1 + ½)
    // (all three 2.5 at the moment of the view: ties keep catalog order)
    let ctx = "s1\tshoes\u{1f}running\tZap\t89.90";
    assert_eq!(s.recommend_lines(10.0, Some(CATALOG), ctx, "", 10), "1,3,4,2");
    assert_eq!(
        s.recommend_lines(12.0, Some(CATALOG), ctx, "", 10),
        "1,4,3,2",
        "a moment later the bag's affinity has decayed a little"
    );
    assert_eq!(s.recommend_lines(12.0, Some(CATALOG), ctx, "b1\nt1", 10), "1,4", "excluded ids");
    assert_eq!(s.recommend_lines(12.0, None, ctx, "b1\nt1", 10), "1,4", "the feed is kept for the next calls");
    // what is in the cart is not recommended
    let added = obj(&[("product_id", Value::Str("s2".into())), ("price", Value::Num(95.0))]);
    s.handle_track(20.0, &Value::Str("Product Added".into()), &added);
    assert_eq!(s.recommend_lines(21.0, Some(CATALOG), ctx, "", 10), "4,3,2");
    assert_eq!(s.recommend_lines(21.0, Some(""), "", "", 10), "", "an empty catalog");
    s.handle_consent(30.0, &obj(&[("personalization", Value::Bool(false))]));
    assert_eq!(s.recommend_lines(31.0, Some(CATALOG), ctx, "", 10), "", "refused: none");
}

fn slot_events(s: &mut Sdk, now: f64) -> Vec<J> {
    events(s, now).into_iter().filter(|e| e["type"] == "slot").map(|e| e["props"].clone()).collect()
}

#[test]
fn a_slot_is_decided_once_per_session_counted_and_converted_by_an_add_to_cart() {
    let mut s = sdk_with(Config::with_endpoint("http://127.0.0.1:8080"));
    s.restore_profile("");
    s.handle_page(0.0, "https://a/", Nav::Load);
    let variants = "sale\tcart>=100\nhero-a\t\nhero-b\t";
    let v = s.decide(1.0, "hero", variants);
    assert!(v == "hero-a" || v == "hero-b", "{v}");
    assert_eq!(s.decide(2.0, "hero", variants), v, "the same for the whole session");
    let added = obj(&[("product_id", Value::Str("s2".into())), ("price", Value::Num(120.0))]);
    s.handle_track(3.0, &Value::Str("Product Added".into()), &added);
    s.handle_track(4.0, &Value::Str("Product Added".into()), &added);
    assert_eq!(
        slot_events(&mut s, 5.0),
        vec![
            serde_json::json!({"slot": "hero", "variant": v, "by": "bandit", "shown": 1}),
            serde_json::json!({"slot": "hero", "variant": v, "converted": 1}),
        ],
        "one shown, one conversion: aggregate counts only"
    );
    let stored = s.profile.serialize();
    assert!(stored.contains(&format!("a\thero\t{v}\t1\t1\t3\n")), "{stored}");
    // the next session (a new Sdk with the stored profile): returning, cart 240 → the rule
    let mut next = Sdk::new(Config::with_endpoint("http://127.0.0.1:8080"), [9; 32], None);
    next.set_privacy(false, None);
    next.restore_profile(&stored);
    next.handle_page(10.0, "https://a/", Nav::Load);
    assert_eq!(next.decide(11.0, "hero", variants), "sale");
    assert_eq!(next.decide(11.0, "hero", "a\treturning\nb\t"), "a", "a changed variant list decides again");
    assert_eq!(next.decide(11.0, "", variants), "", "no slot name");
    assert_eq!(next.decide(11.0, "x", "\n\n"), "", "no variants");
    let shown: Vec<J> = slot_events(&mut next, 12.0);
    assert_eq!(shown[0], serde_json::json!({"slot": "hero", "variant": "sale", "by": "rule", "shown": 1}));
}

#[test]
fn with_personalization_refused_a_slot_shows_the_default_and_nothing_is_kept_or_sent() {
    let mut s = sdk_with(Config::with_endpoint("http://127.0.0.1:8080"));
    s.handle_consent(0.0, &obj(&[("personalization", Value::Bool(false))]));
    s.handle_page(0.0, "https://a/", Nav::Load);
    let _ = all_actions(&mut s);
    for _ in 0..20 {
        assert_eq!(s.decide(1.0, "hero", "vip\treturning\nplain\t\nother\t"), "plain");
    }
    s.slot_converted(2.0, Some("hero"));
    assert!(slot_events(&mut s, 3.0).is_empty());
    assert!(profile_stores(&all_actions(&mut s)).iter().all(String::is_empty));
}

#[test]
fn recommend_options_read_the_limit_then_the_excluded_ids() {
    assert_eq!(Sdk::recommend_opts("8\nshoe-1\nbag-2"), (8, "shoe-1\nbag-2"));
    assert_eq!(Sdk::recommend_opts("0"), (0, ""), "0: a grid's order");
    assert_eq!(Sdk::recommend_opts(""), (4, ""), "no limit: 4");
    assert_eq!(Sdk::recommend_opts("many\nx"), (4, "x"));
}
