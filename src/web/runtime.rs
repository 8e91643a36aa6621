//! The browser edge at run time: one place that owns every listener, the history patch and the
//! timer, and one loop that feeds DOM inputs to the core and carries out its actions.
//!
//! DOM callbacks never touch the core directly: they push an [`Input`] and call [`dispatch`].
//! If the core is already busy (a callback fired while an action ran), the input waits in the
//! queue and the running loop drains it, so state is never borrowed twice.

use std::cell::{Cell, RefCell};

use gloo_timers::callback::Timeout;
use js_sys::Function;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::convert::to_value;
use super::friction::{self, FrictionWatch};
use crate::core::friction::page_vitals::Entry;
use crate::core::friction::InputKind;
use crate::core::outbox::{parse_retry_after, SendOutcome};
use crate::core::review::{answer_json, FieldError};
use crate::core::{Action, Nav, Sdk, Transport, Value};

#[wasm_bindgen(module = "/src/web/send.js")]
extern "C" {
    #[wasm_bindgen(js_name = send)]
    fn send_batch(url: &str, body: &str, keepalive: bool, gzip: bool) -> js_sys::Promise;
    #[wasm_bindgen(js_name = releaseSendLock)]
    fn release_send_lock();
}

#[wasm_bindgen(module = "/src/web/store.js")]
extern "C" {
    /// Stores this page's outbox slot (IndexedDB, localStorage at exit and as the fallback);
    /// with `debug`, warns when no store took it.
    #[wasm_bindgen(js_name = saveSlot)]
    fn save_slot(key: &str, text: &str, exit: bool, debug: bool);
    #[wasm_bindgen(js_name = holdTabLock)]
    fn hold_tab_lock_js(slot: &str) -> JsValue;
}

/// Holds this page's Web Lock; the returned function releases it (`None`: no Web Locks here).
pub fn hold_tab_lock(slot: &str) -> Option<Function> {
    hold_tab_lock_js(slot).dyn_into().ok()
}

#[wasm_bindgen(module = "/src/web/surveys.js")]
extern "C" {
    #[wasm_bindgen(js_name = showSurvey)]
    fn show_survey(json: &str, answer: &Closure<dyn FnMut(JsValue, JsValue)>, close: &Closure<dyn FnMut(JsValue)>);
    #[wasm_bindgen(js_name = hideSurvey)]
    fn hide_survey();
    #[wasm_bindgen(js_name = probe)]
    fn probe_js(css: bool, pattern: &str, path: &str) -> bool;
    /// A phone-sized viewport.
    #[wasm_bindgen(js_name = isMobile)]
    pub fn is_mobile() -> bool;
}

/// Survey targeting answered by the page (URL regexes by the browser's RegExp, selectors by
/// `document.querySelector`).
#[derive(Debug)]
pub struct PageProbe;

impl crate::core::survey::Probe for PageProbe {
    fn regex(&self, pattern: &str, path: &str) -> bool {
        probe_js(false, pattern, path)
    }
    fn selector(&self, selector: &str) -> bool {
        probe_js(true, selector, "")
    }
}

/// The widget's callbacks: an answer (survey id, value) and a closing (survey id).
type SurveyCallbacks = (Closure<dyn FnMut(JsValue, JsValue)>, Closure<dyn FnMut(JsValue)>);

#[wasm_bindgen(module = "/src/web/history.js")]
extern "C" {
    /// Wraps pushState / replaceState and attaches the page-level listeners; each event comes
    /// back as one `emit(kind, flag)` call. Returns the function that undoes it all.
    #[wasm_bindgen(js_name = watchPage)]
    fn watch_page(emit: &Closure<dyn FnMut(u32, bool)>) -> Function;
}

/// The kinds history.js emits (mirrored there).
mod page {
    pub const PUSH: u32 = 1;
    pub const REPLACE: u32 = 2;
    pub const POP: u32 = 3;
    pub const RESTORED: u32 = 4;
    pub const HIDE: u32 = 5;
    pub const ONLINE: u32 = 6;
    pub const VISIBILITY: u32 = 7;
}

