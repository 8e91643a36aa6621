//! Benchmark: inputs per second through all ten friction detectors, natively, on a large
//! generated shopper trace (clicks, scrolls, mutations, fields, errors, pages, vitals).
//!
//! ```sh
//! cargo run --release --example bench_friction [-- INPUTS]
//! ```
//! Not a test: it prints numbers for the README.

use std::time::Instant;

use vitrina::core::friction::{Detectors, FieldAction, FrictionConfig, Input, InputKind, PageNav, Target, VitalName};

/// A deterministic pseudo-random shopper: mostly scrolls and mutations, then clicks and fields.
fn generate(n: usize) -> Vec<Input> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let sels: Vec<String> = (0..40).map(|i| format!("#product-{i}>button")).collect();
    let pages = ["/", "/category.html?c=sneakers", "/product.html?id=zap-1", "/cart.html", "/checkout.html"];
    let mut out = Vec::with_capacity(n);
    let mut t = 0.0;
    let mut y = 0.0f64;
    for i in 0..n {
        t += (next() % 120) as f64;
        let r = next() % 1000;
        let kind = if i % 400 == 0 {
            InputKind::Page { url: pages[(next() % 5) as usize].to_string(), nav: PageNav::Navigate }
        } else if r < 350 {
            y = (y + (next() % 600) as f64 - 280.0).max(0.0);
            InputKind::Scroll { y }
        } else if r < 600 {
            InputKind::Mutation
        } else if r < 780 {
            let sel = &sels[(next() % 40) as usize];
            InputKind::Click {
                x: (next() % 1280) as f64,
                y: (next() % 720) as f64,
                target: Target { sel: sel.clone(), tag: "button".into(), text: "Añadir".into(), ..Target::default() },
                mods: false,
            }
        } else if r < 930 {
            let action = match next() % 3 {
                0 => FieldAction::Focus,
                1 => FieldAction::Input,
                _ => FieldAction::Blur,
            };
            InputKind::Field {
                form: "checkout".into(),
                field: format!("f{}", next() % 8),
                action,
                filled: next() % 2 == 0,
            }
        } else if r < 960 {
            InputKind::Selection
        } else if r < 975 {
            InputKind::Error { message: "TypeError: cannot read properties of undefined (reading 'price')".into() }
        } else if r < 990 {
            InputKind::LongTask { duration: (next() % 200) as f64 }
        } else {
            InputKind::Vital { name: VitalName::Inp, value: (next() % 800) as f64 }
        };
        out.push(Input { t, kind });
    }
    out.push(Input { t: t + 1.0, kind: InputKind::End });
    out
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2_000_000);
    let trace = generate(n);
    let config = FrictionConfig::default();
    // Warm up once, then take the best of 5 runs.
    let mut best = f64::MAX;
    let mut findings = 0;
    for run in 0..6 {
        let mut d = Detectors::new(&config);
        let mut out = Vec::new();
        let start = Instant::now();
        for input in &trace {
            d.handle(input, &mut out);
        }
        let secs = start.elapsed().as_secs_f64();
        findings = out.len();
        if run > 0 {
            best = best.min(secs);
        }
    }
    println!(
        "friction detectors: {} inputs in {:.1} ms = {:.2} million inputs/s ({} findings)",
        trace.len(),
        best * 1000.0,
        trace.len() as f64 / best / 1e6,
        findings
    );
}
