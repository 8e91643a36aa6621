//! Browser tests of the friction edge: real DOM events in headless Chromium produce each signal.

use serde_json::Value as J;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use super::init;

#[wasm_bindgen(module = "/src/web/test_support.js")]
extern "C" {
    #[wasm_bindgen(js_name = recordSends)]
    fn record_sends() -> js_sys::Promise;
    #[wasm_bindgen(js_name = frictionEvents)]
    fn friction_events() -> String;
    fn sleep(ms: u32) -> js_sys::Promise;
    fn fire(target: &str, kind: &str);
    #[wasm_bindgen(js_name = frictionConfig)]
    fn friction_config(endpoint: &str) -> JsValue;
    #[wasm_bindgen(js_name = addHtml)]
    fn add_html(html: &str);
    #[wasm_bindgen(js_name = clearHtml)]
    fn clear_html();
    #[wasm_bindgen(js_name = clickAt)]
    fn click_at(selector: &str, x: f64, y: f64);
    #[wasm_bindgen(js_name = onClickThrow)]
    fn on_click_throw(selector: &str, message: &str);
    #[wasm_bindgen(js_name = onClickMutate)]
    fn on_click_mutate(selector: &str);
    #[wasm_bindgen(js_name = scrollToY)]
    fn scroll_to_y(y: f64);
    #[wasm_bindgen(js_name = focusEl)]
    fn focus_el(selector: &str);
    #[wasm_bindgen(js_name = typeInto)]
    fn type_into(selector: &str, text: &str);
    fn busy(ms: u32);
    #[wasm_bindgen(js_name = ignoreWindowErrors)]
    fn ignore_window_errors();
}

async fn wait(ms: u32) {
    wasm_bindgen_futures::JsFuture::from(sleep(ms)).await.unwrap();
}

fn findings(name: &str) -> Vec<J> {
    let all: Vec<J> = serde_json::from_str(&friction_events()).unwrap();
    all.into_iter().filter(|e| e["name"] == name).collect()
}

/// Builds the page, lets its DOM mutations and scroll events settle (they arrive a microtask or
/// a frame later, and would otherwise count as reactions to the first click), then starts.
async fn start(html: &str) -> super::Vitrina {
    clear_html();
    add_html(html);
    wait(60).await;
    wasm_bindgen_futures::JsFuture::from(record_sends()).await.unwrap();
    init(friction_config("http://127.0.0.1:9")).unwrap()
}

