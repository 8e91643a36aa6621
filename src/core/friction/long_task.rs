//! **long_task** — a `longtask` of 50 ms or more. Fields: `at`, `duration`.

use super::{Detector, Finding, FrictionConfig, Input, InputKind};
use crate::core::value::Value;

/// The long-task detector.
pub struct LongTask {
    min: f64,
}

impl LongTask {
    /// A detector with `config`'s threshold.
    pub fn new(config: &FrictionConfig) -> LongTask {
        LongTask { min: config.long_task_min_ms }
    }
}

impl Detector for LongTask {
    fn handle(&mut self, input: &Input, out: &mut Vec<Finding>) {
        if let InputKind::LongTask { duration } = input.kind {
            if duration >= self.min {
                out.push(Finding {
                    signal: "long_task",
                    at: input.t,
                    fields: vec![("duration", Value::Num(duration))],
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;

    // "a longtask of 50 ms or more"
    #[test]
    fn fifty_ms_or_more_is_reported() {
        let lt = |t: f64, d: f64| at(t, InputKind::LongTask { duration: d });
        let f = run(&mut LongTask::new(&FrictionConfig::default()), &[lt(1.0, 49.9), lt(2.0, 50.0), lt(3.0, 180.5)]);
        assert_eq!(ats(&f), vec![2.0, 3.0]);
        assert_eq!(f[0].to_value().to_json(), r#"{"signal":"long_task","at":2,"duration":50}"#);
    }
}
