//! The SDK as a deterministic state machine, in the style of quinn-proto.
//!
//! The browser edge feeds it inputs with a timestamp (`handle_*`), asks when it next needs to
//! wake (`poll_timeout`), and drains what it wants done (`poll_action`). It never reads a clock,
//! a socket or storage itself, so every test replays exactly.
//!
//! Page views: one on load and one per SPA navigation. A navigation whose path and query equal
//! those of the last page view (a `replaceState` that only swaps state, a hash change, a
//! `pushState` to the same URL that a router repeats) records nothing, so one navigation never
//! yields two page views. `page()` called by the shop always records one.

use crate::core::config::Config;
use crate::core::event::{Event, EventType};
use crate::core::friction::page_vitals::{Entry, PageVitals};
use crate::core::friction::{Detectors, Finding, Input, InputKind, PageNav};
use crate::core::outbox::{Envelope, Outbox, SendOutcome, Settled};
use crate::core::privacy::scrub::is_sensitive_key;
use crate::core::privacy::{scrub_text, Consent, Scrubber};
use crate::core::rng::{is_id, Rng};
use crate::core::url::PageUrl;
use crate::core::value::{write_u64, Value};

/// The SDK name and version carried by every batch.
pub const SDK_NAME: &str = concat!("vitrina/", env!("CARGO_PKG_VERSION"));

/// Bodies larger than this (bytes) are gzipped for fetch: below it compression saves too little.
pub const GZIP_OVER_BYTES: usize = 1024;

/// The outbox is written to storage at most this often (ms), and always when the page is left.
pub const PERSIST_EVERY_MS: f64 = 1000.0;

/// The largest `props` object accepted by `track`, serialized (bytes).
pub const MAX_PROPS_BYTES: usize = 16 * 1024;
/// The longest event name accepted by `track` (characters).
pub const MAX_NAME_CHARS: usize = 200;

/// How the shopper got to a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nav {
    /// The document loaded by a normal navigation.
    Load,
    /// The document was reloaded.
    Reload,
    /// The document was loaded by back/forward.
    BackForward,
    /// `history.pushState`.
    Push,
    /// `history.replaceState`.
    Replace,
    /// `popstate` (back/forward inside an SPA).
    Pop,
    /// The shop called `page()`.
    Manual,
}

/// How a body should travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// `fetch` POST; report the status with [`Sdk::handle_send_result`].
    Fetch,
    /// `navigator.sendBeacon` (the page is going away); report whether the browser queued it.
    Beacon,
}

/// Something the core wants the edge to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// POST `body` to `url`, then report the outcome under `batch`.
    Send {
        /// Id to report the outcome under.
        batch: u64,
        /// Where to send it.
        url: String,
        /// The JSON body.
        body: String,
        /// How.
        transport: Transport,
        /// Compress it (when the browser can), flagged `?gz=1` for the collector.
        gzip: bool,
    },
    /// Keep this session id in sessionStorage.
    StoreSessionId(String),
    /// Keep the device id of the day in localStorage (`"<utc day> <id>"`; empty: remove it).
    StoreDeviceId(String),
    /// Keep this navigation history in sessionStorage (for the next document's quick backs).
    StoreNavState(String),
    /// Keep the shopper's consent decisions in localStorage.
    StoreConsent(String),
    /// Keep this outbox text in this page's storage slot (empty: remove the slot). `exit`: the
    /// page is being left, so the write must be synchronous (localStorage) to be durable.
    PersistOutbox {
        /// The snapshot (see [`crate::core::outbox::persist`]).
        text: String,
        /// Written at page exit.
        exit: bool,
    },
    /// Write this line to the console (only emitted with `debug: true`).
    Log(String),
    /// Keep the products this browser reviewed in localStorage (space-separated ids).
    StoreReviewed(String),
    /// Draw this survey step (JSON, see [`surveys::render`]).
    ShowSurvey(String),
    /// Keep the survey history in localStorage.
    StoreSurveys(String),
    /// Write (or, when empty, remove) the on-device profile in localStorage (`vitrina.profile`).
    /// Never sent anywhere.
    StoreProfile(String),
    /// A review submitted with [`Sdk::handle_review`] was delivered (`error: None`) or not.
    ReviewResult {
        /// The id `handle_review` returned.
        request: u64,
        /// Why it was not delivered.
        error: Option<crate::core::review::ErrorCode>,
    },
}

