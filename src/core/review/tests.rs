use super::*;

fn draft(rating: Option<u8>, body: &str) -> ReviewDraft {
    ReviewDraft { rating, body: body.into(), ..Default::default() }
}
fn codes(r: Result<Review, Vec<FieldError>>) -> Vec<(&'static str, ErrorCode)> {
    r.unwrap_err().into_iter().map(|e| (e.field, e.code)).collect()
}
const LATER: f64 = 10_000.0;

#[test]
fn rating_is_required_and_must_be_one_to_five() {
    assert_eq!(codes(validate("p", &draft(None, ""), 0.0, LATER, false)), vec![("rating", ErrorCode::RatingRequired)]);
    for bad in [0, 6, 9] {
        assert_eq!(
            codes(validate("p", &draft(Some(bad), ""), 0.0, LATER, false)),
            vec![("rating", ErrorCode::RatingRequired)]
        );
    }
    for ok in 1..=5 {
        assert_eq!(validate("p", &draft(Some(ok), ""), 0.0, LATER, false).unwrap().rating, ok);
    }
}

#[test]
fn body_is_empty_or_twenty_to_five_thousand_characters() {
    assert!(validate("p", &draft(Some(4), ""), 0.0, LATER, false).is_ok(), "rating-only review");
    assert!(validate("p", &draft(Some(4), "   "), 0.0, LATER, false).is_ok(), "blank is empty");
    assert_eq!(
        codes(validate("p", &draft(Some(4), &"a".repeat(19)), 0.0, LATER, false)),
        vec![("body", ErrorCode::BodyTooShort)]
    );
    assert!(validate("p", &draft(Some(4), &"ñ".repeat(20)), 0.0, LATER, false).is_ok(), "characters, not bytes");
    assert!(validate("p", &draft(Some(4), &"a".repeat(5000)), 0.0, LATER, false).is_ok());
    assert_eq!(
        codes(validate("p", &draft(Some(4), &"a".repeat(5001)), 0.0, LATER, false)),
        vec![("body", ErrorCode::BodyTooLong)]
    );
}

#[test]
fn title_at_most_120_and_nickname_2_to_40() {
    let mut d = draft(Some(3), "");
    d.title = "t".repeat(120);
    d.nickname = "Al".into();
    assert!(validate("p", &d, 0.0, LATER, false).is_ok());
    d.title = "t".repeat(121);
    d.nickname = "A".into();
    assert_eq!(
        codes(validate("p", &d, 0.0, LATER, false)),
        vec![("title", ErrorCode::TitleTooLong), ("nickname", ErrorCode::NicknameLength)]
    );
    d.title.clear();
    d.nickname = "n".repeat(41);
    assert_eq!(codes(validate("p", &d, 0.0, LATER, false)), vec![("nickname", ErrorCode::NicknameLength)]);
    d.nickname = "n".repeat(40);
    assert!(validate("p", &d, 0.0, LATER, false).is_ok());
}

#[test]
fn all_field_errors_come_at_once() {
    let d = ReviewDraft {
        rating: None,
        title: "x".repeat(200),
        body: "short".into(),
        nickname: "z".into(),
        ..Default::default()
    };
    assert_eq!(codes(validate("p", &d, 0.0, LATER, false)).len(), 4);
}

#[test]
fn anti_spam_honeypot_three_seconds_and_one_review_per_product() {
    let mut d = draft(Some(5), "");
    assert_eq!(codes(validate("p", &d, 1000.0, 3999.0, false)), vec![("form", ErrorCode::TooFast)]);
    assert!(validate("p", &d, 1000.0, 4000.0, false).is_ok(), "exactly 3 s is enough");
    assert_eq!(codes(validate("p", &d, 0.0, LATER, true)), vec![("form", ErrorCode::AlreadyReviewed)]);
    d.honeypot = "http://spam".into();
    assert_eq!(codes(validate("p", &d, 0.0, LATER, false)), vec![("form", ErrorCode::Spam)]);
}

#[test]
fn text_is_trimmed_and_scrubbed_of_contacts_cards_and_urls() {
    let d = ReviewDraft {
        rating: Some(2),
        title: "  Mal  ".into(),
        body: "Escribidme a ana@correo.es o al 612 345 678, pagué con 4111 1111 1111 1111, más en https://spam.example/x?y=1 y www.otra.es".into(),
        nickname: " Ana ".into(),
        recommend: Some(false),
        ..Default::default()
    };
    let r = validate("zap-1", &d, 0.0, LATER, false).unwrap();
    assert_eq!(r.title, "Mal");
    assert_eq!(r.nickname, "Ana");
    assert_eq!(r.body, "Escribidme a [email] o al [phone], pagué con [card], más en [url] y [url]");
    assert_eq!(
        r.to_props().to_json(),
        r#"{"product_id":"zap-1","rating":2,"title":"Mal","body":"Escribidme a [email] o al [phone], pagué con [card], más en [url] y [url]","nickname":"Ana","recommend":false}"#
    );
}

#[test]
fn languages_come_from_the_page_tag() {
    assert_eq!(Lang::from_tag("en-GB"), Lang::En);
    assert_eq!(Lang::from_tag("es"), Lang::Es);
    assert_eq!(Lang::from_tag(""), Lang::Es);
}

#[test]
fn the_answer_is_json_with_every_error_and_its_code() {
    assert_eq!(answer_json(&[]), r#"{"ok":true}"#);
    let errs = [
        FieldError { field: "rating", code: ErrorCode::RatingRequired },
        FieldError { field: "body", code: ErrorCode::BodyTooShort },
    ];
    assert_eq!(
        answer_json(&errs),
        r#"{"ok":false,"errors":[{"field":"rating","code":"rating_required"},{"field":"body","code":"body_too_short"}]}"#
    );
}
