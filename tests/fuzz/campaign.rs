//! The campaign: each test runs a property over a strategy for
//! `FUZZ_CASES` cases and prints what it did.

use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use livedoc::parse::{self, Parsed};
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestError, TestRunner};

use crate::big_inputs::{mib, peak_memory};
use crate::inputs::{Doc, Docs, SKELETON, mutated_real, token_doc, token_lines, tokens};
use crate::properties::{REFUSALS, check_diff, check_parse};
use crate::{cases, config, opts};

/// What a campaign test did, for its closing line.
#[derive(Default)]
struct Stats {
    parsed: AtomicUsize,
    refused: AtomicUsize,
    diffed: AtomicUsize,
    slowest_ns: AtomicU64,
    /// The documents of the slowest case.
    slowest: Mutex<Vec<Vec<u8>>>,
}

impl Stats {
    fn time<T>(&self, docs: &[&[u8]], f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let out = f();
        let ns = t.elapsed().as_nanos() as u64;
        if self.slowest_ns.fetch_max(ns, Ordering::Relaxed) < ns {
            *self.slowest.lock().unwrap_or_else(|e| e.into_inner()) =
                docs.iter().map(|d| d.to_vec()).collect();
        }
        out
    }

    fn count(&self, p: &Option<Parsed>) {
        match p {
            Some(_) => self.parsed.fetch_add(1, Ordering::Relaxed),
            None => self.refused.fetch_add(1, Ordering::Relaxed),
        };
    }
}

/// Writes documents to `target/tmp/NAME-N.md`; returns the paths.
fn write_out(name: &str, docs: &[&[u8]]) -> Vec<String> {
    let mut files = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{i}.md"));
        if std::fs::write(&path, d).is_ok() {
            files.push(path.display().to_string());
        }
    }
    files
}

/// Runs a property over a strategy for `cases()` cases and prints what it
/// did; a failure panics with the minimised input.
fn campaign<S: Strategy>(
    name: &str,
    strategy: S,
    property: impl Fn(S::Value, &Stats) -> Result<(), TestCaseError>,
) where
    S::Value: fmt::Debug + Docs,
{
    let started = Instant::now();
    let stats = Stats::default();
    let mut runner = TestRunner::new(config());
    let result = runner.run(&strategy, |v| property(v, &stats));
    let slowest = stats
        .slowest
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let slowest_refs: Vec<&[u8]> = slowest.iter().map(Vec::as_slice).collect();
    let slowest_files = write_out(&format!("{name}-slowest"), &slowest_refs);
    let line = format!(
        "{name}: {} cases in {:.1} s; {} parsed, {} refused, {} diffs; slowest case {:.1} ms ({} bytes, in {}); peak memory (process) {}",
        cases(),
        started.elapsed().as_secs_f64(),
        stats.parsed.load(Ordering::Relaxed),
        stats.refused.load(Ordering::Relaxed),
        stats.diffed.load(Ordering::Relaxed),
        Duration::from_nanos(stats.slowest_ns.load(Ordering::Relaxed)).as_secs_f64() * 1000.0,
        slowest.iter().map(Vec::len).sum::<usize>(),
        slowest_files.join(", "),
        peak_memory().map_or("unknown".to_string(), mib),
    );
    let refusals = REFUSALS.with(|r| {
        let r = r.borrow();
        let mut v: Vec<(&str, usize)> = r.iter().map(|(k, v)| (*k, *v)).collect();
        v.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
        v.iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    });
    println!("{line}");
    if !refusals.is_empty() {
        println!("{name}: refused by first error: {refusals}");
    }
    match result {
        Ok(()) => {}
        Err(TestError::Fail(reason, value)) => {
            let files = write_out(name, &value.docs());
            panic!(
                "{name} failed: {reason}\nminimal input (written to {}): {value:?}",
                files.join(", ")
            )
        }
        Err(TestError::Abort(reason)) => panic!("{name} aborted: {reason}"),
    }
}

/// Random bytes: the importer and `check` never panic and locate every
/// finding inside the file.
#[test]
#[ignore = "fuzz campaign: run with scripts/fuzz"]
fn fuzz_parse_random_bytes() {
    campaign(
        "fuzz_parse_random_bytes",
        prop::collection::vec(any::<u8>(), 0..4096).prop_map(Doc),
        |d, stats| {
            let p = stats.time(&[&d.0], || check_parse(&d.0, "fuzz"))?;
            stats.count(&p);
            Ok(())
        },
    );
}

/// Sequences of the format's tokens, with or without a valid title page:
/// the importer and `check` never panic, findings are located inside the
/// file, parsed editions have unique ids and render.
#[test]
#[ignore = "fuzz campaign: run with scripts/fuzz"]
fn fuzz_parse_markdown_tokens() {
    campaign("fuzz_parse_markdown_tokens", token_doc(), |d, stats| {
        let p = stats.time(&[&d.0], || check_parse(&d.0, "fuzz"))?;
        stats.count(&p);
        Ok(())
    });
}

/// The real edition with random byte and line edits: as above.
#[test]
#[ignore = "fuzz campaign: run with scripts/fuzz"]
fn fuzz_parse_mutated_real_edition() {
    campaign(
        "fuzz_parse_mutated_real_edition",
        mutated_real(10),
        |d, stats| {
            let p = stats.time(&[&d.0], || check_parse(&d.0, "fuzz"))?;
            stats.count(&p);
            Ok(())
        },
    );
}

/// Two documents (edits of the real edition, or token sequences after a
/// valid title page): when both parse, `diff` never panics, its counts
/// account for every item and meeting of both editions, it renders in
/// every format, and each edition compared with itself shows no change.
#[test]
#[ignore = "fuzz campaign: run with scripts/fuzz"]
fn fuzz_diff_counts_are_consistent() {
    let skeleton_doc = || {
        prop_oneof![tokens(120), token_lines()].prop_map(|body| {
            let mut d = SKELETON.to_vec();
            d.extend(body);
            Doc(d)
        })
    };
    let pairs = prop_oneof![
        4 => (mutated_real(6), mutated_real(6)),
        1 => (skeleton_doc(), skeleton_doc()),
        1 => (mutated_real(4), skeleton_doc()),
    ];
    campaign("fuzz_diff_counts_are_consistent", pairs, |(a, b), stats| {
        stats.time(&[&a.0, &b.0], || {
            let old = parse_quietly(&a.0, "old")?;
            let new = parse_quietly(&b.0, "new")?;
            let (Some(old), Some(new)) = (old, new) else {
                stats.refused.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            };
            stats.parsed.fetch_add(1, Ordering::Relaxed);
            check_diff(&old.edition, &new.edition)?;
            check_diff(&new.edition, &old.edition)?;
            for e in [&old.edition, &new.edition] {
                let same = check_diff(e, e)?.summary;
                prop_assert!(
                    same.is_empty(),
                    "an edition compared with itself changed: {:?}",
                    same
                );
            }
            stats.diffed.fetch_add(4, Ordering::Relaxed);
            Ok(())
        })
    });
}

/// Parses without the full checks of `check_parse` (they have their own
/// campaigns), still failing on a panic.
fn parse_quietly(bytes: &[u8], id: &str) -> Result<Option<Parsed>, TestCaseError> {
    Ok(parse::parse(bytes, "fuzz.md", &opts(id)).ok())
}