/// The SDK's state.
#[derive(Debug)]
pub struct Sdk {
    config: Config,
    rng: Rng,
    session_id: String,
    outbox: Outbox,
    actions: Vec<Action>,
    last_page: Option<String>,
    current_path: String,
    batch_url: String,
    stopped: bool,
    detectors: Option<Detectors>,
    vitals: PageVitals,
    consent: Consent,
    privacy_signal: bool,
    session_stored: bool,
    scrubber: Scrubber,
    last_now: f64,
    leaving: bool,
    last_snapshot: f64,
    offline: bool,
    /// The device id and the UTC day it is for (`device_id` on only).
    device: Option<(u64, String)>,
    device_stored: bool,
    /// Recently clicked elements' selector and text (`capture_text` on only; at most
    /// [`CLICK_TEXTS`]), to put the text on click findings.
    click_texts: Vec<(String, String)>,
    /// Products this browser reviewed, oldest first.
    reviewed: Vec<String>,
    /// Reviews sent and not answered yet: request id, product id.
    pending_reviews: Vec<(u64, String)>,
    /// The survey engine.
    surveys: crate::core::survey::Engine,
    /// The on-device affinity profile (see [`personalize`]).
    profile: crate::core::personalize::AffinityProfile,
    /// The recommendations feed, read once (see [`Sdk::recommend_lines`]).
    catalog: crate::core::personalize::Catalog,
    /// The page's answers for survey targeting.
    probe: Box<dyn crate::core::survey::Probe>,
    /// A phone-sized screen.
    mobile: bool,
    /// The language surveys are shown in.
    lang: crate::core::review::Lang,
}

/// A day in milliseconds: the device id rotates when the UTC day changes.
pub const DAY_MS: f64 = 86_400_000.0;
/// How many recently clicked elements' texts are remembered for click findings.
const CLICK_TEXTS: usize = 8;
/// The longest clicked text reported (characters).
const MAX_CLICK_TEXT: usize = 40;

impl Sdk {
    /// Starts the SDK. `stored_session_id` is what sessionStorage held (if anything);
    /// `seed` comes from a cryptographic source.
    pub fn new(config: Config, seed: [u8; 32], stored_session_id: Option<&str>) -> Sdk {
        let mut rng = Rng::from_seed(seed);
        let (session_id, session_stored) = match stored_session_id {
            Some(s) if is_id(s) => (s.to_string(), true),
            _ => (rng.id(), false),
        };
        let outbox = Outbox::new(config.max_batch_events, config.flush_interval_ms);
        let batch_url = config.endpoint.clone() + "/v1/batch";
        let detectors = config.friction_enabled.then(|| Detectors::new(&config.friction));
        let scrubber = Scrubber { extra_keys: config.sensitive_query_keys.clone() };
        let mut sdk = Sdk {
            detectors,
            vitals: PageVitals::new(),
            config,
            rng,
            session_id,
            outbox,
            actions: Vec::new(),
            last_page: None,
            current_path: "/".to_string(),
            batch_url,
            stopped: false,
            consent: Consent::default(),
            privacy_signal: false,
            session_stored,
            scrubber,
            last_now: 0.0,
            leaving: false,
            last_snapshot: f64::NEG_INFINITY,
            offline: false,
            device: None,
            device_stored: false,
            click_texts: Vec::new(),
            reviewed: Vec::new(),
            pending_reviews: Vec::new(),
            surveys: crate::core::survey::Engine::default(),
            profile: crate::core::personalize::AffinityProfile::new(14.0),
            catalog: Default::default(),
            probe: Box::new(surveys::NoProbe),
            mobile: false,
            lang: crate::core::review::Lang::Es,
        };
        sdk.outbox.set_max_bytes(sdk.config.max_queue_bytes);
        sdk.surveys.add(std::mem::take(&mut sdk.config.survey_defs));
        sdk.profile = crate::core::personalize::AffinityProfile::new(sdk.config.half_life_days);
        sdk.sync_storage();
        sdk
    }