/// What the page told us.
pub enum Input {
    /// The page is at this URL now.
    Page(String, Nav),
    /// `track(name, props)`.
    Track(Value, Value),
    /// A call with unusable arguments.
    BadCall(&'static str),
    /// `flush()`.
    Flush,
    /// The page was hidden or is being left.
    Hidden,
    /// The timer from `poll_timeout` fired.
    Timeout,
    /// A send finished.
    SendResult(u64, SendOutcome),
    /// `shutdown()`.
    Shutdown,
    /// A DOM input for the friction detectors.
    Friction(InputKind),
    /// A performance entry (or a moment that makes vitals final).
    Vital(Entry),
    /// `setConsent({...})`.
    Consent(Value),
    /// pagehide: the page is being left.
    Leave,
    /// Outboxes of pages that are gone, claimed for this page.
    Adopt(Vec<String>),
    /// The browser went online (true) or offline (false).
    Online(bool),
    /// Survey definitions from the collector.
    AddSurveys(Value),
    /// `resetProfile()`.
    ResetProfile,
    /// A product seen or added, from the page's markup (name and props as Segment's).
    Learn(Value, Value),
    /// `decide(slot)`: slot, variants (`name \t rule` lines); the variant goes to the function.
    Decide(String, String, Function),
    /// A click inside a slot's variant (the slot).
    Convert(String),
    /// The survey widget reported an answer (survey id, value).
    SurveyAnswer(Value, Value),
    /// The survey widget was closed (survey id).
    SurveyClose(Value),
    /// `submitReview(productId, draft)`: the answer goes to `resolve`.
    Review { product: Value, draft: Value, shown_at: Option<f64>, resolve: Function },
}

/// The history patch and the page-level listeners, undone on drop.
struct PageWatch {
    undo: Function,
    _emit: Closure<dyn FnMut(u32, bool)>,
}

impl Drop for PageWatch {
    fn drop(&mut self) {
        let _ = self.undo.call0(&JsValue::NULL);
    }
}

/// Everything attached to the page. Dropping it detaches all of it.
#[derive(Default)]
struct Guards {
    page: Option<PageWatch>,
    friction: Option<FrictionWatch>,
    timer: Option<(f64, Timeout)>,
}

/// One running SDK instance.
pub struct Runtime {
    /// This page's slot id, and the storage key of its outbox.
    slot: String,
    outbox_key: String,
    /// Releases this page's Web Lock. Released at pagehide (a page holding a lock cannot enter
    /// the back/forward cache) and on shutdown; taken again when the page comes back.
    tab_lock: RefCell<Option<Function>>,
    debug: bool,
    pub(crate) sdk: RefCell<Sdk>,
    inputs: RefCell<Vec<Input>>,
    /// Reviews waiting for the collector's answer: request id, the promise's resolve.
    review_waiters: RefCell<Vec<(u64, Function)>>,
    guards: RefCell<Guards>,
    stopped: Cell<bool>,
    /// The survey widget's callbacks, made when a survey first opens.
    survey_callbacks: RefCell<Option<SurveyCallbacks>>,
}

#[wasm_bindgen(module = "/src/web/page.js")]
extern "C" {
    /// Milliseconds since the Unix epoch, from the page's high-resolution clock.
    #[wasm_bindgen(js_name = now)]
    pub fn now_ms() -> f64;
    /// The page's URL now.
    #[wasm_bindgen(js_name = href)]
    pub fn current_url() -> String;
    fn online() -> bool;
    /// Writes (or, for an empty value, removes) a key of localStorage (`local`) or
    /// sessionStorage; missing, disabled or full storage: nothing happens.
    fn put(local: bool, key: &str, value: &str);
    fn beacon(url: &str, body: &str) -> bool;
    /// `[type, responseStart]` of the navigation entry.
    pub fn navigation() -> js_sys::Array;
    /// A debug line (`warn`: a warning).
    pub fn log(line: &str, warn: bool);
    /// Calls `f` once, soon.
    pub fn later(f: &JsValue);
}

impl Runtime {
    /// Starts the SDK on this page: records the first page view and attaches every listener.
    /// The runtime lives as long as the page (a `&'static`: no reference counting in every
    /// callback); after `shutdown()` it stays, stopped and detached.
    pub fn start(sdk: Sdk, slot: String, outbox_key: String, tab_lock: Option<Function>) -> &'static Runtime {
        let online = online();
        let rt: &'static Runtime = Box::leak(Box::new(Runtime {
            slot,
            outbox_key,
            tab_lock: RefCell::new(tab_lock),
            debug: sdk.config().debug,
            sdk: RefCell::new(sdk),
            inputs: RefCell::new(Vec::new()),
            review_waiters: RefCell::new(Vec::new()),
            survey_callbacks: RefCell::new(None),
            guards: RefCell::new(Guards::default()),
            stopped: Cell::new(false),
        }));
        rt.attach();
        if !online {
            dispatch(rt, Input::Online(false));
        }
        let entry = navigation();
        let nav = match entry.get(0).as_string().as_deref() {
            Some("reload") => Nav::Reload,
            Some("back_forward") => Nav::BackForward,
            _ => Nav::Load,
        };
        dispatch(rt, Input::Page(current_url(), nav));
        // responseStart of the navigation entry: time to first byte, if known
        if let Some(t) = entry.get(1).as_f64().filter(|t| *t > 0.0) {
            dispatch(rt, Input::Vital(Entry::Ttfb(t)));
        }
        rt
    }

    /// Whether `shutdown()` ran.
    pub fn is_stopped(&self) -> bool {
        self.stopped.get()
    }

    fn attach(&'static self) {
        let mut g = self.guards.borrow_mut();
        let emit = Closure::<dyn FnMut(u32, bool)>::new(move |kind: u32, flag: bool| {
            on_page_event(self, kind, flag);
        });
        let undo = watch_page(&emit);
        g.page = Some(PageWatch { undo, _emit: emit });
        if self.sdk.borrow().config().friction_enabled {
            g.friction = Some(friction::attach(self));
        }
    }
}

