//! The synthetic fixture files under `tests/fixtures/`, read.

use std::path::Path;

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
