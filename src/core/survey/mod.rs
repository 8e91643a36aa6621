//! Surveys: definitions (validated with errors naming the field), branching, answers, targeting
//! and caps. Everything here is a decision; the browser edge only renders and reports.

pub mod caps;
pub mod definition;
pub mod engine;
pub mod read;
pub mod targeting;

pub use caps::{Caps, History, ShowPolicy};
pub use definition::{Answer, Branch, Next, Question, QuestionKind, SurveyDef};
pub use engine::{Engine, Probe, Record, Step};
pub use targeting::{Context, Targeting, UrlRule};

#[cfg(test)]
mod tests;
