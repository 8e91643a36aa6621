//! The platform-free core of Vitrina.
//!
//! Nothing in here depends on a browser crate (a test in `tests/core_is_platform_free.rs`
//! fails if it ever does). Time and randomness come in as arguments, so the same inputs always
//! give the same outputs and every test replays exactly.

pub mod config;
pub mod event;
pub mod friction;
pub mod json;
pub mod outbox;
pub mod personalize;
pub mod privacy;
pub mod review;
pub mod rng;
pub mod sdk;
pub mod survey;
pub mod url;
pub mod value;

pub use config::{Config, ConfigError};
pub use sdk::{Action, Nav, Sdk, Transport};
pub use value::Value;
