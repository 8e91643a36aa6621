//! Content slots chosen by Thompson sampling: each variant has a Beta(1 + conversions,
//! 1 + misses) belief (Beta(1, 1) priors); to choose, draw once from each belief and show the
//! largest draw. Rewards are clicks and add-to-carts in the session. Past [`MAX_SHOWN`] showings
//! an arm's counts are halved.

use crate::core::rng::Rng;

/// The belief about each variant of one slot.
#[derive(Clone, Debug, PartialEq)]
pub struct Bandit {
    /// (shown, converted) per variant.
    pub arms: Vec<(u32, u32)>,
}

/// The natural logarithm of x > 0, to about 1e-15 relative: x = m·2^e with m in [√½, √2), then
/// ln m = 2·atanh((m − 1)/(m + 1)) by its series. (`f64::ln` brings libm's `log` and its tables
/// into the wasm; this is a few dozen instructions.) 0 and below give −∞, NaN stays NaN.
pub fn ln(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return x;
    }
    let mut bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64;
    if e == 0 {
        // subnormal: scale into the normal range first
        bits = (x * 18_014_398_509_481_984.0).to_bits(); // 2^54
        e = ((bits >> 52) & 0x7ff) as i64 - 54;
    }
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000); // [1, 2)
    let mut e = e - 1023;
    if m > std::f64::consts::SQRT_2 {
        m /= 2.0;
        e += 1;
    }
    let t = (m - 1.0) / (m + 1.0); // |t| ≤ 0.1716
    let t2 = t * t;
    let (mut term, mut sum) = (t, 0.0);
    for k in 0..12 {
        sum += term / f64::from(2 * k + 1);
        term *= t2;
    }
    2.0 * sum + e as f64 * std::f64::consts::LN_2
}

/// A Gamma(k, 1) draw for a whole k ≥ 1: the sum of k exponential draws, −ln of the product of
/// k uniforms (taken in pieces so it cannot underflow). O(k): the bandit keeps k ≤ ~2,000 by
/// halving its counts (see [`Bandit::record`]). (Marsaglia–Tsang would need normal draws,
/// `sqrt` and twice the code; the wasm pays for every byte.)
fn gamma(k: u32, rng: &mut Rng) -> f64 {
    let (mut sum, mut p) = (0.0, 1.0);
    for _ in 0..k {
        p *= 1.0 - rng.next_f64(); // in (0, 1]
        if p < 1e-200 {
            sum += ln(p);
            p = 1.0;
        }
    }
    -(sum + ln(p))
}

/// A Beta(a, b) draw, whole a, b ≥ 1.
pub fn beta(a: u32, b: u32, rng: &mut Rng) -> f64 {
    let x = gamma(a, rng);
    x / (x + gamma(b, rng))
}

/// Counts past this are halved (the newest evidence weighs more, and a draw stays cheap).
pub const MAX_SHOWN: u32 = 1000;

impl Bandit {
    /// `n` variants, no data yet.
    pub fn new(n: usize) -> Bandit {
        Bandit { arms: vec![(0, 0); n] }
    }

    /// The variant to show.
    pub fn choose(&self, rng: &mut Rng) -> usize {
        let mut best = (0, f64::MIN);
        for (i, (shown, won)) in self.arms.iter().enumerate() {
            let draw = beta(1 + *won, 1 + shown.saturating_sub(*won), rng);
            if draw > best.1 {
                best = (i, draw);
            }
        }
        best.0
    }

    /// Records that variant `i` was shown, and whether it converted.
    pub fn record(&mut self, i: usize, converted: bool) {
        if let Some(arm) = self.arms.get_mut(i) {
            *arm = shown_once(*arm);
            arm.1 += u32::from(converted);
        }
    }
}

/// An arm's (shown, converted) after one more showing, halved past [`MAX_SHOWN`].
pub fn shown_once((shown, won): (u32, u32)) -> (u32, u32) {
    if shown >= MAX_SHOWN {
        // one more showing, then halved: (shown + 1) / 2
        (shown.div_ceil(2), won / 2)
    } else {
        (shown + 1, won)
    }
}
