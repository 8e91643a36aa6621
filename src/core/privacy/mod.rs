//! Privacy: scrubbing personal data out of every string before anything is queued.

pub mod scrub;

pub use scrub::{scrub_text, scrub_url, Scrubber};
