use super::bandit::beta;
use super::profile::{price_band, DAY_MS, MAX_ENTRIES, RECENT};
use super::*;
use crate::core::rng::Rng;

fn product(id: &str, category: &str, brand: &str, price: f64) -> Product {
    Product { id: id.into(), category: category.into(), brand: brand.into(), price }
}
fn item(id: &str, category: &str, brand: &str, price: f64) -> Item {
    Item { id: id.into(), categories: vec![category.into()], brand: brand.into(), price }
}
const T0: f64 = 1_700_000_000_000.0;

#[test]
fn scores_halve_every_half_life() {
    let mut p = AffinityProfile::new(14.0);
    p.learn(&product("a", "sneakers", "Runa", 80.0), Interaction::View, T0);
    let a = |p: &AffinityProfile, t: f64| p.affinity("sneakers", "", 0.0, t);
    assert_eq!(a(&p, T0), 1.0);
    assert!((a(&p, T0 + 14.0 * DAY_MS) - 0.5).abs() < 1e-12);
    assert!((a(&p, T0 + 28.0 * DAY_MS) - 0.25).abs() < 1e-12);
    assert!((a(&p, T0 + 7.0 * DAY_MS) - 0.5f64.sqrt()).abs() < 1e-12);
    // a new interaction adds to the decayed value
    p.learn(&product("a", "sneakers", "Runa", 80.0), Interaction::AddToCart, T0 + 14.0 * DAY_MS);
    assert!((a(&p, T0 + 14.0 * DAY_MS) - 3.5).abs() < 1e-12);
}

#[test]
fn views_carts_and_purchases_weigh_one_three_five_across_category_brand_and_price_band() {
    let mut p = AffinityProfile::new(14.0);
    let shoe = product("z1", "sneakers", "Runa", 79.95);
    p.learn(&shoe, Interaction::View, T0);
    p.learn(&shoe, Interaction::AddToCart, T0);
    p.learn(&shoe, Interaction::Purchase, T0);
    assert_eq!(p.affinity("sneakers", "", 0.0, T0), 9.0);
    assert_eq!(p.affinity("", "Runa", 0.0, T0), 9.0);
    assert_eq!(p.affinity("", "", 60.0, T0), 4.5, "same band (50-100), half weight");
    assert_eq!(p.affinity("", "", 20.0, T0), 0.0);
    assert_eq!(price_band(24.99), "0-25");
    assert_eq!(price_band(25.0), "25-50");
    assert_eq!(price_band(200.0), "200+");
    assert!(p.cart.is_empty(), "a purchase empties the cart");
}

#[test]
fn recently_viewed_keeps_the_last_twenty_without_repeats_and_the_cart_counts() {
    let mut p = AffinityProfile::new(14.0);
    for i in 0..25 {
        p.learn(&product(&format!("p{i}"), "c", "b", 10.0), Interaction::View, T0);
    }
    p.learn(&product("p3", "c", "b", 10.0), Interaction::View, T0);
    assert_eq!(p.recent.len(), RECENT);
    assert_eq!(p.recent[0], "p3");
    assert_eq!(p.recent.iter().filter(|r| *r == "p3").count(), 1);
    p.learn(&product("x", "c", "b", 10.0), Interaction::AddToCart, T0);
    p.learn(&product("x", "c", "b", 10.0), Interaction::AddToCart, T0);
    assert_eq!(p.cart, vec![("x".to_string(), 2)]);
}

