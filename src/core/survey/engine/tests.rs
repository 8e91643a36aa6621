use super::*;
use crate::core::json::parse;
use crate::core::survey::SurveyDef;

/// A page with no regex match and no selector, or with the given answers.
#[derive(Debug)]
struct Page {
    regex: bool,
    selector: bool,
}
impl Probe for Page {
    fn regex(&self, _: &str, _: &str) -> bool {
        self.regex
    }
    fn selector(&self, _: &str) -> bool {
        self.selector
    }
}
const PLAIN: Page = Page { regex: false, selector: false };

const NPS: &str = r#"{"id": "nps", "questions": [
    {"id": "score", "type": "nps", "text": "¿Nos recomendarías?", "branches": [{"if": {"at_most": 6}, "goto": "improve"}, {"if": {"at_least": 7}, "goto": "thanks"}]},
    {"id": "improve", "type": "text", "text": "¿Qué podemos mejorar?"}],
  "thanks": "¡Gracias!",
  "targeting": {"url": {"contains": "/checkout"}, "min_page_views": 2},
  "caps": {"show": "until_answered", "cooldown_days": 14}}"#;
const HELP: &str = r#"{"id": "help", "questions": [{"id": "what", "type": "single", "text": "¿Algo no funciona?", "options": ["El pago", "El envío", "Otra cosa"]}],
  "thanks": "Gracias, lo revisamos.", "targeting": {"url": {"contains": "/checkout"}, "friction": ["rage_click", "error_click"]}, "caps": {"show": "once"}}"#;

fn engine(defs: &[&str]) -> Engine {
    let list = parse(&format!("[{}]", defs.join(","))).unwrap();
    Engine::new(SurveyDef::list_from_value(&list, "surveys").unwrap())
}
fn rng() -> Rng {
    Rng::from_seed([5; 32])
}
fn step(r: &Record) -> String {
    r.props.get("step").and_then(Value::as_str).unwrap().to_string()
}

#[test]
fn url_and_page_views_decide_when_a_survey_opens() {
    let mut e = engine(&[NPS]);
    let mut r = rng();
    assert_eq!(e.on_page(0.0, "/checkout", false, &PLAIN, &mut r), None, "first page view: too early");
    assert_eq!(e.on_page(1.0, "/cart", false, &PLAIN, &mut r), None, "wrong page");
    assert_eq!(e.on_page(2.0, "/checkout", false, &PLAIN, &mut r), Some(Step::Question(0)));
    assert_eq!(step(&e.shown_record().unwrap()), "shown");
    assert_eq!(e.history("nps").shown, 1, "opening counts as shown");
}

#[test]
fn the_delay_counts_from_the_page_view_or_the_event_and_poll_timeout_says_when() {
    let delayed = r#"{"id": "late", "questions": [{"id": "q", "type": "csat", "text": "¿Qué tal?"}], "targeting": {"delay_s": 5}}"#;
    let after = r#"{"id": "after", "questions": [{"id": "q", "type": "ces", "text": "¿Fue fácil?"}], "targeting": {"after_event": "Order Completed", "delay_s": 2}}"#;
    let mut e = engine(&[after, delayed]);
    let mut r = rng();
    assert_eq!(e.on_page(1000.0, "/", false, &PLAIN, &mut r), None);
    assert_eq!(e.poll_timeout(), Some(6000.0), "5 s after the page view");
    assert_eq!(e.on_timeout(5999.0, &PLAIN, &mut r), None);
    assert_eq!(e.on_timeout(6000.0, &PLAIN, &mut r), Some(Step::Question(0)), "exactly 5 s");
    assert_eq!(e.open().unwrap().0.id, "late");
    assert_eq!(e.poll_timeout(), None, "one at a time");
    assert_eq!(e.close("late").map(|r| step(&r)), Some("dismissed".into()));

    let mut e = engine(&[after]);
    e.on_page(0.0, "/thanks", false, &PLAIN, &mut r);
    assert_eq!(e.poll_timeout(), None, "waits for its event");
    assert_eq!(e.on_track(10_000.0, "Order Completed", &PLAIN, &mut r), None, "2 s from the event");
    assert_eq!(e.poll_timeout(), Some(12_000.0));
    assert_eq!(e.on_timeout(12_000.0, &PLAIN, &mut r), Some(Step::Question(0)));
}

