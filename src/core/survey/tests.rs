use super::*;
use crate::core::json::parse;
use crate::core::review::Lang;
use crate::core::rng::Rng;

const NPS: &str = r#"{
  "id": "nps-checkout",
  "questions": [
    {"id": "score", "type": "nps", "text": {"es": "¿Nos recomendarías?", "en": "Would you recommend us?"},
     "branches": [{"if": {"at_most": 6}, "goto": "improve"}, {"if": {"at_least": 7}, "goto": "thanks"}]},
    {"id": "improve", "type": "text", "text": {"es": "¿Qué podemos mejorar?", "en": "What could we improve?"}},
    {"id": "channel", "type": "single", "text": "¿Cómo nos conociste?", "options": ["Google", "Instagram", {"es": "Un amigo", "en": "A friend"}]}
  ],
  "thanks": {"es": "¡Gracias!", "en": "Thanks!"},
  "targeting": {"url": {"contains": "/checkout"}, "min_page_views": 2, "device": "any"},
  "caps": {"show": "until_answered", "cooldown_days": 14, "sample_percent": 50}
}"#;

fn def(text: &str) -> Result<SurveyDef, String> {
    SurveyDef::from_value(&parse(text).unwrap(), "surveys[0]")
}

#[test]
fn a_full_definition_is_read() {
    let d = def(NPS).unwrap();
    assert_eq!(d.id, "nps-checkout");
    assert_eq!(d.questions.len(), 3);
    assert_eq!(d.questions[0].text.get(Lang::En), "Would you recommend us?");
    assert_eq!(d.questions[2].text.get(Lang::En), "¿Cómo nos conociste?", "a plain text serves both languages");
    assert!(matches!(&d.questions[2].kind, QuestionKind::Single(o) if o[2].get(Lang::En) == "A friend"));
    assert_eq!(d.thanks.get(Lang::Es), "¡Gracias!");
    assert_eq!(d.caps, Caps { show: ShowPolicy::UntilAnswered, cooldown_days: 14.0, sample_percent: 50.0 });
    assert_eq!(d.targeting.url, Some(UrlRule::Contains("/checkout".into())));
}

