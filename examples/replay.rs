//! Replays a recorded trace (JSON Lines, the SIGNALS.md format) through the very same friction
//! detectors the browser uses and prints one JSON finding per line on stdout.
//!
//! ```sh
//! cargo run --example replay -- tests/fixtures/rage_click.trace.jsonl
//! cargo run --example replay -- - < trace.jsonl
//! ```
//! A malformed line is reported on stderr with its line number, and the exit code is 2.

use std::io::{Read, Write};

use vitrina::core::friction::trace::replay_to_jsonl;
use vitrina::core::friction::FrictionConfig;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: replay FILE   (FILE may be - for standard input)");
        std::process::exit(2);
    };
    let mut text = String::new();
    let read = if path == "-" {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(&path).map(|t| text = t)
    };
    if let Err(e) = read {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    }
    match replay_to_jsonl(&text, &FrictionConfig::default()) {
        Ok(out) => {
            let _ = std::io::stdout().write_all(out.as_bytes());
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    }
}
