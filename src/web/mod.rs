//! The browser edge: the JS API (`init`, `track`, `page`, `flush`, `shutdown`) and the glue that
//! turns DOM events into core inputs. It holds no business rules: those live in `crate::core`.

mod convert;
mod friction;
mod runtime;

use std::cell::Cell;

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::{Config, Nav, Sdk};
use convert::to_value;
use runtime::{
    current_url, dispatch, hold_tab_lock, now_ms, Input, Runtime, CONSENT_KEY, DEVICE_KEY, NAV_KEY, OUTBOX_PREFIX,
    PROFILE_KEY, REVIEWED_KEY, SESSION_KEY, SURVEYS_KEY,
};

#[wasm_bindgen(module = "/src/web/store.js")]
extern "C" {
    #[wasm_bindgen(js_name = claimOrphans)]
    fn claim_orphans_js(prefix: &str, own_slot: &str) -> JsValue;
    /// `[seed, sid, nav, consent, reviewed, device, surveys, profile, privacy signal, lang]`
    /// (see store.js).
    #[wasm_bindgen(js_name = readPage)]
    fn read_page(keys: Vec<JsValue>) -> Array;
    #[wasm_bindgen(js_name = storedSlots)]
    fn stored_slots(prefix: &str) -> Array;
    #[wasm_bindgen(js_name = removeSlot)]
    fn remove_slot(key: &str);
}

/// Claims the slots of pages that are gone, under the exclusive adoption lock (a Promise of
/// their texts; `None`: no Web Locks here).
fn claim_orphans(prefix: &str, own_slot: &str) -> Option<JsValue> {
    Some(claim_orphans_js(prefix, own_slot)).filter(|p| !p.is_null() && !p.is_undefined())
}

/// Without Web Locks: offers every outbox other pages left in localStorage to the core; removes
/// the adopted ones.
fn adopt_orphans(sdk: &mut Sdk) {
    let now = now_ms();
    for pair in stored_slots(OUTBOX_PREFIX).iter() {
        let pair = Array::from(&pair);
        if let (Some(key), Some(text)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            if sdk.adopt_outbox(now, &text, false) {
                remove_slot(&key);
            }
        }
    }
}

thread_local! {
    static DEAD: Cell<bool> = const { Cell::new(false) };
    static LIVE: Cell<Option<&'static Runtime>> = const { Cell::new(None) };
}

/// True once a Rust panic (a bug) switched the SDK off.
pub(crate) fn is_dead() -> bool {
    DEAD.with(|d| d.get())
}

fn install_panic_hook() {
    // With panics as immediate traps (the size-optimized build) no hook ever runs: the JS
    // wrapper catches the trap and switches the SDK off instead.
    if cfg!(panic = "immediate-abort") {
        return;
    }
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // In tests, keep the harness's hook (it prints the assertion); in release, chaining would
        // link std's message formatting into the wasm for nothing.
        #[cfg(test)]
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |_info| {
            #[cfg(test)]
            previous(_info);
            if !DEAD.with(|d| d.replace(true)) {
                runtime::log("vitrina: internal error; the SDK switched itself off (the shop is unaffected)", true);
            }
        }));
    });
}

/// Switches the SDK off for good (the JS wrapper calls it after the wasm trapped: the release
/// build turns panics into traps, so the panic hook above does not run there).
#[wasm_bindgen(js_name = switchOff)]
pub fn switch_off() {
    DEAD.with(|d| d.set(true));
}

/// Test support: makes the wasm trap inside a timer callback, as a bug in a DOM callback would,
/// to check that the shop's page survives an internal error. Never called by the SDK itself.
#[doc(hidden)]
pub fn trap_for_tests() {
    fn trap() {
        std::process::abort()
    }
    runtime::later(&Closure::once_into_js(trap));
}

/// A `VitrinaError`: an `Error` named "VitrinaError" with the offending option in `field`.
/// (The JS wrapper re-throws it as an instance of its `VitrinaError` class.)
fn config_error(field: &str, message: &str) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name("VitrinaError");
    let _ = Reflect::set(&e, &"field".into(), &field.into());
    e.into()
}

/// Starts Vitrina on this page (the JS wrapper's `init`); the running instance then answers
/// [`op`]. Throws a `VitrinaError` naming the field when the config is invalid; while an
/// instance is running, starting again keeps it (re-initialising is a no-op).
#[wasm_bindgen]
pub fn start(config: JsValue) -> Result<(), JsValue> {
    init(config).map(|_| ())
}

fn str(v: &JsValue) -> String {
    v.as_string().unwrap_or_default()
}