#[test]
fn the_profile_is_size_capped_and_round_trips_through_text() {
    let mut p = AffinityProfile::new(14.0);
    for i in 0..(MAX_ENTRIES + 10) {
        p.learn(&product(&format!("p{i}"), &format!("cat{i}"), "b", 30.0), Interaction::View, T0 + i as f64);
    }
    p.learn(&product("x", "cat0\tweird\nname", "b", 30.0), Interaction::AddToCart, T0 + 100.0);
    let text = p.serialize();
    let q = AffinityProfile::parse(&text, 14.0);
    assert_eq!(q.serialize(), text, "round trip");
    assert!(text.lines().filter(|l| l.starts_with("c\t")).count() <= MAX_ENTRIES);
    let (restored, original) = (q.affinity("", "b", 0.0, T0 + 100.0), p.affinity("", "b", 0.0, T0 + 100.0));
    assert!((restored - original).abs() < 0.001, "stored to the thousandth: {restored} vs {original}");
    assert_eq!(AffinityProfile::parse("garbage", 14.0), AffinityProfile::new(14.0));
    assert_eq!(AffinityProfile::parse("vitrina-profile 1\nc\tx\tNaN\t1\nk\ty\t-1\n", 14.0), AffinityProfile::new(14.0));
}

#[test]
fn ranking_puts_the_shoppers_taste_first_and_keeps_ties_in_page_order() {
    let grid = vec![
        item("t1", "tshirts", "Ola", 25.0),
        item("s1", "sneakers", "Runa", 80.0),
        item("a1", "accessories", "Faro", 15.0),
        item("t2", "tshirts", "Ola", 29.0),
        item("s2", "sneakers", "Pista", 95.0),
        item("a2", "accessories", "Faro", 19.0),
    ];
    let empty = AffinityProfile::new(14.0);
    assert_eq!(rank(&grid, &empty, T0), vec![0, 1, 2, 3, 4, 5], "no profile: the page order stays");
    // the e2e story: view three shoe products, the grid shows shoes first
    let mut p = AffinityProfile::new(14.0);
    for (id, brand) in [("s1", "Runa"), ("s3", "Runa"), ("s2", "Pista")] {
        p.learn(&product(id, "sneakers", brand, 85.0), Interaction::View, T0);
    }
    let order = rank(&grid, &p, T0);
    assert_eq!(&order[..2], &[1, 4], "shoes first, Runa (2 views) before Pista (1)");
    assert_eq!(&order[2..], &[0, 2, 3, 5], "the rest keep their page order");
}

#[test]
fn ranking_a_thousand_items_is_stable_and_sorted() {
    let mut p = AffinityProfile::new(14.0);
    p.learn(&product("x", "c3", "b1", 10.0), Interaction::Purchase, T0);
    p.learn(&product("y", "c1", "b2", 10.0), Interaction::View, T0);
    let grid: Vec<Item> =
        (0..1000).map(|i| item(&format!("p{i}"), &format!("c{}", i % 5), &format!("b{}", i % 3), 10.0)).collect();
    let order = rank(&grid, &p, T0);
    let score = |i: usize| p.affinity(&grid[i].categories[0], &grid[i].brand, grid[i].price, T0);
    for w in order.windows(2) {
        assert!(score(w[0]) > score(w[1]) || (score(w[0]) == score(w[1]) && w[0] < w[1]), "{w:?}");
    }
    let mut seen = order.clone();
    seen.sort();
    assert_eq!(seen, (0..1000).collect::<Vec<_>>());
}

#[test]
fn recommendations_prefer_similar_and_co_viewed_products_and_leave_out_what_they_should() {
    let catalog = vec![
        item("s1", "sneakers", "Runa", 80.0),
        item("s2", "sneakers", "Pista", 85.0),
        item("s3", "sneakers", "Runa", 150.0),
        item("t1", "tshirts", "Runa", 25.0),
        item("a1", "accessories", "Faro", 15.0),
        item("a2", "accessories", "Faro", 12.0),
    ];
    let mut p = AffinityProfile::new(14.0);
    p.learn(&product("a2", "accessories", "Faro", 12.0), Interaction::AddToCart, T0);
    let none = |_: &str, _: &str| 0;
    let context = catalog[0].clone();
    let recs = recommend(&catalog, &p, T0, 3, &[], Some(&context), &none);
    let ids: Vec<&str> = recs.iter().map(|i| catalog[*i].id.as_str()).collect();
    assert!(!ids.contains(&"s1"), "not the product being viewed");
    assert!(!ids.contains(&"a2"), "not what is in the cart");
    // a1: profile 3 (category) + 3 (brand) + 1.5 (band) = 7.5; s3: same category and brand = 3;
    // s2: same category and band = 2.5
    assert_eq!(ids, vec!["a1", "s3", "s2"]);
    // viewed together with s1 five times: t1 (1 for the brand) + 5 moves up
    let co = |a: &str, b: &str| if (a, b) == ("s1", "t1") { 5 } else { 0 };
    let recs = recommend(&catalog, &p, T0, 2, &["a1".to_string()], Some(&context), &co);
    let ids: Vec<&str> = recs.iter().map(|i| catalog[*i].id.as_str()).collect();
    assert_eq!(ids, vec!["t1", "s3"], "a1 excluded, t1 co-viewed");
}

