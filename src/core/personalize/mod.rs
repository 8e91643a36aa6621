//! On-device personalization: an affinity profile that never leaves the browser, re-ranking,
//! recommendations and content-slot choices. Pure logic: time and randomness come in as
//! arguments.

pub mod bandit;
pub mod profile;
pub mod rank;
pub mod slots;

pub use bandit::Bandit;
pub use profile::{AffinityProfile, Interaction, Product};
pub use rank::{rank, Catalog};
pub use slots::{rule_holds, Arm, Why};

#[cfg(test)]
mod tests;
