//! Privacy: scrubbing personal data out of every string before anything is queued.

pub mod consent;
pub mod scrub;

pub use consent::{Consent, ConsentMode};
pub use scrub::{scrub_text, scrub_url, Scrubber};
