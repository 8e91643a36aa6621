//! Randomness for ids, seeded once by the caller (in the browser from `crypto.getRandomValues`).
//!
//! xoshiro256** — small, fast and good enough for unique ids; the seed makes every test replay.

/// A seeded pseudo-random generator.
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator from 32 bytes of seed (from a cryptographic source in production).
    pub fn from_seed(seed: [u8; 32]) -> Rng {
        let mut s = [0u64; 4];
        for (i, chunk) in seed.chunks_exact(8).enumerate() {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            s[i] = u64::from_le_bytes(b);
        }
        if s == [0; 4] {
            // xoshiro must not start from all zeros.
            s = [0x9e37_79b9_7f4a_7c15, 0xbf58_476d_1ce4_e5b9, 0x94d0_49bb_1331_11eb, 1];
        }
        Rng { s }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// A uniform float in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A random id: 22 characters of URL-safe base64 (128 random bits).
    pub fn id(&mut self) -> String {
        const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::with_capacity(22);
        let (mut a, mut b) = (self.next_u64(), self.next_u64());
        for i in 0..22 {
            let six = if i < 10 {
                let x = a & 63;
                a >>= 6;
                x
            } else {
                let x = b & 63;
                b >>= 6;
                x
            };
            out.push(ALPHABET[six as usize] as char);
        }
        out
    }
}

/// True if `s` looks like an id made by [`Rng::id`] (22 URL-safe base64 characters).
pub fn is_id(s: &str) -> bool {
    s.len() == 22 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut rng = Rng::from_seed([7; 32]);
        let mut seen = HashSet::new();
        for _ in 0..100_000 {
            let id = rng.id();
            assert!(is_id(&id), "{id}");
            assert!(seen.insert(id));
        }
    }

    #[test]
    fn same_seed_same_ids_different_seed_different_ids() {
        let a: Vec<String> = {
            let mut r = Rng::from_seed([1; 32]);
            (0..5).map(|_| r.id()).collect()
        };
        let b: Vec<String> = {
            let mut r = Rng::from_seed([1; 32]);
            (0..5).map(|_| r.id()).collect()
        };
        let c: Vec<String> = {
            let mut r = Rng::from_seed([2; 32]);
            (0..5).map(|_| r.id()).collect()
        };
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn zero_seed_still_works_and_floats_are_in_range() {
        let mut r = Rng::from_seed([0; 32]);
        assert_ne!(r.next_u64(), r.next_u64());
        for _ in 0..10_000 {
            let f = r.next_f64();
            assert!((0.0..1.0).contains(&f));
        }
    }

    #[test]
    fn id_is_rejected_when_malformed() {
        assert!(!is_id("short"));
        assert!(!is_id("aaaaaaaaaaaaaaaaaaaaa!"));
        assert!(is_id("aaaaaaaaaaaaaaaaaaaaa_"));
    }
}
