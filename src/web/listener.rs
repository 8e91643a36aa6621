//! An event listener that removes itself when dropped (like gloo's `EventListener`), built from
//! one non-generic function so every listener shares a single wasm-bindgen closure shim —
//! gloo's generic constructor instantiates the closure glue once per call site.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AddEventListenerOptions, Event, EventTarget};

/// How a listener is attached.
#[derive(Clone, Copy)]
pub struct Opts {
    /// Run in the capture phase.
    pub capture: bool,
    /// Promise not to call `preventDefault` (lets the browser scroll without waiting).
    pub passive: bool,
}

/// Bubbling, passive.
pub const PASSIVE: Opts = Opts { capture: false, passive: true };

/// An attached listener; dropping it detaches it.
#[must_use = "the listener is removed when this is dropped"]
pub struct Listener {
    target: EventTarget,
    kind: &'static str,
    capture: bool,
    callback: Closure<dyn FnMut(Event)>,
}

impl Listener {
    /// Attaches `f` to `target` for `kind` events.
    pub fn new(target: &EventTarget, kind: &'static str, opts: Opts, mut f: Box<dyn FnMut(&Event)>) -> Listener {
        let callback = Closure::<dyn FnMut(Event)>::new(move |e: Event| f(&e));
        let options = AddEventListenerOptions::new();
        options.set_capture(opts.capture);
        options.set_passive(opts.passive);
        let _ = target.add_event_listener_with_callback_and_add_event_listener_options(
            kind,
            callback.as_ref().unchecked_ref(),
            &options,
        );
        Listener { target: target.clone(), kind, capture: opts.capture, callback }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback_and_bool(
            self.kind,
            self.callback.as_ref().unchecked_ref(),
            self.capture,
        );
    }
}
