use super::bandit::beta;
use super::profile::{price_band, DAY_MS, MAX_ENTRIES, RECENT};
use super::slots::{CHOSEN, CONVERTED};
use super::*;
use crate::core::rng::Rng;

fn product(id: &str, category: &str, brand: &str, price: f64) -> Product {
    Product { id: id.into(), category: category.into(), brand: brand.into(), price }
}
/// A catalog line.
fn item(id: &str, category: &str, brand: &str, price: f64) -> String {
    format!("{id}\t{category}\t{brand}\t{price}")
}
fn catalog(lines: &[String]) -> Catalog {
    Catalog::parse(&lines.join("\n"))
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
    assert_eq!(p.cart, vec![("x".to_string(), 2, 10.0)]);
    assert_eq!(p.cart_value(), 20.0);
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
    let grid = catalog(&grid);
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
    let names: Vec<(String, String, String)> =
        (0..1000).map(|i| (format!("p{i}"), format!("c{}", i % 5), format!("b{}", i % 3))).collect();
    let lines: Vec<String> = names.iter().map(|(a, b, c)| item(a, b, c, 10.0)).collect();
    let order = rank(&catalog(&lines), &p, T0);
    let score = |i: usize| p.affinity(&names[i].1, &names[i].2, 10.0, T0);
    for w in order.windows(2) {
        assert!(score(w[0]) > score(w[1]) || (score(w[0]) == score(w[1]) && w[0] < w[1]), "{w:?}");
    }
    let mut seen = order.clone();
    seen.sort();
    assert_eq!(seen, (0..1000).collect::<Vec<_>>());
}

#[test]
fn recommendations_prefer_similar_and_co_viewed_products_and_leave_out_what_they_should() {
    let lines = vec![
        item("s1", "sneakers", "Runa", 80.0),
        item("s2", "sneakers", "Pista", 85.0),
        item("s3", "sneakers", "Runa", 150.0),
        item("t1", "tshirts", "Runa", 25.0),
        item("a1", "accessories", "Faro", 15.0),
        item("a2", "accessories", "Faro", 12.0),
    ];
    let mut p = AffinityProfile::new(14.0);
    p.learn(&product("a2", "accessories", "Faro", 12.0), Interaction::AddToCart, T0);
    let cat = catalog(&lines);
    let id = |i: &usize| lines[*i].split('\t').next().unwrap().to_string();
    let context = Some(lines[0].as_str());
    let recs = cat.recommend(&p, T0, 3, &[], context);
    let ids: Vec<String> = recs.iter().map(id).collect();
    // a1: profile 3 (category) + 3 (brand) + 1.5 (band) = 7.5; s3: same category and brand = 3;
    // s2: same category and band = 2.5; s1 is the product being viewed, a2 is in the cart
    assert_eq!(ids, vec!["a1", "s3", "s2"]);
    assert_eq!(cat.scores(&p, T0, context)[0], 2.0 + 1.0 + 0.5, "s1 against itself: similarity only");
    // viewed together with s1 five times (each view of t1 right after one of s1): t1 (1 for
    // the brand) + 5 moves up
    for k in 0..5 {
        let t = T0 + f64::from(k) * 3_600_000.0;
        p.learn(&product("s1", "", "", 0.0), Interaction::View, t);
        p.learn(&product("t1", "", "", 0.0), Interaction::View, t + 60_000.0);
    }
    assert_eq!(p.co_viewed("s1", "t1"), 5);
    assert_eq!(p.co_viewed("t1", "s1"), 5, "a pair either way");
    let recs = cat.recommend(&p, T0, 2, &["a1"], context);
    let ids: Vec<String> = recs.iter().map(id).collect();
    assert_eq!(ids, vec!["t1", "s3"], "a1 excluded, t1 co-viewed");
    // without a context: affinity only; ties keep catalog order
    assert_eq!(cat.recommend(&AffinityProfile::new(14.0), T0, 4, &[], None), vec![0, 1, 2, 3]);
    assert!(cat.recommend(&p, T0, 0, &[], None).is_empty());
    // a context that is not in the catalog still counts by its fields; several categories
    // each count as shared
    let multi = catalog(&[
        "m1\tboots\u{1f}sneakers\tX\t0".to_string(),
        "m2\tboots\tY\t0".to_string(),
        "m3\thats\tZ\t0".to_string(),
    ]);
    let empty = AffinityProfile::new(14.0);
    assert_eq!(multi.scores(&empty, T0, Some("zz\tsneakers\tZ\t0")), vec![2.0, 0.0, 1.0]);
    assert_eq!(multi.scores(&empty, T0, Some("zz\thats\u{1f}boots\t\t0")), vec![2.0, 2.0, 2.0]);
    assert_eq!(multi.len(), 3);
}

