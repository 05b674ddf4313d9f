//! A fuzz campaign against the importer, `check` and the semantic diff,
//! through the library API. Every campaign test is `#[ignore]`d: run them
//! with `scripts/fuzz` (release build, `FUZZ_CASES` cases each, default
//! 100,000), which is
//!
//! ```sh
//! FUZZ_CASES=100000 cargo test --release --test fuzz -- --ignored --nocapture --skip regression_
//! ```
//!
//! Inputs: random bytes; random sequences of the tokens this format is made
//! of (headings, emphasis, links, labels, symbols, part and year lines, dot
//! leaders, list markers, line-ending variants, a byte-order mark, NUL,
//! invalid UTF-8, long runs), free or as lines with a role, mostly after a
//! valid title page and meeting heading; and the real April 2024 edition
//! with random byte and line ranges deleted, duplicated, swapped, moved or
//! overwritten, tokens inserted and line endings changed.
//!
//! Properties: `parse` and `check` never panic; an import either succeeds
//! or fails with at least one error and a hint, and `check` agrees; every
//! finding names a line inside the file; a parsed edition's meeting keys
//! and item ids are unique, each has its line, and every renderer accepts
//! it; for two parsed editions `diff` never panics (either way round), its
//! counts account for every item and meeting of both editions (so items
//! added minus removed is the change in the number of items), the carried
//! ids are unique, every renderer accepts the report, and an edition
//! compared with itself shows no change. Each campaign prints what it did:
//! cases parsed and refused (by first error), the slowest case (written to
//! `target/tmp/`), the process's peak memory, and how often it met a known
//! bug; a failure prints its minimised input and writes it to `target/tmp/`.
//!
//! Known bugs in `src/` are the ignored `regression_*` tests (in
//! [`regressions`]), minimised from what the campaign found; the campaign
//! counts the cases that meet them rather than stopping at the first (the
//! script skips them; run them with
//! `cargo test --test fuzz regression_ -- --ignored`).
//!
//! The big-input tests (also ignored, run by the script) parse and check
//! documents of 50 MB, 100,000 meetings (with and without a table of
//! contents), lists nested 10,000 deep, 10 MB lines and headings made only
//! of symbols, one at a time, and print the time and the peak memory
//! (VmHWM, reset before each) of each, bounded at 2 GiB.
//!
//! The modules follow the campaign: [`inputs`] (the strategies),
//! [`properties`] (what every input must satisfy), [`campaign`] (the
//! campaign tests and their report), [`big_inputs`] and [`regressions`].

use livedoc::ids::EditionId;
use livedoc::parse::ParseOptions;
use proptest::prelude::*;

mod big_inputs;
mod campaign;
mod docx;
mod inputs;
mod properties;
mod regressions;

const REAL_EDITION: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/editions/2024-04.md");

pub(crate) fn real() -> Vec<u8> {
    std::fs::read(REAL_EDITION).expect("editions/2024-04.md is readable")
}

/// How many cases each campaign test runs: `FUZZ_CASES`, else 100,000.
pub(crate) fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|s| s.replace('_', "").parse().ok())
        .unwrap_or(100_000)
}

pub(crate) fn config() -> ProptestConfig {
    let mut c = ProptestConfig::with_cases(cases());
    // The runner is used directly (no source file to persist failures
    // beside); a failure prints its minimised input instead.
    c.failure_persistence = None;
    c
}

pub(crate) fn opts(id: &str) -> ParseOptions {
    ParseOptions {
        id: EditionId::new(id).expect("a valid id"),
        date: None,
        rules: Default::default(),
    }
}
