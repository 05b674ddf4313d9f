//! Exit codes, in one place.

use std::process::ExitCode;

/// Success; for `diff --exit-code`, no difference.
pub const SUCCESS: u8 = 0;
/// The command ran and found something: a difference (`diff --exit-code`),
/// violations (`verify`).
pub const FOUND: u8 = 1;
/// The command could not do its job: bad input, bad arguments, a broken
/// store.
pub const ERROR: u8 = 2;

pub fn code(c: u8) -> ExitCode {
    ExitCode::from(c)
}
