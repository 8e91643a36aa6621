//! Browser tests of consent: opt-in holds everything in memory, GPC means refused, the decision
//! persists in localStorage.

use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use super::init;

#[wasm_bindgen(module = "/src/web/test_support.js")]
extern "C" {
    #[wasm_bindgen(js_name = recordSends)]
    fn record_sends() -> js_sys::Promise;
    #[wasm_bindgen(js_name = sentEvents)]
    fn sent_events() -> Vec<String>;
    #[wasm_bindgen(js_name = sentCount)]
    fn sent_count() -> u32;
    fn sleep(ms: u32) -> js_sys::Promise;
    fn fire(target: &str, kind: &str);
    #[wasm_bindgen(js_name = clearStorage)]
    fn clear_storage();
    #[wasm_bindgen(js_name = storedItem)]
    fn stored_item(area: &str, key: &str) -> Option<String>;
    #[wasm_bindgen(js_name = setGpc)]
    fn set_gpc(on: bool);
    #[wasm_bindgen(js_name = optInConfig)]
    fn opt_in_config(endpoint: &str) -> JsValue;
    #[wasm_bindgen(js_name = configObject)]
    fn config_object(endpoint: &str) -> JsValue;
}

async fn wait(ms: u32) {
    wasm_bindgen_futures::JsFuture::from(sleep(ms)).await.unwrap();
}

fn consent(analytics: bool) -> JsValue {
    let o = js_sys::Object::new();
    js_sys::Reflect::set(&o, &"analytics".into(), &analytics.into()).unwrap();
    o.into()
}

#[wasm_bindgen_test]
async fn opt_in_sends_and_stores_nothing_before_consent_then_everything_held() {
    clear_storage();
    wasm_bindgen_futures::JsFuture::from(record_sends()).await.unwrap();
    let v = init(opt_in_config("http://127.0.0.1:9")).unwrap();
    v.track("Held".into(), JsValue::UNDEFINED);
    v.flush();
    fire("window", "pagehide");
    wait(20).await;
    assert_eq!(sent_count(), 0, "no request before consent");
    assert_eq!(stored_item("session", "vitrina.sid"), None, "no session id stored before consent");
    v.set_consent(consent(true));
    wait(20).await;
    let sent = sent_events();
    assert!(sent.iter().any(|l| l.contains("|track|Held|")), "{sent:?}");
    assert!(stored_item("session", "vitrina.sid").is_some());
    assert_eq!(stored_item("local", "vitrina.consent").as_deref(), Some("v1:1--"));
    v.shutdown();
    clear_storage();
}

#[wasm_bindgen_test]
async fn refusing_drops_what_was_held_and_the_refusal_is_remembered() {
    clear_storage();
    wasm_bindgen_futures::JsFuture::from(record_sends()).await.unwrap();
    let v = init(opt_in_config("http://127.0.0.1:9")).unwrap();
    v.track("Held".into(), JsValue::UNDEFINED);
    v.set_consent(consent(false));
    v.track("After".into(), JsValue::UNDEFINED);
    v.flush();
    fire("window", "pagehide");
    wait(20).await;
    assert_eq!(sent_count(), 0);
    v.shutdown();
    // a later page (a new instance) remembers the refusal, even in opt-out mode
    let v2 = init(config_object("http://127.0.0.1:9")).unwrap();
    v2.track("Later".into(), JsValue::UNDEFINED);
    v2.flush();
    wait(20).await;
    assert_eq!(sent_count(), 0, "{:?}", sent_events());
    v2.shutdown();
    clear_storage();
}

#[wasm_bindgen_test]
async fn global_privacy_control_means_refused_unless_the_shopper_agrees() {
    clear_storage();
    wasm_bindgen_futures::JsFuture::from(record_sends()).await.unwrap();
    set_gpc(true);
    let v = init(config_object("http://127.0.0.1:9")).unwrap();
    v.track("Nope".into(), JsValue::UNDEFINED);
    v.flush();
    wait(20).await;
    assert_eq!(sent_count(), 0, "{:?}", sent_events());
    v.set_consent(consent(true));
    v.track("Yes".into(), JsValue::UNDEFINED);
    v.flush();
    wait(20).await;
    assert!(sent_events().iter().any(|l| l.contains("|track|Yes|")), "{:?}", sent_events());
    assert!(!sent_events().iter().any(|l| l.contains("|track|Nope|")));
    v.shutdown();
    set_gpc(false);
    clear_storage();
}