/// Every call of the running instance through one export (one export and one argument shim
/// instead of one per method: −1 KB of wasm and glue). `code` is the method's index in the JS
/// wrapper's `OPS` list; the arguments are the method's, `undefined` when absent.
#[wasm_bindgen]
pub fn op(code: u32, a: JsValue, b: JsValue, c: JsValue) -> JsValue {
    let Some(rt) = LIVE.with(Cell::get) else { return JsValue::UNDEFINED };
    let v = Vitrina { rt };
    match code {
        0 => v.track(a, b),
        1 => v.page(),
        2 => v.flush(),
        3 => v.shutdown(),
        4 => v.set_consent(a),
        5 => v.reset_profile(),
        6 => v.submit_review(a, b, c.unchecked_into()),
        7 => v.add_surveys(a),
        9 => return v.profile().into(),
        10 => v.push(a),
        11 => dispatch(rt, Input::Learn(to_value(&a), to_value(&b))),
        12 => return v.recommend(a, b, c).into(),
        13 => dispatch(rt, Input::Decide(str(&a), str(&b), c.unchecked_into())),
        14 => dispatch(rt, Input::Convert(str(&a))),
        99 => trap_for_tests(),
        _ => dispatch(rt, Input::BadCall("unknown method")),
    }
    JsValue::UNDEFINED
}

/// Starts Vitrina on this page and returns the instance (the Rust API, used by the browser
/// tests; pages go through [`start`] and [`op`]).
///
/// Errs with a `VitrinaError` naming the field when the config is invalid. Calling `init` again
/// while an instance is running returns that instance (re-initialising is a no-op).
pub fn init(config: JsValue) -> Result<Vitrina, JsValue> {
    install_panic_hook();
    let config = Config::from_value(&to_value(&config)).map_err(|e| config_error(&e.field, &e.message()))?;
    if let Some(rt) = LIVE.with(Cell::get) {
        if !rt.is_stopped() {
            if config.debug {
                runtime::log("init called again: returning the running instance", false);
            }
            return Ok(Vitrina { rt });
        }
    }
    let keys = [SESSION_KEY, NAV_KEY, CONSENT_KEY, REVIEWED_KEY, DEVICE_KEY, SURVEYS_KEY, PROFILE_KEY]
        .map(JsValue::from)
        .to_vec();
    let page = read_page(keys);
    let text = |i: u32| page.get(i).as_string();
    let mut seed = [0u8; 32];
    js_sys::Uint8Array::new(&page.get(0)).copy_to(&mut seed);
    let mut sdk = Sdk::new(config, seed, text(1).as_deref());
    if let Some(nav) = text(2) {
        sdk.restore_nav_state(&nav);
    }
    sdk.set_privacy(page.get(8).as_bool() == Some(true), text(3).as_deref());
    if let Some(list) = text(4) {
        sdk.restore_reviewed(&list);
    }
    if let (true, Some(device)) = (sdk.config().device_id, text(5)) {
        sdk.restore_device_id(&device);
    }
    if let Some(history) = text(6) {
        sdk.restore_surveys(&history);
    }
    sdk.restore_profile(&text(7).unwrap_or_default());
    let lang = crate::core::review::Lang::from_tag(&text(9).unwrap_or_default());
    sdk.set_survey_page(Box::new(runtime::PageProbe), runtime::is_mobile(), lang);
    let slot = sdk.make_id();
    let outbox_key = String::from(OUTBOX_PREFIX) + &slot;
    // With Web Locks, liveness is exact and claiming is exclusive (see store.js); without them
    // the heartbeat rule decides, synchronously.
    let tab_lock = hold_tab_lock(&slot);
    let analytics = sdk.analytics_allowed() == Some(true);
    if tab_lock.is_none() {
        adopt_orphans(&mut sdk);
    }
    let rt = Runtime::start(sdk, slot.clone(), outbox_key, tab_lock);
    if analytics {
        if let Some(claim) = claim_orphans(OUTBOX_PREFIX, &slot) {
            let claimed = Closure::once_into_js(move |texts: JsValue| {
                let texts: Vec<String> = if Array::is_array(&texts) {
                    Array::from(&texts).iter().filter_map(|t| t.as_string()).collect()
                } else {
                    Vec::new()
                };
                if !texts.is_empty() {
                    dispatch(rt, Input::Adopt(texts));
                }
            });
            if let Ok(then) = Reflect::get(&claim, &"then".into()) {
                let _ = then.unchecked_ref::<js_sys::Function>().call1(&claim, &claimed);
            }
        }
    }
    LIVE.with(|l| l.set(Some(rt)));
    Ok(Vitrina { rt })
}

