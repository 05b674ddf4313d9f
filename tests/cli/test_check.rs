//! `livedoc check`: every check fixture (one file per check, each
//! exercising that check alone) in text, with `--strict` and as JSON, with
//! each finding's code, line and severity; the real edition; files that
//! cannot be read; and `import`, which refuses every error `check` reports
//! and writes nothing, while warnings do not block it.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::contracts::assert_check_contract;
use crate::common::json::list;
use crate::common::{Output, TestEnv};

/// One file per check, each exercising that check alone.
const CHECK_FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/check");

/// `1 error`, `2 warnings`.
fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Clean,
    Warnings,
    Errors,
}

/// A check fixture, the findings it must give (code and line) and their
/// severity.
struct CheckCase {
    name: &'static str,
    expect: Expect,
    findings: &'static [(&'static str, Option<u64>)],
}

const CHECK_CASES: [CheckCase; 16] = [
    CheckCase {
        name: "clean",
        expect: Expect::Clean,
        findings: &[],
    },
    CheckCase {
        name: "doubled-word",
        expect: Expect::Warnings,
        findings: &[("doubled-word", Some(17))],
    },
    CheckCase {
        name: "empty-meeting",
        expect: Expect::Warnings,
        findings: &[("empty-meeting", Some(15))],
    },
    CheckCase {
        name: "item-outside-meeting",
        expect: Expect::Errors,
        findings: &[("item-outside-meeting", Some(15))],
    },
    CheckCase {
        name: "label-gap",
        expect: Expect::Warnings,
        findings: &[("label-gap", Some(21)), ("label-gap", Some(31))],
    },
    CheckCase {
        name: "label-order",
        expect: Expect::Warnings,
        findings: &[("label-order", Some(21))],
    },
    CheckCase {
        name: "no-final-punctuation",
        expect: Expect::Warnings,
        findings: &[("no-final-punctuation", Some(19))],
    },
    CheckCase {
        name: "no-parts",
        expect: Expect::Errors,
        findings: &[("no-parts", None)],
    },
    CheckCase {
        name: "page-artefact",
        expect: Expect::Warnings,
        findings: &[("page-artefact", Some(17))],
    },
    CheckCase {
        name: "page-break-paragraph",
        expect: Expect::Warnings,
        findings: &[("page-break-paragraph", Some(21))],
    },
    CheckCase {
        name: "repeated-label",
        expect: Expect::Errors,
        findings: &[("label-repeated", Some(21))],
    },
    CheckCase {
        name: "symbol-malformed",
        expect: Expect::Errors,
        findings: &[("symbol-malformed", Some(15))],
    },
    CheckCase {
        name: "symbol-missing",
        expect: Expect::Errors,
        findings: &[("symbol-missing", Some(15))],
    },
    CheckCase {
        name: "toc-mismatch",
        expect: Expect::Warnings,
        findings: &[
            ("toc-mismatch", Some(12)),
            ("toc-mismatch", Some(13)),
            ("toc-extra", Some(14)),
            ("toc-missing", Some(42)),
        ],
    },
    CheckCase {
        name: "unbalanced",
        expect: Expect::Warnings,
        findings: &[("unbalanced", Some(17)), ("unbalanced", Some(19))],
    },
    CheckCase {
        name: "year-order",
        expect: Expect::Warnings,
        findings: &[("year-order", Some(21))],
    },
];