#[test]
fn a_rage_click_on_checkout_opens_the_help_prompt_at_once_and_only_once() {
    let mut e = engine(&[HELP, NPS]);
    let mut r = rng();
    assert_eq!(e.on_page(0.0, "/checkout", false, &PLAIN, &mut r), None, "help never opens on a page view");
    assert_eq!(e.on_friction(500.0, "dead_click", &PLAIN, &mut r), None, "not its signal");
    assert_eq!(e.on_friction(600.0, "rage_click", &PLAIN, &mut r), Some(Step::Question(0)));
    assert_eq!(e.open().unwrap().0.id, "help");
    let (records, next) = e.answer("help", &Answer::Number(0.0)).unwrap();
    assert_eq!(next, Step::Thanks);
    assert_eq!(records.iter().map(step).collect::<Vec<_>>(), vec!["answered", "completed"]);
    assert_eq!(records[0].props.get("choice"), Some(&Value::Num(0.0)));
    assert_eq!(e.close("help"), None, "closing the thank-you step is no dismissal");
    assert_eq!(e.on_friction(900.0, "rage_click", &PLAIN, &mut r), None, "once");
    // The next page of the same browser remembers it.
    let saved = e.save().unwrap();
    let mut next_page = engine(&[HELP]);
    next_page.restore(&saved);
    next_page.on_page(5000.0, "/checkout", false, &PLAIN, &mut r);
    assert_eq!(next_page.on_friction(5100.0, "error_click", &PLAIN, &mut r), None);
}

#[test]
fn an_nps_of_six_or_less_asks_what_to_improve_and_the_text_is_scrubbed() {
    let mut e = engine(&[NPS]);
    let mut r = rng();
    e.on_page(0.0, "/checkout", false, &PLAIN, &mut r);
    e.on_page(1.0, "/checkout", false, &PLAIN, &mut r);
    assert_eq!(e.answer("nps", &Answer::Number(11.0)), None, "out of range: ignored");
    assert_eq!(e.answer("other", &Answer::Number(5.0)), None, "not the open survey");
    let (records, next) = e.answer("nps", &Answer::Number(5.0)).unwrap();
    assert_eq!(next, Step::Question(1), "NPS ≤ 6 → improve");
    assert_eq!(records[0].props.get("score"), Some(&Value::Num(5.0)));
    assert_eq!(records[0].props.get("question_type").and_then(Value::as_str), Some("nps"));
    let (records, next) = e.answer("nps", &Answer::Text("El envío. Llamadme al 612 345 678".into())).unwrap();
    assert_eq!(next, Step::Thanks);
    assert_eq!(records[0].props.get("text").and_then(Value::as_str), Some("El envío. Llamadme al [phone]"));
    assert_eq!(step(&records[1]), "completed");
    assert!(e.history("nps").answered);
    assert_eq!(e.answer("nps", &Answer::Number(9.0)), None, "nothing more to answer");
}

#[test]
fn a_promoter_goes_straight_to_thanks() {
    let mut e = engine(&[NPS]);
    let mut r = rng();
    e.on_page(0.0, "/checkout", false, &PLAIN, &mut r);
    e.on_page(1.0, "/checkout", false, &PLAIN, &mut r);
    assert_eq!(e.answer("nps", &Answer::Number(9.0)).unwrap().1, Step::Thanks);
}

#[test]
fn dismissing_counts_as_shown_and_max_times_stops_showing() {
    let csat = r#"{"id": "csat", "questions": [{"id": "q", "type": "csat", "text": "¿Qué tal?"}], "caps": {"show": {"max_times": 2}}}"#;
    let mut e = engine(&[csat]);
    let mut r = rng();
    for n in 0..3 {
        let opened = e.on_page(n as f64, "/", false, &PLAIN, &mut r);
        if n < 2 {
            assert_eq!(opened, Some(Step::Question(0)), "view {n}");
            assert_eq!(e.close("csat").map(|r| step(&r)), Some("dismissed".into()));
        } else {
            assert_eq!(opened, None, "dismissed twice: shown twice, the cap is reached");
        }
    }
    assert_eq!(e.history("csat").shown, 2);
}

#[test]
fn the_cooldown_after_any_survey_holds_to_the_millisecond() {
    let day = crate::core::survey::caps::DAY_MS;
    for (now, opens) in [(1000.0 + 14.0 * day - 1.0, false), (1000.0 + 14.0 * day, true)] {
        let mut e = engine(&[NPS]);
        e.restore("vitrina-surveys 1 1000\nother\t1\t0\t-");
        let mut r = rng();
        e.on_page(now - 1.0, "/checkout", false, &PLAIN, &mut r);
        assert_eq!(e.on_page(now, "/checkout", false, &PLAIN, &mut r).is_some(), opens, "at {now}");
    }
}

