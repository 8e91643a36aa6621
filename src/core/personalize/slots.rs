//! Content slots: a slot (`hero`) has variants; one is chosen on the device, by rules when a
//! variant has one that holds, else by a Thompson-sampling bandit over the variants without
//! rules (Beta(1, 1) priors, see [`super::Bandit`]). A choice holds for the whole session; it
//! converts once, on a click inside the variant or an add to cart in the session.
//!
//! Rules (`data-vitrina-if`, words separated by spaces, all must hold): `new`, `returning`,
//! `category:NAME` (the profile's top category, case-insensitive), `cart>=N`, `cart<N` (the
//! cart's value).

use super::bandit::{shown_once, Bandit};
use super::profile::parse_price;
use super::profile::AffinityProfile;
use crate::core::rng::Rng;

/// Arms kept (slot × variant).
pub const MAX_ARMS: usize = 64;
/// An arm's flag: its variant is this session's choice for its slot.
pub const CHOSEN: u8 = 1;
/// An arm's flag: this session's choice converted.
pub const CONVERTED: u8 = 2;

/// A variant of a slot on this device: slot, variant, sessions shown, sessions converted,
/// flags for this session ([`CHOSEN`], [`CONVERTED`]). A variant with a rule counts too, but
/// the bandit only ever draws among variants without one.
pub type Arm = (String, String, u32, u32, u8);

/// How a variant was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    /// Chosen earlier in this session.
    Kept,
    /// Its rule holds.
    Rule,
    /// Drawn by the bandit.
    Bandit,
}

/// Whether `rule` holds for this shopper.
pub fn rule_holds(rule: &str, profile: &AffinityProfile, now: f64) -> bool {
    rule.split(' ').filter(|w| !w.is_empty()).all(|w| match w {
        "new" => !profile.returning(),
        "returning" => profile.returning(),
        _ => {
            if let Some(c) = w.strip_prefix("category:") {
                profile.top_category(now).is_some_and(|t| t.eq_ignore_ascii_case(c))
            } else if let Some(n) = w.strip_prefix("cart>=") {
                profile.cart_value() >= parse_price(n)
            } else if let Some(n) = w.strip_prefix("cart<") {
                profile.cart_value() < parse_price(n)
            } else {
                false // an unknown word never holds: a typo shows the default, not the variant
            }
        }
    })
}

impl AffinityProfile {
    /// Chooses a variant of `slot` among `variants` (name, rule; an empty rule: a bandit
    /// candidate). `None` when there are none. This session's earlier choice is kept; else the
    /// first variant whose rule holds wins; else the bandit draws among the variants without
    /// a rule (the first variant when every one has a rule). A new choice counts as shown.
    pub fn choose_variant(
        &mut self,
        slot: &str,
        variants: &[(&str, &str)],
        now: f64,
        rng: &mut Rng,
    ) -> Option<(String, Why)> {
        let arm = |a: &Arm, v: &str| a.0 == slot && a.1 == v;
        if let Some(a) = self.slots.iter().find(|a| a.4 & CHOSEN != 0 && variants.iter().any(|v| arm(a, v.0))) {
            return Some((a.1.clone(), Why::Kept));
        }
        let (name, why) = match variants.iter().find(|(_, r)| !r.is_empty() && rule_holds(r, self, now)) {
            Some(v) => (v.0, Why::Rule),
            None => {
                let open: Vec<&str> = variants.iter().filter(|v| v.1.is_empty()).map(|v| v.0).collect();
                match open.len() {
                    0 => (variants.first()?.0, Why::Rule),
                    _ => {
                        let counts = |v: &str| self.slots.iter().find(|a| arm(a, v)).map_or((0, 0), |a| (a.2, a.3));
                        (open[Bandit { arms: open.iter().map(|v| counts(v)).collect() }.choose(rng)], Why::Bandit)
                    }
                }
            }
        };
        let i = match self.slots.iter().position(|a| arm(a, name)) {
            Some(i) => i,
            None => {
                if self.slots.len() >= MAX_ARMS {
                    self.slots.remove(0);
                }
                self.slots.push((slot.to_string(), name.to_string(), 0, 0, 0));
                self.slots.len() - 1
            }
        };
        for a in self.slots.iter_mut().filter(|a| a.0 == slot) {
            a.4 = 0;
        }
        let a = &mut self.slots[i];
        (a.2, a.3) = shown_once((a.2, a.3));
        a.4 = CHOSEN;
        Some((name.to_string(), why))
    }

    /// A conversion in the session: of `slot`'s choice, or of every choice when `slot` is
    /// `None` (an add to cart). Each choice converts once; answers the (slot, variant) pairs
    /// that converted now.
    pub fn convert(&mut self, slot: Option<&str>) -> Vec<(String, String)> {
        let mut done = Vec::new();
        for a in self.slots.iter_mut().filter(|a| a.4 == CHOSEN && slot.is_none_or(|s| s == a.0)) {
            a.3 += 1;
            a.4 |= CONVERTED;
            done.push((a.0.clone(), a.1.clone()));
        }
        done
    }
}
