//! Vitrina: a storefront experience SDK written in Rust and compiled to WebAssembly.
//!
//! The crate has two halves:
//! - [`core`](crate::core) is platform-free and deterministic. It owns every decision (config
//!   validation, page-view rules, batching, retries) and is driven like a state machine: inputs
//!   come in with a timestamp, it says when it next wants to wake up, and it emits actions
//!   (send this batch, persist that id) for the caller to carry out.
//! - `web` (compiled only for `wasm32`) is the thin browser edge: it turns DOM events into core
//!   inputs and carries out the core's actions with `fetch`, `sendBeacon` and timers.
#![deny(missing_docs)]

pub mod core;

#[cfg(target_arch = "wasm32")]
mod web;

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod heap;

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: heap::Heap = heap::Heap::new();
