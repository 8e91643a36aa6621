//! Content slots chosen by Thompson sampling: each variant has a Beta(1 + conversions,
//! 1 + misses) belief (Beta(1, 1) priors); to choose, draw once from each belief and show the
//! largest draw. Rewards are clicks and add-to-carts in the session.

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

/// A standard normal draw (Marsaglia's polar method: needs `ln` and `sqrt`, not `cos`).
fn normal(rng: &mut Rng) -> f64 {
    loop {
        let u = 2.0 * rng.next_f64() - 1.0;
        let v = 2.0 * rng.next_f64() - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * (-2.0 * ln(s) / s).sqrt();
        }
    }
}

/// A Gamma(shape, 1) draw, shape ≥ 1 (Marsaglia–Tsang).
fn gamma(shape: f64, rng: &mut Rng) -> f64 {
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = normal(rng);
        let t = 1.0 + c * x;
        let v = t * t * t;
        if v <= 0.0 {
            continue;
        }
        let u = rng.next_f64();
        let x2 = x * x;
        if u < 1.0 - 0.0331 * x2 * x2 || ln(u) < 0.5 * x2 + d * (1.0 - v + ln(v)) {
            return d * v;
        }
    }
}

/// A Beta(a, b) draw, a, b ≥ 1.
pub fn beta(a: f64, b: f64, rng: &mut Rng) -> f64 {
    let x = gamma(a, rng);
    let y = gamma(b, rng);
    x / (x + y)
}

impl Bandit {
    /// `n` variants, no data yet.
    pub fn new(n: usize) -> Bandit {
        Bandit { arms: vec![(0, 0); n] }
    }

    /// The variant to show.
    pub fn choose(&self, rng: &mut Rng) -> usize {
        let mut best = (0, f64::MIN);
        for (i, (shown, won)) in self.arms.iter().enumerate() {
            let draw = beta(1.0 + *won as f64, 1.0 + (*shown - *won.min(shown)) as f64, rng);
            if draw > best.1 {
                best = (i, draw);
            }
        }
        best.0
    }

    /// Records that variant `i` was shown, and whether it converted.
    pub fn record(&mut self, i: usize, converted: bool) {
        if let Some(arm) = self.arms.get_mut(i) {
            arm.0 += 1;
            if converted {
                arm.1 += 1;
            }
        }
    }
}
