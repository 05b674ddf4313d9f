//! livedoc keeps every edition of a living document as a structured
//! snapshot in a git repository and tells people exactly what changed
//! between editions.
//!
//! # Module map
//!
//! Data flows through the modules in this order; each stage hands a plain
//! type to the next, and uses only the stages before it (the layers are
//! enforced by a test, `layers.rs`, and described in docs/development.md).
//!
//! 1. [`model`]: the plain types of an edition (parts, meetings, items).
//!    No serde: it is free to change.
//! 2. Core helpers over the model: [`text`] (how texts are compared and
//!    counted in words), [`rules`] (the version of the parsing and
//!    matching rules an edition was cut with, so that verify replays
//!    them), [`ids`] (edition ids and the tags they name, edition specs
//!    such as `latest~1`, permanent item ids), [`diagnostic`] (findings
//!    with a place) and [`files`] (whole-file writes); and [`profile`],
//!    the grammar of the compilation (parts, year lines, meeting
//!    headings, symbols, labels, front matter, the words for parts and
//!    items) that the readers, the checks and the writers all read.
//! 3. [`parse`]: Markdown and Word → [`model::Edition`]; [`parse::check`]
//!    gives a draft's errors and warnings.
//! 4. [`diff`]: two editions → [`diff::EditionDiff`] (matching, carried
//!    ids, word changes); [`diff::overrides`] reads the secretariat's
//!    `[[same]]` / `[[different]]` pairings.
//! 5. [`store`]: editions in a bare git repository. What a snapshot holds
//!    is a versioned record ([`store::records`], read forever once
//!    released), converted explicitly to and from the in-memory
//!    [`store::snapshot`] types; also the ledger, the writers' lock and
//!    tag signing. [`store::audit`] proves a store unaltered,
//!    [`store::repair`] completes interrupted imports and
//!    [`store::sync`] pushes and pulls stores.
//! 6. [`history`]: trace, blame and the changelog across stored editions.
//! 7. [`render`]: text, Markdown, HTML, Word and the JSON views (the
//!    printed contract, types of their own), all worded through
//!    [`render::describe`].
//! 8. [`site`]: the static reader website, built from the same reports.
//!
//! The binary's `cli` module is the only place that touches clap, stdout,
//! stderr and exit codes.

pub mod diagnostic;
pub mod diff;
pub mod files;
pub mod history;
pub mod ids;
pub mod model;
pub mod parse;
pub mod profile;
pub mod render;
pub mod rules;
pub mod site;
pub mod store;
pub mod text;

#[cfg(test)]
mod testgen;

#[cfg(test)]
mod layers;
