//! The friction edge: turns real DOM events and performance entries into the core's trace
//! inputs. It describes what happened (which element, which field, which entry) and decides
//! nothing: every rule lives in `crate::core::friction`.
//!
//! Privacy: field values are never read beyond "is it empty"; element text is read (first 40
//! characters, for the stepper / carousel exclusions) and never leaves the core.

use js_sys::Array;
use wasm_bindgen::prelude::*;

use super::runtime::{dispatch, Input, Runtime};
use crate::core::friction::page_vitals::Entry;
use crate::core::friction::{FieldAction, InputKind, Target};

#[wasm_bindgen(module = "/src/web/dom.js")]
extern "C" {
    /// Attaches every friction listener and observer; each event comes back as one `emit` call.
    /// Returns the function that detaches them all.
    #[wasm_bindgen(js_name = watchFriction)]
    fn watch_friction(emit: &Closure<dyn FnMut(u32, f64, f64, JsValue)>) -> js_sys::Function;
}

/// The kinds dom.js emits (mirrored there).
mod kind {
    pub const CLICK: u32 = 1;
    pub const KEY: u32 = 2;
    pub const SCROLL: u32 = 3;
    pub const SELECTION: u32 = 4;
    pub const WINDOW_FOCUS: u32 = 5;
    pub const ERROR: u32 = 6;
    pub const FIELD: u32 = 7;
    pub const SUBMIT: u32 = 8;
    pub const MUTATION: u32 = 9;
    pub const LCP: u32 = 10;
    pub const SHIFT: u32 = 11;
    pub const INTERACTION: u32 = 12;
    pub const FCP: u32 = 13;
    pub const LONG_TASK: u32 = 14;
}

/// Every friction listener and observer, attached by dom.js; all detached on drop.
pub struct FrictionWatch {
    detach: js_sys::Function,
    _emit: Closure<dyn FnMut(u32, f64, f64, JsValue)>,
}

impl Drop for FrictionWatch {
    fn drop(&mut self) {
        let _ = self.detach.call0(&JsValue::NULL);
    }
}

/// The clicked element (dom.js's description) as the trace format's `target`, and whether a
/// modifier key was held.
fn click_target(a: &Array) -> (Target, bool) {
    let s = |i: u32| a.get(i).as_string().unwrap_or_default();
    let b = |i: u32| a.get(i).as_bool().unwrap_or(false);
    let target = Target {
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
    };
    (target, b(10))
}

/// One reported event as the core's inputs.
fn feed(rt: &'static Runtime, kind: u32, x: f64, y: f64, data: JsValue) {
    let friction = |k: InputKind| Input::Friction(k);
    let text = || data.as_string().unwrap_or_default();
    let input = match kind {
        kind::CLICK if Array::is_array(&data) => {
            dispatch(rt, Input::Vital(Entry::UserInput));
            let (target, mods) = click_target(&Array::from(&data));
            friction(InputKind::Click { x, y, target, mods })
        }
        kind::KEY => Input::Vital(Entry::UserInput),
        kind::SCROLL => friction(InputKind::Scroll { y: x }),
        kind::SELECTION => friction(InputKind::Selection),
        kind::WINDOW_FOCUS => friction(InputKind::WindowFocus { focused: x > 0.0 }),
        kind::ERROR => friction(InputKind::Error { message: text() }),
        kind::FIELD if Array::is_array(&data) => {
            let a = Array::from(&data);
            let action = match x as u32 {
                0 => FieldAction::Focus,
                1 => FieldAction::Input,
                _ => FieldAction::Blur,
            };
            let (form, field) = (a.get(0).as_string().unwrap_or_default(), a.get(1).as_string().unwrap_or_default());
            let filled = action == FieldAction::Blur && a.get(2).as_bool().unwrap_or(false);
            friction(InputKind::Field { form, field, action, filled })
        }
        kind::SUBMIT => friction(InputKind::Submit { form: text() }),
        kind::MUTATION => friction(InputKind::Mutation),
        kind::LCP => Input::Vital(Entry::LcpCandidate(x)),
        kind::SHIFT => {
            Input::Vital(Entry::LayoutShift { value: x, start: y, had_recent_input: data.as_bool().unwrap_or(false) })
        }
        kind::INTERACTION => Input::Vital(Entry::Interaction { id: x as u64, duration: y }),
        kind::FCP => Input::Vital(Entry::Fcp(x)),
        kind::LONG_TASK => friction(InputKind::LongTask { duration: x }),
        _ => return,
    };
    dispatch(rt, input);
}

/// Attaches every friction listener and observer (through dom.js); dropping the result
/// detaches them all.
pub fn attach(rt: &'static Runtime) -> FrictionWatch {
    let emit = Closure::<dyn FnMut(u32, f64, f64, JsValue)>::new(move |kind: u32, x: f64, y: f64, data: JsValue| {
        feed(rt, kind, x, y, data);
    });
    let detach = watch_friction(&emit);
    FrictionWatch { detach, _emit: emit }
}