#[test]
fn co_views_pair_a_view_with_the_four_before_it_in_a_streak_without_thirty_minute_gaps() {
    let mut p = AffinityProfile::new(14.0);
    let view = |p: &mut AffinityProfile, id: &str, t: f64| p.learn(&product(id, "c", "b", 1.0), Interaction::View, t);
    for (i, id) in ["a", "b", "c", "d", "e", "f"].iter().enumerate() {
        view(&mut p, id, T0 + i as f64 * 60_000.0);
    }
    assert_eq!(p.co_viewed("f", "e"), 1);
    assert_eq!(p.co_viewed("f", "b"), 1, "four back");
    assert_eq!(p.co_viewed("f", "a"), 0, "five back is too far");
    view(&mut p, "g", T0 + 5.0 * 60_000.0 + 31.0 * 60_000.0);
    assert_eq!(p.co_viewed("g", "f"), 0, "a gap of over 30 minutes starts a new streak");
    view(&mut p, "h", T0 + 37.0 * 60_000.0);
    assert_eq!((p.co_viewed("h", "g"), p.co_viewed("h", "f")), (1, 0));
    view(&mut p, "h", T0 + 38.0 * 60_000.0);
    assert_eq!(p.co_viewed("h", "h"), 0, "not with itself");
    // capped: the oldest pairs go first
    for i in 0..300 {
        view(&mut p, &format!("x{i}"), T0 + 40.0 * 60_000.0 + f64::from(i));
    }
    assert_eq!(p.co_views.len(), super::profile::MAX_CO_VIEWS);
    let q = AffinityProfile::parse(&p.serialize(), 14.0);
    assert_eq!((&q.co_views, q.serialize()), (&p.co_views, p.serialize()), "co-views and the streak round-trip");
    let mut r = q.clone();
    view(&mut r, "y", T0 + 41.0 * 60_000.0);
    assert_eq!(r.co_viewed("y", "x299"), 1, "the restored streak goes on");
}

#[test]
fn slot_rules_read_top_category_visits_and_cart_value() {
    let mut p = AffinityProfile::new(14.0);
    p.visit("s1");
    assert!(rule_holds("new", &p, T0) && !rule_holds("returning", &p, T0));
    p.visit("s1");
    assert!(rule_holds("new", &p, T0), "the same session is no new visit");
    p.visit("s2");
    assert!(rule_holds("returning", &p, T0));
    assert!(!rule_holds("category:sneakers", &p, T0), "no top category yet");
    p.learn(&product("z", "Sneakers", "b", 60.0), Interaction::AddToCart, T0);
    p.learn(&product("z", "Sneakers", "b", 60.0), Interaction::AddToCart, T0);
    p.learn(&product("t", "tshirts", "b", 20.0), Interaction::View, T0);
    assert!(rule_holds("category:sneakers", &p, T0), "case-insensitive");
    assert!(rule_holds("cart>=120", &p, T0) && !rule_holds("cart>=120.01", &p, T0));
    assert!(rule_holds("cart<120.5", &p, T0) && !rule_holds("cart<120", &p, T0));
    assert!(rule_holds("returning category:sneakers cart>=100", &p, T0), "all words must hold");
    assert!(!rule_holds("returning category:tshirts", &p, T0));
    assert!(!rule_holds("sometimes", &p, T0), "an unknown word never holds");
}

