//! **vital** — every `vital` input is rated like web-vitals: `poor` when value > poor limit,
//! `needs-improvement` when value > good limit, else `good`. Limits (good, poor): LCP
//! 2500/4000 ms, INP 200/500 ms, CLS 0.1/0.25, FCP 1800/3000 ms, TTFB 800/1800 ms. Fields: `at`,
//! `name`, `value`, `rating`.

use super::{Detector, Finding, Input, InputKind, VitalName};
use crate::core::value::Value;

/// (good, poor) limits of a metric.
pub fn limits(name: VitalName) -> (f64, f64) {
    match name {
        VitalName::Lcp => (2500.0, 4000.0),
        VitalName::Inp => (200.0, 500.0),
        VitalName::Cls => (0.1, 0.25),
        VitalName::Fcp => (1800.0, 3000.0),
        VitalName::Ttfb => (800.0, 1800.0),
    }
}

/// The web-vitals rating of a value.
pub fn rate(name: VitalName, value: f64) -> &'static str {
    let (good, poor) = limits(name);
    if value > poor {
        "poor"
    } else if value > good {
        "needs-improvement"
    } else {
        "good"
    }
}

/// The vitals rater.
#[derive(Default)]
pub struct Vital;

impl Vital {
    /// A rater.
    pub fn new() -> Vital {
        Vital
    }
}

impl Detector for Vital {
    fn handle(&mut self, input: &Input, out: &mut Vec<Finding>) {
        if let InputKind::Vital { name, value } = input.kind {
            out.push(Finding {
                signal: "vital",
                at: input.t,
                fields: vec![
                    ("name", Value::Str(name.as_str().to_string())),
                    ("value", Value::Num(value)),
                    ("rating", Value::Str(rate(name, value).to_string())),
                ],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;

    // "poor when value > poor limit, needs-improvement when value > good limit, else good"
    #[test]
    fn each_limit_is_exact() {
        let cases = [
            (VitalName::Lcp, 2500.0, "good"),
            (VitalName::Lcp, 2500.1, "needs-improvement"),
            (VitalName::Lcp, 4000.0, "needs-improvement"),
            (VitalName::Lcp, 4000.1, "poor"),
            (VitalName::Inp, 200.0, "good"),
            (VitalName::Inp, 201.0, "needs-improvement"),
            (VitalName::Inp, 500.0, "needs-improvement"),
            (VitalName::Inp, 501.0, "poor"),
            (VitalName::Cls, 0.1, "good"),
            (VitalName::Cls, 0.11, "needs-improvement"),
            (VitalName::Cls, 0.25, "needs-improvement"),
            (VitalName::Cls, 0.2501, "poor"),
            (VitalName::Fcp, 1800.0, "good"),
            (VitalName::Fcp, 1800.5, "needs-improvement"),
            (VitalName::Fcp, 3000.0, "needs-improvement"),
            (VitalName::Fcp, 3001.0, "poor"),
            (VitalName::Ttfb, 800.0, "good"),
            (VitalName::Ttfb, 801.0, "needs-improvement"),
            (VitalName::Ttfb, 1800.0, "needs-improvement"),
            (VitalName::Ttfb, 1800.1, "poor"),
            (VitalName::Lcp, 0.0, "good"),
        ];
        for (name, value, rating) in cases {
            assert_eq!(rate(name, value), rating, "{name:?} {value}");
        }
    }

    // "every vital input ... Fields: at, name, value, rating"
    #[test]
    fn every_vital_is_reported_with_its_fields() {
        let f = run(
            &mut Vital::new(),
            &[
                at(5.0, InputKind::Vital { name: VitalName::Cls, value: 0.3 }),
                at(6.0, InputKind::Vital { name: VitalName::Lcp, value: 1200.0 }),
            ],
        );
        assert_eq!(f[0].to_value().to_json(), r#"{"signal":"vital","at":5,"name":"CLS","value":0.3,"rating":"poor"}"#);
        assert_eq!(f[1].to_value().to_json(), r#"{"signal":"vital","at":6,"name":"LCP","value":1200,"rating":"good"}"#);
    }
}
