//! Re-ranking product grids and recommending from a catalog, by the local profile.
//!
//! - Ranking: each product's score is its affinity (category + brand + ½ price band); products
//!   are ordered by score, highest first, and ties keep their order on the page (stable).
//! - Recommending: affinity, plus similarity to the product being viewed (same category +2,
//!   same brand +1, same price band +0.5), plus +1 for each time it was viewed together with
//!   the context product in this browser; the context product, excluded ids and products in
//!   the cart are left out.

use super::profile::{price_band, AffinityProfile};

/// A product in a grid or catalog.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Item {
    /// Product id.
    pub id: String,
    /// Categories (the first one counts for affinity).
    pub categories: Vec<String>,
    /// Brand.
    pub brand: String,
    /// Price.
    pub price: f64,
}

/// Stable merge sort of indexes by descending score (written out: std's sort costs kilobytes
/// of wasm).
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

fn affinity(p: &AffinityProfile, item: &Item, now: f64) -> f64 {
    p.affinity(item.categories.first().map_or("", String::as_str), &item.brand, item.price, now)
}

/// The new order of `items` (indexes into it), best first, stable for ties.
pub fn rank(items: &[Item], profile: &AffinityProfile, now: f64) -> Vec<usize> {
    let scores: Vec<f64> = items.iter().map(|i| affinity(profile, i, now)).collect();
    order_by_score(&scores)
}

/// Up to `limit` recommendations from `catalog` (indexes into it), best first.
/// `co_views(a, b)` says how often two products were viewed together in this browser.
pub fn recommend(
    catalog: &[Item],
    profile: &AffinityProfile,
    now: f64,
    limit: usize,
    exclude: &[String],
    context: Option<&Item>,
    co_views: &dyn Fn(&str, &str) -> u32,
) -> Vec<usize> {
    let in_cart = |id: &str| profile.cart.iter().any(|(c, _)| c == id);
    let scores: Vec<f64> = catalog
        .iter()
        .map(|item| {
            if exclude.contains(&item.id) || in_cart(&item.id) || context.is_some_and(|c| c.id == item.id) {
                return f64::NEG_INFINITY;
            }
            let mut s = affinity(profile, item, now);
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
                s += co_views(&c.id, &item.id) as f64;
            }
            s
        })
        .collect();
    order_by_score(&scores).into_iter().filter(|i| scores[*i].is_finite()).take(limit).collect()
}
