//! Scrubbing: personal data is replaced by a placeholder in the core, before anything is queued.
//!
//! - emails → `[email]`
//! - IBANs with a valid mod-97 checksum (spaces allowed in groups) → `[iban]`
//! - card numbers: 13–19 digits (spaces or dashes allowed between groups) passing Luhn → `[card]`
//! - phone numbers: an optional `+`, then 9–15 digits with optional spaces, dashes, dots or
//!   parentheses between them → `[phone]`
//! - in URLs, the values of sensitive query keys (`email`, `token`, `password`, `auth`,
//!   `session`, `code`, `key`, `secret`, plus a configurable list) and of ad click ids (`gclid`,
//!   `fbclid`, `msclkid`, …) → `[redacted]`; every other value and the path are scrubbed as text.
//!
//! When unsure the scrubber removes: a 10-digit order number in a URL becomes `[phone]`. Losing
//! an order number in analytics is cheap; leaking a phone number is not.

use crate::core::value::contains;

/// Query keys whose values are always redacted, matched against the key's parts
/// (`api_key` → `api`, `key`; `promoCode` → `promo`, `code`).
pub const SENSITIVE_KEY_PARTS: &[&str] = &[
    "email",
    "mail",
    "token",
    "password",
    "passwd",
    "pwd",
    "auth",
    "session",
    "code",
    "key",
    "secret",
    "signature",
    "phone",
    "iban",
];

/// Ad click ids, always redacted.
pub const AD_CLICK_IDS: &[&str] = &[
    "gclid",
    "gclsrc",
    "dclid",
    "gbraid",
    "wbraid",
    "fbclid",
    "msclkid",
    "ttclid",
    "twclid",
    "li_fat_id",
    "yclid",
    "igshid",
    "mc_eid",
    "_hsenc",
    "epik",
    "rdt_cid",
    "sccid",
    "irclickid",
];

/// A scrubber with the shop's extra sensitive query keys.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scrubber {
    /// Extra query keys to redact (lower case, matched exactly).
    pub extra_keys: Vec<String>,
}

impl Scrubber {
    /// Scrubs free text.
    pub fn text(&self, s: &str) -> String {
        scrub_text(s)
    }

    /// Scrubs a path with an optional query (`/p/1?email=a@b.c`).
    pub fn url(&self, s: &str) -> String {
        scrub_url_with(s, &self.extra_keys)
    }
}

/// Scrubs free text: emails, IBANs, card numbers and phone numbers become placeholders.
pub fn scrub_text(s: &str) -> String {
    if !s.bytes().any(|b| b == b'@' || b.is_ascii_digit()) {
        return s.to_string(); // nothing that could match
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if let Some(end) = email_at(&chars, i) {
            out.push_str("[email]");
            i = end;
        } else if let Some(end) = iban_at(&chars, i) {
            out.push_str("[iban]");
            i = end;
        } else if let Some((end, is_card)) = number_at(&chars, i) {
            out.push_str(if is_card { "[card]" } else { "[phone]" });
            i = end;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Scrubs free text a shopper wrote (reviews, survey answers): everything [`scrub_text`] does,
/// and links (`http://…`, `https://…`, `www.…`) become `[url]`.
pub fn scrub_free_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    loop {
        let starts = ["https://", "http://", "www."]
            .iter()
            .filter_map(|p| crate::core::value::find(&rest.to_ascii_lowercase(), p))
            .min();
        let Some(i) = starts.filter(|&i| i == 0 || !is_word(rest[..i].chars().last().unwrap_or(' '))) else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..i]);
        let end = rest[i..].find(char::is_whitespace).map_or(rest.len(), |e| i + e);
        // Keep sentence punctuation that follows a link.
        let mut link_end = end;
        while link_end > i && matches!(rest.as_bytes()[link_end - 1], b'.' | b',' | b';' | b':' | b')' | b'!' | b'?') {
            link_end -= 1;
        }
        out.push_str("[url]");
        out.push_str(&rest[link_end..end]);
        rest = &rest[end..];
    }
    scrub_text(&out)
}

