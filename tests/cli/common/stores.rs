//! Stores, and what plain git reads in them.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::TestEnv;

/// Asserts the store holds exactly `ids`, once each, on a linear branch,
/// each tagged at a commit of the branch that records that id.
#[track_caller]
pub fn assert_landed_once(env: &TestEnv, ids: &[String]) {
    let logged = env.log_ids();
    assert_eq!(logged.len(), ids.len(), "log: {logged:?}");
    let logged: BTreeSet<&String> = logged.iter().collect();
    let wanted: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(logged, wanted);

    let n = ids.len().to_string();
    assert_eq!(
        env.git_ok(&["rev-list", "--first-parent", "--count", "editions"]),
        n
    );
    assert_eq!(env.git_ok(&["rev-list", "--count", "editions"]), n);
    assert_eq!(env.git_ok(&["rev-list", "--merges", "editions"]), "");
    let on_branch: BTreeSet<String> = env
        .git_ok(&["rev-list", "editions"])
        .lines()
        .map(String::from)
        .collect();
    for id in ids {
        let tag = format!("refs/tags/edition/{id}");
        assert_eq!(env.git_ok(&["cat-file", "-t", &tag]), "tag", "{id}");
        let commit = env.git_ok(&["rev-parse", &format!("{tag}^{{commit}}")]);
        assert!(on_branch.contains(&commit), "tag of {id} is off the branch");
        let record: serde_json::Value =
            serde_json::from_str(&env.git_ok(&["show", &format!("{commit}:edition.json")]))
                .expect("edition.json");
        assert_eq!(
            record["id"],
            id.as_str(),
            "tag of {id} points at another edition"
        );
    }
    let fsck = env.git(&["fsck", "--full", "--no-dangling"]);
    fsck.success();
    assert_eq!(fsck.stdout, "", "{}", fsck.stderr);
}

/// The edition record (`edition.json`) of a stored edition, read with git.
#[track_caller]
pub fn edition_record(env: &TestEnv, id: &str) -> Value {
    let text = env.git_ok(&["show", &format!("edition/{id}:edition.json")]);
    serde_json::from_str(&text).expect("edition.json is JSON")
}
