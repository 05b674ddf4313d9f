//! End-to-end tests of the `livedoc` command line: the real binary, run
//! hermetically in a temporary directory, checked through its output and
//! through plain `git` reading the store it writes.
//!
//! Snapshots live in `tests/cli/snapshots/`; after an intended change of
//! output, run `INSTA_UPDATE=always cargo test --test cli` (or
//! `cargo insta review`) and read the diff before committing it.

mod common;
mod test_akn;
mod test_bad_input;
mod test_blame;
mod test_changelog;
mod test_check;
mod test_concurrency;
mod test_crash;
mod test_diff_arguments;
mod test_diff_cases;
mod test_diff_formats;
mod test_docs;
mod test_first_run;
mod test_fixture_store;
mod test_golden_stores;
mod test_help;
mod test_history_truth;
mod test_hostile_markdown;
mod test_hostile_remotes;
mod test_hostile_verify;
mod test_hostile_word;
mod test_import;
mod test_integrity;
mod test_json_schemas;
mod test_lock;
mod test_log_show;
mod test_man;
mod test_overrides;
mod test_pdf;
mod test_plain_git;
mod test_progress;
mod test_push_pull;
mod test_redline;
mod test_reliability;
mod test_remotes;
mod test_signed_tags;
mod test_site;
mod test_site_reader;
mod test_site_scale;
mod test_standalone_verifier;
mod test_store_engine;
mod test_trace;
mod test_verify;
mod test_whatsnew;
mod test_word;
mod test_word_bad_input;
mod test_word_processor;
mod test_workflow;
