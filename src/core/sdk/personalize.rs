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
use crate::core::event::EventType;
use crate::core::personalize::{AffinityProfile, Catalog, Interaction, Product, Why};
use crate::core::privacy::Consent;
use crate::core::value::{write_num, write_str, write_u64, Value};

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
            self.profile.visit(&self.session_id);
            self.sync_profile();
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
                if what == Interaction::AddToCart {
                    self.slot_converted(now, None);
                }
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
    /// comma-separated. The edge orders them highest first with a stable sort (ties keep the
    /// page's order). With the purpose refused the answer is empty: the page's order stays.
    /// (The same as [`Sdk::recommend_lines`] with a limit of 0.)
    pub fn rank_lines(&mut self, now: f64, lines: &str) -> String {
        self.recommend_lines(now, Some(lines), "", "", 0)
    }

    /// The edge's `recommend` options text: the limit, then the excluded ids, one per line
    /// (`"8\nshoe-1\nbag-2"`); a limit that does not read is the default, 4.
    pub fn recommend_opts(opts: &str) -> (usize, &str) {
        let (limit, exclude) = opts.split_once('\n').unwrap_or((opts, ""));
        (crate::core::outbox::persist::parse_u64(limit).map_or(4, |n| n as usize), exclude)
    }

    /// Recommendations from the catalog feed: `lines`, when given, is the feed (one product per
    /// line, `id \t categories \t brand \t price`, categories separated by U+001F), read once
    /// and kept for the next calls (`None`); `context` is the product being viewed in the same
    /// form (empty: none), `exclude` ids to leave out (one per line). Answers the best `limit`
    /// (at most 100) as indexes into the feed, best first, comma-separated (see
    /// [`crate::core::personalize::rank`]); none with the purpose refused. A `limit` of 0 ranks
    /// a grid instead ([`Sdk::rank_lines`]): `lines` is scored and not kept.
    pub fn recommend_lines(
        &mut self,
        now: f64,
        lines: Option<&str>,
        context: &str,
        exclude: &str,
        limit: usize,
    ) -> String {
        let mut out = String::new();
        if let (Some(lines), true) = (lines, limit > 0) {
            // kept even with the purpose refused: the shop's catalog is nobody's data, and the
            // edge sends it once
            self.catalog = Catalog::parse(lines);
        }
        if self.personalization_allowed() == Some(false) {
            return out;
        }
        let mut put = |n: usize, x: u64| {
            if n > 0 {
                out.push(',');
            }
            write_u64(x, &mut out);
        };
        if limit == 0 {
            // in thousandths, as integers: no float formatting for a thousand numbers
            let grid = Catalog::parse(lines.unwrap_or(""));
            for (n, s) in grid.scores(&self.profile, now, None).into_iter().enumerate() {
                put(n, (s * 1000.0).round() as u64);
            }
        } else {
            let exclude: Vec<&str> = exclude.split('\n').collect();
            let context = (!context.is_empty()).then_some(context);
            for (n, i) in
                self.catalog.recommend(&self.profile, now, limit.min(100), &exclude, context).into_iter().enumerate()
            {
                put(n, i as u64);
            }
        }
        out
    }

    /// `profile()`: a copy of the profile as JSON (empty when the purpose is refused).
    pub fn profile_json(&self, now: f64) -> String {
        self.profile.to_json(now)
    }

    /// `decide(slot)`: the variant of a content slot shown to this shopper. `variants` holds one
    /// per line, `name \t rule` (see [`crate::core::personalize::slots`]). With the purpose
    /// refused: the first variant without a rule (the shop's default), nothing stored or sent.
    /// A new choice is stored with the profile and counted (a `slot` event: slot, variant,
    /// shown 1); it holds for the session.
    #[inline(never)]
    pub fn decide(&mut self, now: f64, slot: &str, variants: &str) -> String {
        let list: Vec<(&str, &str)> = variants
            .split('\n')
            .map(|l| l.split_once('\t').unwrap_or((l, "")))
            .filter(|(n, _)| !n.is_empty())
            .take(16)
            .collect();
        if self.stopped || slot.is_empty() || list.is_empty() {
            return String::new();
        }
        if self.personalization_allowed() == Some(false) {
            return list.iter().find(|v| v.1.is_empty()).unwrap_or(&list[0]).0.to_string();
        }
        let Some((name, why)) = self.profile.choose_variant(slot, &list, now, &mut self.rng) else {
            return String::new();
        };
        if why != Why::Kept {
            self.slot_event(
                now,
                slot,
                &name,
                if why == Why::Rule { "\"by\":\"rule\",\"shown\":1" } else { "\"by\":\"bandit\",\"shown\":1" },
            );
            self.sync_profile();
        }
        name
    }

    /// A conversion of `slot`'s choice (a click inside the variant shown), or of every choice of
    /// the session (`None`: an add to cart); each converts once (a `slot` event, converted 1).
    pub fn slot_converted(&mut self, now: f64, slot: Option<&str>) {
        if self.personalization_allowed() == Some(false) {
            return;
        }
        let done = self.profile.convert(slot);
        for (slot, variant) in &done {
            self.slot_event(now, slot, variant, "\"converted\":1");
        }
        if !done.is_empty() {
            self.sync_profile();
        }
    }

    fn slot_event(&mut self, now: f64, slot: &str, variant: &str, counts: &str) {
        let mut props = String::from("{\"slot\":");
        write_str(slot, &mut props);
        props.push_str(",\"variant\":");
        write_str(variant, &mut props);
        props.push(',');
        props.push_str(counts);
        props.push('}');
        self.record(now, EventType::Slot, String::new(), props);
    }
}
