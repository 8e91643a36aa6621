//! Consent: what the shopper agreed to, and what follows from it.
//!
//! - `consent_mode: "opt_out"` (default): analytics run unless refused.
//! - `consent_mode: "opt_in"`: nothing is stored or sent before the shopper agrees; events wait in
//!   memory and are dropped if consent is refused.
//! - Global Privacy Control (`navigator.globalPrivacyControl`) or Do Not Track make the SDK
//!   behave as refused, unless the shop sets `honor_gpc: false` — or the shopper explicitly
//!   agrees through the shop's consent banner (`setConsent({ analytics: true })`).
//!
//! Purposes: `analytics` (events), `personalization` (the on-device profile), `surveys`.

use crate::core::value::Value;

/// How consent works before the shopper decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsentMode {
    /// Nothing before an explicit yes.
    OptIn,
    /// Everything until an explicit no.
    OptOut,
}

/// The shopper's decisions (`None`: not decided yet).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Consent {
    /// Events may be stored and sent.
    pub analytics: Option<bool>,
    /// The on-device profile may be kept.
    pub personalization: Option<bool>,
    /// Surveys may be shown.
    pub surveys: Option<bool>,
}

fn flag(c: Option<bool>) -> char {
    match c {
        Some(true) => '1',
        Some(false) => '0',
        None => '-',
    }
}

fn unflag(c: Option<char>) -> Option<bool> {
    match c {
        Some('1') => Some(true),
        Some('0') => Some(false),
        _ => None,
    }
}

impl Consent {
    /// The stored form: `v1:` then one of `1`, `0`, `-` per purpose (analytics, personalization,
    /// surveys).
    pub fn serialize(&self) -> String {
        let mut s = String::from("v1:");
        s.push(flag(self.analytics));
        s.push(flag(self.personalization));
        s.push(flag(self.surveys));
        s
    }

    /// Reads [`Consent::serialize`]'s form; anything else is "not decided".
    pub fn parse(stored: &str) -> Consent {
        let Some(rest) = stored.strip_prefix("v1:") else { return Consent::default() };
        let mut c = rest.chars();
        Consent { analytics: unflag(c.next()), personalization: unflag(c.next()), surveys: unflag(c.next()) }
    }

    /// Applies `setConsent({ analytics, personalization, surveys })`: booleans set a purpose,
    /// missing or `null` keep it. Anything else is an error and changes nothing.
    pub fn update(&mut self, v: &Value) -> Result<(), &'static str> {
        let Value::Obj(fields) = v else {
            return Err("setConsent: expected an object like { analytics: true }");
        };
        let mut next = *self;
        for (k, val) in fields {
            let slot = match k.as_str() {
                "analytics" => &mut next.analytics,
                "personalization" => &mut next.personalization,
                "surveys" => &mut next.surveys,
                _ => return Err("setConsent: known purposes are analytics, personalization, surveys"),
            };
            match val {
                Value::Bool(b) => *slot = Some(*b),
                Value::Null => {}
                _ => return Err("setConsent: each purpose must be true or false"),
            }
        }
        *self = next;
        Ok(())
    }

    /// Whether a purpose is allowed: `Some(true)` yes, `Some(false)` no, `None` not yet (opt-in,
    /// waiting for the shopper). An explicit decision always wins; otherwise a browser privacy
    /// signal (GPC/DNT) means no when honoured; otherwise the mode decides.
    pub fn allowed(
        decision: Option<bool>,
        mode: ConsentMode,
        privacy_signal: bool,
        honor_signal: bool,
    ) -> Option<bool> {
        match decision {
            Some(d) => Some(d),
            None if privacy_signal && honor_signal => Some(false),
            None if mode == ConsentMode::OptOut => Some(true),
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(fields: &[(&str, Value)]) -> Value {
        Value::Obj(fields.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    #[test]
    fn explicit_decisions_win_then_privacy_signals_then_the_mode() {
        use ConsentMode::*;
        assert_eq!(Consent::allowed(Some(true), OptIn, true, true), Some(true));
        assert_eq!(Consent::allowed(Some(false), OptOut, false, true), Some(false));
        assert_eq!(Consent::allowed(None, OptOut, true, true), Some(false), "GPC/DNT honoured");
        assert_eq!(Consent::allowed(None, OptOut, true, false), Some(true), "the shop chose to ignore GPC");
        assert_eq!(Consent::allowed(None, OptOut, false, true), Some(true));
        assert_eq!(Consent::allowed(None, OptIn, false, true), None, "opt-in waits");
        assert_eq!(Consent::allowed(None, OptIn, true, true), Some(false));
    }

    #[test]
    fn updates_are_partial_and_bad_ones_change_nothing() {
        let mut c = Consent::default();
        c.update(&obj(&[("analytics", Value::Bool(true))])).unwrap();
        c.update(&obj(&[("surveys", Value::Bool(false)), ("analytics", Value::Null)])).unwrap();
        assert_eq!(c, Consent { analytics: Some(true), personalization: None, surveys: Some(false) });
        assert!(c.update(&obj(&[("analytics", Value::Bool(false)), ("ads", Value::Bool(true))])).is_err());
        assert!(c.update(&obj(&[("analytics", Value::Str("yes".into()))])).is_err());
        assert!(c.update(&Value::Bool(true)).is_err());
        assert_eq!(c.analytics, Some(true), "a rejected update changes nothing");
    }

    #[test]
    fn the_stored_form_round_trips_and_garbage_is_undecided() {
        let c = Consent { analytics: Some(false), personalization: Some(true), surveys: None };
        assert_eq!(c.serialize(), "v1:01-");
        assert_eq!(Consent::parse(&c.serialize()), c);
        assert_eq!(Consent::parse("garbage"), Consent::default());
        assert_eq!(Consent::parse("v1:"), Consent::default());
    }
}