#[test]
fn a_slot_choice_holds_for_the_session_converts_once_and_teaches_only_the_bandit_it_came_from() {
    let mut rng = Rng::from_seed([7; 32]);
    let mut p = AffinityProfile::new(14.0);
    p.visit("s1");
    let variants = [("promo", "cart>=50"), ("a", ""), ("b", "")];
    let (first, why) = p.choose_variant("hero", &variants, T0, &mut rng).unwrap();
    assert!(first == "a" || first == "b");
    assert_eq!(why, Why::Bandit);
    for _ in 0..20 {
        assert_eq!(p.choose_variant("hero", &variants, T0, &mut rng).unwrap(), (first.clone(), Why::Kept));
    }
    assert_eq!(p.slots, vec![("hero".to_string(), first.clone(), 1, 0, CHOSEN)], "shown once in the session");
    assert_eq!(p.convert(Some("other")), vec![]);
    assert_eq!(p.convert(Some("hero")), vec![("hero".to_string(), first.clone())]);
    assert_eq!(p.convert(None), vec![], "once per session");
    assert_eq!(p.slots[0].3, 1);
    // the next session chooses again; a rule that holds wins and does not teach the bandit
    p.visit("s2");
    p.learn(&product("z", "c", "b", 60.0), Interaction::AddToCart, T0);
    assert_eq!(p.choose_variant("hero", &variants, T0, &mut rng).unwrap(), ("promo".to_string(), Why::Rule));
    assert_eq!(p.convert(None).len(), 1);
    assert_eq!(
        p.slots,
        vec![("hero".to_string(), first, 1, 1, 0), ("hero".to_string(), "promo".to_string(), 1, 1, CHOSEN | CONVERTED)],
        "counted per variant: the rule's conversion is not the bandit arms'"
    );
    // only rules, none holds: the first variant
    let only_rules = [("x", "returning"), ("y", "category:none")];
    assert_eq!(p.choose_variant("side", &only_rules, T0, &mut rng).unwrap().0, "x");
    assert_eq!(p.choose_variant("none", &[], T0, &mut rng), None);
}

#[test]
fn slot_choices_learn_the_best_variant_across_ten_thousand_sessions() {
    // The whole path (choices stored as text, restored, converted) rather than the bare bandit.
    let rates = [("a", 0.03), ("b", 0.06), ("c", 0.12)];
    let variants = [("a", ""), ("b", ""), ("c", "")];
    let mut rng = Rng::from_seed([3; 32]);
    let mut world = Rng::from_seed([4; 32]);
    let mut text = String::new();
    let mut best_late = 0;
    for visit in 0..10_000u32 {
        let mut p = AffinityProfile::parse(&text, 14.0);
        p.visit(&format!("s{visit}"));
        let (v, _) = p.choose_variant("hero", &variants, T0, &mut rng).unwrap();
        let rate = rates.iter().find(|r| r.0 == v).unwrap().1;
        if world.next_f64() < rate {
            p.convert(Some("hero"));
        }
        if visit >= 9_000 && v == "c" {
            best_late += 1;
        }
        text = p.serialize();
    }
    assert!(best_late >= 900, "best variant in {best_late} of the last 1,000 sessions");
}

#[test]
fn beta_draws_have_the_right_mean() {
    let mut rng = Rng::from_seed([31; 32]);
    for (a, b) in [(1, 1), (2, 8), (30, 10), (1, 1500)] {
        let n = 20_000;
        let draws: Vec<f64> = (0..n).map(|_| beta(a, b, &mut rng)).collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        let want = f64::from(a) / f64::from(a + b);
        assert!((mean - want).abs() < 0.01 * want.max(0.1), "Beta({a}, {b}) mean {mean}, want {want}");
        // and the spread: Var = ab / ((a + b)^2 (a + b + 1))
        let var = draws.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        let (a, b) = (f64::from(a), f64::from(b));
        let want_var = a * b / ((a + b) * (a + b) * (a + b + 1.0));
        assert!((var - want_var).abs() < 0.05 * want_var, "variance {var}, want {want_var}");
        assert!(draws.iter().all(|x| (0.0..=1.0).contains(x)));
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