/// One page-level event (from history.js) as the core's inputs.
fn on_page_event(rt: &'static Runtime, kind: u32, flag: bool) {
    let inputs = match kind {
        page::PUSH => vec![Input::Page(current_url(), Nav::Push)],
        page::REPLACE => vec![Input::Page(current_url(), Nav::Replace)],
        page::POP => vec![Input::Page(current_url(), Nav::Pop)],
        page::RESTORED => {
            // Back from the back/forward cache: the same document, a new page for the shopper.
            let mut lock = rt.tab_lock.borrow_mut();
            if lock.is_none() {
                *lock = hold_tab_lock(&rt.slot);
            }
            drop(lock);
            vec![Input::Page(current_url(), Nav::BackForward)]
        }
        // Leaving: vitals become final, the detectors see `end`, then everything is flushed.
        page::HIDE => vec![Input::Vital(Entry::Hidden), Input::Friction(InputKind::End), Input::Leave],
        page::ONLINE => vec![Input::Online(flag)],
        page::VISIBILITY if flag => {
            vec![Input::Friction(InputKind::Visibility { hidden: true }), Input::Vital(Entry::Hidden), Input::Hidden]
        }
        page::VISIBILITY => vec![Input::Friction(InputKind::Visibility { hidden: false })],
        _ => return,
    };
    for input in inputs {
        dispatch(rt, input);
    }
}