#[test]
fn sampling_is_decided_once_per_browser_and_remembered() {
    let half = r#"{"id": "half", "questions": [{"id": "q", "type": "csat", "text": "¿Qué tal?"}], "caps": {"show": "until_answered", "sample_percent": 50}}"#;
    let mut inside = 0;
    for seed in 0..200u8 {
        let mut e = engine(&[half]);
        let mut r = Rng::from_seed([seed; 32]);
        let first = e.on_page(0.0, "/", false, &PLAIN, &mut r).is_some();
        e.close("half");
        let saved = e.save().unwrap();
        let mut later = engine(&[half]);
        later.restore(&saved);
        assert_eq!(later.history("half").sampled_in, Some(first), "remembered");
        let again = later.on_page(1.0, "/", false, &PLAIN, &mut Rng::from_seed([seed.wrapping_add(1); 32])).is_some();
        assert_eq!(again, first, "the same decision on every page (seed {seed})");
        inside += first as u32;
    }
    assert!((70..=130).contains(&inside), "about half the browsers: {inside}/200");
}

#[test]
fn regex_urls_and_selectors_are_answered_by_the_page() {
    let rx = r##"{"id": "rx", "questions": [{"id": "q", "type": "nps", "text": "?"}], "targeting": {"url": {"regex": "^/p/"}, "selector": "#buy"}}"##;
    let mut r = rng();
    for (regex, selector, opens) in [(false, true, false), (true, false, false), (true, true, true)] {
        let mut e = engine(&[rx]);
        assert_eq!(e.on_page(0.0, "/p/1", false, &Page { regex, selector }, &mut r).is_some(), opens);
    }
}

#[test]
fn the_history_round_trips_and_damage_is_ignored() {
    let mut e = engine(&[NPS, HELP]);
    let mut r = rng();
    e.on_page(0.0, "/checkout", false, &PLAIN, &mut r);
    e.on_friction(5.0, "rage_click", &PLAIN, &mut r);
    e.close("help");
    let saved = e.save().unwrap();
    assert!(saved.starts_with("vitrina-surveys 1 5\n"), "{saved}");
    assert_eq!(e.save(), None, "unchanged since");
    let mut back = engine(&[NPS, HELP]);
    back.restore(&saved);
    assert_eq!(back.history("help"), e.history("help"));
    for bad in ["", "garbage", "vitrina-surveys 2 5", "vitrina-surveys 1 x\nhelp\t1\t0\t-"] {
        let mut d = engine(&[HELP]);
        d.restore(bad);
        assert_eq!(d.history("help").shown, 0, "{bad:?}");
    }
    let mut partial = engine(&[HELP]);
    partial.restore("vitrina-surveys 1 -\nhelp\tx\t0\t-\nnps\t2\t1\t1");
    assert_eq!(partial.history("help").shown, 0, "a damaged line is skipped");
    assert_eq!(partial.history("nps"), History { shown: 2, answered: true, sampled_in: Some(true) });
}

#[test]
fn multiple_choice_answers_keep_each_option_once() {
    let multi =
        r#"{"id": "m", "questions": [{"id": "q", "type": "multiple", "text": "?", "options": ["a", "b", "c"]}]}"#;
    let mut e = engine(&[multi]);
    e.on_page(0.0, "/", false, &PLAIN, &mut rng());
    assert_eq!(e.answer("m", &Answer::Many(vec![3])), None, "no such option");
    let (records, _) = e.answer("m", &Answer::Many(vec![2, 0, 2])).unwrap();
    assert_eq!(records[0].props.get("choices"), Some(&Value::Arr(vec![Value::Num(2.0), Value::Num(0.0)])));
}

#[test]
fn a_delayed_survey_that_cannot_open_does_not_keep_the_timer_busy() {
    let late = r#"{"id": "late", "questions": [{"id": "q", "type": "csat", "text": "?"}], "targeting": {"url": {"exact": "/checkout"}, "delay_s": 30}}"#;
    let mut e = engine(&[late]);
    let mut r = rng();
    e.on_page(0.0, "/", false, &PLAIN, &mut r);
    assert_eq!(e.poll_timeout(), Some(30_000.0));
    assert_eq!(e.on_timeout(30_000.0, &PLAIN, &mut r), None, "wrong page");
    assert_eq!(e.poll_timeout(), None, "checked: no deadline in the past comes back");
    e.on_page(40_000.0, "/checkout", false, &PLAIN, &mut r);
    assert_eq!(e.poll_timeout(), Some(70_000.0), "a new page view starts a new delay");
    assert_eq!(e.on_timeout(70_000.0, &PLAIN, &mut r), Some(Step::Question(0)));
}
