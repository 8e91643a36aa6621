use super::*;
use crate::core::event::EventType;
use crate::core::value::Value;
use serde_json::Value as J;

const ENV: Envelope = Envelope { site: "shop", sdk: "vitrina/test" };

fn ev(i: usize) -> Event {
    Event {
        id: format!("id{i:04}"),
        kind: EventType::Track,
        name: "E".into(),
        sid: "s".into(),
        did: String::new(),
        path: "/".into(),
        at_ms: i as f64,
        props: String::new(),
    }
}

fn ids(body: &str) -> Vec<String> {
    let j: J = serde_json::from_str(body).unwrap();
    j["events"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_string()).collect()
}

fn rng() -> Rng {
    Rng::from_seed([3; 32])
}

#[test]
fn nothing_is_due_below_both_thresholds() {
    let mut o = Outbox::new(20, 5000);
    for i in 0..19 {
        o.push(0.0, ev(i));
    }
    assert!(o.poll_batch(4999.0, false, &ENV).is_none());
    assert_eq!(o.poll_timeout(), Some(5000.0));
}

#[test]
fn the_twentieth_event_makes_a_batch_of_twenty() {
    let mut o = Outbox::new(20, 5000);
    for i in 0..25 {
        o.push(0.0, ev(i));
    }
    let b = o.poll_batch(1.0, false, &ENV).unwrap();
    assert_eq!(b.events, 20);
    assert_eq!(ids(&b.body).len(), 20);
    assert_eq!(ids(&b.body)[0], "id0000");
    assert_eq!(o.queued(), 5);
    // one batch in flight at a time
    assert!(o.poll_batch(1.0, true, &ENV).is_none());
    assert_eq!(o.poll_timeout(), None);
}

#[test]
fn the_interval_flushes_a_partial_batch_exactly_at_the_deadline() {
    let mut o = Outbox::new(20, 5000);
    o.push(100.0, ev(0));
    o.push(2000.0, ev(1));
    assert_eq!(o.poll_timeout(), Some(5100.0));
    assert!(o.poll_batch(5099.9, false, &ENV).is_none());
    let b = o.poll_batch(5100.0, false, &ENV).unwrap();
    assert_eq!(b.events, 2);
}

#[test]
fn flush_forces_a_partial_batch() {
    let mut o = Outbox::new(20, 5000);
    o.push(0.0, ev(0));
    assert_eq!(o.poll_batch(1.0, true, &ENV).unwrap().events, 1);
    let mut empty = Outbox::new(20, 5000);
    assert!(empty.poll_batch(1.0, true, &ENV).is_none());
}

#[test]
fn batch_envelope_has_version_site_sdk_and_sent_at() {
    let mut o = Outbox::new(20, 5000);
    o.push(1000.0, ev(0));
    let b = o.poll_batch(1_700_000_000_000.0, true, &ENV).unwrap();
    let j: J = serde_json::from_str(&b.body).unwrap();
    assert_eq!(j["v"], 1);
    assert_eq!(j["site"], "shop");
    assert_eq!(j["sdk"], "vitrina/test");
    assert_eq!(j["sent_at"].as_u64(), Some(1_700_000_000_000));
    assert!(j.get("dropped").is_none());
}

#[test]
fn delivery_clears_the_batch_and_the_reported_drop_counts() {
    let mut o = Outbox::new(20, 5000);
    let mut r = rng();
    o.count_drop("invalid_call", 2);
    o.push(0.0, ev(0));
    let b = o.poll_batch(0.0, true, &ENV).unwrap();
    let j: J = serde_json::from_str(&b.body).unwrap();
    assert_eq!(j["dropped"]["invalid_call"], 2);
    o.count_drop("invalid_call", 1); // happens while in flight: not in that batch
    assert_eq!(
        o.settle(10.0, b.id, SendOutcome::Status { code: 200, retry_after_s: None }, &mut r),
        Settled::Delivered(1)
    );
    assert_eq!(o.pending_drops(), vec![("invalid_call", 1)]);
    assert!(!o.in_flight());
    assert_eq!(o.settle(10.0, b.id, SendOutcome::NetworkError, &mut r), Settled::Unknown);
}