/// Scrubs a URL or path with the default sensitive keys.
pub fn scrub_url(s: &str) -> String {
    scrub_url_with(s, &[])
}

fn scrub_url_with(s: &str, extra_keys: &[String]) -> String {
    let (before_hash, hash) = match s.find('#') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (path, query) = match before_hash.find('?') {
        Some(i) => (&before_hash[..i], Some(&before_hash[i + 1..])),
        None => (before_hash, None),
    };
    let mut out = scrub_text(&percent_decode_if_needed(path));
    if let Some(q) = query {
        out.push('?');
        for (n, pair) in q.split('&').enumerate() {
            if n > 0 {
                out.push('&');
            }
            let (k, v) = match pair.find('=') {
                Some(i) => (&pair[..i], Some(&pair[i + 1..])),
                None => (pair, None),
            };
            out.push_str(&scrub_text(k));
            if let Some(v) = v {
                out.push('=');
                if is_sensitive_key(k, extra_keys) {
                    out.push_str("[redacted]");
                } else {
                    let decoded = percent_decode(v);
                    let scrubbed = scrub_text(&decoded);
                    if scrubbed == decoded {
                        out.push_str(v);
                    } else {
                        out.push_str(&scrubbed.replace('&', "%26").replace('#', "%23").replace(' ', "%20"));
                    }
                }
            }
        }
    }
    if let Some(h) = hash {
        out.push('#');
        out.push_str(&scrub_text(&percent_decode(h)));
    }
    out
}

fn percent_decode_if_needed(s: &str) -> String {
    if ["%40", "%2B", "%20"].iter().any(|p| contains(s, p)) {
        percent_decode(s)
    } else {
        s.to_string()
    }
}

