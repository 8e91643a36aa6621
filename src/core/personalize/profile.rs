//! The shopper's affinity profile: per category, brand and price band, a score that grows with
//! product views (1), add-to-carts (3) and purchases (5) and halves every `half_life_days`
//! (default 14); the last 20 products viewed; the cart.
//!
//! Stored as text in localStorage (never sent). Scores are stored in thousandths as integers so
//! reading them back needs no float parsing in the wasm. At most [`MAX_ENTRIES`] per dimension:
//! the weakest go first.

use super::slots::Arm;
use crate::core::outbox::persist::parse_u64;
use crate::core::value::{write_num, write_str, write_u64};

/// Entries kept per dimension.
pub const MAX_ENTRIES: usize = 40;
/// Products remembered as recently viewed.
pub const RECENT: usize = 20;
/// One day in ms.
pub const DAY_MS: f64 = 86_400_000.0;

/// What a product is, for the profile.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Product {
    /// Product id.
    pub id: String,
    /// Category.
    pub category: String,
    /// Brand.
    pub brand: String,
    /// Price (in the shop's currency).
    pub price: f64,
}

/// What the shopper did with a product.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interaction {
    /// Viewed it.
    View,
    /// Added it to the cart.
    AddToCart,
    /// Bought it.
    Purchase,
}

impl Interaction {
    /// How much it says about the shopper's taste.
    pub fn weight(self) -> f64 {
        match self {
            Interaction::View => 1.0,
            Interaction::AddToCart => 3.0,
            Interaction::Purchase => 5.0,
        }
    }
}

/// The price band a price falls in: `0-25`, `25-50`, `50-100`, `100-200`, `200+`.
pub fn price_band(price: f64) -> &'static str {
    match price {
        p if p < 25.0 => "0-25",
        p if p < 50.0 => "25-50",
        p if p < 100.0 => "50-100",
        p if p < 200.0 => "100-200",
        _ => "200+",
    }
}

/// Reads a price written by a shop (`"59.95"`, `"59"`): digits and one dot; anything else is 0.
/// (No float parser: `str::parse::<f64>` costs kilobytes of wasm.)
pub fn parse_price(s: &str) -> f64 {
    let (mut n, mut scale, mut dot, mut digits) = (0u64, 1.0, false, 0);
    for b in s.trim().bytes() {
        match b {
            b'0'..=b'9' if digits < 18 => {
                n = n * 10 + u64::from(b - b'0');
                digits += 1;
                if dot {
                    scale *= 10.0;
                }
            }
            b'.' if !dot && digits > 0 => dot = true,
            _ => return 0.0,
        }
    }
    // one correctly rounded division: 5995 / 100 is exactly the double nearest 59.95
    n as f64 / scale
}

/// A decaying score: `value` as of `at_ms`.
#[derive(Clone, Debug, PartialEq)]
struct Score {
    key: String,
    value: f64,
    at_ms: f64,
}

