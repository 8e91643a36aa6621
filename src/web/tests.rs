//! Browser tests (wasm-bindgen-test in headless Chromium): real DOM, history, events and timers.

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

use super::init;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/src/web/test_support.js")]
extern "C" {
    #[wasm_bindgen(js_name = recordSends)]
    fn record_sends() -> js_sys::Promise;
    #[wasm_bindgen(js_name = sentEvents)]
    fn sent_events() -> Vec<String>;
    #[wasm_bindgen(js_name = sentCount)]
    fn sent_count() -> u32;
    #[wasm_bindgen(js_name = historyPushState)]
    fn history_push_state() -> Function;
    fn sleep(ms: u32) -> js_sys::Promise;
    fn fire(target: &str, kind: &str);
    #[wasm_bindgen(js_name = setHidden)]
    fn set_hidden(hidden: bool);
    #[wasm_bindgen(js_name = configObject)]
    fn config_object(endpoint: &str) -> JsValue;
    #[wasm_bindgen(js_name = gzippedSends)]
    fn gzipped_sends() -> u32;
    #[wasm_bindgen(js_name = liveWatchers)]
    fn live_watchers() -> u32;
}

const ENDPOINT: &str = "http://127.0.0.1:9";

async fn wait(ms: u32) {
    JsFuture::from(sleep(ms)).await.unwrap();
}

fn history() -> web_sys::History {
    web_sys::window().unwrap().history().unwrap()
}

fn push(url: &str) {
    history().push_state_with_url(&JsValue::NULL, "", Some(url)).unwrap();
}

fn replace(url: &str) {
    history().replace_state_with_url(&JsValue::NULL, "", Some(url)).unwrap();
}

fn page_paths() -> Vec<String> {
    sent_events().iter().filter_map(|l| l.strip_prefix("fetch|page||").map(str::to_string)).collect()
}

#[wasm_bindgen_test]
async fn each_spa_navigation_yields_exactly_one_page_view() {
    wasm_bindgen_futures::JsFuture::from(record_sends()).await.unwrap();
    push("/spa-start");
    let v = init(config_object(ENDPOINT)).unwrap();
    push("/spa/a?x=1");
    replace("/spa/a?x=1"); // a router confirming the same URL
    push("/spa/a?x=1#details"); // hash only
    push("/spa/b");
    replace("/spa/c"); // replaceState to a new URL is a navigation
    history().back().unwrap(); // popstate to /spa/a?x=1#details: a new page view of /spa/a
    wait(150).await;
    v.flush();
    wait(50).await;
    assert_eq!(page_paths(), vec!["/spa-start", "/spa/a", "/spa/b", "/spa/c", "/spa/a"]);
    v.shutdown();
}

#[wasm_bindgen_test]
async fn shutdown_detaches_every_listener_the_history_patch_and_the_timer() {
    wasm_bindgen_futures::JsFuture::from(record_sends()).await.unwrap();
    let original = history_push_state();
    let mut cfg = Object::new();
    Reflect::set(&cfg, &"endpoint".into(), &ENDPOINT.into()).unwrap();
    Reflect::set(&cfg, &"flush_interval_ms".into(), &200.into()).unwrap();
    cfg = cfg.unchecked_into();
    let before = live_watchers();
    let v = init(cfg.into()).unwrap();
    assert!(!Object::is(&history_push_state(), &original), "pushState is wrapped while running");
    let attached = live_watchers() - before;
    assert!(attached >= 20, "listeners and observers attached: {attached}");

    // While running: navigation, hiding and the flush timer all act.
    push("/attached");
    set_hidden(true); // visibilitychange -> beacon
    set_hidden(false);
    let after_hide = sent_count();
    assert!(sent_events().iter().any(|l| l == "beacon|page||/attached"), "{:?}", sent_events());
    v.track("Timer Test".into(), JsValue::UNDEFINED);
    wait(350).await; // the 200 ms flush timer fires
    assert!(sent_events().iter().any(|l| l == "fetch|track|Timer Test|/attached"), "{:?}", sent_events());
    assert!(sent_count() > after_hide);

    v.track("Pending".into(), JsValue::UNDEFINED);
    v.shutdown(); // the pending event leaves by beacon
    assert!(Object::is(&history_push_state(), &original), "pushState restored");
    assert_eq!(live_watchers(), before, "every listener and observer detached");
    assert_eq!(sent_events().last().map(String::as_str), Some("beacon|track|Pending|/attached"));
    let at_shutdown = sent_count();

    // After shutdown nothing reacts: no listener, no patch, no timer.
    push("/detached");
    fire("window", "popstate");
    fire("window", "pagehide");
    set_hidden(true);
    set_hidden(false);
    v.track("After".into(), JsValue::UNDEFINED);
    v.page();
    v.flush();
    wait(350).await;
    assert_eq!(sent_count(), at_shutdown, "{:?}", sent_events());

    // A new instance can start afterwards.
    let v2 = init(config_object(ENDPOINT)).unwrap();
    v2.flush();
    wait(20).await;
    assert_eq!(sent_events().last().map(String::as_str), Some("fetch|page||/detached"));
    v2.shutdown();
}