#[test]
fn definition_errors_name_the_field() {
    let cases = [
        (r#"{"id":"x","questions":[]}"#, "surveys[0].questions: expected an array of 1 to 20 questions, got an array"),
        (r#"{"id":"x y","questions":[]}"#, r#"surveys[0].id: expected an id of 1 to 64 letters, digits, '-' or '_', got "x y""#),
        (r#"{"id":"x","questions":[{"id":"a","type":"stars","text":"t"}]}"#, r#"surveys[0].questions[0].type: expected one of nps, csat, ces, single, multiple, text, got "stars""#),
        (r#"{"id":"x","questions":[{"id":"a","type":"nps"}]}"#, "surveys[0].questions[0].text: expected a text, or { es, en } texts, got nothing"),
        (r#"{"id":"x","questions":[{"id":"a","type":"single","text":"t","options":["one"]}]}"#, "surveys[0].questions[0].options: expected an array of 2 to 12 options, got an array"),
        (r#"{"id":"x","questions":[{"id":"a","type":"nps","text":"t","branches":[{"if":{"below":3},"goto":"thanks"}]}]}"#, "surveys[0].questions[0].branches[0].if: expected { at_most: n } or { at_least: n } or { is: n }, got an object"),
        (r#"{"id":"x","questions":[{"id":"a","type":"nps","text":"t","branches":[{"if":{"is":3},"goto":"a"}]}]}"#, r#"surveys[0].questions[0].branches[0].goto: expected a later question's id or "thanks", got "a""#),
        (r#"{"id":"x","questions":[{"id":"a","type":"nps","text":"t"},{"id":"a","type":"nps","text":"t"}]}"#, r#"surveys[0].questions[1].id: expected an id used once and not "thanks", got "a""#),
        (r#"{"id":"x","questions":[{"id":"a","type":"nps","text":"t"}],"caps":{"show":"always"}}"#, r#"surveys[0].caps.show: expected "once", "until_answered" or { max_times: N }"#),
        (r#"{"id":"x","questions":[{"id":"a","type":"nps","text":"t"}],"targeting":{"friction":["rage"]}}"#, "surveys[0].targeting.friction: expected signal names (rage_click, dead_click, error_click, …)"),
        (r#"{"id":"x","questions":[{"id":"a","type":"nps","text":"t"}],"targeting":{"url":{"starts":"/"}}}"#, "surveys[0].targeting.url: expected one of { exact }, { contains }, { regex } with a text"),
    ];
    for (text, expected) in cases {
        assert_eq!(def(text).unwrap_err(), expected, "{text}");
    }
    let dup = parse(&format!("[{NPS},{NPS}]")).unwrap();
    assert_eq!(
        SurveyDef::list_from_value(&dup, "surveys").unwrap_err(),
        r#"surveys[1].id: expected an id used once, got "nps-checkout""#
    );
}

#[test]
fn nps_of_six_or_less_asks_what_to_improve_and_seven_or_more_thanks() {
    let d = def(NPS).unwrap();
    for score in 0..=6 {
        assert_eq!(d.next(0, &Answer::Number(score as f64)), Next::Question(1), "{score}");
    }
    for score in 7..=10 {
        assert_eq!(d.next(0, &Answer::Number(score as f64)), Next::Thanks, "{score}");
    }
    assert_eq!(d.next(1, &Answer::Text("envío lento".into())), Next::Question(2), "no rule: the next question");
    assert_eq!(d.next(2, &Answer::Number(0.0)), Next::Thanks, "after the last question");
}

#[test]
fn answers_are_checked_per_type_and_text_is_scrubbed() {
    let d = def(r#"{"id":"s","questions":[
      {"id":"n","type":"nps","text":"t"},{"id":"c","type":"csat","text":"t"},{"id":"e","type":"ces","text":"t"},
      {"id":"s1","type":"single","text":"t","options":["a","b"]},{"id":"m","type":"multiple","text":"t","options":["a","b","c"]},
      {"id":"x","type":"text","text":"t"}]}"#)
    .unwrap();
    let ok = |q: usize, a: Answer| d.check_answer(q, &a).is_some();
    assert!(
        ok(0, Answer::Number(0.0))
            && ok(0, Answer::Number(10.0))
            && !ok(0, Answer::Number(11.0))
            && !ok(0, Answer::Number(5.5))
    );
    assert!(
        ok(1, Answer::Number(1.0))
            && ok(1, Answer::Number(5.0))
            && !ok(1, Answer::Number(0.0))
            && !ok(1, Answer::Number(6.0))
    );
    assert!(ok(2, Answer::Number(1.0)) && ok(2, Answer::Number(7.0)) && !ok(2, Answer::Number(8.0)));
    assert!(ok(3, Answer::Number(1.0)) && !ok(3, Answer::Number(2.0)) && !ok(3, Answer::Text("a".into())));
    assert!(ok(4, Answer::Many(vec![0, 2])) && !ok(4, Answer::Many(vec![])) && !ok(4, Answer::Many(vec![3])));
    assert!(!ok(5, Answer::Text("   ".into())) && !ok(5, Answer::Text("x".repeat(2001))));
    assert_eq!(
        d.check_answer(5, &Answer::Text(" llamadme al 612 345 678 o escribid a ana@x.es ".into())),
        Some(Answer::Text("llamadme al [phone] o escribid a [email]".into()))
    );
    assert!(d.check_answer(9, &Answer::Number(1.0)).is_none(), "no such question");
}

fn ctx<'a>(path: &'a str, events: &'a [String]) -> Context<'a> {
    Context {
        path,
        page_views: 5,
        mobile: false,
        regex_matches: false,
        selector_present: false,
        events,
        friction: None,
        elapsed_s: 100.0,
    }
}

#[test]
fn targeting_conditions_must_all_hold() {
    let t = |json: &str| Targeting::from_value(Some(&parse(json).unwrap()), "t").unwrap();
    let none: Vec<String> = vec![];
    assert!(t("{}").matches(&ctx("/", &none)));
    assert!(t(r#"{"url":{"exact":"/cart.html"}}"#).matches(&ctx("/cart.html", &none)));
    assert!(!t(r#"{"url":{"exact":"/cart.html"}}"#).matches(&ctx("/cart.html/x", &none)));
    assert!(t(r#"{"url":{"contains":"check"}}"#).matches(&ctx("/checkout.html", &none)));
    let regex = t(r#"{"url":{"regex":"^/p/"}}"#);
    assert!(!regex.matches(&ctx("/p/1", &none)));
    assert!(regex.matches(&Context { regex_matches: true, ..ctx("/p/1", &none) }), "the edge evaluates the regex");
    let ordered = vec!["Order Completed".to_string()];
    assert!(!t(r#"{"after_event":"Order Completed"}"#).matches(&ctx("/", &none)));
    assert!(t(r#"{"after_event":"Order Completed"}"#).matches(&ctx("/", &ordered)));
    let delayed = t(r#"{"delay_s":5}"#);
    assert!(!delayed.matches(&Context { elapsed_s: 4.99, ..ctx("/", &none) }));
    assert!(delayed.matches(&Context { elapsed_s: 5.0, ..ctx("/", &none) }));
    assert!(!t(r#"{"min_page_views":6}"#).matches(&ctx("/", &none)));
    assert!(t(r#"{"min_page_views":5}"#).matches(&ctx("/", &none)));
    assert!(!t(r#"{"device":"mobile"}"#).matches(&ctx("/", &none)));
    assert!(t(r#"{"device":"desktop"}"#).matches(&ctx("/", &none)));
    assert!(!t(r##"{"selector":"#checkout"}"##).matches(&ctx("/", &none)));
    assert!(t(r##"{"selector":"#checkout"}"##).matches(&Context { selector_present: true, ..ctx("/", &none) }));
}

#[test]
fn friction_triggered_surveys_show_on_that_friction_only() {
    let help = Targeting::from_value(
        Some(&parse(r#"{"friction":["rage_click","error_click"],"url":{"contains":"checkout"}}"#).unwrap()),
        "t",
    )
    .unwrap();
    let none: Vec<String> = vec![];
    assert!(!help.matches(&ctx("/checkout.html", &none)), "no friction, no help prompt");
    assert!(help.matches(&Context { friction: Some("rage_click"), ..ctx("/checkout.html", &none) }));
    assert!(!help.matches(&Context { friction: Some("dead_click"), ..ctx("/checkout.html", &none) }));
    assert!(!help.matches(&Context { friction: Some("rage_click"), ..ctx("/cart.html", &none) }));
    let plain = Targeting::default();
    assert!(
        !plain.matches(&Context { friction: Some("rage_click"), ..ctx("/", &none) }),
        "ordinary surveys ignore friction"
    );
}

#[test]
fn caps_once_until_answered_and_max_times() {
    let mut h = History::default();
    let once = Caps::default();
    assert!(once.allows(&mut h, None, 0.0, 0.5));
    h.shown = 1; // dismissed counts as shown
    assert!(!once.allows(&mut h, None, 0.0, 0.5));
    let until = Caps { show: ShowPolicy::UntilAnswered, ..Caps::default() };
    let mut h = History { shown: 7, ..History::default() };
    assert!(until.allows(&mut h, None, 0.0, 0.5));
    h.answered = true;
    assert!(!until.allows(&mut h, None, 0.0, 0.5));
    let three = Caps { show: ShowPolicy::MaxTimes(3), ..Caps::default() };
    let mut h = History { shown: 2, ..History::default() };
    assert!(three.allows(&mut h, None, 0.0, 0.5));
    h.shown = 3;
    assert!(!three.allows(&mut h, None, 0.0, 0.5));
}

#[test]
fn the_cooldown_ends_exactly_at_the_day_boundary() {
    let c = Caps { show: ShowPolicy::MaxTimes(10), cooldown_days: 14.0, sample_percent: 100.0 };
    let shown_at = 1_700_000_000_000.0;
    let mut h = History { shown: 1, ..History::default() };
    assert!(!c.allows(&mut h, Some(shown_at), shown_at + 14.0 * caps::DAY_MS - 1.0, 0.5));
    assert!(c.allows(&mut h, Some(shown_at), shown_at + 14.0 * caps::DAY_MS, 0.5));
    let half = Caps { cooldown_days: 0.5, ..c };
    assert!(half.allows(&mut h, Some(shown_at), shown_at + 12.0 * 3_600_000.0, 0.5));
}

#[test]
fn sampling_is_decided_once_per_browser_with_the_seeded_random() {
    let c = Caps { show: ShowPolicy::MaxTimes(100), cooldown_days: 0.0, sample_percent: 30.0 };
    let mut rng = Rng::from_seed([21; 32]);
    let mut shown = 0;
    for _ in 0..10_000 {
        let mut h = History::default(); // a new browser
        let first = c.allows(&mut h, None, 0.0, rng.next_f64());
        // the decision sticks whatever the next random numbers are
        for _ in 0..3 {
            assert_eq!(c.allows(&mut h, None, 0.0, rng.next_f64()), first);
        }
        if first {
            shown += 1;
        }
    }
    assert!((2800..=3200).contains(&shown), "{shown} of 10000 at 30%");
    let mut h = History::default();
    assert!(!Caps { sample_percent: 0.0, ..c }.allows(&mut h, None, 0.0, 0.0));
}

#[test]
fn the_lenient_reader_keeps_what_reads_and_counts_the_rest() {
    let list = parse(&format!(
        r#"[{NPS}, {{"id":"bad","questions":[]}}, {NPS}, {{"id":"ok","questions":[{{"id":"q","type":"csat","text":"¿Qué tal?"}}]}}, 42]"#
    ))
    .unwrap();
    let (defs, skipped) = SurveyDef::read_lenient(&list);
    assert_eq!(defs.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), vec!["nps-checkout", "ok"]);
    assert_eq!(skipped, 3, "the empty survey, the repeated id and the number");
    assert_eq!(defs[0], def(NPS).unwrap(), "what it keeps is what the validator reads");
    assert_eq!(SurveyDef::read_lenient(&crate::core::value::Value::Str("x".into())).1, 1);
}
