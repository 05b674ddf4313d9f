//! Every command's `--format json` output (and the site's `editions.json`)
//! validates against its published schema under `schemas/`, on a store
//! with a new year, a reworded recommendation, a removed observation and
//! a split, and on the cases where a command reports problems.

use serde_json::Value;

use crate::common::TestEnv;
use crate::common::diff::three_editions;

fn schema(name: &str) -> Value {
    let path = format!("{}/schemas/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("a schema is JSON")
}

#[track_caller]
fn assert_valid(name: &str, instance: &Value) {
    let schema = schema(name);
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:#?}\n{instance:#}");
    assert_eq!(instance["schema_version"], 2, "{name}");
}

#[test]
fn every_command_json_validates_against_its_schema() {
    let env = three_editions();
    let json = |args: &[&str]| {
        let mut a = args.to_vec();
        a.extend_from_slice(&["--format", "json"]);
        let out = env.run(&a);
        out.assert_no_panic();
        out.json()
    };
    assert_valid("log", &json(&["log"]));
    for spec in ["latest", "2024-04"] {
        assert_valid("show", &json(&["show", spec]));
    }
    for args in [
        &["diff"][..],
        &["diff", "latest~2"],
        &["diff", "2024-04", "latest"],
        &["diff", "editions/2024-04.md", "editions/2025-06.md"],
        &["whatsnew", "--since", "2024-04"],
    ] {
        assert_valid("diff", &json(args));
    }
    assert_valid("trace", &json(&["trace", "CTOC/COP/WG.6/2024/4#19"]));
    assert_valid("blame", &json(&["blame"]));
    assert_valid("verify", &json(&["verify"]));
    assert_valid("doctor", &json(&["doctor"]));
    assert_valid("check", &json(&["check", "editions/2024-04.md"]));
    assert_valid("changelog", &json(&["changelog"]));
    // The site's data: each edition's JSON, the `show` view.
    env.ok(&["site", "--out", "site"]);
    for id in ["2024-04", "2025-03"] {
        let data: Value = serde_json::from_slice(
            &std::fs::read(env.root().join(format!("site/editions/{id}.json")))
                .expect("the edition's data"),
        )
        .expect("JSON");
        assert_valid("show", &data);
    }

    // With violations, and a split in a diff.
    env.git_ok(&["update-ref", "-d", "refs/tags/edition/2025-03"]);
    assert_valid("verify", &json(&["verify"]));
    let split = TestEnv::new();
    for f in ["before.md", "after.md"] {
        split.write(
            f,
            crate::common::fixtures::diff_fixture("split-observation", f),
        );
    }
    let out = split.run(&["diff", "before.md", "after.md", "--format", "json"]);
    assert_valid("diff", &out.json());
}

/// A schema that accepted anything would prove nothing: a view with a
/// renamed field fails.
#[test]
fn the_schemas_reject_a_renamed_field() {
    let env = three_editions();
    let mut log = env.ok(&["log", "--format", "json"]).json();
    let entry = log["editions"][0].as_object_mut().expect("an entry");
    let id = entry.remove("id").expect("an id");
    entry.insert("edition_id".into(), id);
    let validator = jsonschema::validator_for(&schema("log")).expect("compiles");
    assert!(validator.validate(&log).is_err(), "a missing id is refused");
}

/// Issue 30: `import`, `push` and `pull` had no `--format json`, so a
/// script could not read what they did. Their JSON validates against
/// `schemas/import.json` and `schemas/sync.json` and says it truly: what
/// each file became, what the edition follows and adds, what moved.
#[test]
fn import_push_and_pull_print_json_a_script_can_read() {
    let env = TestEnv::new();
    env.write(
        "editions/2024-04.md",
        crate::common::fixtures::diff_fixture("new-year", "before.md"),
    );
    env.write(
        "DRAFT.md",
        crate::common::fixtures::diff_fixture("new-year", "after.md"),
    );
    let json = |args: &[&str]| {
        let mut a = args.to_vec();
        a.extend_from_slice(&["--format", "json"]);
        let out = env.run(&a);
        out.success();
        out.json()
    };

    let first = json(&["import", "editions"]);
    assert_valid("import", &first);
    assert_eq!(first["created_store"], true);
    assert_eq!(first["dry_run"], false);
    let e = &first["editions"][0];
    assert_eq!(e["id"], "2024-04");
    assert_eq!(e["outcome"], "imported");
    assert_eq!(e["tag"], "edition/2024-04");
    assert_eq!(e["follows"], Value::Null);
    assert_eq!(e["commit"].as_str().map(str::len), Some(40));

    let dry = json(&["import", "DRAFT.md", "--edition", "2025-03", "--dry-run"]);
    assert_valid("import", &dry);
    assert_eq!(dry["dry_run"], true);
    let e = &dry["editions"][0];
    assert_eq!(e["outcome"], "would_import");
    assert_eq!(e["commit"], Value::Null);
    assert_eq!(e["follows"], "2024-04");
    assert!(e["changes"]["items_added"].as_u64() > Some(0), "{e:#}");

    let real = json(&["import", "DRAFT.md", "--edition", "2025-03"]);
    assert_valid("import", &real);
    assert_eq!(real["created_store"], false);
    assert_eq!(real["editions"][0]["outcome"], "imported");
    assert_eq!(
        real["editions"][0]["changes"]["items_added"],
        dry["editions"][0]["changes"]["items_added"]
    );
    let again = json(&["import", "editions"]);
    assert_valid("import", &again);
    assert_eq!(again["editions"][0]["outcome"], "already_present");
    assert_eq!(
        again["editions"][0]["commit"],
        first["editions"][0]["commit"]
    );

    let hub = env.bare_repo("hub.git");
    assert!(hub.exists());
    let push = json(&["push", "./hub.git"]);
    assert_valid("sync", &push);
    assert_eq!(push["direction"], "push");
    assert_eq!(push["editions"], serde_json::json!(["2024-04", "2025-03"]));
    assert_eq!(push["up_to_date"], false);
    let pull = json(&["--store", "other.git", "pull", "./hub.git"]);
    assert_valid("sync", &pull);
    assert_eq!(pull["direction"], "pull");
    assert_eq!(pull["editions"], push["editions"]);
    let nothing = json(&["push", "./hub.git"]);
    assert_valid("sync", &nothing);
    assert_eq!(nothing["up_to_date"], true);
    assert_eq!(nothing["editions"], serde_json::json!([]));
}
