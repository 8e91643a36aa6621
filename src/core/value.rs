//! A small JSON-like value and a compact JSON writer.
//!
//! The browser edge converts JS values (config objects, `track` properties) into [`Value`] and the
//! core serializes batches with [`Value::write_json`]. Writing JSON by hand keeps `serde_json` and
//! float formatting out of the wasm, which is most of what a JSON library would cost in bytes.

/// A JSON-like value handed to the core by the browser edge or by tests.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null` or `undefined`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number (JS numbers are all `f64`).
    Num(f64),
    /// A string.
    Str(String),
    /// An array.
    Arr(Vec<Value>),
    /// An object, keys in insertion order.
    Obj(Vec<(String, Value)>),
}

impl Value {
    /// The JS type name used in error messages (`"a string"`, `"a number"`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Num(_) => "a number",
            Value::Str(_) => "a string",
            Value::Arr(_) => "an array",
            Value::Obj(_) => "an object",
        }
    }

    /// Looks a key up in an object; `None` for missing keys and non-objects.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Obj(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Appends this value as compact JSON to `out`.
    ///
    /// Non-finite numbers become `null` (as `JSON.stringify` does).
    pub fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(true) => out.push_str("true"),
            Value::Bool(false) => out.push_str("false"),
            Value::Num(n) => write_num(*n, out),
            Value::Str(s) => write_str(s, out),
            Value::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            Value::Obj(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(k, out);
                    out.push(':');
                    v.write_json(out);
                }
                out.push('}');
            }
        }
    }

    /// This value as a compact JSON string.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }
}

/// `s` cut to its first `n` characters (a byte loop: `char_indices().nth` costs more wasm).
pub fn cut_chars(s: &str, n: usize) -> &str {
    let mut count = 0;
    for (i, b) in s.bytes().enumerate() {
        // a byte that starts a character (not a 10xxxxxx continuation byte)
        if (b as i8) >= -0x40 {
            if count == n {
                return &s[..i];
            }
            count += 1;
        }
    }
    s
}

/// Appends `s` as a JSON string literal (quotes and escapes included).
pub fn write_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str("\\u");
                let n = c as u32;
                for shift in [12, 8, 4, 0] {
                    out.push(HEX[((n >> shift) & 0xf) as usize] as char);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Whether `needle` occurs in `haystack` (a byte scan: `str::contains(&str)` would link the
/// two-way string searcher, ~3 KB of wasm, for needles of a few bytes).
pub fn contains(haystack: &str, needle: &str) -> bool {
    find(haystack, needle).is_some()
}

/// Byte offset of the first `needle` in `haystack`.
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return Some(0);
    }
    (0..h.len().saturating_sub(n.len() - 1)).find(|&i| &h[i..i + n.len()] == n)
}

/// `items` joined by `sep` (a loop: `[&str]::join` links a generic copy routine per use).
pub fn join(items: &[&str], sep: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(item);
    }
    out
}

/// Appends an unsigned integer in decimal.
pub fn write_u64(mut n: u64, out: &mut String) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(b as char);
    }
}