#[test]
fn client_errors_drop_and_count_the_batch() {
    for code in [400u16, 401, 403, 404, 413, 422] {
        let mut o = Outbox::new(20, 5000);
        let mut r = rng();
        o.push(0.0, ev(0));
        o.push(0.0, ev(1));
        let b = o.poll_batch(0.0, true, &ENV).unwrap();
        assert_eq!(
            o.settle(1.0, b.id, SendOutcome::Status { code, retry_after_s: None }, &mut r),
            Settled::Rejected(2)
        );
        assert_eq!(o.queued(), 0);
        assert_eq!(o.pending_drops(), vec![("rejected", 2)]);
    }
}

#[test]
fn network_errors_5xx_408_and_429_retry_in_order_with_backoff() {
    for outcome in [
        SendOutcome::NetworkError,
        SendOutcome::Status { code: 500, retry_after_s: None },
        SendOutcome::Status { code: 503, retry_after_s: None },
        SendOutcome::Status { code: 408, retry_after_s: None },
        SendOutcome::Status { code: 429, retry_after_s: None },
    ] {
        let mut o = Outbox::new(2, 5000);
        let mut r = rng();
        for i in 0..3 {
            o.push(0.0, ev(i));
        }
        let b = o.poll_batch(0.0, false, &ENV).unwrap();
        let Settled::RetryAt(at) = o.settle(100.0, b.id, outcome, &mut r) else { panic!() };
        assert!((100.0..=1100.0).contains(&at), "{at}");
        assert_eq!(o.queued(), 3);
        assert!(o.poll_batch(at - 0.1, true, &ENV).is_none(), "retry delay holds even for flush()");
        let b2 = o.poll_batch(at, false, &ENV).unwrap();
        assert_eq!(ids(&b2.body), vec!["id0000", "id0001"]);
    }
}

#[test]
fn retry_after_is_honoured_and_capped() {
    let mut o = Outbox::new(20, 5000);
    let mut r = rng();
    o.push(0.0, ev(0));
    let b = o.poll_batch(0.0, true, &ENV).unwrap();
    assert_eq!(
        o.settle(0.0, b.id, SendOutcome::Status { code: 429, retry_after_s: Some(7.0) }, &mut r),
        Settled::RetryAt(7000.0)
    );
    let b = o.poll_batch(7000.0, true, &ENV).unwrap();
    assert_eq!(
        o.settle(7000.0, b.id, SendOutcome::Status { code: 503, retry_after_s: Some(86_400.0) }, &mut r),
        Settled::RetryAt(7000.0 + RETRY_CAP_MS)
    );
}

#[test]
fn backoff_doubles_from_one_second_up_to_five_minutes() {
    assert_eq!(backoff_ms(0, 0.999_999), 999.999);
    assert_eq!(backoff_ms(1, 1.0), 2000.0);
    assert_eq!(backoff_ms(4, 1.0), 16_000.0);
    assert_eq!(backoff_ms(8, 1.0), 256_000.0);
    assert_eq!(backoff_ms(9, 1.0), RETRY_CAP_MS);
    assert_eq!(backoff_ms(1000, 1.0), RETRY_CAP_MS);
    assert_eq!(backoff_ms(5, 0.0), 0.0);
}

#[test]
fn jitter_spreads_retries_over_the_whole_window() {
    let mut r = rng();
    let draws: Vec<f64> = (0..1000).map(|_| backoff_ms(3, r.next_f64())).collect();
    assert!(draws.iter().all(|d| (0.0..8000.0).contains(d)));
    assert!(draws.iter().any(|d| *d < 1000.0) && draws.iter().any(|d| *d > 7000.0));
}

#[test]
fn success_after_failures_resets_the_backoff() {
    let mut o = Outbox::new(1, 5000);
    let mut r = rng();
    o.push(0.0, ev(0));
    let mut now = 0.0;
    for _ in 0..5 {
        let b = o.poll_batch(now, true, &ENV).unwrap();
        let Settled::RetryAt(at) = o.settle(now, b.id, SendOutcome::NetworkError, &mut r) else { panic!() };
        now = at;
    }
    let b = o.poll_batch(now, true, &ENV).unwrap();
    o.settle(now, b.id, SendOutcome::Status { code: 204, retry_after_s: None }, &mut r);
    o.push(now, ev(1));
    let b = o.poll_batch(now, false, &ENV).unwrap();
    let Settled::RetryAt(at) = o.settle(now, b.id, SendOutcome::NetworkError, &mut r) else { panic!() };
    assert!(at - now <= 1000.0, "first retry after a success waits at most 1 s");
}