    /// What the browser says about privacy (GPC or DNT set) and the consent stored by an earlier
    /// page. Call right after [`Sdk::new`], before the first page.
    pub fn set_privacy(&mut self, privacy_signal: bool, stored_consent: Option<&str>) {
        self.privacy_signal = privacy_signal;
        if let Some(c) = stored_consent {
            self.consent = Consent::parse(c);
        }
        self.sync_storage();
    }

    /// Whether events may be stored and sent: yes, no, or not yet (opt-in, undecided).
    pub fn analytics_allowed(&self) -> Option<bool> {
        Consent::allowed(self.consent.analytics, self.config.consent_mode, self.privacy_signal, self.config.honor_gpc)
    }

    /// The shopper's consent decisions.
    pub fn consent(&self) -> Consent {
        self.consent
    }

    /// `setConsent({ analytics, personalization, surveys })`. With analytics granted, events held
    /// so far leave now; refused, they are forgotten.
    pub fn handle_consent(&mut self, now: f64, update: &Value) {
        self.last_now = now;
        if let Err(why) = self.consent.update(update) {
            return self.bad_call(why);
        }
        self.actions.push(Action::StoreConsent(self.consent.serialize()));
        self.sync_profile();
        match self.analytics_allowed() {
            Some(true) => {
                self.sync_storage();
                self.log2("consent: analytics allowed", "");
                self.send_due(now, true);
            }
            Some(false) => {
                let dropped = self.outbox.queued();
                self.outbox.clear();
                self.actions.push(Action::PersistOutbox { text: String::new(), exit: false });
                if self.config.device_id {
                    self.device = None;
                    self.device_stored = false;
                    self.actions.push(Action::StoreDeviceId(String::new()));
                }
                if self.config.debug {
                    let mut m = String::from("consent: analytics refused, forgot ");
                    write_u64(dropped as u64, &mut m);
                    m.push_str(" held events");
                    self.actions.push(Action::Log(m));
                }
            }
            None => {}
        }
    }

    /// Writes the session id (and the device id) once analytics are allowed (nothing is
    /// stored before).
    fn sync_storage(&mut self) {
        if self.analytics_allowed() != Some(true) {
            return;
        }
        if !self.session_stored {
            self.session_stored = true;
            self.actions.push(Action::StoreSessionId(self.session_id.clone()));
        }
        if let (false, Some((day, id))) = (self.device_stored, &self.device) {
            let mut text = String::new();
            write_u64(*day, &mut text);
            text.push(' ');
            text.push_str(id);
            self.device_stored = true;
            self.actions.push(Action::StoreDeviceId(text));
        }
    }

    /// The device id an earlier page kept (`"<utc day> <id>"`, see [`Action::StoreDeviceId`]).
    /// Used only with `device_id` on, and only on the day it was made. Call after
    /// [`Sdk::set_privacy`].
    pub fn restore_device_id(&mut self, stored: &str) {
        if !self.config.device_id {
            return;
        }
        if self.analytics_allowed() == Some(false) {
            // Refused (by the shopper, or by GPC / DNT): the stored id goes.
            self.actions.push(Action::StoreDeviceId(String::new()));
            return;
        }
        if let Some((day, id)) = stored.split_once(' ') {
            if let (Some(day), true) = (crate::core::outbox::persist::parse_u64(day), is_id(id)) {
                self.device = Some((day, id.to_string()));
                self.device_stored = true;
            }
        }
    }

