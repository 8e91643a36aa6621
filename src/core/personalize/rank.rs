//! Re-ranking product grids and recommending from a catalog, by the local profile.
//!
//! - Ranking: each product's score is its affinity (category + brand + ½ price band); products
//!   are ordered by score, highest first, and ties keep their order on the page (stable).
//! - Recommending: affinity (first category), plus similarity to the context product (the one
//!   being viewed: a shared category +2, same brand +1, same price band +0.5), plus +1 for each
//!   time it was viewed together with the context product in this browser; the context
//!   product, excluded ids and products in the cart are left out. Ties keep catalog order.

use super::profile::{price_band, AffinityProfile, Scorer};

/// A product in a grid or catalog (borrowing its text: a catalog of 10,000 is read without
/// copying it).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Item<'a> {
    /// Product id.
    pub id: &'a str,
    /// Categories (the first one counts for affinity).
    pub categories: Vec<&'a str>,
    /// Brand.
    pub brand: &'a str,
    /// Price (0: unknown).
    pub price: f64,
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

fn affinity(s: &Scorer, item: &Item) -> f64 {
    s.score(item.categories.first().copied().unwrap_or(""), item.brand, item.price)
}

/// The new order of `items` (indexes into it), best first, stable for ties. (The SDK's grids
/// get the scores from [`crate::core::Sdk::rank_lines`] and sort them in JS by the same rule.)
pub fn rank(items: &[Item], profile: &AffinityProfile, now: f64) -> Vec<usize> {
    let s = profile.scorer(now);
    let scores: Vec<f64> = items.iter().map(|i| affinity(&s, i)).collect();
    order_by_score(&scores)
}

/// An item's score: its affinity, plus its similarity to `context` if there is one.
pub fn score(scorer: &Scorer, profile: &AffinityProfile, item: &Item, context: Option<&Item>) -> f64 {
    let mut s = affinity(scorer, item);
    if let Some(c) = context {
        if item.categories.iter().any(|cat| c.categories.contains(cat)) {
            s += 2.0;
        }
        if !item.brand.is_empty() && item.brand == c.brand {
            s += 1.0;
        }
        if item.price > 0.0 && c.price > 0.0 && price_band(item.price) == price_band(c.price) {
            s += 0.5;
        }
        s += f64::from(profile.co_viewed(c.id, item.id));
    }
    s
}

/// The recommendations: reads `catalog` once, keeping the best `limit` (indexes into it, best
/// first; ties by catalog order). No sort of the whole catalog: each item is compared with the
/// current top `limit` only.
pub fn recommend<'a>(
    catalog: impl Iterator<Item = Item<'a>>,
    profile: &AffinityProfile,
    now: f64,
    limit: usize,
    exclude: &[&str],
    context: Option<&Item>,
) -> Vec<usize> {
    let scorer = profile.scorer(now);
    let mut top: Vec<(f64, usize)> = Vec::new();
    for (i, item) in catalog.enumerate() {
        if item.id.is_empty()
            || exclude.contains(&item.id)
            || profile.cart.iter().any(|(c, ..)| c == item.id)
            || context.is_some_and(|c| c.id == item.id)
        {
            continue;
        }
        let s = score(&scorer, profile, &item, context);
        // strictly better than an entry: goes before it (equal scores keep catalog order)
        let at = top.iter().position(|(t, _)| *t < s).unwrap_or(top.len());
        if at < limit {
            top.insert(at, (s, i));
            top.truncate(limit);
        }
    }
    top.into_iter().map(|(_, i)| i).collect()
}