/// The profile's scores as of one moment (see [`AffinityProfile::scorer`]).
pub struct Scorer<'a> {
    categories: Vec<(&'a str, f64)>,
    brands: Vec<(&'a str, f64)>,
    bands: Vec<(&'a str, f64)>,
}

impl Scorer<'_> {
    /// Category + brand + ½ price band (0 for what the shopper never showed interest in).
    pub fn score(&self, category: &str, brand: &str, price: f64) -> f64 {
        let get = |list: &[(&str, f64)], key: &str| list.iter().find(|(k, _)| *k == key).map_or(0.0, |(_, v)| *v);
        let band = if price > 0.0 { get(&self.bands, price_band(price)) } else { 0.0 };
        get(&self.categories, category) + get(&self.brands, brand) + 0.5 * band
    }
}

/// The profile.
#[derive(Clone, Debug, PartialEq)]
pub struct AffinityProfile {
    half_life_days: f64,
    categories: Vec<Score>,
    brands: Vec<Score>,
    bands: Vec<Score>,
    /// Recently viewed product ids, newest first.
    pub recent: Vec<String>,
    /// Cart lines: product id, quantity and unit price.
    pub cart: Vec<(String, u32, f64)>,
    /// Products viewed together in this browser (a view pairs with up to [`CO_VIEW_SPAN`]
    /// products viewed just before it, with no gap over 30 minutes): ids and count, at most
    /// [`MAX_CO_VIEWS`] pairs (the oldest go first).
    pub co_views: Vec<(String, String, u32)>,
    /// When the last product view was, and how many views the current streak has (a gap of
    /// over 30 minutes starts a new one).
    last_view: (f64, u32),
    /// Sessions this browser has had while the profile was kept, and the current one's id (a
    /// new session also clears the slot choices).
    pub visits: (u32, String),
    /// Content slots: every variant shown on this device, with this session's choices.
    pub slots: Vec<Arm>,
}

/// Products a view pairs with (see [`AffinityProfile::co_views`]).
pub const CO_VIEW_SPAN: usize = 4;
/// Co-viewed pairs kept.
pub const MAX_CO_VIEWS: usize = 100;
const STREAK_GAP_MS: f64 = 30.0 * 60_000.0;

/// 2^-x for x ≥ 0, to about 1e-12 relative: 2^-n exactly from the exponent bits, times
/// e^(-f·ln 2) for the fraction f by its Taylor series. (`f64::powf` brings libm's `pow`, whose
/// tables alone are 4 KB of wasm.)
pub fn exp2_neg(x: f64) -> f64 {
    if x.is_nan() || x >= 1022.0 {
        return 0.0;
    }
    let x = x.max(0.0);
    let n = x as u64; // floor, x ≥ 0
    let y = (x - n as f64) * std::f64::consts::LN_2;
    let (mut term, mut sum) = (1.0, 1.0);
    for k in 1..=14 {
        term *= -y / f64::from(k);
        sum += term;
    }
    sum * f64::from_bits((1023 - n) << 52)
}

fn decayed(s: &Score, now: f64, half_life_days: f64) -> f64 {
    let days = ((now - s.at_ms) / DAY_MS).max(0.0);
    s.value * exp2_neg(days / half_life_days)
}

fn decayed_table(list: &[Score], now: f64, hl: f64) -> Vec<(&str, f64)> {
    list.iter().map(|s| (s.key.as_str(), decayed(s, now, hl))).collect()
}

fn bump(list: &mut Vec<Score>, key: &str, w: f64, now: f64, hl: f64) {
    if key.is_empty() {
        return;
    }
    match list.iter_mut().find(|s| s.key == key) {
        Some(s) => {
            s.value = decayed(s, now, hl) + w;
            s.at_ms = now;
        }
        None => list.push(Score { key: key.to_string(), value: w, at_ms: now }),
    }
    if list.len() > MAX_ENTRIES {
        // Drop the weakest now.
        let (i, _) = list.iter().enumerate().map(|(i, s)| (i, decayed(s, now, hl))).fold((0, f64::MAX), |best, cur| {
            if cur.1 < best.1 {
                cur
            } else {
                best
            }
        });
        list.remove(i);
    }
}

impl AffinityProfile {
    /// An empty profile.
    pub fn new(half_life_days: f64) -> AffinityProfile {
        AffinityProfile {
            half_life_days: half_life_days.max(0.01),
            categories: Vec::new(),
            brands: Vec::new(),
            bands: Vec::new(),
            recent: Vec::new(),
            cart: Vec::new(),
            co_views: Vec::new(),
            last_view: (0.0, 0),
            visits: (0, String::new()),
            slots: Vec::new(),
        }
    }

    /// The page runs in session `sid`: a new one counts as a visit (and clears the last
    /// session's slot choices).
    pub fn visit(&mut self, sid: &str) {
        if self.visits.1 != sid {
            self.visits = (self.visits.0 + 1, sid.to_string());
            for a in &mut self.slots {
                a.4 = 0;
            }
        }
    }

    /// Whether this browser had an earlier session while the profile was kept.
    pub fn returning(&self) -> bool {
        self.visits.0 > 1
    }

    /// What the cart holds, at the prices it was added at.
    pub fn cart_value(&self) -> f64 {
        self.cart.iter().map(|(_, q, p)| f64::from(*q) * p).sum()
    }

    /// How often products `a` and `b` were viewed together.
    pub fn co_viewed(&self, a: &str, b: &str) -> u32 {
        self.co_views.iter().find(|(x, y, _)| (x == a && y == b) || (x == b && y == a)).map_or(0, |c| c.2)
    }

    /// Learns from an interaction at `now`.
    pub fn learn(&mut self, p: &Product, what: Interaction, now: f64) {
        let (w, hl) = (what.weight(), self.half_life_days);
        bump(&mut self.categories, &p.category, w, now, hl);
        bump(&mut self.brands, &p.brand, w, now, hl);
        if p.price > 0.0 {
            bump(&mut self.bands, price_band(p.price), w, now, hl);
        }
        match what {
            Interaction::View => {
                let streak = if now - self.last_view.0 <= STREAK_GAP_MS { self.last_view.1 } else { 0 };
                for other in self.recent.iter().take(streak.min(CO_VIEW_SPAN as u32) as usize) {
                    if *other == p.id {
                        continue;
                    }
                    match self
                        .co_views
                        .iter_mut()
                        .find(|(x, y, _)| (*x == p.id && y == other) || (x == other && *y == p.id))
                    {
                        Some(c) => c.2 += 1,
                        None => self.co_views.push((other.clone(), p.id.clone(), 1)),
                    }
                }
                while self.co_views.len() > MAX_CO_VIEWS {
                    self.co_views.remove(0);
                }
                self.last_view = (now, streak + 1);
                self.recent.retain(|id| *id != p.id);
                self.recent.insert(0, p.id.clone());
                self.recent.truncate(RECENT);
            }
            Interaction::AddToCart => match self.cart.iter_mut().find(|(id, ..)| *id == p.id) {
                Some((_, q, _)) => *q += 1,
                None => self.cart.push((p.id.clone(), 1, p.price)),
            },
            Interaction::Purchase => self.cart.clear(),
        }
    }

    /// The affinity for a category, brand and price band at `now`.
    pub fn affinity(&self, category: &str, brand: &str, price: f64, now: f64) -> f64 {
        self.scorer(now).score(category, brand, price)
    }

    /// Every score decayed to `now` once, for scoring many products (a grid, a catalog).
    pub fn scorer(&self, now: f64) -> Scorer<'_> {
        let hl = self.half_life_days;
        Scorer {
            categories: decayed_table(&self.categories, now, hl),
            brands: decayed_table(&self.brands, now, hl),
            bands: decayed_table(&self.bands, now, hl),
        }
    }

    /// The category with the highest affinity now, if any.
    pub fn top_category(&self, now: f64) -> Option<&str> {
        self.categories
            .iter()
            .map(|s| (s.key.as_str(), decayed(s, now, self.half_life_days)))
            .fold(None, |best: Option<(&str, f64)>, cur| match best {
                Some(b) if b.1 >= cur.1 => Some(b),
                _ => Some(cur),
            })
            .map(|(k, _)| k)
    }

    /// What `profile()` shows the shopper: `{"categories": [{"key", "score"}], "brands",
    /// "price_bands", "recently_viewed": [ids], "cart": [{"product_id", "quantity"}]}`, scores
    /// decayed to `now` (3 decimals).
    pub fn to_json(&self, now: f64) -> String {
        let mut out = String::from("{");
        for (name, list) in [("categories", &self.categories), ("brands", &self.brands), ("price_bands", &self.bands)] {
            out.push('"');
            out.push_str(name);
            out.push_str("\":[");
            for (n, s) in list.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                out.push_str("{\"key\":");
                write_str(&s.key, &mut out);
                out.push_str(",\"score\":");
                write_num((decayed(s, now, self.half_life_days) * 1000.0).round() / 1000.0, &mut out);
                out.push('}');
            }
            out.push_str("],");
        }
        out.push_str("\"recently_viewed\":[");
        for (n, id) in self.recent.iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            write_str(id, &mut out);
        }
        out.push_str("],\"cart\":[");
        for (n, (id, q, _)) in self.cart.iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            out.push_str("{\"product_id\":");
            write_str(id, &mut out);
            out.push_str(",\"quantity\":");
            write_u64(u64::from(*q), &mut out);
            out.push('}');
        }
        out.push_str("]}");
        out
    }

    /// The profile as stored text (version 1).
    pub fn serialize(&self) -> String {
        let mut out = String::from("vitrina-profile 1\n");
        let line = |out: &mut String, tag: &str, words: &[&str], nums: &[f64]| {
            out.push_str(tag);
            for w in words {
                out.push('\t');
                out.push_str(&w.replace(['\t', '\n'], " "));
            }
            for n in nums {
                out.push('\t');
                write_u64(n.round().max(0.0) as u64, out);
            }
            out.push('\n');
        };
        for (tag, list) in [("c", &self.categories), ("b", &self.brands), ("p", &self.bands)] {
            for s in list {
                line(&mut out, tag, &[&s.key], &[s.value * 1000.0, s.at_ms]);
            }
        }
        for id in &self.recent {
            line(&mut out, "r", &[id], &[]);
        }
        for (id, q, price) in &self.cart {
            line(&mut out, "k", &[id], &[f64::from(*q), price * 100.0]);
        }
        for (a, b, n) in &self.co_views {
            line(&mut out, "v", &[a, b], &[f64::from(*n)]);
        }
        line(&mut out, "t", &[], &[self.last_view.0, f64::from(self.last_view.1)]);
        line(&mut out, "n", &[&self.visits.1], &[f64::from(self.visits.0)]);
        for a in &self.slots {
            line(&mut out, "a", &[&a.0, &a.1], &[f64::from(a.2), f64::from(a.3), f64::from(a.4)]);
        }
        out
    }

    /// Reads [`AffinityProfile::serialize`]'s text; anything damaged or of another version gives
    /// an empty profile (a profile is a convenience, never worth an error).
    pub fn parse(text: &str, half_life_days: f64) -> AffinityProfile {
        let mut p = AffinityProfile::new(half_life_days);
        let mut lines = text.split('\n');
        if lines.next() != Some("vitrina-profile 1") {
            return p;
        }
        for line in lines.filter(|l| !l.is_empty()) {
            let f: Vec<&str> = line.split('\t').collect();
            match (f.first().copied(), f.len()) {
                (Some(tag @ ("c" | "b" | "p")), 4) => {
                    let (Some(v), Some(at)) = (parse_u64(f[2]), parse_u64(f[3])) else { continue };
                    let s = Score { key: f[1].to_string(), value: v as f64 / 1000.0, at_ms: at as f64 };
                    let list = match tag {
                        "c" => &mut p.categories,
                        "b" => &mut p.brands,
                        _ => &mut p.bands,
                    };
                    if list.len() < MAX_ENTRIES {
                        list.push(s);
                    }
                }
                (Some("r"), 2) if p.recent.len() < RECENT => p.recent.push(f[1].to_string()),
                (Some("k"), 4) => {
                    if let (Some(q), Some(c)) = (parse_u64(f[2]), parse_u64(f[3])) {
                        p.cart.push((f[1].to_string(), q.min(999) as u32, c as f64 / 100.0));
                    }
                }
                (Some("v"), 4) if p.co_views.len() < MAX_CO_VIEWS => {
                    if let Some(n) = parse_u64(f[3]) {
                        p.co_views.push((f[1].to_string(), f[2].to_string(), n.min(1 << 30) as u32));
                    }
                }
                (Some("t"), 3) => {
                    if let (Some(at), Some(n)) = (parse_u64(f[1]), parse_u64(f[2])) {
                        p.last_view = (at as f64, n.min(1 << 30) as u32);
                    }
                }
                (Some("n"), 3) => {
                    if let Some(n) = parse_u64(f[2]) {
                        p.visits = (n.min(1 << 30) as u32, f[1].to_string());
                    }
                }
                (Some("a"), 6) if p.slots.len() < super::slots::MAX_ARMS => {
                    if let (Some(shown), Some(won), Some(flags)) = (parse_u64(f[3]), parse_u64(f[4]), parse_u64(f[5])) {
                        let shown = shown.min(1 << 20) as u32;
                        p.slots.push((
                            f[1].to_string(),
                            f[2].to_string(),
                            shown,
                            (won as u32).min(shown),
                            (flags & 3) as u8,
                        ));
                    }
                }
                _ => {}
            }
        }
        p
    }
}
