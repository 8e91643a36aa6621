//! Re-ranking product grids and recommending from a catalog, by the local profile.
//!
//! - Ranking: each product's score is its affinity (first category + brand + ½ price band);
//!   products are ordered by score, highest first, and ties keep their order on the page.
//! - Recommending: affinity, plus similarity to the context product (the one being viewed: a
//!   shared category +2, same brand +1, same price band +0.5), plus +1 for each time it was
//!   viewed together with the context product in this browser; the context product, excluded
//!   ids and products in the cart are left out. Ties keep catalog order.
//!
//! A [`Catalog`] is read once from text lines (`id \t categories \t brand \t price`, categories
//! separated by U+001F) with its category and brand names interned, so scoring 10,000 items is
//! a few array reads per item, not string searches.

use super::profile::{parse_price, AffinityProfile};

/// No name (an empty category or brand).
const NONE: u32 = u32::MAX;
/// Items read from one catalog text.
pub const MAX_ITEMS: usize = 20_000;

/// One product of a catalog.
#[derive(Clone, Debug, PartialEq)]
struct Entry {
    id: String,
    brand: u32,
    /// Its categories: a range of [`Catalog::cats`].
    cats: (u32, u32),
    price: f64,
}

/// Products to rank or recommend from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalog {
    /// Category and brand names, each once, with a hash to find them fast (a grid's names are
    /// looked up 2–3 times per product).
    names: Vec<(u32, String)>,
    cats: Vec<u32>,
    items: Vec<Entry>,
}

/// The price band's index: 0–25, 25–50, 50–100, 100–200, 200+ (see `profile::price_band`).
fn band(price: f64) -> usize {
    [25.0, 50.0, 100.0, 200.0].iter().filter(|b| price >= **b).count()
}

