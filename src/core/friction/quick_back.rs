//! **quick_back** — the shopper goes from page A to page B and comes back to A's URL (any `nav`)
//! less than 10 000 ms after arriving on B. Pages compare by scrubbed path + query, without hash.
//! Fields: `at` = arrival back on A, `from` = B's path, `dwell_ms`.

use super::{Detector, Finding, FrictionConfig, Input, InputKind};
use crate::core::privacy::scrub_url;
use crate::core::url::PageUrl;
use crate::core::value::Value;

/// The quick-back state machine.
pub struct QuickBack {
    max_dwell: f64,
    /// The page before the current one (its identity).
    previous: Option<String>,
    /// The current page: identity, scrubbed path, arrival time.
    current: Option<(String, String, f64)>,
}

impl QuickBack {
    /// A detector with `config`'s limit.
    pub fn new(config: &FrictionConfig) -> QuickBack {
        QuickBack { max_dwell: config.quick_back_max_dwell_ms, previous: None, current: None }
    }
}

impl Detector for QuickBack {
    fn handle(&mut self, input: &Input, out: &mut Vec<Finding>) {
        let InputKind::Page { url, .. } = &input.kind else {
            return;
        };
        let u = PageUrl::parse(url);
        let identity = scrub_url(&u.identity());
        let path = scrub_url(u.path);
        if let Some((cur_id, cur_path, arrived)) = &self.current {
            if *cur_id == identity {
                return; // same page again (a reload or a replaceState): not a move
            }
            let dwell = input.t - arrived;
            if self.previous.as_deref() == Some(identity.as_str()) && dwell < self.max_dwell {
                out.push(Finding {
                    signal: "quick_back",
                    at: input.t,
                    fields: vec![("from", Value::Str(cur_path.clone())), ("dwell_ms", Value::Num(dwell))],
                });
            }
        }
        self.previous = self.current.take().map(|(id, _, _)| id);
        self.current = Some((identity, path, input.t));
    }

    /// `quick_back|PREVIOUS|CURRENT|CURRENT_PATH|ARRIVED_MS` (scrubbed identities; kept in
    /// sessionStorage so a multi-page shop's back navigation is seen across documents).
    fn save(&self) -> Option<String> {
        let (cur, path, arrived) = self.current.as_ref()?;
        let mut s = String::from("quick_back|");
        s.push_str(self.previous.as_deref().unwrap_or(""));
        s.push('|');
        s.push_str(cur);
        s.push('|');
        s.push_str(path);
        s.push('|');
        crate::core::value::write_u64(arrived.max(0.0).round() as u64, &mut s);
        Some(s)
    }

    fn restore(&mut self, state: &str) {
        let mut parts = state.split('|');
        if parts.next() != Some("quick_back") {
            return;
        }
        let (Some(prev), Some(cur), Some(path), Some(arrived)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return;
        };
        // Whole milliseconds, parsed by hand (float parsing would add ~15 KB to the wasm).
        if cur.is_empty() || arrived.is_empty() || arrived.len() > 15 || !arrived.bytes().all(|b| b.is_ascii_digit()) {
            return;
        }
        let arrived = arrived.bytes().fold(0f64, |acc, b| acc * 10.0 + (b - b'0') as f64);
        self.previous = (!prev.is_empty()).then(|| prev.to_string());
        self.current = Some((cur.to_string(), path.to_string(), arrived));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::super::PageNav;
    use super::*;

    fn det() -> QuickBack {
        QuickBack::new(&FrictionConfig::default())
    }

    // "goes from page A to page B and comes back to A's URL ... less than 10 000 ms after arriving on B"
    #[test]
    fn back_under_10_seconds_is_reported_with_its_fields() {
        let f = run(
            &mut det(),
            &[page(0.0, "https://s/cat?c=1"), page(1000.0, "https://s/p/9?ref=x"), page(10_999.0, "https://s/cat?c=1")],
        );
        assert_eq!(f[0].to_value().to_json(), r#"{"signal":"quick_back","at":10999,"from":"/p/9","dwell_ms":9999}"#);
        assert!(run(&mut det(), &[page(0.0, "/a"), page(1000.0, "/b"), page(11_000.0, "/a")]).is_empty());
    }

    // "(any nav)"
    #[test]
    fn any_navigation_kind_counts() {
        for nav in
            [PageNav::BackForward, PageNav::Pop, PageNav::Push, PageNav::Navigate, PageNav::Reload, PageNav::Replace]
        {
            let back = at(500.0, InputKind::Page { url: "/a".into(), nav });
            assert_eq!(run(&mut det(), &[page(0.0, "/a"), page(100.0, "/b"), back]).len(), 1, "{nav:?}");
        }
    }

    // "Pages compare by scrubbed path + query, without hash."
    #[test]
    fn pages_compare_by_scrubbed_path_and_query_without_hash() {
        assert_eq!(
            run(&mut det(), &[page(0.0, "/a?x=1#top"), page(100.0, "/b"), page(200.0, "/a?x=1#bottom")]).len(),
            1
        );
        assert!(run(&mut det(), &[page(0.0, "/a?x=1"), page(100.0, "/b"), page(200.0, "/a?x=2")]).is_empty());
        // sensitive values are redacted before comparing, so two tokens are the same page
        assert_eq!(run(&mut det(), &[page(0.0, "/a?token=1"), page(100.0, "/b"), page(200.0, "/a?token=2")]).len(), 1);
    }

    // multi-page shops: the history survives into the next document
    #[test]
    fn the_history_survives_a_page_load_through_save_and_restore() {
        let mut first = det();
        run(&mut first, &[page(1000.0, "/cat?c=1"), page(4000.0, "/p/9")]);
        let saved = first.save().unwrap();
        assert_eq!(saved, "quick_back|/cat?c=1|/p/9|/p/9|4000");
        let mut second = det();
        second.restore(&saved);
        let f = run(&mut second, &[page(9000.0, "/cat?c=1")]);
        assert_eq!(f[0].to_value().to_json(), r#"{"signal":"quick_back","at":9000,"from":"/p/9","dwell_ms":5000}"#);
        // garbage is ignored
        let mut third = det();
        for junk in ["", "x|y", "quick_back|a|b|c|nan", "quick_back|a||c|5", "quick_back|a|b|c|zz"] {
            third.restore(junk);
            assert!(third.save().is_none(), "{junk}");
        }
    }

    // going somewhere else, or only one hop, is not a quick back
    #[test]
    fn a_to_b_to_c_is_not_a_quick_back_and_b_must_differ_from_a() {
        assert!(run(&mut det(), &[page(0.0, "/a"), page(100.0, "/b"), page(200.0, "/c")]).is_empty());
        assert!(run(&mut det(), &[page(0.0, "/a"), page(100.0, "/a"), page(200.0, "/a")]).is_empty());
        // A, B, A, B: two quick backs (each return)
        let f = run(&mut det(), &[page(0.0, "/a"), page(100.0, "/b"), page(200.0, "/a"), page(300.0, "/b")]);
        assert_eq!(ats(&f), vec![200.0, 300.0]);
    }
}
