//! Reading survey definitions with or without explanations. One reader serves both: the
//! [`Validator`] (the collector at start-up, `init`'s config, tests) keeps the first problem as a
//! message naming the field; [`Lenient`] keeps nothing, so in the browser's wasm the messages and
//! the paths are never built (a definition that does not read is skipped and counted).

use crate::core::value::{write_num, write_str, write_u64, Value};

/// Where in a definition a value sits; rendered only when something is wrong.
#[derive(Clone, Copy)]
pub enum At<'a> {
    /// The start (`surveys`, `surveys[0]`).
    Root(&'a str),
    /// `parent.key`.
    Key(&'a At<'a>, &'static str),
    /// `parent[i]`.
    Index(&'a At<'a>, usize),
}

impl<'a> At<'a> {
    /// `self.key`.
    pub fn key(&'a self, key: &'static str) -> At<'a> {
        At::Key(self, key)
    }

    /// `self[i]`.
    pub fn index(&'a self, i: usize) -> At<'a> {
        At::Index(self, i)
    }

    /// Writes the path (`surveys[0].questions[1].type`).
    pub fn render(&self, out: &mut String) {
        match self {
            At::Root(s) => out.push_str(s),
            At::Key(p, k) => {
                p.render(out);
                out.push('.');
                out.push_str(k);
            }
            At::Index(p, i) => {
                p.render(out);
                out.push('[');
                write_u64(*i as u64, out);
                out.push(']');
            }
        }
    }
}

/// Where a reader's complaints go.
pub trait Report {
    /// `at` is not what was expected; `got` is what was there (`None`: nothing), when known.
    fn fail(&mut self, at: &At, expected: &'static str, got: Option<Option<&Value>>);
}

/// Keeps the first problem as `path: expected X[, got Y]`.
#[derive(Default)]
pub struct Validator {
    /// The message, once something failed.
    pub error: Option<String>,
}

impl Report for Validator {
    fn fail(&mut self, at: &At, expected: &'static str, got: Option<Option<&Value>>) {
        if self.error.is_some() {
            return;
        }
        let mut m = String::new();
        at.render(&mut m);
        m.push_str(": expected ");
        m.push_str(expected);
        if let Some(got) = got {
            m.push_str(", got ");
            match got {
                None => m.push_str("nothing"),
                Some(Value::Str(s)) => write_str(s, &mut m),
                Some(Value::Num(n)) => write_num(*n, &mut m),
                Some(v) => m.push_str(v.kind()),
            }
        }
        self.error = Some(m);
    }
}

/// Keeps nothing.
pub struct Lenient;

impl Report for Lenient {
    #[inline(always)]
    fn fail(&mut self, _: &At, _: &'static str, _: Option<Option<&Value>>) {}
}

/// Runs a reader with the [`Validator`]: the value, or the first problem's message.
pub fn validate<T>(read: impl FnOnce(&mut Validator) -> Option<T>) -> Result<T, String> {
    let mut v = Validator::default();
    match read(&mut v) {
        Some(t) => Ok(t),
        None => Err(v.error.unwrap_or_else(|| String::from("survey: expected a valid definition"))),
    }
}