    /// The device id for an event at `now`: empty with `device_id` off; a new one (stored) when
    /// the UTC day changed since the last.
    fn device_id(&mut self, now: f64) -> String {
        if !self.config.device_id {
            return String::new();
        }
        let today = (now.max(0.0) / DAY_MS) as u64;
        match &self.device {
            Some((day, id)) if *day == today => return id.clone(),
            _ => {}
        }
        let id = self.rng.id();
        self.device = Some((today, id.clone()));
        self.device_stored = false;
        self.sync_storage();
        id
    }

    /// The validated config.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The anonymous session id.
    pub fn session_id(&self) -> &str {
        &self.session_id
    }

    /// Events waiting in the outbox (not counting bodies in flight).
    pub fn queued(&self) -> usize {
        self.outbox.queued()
    }

    /// Drop counts not yet delivered, by reason.
    pub fn pending_drops(&self) -> Vec<(&'static str, u64)> {
        self.outbox.pending_drops()
    }

    /// The page is at `url`, reached by `nav`. Records a page view when the rules above say so.
    pub fn handle_page(&mut self, now: f64, url: &str, nav: Nav) {
        self.last_now = now;
        if self.stopped {
            return;
        }
        let parsed = PageUrl::parse(url);
        let identity = parsed.identity();
        let new_path = self.scrubber.url(&parsed.reported(self.config.capture_query));
        let is_new_document = matches!(nav, Nav::Load | Nav::Reload | Nav::BackForward);
        if is_new_document && self.leaving {
            // Back from the back/forward cache: the page lives again, and its slot, stored as
            // left behind, must say so at once.
            self.leaving = false;
            self.last_snapshot = f64::NEG_INFINITY;
            self.outbox.mark_dirty();
        }
        let same_page = self.last_page.as_deref() == Some(identity.as_str());
        if is_new_document || !same_page {
            // Friction sees every real navigation; findings closed by leaving belong to the old
            // page, a quick back to the page arrived at.
            let page_nav = match nav {
                Nav::Load => PageNav::Navigate,
                Nav::Reload => PageNav::Reload,
                Nav::BackForward => PageNav::BackForward,
                Nav::Push | Nav::Manual => PageNav::Push,
                Nav::Replace => PageNav::Replace,
                Nav::Pop => PageNav::Pop,
            };
            self.feed(now, InputKind::Page { url: url.to_string(), nav: page_nav }, Some(&new_path));
            if self.analytics_allowed() == Some(true) {
                if let Some(state) = self.detectors.as_ref().and_then(Detectors::save) {
                    self.actions.push(Action::StoreNavState(state));
                }
            }
        }
        self.current_path = new_path;
        let automatic = nav != Nav::Manual;
        if automatic && !self.config.auto_page_views {
            self.last_page = Some(identity);
            return;
        }
        if automatic && !is_new_document && same_page {
            self.log2("same page, no page view: ", &self.current_path.clone());
            return;
        }
        self.last_page = Some(identity);
        self.record(now, EventType::Page, String::new(), String::new());
        self.survey_trigger(now, SurveyTrigger::Page);
    }

    /// Restores the navigation history the previous document stored (see
    /// [`Action::StoreNavState`]). Call before the first `handle_page`.
    pub fn restore_nav_state(&mut self, state: &str) {
        if let Some(d) = self.detectors.as_mut() {
            d.restore(state);
        }
    }

    /// A DOM input for the friction detectors (clicks, mutations, scrolls, errors, fields, vitals,
    /// long tasks, `End` on pagehide). Page changes come through [`Sdk::handle_page`].
    pub fn handle_input(&mut self, now: f64, kind: InputKind) {
        self.last_now = now;
        if self.stopped {
            return;
        }
        if let (true, InputKind::Click { target, .. }) = (self.config.capture_text, &kind) {
            // Masked elements, and fields (their text is what the shopper typed or chose), never
            // report theirs.
            let private = target.mask || target.editable;
            self.remember_click_text(&target.sel, if private { "" } else { &target.text });
        }
        self.feed(now, kind, None);
        self.send_due(now, false);
    }

