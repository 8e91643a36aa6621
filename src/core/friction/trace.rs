//! Trace reader (see mod docs).
