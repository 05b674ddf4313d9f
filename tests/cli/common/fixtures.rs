//! The synthetic fixture files under `tests/fixtures/`, read, and the
//! drafts the tests derive from them (each change spelled out with
//! `replace_once`).

use std::path::Path;

use crate::common::replace_once;

/// The diff fixture pairs, one directory per case holding `before.md` and
/// `after.md` (written by `scripts/fixtures/make-diff-fixtures`).
pub const DIFF_FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/diff");

/// The text of a file; a failure names the file.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The bytes of `<case>/<file>` of the diff fixture pairs.
pub fn diff_fixture(case: &str, file: &str) -> Vec<u8> {
    let path = Path::new(DIFF_FIXTURES).join(case).join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text of `<case>/<file>` of the diff fixture pairs.
pub fn diff_fixture_text(case: &str, file: &str) -> String {
    read(&Path::new(DIFF_FIXTURES).join(case).join(file))
}

/// A pairing overrides file: a comment, then each `(kind, old, new)` as a
/// four-line block, so that entry `i` (from 0) has `old` at line `4 + 4i`
/// and `new` at line `5 + 4i`.
pub fn pairs_toml(entries: &[(&str, &str, &str)]) -> String {
    let mut s = String::from("# Pairing overrides (synthetic test)\n");
    for (kind, old, new) in entries {
        s.push_str(&format!("\n[[{kind}]]\nold = \"{old}\"\nnew = \"{new}\"\n"));
    }
    s
}

/// `new-year/after.md` six months on: the second observation on firearms
/// reworded, the third removed.
pub fn september_2025() -> String {
    let after = diff_fixture_text("new-year", "after.md");
    let text = replace_once(&after, "Vienna, March 2025", "Vienna, September 2025");
    let text = replace_once(
        &text,
        "States should strengthen the tracing of firearms across borders.",
        "States should strengthen the tracing of firearms and ammunition across borders.",
    );
    replace_once(
        &text,
        "\nStates should support civil society in collecting data on illicit firearms.\n",
        "\n",
    )
}

/// `new-year/after.md` dated `date` (such as "June 2025").
pub fn after_dated(date: &str) -> String {
    replace_once(
        &diff_fixture_text("new-year", "after.md"),
        "Vienna, March 2025",
        &format!("Vienna, {date}"),
    )
}