    /// Remembers a clicked element's (scrubbed) selector and text, `capture_text` on; a masked
    /// element's text is empty. Whitespace runs become one space; at most [`MAX_CLICK_TEXT`]
    /// characters are kept.
    fn remember_click_text(&mut self, sel: &str, text: &str) {
        let sel = scrub_text(sel);
        if let Some(i) = self.click_texts.iter().position(|(s, _)| *s == sel) {
            self.click_texts.remove(i);
        } else if self.click_texts.len() >= CLICK_TEXTS {
            self.click_texts.remove(0);
        }
        let mut short = String::new();
        for word in text.split(|c: char| c.is_ascii_whitespace()).filter(|w| !w.is_empty()) {
            if !short.is_empty() {
                short.push(' ');
            }
            short.push_str(word);
        }
        let end = crate::core::value::cut_chars(&short, MAX_CLICK_TEXT).len();
        short.truncate(end);
        self.click_texts.push((sel, scrub_text(&short)));
    }

    /// The scrubbed text of the element a click finding is about (`capture_text` on, element
    /// not masked, text not empty).
    fn clicked_text(&self, signal: &str, fields: &[(String, Value)]) -> Option<String> {
        if !self.config.capture_text || !matches!(signal, "rage_click" | "dead_click" | "error_click") {
            return None;
        }
        let sel = fields.iter().find(|(k, _)| k == "sel").and_then(|(_, v)| v.as_str())?;
        self.click_texts.iter().rev().find(|(s, _)| s == sel).map(|(_, t)| t.clone()).filter(|t| !t.is_empty())
    }

    /// A raw performance entry (or the first input / hiding, which make vitals final).
    pub fn handle_vital_entry(&mut self, now: f64, entry: Entry) {
        self.last_now = now;
        if self.stopped || self.detectors.is_none() {
            return;
        }
        let mut done = Vec::new();
        self.vitals.handle(entry, &mut done);
        for (name, value) in done {
            self.feed(now, InputKind::Vital { name, value }, None);
        }
        self.send_due(now, false);
    }

    /// Feeds the detectors and turns their findings into events. `new_path` is the path of a
    /// page being arrived at (for findings about the arrival).
    fn feed(&mut self, now: f64, kind: InputKind, new_path: Option<&str>) {
        let Some(d) = self.detectors.as_mut() else {
            return;
        };
        let mut found = Vec::new();
        d.handle(&Input { t: now, kind }, &mut found);
        for f in found {
            self.record_finding(f, new_path);
        }
    }

    fn record_finding(&mut self, f: Finding, new_path: Option<&str>) {
        let path = match new_path {
            Some(p) if f.signal == "quick_back" => p.to_string(),
            _ => self.current_path.clone(),
        };
        let mut fields: Vec<(String, Value)> = f.fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        if let Some(text) = self.clicked_text(f.signal, &fields) {
            fields.push(("text".to_string(), Value::Str(text)));
        }
        let props = Value::Obj(fields).to_json();
        self.survey_trigger(f.at, SurveyTrigger::Friction(f.signal));
        let event = Event {
            id: self.rng.id(),
            kind: EventType::Friction,
            name: f.signal.to_string(),
            sid: self.session_id.clone(),
            did: self.device_id(f.at),
            path,
            at_ms: f.at,
            props,
        };
        self.enqueue(f.at, event);
    }

