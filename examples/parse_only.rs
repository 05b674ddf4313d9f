//! The floor for benchmark B4 (`scripts/bench`): read one Markdown file
//! and run pulldown-cmark over it exactly as livedoc's parser does (no
//! extensions, with source offsets), doing nothing with the events but
//! count them. The count is printed so that the work cannot be optimised
//! away.
//!
//! ```text
//! cargo run --release --example parse_only -- edition.md
//! ```

use pulldown_cmark::{Options, Parser};

fn main() {
    let mut args = std::env::args_os().skip(1);
    let (Some(path), None) = (args.next(), args.next()) else {
        eprintln!("usage: parse_only FILE.md");
        std::process::exit(2)
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("parse_only: cannot read {}: {e}", path.to_string_lossy());
            std::process::exit(1)
        }
    };
    let Ok(src) = std::str::from_utf8(&bytes) else {
        eprintln!("parse_only: {} is not UTF-8", path.to_string_lossy());
        std::process::exit(1)
    };
    let mut events = 0usize;
    let mut end = 0usize;
    for (_event, range) in Parser::new_ext(src, Options::empty()).into_offset_iter() {
        events += 1;
        end = end.max(range.end);
    }
    println!("{events} events over {end} bytes");
}