fn hash(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

/// A line's fields: id, categories, brand, price.
fn fields(line: &str) -> (&str, &str, &str, f64) {
    let mut f = line.split('\t');
    let mut next = || f.next().unwrap_or("");
    (next(), next(), next(), parse_price(next()))
}

impl Catalog {
    /// Reads up to [`MAX_ITEMS`] lines.
    pub fn parse(text: &str) -> Catalog {
        let mut c = Catalog::default();
        for line in text.split('\n').take(MAX_ITEMS) {
            let (id, cats, brand, price) = fields(line);
            let start = c.cats.len() as u32;
            for cat in cats.split('\u{1f}') {
                let n = c.intern(cat);
                if n != NONE {
                    c.cats.push(n);
                }
            }
            let brand = c.intern(brand);
            c.items.push(Entry { id: id.to_string(), brand, cats: (start, c.cats.len() as u32), price });
        }
        c
    }

    fn find(&self, s: &str) -> u32 {
        let h = hash(s);
        match self.names.iter().position(|(nh, n)| *nh == h && n == s) {
            Some(i) if !s.is_empty() => i as u32,
            _ => NONE,
        }
    }

    fn intern(&mut self, s: &str) -> u32 {
        match self.find(s) {
            NONE if !s.is_empty() => {
                self.names.push((hash(s), s.to_string()));
                self.names.len() as u32 - 1
            }
            n => n,
        }
    }

    fn cats_of(&self, e: &Entry) -> &[u32] {
        &self.cats[e.cats.0 as usize..e.cats.1 as usize]
    }

    /// How many products it holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Every product's score (see the module's rules), in catalog order; `context` is a
    /// catalog line for the product being viewed.
    pub fn scores(&self, profile: &AffinityProfile, now: f64, context: Option<&str>) -> Vec<f64> {
        let scorer = profile.scorer(now);
        // each name's affinity as a category and as a brand, and each price band's (halved)
        let cat: Vec<f64> = self.names.iter().map(|(_, n)| scorer.score(n, "", 0.0)).collect();
        let brand: Vec<f64> = self.names.iter().map(|(_, n)| scorer.score("", n, 0.0)).collect();
        let bands: Vec<f64> = [10.0, 30.0, 75.0, 150.0, 250.0].iter().map(|p| scorer.score("", "", *p)).collect();
        let get = |v: &[f64], i: u32| v.get(i as usize).copied().unwrap_or(0.0);
        let ctx = context.map(fields).map(|(id, cats, b, price)| {
            let co: Vec<(&str, u32)> = profile
                .co_views
                .iter()
                .filter_map(
                    |(x, y, n)| if x == id { Some((y.as_str(), *n)) } else { (y == id).then_some((x.as_str(), *n)) },
                )
                .collect();
            (cats.split('\u{1f}').map(|c| self.find(c)).collect::<Vec<u32>>(), self.find(b), price, co)
        });
        self.items
            .iter()
            .map(|e| {
                let mine = self.cats_of(e);
                let mut s = get(&cat, mine.first().copied().unwrap_or(NONE))
                    + get(&brand, e.brand)
                    + if e.price > 0.0 { bands[band(e.price)] } else { 0.0 };
                if let Some((cats, b, price, co)) = &ctx {
                    if mine.iter().any(|m| cats.contains(m)) {
                        s += 2.0;
                    }
                    if e.brand != NONE && e.brand == *b {
                        s += 1.0;
                    }
                    if e.price > 0.0 && *price > 0.0 && band(e.price) == band(*price) {
                        s += 0.5;
                    }
                    s += co.iter().find(|(id, _)| *id == e.id).map_or(0.0, |(_, n)| f64::from(*n));
                }
                s
            })
            .collect()
    }

    /// The best `limit` products (indexes, best first; ties by catalog order), leaving out the
    /// context product, `exclude` and what is in the cart. No sort of the whole catalog: each
    /// product is compared with the current best `limit` only.
    pub fn recommend(
        &self,
        profile: &AffinityProfile,
        now: f64,
        limit: usize,
        exclude: &[&str],
        context: Option<&str>,
    ) -> Vec<usize> {
        let scores = self.scores(profile, now, context);
        let context_id = context.map(|c| fields(c).0);
        let mut top: Vec<(f64, usize)> = Vec::new();
        for (i, e) in self.items.iter().enumerate() {
            if e.id.is_empty()
                || exclude.contains(&e.id.as_str())
                || profile.cart.iter().any(|(c, ..)| *c == e.id)
                || context_id == Some(e.id.as_str())
            {
                continue;
            }
            // strictly better than an entry: goes before it (equal scores keep catalog order)
            let at = top.iter().position(|(t, _)| *t < scores[i]).unwrap_or(top.len());
            if at < limit {
                top.insert(at, (scores[i], i));
                top.truncate(limit);
            }
        }
        top.into_iter().map(|(_, i)| i).collect()
    }
}

/// Stable merge sort of indexes by descending score.
fn order_by_score(scores: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    let mut buf = idx.clone();
    let mut width = 1;
    while width < idx.len() {
        let mut start = 0;
        while start < idx.len() {
            let mid = (start + width).min(idx.len());
            let end = (start + 2 * width).min(idx.len());
            let (mut i, mut j, mut k) = (start, mid, start);
            while i < mid && j < end {
                // `>=` keeps the earlier item first on ties: stable.
                if scores[idx[i]] >= scores[idx[j]] {
                    buf[k] = idx[i];
                    i += 1;
                } else {
                    buf[k] = idx[j];
                    j += 1;
                }
                k += 1;
            }
            buf[k..k + (mid - i)].copy_from_slice(&idx[i..mid]);
            k += mid - i;
            buf[k..k + (end - j)].copy_from_slice(&idx[j..end]);
            start = end;
        }
        std::mem::swap(&mut idx, &mut buf);
        width *= 2;
    }
    idx
}

/// The new order of a grid (indexes), best first, stable for ties. (The SDK's grids get the
/// scores from [`crate::core::Sdk::rank_lines`] and sort them in JS by the same rule.)
pub fn rank(grid: &Catalog, profile: &AffinityProfile, now: f64) -> Vec<usize> {
    order_by_score(&grid.scores(profile, now, None))
}
