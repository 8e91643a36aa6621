//! The on-device profile inside the SDK. It learns from the shop's Segment e-commerce events
//! (`Product Viewed` = view, `Product Added` = add to cart, `Order Completed` = purchase of each
//! of its `products`; fields `product_id` (or `sku`, `id`), `category`, `brand`, `price`), ranks
//! product grids for the edge, and answers `profile()`.
//!
//! It never leaves the device: no event carries it; it is kept in localStorage
//! (`vitrina.profile`, [`Action::StoreProfile`]) only while the `personalization` purpose is
//! allowed. Refused (by the shopper, or GPC / DNT), it is forgotten and removed, and nothing is
//! learned. Not decided yet (`opt_in` before consent) it lives in memory for this page only.

use super::{Action, Sdk};
use crate::core::personalize::{AffinityProfile, Interaction, Product};
use crate::core::privacy::Consent;
use crate::core::value::{write_num, write_u64, Value};

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::Str(s)) => s.trim().to_string(),
        Some(Value::Num(n)) if n.is_finite() => {
            let mut s = String::new();
            write_num(*n, &mut s);
            s
        }
        _ => String::new(),
    }
}

/// A Segment product (`Product Viewed` props, or one of `Order Completed`'s `products`).
fn product(p: &Value) -> Option<Product> {
    let id = ["product_id", "sku", "id"].iter().map(|k| text(p.get(k))).find(|s| !s.is_empty())?;
    let price = match p.get("price") {
        Some(Value::Num(n)) if n.is_finite() && *n >= 0.0 => *n,
        _ => 0.0,
    };
    Some(Product { id, category: text(p.get("category")), brand: text(p.get("brand")), price })
}

/// Reads a price written by a shop (`"59.95"`, `"59"`): digits and one dot; anything else is 0.
/// (No float parser: `str::parse::<f64>` costs kilobytes of wasm.)
pub fn parse_price(s: &str) -> f64 {
    let (int, frac) = s.trim().split_once('.').unwrap_or((s.trim(), ""));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return 0.0;
    }
    let mut n: u64 = 0;
    for b in int.bytes().take(12).chain(frac.bytes().take(6)) {
        n = n * 10 + u64::from(b - b'0');
    }
    // one correctly rounded division: 5995 / 100 is exactly the double nearest 59.95
    n as f64 / [1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6][frac.len().min(6)]
}

impl Sdk {
    /// Whether the profile may be kept: `Some(true)` allowed, `Some(false)` refused, `None` not
    /// decided yet.
    pub fn personalization_allowed(&self) -> Option<bool> {
        Consent::allowed(
            self.consent.personalization,
            self.config.consent_mode,
            self.privacy_signal,
            self.config.honor_gpc,
        )
    }

    /// The profile an earlier page stored (see [`Action::StoreProfile`]). Call after
    /// [`Sdk::set_privacy`]: with the purpose refused the stored profile is removed instead.
    pub fn restore_profile(&mut self, stored: &str) {
        if self.personalization_allowed() == Some(false) {
            self.actions.push(Action::StoreProfile(String::new()));
        } else {
            self.profile = AffinityProfile::parse(stored, self.config.half_life_days);
        }
    }

    /// Stores the profile if that is allowed, forgets it if refused.
    pub(super) fn sync_profile(&mut self) {
        match self.personalization_allowed() {
            Some(true) => self.actions.push(Action::StoreProfile(self.profile.serialize())),
            Some(false) => self.reset_profile(),
            None => {}
        }
    }

    /// `resetProfile()`: the profile is emptied here and in storage.
    pub fn reset_profile(&mut self) {
        self.profile = AffinityProfile::new(self.config.half_life_days);
        self.actions.push(Action::StoreProfile(String::new()));
    }

    /// Learns from what the page's markup says (a product page's `data-vitrina-detail` element,
    /// a click on `data-vitrina-add-to-cart`), given as a Segment event name and props; nothing
    /// is recorded or sent.
    pub fn handle_learn(&mut self, now: f64, name: &Value, props: &Value) {
        self.last_now = now;
        if let (false, Some(name)) = (self.stopped, name.as_str()) {
            self.learn_from_track(now, name, props);
        }
    }

    /// Learns from a `track` event with a Segment e-commerce name; other names teach nothing.
    pub(super) fn learn_from_track(&mut self, now: f64, name: &str, props: &Value) {
        if self.personalization_allowed() == Some(false) {
            return;
        }
        match name {
            "Product Viewed" | "Product Added" => {
                let Some(p) = product(props) else { return };
                let what = if name == "Product Viewed" { Interaction::View } else { Interaction::AddToCart };
                self.profile.learn(&p, what, now);
            }
            "Order Completed" => {
                if let Some(Value::Arr(items)) = props.get("products") {
                    for p in items.iter().take(100).filter_map(product) {
                        self.profile.learn(&p, Interaction::Purchase, now);
                    }
                }
                self.profile.cart.clear();
            }
            _ => return,
        }
        if self.personalization_allowed() == Some(true) {
            self.actions.push(Action::StoreProfile(self.profile.serialize()));
        }
    }

    /// A grid's products scored by the profile: `lines` holds one product per line,
    /// `id \t category \t brand \t price`; the answer is each one's score in thousandths
    /// (category + brand + ½ price band, see [`crate::core::personalize::rank`]),
    /// comma-separated. The edge orders
    /// them highest first with a stable sort (ties keep the page's order). With the purpose
    /// refused, every score is 0: the page's order stays.
    pub fn rank_lines(&self, now: f64, lines: &str) -> String {
        let refused = self.personalization_allowed() == Some(false);
        let scorer = self.profile.scorer(now);
        let mut out = String::new();
        for (n, l) in lines.split('\n').take(5000).enumerate() {
            let mut f = l.split('\t').skip(1);
            let (category, brand, price) = (f.next().unwrap_or(""), f.next().unwrap_or(""), f.next().unwrap_or(""));
            let score = if refused { 0.0 } else { scorer.score(category, brand, parse_price(price)) };
            if n > 0 {
                out.push(',');
            }
            // in thousandths, as an integer: no float formatting for a thousand numbers
            write_u64((score * 1000.0).round() as u64, &mut out);
        }
        out
    }

    /// `profile()`: a copy of the profile as JSON (empty when the purpose is refused).
    pub fn profile_json(&self, now: f64) -> String {
        self.profile.to_json(now)
    }
}