    /// The shop called `track(name, props)`. Wrong arguments are ignored and counted.
    pub fn handle_track(&mut self, now: f64, name: &Value, props: &Value) {
        let raw_props = props;
        self.last_now = now;
        if self.stopped {
            return;
        }
        let name = match name {
            Value::Str(s) if !s.trim().is_empty() && s.chars().count() <= MAX_NAME_CHARS => scrub_text(s.trim()),
            _ => return self.bad_call("track: the name must be a non-empty string of at most 200 characters"),
        };
        let props = match props {
            Value::Null => String::new(),
            Value::Obj(_) => {
                if props.to_json().len() > MAX_PROPS_BYTES {
                    self.outbox.count_drop("props_too_large", 1);
                    return self.log2("dropped (props over 16 KiB): ", &name);
                }
                scrub_value(props, &self.scrubber.extra_keys).to_json()
            }
            _ => return self.bad_call("track: props must be an object"),
        };
        self.record(now, EventType::Track, name.clone(), props);
        self.learn_from_track(now, &name, raw_props);
        self.survey_trigger(now, SurveyTrigger::Track(name));
    }

    /// A call with arguments the SDK cannot use: ignored, counted, and logged in debug mode.
    pub fn bad_call(&mut self, why: &str) {
        self.outbox.count_drop("invalid_call", 1);
        self.log2("ignored call: ", why);
    }

    /// The shop called `flush()`: send what is queued now (respecting a pending retry delay).
    pub fn handle_flush(&mut self, now: f64) {
        self.last_now = now;
        self.send_due(now, true);
    }

    /// Time passed: fire the detectors' deadlines and send what is due.
    pub fn handle_timeout(&mut self, now: f64) {
        self.last_now = now;
        if let Some(d) = self.detectors.as_mut() {
            let mut found = Vec::new();
            d.advance(now, &mut found);
            for f in found {
                self.record_finding(f, None);
            }
        }
        self.survey_trigger(now, SurveyTrigger::Time);
        self.send_due(now, false);
    }

    /// The page is hidden or being left: everything goes out by beacon now.
    pub fn handle_page_hidden(&mut self, now: f64) {
        self.last_now = now;
        if self.analytics_allowed() != Some(true) {
            return;
        }
        let env = Envelope { site: &self.config.site_key, sdk: SDK_NAME };
        let batches = self.outbox.drain_for_beacon(now, &env);
        for b in batches {
            self.log_batch("beacon", b.id, b.events);
            self.actions.push(Action::Send {
                batch: b.id,
                url: self.batch_url.clone(),
                body: b.body,
                transport: Transport::Beacon,
                gzip: false, // sendBeacon runs at pagehide, synchronously: no time to compress
            });
        }
    }

    /// How a send ended.
    pub fn handle_send_result(&mut self, now: f64, batch: u64, outcome: SendOutcome) {
        self.last_now = now;
        if self.settle_review(batch, outcome) {
            return;
        }
        let settled = self.outbox.settle(now, batch, outcome, &mut self.rng);
        if self.config.debug {
            let mut m = String::from("batch ");
            write_u64(batch, &mut m);
            match settled {
                Settled::Delivered(n) => {
                    m.push_str(" delivered: ");
                    write_u64(n as u64, &mut m);
                    m.push_str(" events");
                }
                Settled::Rejected(n) => {
                    m.push_str(" rejected by the collector, dropped ");
                    write_u64(n as u64, &mut m);
                    m.push_str(" events");
                }
                Settled::RetryAt(at) => {
                    m.push_str(" failed, retrying in ");
                    write_u64((at - now).max(0.0).round() as u64, &mut m);
                    m.push_str(" ms");
                }
                Settled::Unknown => m.push_str(" settled twice (ignored)"),
            }
            self.actions.push(Action::Log(m));
        }
        if !self.stopped {
            self.send_due(now, false);
        }
    }

    /// `shutdown()`: what is queued leaves by beacon, and nothing more is recorded.
    pub fn handle_shutdown(&mut self, now: f64) {
        if self.stopped {
            return;
        }
        self.handle_page_hidden(now);
        self.stopped = true;
    }

    /// Whether `shutdown` was called.
    pub fn is_stopped(&self) -> bool {
        self.stopped
    }

