use super::*;

#[test]
fn emails_become_placeholders() {
    assert_eq!(scrub_text("write to john.doe+tag@shop.example.com now"), "write to [email] now");
    assert_eq!(scrub_text("a@b.co"), "[email]");
    assert_eq!(scrub_text("mail: ANA_99@Correo.ES."), "mail: [email].");
    assert_eq!(scrub_text("ñandú@dominio.es"), "[email]");
}

#[test]
fn things_that_are_not_emails_stay() {
    for s in ["@handle", "a@b", "user@localhost", "price 79.95 €", "v1.2.3", "x@y.1"] {
        assert_eq!(scrub_text(s), s);
    }
}

#[test]
fn luhn_canonical_cases() {
    let d = |s: &str| s.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect::<Vec<_>>();
    for valid in [
        "79927398713",
        "4111111111111111",
        "5500000000000004",
        "340000000000009",
        "6011000000000004",
        "4012888888881881",
        "3530111333300000",
        "0",
    ] {
        assert!(luhn(&d(valid)), "{valid}");
    }
    for invalid in [
        "79927398710",
        "79927398711",
        "79927398712",
        "79927398714",
        "79927398715",
        "79927398716",
        "79927398717",
        "79927398718",
        "79927398719",
        "4111111111111112",
        "1234567812345678",
    ] {
        assert!(!luhn(&d(invalid)), "{invalid}");
    }
}

#[test]
fn card_numbers_passing_luhn_become_placeholders() {
    assert_eq!(scrub_text("card 4111 1111 1111 1111 ok"), "card [card] ok");
    assert_eq!(scrub_text("4111-1111-1111-1111"), "[card]");
    assert_eq!(scrub_text("5500000000000004"), "[card]");
    assert_eq!(scrub_text("amex 3400 000000 00009"), "amex [card]");
    assert_eq!(scrub_text("19 digits 4000000000000000006"), "19 digits [card]");
}

#[test]
fn long_numbers_failing_luhn_are_still_removed_as_phones_when_short_enough() {
    // 16 digits, not Luhn: not a card; over 15 digits: not a phone either → kept (an id).
    assert_eq!(scrub_text("ref 4111111111111112"), "ref 4111111111111112");
    // 13 digits, not Luhn → a phone-length number: removed.
    assert_eq!(scrub_text("1763894000000"), "[phone]");
}

#[test]
fn phone_numbers_become_placeholders() {
    assert_eq!(scrub_text("llama al +34 612 345 678"), "llama al [phone]");
    assert_eq!(scrub_text("(555) 123-4567"), "[phone]");
    assert_eq!(scrub_text("tel 612345678."), "tel [phone].");
    assert_eq!(scrub_text("+1-202-555-0143"), "[phone]");
    assert_eq!(scrub_text("0034.612.345.678"), "[phone]");
}

#[test]
fn ordinary_numbers_stay() {
    for s in [
        "79.95",
        "Total 1.299,00 €",
        "2026-11-23",
        "12345",
        "order 12345678",
        "size 42",
        "3 x 20",
        "v2.10.3",
        "abc123456789",
    ] {
        assert_eq!(scrub_text(s), s, "{s}");
    }
}

#[test]
fn ibans_with_valid_checksums_become_placeholders() {
    let valid = [
        "DE89 3704 0044 0532 0130 00",
        "DE89370400440532013000",
        "GB82 WEST 1234 5698 7654 32",
        "FR14 2004 1010 0505 0001 3M02 606",
        "ES91 2100 0418 4502 0005 1332",
        "NL91ABNA0417164300",
        "IT60X0542811101000000123456",
        "BE68539007547034",
        "CH9300762011623852957",
        "AT611904300234573201",
        "PT50000201231234567890154",
        "PL61109010140000071219812874",
        "SE4550000000058398257466",
        "NO9386011117947",
    ];
    for iban in valid {
        let chars: Vec<char> = iban.chars().filter(|c| *c != ' ').collect();
        assert!(iban_valid(&chars), "{iban}");
        assert_eq!(scrub_text(&format!("IBAN: {iban}.")), "IBAN: [iban].", "{iban}");
    }
    for invalid in ["DE89 3704 0044 0532 0130 01", "GB82 WEST 1234 5698 7654 33", "ES00 2100 0418 4502 0005 1332"] {
        let chars: Vec<char> = invalid.chars().filter(|c| *c != ' ').collect();
        assert!(!iban_valid(&chars), "{invalid}");
        assert!(!scrub_text(invalid).contains("[iban]"), "{invalid}");
    }
}

#[test]
fn sensitive_query_values_are_redacted_and_others_scrubbed() {
    assert_eq!(scrub_url("/checkout?email=ana%40x.es&step=2"), "/checkout?email=[redacted]&step=2");
    assert_eq!(
        scrub_url("/r?token=abc&api_key=1&promoCode=X&keyword=shoes"),
        "/r?token=[redacted]&api_key=[redacted]&promoCode=[redacted]&keyword=shoes"
    );
    assert_eq!(
        scrub_url("/p?gclid=Cj0KCQ&fbclid=IwAR&msclkid=77&utm_source=news"),
        "/p?gclid=[redacted]&fbclid=[redacted]&msclkid=[redacted]&utm_source=news"
    );
    assert_eq!(scrub_url("/search?q=ana%40x.es"), "/search?q=[email]");
    assert_eq!(scrub_url("/search?q=call+612+345+678"), "/search?q=call%20[phone]");
    assert_eq!(scrub_url("/u/ana%40x.es/orders"), "/u/[email]/orders");
    assert_eq!(scrub_url("/u/ana@x.es?session_id=9#frag"), "/u/[email]?session_id=[redacted]#frag");
    assert_eq!(scrub_url("/product.html?id=zap-1"), "/product.html?id=zap-1");
    assert_eq!(scrub_url("/a?flag&x="), "/a?flag&x=");
}

#[test]
fn extra_keys_are_configurable() {
    let s = Scrubber { extra_keys: vec!["member".into()] };
    assert_eq!(s.url("/a?member=77&other=1"), "/a?member=[redacted]&other=1");
    assert_eq!(s.text("x@y.io"), "[email]");
}

#[test]
fn percent_decoding_leaves_broken_escapes() {
    assert_eq!(percent_decode("a%4"), "a%4");
    assert_eq!(percent_decode("a%zz%41+b"), "a%zzA b");
}
