//! livedoc keeps every edition of a living document as a structured
//! snapshot in a git repository and tells people exactly what changed
//! between editions.
//!
//! # Module map
//!
//! Data flows through the modules in this order; each stage hands a plain
//! type to the next.
//!
//! 1. [`model`]: the plain types of an edition (parts, meetings, items).
//!    No serde: it is free to change.
//! 2. [`parse`] (Markdown → [`model::Edition`]), with [`diagnostic`]
//!    (findings with a line) and [`check`] (a draft's errors and warnings).
//!    [`text`] holds how texts are compared (normal form, similarity), for
//!    the parser, `check` and the diff alike.
//! 3. [`ids`]: edition ids, edition specs (`latest~1`) and permanent item
//!    ids; [`overrides`]: the secretariat's `[[same]]` / `[[different]]`
//!    pairings.
//! 4. [`diff`]: two editions → [`diff::EditionDiff`] (matching, carried
//!    ids, word changes). [`rules`] names the version of the parsing and
//!    matching rules an edition was cut with, so that `verify` replays them.
//! 5. [`store`]: editions in a bare git repository. What a snapshot holds
//!    is a versioned record ([`store::records`], read forever once
//!    released), converted explicitly to and from the in-memory
//!    [`store::snapshot`] types; also the ledger, the writers' lock and
//!    tag signing. [`share`] pushes and pulls stores; [`verify`] proves a
//!    store unaltered and [`doctor`] completes interrupted imports.
//! 6. [`history`]: trace, blame and the changelog across stored editions.
//! 7. [`render`]: text, Markdown, HTML and the JSON views (the printed
//!    contract, types of their own), all worded through
//!    [`render::describe`].
//! 8. [`site`]: the static reader website, built from the same reports.
//!
//! The binary's `cli` module is the only place that touches clap, stdout,
//! stderr and exit codes.

pub mod check;
pub mod diagnostic;
pub mod diff;
pub mod doctor;
pub mod files;
pub mod history;
pub mod ids;
pub mod model;
pub mod overrides;
pub mod parse;
pub mod render;
pub mod rules;
pub mod share;
pub mod site;
pub mod store;
pub mod text;
pub mod verify;

#[cfg(test)]
mod testgen;