    /// When the edge should call [`Sdk::handle_timeout`] next (ms, same clock as the inputs).
    pub fn poll_timeout(&self) -> Option<f64> {
        if self.stopped {
            return None;
        }
        let friction = self.detectors.as_ref().and_then(Detectors::poll_timeout);
        let sending = self.analytics_allowed() == Some(true) && !self.offline;
        let mut outbox = if sending { self.outbox.poll_timeout() } else { None };
        // A change not yet stored because the last write was too recent: wake up to store it.
        let persist = self.last_snapshot + PERSIST_EVERY_MS;
        if self.outbox.is_dirty() && self.analytics_allowed() == Some(true) && persist > self.last_now {
            outbox = Some(outbox.map_or(persist, |o| o.min(persist)));
        }
        let surveys = if self.surveys_allowed() { self.surveys.poll_timeout() } else { None };
        [outbox, friction, surveys]
            .into_iter()
            .flatten()
            .fold(None, |acc: Option<f64>, t| Some(acc.map_or(t, |a| a.min(t))))
    }

    /// The next thing to do. When the outbox changed, storing it comes after the other actions,
    /// at most once per [`PERSIST_EVERY_MS`] (always when leaving).
    pub fn poll_action(&mut self) -> Option<Action> {
        if self.persist_due() {
            self.last_snapshot = self.last_now;
            let text = self.outbox.snapshot(self.last_now, self.leaving);
            self.actions.push(Action::PersistOutbox { text, exit: self.leaving });
        }
        (!self.actions.is_empty()).then(|| self.actions.remove(0))
    }

    fn persist_due(&self) -> bool {
        self.outbox.is_dirty()
            && self.analytics_allowed() == Some(true)
            && (self.leaving || self.last_now - self.last_snapshot >= PERSIST_EVERY_MS)
    }

    /// A fresh random id (for this page's storage slot).
    pub fn make_id(&mut self) -> String {
        self.rng.id()
    }

    /// The browser went offline / online. Offline, nothing is sent (and retries wait); back
    /// online, the backoff is forgotten and what is queued goes at once.
    pub fn handle_connectivity(&mut self, now: f64, online: bool) {
        self.last_now = now;
        let was_offline = self.offline;
        self.offline = !online;
        self.log2(if online { "online: sending resumes" } else { "offline: sending paused" }, "");
        if online && was_offline {
            self.outbox.reset_backoff();
            self.send_due(now, true);
        }
    }

    /// Offers an outbox stored by another page (see [`Action::PersistOutbox`]). If that page is
    /// gone (closed, or silent for minutes) its events are adopted and sent from here; the edge
    /// then removes its slot. Returns whether it was adopted.
    /// `gone`: the caller knows that page is gone (its Web Lock is free); otherwise the stored
    /// text decides (closed, or silent for minutes).
    pub fn adopt_outbox(&mut self, now: f64, text: &str, gone: bool) -> bool {
        self.last_now = now;
        if self.analytics_allowed() != Some(true) {
            return false;
        }
        match self.outbox.adopt(now, text, gone) {
            Some(n) => {
                // The other page's slot is gone: store the adopted events in ours right away.
                self.last_snapshot = f64::NEG_INFINITY;
                if self.config.debug && n > 0 {
                    let mut m = String::from("adopted ");
                    write_u64(n as u64, &mut m);
                    m.push_str(" unsent events from an earlier page");
                    self.actions.push(Action::Log(m));
                }
                true
            }
            None => false,
        }
    }

    /// The page is being left (pagehide): like [`Sdk::handle_page_hidden`], and the stored
    /// outbox is marked as left behind, so the next page adopts whatever did not get through.
    pub fn handle_leave(&mut self, now: f64) {
        self.leaving = true;
        self.handle_page_hidden(now);
    }

    fn record(&mut self, now: f64, kind: EventType, name: String, props: String) {
        let event = Event {
            id: self.rng.id(),
            kind,
            name,
            sid: self.session_id.clone(),
            did: self.device_id(now),
            path: self.current_path.clone(),
            at_ms: now,
            props,
        };
        self.enqueue(now, event);
        self.send_due(now, false);
    }