/// A running Vitrina instance. Every method is safe to call at any time, with any arguments:
/// wrong arguments are ignored and counted, calls after `shutdown()` do nothing.
pub struct Vitrina {
    rt: &'static Runtime,
}

impl Vitrina {
    /// Records a custom event, e.g. `track("Product Viewed", { product_id: "zap-1" })`.
    pub fn track(&self, name: JsValue, props: JsValue) {
        dispatch(self.rt, Input::Track(to_value(&name), to_value(&props)));
    }

    /// Records a page view for the current URL (automatic page views already cover loads and
    /// SPA navigations; call this when `auto_page_views` is off).
    pub fn page(&self) {
        dispatch(self.rt, Input::Page(current_url(), Nav::Manual));
    }

    /// Sends queued events now.
    pub fn flush(&self) {
        dispatch(self.rt, Input::Flush);
    }

    /// Sends what is queued by beacon and removes every listener, observer, timer and patch.
    pub fn shutdown(&self) {
        dispatch(self.rt, Input::Shutdown);
    }

    /// Records the shopper's consent: `setConsent({ analytics: true, personalization: false })`.
    /// Purposes left out keep their value. Wrong arguments are ignored and counted.
    pub fn set_consent(&self, consent: JsValue) {
        dispatch(self.rt, Input::Consent(to_value(&consent)));
    }

    /// Submits a product review: `submitReview("zap-1", { rating: 5, title, body, recommend,
    /// nickname }, resolve)`. Calls `resolve` with the JSON text of `{ ok: true }` once the
    /// collector has it, or of `{ ok: false, errors: [{ field, code }] }` (every field error at
    /// once); the JS wrapper turns it into the promise it returns and words each code in the
    /// page's language. Widgets also pass `shown_at` (ms, `performance.timeOrigin +
    /// performance.now()` when the form was shown) and `honeypot`.
    pub fn submit_review(&self, product_id: JsValue, draft: JsValue, resolve: js_sys::Function) {
        let product = to_value(&product_id);
        let draft = to_value(&draft);
        let shown_at = match draft.get("shown_at") {
            Some(crate::core::Value::Num(t)) => Some(*t),
            _ => None,
        };
        dispatch(self.rt, Input::Review { product, draft, shown_at, resolve });
    }

    /// Survey definitions from the collector (`GET /v1/surveys`, fetched by the JS wrapper when
    /// the config says `surveys: true`). Definitions that do not read are skipped.
    pub fn add_surveys(&self, list: JsValue) {
        dispatch(self.rt, Input::AddSurveys(to_value(&list)));
    }

    /// Recommendations from the catalog (see `Sdk::recommend_lines`): `lines` one product per
    /// line (undefined: the feed given before), `context` the product being viewed (same form, may be empty), `opts` the limit then
    /// the excluded ids, one per line. Answers indexes into `lines`, best first, comma-separated
    /// (a limit of 0: a grid's scores instead, `Sdk::rank_lines`; empty if the SDK is busy or
    /// off: the page's order stays).
    pub fn recommend(&self, lines: JsValue, context: JsValue, opts: JsValue) -> String {
        let opts = str(&opts);
        let (limit, exclude) = Sdk::recommend_opts(&opts);
        match (crate::web::is_dead(), self.rt.sdk.try_borrow_mut()) {
            (false, Ok(mut sdk)) => {
                sdk.recommend_lines(runtime::now_ms(), lines.as_string().as_deref(), &str(&context), exclude, limit)
            }
            _ => String::new(),
        }
    }

    /// `profile()`: the on-device profile as JSON text (the JS wrapper parses it).
    pub fn profile(&self) -> String {
        match (crate::web::is_dead(), self.rt.sdk.try_borrow()) {
            (false, Ok(sdk)) => sdk.profile_json(runtime::now_ms()),
            _ => String::new(),
        }
    }

    /// `resetProfile()`: forgets the on-device profile, here and in storage.
    pub fn reset_profile(&self) {
        dispatch(self.rt, Input::ResetProfile);
    }

    /// The queue form of a call the JS wrapper does not run itself (it runs `["track", …]`,
    /// `["page"]`, `["flush"]`, `["shutdown"]`, `["setConsent", …]` and `["submitReview", …]`):
    /// `init` again, an unknown method, or not an array. Ignored and counted.
    pub fn push(&self, call: JsValue) {
        let why = if !Array::is_array(&call) {
            "push: expected an array like [\"track\", name, props]"
        } else if Array::from(&call).get(0).as_string().as_deref() == Some("init") {
            "push: init was already called"
        } else {
            "push: unknown method"
        };
        dispatch(self.rt, Input::BadCall(why));
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod friction_tests;

#[cfg(test)]
mod consent_tests;
