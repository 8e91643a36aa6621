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

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut Rng) -> f64 {
    let u1 = rng.next_f64().max(1e-300);
    let u2 = rng.next_f64();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// A Gamma(shape, 1) draw, shape ≥ 1 (Marsaglia–Tsang).
fn gamma(shape: f64, rng: &mut Rng) -> f64 {
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = normal(rng);
        let v = (1.0 + c * x).powi(3);
        if v <= 0.0 {
            continue;
        }
        let u = rng.next_f64();
        if u < 1.0 - 0.0331 * x.powi(4) || u.ln() < 0.5 * x * x + d * (1.0 - v + v.ln()) {
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
