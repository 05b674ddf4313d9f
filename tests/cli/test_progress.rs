//! Progress reporting: importing a directory into a pipe draws no progress
//! bar (no carriage return, no escape sequence) and writes to stderr only
//! the store's creation and the warnings.

use crate::common::TestEnv;
use crate::common::fixtures::{after_dated, diff_fixture_text, september_2025};

#[test]
fn importing_a_directory_draws_no_progress_bar_into_a_pipe() {
    let env = TestEnv::new();
    env.write("eds/2024-04.md", diff_fixture_text("new-year", "before.md"));
    env.write("eds/2025-03.md", diff_fixture_text("new-year", "after.md"));
    env.write("eds/2025-09.md", september_2025());
    env.write("eds/2025-12.md", after_dated("December 2025"));
    let out = env.ok(&["import", "eds"]);
    assert_eq!(
        out.stdout.matches("Imported edition ").count(),
        4,
        "{}",
        out.stdout
    );
    for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        assert!(
            !text.contains('\r'),
            "{stream} has a carriage return: {text:?}"
        );
        assert!(!text.contains('\u{1b}'), "{stream} has an escape: {text:?}");
    }
    // stderr holds the store's creation, the warnings and what to run
    // next, nothing else.
    for line in out.stderr.lines() {
        assert!(
            line == "Created edition store livedoc.git"
                || line.starts_with("warning: eds/")
                || line.starts_with("Next: livedoc diff "),
            "{line:?}"
        );
    }
}