/// Feeds one input to the core and carries out whatever it asks for.
pub fn dispatch(rt: &'static Runtime, input: Input) {
    if crate::web::is_dead() {
        // Switched off: a review waiting for an answer is told so rather than left hanging.
        if let Input::Review { resolve, .. } = input {
            let unavailable = [FieldError { field: "form", code: crate::core::review::ErrorCode::Unavailable }];
            let _ = resolve.call1(&JsValue::NULL, &answer_json(&unavailable).into());
        }
        return;
    }
    rt.inputs.borrow_mut().push(input);
    let Ok(mut sdk) = rt.sdk.try_borrow_mut() else {
        return; // the loop already running below will take it
    };
    let mut shutdown = false;
    let mut left = false;
    loop {
        let next = {
            let mut q = rt.inputs.borrow_mut();
            (!q.is_empty()).then(|| q.remove(0))
        };
        let Some(input) = next else { break };
        let now = now_ms();
        match input {
            Input::Page(url, nav) => sdk.handle_page(now, &url, nav),
            Input::Track(name, props) => sdk.handle_track(now, &name, &props),
            Input::BadCall(why) => sdk.bad_call(why),
            Input::Flush => sdk.handle_flush(now),
            Input::Hidden => sdk.handle_page_hidden(now),
            Input::Timeout => sdk.handle_timeout(now),
            Input::SendResult(id, outcome) => sdk.handle_send_result(now, id, outcome),
            Input::Friction(kind) => sdk.handle_input(now, kind),
            Input::Vital(entry) => sdk.handle_vital_entry(now, entry),
            Input::Consent(update) => sdk.handle_consent(now, &update),
            Input::Leave => {
                sdk.handle_leave(now);
                left = true;
            }
            Input::Adopt(texts) => {
                for t in texts {
                    sdk.adopt_outbox(now, &t, true);
                }
                sdk.handle_timeout(now);
            }
            Input::Online(on) => sdk.handle_connectivity(now, on),
            Input::AddSurveys(list) => sdk.add_surveys(now, &list),
            Input::ResetProfile => sdk.reset_profile(),
            Input::Learn(name, props) => sdk.handle_learn(now, &name, &props),
            Input::Decide(slot, variants, answer) => {
                let _ = answer.call1(&JsValue::NULL, &sdk.decide(now, &slot, &variants).into());
            }
            Input::Convert(slot) => sdk.slot_converted(now, Some(&slot)),
            Input::SurveyAnswer(id, answer) => sdk.handle_survey_answer(now, &id, &answer),
            Input::SurveyClose(id) => sdk.handle_survey_close(now, &id),
            Input::Review { product, draft, shown_at, resolve } => {
                match sdk.handle_review(now, &product, &draft, shown_at) {
                    Ok(id) => rt.review_waiters.borrow_mut().push((id, resolve)),
                    Err(errors) => {
                        let _ = resolve.call1(&JsValue::NULL, &answer_json(&errors).into());
                    }
                }
            }
            Input::Shutdown => {
                sdk.handle_shutdown(now);
                shutdown = true;
            }
        }
        while let Some(action) = sdk.poll_action() {
            if let Some(result) = perform(rt, action) {
                rt.inputs.borrow_mut().push(result);
            }
        }
    }
    let deadline = sdk.poll_timeout();
    drop(sdk);
    if shutdown {
        rt.stopped.set(true);
        // Detach everything: listeners, the history patch, the timer; release the tab's lock.
        let old = std::mem::take(&mut *rt.guards.borrow_mut());
        drop(old);
        release_tab_lock(rt);
        let unavailable = [FieldError { field: "form", code: crate::core::review::ErrorCode::Unavailable }];
        for (_, resolve) in rt.review_waiters.borrow_mut().drain(..) {
            let _ = resolve.call1(&JsValue::NULL, &answer_json(&unavailable).into());
        }
        hide_survey();
    } else if !rt.stopped.get() {
        arm_timer(rt, deadline);
    }
    if left {
        release_tab_lock(rt);
    }
}

/// Lets go of this page's Web Locks: its tab lock (its slot, just stored as left behind, may now
/// be claimed) and the send lock if a batch is in flight (the request goes on).
fn release_tab_lock(rt: &Runtime) {
    release_send_lock();
    if let Some(release) = rt.tab_lock.borrow_mut().take() {
        let _ = release.call0(&JsValue::NULL);
    }
}

/// Keeps exactly one timer armed, for the core's next deadline.
///
/// Replacing a timer inside its own callback is safe: wasm-bindgen defers freeing a closure that
/// is running until it returns.
///
/// A timer already armed for an earlier time is kept even if the deadline moved later (a rage
/// burst pushes its deadline on every click): it fires early, the core has nothing due, and the
/// timer is re-armed then. That saves a clearTimeout/setTimeout pair per event.
fn arm_timer(rt: &'static Runtime, deadline: Option<f64>) {
    let mut g = rt.guards.borrow_mut();
    match (g.timer.as_ref().map(|(d, _)| *d), deadline) {
        (Some(armed), Some(d)) if armed <= d => return,
        (None, None) => return,
        _ => {}
    }
    g.timer = deadline.map(|deadline| {
        let delay = (deadline - now_ms()).ceil().clamp(0.0, 2_147_483_647.0) as u32;
        let t = Timeout::new(delay, move || {
            rt.guards.borrow_mut().timer = None; // fired: the next arm starts afresh
            dispatch(rt, Input::Timeout);
        });
        (deadline, t)
    });
}

