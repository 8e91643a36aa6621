//! JS values to core [`Value`]s, bounded so that a huge or cyclic object cannot hang the page.

use js_sys::{Array, Date, Object};
use wasm_bindgen::{JsCast, JsValue};

use crate::core::Value;

const MAX_DEPTH: u8 = 8;
const MAX_ITEMS: u32 = 500;

/// Converts a JS value: primitives as they are, arrays and plain objects recursively (cut at
/// depth 8 and 500 items), dates as ISO strings; functions, symbols and bigints become `Null`.
pub fn to_value(v: &JsValue) -> Value {
    convert(v, 0)
}

fn convert(v: &JsValue, depth: u8) -> Value {
    if v.is_null() || v.is_undefined() {
        return Value::Null;
    }
    if let Some(b) = v.as_bool() {
        return Value::Bool(b);
    }
    if let Some(n) = v.as_f64() {
        return Value::Num(n);
    }
    if let Some(s) = v.as_string() {
        return Value::Str(s);
    }
    if depth >= MAX_DEPTH || v.is_function() || !v.is_object() {
        return Value::Null;
    }
    if let Some(d) = v.dyn_ref::<Date>() {
        return if d.get_time().is_finite() { Value::Str(d.to_iso_string().into()) } else { Value::Null };
    }
    if Array::is_array(v) {
        let arr: &Array = v.unchecked_ref();
        let n = arr.length().min(MAX_ITEMS);
        return Value::Arr((0..n).map(|i| convert(&arr.get(i), depth + 1)).collect());
    }
    let entries = Object::entries(v.unchecked_ref());
    let n = entries.length().min(MAX_ITEMS);
    let mut fields = Vec::with_capacity(n as usize);
    for i in 0..n {
        let pair: Array = entries.get(i).unchecked_into();
        if let Some(k) = pair.get(0).as_string() {
            let val = pair.get(1);
            if !val.is_undefined() && !val.is_function() {
                fields.push((k, convert(&val, depth + 1)));
            }
        }
    }
    Value::Obj(fields)
}
