//! The secretariat's round, as docs/secretariat.md describes it, end to end: `check`
//! a draft and fix its error, preview it with `diff latest DRAFT`, confirm
//! a pairing in `DRAFT.pairs.toml`, `import --dry-run`, `import`,
//! `changelog`, then `push` the store to a bare hub and `pull` it into
//! another. Each step has its own tests: `test_check.rs`,
//! `test_overrides.rs`, `test_changelog.rs` and `test_push_pull.rs`.
//!
//! The draft is derived in the test from the synthetic March 2025 fixture
//! (whose title says it is synthetic), each change spelled out with
//! `replace_once`.

use serde_json::json;

use crate::common::contracts::{assert_check_contract, assert_contract};
use crate::common::diff::{listed_item, md_section};
use crate::common::fixtures::pairs_toml;
use crate::common::json::shown_items;
use crate::common::stores::edition_record;
use crate::common::{TestEnv, assert_verified, line_of, replace_once, synthetic_bytes};

/// An observation of the April 2024 edition, and a rewording the matcher
/// cannot recognise.
const TA: &str = "B/2023/constructive-dialogue-on-technical-assistance";
const TA_O4: &str = "States could consider evaluate the possibility to involve the private sector more systematically in the management of assets confiscated from organized crime in order to benefit from their financial and logistical support to more efficiently promote the social reuse of assets and the sustainability of related activities over time.";
const TA_O4_REWRITTEN: &str = "Synthetic test observation: confiscated property may be entrusted to companies that run social projects, under public oversight.";