/// Appends a number as JSON.
///
/// Integers up to 2^53 are written exactly; other values are written with up to 9 significant
/// digits (enough for prices, durations and scores, and far cheaper in wasm bytes than the
/// shortest round-trip algorithm of `core::fmt`). Non-finite numbers become `null`.
pub fn write_num(n: f64, out: &mut String) {
    if !n.is_finite() {
        out.push_str("null");
        return;
    }
    if n == 0.0 {
        out.push('0');
        return;
    }
    if n < 0.0 {
        out.push('-');
    }
    let a = n.abs();
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if a.fract() == 0.0 && a <= EXACT {
        write_u64(a as u64, out);
        return;
    }
    if (1e9..EXACT).contains(&a) {
        // Large values with a fraction are timestamps: whole units, exactly.
        write_u64(a.round() as u64, out);
        return;
    }
    // Scale into [1e8, 1e9) to keep 9 significant digits, remembering the decimal exponent.
    let mut exp: i32 = 0;
    let mut m = a;
    while m >= 1e9 {
        m /= 10.0;
        exp += 1;
    }
    while m < 1e8 {
        m *= 10.0;
        exp -= 1;
    }
    let mut digits = (m + 0.5) as u64; // round half up
    if digits >= 1_000_000_000 {
        digits /= 10;
        exp += 1;
    }
    // value = digits * 10^exp, digits has 9 digits.
    let mut ds = String::new();
    write_u64(digits, &mut ds);
    let point = 9 + exp; // position of the decimal point within ds
    if !(-6..=21).contains(&point) {
        // Scientific notation: d.ddddde±x
        let trimmed = ds.trim_end_matches('0');
        out.push_str(&trimmed[..1]);
        if trimmed.len() > 1 {
            out.push('.');
            out.push_str(&trimmed[1..]);
        }
        out.push('e');
        let e = point - 1;
        if e < 0 {
            out.push('-');
        }
        write_u64(e.unsigned_abs() as u64, out);
    } else if point <= 0 {
        out.push_str("0.");
        for _ in 0..(-point) {
            out.push('0');
        }
        out.push_str(ds.trim_end_matches('0'));
    } else if point >= 9 {
        out.push_str(&ds);
        for _ in 0..(point - 9) {
            out.push('0');
        }
    } else {
        let (int, frac) = ds.split_at(point as usize);
        out.push_str(int);
        let frac = frac.trim_end_matches('0');
        if !frac.is_empty() {
            out.push('.');
            out.push_str(frac);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(n: f64) -> String {
        let mut s = String::new();
        write_num(n, &mut s);
        s
    }

    #[test]
    fn integers_are_exact() {
        assert_eq!(num(0.0), "0");
        assert_eq!(num(-0.0), "0");
        assert_eq!(num(42.0), "42");
        assert_eq!(num(-7.0), "-7");
        assert_eq!(num(1763894000123.0), "1763894000123");
        assert_eq!(num(9_007_199_254_740_992.0), "9007199254740992");
    }

    #[test]
    fn fractions_keep_nine_significant_digits() {
        assert_eq!(num(19.99), "19.99");
        assert_eq!(num(79.95), "79.95");
        assert_eq!(num(0.1), "0.1");
        assert_eq!(num(0.1 + 0.2), "0.3");
        assert_eq!(num(-2.5), "-2.5");
        assert_eq!(num(0.000123), "0.000123");
        assert_eq!(num(123456.789), "123456.789");
        assert_eq!(num(0.999999999999), "1");
        assert_eq!(num(1763894000123.456), "1763894000123", "timestamps keep every millisecond");
    }

    #[test]
    fn huge_and_tiny_numbers_use_exponents_and_non_finite_is_null() {
        assert_eq!(num(1.5e30), "1.5e30");
        assert_eq!(num(2.5e-9), "2.5e-9");
        assert_eq!(num(f64::NAN), "null");
        assert_eq!(num(f64::INFINITY), "null");
    }

    #[test]
    fn byte_search_and_join() {
        assert!(contains("abc://x", "://"));
        assert!(!contains("ab", "abc"));
        assert_eq!(find("a%40b%40", "%40"), Some(1));
        assert_eq!(find("", "x"), None);
        assert_eq!(find("x", ""), Some(0));
        assert_eq!(join(&["a", "b", "c"], ", "), "a, b, c");
        assert_eq!(join(&[], ", "), "");
    }

    #[test]
    fn strings_are_escaped() {
        let v = Value::Str("a\"b\\c\n\u{1}\u{2028}ñ".into());
        assert_eq!(v.to_json(), r#""a\"b\\c\n\u0001\u2028ñ""#);
    }

    #[test]
    fn nested_values_serialize_compactly() {
        let v = Value::Obj(vec![
            ("a".into(), Value::Arr(vec![Value::Num(1.0), Value::Null, Value::Bool(true)])),
            ("b".into(), Value::Obj(vec![])),
        ]);
        assert_eq!(v.to_json(), r#"{"a":[1,null,true],"b":{}}"#);
    }

    #[test]
    fn cut_chars_counts_characters_not_bytes() {
        assert_eq!(cut_chars("añadir al carrito", 3), "aña");
        assert_eq!(cut_chars("€€€", 2), "€€");
        assert_eq!(cut_chars("🛒x", 1), "🛒");
        assert_eq!(cut_chars("abc", 10), "abc");
        assert_eq!(cut_chars("abc", 0), "");
    }
}