#[test]
fn beacon_takes_queued_and_in_flight_events() {
    let mut o = Outbox::new(2, 5000);
    let mut r = rng();
    for i in 0..5 {
        o.push(0.0, ev(i));
    }
    let f = o.poll_batch(0.0, false, &ENV).unwrap();
    let beacons = o.drain_for_beacon(10.0, &ENV);
    assert_eq!(beacons.len(), 1);
    assert_eq!(ids(&beacons[0].body), vec!["id0000", "id0001", "id0002", "id0003", "id0004"]);
    assert_eq!(o.queued(), 0);
    assert_eq!(o.settle(11.0, beacons[0].id, SendOutcome::BeaconQueued, &mut r), Settled::Delivered(5));
    // the cancelled fetch reports a network error: its events are queued again (the collector
    // will dedupe them if they were also stored)
    assert!(matches!(o.settle(12.0, f.id, SendOutcome::NetworkError, &mut r), Settled::RetryAt(_)));
}

#[test]
fn beacon_bodies_stay_under_the_limit_and_keep_every_event_once() {
    let mut o = Outbox::new(20, 5000);
    let big = "x".repeat(1000);
    for i in 0..200 {
        let mut e = ev(i);
        e.props = Value::Obj(vec![("pad".into(), Value::Str(big.clone()))]).to_json();
        o.push(0.0, e);
    }
    o.count_drop("invalid_call", 4);
    let beacons = o.drain_for_beacon(0.0, &ENV);
    assert!(beacons.len() >= 4, "{}", beacons.len());
    let mut all = Vec::new();
    for (i, b) in beacons.iter().enumerate() {
        assert!(b.body.len() <= BEACON_LIMIT_BYTES, "{}", b.body.len());
        let j: J = serde_json::from_str(&b.body).unwrap();
        assert_eq!(j.get("dropped").is_some(), i == 0, "drop counts ride with the first body only");
        all.extend(ids(&b.body));
    }
    let expected: Vec<String> = (0..200).map(|i| format!("id{i:04}")).collect();
    assert_eq!(all, expected);
}

#[test]
fn refused_beacons_put_events_back_for_fetch() {
    let mut o = Outbox::new(20, 5000);
    let mut r = rng();
    o.push(0.0, ev(0));
    let beacons = o.drain_for_beacon(0.0, &ENV);
    assert!(matches!(o.settle(0.0, beacons[0].id, SendOutcome::NetworkError, &mut r), Settled::RetryAt(_)));
    assert_eq!(o.queued(), 1);
}

