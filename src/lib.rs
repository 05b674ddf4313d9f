//! livedoc keeps every edition of a living document as a structured
//! snapshot in a git repository and tells people exactly what changed
//! between editions.
//!
//! The modules follow the pipeline: [`model`] (the plain types) ←
//! [`parse`] (Markdown → model) → [`store`] (editions in git) →
//! [`render`] (text, Markdown, JSON).

pub mod check;
pub mod diagnostic;
pub mod diff;
pub mod doctor;
pub mod history;
pub mod ids;
pub mod model;
pub mod overrides;
pub mod parse;
pub mod render;
pub mod share;
pub mod site;
pub mod store;
pub mod verify;

#[cfg(test)]
mod testgen;