/// The check fixtures' names, which must be exactly those of
/// [`CHECK_CASES`], so that a new fixture cannot go untested.
fn check_fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(CHECK_FIXTURES)
        .expect("the check fixtures directory is readable")
        .map(|e| e.expect("a directory entry").path())
        .map(|p| {
            assert_eq!(
                p.extension().and_then(|e| e.to_str()),
                Some("md"),
                "{} is not a .md fixture",
                p.display()
            );
            p.file_stem()
                .expect("a file name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    let known: Vec<&str> = CHECK_CASES.iter().map(|c| c.name).collect();
    assert_eq!(
        names, known,
        "a check fixture without its case, or the reverse"
    );
    names
}

/// Copies a check fixture to `check/<name>.md` under the root and returns
/// that relative path.
fn copy_check_fixture(env: &TestEnv, name: &str) -> String {
    let bytes = std::fs::read(Path::new(CHECK_FIXTURES).join(format!("{name}.md")))
        .expect("the fixture is readable");
    let text = String::from_utf8_lossy(&bytes);
    let title = text.lines().find(|l| l.starts_with("# ")).unwrap_or("");
    assert!(
        title.contains("SYNTHETIC"),
        "{name}: the fixture's title must say it is synthetic: {title:?}"
    );
    env.write(&format!("check/{name}.md"), bytes)
}

/// Asserts the text report lists each finding as
/// `<severity>: <file>[:<line>]: … [<code>]` and ends with the counts.
#[track_caller]
fn assert_check_text(out: &Output, file: &str, findings: &[(String, String, Option<u64>)]) {
    let lines: Vec<&str> = out.stdout.lines().collect();
    let headers: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("error: ") || l.starts_with("warning: "))
        .collect();
    assert_eq!(headers.len(), findings.len(), "{}", out.stdout);
    for (line, (severity, code, at)) in headers.iter().zip(findings) {
        let location = match at {
            Some(n) => format!("{severity}: {file}:{n}: "),
            None => format!("{severity}: {file}: "),
        };
        assert!(line.starts_with(&location), "{location:?} in {line:?}");
        assert!(line.ends_with(&format!(" [{code}]")), "{code} in {line:?}");
    }
    let errors = findings.iter().filter(|f| f.0 == "error").count();
    assert_eq!(
        lines.last().copied(),
        Some(
            format!(
                "{file}: {}, {}",
                count(errors, "error"),
                count(findings.len() - errors, "warning")
            )
            .as_str()
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn check_every_fixture() {
    let env = TestEnv::new();
    for name in check_fixture_names() {
        let case = CHECK_CASES.iter().find(|c| c.name == name).expect("listed");
        let file = copy_check_fixture(&env, &name);
        let text = env.run(&["check", &file]);
        let strict = env.run(&["check", &file, "--strict"]);
        let json = env.run(&["check", &file, "--format", "json"]);
        let (code, strict_code) = match case.expect {
            Expect::Clean => (0, 0),
            Expect::Warnings => (0, 1),
            Expect::Errors => (1, 1),
        };
        for (out, want) in [(&text, code), (&strict, strict_code), (&json, code)] {
            out.assert_no_panic();
            assert_eq!(out.code, Some(want), "{name}:\n{}", out.rendered());
            // --strict failing on warnings alone says how to accept those
            // that belong to the published text.
            if std::ptr::eq(out, &strict) && case.expect == Expect::Warnings {
                assert!(
                    out.stderr.contains("can be accepted"),
                    "{name}: {}",
                    out.stderr
                );
            } else {
                assert_eq!(out.stderr, "", "{name}");
            }
        }
        assert_eq!(
            strict.stdout, text.stdout,
            "{name}: --strict changes the report"
        );

        let findings = assert_check_contract(&json.json(), &file);
        let severity = match case.expect {
            Expect::Errors => "error",
            _ => "warning",
        };
        let want: Vec<(String, String, Option<u64>)> = case
            .findings
            .iter()
            .map(|&(c, l)| (severity.to_string(), c.to_string(), l))
            .collect();
        assert_eq!(findings, want, "{name}");
        assert_check_text(&text, &file, &findings);

        insta::with_settings!({ snapshot_suffix => name.as_str() }, {
            insta::assert_snapshot!("check_text", env.snapshot(&text));
        });
    }
    assert!(!env.store().exists(), "check made a store");
}

#[test]
fn check_the_real_edition() {
    let env = TestEnv::new();
    let file = env.copy_real();
    let out = env.run(&["check", &file]);
    out.success();
    assert_eq!(out.stderr, "");
    let view = env.ok(&["check", &file, "--format", "json"]).json();
    let findings = assert_check_contract(&view, &file);
    let want = [
        ("no-final-punctuation", 165),
        ("page-artefact", 220),
        ("split-list", 225),
    ]
    .map(|(c, l)| ("warning".to_string(), c.to_string(), Some(l)));
    assert_eq!(findings, want);
    assert_check_text(&out, &file, &findings);
    assert_eq!(env.run(&["check", &file, "--strict"]).code, Some(1));
    insta::assert_snapshot!("check_real_edition", env.snapshot(&out));
}

#[test]
fn check_of_an_unreadable_file_exits_2() {
    let env = TestEnv::new();
    // Deterministic garbage with NUL bytes in it.
    let garbage: Vec<u8> = (0u32..2048)
        .map(|i| (i.wrapping_mul(7919) % 251) as u8)
        .collect();
    assert!(garbage.contains(&0));
    env.write("garbage.md", &garbage);
    env.write(
        "latin1.md",
        b"# COMPILATION (SYNTHETIC, LATIN-1)\n\nVienna, M\xe4rz 2025\n".as_slice(),
    );
    std::fs::create_dir(env.root().join("folder.md")).expect("create dir");

    for (file, code) in [
        ("garbage.md", Some("binary")),
        ("latin1.md", Some("encoding")),
        ("missing.md", None),
        ("folder.md", None),
    ] {
        for extra in [&[][..], &["--strict"], &["--format", "json"]] {
            let mut args = vec!["check", file];
            args.extend_from_slice(extra);
            let out = env.run(&args);
            out.assert_no_panic();
            assert_eq!(out.code, Some(2), "{file} {extra:?}:\n{}", out.rendered());
            match code {
                // Read, but not text: the report says why.
                Some(code) if extra == ["--format", "json"] => {
                    let findings = assert_check_contract(&out.json(), file);
                    assert_eq!(findings.len(), 1, "{findings:?}");
                    assert_eq!(
                        (findings[0].0.as_str(), findings[0].1.as_str()),
                        ("error", code)
                    );
                }
                Some(code) => {
                    assert!(
                        out.stdout.starts_with(&format!("error: {file}:"))
                            && out.stdout.contains(&format!("[{code}]")),
                        "{}",
                        out.stdout
                    );
                }
                // Not read at all.
                None => {
                    out.failure();
                    assert_eq!(out.stdout, "");
                    assert!(
                        out.error_lines()[0].starts_with(&format!("error: cannot read {file}: ")),
                        "{}",
                        out.stderr
                    );
                    assert_eq!(
                        out.hint(),
                        "hint: check the path and that the file is readable"
                    );
                }
            }
        }
    }
    assert!(!env.store().exists());
}

#[test]
fn import_refuses_every_check_error_and_writes_nothing() {
    let errors: Vec<&CheckCase> = CHECK_CASES
        .iter()
        .filter(|c| c.expect == Expect::Errors)
        .collect();
    assert_eq!(errors.len(), 5);

    // Without a store: none is created.
    let env = TestEnv::new();
    let mut refused = BTreeMap::new();
    for case in &errors {
        let file = copy_check_fixture(&env, case.name);
        let out = env.run(&["import", &file]);
        out.failure();
        out.hint();
        let location = match case.findings[0].1 {
            Some(l) => format!("error: {file}:{l}: "),
            None => format!("error: {file}: "),
        };
        assert!(
            out.error_lines()[0].starts_with(&location),
            "{location:?}:\n{}",
            out.stderr
        );
        assert!(!env.store().exists(), "{}: a store was created", case.name);
        refused.insert(case.name, out.stderr);
    }

    // With a store: it stays exactly as it was, for a dry run too.
    let clean = copy_check_fixture(&env, "clean");
    env.ok(&["import", &clean]);
    let before = env.refs_and_objects();
    for case in &errors {
        let file = format!("check/{}.md", case.name);
        for dry in [false, true] {
            let mut args = vec!["import", file.as_str()];
            if dry {
                args.push("--dry-run");
            }
            let out = env.run(&args);
            out.failure();
            assert_eq!(
                out.stderr, refused[case.name],
                "{}: depends on the store",
                case.name
            );
        }
        assert_eq!(
            env.refs_and_objects(),
            before,
            "{}: the store changed",
            case.name
        );
    }

    // Warnings do not block.
    for case in CHECK_CASES.iter().filter(|c| c.expect == Expect::Warnings) {
        let file = copy_check_fixture(&env, case.name);
        let out = env.ok(&["import", &file, "--dry-run"]);
        assert!(
            out.stdout
                .starts_with(&format!("Would import edition {} ", case.name)),
            "{}",
            out.stdout
        );
    }
    assert_eq!(env.refs_and_objects(), before);
    assert_eq!(env.log_ids(), ["clean"]);
}

// ---------------------------------------------------------------------------
// Regressions: bugs in src/ that these tests found, now fixed.

#[test]
fn bug_every_check_finding_has_a_hint() {
    // `check --help` and the README: "Each finding has its file:line and a
    // hint"; empty-meeting and year-order come without one.
    let env = TestEnv::new();
    for case in &CHECK_CASES {
        let file = copy_check_fixture(&env, case.name);
        let view = env.run(&["check", &file, "--format", "json"]).json();
        for f in list(&view["findings"], "findings") {
            assert!(f["hint"].is_string(), "{}: {f}", case.name);
        }
    }
}

/// Issue 30: `check` did not read the `.pairs.toml` beside the draft, so a
/// draft that checked clean was then refused by import for its overrides.
#[test]
fn check_reads_the_pairing_overrides_beside_the_draft_as_import_does() {
    let env = TestEnv::new();
    let draft = env.copy_real();
    let pairs = std::path::Path::new(&draft).with_extension("pairs.toml");
    std::fs::write(env.root().join(&pairs), "[[same]\nold = 1\n").expect("a broken overrides file");
    let check = env.run(&["check", &draft]);
    let import = env.run(&["import", &draft, "--dry-run"]);
    check.failure();
    import.failure();
    let first = |s: &str| {
        s.lines()
            .find(|l| l.starts_with("error:"))
            .map(str::to_string)
    };
    assert_eq!(
        first(&check.stderr),
        first(&import.stderr),
        "{}",
        check.stderr
    );
    assert!(check.stderr.contains("pairs.toml"), "{}", check.stderr);
}

const ACCEPTED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/editions/2024-04.accepted.toml"
);

/// Issue 30: `check --strict` could never pass on the real edition, whose
/// three warnings belong to the published text. The committed
/// `editions/2024-04.accepted.toml` accepts them with reasons: `--strict`
/// passes, the JSON lists them as accepted with their reasons and names
/// each finding's item; without the file it fails and says how to accept.
#[test]
fn accepted_findings_of_the_published_text_let_strict_pass() {
    let env = TestEnv::new();
    let draft = env.copy_real();
    let out = env.run(&["check", "--strict", &draft]);
    assert_eq!(out.code, Some(1));
    assert!(
        out.stderr
            .contains("can be accepted, with its reason, in editions/2024-04.accepted.toml"),
        "{}",
        out.stderr
    );

    env.write(
        "editions/2024-04.accepted.toml",
        std::fs::read(ACCEPTED).expect("the committed accepted findings"),
    );
    let out = env.ok(&["check", "--strict", &draft]);
    assert_eq!(
        out.stdout,
        "editions/2024-04.md: 0 errors, 0 warnings, 3 accepted as published (editions/2024-04.accepted.toml)\n"
    );
    let json = env.ok(&["check", &draft, "--format", "json"]).json();
    assert_eq!(json["warnings"], 0);
    assert_eq!(json["accepted_file"], "editions/2024-04.accepted.toml");
    let accepted: Vec<(String, String)> = list(&json["accepted"], "accepted")
        .iter()
        .map(|a| {
            assert!(a["reason"].as_str().is_some_and(|r| !r.is_empty()));
            (
                a["code"].as_str().unwrap_or_default().to_string(),
                a["item"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        accepted,
        [
            ("no-final-punctuation", "CTOC/COP/WG.3/2023/4#(o)"),
            (
                "page-artefact",
                "B/2023/constructive-dialogue-on-trafficking-in-persons#o1"
            ),
            (
                "split-list",
                "B/2023/constructive-dialogue-on-trafficking-in-persons#o1"
            ),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );

    // The import keeps quiet about them too, and says so.
    let out = env.ok(&["import", &draft]);
    assert!(!out.stderr.contains("warning:"), "{}", out.stderr);
    assert!(
        out.stderr.contains("note: 3 findings of editions/2024-04.md accepted as published (editions/2024-04.accepted.toml)"),
        "{}",
        out.stderr
    );
}

/// An accepted finding that no longer occurs is reported (so the list
/// cannot outlive the text it excused), a finding moved by lines above it
/// stays accepted (it is named by its item), and a file that does not
/// read is an error at its line, as the pairing overrides are.
#[test]
fn accepted_findings_follow_their_item_and_go_stale_loudly() {
    let env = TestEnv::new();
    let text = String::from_utf8(crate::common::real_bytes()).expect("UTF-8");
    // Lines added above every item: the findings move, their items do not;
    // the page number removed: its acceptance goes stale.
    let moved = text
        .replacen(
            "# Background on the Review Mechanism\n",
            "# Background on the Review Mechanism\n\nInserted paragraph.\n\nAnother one.\n",
            1,
        )
        .replace(" 7/7 ", " ");
    assert_ne!(moved, text);
    env.write("DRAFT.md", moved);
    env.write(
        "DRAFT.accepted.toml",
        std::fs::read(ACCEPTED).expect("the committed accepted findings"),
    );
    let out = env.run(&["check", "--strict", "DRAFT.md"]);
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    assert!(
        out.stdout.contains("DRAFT.md: the accepted page-artefact finding of B/2023/constructive-dialogue-on-trafficking-in-persons#o1 (DRAFT.accepted.toml:13) no longer occurs [accepted-unused]"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("0 errors, 1 warning, 2 accepted"),
        "{}",
        out.stdout
    );

    env.write(
        "DRAFT.accepted.toml",
        "[[accepted]]\ncode = \"split-list\"\nitem = \"x\"\n",
    );
    let out = env.run(&["check", "DRAFT.md"]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr
            .contains("DRAFT.accepted.toml:2: the accepted split-list gives no reason"),
        "{}",
        out.stderr
    );
    // The import refuses it alike, and a directory import takes no flag.
    env.run(&["import", "DRAFT.md", "--edition", "e1"])
        .failure();
    assert!(!env.store().exists());
}

/// `diff` of a draft previews its import: the warnings the draft's
/// accepted findings accept are not printed (they were, while import kept
/// quiet about them), and a broken file of them stops the diff as it
/// stops the import.
#[test]
fn diff_of_a_draft_keeps_quiet_about_accepted_findings_as_import_does() {
    let env = TestEnv::new();
    let draft = env.copy_real();
    env.ok(&["import", &draft, "--edition", "e1", "--accepted", ACCEPTED]);
    let text = String::from_utf8(crate::common::real_bytes()).expect("UTF-8");
    env.write(
        "DRAFT.md",
        text.replacen("Vienna, April 2024", "Vienna, March 2025", 1),
    );
    let noisy = env.ok(&["diff", "DRAFT.md"]);
    assert!(
        noisy.stderr.contains("[page-artefact]") || noisy.stderr.contains("7/7"),
        "{}",
        noisy.stderr
    );
    env.write(
        "DRAFT.accepted.toml",
        std::fs::read(ACCEPTED).expect("the committed accepted findings"),
    );
    let quiet = env.ok(&["diff", "DRAFT.md"]);
    assert_eq!(quiet.stdout, noisy.stdout);
    assert!(!quiet.stderr.contains("warning:"), "{}", quiet.stderr);
    env.write("DRAFT.accepted.toml", "[[accepted\n");
    let out = env.run(&["diff", "DRAFT.md"]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr
            .contains("DRAFT.accepted.toml:1: the accepted findings do not parse"),
        "{}",
        out.stderr
    );
}