#[test]
fn drops_alone_are_reported_by_beacon_and_an_empty_outbox_sends_nothing() {
    let mut o = Outbox::new(20, 5000);
    assert!(o.drain_for_beacon(0.0, &ENV).is_empty());
    o.count_drop("rejected", 3);
    let b = o.drain_for_beacon(0.0, &ENV);
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].events, 0);
    assert!(b[0].body.contains(r#""dropped":{"rejected":3}"#));
}

#[test]
fn retry_after_parses_seconds_only() {
    assert_eq!(parse_retry_after("120"), Some(120.0));
    assert_eq!(parse_retry_after(" 0 "), Some(0.0));
    assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    assert_eq!(parse_retry_after("-1"), None);
    assert_eq!(parse_retry_after("1.5"), None);
    assert_eq!(parse_retry_after(""), None);
}

fn with_props(i: usize, props: &str) -> Event {
    let mut e = ev(i);
    e.props = props.to_string();
    e.name = "Tab\tand\nnewline \\ name".into();
    e.path = "/p?q=1".into();
    e.did = "dev\t1".into();
    e
}

#[test]
fn a_snapshot_round_trips_every_field_and_is_adopted_when_closed() {
    let mut a = Outbox::new(20, 5000);
    a.push(1000.0, with_props(1, r#"{"price":79.95,"t":"a\tb"}"#));
    a.push(1001.4, ev(2));
    assert!(a.is_dirty());
    let snap = a.snapshot(5000.0, true);
    assert!(!a.is_dirty());
    assert!(snap.starts_with("vitrina-outbox 1 5000 1\n"), "{snap}");
    let mut b = Outbox::new(20, 5000);
    assert_eq!(b.adopt(6000.0, &snap, false), Some(2));
    let batch = b.poll_batch(6000.0, true, &ENV).unwrap();
    let j: J = serde_json::from_str(&batch.body).unwrap();
    assert_eq!(j["events"][0]["id"], "id0001");
    assert_eq!(j["events"][0]["name"], "Tab\tand\nnewline \\ name");
    assert_eq!(j["events"][0]["props"]["price"], 79.95);
    assert_eq!(j["events"][0]["props"]["t"], "a\tb");
    assert_eq!(j["events"][0]["offset_ms"], 5999, "the original time (1 ms) survives");
    assert_eq!(j["events"][1]["offset_ms"], 5998);
    assert_eq!(j["events"][0]["did"], "dev\t1", "the device id survives");
    assert!(j["events"][1].get("did").is_none(), "no device id: none stored, none sent");
}

#[test]
fn a_live_page_outbox_is_not_adopted_until_it_goes_silent() {
    let mut a = Outbox::new(20, 5000);
    a.push(0.0, ev(1));
    let snap = a.snapshot(10_000.0, false);
    let mut b = Outbox::new(20, 5000);
    assert_eq!(b.adopt(10_000.0 + ORPHAN_AFTER_MS - 1.0, &snap, false), None);
    assert_eq!(b.adopt(10_000.0 + ORPHAN_AFTER_MS, &snap, false), Some(1));
    assert_eq!(b.adopt(0.0, "not an outbox", false), None);
    // adopting twice does not duplicate
    assert_eq!(b.adopt(10_000.0 + ORPHAN_AFTER_MS, &snap, false), Some(0));
}

#[test]
fn damaged_lines_are_skipped() {
    let mut a = Outbox::new(20, 5000);
    a.push(0.0, ev(1));
    a.push(0.0, ev(2));
    let snap = a.snapshot(0.0, true);
    let damaged = snap.replace("id0002\ttrack", "id0002\tbogus") + "half\tline\n";
    let mut b = Outbox::new(20, 5000);
    assert_eq!(b.adopt(1.0, &damaged, false), Some(1));
}

#[test]
fn in_flight_and_beaconed_events_stay_stored_until_confirmed() {
    let mut o = Outbox::new(2, 5000);
    let mut r = rng();
    for i in 0..3 {
        o.push(0.0, ev(i));
    }
    let f = o.poll_batch(0.0, false, &ENV).unwrap(); // 0 and 1 in flight
    assert_eq!(persist::read_events(&o.snapshot(1.0, false)).len(), 3, "in-flight events are stored");
    for b in o.drain_for_beacon(2.0, &ENV) {
        o.settle(2.0, b.id, SendOutcome::BeaconQueued, &mut r);
    }
    let snap = o.snapshot(3.0, true);
    assert_eq!(persist::read_events(&snap).len(), 3, "beaconed events are kept for a later page to confirm");
    o.settle(4.0, f.id, SendOutcome::Status { code: 200, retry_after_s: None }, &mut r);
    let mut next = Outbox::new(20, 5000);
    assert_eq!(next.adopt(10.0, &snap, false), Some(3));
}

#[test]
fn the_byte_cap_drops_the_oldest_and_counts_them() {
    let mut o = Outbox::new(500, 5000);
    o.set_max_bytes(10_000);
    let pad = Value::Obj(vec![("pad".into(), Value::Str("x".repeat(900)))]).to_json();
    for i in 0..30 {
        let mut e = ev(i);
        e.props = pad.clone();
        o.push(i as f64, e);
    }
    assert!(o.queued() < 30 && o.queued() >= 9, "{}", o.queued());
    let dropped = o.pending_drops().iter().find(|(r, _)| *r == "queue_full").map(|(_, n)| *n).unwrap();
    assert_eq!(dropped as usize + o.queued(), 30);
    let b = o.poll_batch(100.0, true, &ENV).unwrap();
    assert_eq!(ids(&b.body)[0], format!("id{:04}", dropped), "the oldest went first");
}
