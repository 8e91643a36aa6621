//! Product reviews: the rules a review must meet before it is sent.
//!
//! - rating: 1–5, required;
//! - title: at most 120 characters;
//! - body: empty (a rating-only review) or 20–5000 characters;
//! - would-recommend: yes, no or unanswered;
//! - nickname: optional, 2–40 characters;
//! - anti-spam: the hidden honeypot field must stay empty, at least 3 s must pass between showing
//!   the form and submitting it, and a browser reviews a product once;
//! - text is trimmed, then scrubbed of emails, phone numbers, card numbers and URLs.
//!
//! Lengths count characters after trimming. Each problem is a code (`rating_required`, …); the
//! view words it in Spanish or English.

use crate::core::privacy::scrub::scrub_free_text;
use crate::core::value::{write_str, Value};

/// The longest title.
pub const MAX_TITLE: usize = 120;
/// The shortest non-empty body.
pub const MIN_BODY: usize = 20;
/// The longest body.
pub const MAX_BODY: usize = 5000;
/// Minimum time between showing the form and submitting it (ms).
pub const MIN_FILL_MS: f64 = 3000.0;

/// A language of the widgets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Spanish.
    Es,
    /// English.
    En,
}

impl Lang {
    /// From `<html lang>` or an override: `en…` is English, everything else Spanish (the demo
    /// shop's home language).
    pub fn from_tag(tag: &str) -> Lang {
        if tag.len() >= 2 && tag[..2].eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Es
        }
    }
}

/// What the shopper typed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReviewDraft {
    /// 1–5 stars, if chosen.
    pub rating: Option<u8>,
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
    /// Would recommend.
    pub recommend: Option<bool>,
    /// Nickname.
    pub nickname: String,
    /// The hidden field only bots fill.
    pub honeypot: String,
}

impl ReviewDraft {
    /// Reads `{ rating, title, body, recommend, nickname, honeypot }` (all optional; wrong types
    /// read as missing, so the rules below report them).
    pub fn from_value(v: &Value) -> ReviewDraft {
        let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        ReviewDraft {
            rating: match v.get("rating") {
                Some(Value::Num(n)) if n.fract() == 0.0 && (1.0..=5.0).contains(n) => Some(*n as u8),
                _ => None,
            },
            title: text("title"),
            body: text("body"),
            recommend: match v.get("recommend") {
                Some(Value::Bool(b)) => Some(*b),
                _ => None,
            },
            nickname: text("nickname"),
            honeypot: text("honeypot"),
        }
    }
}

/// A problem with one field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// `rating`, `title`, `body`, `nickname` or `form`.
    pub field: &'static str,
    /// What is wrong.
    pub code: ErrorCode,
}

/// The kinds of review errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// No rating chosen.
    RatingRequired,
    /// Title too long.
    TitleTooLong,
    /// Body too short (but not empty).
    BodyTooShort,
    /// Body too long.
    BodyTooLong,
    /// Nickname of 1 or more than 40 characters.
    NicknameLength,
    /// Submitted within 3 s of showing the form.
    TooFast,
    /// The honeypot was filled.
    Spam,
    /// This browser already reviewed the product.
    AlreadyReviewed,
    /// No product id, or not 1 to 128 characters.
    ProductId,
    /// The collector could not be reached or refused it; the shopper may try again.
    SendFailed,
    /// The SDK is shut down.
    Unavailable,
}

impl ErrorCode {
    /// A stable name for code (`rating_required`, `already_reviewed`, ...).
    pub fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            RatingRequired => "rating_required",
            TitleTooLong => "title_too_long",
            BodyTooShort => "body_too_short",
            BodyTooLong => "body_too_long",
            NicknameLength => "nickname_length",
            TooFast => "too_fast",
            Spam => "spam",
            AlreadyReviewed => "already_reviewed",
            ProductId => "product_id",
            SendFailed => "send_failed",
            Unavailable => "unavailable",
        }
    }
}

/// A review ready to send: trimmed and scrubbed.
#[derive(Clone, Debug, PartialEq)]
pub struct Review {
    /// The product.
    pub product_id: String,
    /// 1–5.
    pub rating: u8,
    /// Title (may be empty).
    pub title: String,
    /// Body (may be empty).
    pub body: String,
    /// Would recommend.
    pub recommend: Option<bool>,
    /// Nickname (may be empty).
    pub nickname: String,
}

impl Review {
    /// The event properties.
    pub fn to_props(&self) -> Value {
        let mut f = vec![
            ("product_id".to_string(), Value::Str(self.product_id.clone())),
            ("rating".to_string(), Value::Num(self.rating as f64)),
        ];
        for (k, v) in [("title", &self.title), ("body", &self.body), ("nickname", &self.nickname)] {
            if !v.is_empty() {
                f.push((k.to_string(), Value::Str(v.clone())));
            }
        }
        if let Some(r) = self.recommend {
            f.push(("recommend".to_string(), Value::Bool(r)));
        }
        Value::Obj(f)
    }
}

/// The answer to a submitted review as JSON: `{"ok":true}`, or
/// `{"ok":false,"errors":[{"field":…,"code":…}]}`. The words shown to the shopper for each code
/// (es / en) belong to the view: the JS wrapper adds them (pkg-config/vitrina.js).
pub fn answer_json(errors: &[FieldError]) -> String {
    if errors.is_empty() {
        return String::from("{\"ok\":true}");
    }
    let mut out = String::from("{\"ok\":false,\"errors\":[");
    for (i, e) in errors.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"field\":");
        write_str(e.field, &mut out);
        out.push_str(",\"code\":");
        write_str(e.code.as_str(), &mut out);
        out.push('}');
    }
    out.push_str("]}");
    out
}

/// Checks a draft. `shown_at`/`now` are ms on one clock; `already_reviewed` comes from this
/// browser's record of reviewed products. All field errors are returned at once.
pub fn validate(
    product_id: &str,
    draft: &ReviewDraft,
    shown_at: f64,
    now: f64,
    already_reviewed: bool,
) -> Result<Review, Vec<FieldError>> {
    use ErrorCode::*;
    if !draft.honeypot.is_empty() {
        return Err(vec![FieldError { field: "form", code: Spam }]);
    }
    if already_reviewed {
        return Err(vec![FieldError { field: "form", code: AlreadyReviewed }]);
    }
    let mut errors = Vec::new();
    let rating = draft.rating.filter(|r| (1..=5).contains(r));
    if rating.is_none() {
        errors.push(FieldError { field: "rating", code: RatingRequired });
    }
    let title = draft.title.trim();
    if title.chars().count() > MAX_TITLE {
        errors.push(FieldError { field: "title", code: TitleTooLong });
    }
    let body = draft.body.trim();
    let n = body.chars().count();
    if n > 0 && n < MIN_BODY {
        errors.push(FieldError { field: "body", code: BodyTooShort });
    } else if n > MAX_BODY {
        errors.push(FieldError { field: "body", code: BodyTooLong });
    }
    let nick = draft.nickname.trim();
    let nn = nick.chars().count();
    if nn == 1 || nn > 40 {
        errors.push(FieldError { field: "nickname", code: NicknameLength });
    }
    if errors.is_empty() && now - shown_at < MIN_FILL_MS {
        errors.push(FieldError { field: "form", code: TooFast });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Review {
        product_id: product_id.to_string(),
        rating: rating.unwrap_or(5),
        title: scrub_free_text(title),
        body: scrub_free_text(body),
        recommend: draft.recommend,
        nickname: scrub_free_text(nick),
    })
}

#[cfg(test)]
mod tests;
