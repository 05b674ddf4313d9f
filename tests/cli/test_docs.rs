//! The documentation holds together: every page under docs/ is reachable
//! from the README, every relative link points at a file that exists, and
//! the README's quick start is exactly the two commands `.ci/run` relies on.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The relative link targets of a Markdown file (anchors dropped).
fn links(file: &Path) -> Vec<PathBuf> {
    let text = std::fs::read_to_string(file).expect("a doc page");
    let dir = file.parent().expect("a directory");
    let mut out = Vec::new();
    for (at, _) in text.match_indices("](") {
        let rest = &text[at + 2..];
        let Some(end) = rest.find(')') else { continue };
        let target = &rest[..end];
        if target.starts_with("http") || target.starts_with('#') || target.starts_with("mailto:") {
            continue;
        }
        let path = target.split('#').next().unwrap_or_default();
        if !path.is_empty() {
            out.push(dir.join(path));
        }
    }
    out
}

#[test]
fn every_doc_page_is_reachable_and_every_link_resolves() {
    let readme = Path::new(ROOT).join("README.md");
    let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
    let mut queue = vec![readme];
    while let Some(page) = queue.pop() {
        let page = page
            .canonicalize()
            .unwrap_or_else(|_| panic!("{} exists", page.display()));
        if !seen.insert(page.clone()) {
            continue;
        }
        for target in links(&page) {
            assert!(
                target.exists(),
                "{} links to {}, which does not exist",
                page.display(),
                target.display()
            );
            if target.extension().is_some_and(|e| e == "md") && target.starts_with(ROOT) {
                queue.push(target);
            }
        }
    }
    let docs = Path::new(ROOT).join("docs");
    let mut stack = vec![docs];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("docs/").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                let p = p.canonicalize().expect("a page");
                assert!(
                    seen.contains(&p),
                    "{} is not reachable from the README",
                    p.display()
                );
            }
        }
    }
}

#[test]
fn the_quick_start_is_two_commands() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).expect("README");
    let quick = readme
        .split("## Quick start")
        .nth(1)
        .expect("a quick start");
    let block = quick.split("```sh\n").nth(1).expect("a sh block");
    let block = block.split("```").next().expect("its end");
    let commands: Vec<&str> = block
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        commands,
        ["cargo run --release -- import editions/", "cargo test"]
    );
    let ci = std::fs::read_to_string(Path::new(ROOT).join(".ci/run")).expect(".ci/run");
    assert!(
        ci.contains("cargo test --locked"),
        "CI runs the README's test command"
    );
}