/// Decodes `%XX` escapes and `+` (as in form-encoded queries); invalid escapes stay as they are.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                let hex = |c: u8| (c as char).to_digit(16);
                match (hex(b[i + 1]), hex(b[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 3;
                    }
                    _ => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether a query key's value must be redacted.
pub fn is_sensitive_key(key: &str, extra: &[String]) -> bool {
    let k = percent_decode(key).to_ascii_lowercase();
    if AD_CLICK_IDS.contains(&k.as_str()) || k.starts_with("utm_id") || extra.contains(&k) {
        return true;
    }
    // Split into parts on separators and camelCase humps.
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in percent_decode(key).chars() {
        if !is_word(c) {
            if !cur.is_empty() {
                parts.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            parts.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    parts.iter().any(|p| SENSITIVE_KEY_PARTS.contains(&p.as_str()))
        || ["email", "token", "password", "passwd", "secret", "session"].iter().any(|w| contains(&k, w))
}

/// A letter or digit. Every non-ASCII character counts as a letter: exact Unicode tables would
/// cost ~15 KB of wasm, and for scrubbing, matching a little too much is the safe side.
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || !c.is_ascii()
}

fn is_local(c: char) -> bool {
    // (not `"._%+-'".contains(c)`: a char pattern on a str links the two-way string searcher)
    is_word(c) || matches!(c, '.' | '_' | '%' | '+' | '-' | '\'')
}

fn is_domain(c: char) -> bool {
    is_word(c) || c == '-' || c == '.'
}

/// An email starting exactly at `i`: returns the index after it.
fn email_at(s: &[char], i: usize) -> Option<usize> {
    if !is_local(s[i]) || (i > 0 && is_local(s[i - 1])) {
        return None;
    }
    let mut j = i;
    while j < s.len() && is_local(s[j]) {
        j += 1;
    }
    if j == i || j >= s.len() || s[j] != '@' {
        return None;
    }
    let start = j + 1;
    let mut k = start;
    while k < s.len() && is_domain(s[k]) {
        k += 1;
    }
    // Trim trailing dots/hyphens (end of sentence).
    while k > start && (s[k - 1] == '.' || s[k - 1] == '-') {
        k -= 1;
    }
    let domain: String = s[start..k].iter().collect();
    let labels: Vec<&str> = domain.split('.').collect();
    let tld = labels.last()?;
    if labels.len() < 2
        || labels.iter().any(|l| l.is_empty())
        || tld.chars().count() < 2
        || !tld.chars().all(|c| c.is_ascii_alphabetic() || !c.is_ascii())
    {
        return None;
    }
    Some(k)
}

/// A run of digits with separators starting at `i` (not inside a longer word or number).
/// Returns the end and whether it is a Luhn-valid card number; `None` if it is neither a card
/// nor a phone number.
fn number_at(s: &[char], i: usize) -> Option<(usize, bool)> {
    let plus = s[i] == '+';
    let open = s[i] == '(';
    if !(plus || open || s[i].is_ascii_digit()) {
        return None;
    }
    if i > 0 && (is_word(s[i - 1]) || s[i - 1] == '.' && i > 1 && s[i - 2].is_ascii_digit()) {
        return None;
    }
    let mut digits = Vec::new();
    let mut j = if plus || open { i + 1 } else { i };
    let mut end = j;
    while j < s.len() {
        let c = s[j];
        if c.is_ascii_digit() {
            digits.push(c as u8 - b'0');
            j += 1;
            end = j;
        } else if matches!(c, ' ' | '-' | '.' | '(' | ')')
            && j + 1 < s.len()
            && (s[j + 1].is_ascii_digit() || s[j + 1] == '(' || c == ')')
        {
            j += 1;
        } else {
            break;
        }
        if digits.len() > 19 {
            return None; // a longer number: not a card or phone (an id, a hash)
        }
    }
    if digits.is_empty() || end < s.len() && is_word(s[end]) {
        return None;
    }
    let n = digits.len();
    if (13..=19).contains(&n) && luhn(&digits) {
        return Some((end, true));
    }
    if (9..=15).contains(&n) {
        return Some((end, false));
    }
    None
}

/// The Luhn checksum over digits.
pub fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (k, d) in digits.iter().rev().enumerate() {
        let mut d = *d as u32;
        if k % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

/// An IBAN starting at `i` (country code, 2 check digits, 11–30 alphanumerics; single spaces
/// between groups allowed) with a valid mod-97 checksum.
fn iban_at(s: &[char], i: usize) -> Option<usize> {
    if i + 15 > s.len() || !s[i].is_ascii_uppercase() || !s[i + 1].is_ascii_uppercase() || (i > 0 && is_word(s[i - 1]))
    {
        return None;
    }
    let mut chars: Vec<char> = Vec::new();
    let mut j = i;
    let mut best = None;
    while j < s.len() && chars.len() < 34 {
        let c = s[j];
        if c.is_ascii_alphanumeric() {
            chars.push(c.to_ascii_uppercase());
            j += 1;
            let at_boundary = j >= s.len() || !s[j].is_ascii_alphanumeric();
            if chars.len() >= 15 && at_boundary && iban_valid(&chars) {
                best = Some(j);
            }
        } else if c == ' ' && j + 1 < s.len() && s[j + 1].is_ascii_alphanumeric() {
            j += 1;
        } else {
            break;
        }
    }
    best
}

/// mod-97 check of an IBAN given without spaces, upper case.
pub fn iban_valid(iban: &[char]) -> bool {
    if iban.len() < 15 || iban.len() > 34 || !iban[2].is_ascii_digit() || !iban[3].is_ascii_digit() {
        return false;
    }
    let mut rem: u32 = 0;
    for &c in iban[4..].iter().chain(iban[..4].iter()) {
        let v = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'A'..='Z' => c as u32 - 'A' as u32 + 10,
            _ => return false,
        };
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    rem == 1
}

#[cfg(test)]
mod tests;
