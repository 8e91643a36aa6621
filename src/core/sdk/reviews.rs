//! Reviews the shopper submits: checked by the rules of [`crate::core::review`], then sent at
//! once in a body of their own — not queued behind analytics batches: the shopper asked for it
//! and waits for the answer ([`Action::ReviewResult`]). A product is remembered as reviewed once
//! the collector has the review, so the browser cannot review it twice.
//!
//! Consent: a review is content the shopper chose to publish, not tracking, so it is sent even
//! when analytics are refused or not decided yet; then it carries a one-off session id and no
//! device id, so it cannot be linked to the shopper's browsing. The list of reviewed products is
//! kept in localStorage in every case (it exists only because the shopper wrote a review).

use super::{Action, Sdk, Transport, SDK_NAME};
use crate::core::event::{Event, EventType};
use crate::core::outbox::{Envelope, SendOutcome};
use crate::core::review::{validate, ErrorCode, FieldError, ReviewDraft};
use crate::core::value::Value;

/// How many reviewed products a browser remembers (the oldest are forgotten first).
pub const MAX_REVIEWED: usize = 200;
/// The longest product id (no spaces: the reviewed list is stored space-separated).
pub const MAX_PRODUCT_ID: usize = 128;

fn form_error(code: ErrorCode) -> Vec<FieldError> {
    vec![FieldError { field: "form", code }]
}

impl Sdk {
    /// The products an earlier page recorded as reviewed (space-separated ids, see
    /// [`Action::StoreReviewed`]).
    pub fn restore_reviewed(&mut self, stored: &str) {
        self.reviewed = stored.split(' ').filter(|p| !p.is_empty()).take(MAX_REVIEWED).map(String::from).collect();
    }

    /// Whether this browser already reviewed the product.
    pub fn has_reviewed(&self, product_id: &str) -> bool {
        self.reviewed.iter().any(|p| p == product_id)
    }

    /// The shopper submitted a review. `shown_at`: when the form was shown (the widget's
    /// anti-spam rule: at least 3 s before submitting); `None` for a shop's own form.
    /// Returns the request id its [`Action::ReviewResult`] will carry, or every field error.
    pub fn handle_review(
        &mut self,
        now: f64,
        product_id: &Value,
        draft: &Value,
        shown_at: Option<f64>,
    ) -> Result<u64, Vec<FieldError>> {
        self.last_now = now;
        if self.stopped {
            return Err(form_error(ErrorCode::Unavailable));
        }
        let product = match product_id {
            Value::Str(p)
                if !p.trim().is_empty()
                    && p.trim().chars().count() <= MAX_PRODUCT_ID
                    && !p.trim().bytes().any(|b| b.is_ascii_whitespace()) =>
            {
                p.trim()
            }
            _ => return Err(vec![FieldError { field: "product_id", code: ErrorCode::ProductId }]),
        };
        let pending = self.pending_reviews.iter().any(|(_, p)| p == product);
        let draft = ReviewDraft::from_value(draft);
        let review = validate(
            product,
            &draft,
            shown_at.unwrap_or(f64::NEG_INFINITY),
            now,
            self.has_reviewed(product) || pending,
        )?;
        let tracked = self.analytics_allowed() == Some(true);
        let event = Event {
            id: self.rng.id(),
            kind: EventType::Review,
            name: String::new(),
            sid: if tracked { self.session_id.clone() } else { self.rng.id() },
            did: if tracked { self.device_id(now) } else { String::new() },
            path: self.current_path.clone(),
            at_ms: now,
            props: review.to_props().to_json(),
        };
        let env = Envelope { site: &self.config.site_key, sdk: SDK_NAME };
        let batch = self.outbox.single(now, &env, &event);
        self.pending_reviews.push((batch.id, review.product_id));
        self.log2("sending a review of ", product);
        self.actions.push(Action::Send {
            batch: batch.id,
            url: self.batch_url.clone(),
            body: batch.body,
            transport: Transport::Fetch,
            gzip: false,
        });
        Ok(batch.id)
    }

    /// If `batch` is a review's request: settles it and says so (true).
    pub(super) fn settle_review(&mut self, batch: u64, outcome: SendOutcome) -> bool {
        let Some(i) = self.pending_reviews.iter().position(|(id, _)| *id == batch) else { return false };
        let (_, product) = self.pending_reviews.remove(i);
        let ok = matches!(outcome, SendOutcome::Status { code, .. } if (200..300).contains(&code));
        if ok {
            if self.reviewed.len() >= MAX_REVIEWED {
                self.reviewed.remove(0);
            }
            self.reviewed.push(product);
            let mut list = String::new();
            for p in &self.reviewed {
                if !list.is_empty() {
                    list.push(' ');
                }
                list.push_str(p);
            }
            self.actions.push(Action::StoreReviewed(list));
        }
        self.log2(if ok { "review delivered" } else { "review not delivered" }, "");
        self.actions.push(Action::ReviewResult { request: batch, error: (!ok).then_some(ErrorCode::SendFailed) });
        true
    }
}
