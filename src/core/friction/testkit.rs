//! Helpers for the detectors' tests: terse inputs and the driving rule for one detector.

use super::*;

pub fn at(t: f64, kind: InputKind) -> Input {
    Input { t, kind }
}

pub fn target(sel: &str) -> Target {
    Target { sel: sel.to_string(), tag: "button".into(), ..Target::default() }
}

pub fn click(t: f64, x: f64, y: f64, sel: &str) -> Input {
    at(t, InputKind::Click { x, y, target: target(sel), mods: false })
}

pub fn click_on(t: f64, x: f64, y: f64, target: Target) -> Input {
    at(t, InputKind::Click { x, y, target, mods: false })
}

pub fn page(t: f64, url: &str) -> Input {
    at(t, InputKind::Page { url: url.to_string(), nav: PageNav::Navigate })
}

pub fn end(t: f64) -> Input {
    at(t, InputKind::End)
}

/// Drives one detector: deadlines `<= t` fire before each input.
pub fn run(d: &mut dyn Detector, inputs: &[Input]) -> Vec<Finding> {
    let mut out = Vec::new();
    for i in inputs {
        while let Some(dl) = d.poll_timeout() {
            if dl > i.t {
                break;
            }
            d.handle_timeout(dl, &mut out);
        }
        d.handle(i, &mut out);
    }
    out
}

/// `(signal, at)` of each finding.
pub fn ats(f: &[Finding]) -> Vec<f64> {
    f.iter().map(|x| x.at).collect()
}
