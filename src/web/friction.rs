//! The friction edge: turns real DOM events and performance entries into the core's trace
//! inputs. It describes what happened (which element, which field, which entry) and decides
//! nothing: every rule lives in `crate::core::friction`.
//!
//! Privacy: field values are never read beyond "is it empty"; element text is read (first 40
//! characters, for the stepper / carousel exclusions) and never leaves the core.

use std::rc::Rc;

use super::listener::{Listener, CAPTURE_PASSIVE, PASSIVE};
use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Event;

use super::runtime::{dispatch, Input, Runtime};
use crate::core::friction::page_vitals::Entry;
use crate::core::friction::{FieldAction, InputKind, Target};

/// A MutationObserver or PerformanceObserver, disconnected on drop.
pub struct ObserverGuard {
    observer: JsValue,
    _callback: Closure<dyn FnMut(JsValue, JsValue)>,
}

impl Drop for ObserverGuard {
    fn drop(&mut self) {
        if let Ok(f) = Reflect::get(&self.observer, &"disconnect".into()) {
            if let Some(f) = f.dyn_ref::<js_sys::Function>() {
                let _ = f.call0(&self.observer);
            }
        }
    }
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn get_f64(v: &JsValue, key: &str) -> f64 {
    get(v, key).as_f64().unwrap_or(0.0)
}

fn get_str(v: &JsValue, key: &str) -> String {
    get(v, key).as_string().unwrap_or_default()
}

/// `performance.getEntriesByType("navigation")[0].type`: navigate, reload or back_forward.
pub fn navigation_type() -> String {
    let Some(perf) = web_sys::window().and_then(|w| w.performance()) else {
        return String::new();
    };
    let entries = perf.get_entries_by_type("navigation");
    get_str(&entries.get(0), "type")
}

/// `responseStart` of the navigation entry (TTFB), if known.
pub fn ttfb() -> Option<f64> {
    let perf = web_sys::window()?.performance()?;
    let v = get_f64(&perf.get_entries_by_type("navigation").get(0), "responseStart");
    (v > 0.0).then_some(v)
}

#[wasm_bindgen(module = "/src/web/dom.js")]
extern "C" {
    #[wasm_bindgen(js_name = describeClick)]
    fn describe_click(e: &Event) -> JsValue;
    #[wasm_bindgen(js_name = describeField)]
    fn describe_field(e: &Event) -> JsValue;
    #[wasm_bindgen(js_name = describeForm)]
    fn describe_form(e: &Event) -> Option<String>;
    #[wasm_bindgen(js_name = errorMessage)]
    fn error_message(e: &Event) -> String;
}

/// The clicked element as the trace format's `target` (read by dom.js).
fn click_target(e: &Event) -> Option<Target> {
    let v = describe_click(e);
    if !Array::is_array(&v) {
        return None;
    }
    let a = Array::from(&v);
    let s = |i: u32| a.get(i).as_string().unwrap_or_default();
    let b = |i: u32| a.get(i).as_bool().unwrap_or(false);
    Some(Target {
        sel: s(0),
        tag: s(1),
        role: s(2),
        input_type: s(3),
        text: s(4),
        label: s(5),
        editable: b(6),
        in_link: b(7),
        ignore: b(8),
        mask: b(9),
    })
}

/// Attaches every friction listener and observer; the returned guards undo them on drop.
pub fn attach(rt: &Rc<Runtime>, listeners: &mut Vec<Listener>, observers: &mut Vec<ObserverGuard>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(doc) = window.document() else { return };

    let on = |map: fn(&Event) -> Vec<Input>| -> Box<dyn FnMut(&Event)> {
        let weak = Rc::downgrade(rt);
        Box::new(move |e: &Event| {
            if let Some(rt) = weak.upgrade() {
                for input in map(e) {
                    dispatch(&rt, input);
                }
            }
        })
    };

    listeners.push(Listener::new(
        &doc,
        "click",
        CAPTURE_PASSIVE,
        on(|e| {
            let Some(me) = e.dyn_ref::<web_sys::MouseEvent>() else { return vec![] };
            if me.button() != 0 {
                return vec![];
            }
            let Some(target) = click_target(e) else { return vec![] };
            vec![
                Input::Vital(Entry::UserInput),
                Input::Friction(InputKind::Click {
                    x: me.client_x() as f64,
                    y: me.client_y() as f64,
                    target,
                    mods: me.ctrl_key() || me.meta_key() || me.alt_key() || me.shift_key(),
                }),
            ]
        }),
    ));
    listeners.push(Listener::new(&doc, "keydown", CAPTURE_PASSIVE, on(|_| vec![Input::Vital(Entry::UserInput)])));
    listeners.push(Listener::new(
        &window,
        "scroll",
        PASSIVE,
        on(|_| {
            let y = web_sys::window().and_then(|w| w.scroll_y().ok()).unwrap_or(0.0);
            vec![Input::Friction(InputKind::Scroll { y })]
        }),
    ));
    listeners.push(Listener::new(
        &doc,
        "selectionchange",
        PASSIVE,
        on(|_| vec![Input::Friction(InputKind::Selection)]),
    ));
    listeners.push(Listener::new(
        &window,
        "focus",
        PASSIVE,
        on(|_| vec![Input::Friction(InputKind::WindowFocus { focused: true })]),
    ));
    listeners.push(Listener::new(
        &window,
        "blur",
        PASSIVE,
        on(|_| vec![Input::Friction(InputKind::WindowFocus { focused: false })]),
    ));
    listeners.push(Listener::new(
        &window,
        "error",
        PASSIVE,
        on(|e| vec![Input::Friction(InputKind::Error { message: error_message(e) })]),
    ));
    listeners.push(Listener::new(
        &window,
        "unhandledrejection",
        PASSIVE,
        on(|e| vec![Input::Friction(InputKind::Error { message: error_message(e) })]),
    ));
    for (kind, action) in
        [("focusin", FieldAction::Focus), ("input", FieldAction::Input), ("focusout", FieldAction::Blur)]
    {
        let weak = Rc::downgrade(rt);
        listeners.push(Listener::new(
            &doc,
            kind,
            CAPTURE_PASSIVE,
            Box::new(move |e: &Event| {
                let v = describe_field(e);
                if !Array::is_array(&v) {
                    return;
                }
                let a = Array::from(&v);
                let (form, field) =
                    (a.get(0).as_string().unwrap_or_default(), a.get(1).as_string().unwrap_or_default());
                let filled = action == FieldAction::Blur && a.get(2).as_bool().unwrap_or(false);
                if let Some(rt) = weak.upgrade() {
                    dispatch(&rt, Input::Friction(InputKind::Field { form, field, action, filled }));
                }
            }),
        ));
    }
    listeners.push(Listener::new(
        &doc,
        "submit",
        CAPTURE_PASSIVE,
        on(|e| match describe_form(e) {
            Some(form) => vec![Input::Friction(InputKind::Submit { form })],
            None => vec![],
        }),
    ));

    // DOM mutations: one input per observer callback (a batch of records).
    if let Some(root) = doc.document_element() {
        let weak = Rc::downgrade(rt);
        let cb = Closure::<dyn FnMut(JsValue, JsValue)>::new(move |_records: JsValue, _obs: JsValue| {
            if let Some(rt) = weak.upgrade() {
                dispatch(&rt, Input::Friction(InputKind::Mutation));
            }
        });
        if let Ok(obs) = web_sys::MutationObserver::new(cb.as_ref().unchecked_ref()) {
            let init = web_sys::MutationObserverInit::new();
            init.set_child_list(true);
            init.set_subtree(true);
            init.set_attributes(true);
            init.set_character_data(true);
            if obs.observe_with_options(&root, &init).is_ok() {
                observers.push(ObserverGuard { observer: obs.into(), _callback: cb });
            }
        }
    }

    // Performance entries.
    let supported: Vec<String> = {
        let ctor = get(&window, "PerformanceObserver");
        let list = get(&ctor, "supportedEntryTypes");
        if Array::is_array(&list) {
            Array::from(&list).iter().filter_map(|v| v.as_string()).collect()
        } else {
            Vec::new()
        }
    };
    for kind in ["largest-contentful-paint", "layout-shift", "event", "first-input", "paint", "longtask"] {
        if !supported.iter().any(|s| s == kind) {
            continue;
        }
        let weak = Rc::downgrade(rt);
        let cb = Closure::<dyn FnMut(JsValue, JsValue)>::new(move |list: JsValue, _obs: JsValue| {
            let Some(rt) = weak.upgrade() else { return };
            let entries = Reflect::get(&list, &"getEntries".into())
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                .and_then(|f| f.call0(&list).ok())
                .unwrap_or(JsValue::UNDEFINED);
            if !Array::is_array(&entries) {
                return;
            }
            for entry in Array::from(&entries).iter() {
                if let Some(input) = entry_input(&entry) {
                    dispatch(&rt, input);
                }
            }
        });
        let Ok(obs) = web_sys::PerformanceObserver::new(cb.as_ref().unchecked_ref()) else {
            continue;
        };
        let init = js_sys::Object::new();
        let _ = Reflect::set(&init, &"type".into(), &kind.into());
        let _ = Reflect::set(&init, &"buffered".into(), &true.into());
        if kind == "event" {
            let _ = Reflect::set(&init, &"durationThreshold".into(), &40.into());
        }
        let observe = get(&obs, "observe");
        if let Some(f) = observe.dyn_ref::<js_sys::Function>() {
            if f.call1(&obs, &init).is_ok() {
                observers.push(ObserverGuard { observer: obs.into(), _callback: cb });
            }
        }
    }
}

/// One performance entry as an input.
fn entry_input(entry: &JsValue) -> Option<Input> {
    let kind = get_str(entry, "entryType");
    Some(match kind.as_str() {
        "largest-contentful-paint" => {
            let render = get_f64(entry, "renderTime");
            Input::Vital(Entry::LcpCandidate(if render > 0.0 { render } else { get_f64(entry, "startTime") }))
        }
        "layout-shift" => Input::Vital(Entry::LayoutShift {
            value: get_f64(entry, "value"),
            start: get_f64(entry, "startTime"),
            had_recent_input: get(entry, "hadRecentInput").as_bool().unwrap_or(false),
        }),
        "event" | "first-input" => Input::Vital(Entry::Interaction {
            id: get_f64(entry, "interactionId") as u64,
            duration: get_f64(entry, "duration"),
        }),
        "paint" if get_str(entry, "name") == "first-contentful-paint" => {
            Input::Vital(Entry::Fcp(get_f64(entry, "startTime")))
        }
        "longtask" => Input::Friction(InputKind::LongTask { duration: get_f64(entry, "duration") }),
        _ => return None,
    })
}