#[test]
fn beta_draws_have_the_right_mean() {
    let mut rng = Rng::from_seed([31; 32]);
    for (a, b) in [(1.0, 1.0), (2.0, 8.0), (30.0, 10.0)] {
        let n = 20_000;
        let mean: f64 = (0..n).map(|_| beta(a, b, &mut rng)).sum::<f64>() / n as f64;
        assert!((mean - a / (a + b)).abs() < 0.01, "Beta({a}, {b}) mean {mean}");
    }
}

#[test]
fn thompson_sampling_finds_the_best_of_three_variants_in_ten_thousand_visits() {
    let rates = [0.04, 0.07, 0.11];
    let mut runs_ok = 0;
    for seed in 0..5u8 {
        let mut rng = Rng::from_seed([seed + 40; 32]);
        let mut world = Rng::from_seed([seed + 90; 32]);
        let mut bandit = Bandit::new(3);
        let mut best_in_last_1000 = 0;
        for visit in 0..10_000 {
            let v = bandit.choose(&mut rng);
            bandit.record(v, world.next_f64() < rates[v]);
            if visit >= 9_000 && v == 2 {
                best_in_last_1000 += 1;
            }
        }
        if best_in_last_1000 >= 900 {
            runs_ok += 1;
        }
    }
    assert!(runs_ok >= 5, "the best variant is chosen ≥ 90% of the time by the end in {runs_ok}/5 simulations");
}

#[test]
fn exp2_neg_matches_powf_closely() {
    use super::profile::exp2_neg;
    for i in 0..4000 {
        let x = f64::from(i) * 0.0137;
        let (got, want) = (exp2_neg(x), 0.5f64.powf(x));
        assert!(((got - want) / want).abs() < 1e-12, "x = {x}: {got} vs {want}");
    }
    assert_eq!(exp2_neg(0.0), 1.0);
    assert_eq!(exp2_neg(1.0), 0.5);
    assert_eq!(exp2_neg(3.0), 0.125);
    assert_eq!(exp2_neg(5000.0), 0.0);
    assert_eq!(exp2_neg(-1.0), 1.0, "the future does not grow scores");
}

#[test]
fn ln_matches_f64_ln_closely() {
    use super::bandit::ln;
    let mut x = 1e-300;
    while x < 1e300 {
        for m in [1.0, 1.2345, std::f64::consts::SQRT_2 - 1e-9, std::f64::consts::SQRT_2 + 1e-9, 1.5, 1.9999] {
            let v = x * m;
            let (got, want) = (ln(v), v.ln());
            assert!((got - want).abs() <= 1e-14 * want.abs().max(1.0), "ln({v}) = {got}, want {want}");
        }
        x *= 7.77;
    }
    assert_eq!(ln(1.0), 0.0);
    assert_eq!(ln(0.0), f64::NEG_INFINITY);
    assert_eq!(ln(-1.0), f64::NEG_INFINITY);
    assert!(ln(f64::NAN).is_nan());
    let sub = 4.9e-324; // the smallest subnormal
    assert!((ln(sub) - sub.ln()).abs() < 1e-12, "{} vs {}", ln(sub), sub.ln());
}