    /// Into the outbox, unless consent is refused or the event is sampled out.
    fn enqueue(&mut self, at: f64, event: Event) {
        let what = |e: &Event, verb: &str| {
            let mut m = String::from(verb);
            m.push_str(e.kind.as_str());
            m.push(' ');
            if !e.name.is_empty() {
                m.push_str(&e.name);
                m.push_str(" on ");
            }
            m.push_str(&e.path);
            m
        };
        if self.analytics_allowed() == Some(false) {
            if self.config.debug {
                self.actions.push(Action::Log(what(&event, "not recorded (no consent): ")));
            }
            return;
        }
        let rate = self
            .config
            .sampling
            .iter()
            .find(|(k, _)| *k == event.name)
            .or_else(|| self.config.sampling.iter().find(|(k, _)| k == event.kind.as_str()))
            .map_or(1.0, |(_, r)| *r);
        if rate < 1.0 && self.rng.next_f64() >= rate {
            self.outbox.count_drop("sampled", 1);
            if self.config.debug {
                self.actions.push(Action::Log(what(&event, "sampled out: ")));
            }
            return;
        }
        if self.config.debug {
            let held = if self.analytics_allowed().is_none() { " (held until consent)" } else { "" };
            self.actions.push(Action::Log(what(&event, "queued ") + held));
        }
        self.outbox.push(at, event);
    }

    fn send_due(&mut self, now: f64, force: bool) {
        if self.stopped || self.offline || self.analytics_allowed() != Some(true) {
            return;
        }
        let env = Envelope { site: &self.config.site_key, sdk: SDK_NAME };
        if let Some(b) = self.outbox.poll_batch(now, force, &env) {
            self.log_batch("sending", b.id, b.events);
            let gzip = b.body.len() > GZIP_OVER_BYTES;
            self.actions.push(Action::Send {
                batch: b.id,
                url: self.batch_url.clone(),
                body: b.body,
                transport: Transport::Fetch,
                gzip,
            });
        }
    }

    fn log_batch(&mut self, what: &str, id: u64, events: usize) {
        if self.config.debug {
            let mut m = String::from(what);
            m.push_str(" batch ");
            write_u64(id, &mut m);
            m.push_str(" (");
            write_u64(events as u64, &mut m);
            m.push_str(" events)");
            self.actions.push(Action::Log(m));
        }
    }

    fn log2(&mut self, a: &str, b: &str) {
        if self.config.debug {
            self.actions.push(Action::Log(String::from(a) + b));
        }
    }
}

/// A copy of `v` with every string (keys included) scrubbed of personal data.
/// Properties whose key is sensitive (`password`, `token`, `email`, … — the same rule as for
/// query keys, plus the shop's `sensitive_query_keys`) have their strings and numbers redacted.
pub fn scrub_value(v: &Value, extra_keys: &[String]) -> Value {
    match v {
        Value::Str(s) => Value::Str(scrub_text(s)),
        Value::Arr(items) => Value::Arr(items.iter().map(|i| scrub_value(i, extra_keys)).collect()),
        Value::Obj(fields) => Value::Obj(
            fields
                .iter()
                .map(|(k, v)| {
                    let redact = is_sensitive_key(k, extra_keys) && matches!(v, Value::Str(_) | Value::Num(_));
                    let v = if redact { Value::Str("[redacted]".into()) } else { scrub_value(v, extra_keys) };
                    (scrub_text(k), v)
                })
                .collect(),
        ),
        // (spelled out: `other.clone()` would link the whole recursive Value::clone)
        Value::Num(n) => Value::Num(*n),
        Value::Bool(b) => Value::Bool(*b),
        Value::Null => Value::Null,
    }
}

mod personalize;
mod reviews;
mod surveys;
pub use reviews::{MAX_PRODUCT_ID, MAX_REVIEWED};
pub use surveys::{render as render_survey, NoProbe, SurveyTrigger};

#[cfg(test)]
mod tests;