#[wasm_bindgen_test]
async fn three_quick_clicks_in_one_place_are_a_rage_click_but_steppers_are_not() {
    let v = start(r#"<button id="size-guide">Ver guía de tallas</button><button id="qty-plus">+</button>"#).await;
    for i in 0..3 {
        click_at("#size-guide", 100.0 + i as f64, 100.0);
        click_at("#qty-plus", 300.0, 100.0 + i as f64 * 40.0); // far away: does not join the burst
        click_at("#qty-plus", 300.0, 100.0 + i as f64 * 40.0);
        click_at("#qty-plus", 300.0, 100.0 + i as f64 * 40.0);
    }
    wait(300).await; // the burst closes 200 ms after its last click
    v.flush();
    wait(20).await;
    let rage = findings("rage_click");
    assert_eq!(rage.len(), 1, "{}", friction_events());
    assert_eq!(rage[0]["props"]["sel"], "#size-guide");
    assert_eq!(rage[0]["props"]["count"], 3);
    v.shutdown();
}

#[wasm_bindgen_test]
async fn a_click_that_changes_nothing_is_a_dead_click_and_one_that_mutates_is_not() {
    let v =
        start(r##"<button id="dead">Nada</button><button id="alive">Algo</button><a href="#x" id="link">link</a>"##)
            .await;
    on_click_mutate("#alive");
    // Any DOM change makes every pending click alive (SIGNALS.md), so the clicks are spaced out.
    click_at("#dead", 10.0, 10.0);
    wait(400).await;
    click_at("#alive", 200.0, 10.0);
    click_at("#link", 400.0, 10.0);
    wait(400).await;
    v.flush();
    wait(20).await;
    let dead = findings("dead_click");
    let sels: Vec<&str> = dead.iter().filter_map(|d| d["props"]["sel"].as_str()).collect();
    assert_eq!(sels, vec!["#dead"], "{}", friction_events());
    v.shutdown();
}

#[wasm_bindgen_test]
async fn a_click_followed_by_an_uncaught_error_is_an_error_click_with_a_scrubbed_message() {
    ignore_window_errors();
    let v = start(r#"<button id="coupon-apply">Aplicar</button>"#).await;
    on_click_throw("#coupon-apply", "Coupon service unavailable for ana@correo.es");
    click_at("#coupon-apply", 10.0, 10.0);
    wait(20).await;
    v.flush();
    wait(20).await;
    let ec = findings("error_click");
    assert_eq!(ec.len(), 1, "{}", friction_events());
    assert_eq!(ec[0]["props"]["sel"], "#coupon-apply");
    let m = ec[0]["props"]["message"].as_str().unwrap();
    assert!(m.contains("Coupon service unavailable for [email]") && !m.contains("ana@"), "{m}");
    let js = findings("js_error");
    assert_eq!(js.len(), 1);
    v.shutdown();
}

#[wasm_bindgen_test]
async fn going_back_within_ten_seconds_is_a_quick_back() {
    let v = start("").await;
    let h = web_sys::window().unwrap().history().unwrap();
    h.push_state_with_url(&JsValue::NULL, "", Some("/qb-list?c=shoes")).unwrap();
    h.push_state_with_url(&JsValue::NULL, "", Some("/qb-product")).unwrap();
    h.back().unwrap();
    wait(150).await;
    v.flush();
    wait(20).await;
    let qb = findings("quick_back");
    assert_eq!(qb.len(), 1, "{}", friction_events());
    assert_eq!(qb[0]["props"]["from"], "/qb-product");
    assert_eq!(qb[0]["path"], "/qb-list");
    assert!(qb[0]["props"]["dwell_ms"].as_f64().unwrap() < 10_000.0);
    v.shutdown();
}

#[wasm_bindgen_test]
async fn scrolling_up_and_down_looking_for_something_is_a_scroll_hunt() {
    let v = start(r#"<div style="height:6000px">tall</div>"#).await;
    // The position starts at 0 on the page view made by init.
    for y in [300.0, 900.0, 400.0, 1200.0, 600.0] {
        scroll_to_y(y);
        wait(60).await; // scroll events fire on the next frame
    }
    v.flush();
    wait(20).await;
    let sh = findings("scroll_hunt");
    assert_eq!(sh.len(), 1, "{}", friction_events());
    assert_eq!(sh[0]["props"]["reversals"], 3);
    v.shutdown();
}

#[wasm_bindgen_test]
async fn returning_to_a_filled_field_and_leaving_the_form_are_detected() {
    let v = start("").await;
    add_html(
        r#"<form id="checkout"><input name="email" id="f-email"><input name="phone" id="f-phone"><input name="card" id="f-card"></form>"#,
    );
    type_into("#f-email", "ana@correo.es");
    focus_el("#f-phone"); // blur email, filled
    type_into("#f-phone", "612345678");
    focus_el("#f-email"); // back to email: a field return
    focus_el("#f-card");
    fire("window", "pagehide"); // leaving with the form unsubmitted
    wait(20).await;
    let fr = findings("field_return");
    assert_eq!(fr.len(), 1, "{}", friction_events());
    assert_eq!(fr[0]["props"]["form"], "checkout");
    assert_eq!(fr[0]["props"]["field"], "email");
    let fa = findings("form_abandon");
    assert_eq!(fa.len(), 1, "{}", friction_events());
    assert_eq!(fa[0]["props"]["last_field"], "card");
    assert_eq!(fa[0]["props"]["fields"], 3);
    assert!(
        !friction_events().contains("ana@correo") && !friction_events().contains("612345678"),
        "values never leave"
    );
    v.shutdown();
}

#[wasm_bindgen_test]
async fn a_busy_main_thread_is_a_long_task_and_vitals_are_rated() {
    let v = start(r#"<p style="font-size:40px">Rebajas de invierno</p>"#).await;
    wait(50).await;
    busy(120);
    wait(200).await; // the longtask entry is delivered asynchronously
    fire("window", "pagehide"); // LCP, CLS and INP become final
    wait(20).await;
    let lt = findings("long_task");
    assert!(!lt.is_empty(), "{}", friction_events());
    assert!(lt.iter().any(|l| l["props"]["duration"].as_f64().unwrap() >= 100.0));
    let vitals = findings("vital");
    let names: Vec<&str> = vitals.iter().filter_map(|x| x["props"]["name"].as_str()).collect();
    assert!(names.contains(&"TTFB"), "{names:?}");
    for x in &vitals {
        let rating = x["props"]["rating"].as_str().unwrap();
        assert!(["good", "needs-improvement", "poor"].contains(&rating));
    }
    v.shutdown();
}

#[wasm_bindgen_test]
async fn ignored_elements_and_editable_fields_are_invisible_to_rage_clicks() {
    let v = start(r#"<div data-vitrina-ignore><button id="ign">x</button></div><input id="txt">"#).await;
    for _ in 0..4 {
        click_at("#ign", 10.0, 10.0);
        click_at("#txt", 200.0, 10.0);
    }
    wait(400).await;
    v.flush();
    wait(20).await;
    assert!(findings("rage_click").is_empty(), "{}", friction_events());
    assert!(findings("dead_click").is_empty(), "{}", friction_events());
    v.shutdown();
}