#[wasm_bindgen_test]
fn a_bad_config_throws_a_vitrina_error_naming_the_field() {
    let cases: [(JsValue, &str, &str); 4] = [
        (
            {
                let o = Object::new();
                Reflect::set(&o, &"endpoint".into(), &"ftp://x".into()).unwrap();
                o.into()
            },
            "endpoint",
            "endpoint: expected an http(s) URL, got \"ftp://x\"",
        ),
        (
            {
                let o = Object::new();
                Reflect::set(&o, &"endpoint".into(), &ENDPOINT.into()).unwrap();
                Reflect::set(&o, &"max_batch_events".into(), &0.into()).unwrap();
                o.into()
            },
            "max_batch_events",
            "max_batch_events: expected an integer from 1 to 500, got 0",
        ),
        (JsValue::UNDEFINED, "config", "config: expected an object, got null"),
        (Object::new().into(), "endpoint", "endpoint: expected an http(s) URL, got nothing"),
    ];
    for (cfg, field, message) in cases {
        let Err(e) = init(cfg) else { panic!("init accepted a bad config") };
        let e: js_sys::Error = e.dyn_into().expect("an Error");
        assert_eq!(String::from(e.name()), "VitrinaError");
        assert_eq!(String::from(e.message()), message);
        assert_eq!(Reflect::get(&e, &"field".into()).unwrap().as_string().as_deref(), Some(field));
    }
}

#[wasm_bindgen_test]
async fn batches_over_a_kilobyte_are_gzipped_small_ones_are_not() {
    wasm_bindgen_futures::JsFuture::from(record_sends()).await.unwrap();
    let v = init(config_object(ENDPOINT)).unwrap();
    v.flush();
    wait(50).await;
    assert_eq!(gzipped_sends(), 0, "a small batch goes as it is");
    for i in 0..15 {
        let props = Object::new();
        Reflect::set(&props, &"description".into(), &"Zapatilla de running ligera con amortiguación".into()).unwrap();
        Reflect::set(&props, &"i".into(), &i.into()).unwrap();
        v.track("Product Viewed".into(), props.into());
    }
    v.flush();
    wait(100).await;
    assert_eq!(gzipped_sends(), 1);
    assert_eq!(
        sent_events().iter().filter(|l| l.contains("|track|Product Viewed|")).count(),
        15,
        "{:?}",
        sent_events()
    );
    v.shutdown();
}

#[wasm_bindgen(module = "/src/web/test_support.js")]
extern "C" {
    #[wasm_bindgen(js_name = putItem)]
    fn put_item(key: &str, value: &str);
    #[wasm_bindgen(js_name = hasItem)]
    fn has_item(key: &str) -> bool;
    #[wasm_bindgen(js_name = holdLockForever)]
    fn hold_lock_forever(name: &str);
    #[wasm_bindgen(js_name = outboxText)]
    fn outbox_text(heartbeat: f64, ids: Vec<String>) -> String;
}

#[wasm_bindgen_test]
async fn with_web_locks_a_slot_is_adopted_exactly_when_its_page_is_gone() {
    wasm_bindgen_futures::JsFuture::from(record_sends()).await.unwrap();
    let now = js_sys::Date::now();
    // A live page (its lock is held) with a fresh slot, and a crashed page (no lock) whose
    // slot is just as fresh: the heartbeat rule would keep both; the locks tell them apart.
    hold_lock_forever("vitrina.tab.LIVE");
    put_item("vitrina.outbox.LIVE", &outbox_text(now, vec!["liveliveliveliveliveAA".into()]));
    put_item(
        "vitrina.outbox.GONE",
        &outbox_text(now, vec!["gonegonegonegonegoneAA".into(), "gonegonegonegonegoneBB".into()]),
    );
    wait(50).await;
    let v = init(config_object(ENDPOINT)).unwrap();
    wait(100).await; // claiming is asynchronous
    v.flush();
    wait(50).await;
    let from_slots = sent_events().iter().filter(|l| l.contains("|track|From Slot|")).count();
    assert_eq!(from_slots, 2, "only the gone page's events: {:?}", sent_events());
    assert!(!has_item("vitrina.outbox.GONE"), "the claimed slot is removed");
    assert!(has_item("vitrina.outbox.LIVE"), "the live page keeps its slot");
    v.shutdown();
}

#[wasm_bindgen_test]
fn the_heap_reuses_freed_blocks_and_keeps_every_byte() {
    // Warm up every class used below, then the same churn must not grow the memory.
    let churn = |round: u32| {
        let mut held: Vec<Vec<u8>> = Vec::new();
        for i in 0..2000u32 {
            let n = ((i * 37 + round) % 5000) as usize;
            held.push(vec![(i % 251) as u8; n]);
            if i % 3 == 0 {
                let v = held.swap_remove((i as usize * 7) % held.len());
                assert!(v.iter().all(|b| *b == v.first().copied().unwrap_or(0)), "a block was overwritten");
            }
        }
        for (k, v) in held.iter().enumerate() {
            assert!(v.iter().all(|b| *b == v.first().copied().unwrap_or(0)), "block {k} was overwritten");
        }
        let mut s = String::new();
        for i in 0..3000 {
            s.push(char::from(b'a' + (i % 26) as u8)); // grows by realloc through many classes
        }
        assert_eq!(s.len(), 3000);
        assert!(s.bytes().enumerate().all(|(i, b)| b == b'a' + (i % 26) as u8));
    };
    churn(0);
    let pages = core::arch::wasm32::memory_size(0);
    for round in 1..20 {
        churn(round % 3);
    }
    assert_eq!(core::arch::wasm32::memory_size(0), pages, "the same churn again took no new memory");
}