#[test]
fn the_secretariats_round() {
    let env = TestEnv::new();
    env.import_real();
    let draft_path = "editions/2025-03.md";

    // The draft: the synthetic March 2025 edition, one observation of
    // April 2024 rewritten, and Recommendation 20 mistyped as a second 19.
    let draft = String::from_utf8(synthetic_bytes()).expect("UTF-8");
    assert!(draft.contains("# COMPILATION (SYNTHETIC TEST EDITION)"));
    let draft = replace_once(&draft, TA_O4, TA_O4_REWRITTEN);
    let typo = replace_once(&draft, "### *Recommendation 20*", "### *Recommendation 19*");
    let repeated_at = line_of(
        &typo,
        "the secretariat is requested to report on the progress",
    ) - 2;
    assert_eq!(
        typo.lines().nth(repeated_at - 1),
        Some("### *Recommendation 19*")
    );
    env.write(draft_path, &typo);

    // 1. check: the error, with its line; import refuses it too.
    let check = env.run(&["check", draft_path]);
    assert_eq!(check.code, Some(1), "{}", check.rendered());
    let view = env.run(&["check", draft_path, "--format", "json"]).json();
    let findings = assert_check_contract(&view, draft_path);
    let errors: Vec<_> = findings.iter().filter(|f| f.0 == "error").collect();
    assert_eq!(
        errors,
        [&(
            "error".to_string(),
            "label-repeated".to_string(),
            Some(repeated_at as u64)
        )]
    );
    assert!(
        check
            .stdout
            .contains(&format!("error: {draft_path}:{repeated_at}: recommendation label \"19\" repeats in CTOC/COP/WG.4/2024/4")),
        "{}",
        check.stdout
    );
    let store_before = env.refs_and_objects();
    env.run(&["import", draft_path]).failure();
    assert_eq!(env.refs_and_objects(), store_before);

    // Fixed: no error left (the April 2024 warnings remain).
    env.write(draft_path, &draft);
    let check = env.ok(&["check", draft_path]);
    assert!(
        check
            .stdout
            .ends_with(&format!("{draft_path}: 0 errors, 3 warnings\n")),
        "{}",
        check.stdout
    );

    // 2. Preview: two new meetings and five new items; the rewritten
    // observation is one removed and one added.
    let preview = env
        .ok(&["diff", "latest", draft_path, "--format", "json"])
        .json();
    assert_contract(&preview);
    let s = &preview["summary"];
    assert_eq!(
        (
            s["meetings_added"].as_u64(),
            s["items_added"].as_u64(),
            s["items_removed"].as_u64(),
            s["items_modified"].as_u64()
        ),
        (Some(2), Some(6), Some(1), Some(0)),
        "{s}"
    );
    assert_eq!(
        listed_item(&preview, &format!("{TA}#o4"))["status"],
        "removed"
    );
    assert_eq!(
        listed_item(&preview, &format!("{TA}#o5"))["status"],
        "added"
    );
    let text = env.ok(&["diff", "latest", draft_path]);
    for added in [
        "+ Working Group on Trafficking in Persons (CTOC/COP/WG.4/2024/4)",
        "+ Recommendation 19 added  CTOC/COP/WG.4/2024/4#19",
        "+ Recommendation 20 added  CTOC/COP/WG.4/2024/4#20",
        "+ Constructive Dialogue on Firearms",
    ] {
        assert!(text.stdout.contains(added), "{added:?} in\n{}", text.stdout);
    }

    // 3. The secretariat: the rewritten observation is the same one.
    env.write(
        "editions/2025-03.pairs.toml",
        pairs_toml(&[("same", &format!("{TA}#o4"), &format!("{TA}#o4"))]),
    );
    let preview = env
        .ok(&["diff", "latest", draft_path, "--format", "json"])
        .json();
    assert_contract(&preview);
    let s = &preview["summary"];
    assert_eq!(
        (
            s["meetings_added"].as_u64(),
            s["items_added"].as_u64(),
            s["items_removed"].as_u64(),
            s["items_modified"].as_u64()
        ),
        (Some(2), Some(5), Some(0), Some(1)),
        "{s}"
    );
    let item = listed_item(&preview, &format!("{TA}#o4"));
    assert_eq!(
        (&item["status"], &item["reason"]),
        (&json!("modified"), &json!("override"))
    );
    let text = env.ok(&["diff", "latest", draft_path]);
    insta::assert_snapshot!("round_preview", env.snapshot(&text));

    // The dry run: the same, nothing written.
    let dry = env.ok(&["import", draft_path, "--dry-run"]);
    assert!(
        dry.stdout.starts_with("Would import edition 2025-03 (March 2025) from editions/2025-03.md (dry run: nothing written).\nIt adds 2 meetings, 2 recommendations and 3 observations:\n"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains("(pairing confirmed by the secretariat"),
        "{}",
        dry.stdout
    );
    assert_eq!(env.refs_and_objects(), store_before, "the dry run wrote");

    // 4. Cut it.
    let cut = env.ok(&["import", draft_path]);
    assert!(
        cut.stdout
            .starts_with("Imported edition 2025-03 (March 2025) from editions/2025-03.md: commit "),
        "{}",
        cut.stdout
    );
    assert_eq!(env.log_ids(), ["2025-03", "2024-04"]);
    assert_eq!(
        edition_record(&env, "2025-03")["provenance"]["overrides"],
        json!([{ "kind": "same", "old": format!("{TA}#o4"), "new": format!("{TA}#o4") }])
    );
    let items = shown_items(&env.show_json("2025-03"), "B", TA);
    assert_eq!(items[3], (format!("{TA}#o4"), TA_O4_REWRITTEN.to_string()));

    // 5. The changelog: 2025-03 first, with its additions.
    let changelog = env.ok(&["changelog"]);
    let headings: Vec<&str> = changelog
        .stdout
        .lines()
        .filter(|l| l.starts_with("## "))
        .collect();
    assert_eq!(
        headings,
        [
            "## Edition 2025-03 (March 2025)",
            "## Edition 2024-04 (April 2024)"
        ]
    );
    let newest = md_section(&changelog.stdout, headings[0]).join("\n");
    for expected in [
        "#### Working Group on Trafficking in Persons (CTOC/COP/WG.4/2024/4), 2024 (new)",
        "- **Recommendation 19.** Synthetic test recommendation: States parties are encouraged",
        "- **Recommendation 20.** Synthetic test recommendation: the secretariat is requested",
        "#### Constructive Dialogue on Firearms (Summary by the Chair), 2024 (new)",
        "- **Observation 4** was reworded",
    ] {
        assert!(newest.contains(expected), "{expected:?} in\n{newest}");
    }

    // 6. Share it, and receive it elsewhere.
    let hub = env.bare_repo("hub.git");
    assert_eq!(
        env.ok(&["push", "./hub.git"]).stdout,
        "Pushed 2 editions (2024-04, 2025-03) to ./hub.git.\n"
    );
    assert_eq!(
        env.ok_at("copy.git", &["pull", hub.to_str().expect("UTF-8 path")])
            .stdout,
        format!(
            "Pulled 2 editions (2024-04, 2025-03) from {}.\n",
            hub.display()
        )
    );
    assert_verified(&env, "livedoc.git");
    assert_verified(&env, "copy.git");
    let here = env.editions_at("livedoc.git");
    assert_eq!(
        here.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(),
        ["2025-03", "2024-04"]
    );
    assert_eq!(env.editions_at("copy.git"), here, "ids, commits and tags");
    assert_eq!(
        env.ok_at("copy.git", &["show", "2025-03", "--format", "json"])
            .json(),
        env.show_json("2025-03")
    );
}