/// The key the session id is kept under in sessionStorage.
pub const SESSION_KEY: &str = "vitrina.sid";
/// The localStorage key of the shopper's consent decisions.
pub const CONSENT_KEY: &str = "vitrina.consent";
/// The prefix of each page's outbox slot in localStorage.
pub const OUTBOX_PREFIX: &str = "vitrina.outbox.";
/// The localStorage key of the device id of the day (`device_id: true` only).
pub const DEVICE_KEY: &str = "vitrina.did";
/// The localStorage key of the survey history.
pub const SURVEYS_KEY: &str = "vitrina.surveys";
/// The localStorage key of the on-device profile (never sent).
pub const PROFILE_KEY: &str = "vitrina.profile";
/// The localStorage key of the products this browser reviewed.
pub const REVIEWED_KEY: &str = "vitrina.reviewed";
/// The key the navigation history (for quick backs across documents) is kept under.
pub const NAV_KEY: &str = "vitrina.nav";

/// Writes a key (see `put`); nothing comes back.
fn store(local: bool, key: &str, text: &str) -> Option<Input> {
    put(local, key, text);
    None
}

/// Carries out one action. A result known at once (a beacon) is returned as the next input.
fn perform(rt: &'static Runtime, action: Action) -> Option<Input> {
    match action {
        Action::Send { batch, url, body, transport: Transport::Beacon, .. } => {
            let queued = beacon(&url, &body);
            let outcome = if queued { SendOutcome::BeaconQueued } else { SendOutcome::NetworkError };
            Some(Input::SendResult(batch, outcome))
        }
        Action::Send { batch, url, body, transport: Transport::Fetch, gzip } => {
            // keepalive lets the request finish if the page goes away (browsers cap it at 64 KiB).
            let promise = send_batch(&url, &body, body.len() < 60_000, gzip);
            // One self-freeing callback for both outcomes ([status, retry-after], or the
            // rejection's error); a late answer after shutdown reaches a stopped SDK, which
            // does nothing with it.
            let settle = Closure::once_into_js(move |v: JsValue| {
                let outcome = if js_sys::Array::is_array(&v) {
                    let a = js_sys::Array::from(&v);
                    let code = a.get(0).as_f64().unwrap_or(0.0) as u16;
                    let retry_after_s = a.get(1).as_string().and_then(|h| parse_retry_after(&h));
                    SendOutcome::Status { code, retry_after_s }
                } else {
                    SendOutcome::NetworkError
                };
                dispatch(rt, Input::SendResult(batch, outcome));
            });
            if let Ok(then) = js_sys::Reflect::get(&promise, &"then".into()) {
                let _ = then.unchecked_ref::<Function>().call2(&promise, &settle, &settle);
            }
            None
        }
        Action::StoreSessionId(id) => store(false, SESSION_KEY, &id),
        Action::StoreDeviceId(text) => store(true, DEVICE_KEY, &text),
        Action::StoreConsent(state) => store(true, CONSENT_KEY, &state),
        Action::StoreNavState(state) => store(false, NAV_KEY, &state),
        Action::PersistOutbox { text, exit } => {
            save_slot(&rt.outbox_key, &text, exit, rt.debug);
            None
        }
        Action::ShowSurvey(json) => {
            let mut cbs = rt.survey_callbacks.borrow_mut();
            let (answer, close) = cbs.get_or_insert_with(|| {
                let answer = Closure::<dyn FnMut(JsValue, JsValue)>::new(move |id: JsValue, v: JsValue| {
                    dispatch(rt, Input::SurveyAnswer(to_value(&id), to_value(&v)));
                });
                let close = Closure::<dyn FnMut(JsValue)>::new(move |id: JsValue| {
                    dispatch(rt, Input::SurveyClose(to_value(&id)));
                });
                (answer, close)
            });
            show_survey(&json, answer, close);
            None
        }
        Action::StoreSurveys(text) => store(true, SURVEYS_KEY, &text),
        Action::StoreProfile(text) => store(true, PROFILE_KEY, &text),
        Action::StoreReviewed(list) => store(true, REVIEWED_KEY, &list),
        Action::ReviewResult { request, error } => {
            let mut waiters = rt.review_waiters.borrow_mut();
            if let Some(i) = waiters.iter().position(|(id, _)| *id == request) {
                let (_, resolve) = waiters.remove(i);
                drop(waiters);
                let errors: Vec<FieldError> =
                    error.map(|code| FieldError { field: "form", code }).into_iter().collect();
                let _ = resolve.call1(&JsValue::NULL, &answer_json(&errors).into());
            }
            None
        }
        Action::Log(line) => {
            log(&line, false);
            None
        }
    }
}
