//! JSON Schemas of the stored records, one per file kind and version,
//! committed under `schemas/records/` (`edition.v1.json`, ...). They are
//! generated from the one declaration of each record and specialised to
//! what each version holds (its [`Shape`], the enum values its version
//! holds), with no property beyond those of the version: what an
//! independent verifier needs to read a store without livedoc. A released
//! version's schema never changes; a test pins each file's digest.

use serde_json::{Value, json};

use super::edition::{EditionRecord, Shape};
use super::enums::{ItemStatusRecord, MeetingReasonRecord, ReasonRecord, Since};
use super::ledger::LedgerEntryRecord;
use super::meeting::MeetingFileRecord;
use super::pairings::PairingsRecord;
use super::{CURRENT, LEDGER_CURRENT, PAIRINGS_CURRENT};

fn of<T: schemars::JsonSchema>() -> Value {
    serde_json::to_value(schemars::schema_for!(T)).expect("schemas serialise")
}

/// Every record schema: (file name under `schemas/records/`, schema).
pub fn schemas() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for v in 1..=CURRENT {
        out.push((format!("edition.v{v}.json"), edition(v)));
        out.push((format!("meeting.v{v}.json"), meeting(v)));
    }
    for v in 1..=PAIRINGS_CURRENT {
        out.push((format!("pairings.v{v}.json"), pairings(v)));
    }
    for v in 1..=LEDGER_CURRENT {
        out.push((format!("ledger-entry.v{v}.json"), ledger(v)));
    }
    out
}

fn titled(mut schema: Value, title: String, version: u32) -> Value {
    schema["title"] = json!(title);
    strict(&mut schema);
    if schema["properties"]["schema_version"].is_object() {
        schema["properties"]["schema_version"] = json!({ "const": version });
    }
    schema
}

/// Every object admits only its declared properties.
fn strict(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.contains_key("properties") {
                map.insert("additionalProperties".into(), json!(false));
            }
            for (_, child) in map.iter_mut() {
                strict(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strict),
        _ => {}
    }
}

/// Removes a property, or makes it required.
fn keep(def: &mut Value, property: &str, kept: bool) {
    if kept {
        let required = def["required"].as_array_mut();
        match required {
            Some(r) if !r.iter().any(|p| p == property) => r.push(json!(property)),
            Some(_) => {}
            None => def["required"] = json!([property]),
        }
    } else if let Some(p) = def["properties"].as_object_mut() {
        p.remove(property);
        if let Some(r) = def["required"].as_array_mut() {
            r.retain(|p| p != property);
        }
    }
}

fn edition(version: u32) -> Value {
    let shape = Shape::of(version).expect("a known version");
    let mut s = of::<EditionRecord>();
    let defs = &mut s["$defs"];
    keep(&mut defs["SummaryRecord"], "items_typography", shape.rules);
    keep(
        &mut defs["SummaryRecord"],
        "items_split",
        shape.split_merged,
    );
    keep(
        &mut defs["SummaryRecord"],
        "items_merged",
        shape.split_merged,
    );
    keep(&mut defs["ProvenanceRecord"], "rules", shape.rules);
    // Named only for a .docx: optional where the version holds it.
    if shape.reader {
        if let Some(p) = defs["SourceRecord"]["properties"]["reader"].as_object_mut() {
            p.insert("type".into(), json!("integer"));
        }
    } else {
        keep(&mut defs["SourceRecord"], "reader", false);
    }
    keep(&mut defs["SummaryRecord"], "items_restored", shape.reader);
    let part = &mut defs["PartRecord"];
    if shape.headings {
        part["properties"]["meetings"]["items"] = json!({ "$ref": "#/$defs/MeetingHeadingRecord" });
        keep(part, "keys", false);
    } else {
        part["properties"]["meetings"]["items"] = json!({ "type": "string" });
        part["properties"]["keys"] = json!({ "type": "array", "items": { "type": "string" } });
        if let Some(d) = defs.as_object_mut() {
            d.remove("MeetingHeadingRecord");
        }
    }
    if let Some(d) = defs.as_object_mut() {
        d.remove("MeetingEntryRecord");
    }
    titled(
        s,
        format!("edition.json, record version {version}"),
        version,
    )
}

fn meeting(version: u32) -> Value {
    titled(
        of::<MeetingFileRecord>(),
        format!("a meeting file of record version {version}"),
        version,
    )
}

fn ledger(version: u32) -> Value {
    titled(
        of::<LedgerEntryRecord>(),
        format!("the ledger's entry.json, version {version}"),
        version,
    )
}

/// The values of an enum's definition that `version` holds.
fn held<T: serde::de::DeserializeOwned + Since>(def: &mut Value, version: u32) {
    if let Some(values) = def["enum"].as_array_mut() {
        values
            .retain(|v| serde_json::from_value::<T>(v.clone()).is_ok_and(|t| t.since() <= version));
    }
}

fn pairings(version: u32) -> Value {
    let mut s = of::<PairingsRecord>();
    let defs = &mut s["$defs"];
    held::<ItemStatusRecord>(&mut defs["ItemStatusRecord"], version);
    held::<ReasonRecord>(&mut defs["ReasonRecord"], version);
    held::<MeetingReasonRecord>(&mut defs["MeetingReasonRecord"], version);
    let relations = version >= 3;
    keep(&mut defs["ItemPairingRecord"], "split_from", relations);
    keep(&mut defs["ItemPairingRecord"], "merged_into", relations);
    titled(s, format!("pairings.json, version {version}"), version)
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    /// The digest of every released version's schema file. A released
    /// record version never changes, so neither does its schema: a new
    /// version adds a line, and no line is ever edited.
    const FROZEN: &[(&str, &str)] = &[
        (
            "edition.v1.json",
            "58a582e0373288bbe9efb93fe15adb1689d0a39d76509bd9d0a22bd820ddbafc",
        ),
        (
            "edition.v2.json",
            "d55d7ac7b35a018f8132a5893ad51f7f304e0a29f9ae69ec93c828132ecc2629",
        ),
        (
            "edition.v3.json",
            "5629efc3dd9e009117b6168816c12e9f9525a479c48839355c0136d91bdfdac5",
        ),
        (
            "edition.v4.json",
            "b60c40865653faa0792340d305aee4b926be097be4e792f24cbe13346f003785",
        ),
        (
            "edition.v5.json",
            "c798aee43721f2aba9dedd84d53d70fb18df8a35b8f7a0b13d2aeea683ed2238",
        ),
        (
            "ledger-entry.v1.json",
            "3f2b7b2131044a88413832aee697490bdc1095047cc1f725ce3032e853ae9cbe",
        ),
        (
            "meeting.v1.json",
            "f680e54a861ddfbe5ae7d237a3a5f69e65a4093003327bd7fa1ddba260b88be0",
        ),
        (
            "meeting.v2.json",
            "c89622ee9c1db2dc996d12d449ee0acc82dc5c7e371dd22c517df562a893f64c",
        ),
        (
            "meeting.v3.json",
            "b040a9b74c6be61273e2b48e3db9b9982a9da216b6a43acd208f539d4a894488",
        ),
        (
            "meeting.v4.json",
            "ca742f3505b23c936c1f9157dcf26e0b7398a37795a6dddb4b09eb7fa5829d85",
        ),
        (
            "meeting.v5.json",
            "123ed94bb612c5bef1a2bb6520cd6f74364f3d859f63da2934b32aa1358c798f",
        ),
        (
            "pairings.v1.json",
            "ff8245dfc9dcabb78649341868adb84b79b996b0c66fb281d07b038ca79f78d2",
        ),
        (
            "pairings.v2.json",
            "de0693967d65ddc32453cec6dcdd4d597222e02bc113674e07a7a84e62c9d4fb",
        ),
        (
            "pairings.v3.json",
            "750648d110e003331617681a57b3ec2275befdc1dd6fd5d5c607fb80f2359584",
        ),
        (
            "pairings.v4.json",
            "1c76d8682857526aef068d32c1cdf61099b8e145129e855a19b33428e34a3a78",
        ),
    ];

    fn dir() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/records")
    }

    fn text(schema: &serde_json::Value) -> String {
        let mut text = serde_json::to_string_pretty(schema).expect("a schema");
        text.push('\n');
        text
    }

    /// The committed schemas are what the records generate. A new record
    /// version: `LIVEDOC_UPDATE_SCHEMAS=1 cargo test --lib record_schemas`,
    /// then add its digests to `FROZEN`.
    #[test]
    fn committed_record_schemas_are_up_to_date_and_frozen() {
        let update = std::env::var_os("LIVEDOC_UPDATE_SCHEMAS").is_some();
        let schemas = super::schemas();
        assert_eq!(schemas.len(), 5 + 5 + 4 + 1);
        for (name, schema) in &schemas {
            let path = dir().join(name);
            let text = text(schema);
            if update {
                std::fs::create_dir_all(dir()).expect("schemas/records/");
                std::fs::write(&path, &text).expect("write the schema");
                continue;
            }
            let committed = std::fs::read_to_string(&path).unwrap_or_else(|_| {
                panic!(
                    "{} is missing: run LIVEDOC_UPDATE_SCHEMAS=1 cargo test --lib record_schemas",
                    path.display()
                )
            });
            assert_eq!(
                committed,
                text,
                "{} differs from what the records generate",
                path.display()
            );
            let digest = hex::encode(Sha256::digest(committed.as_bytes()));
            let frozen = FROZEN.iter().find(|(n, _)| n == name);
            assert_eq!(
                frozen.map(|(_, d)| *d),
                Some(digest.as_str()),
                "{name}: a released version's schema changed (or a new one lacks its line in FROZEN)"
            );
        }
    }

    fn validator(name: &str) -> jsonschema::Validator {
        let schema = super::schemas()
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s)
            .unwrap_or_else(|| panic!("no schema {name}"));
        jsonschema::validator_for(&schema).expect("the schema compiles")
    }

    /// Every file of every golden store validates against its version's
    /// schema, and a record with a renamed or an extra field does not.
    #[test]
    fn golden_store_records_validate_against_their_version_schemas() {
        use crate::store::records::{EditionRecord, LedgerRecord};
        for version in 1..=super::CURRENT {
            let path = format!(
                "{}/tests/fixtures/store/v{version}.git",
                env!("CARGO_MANIFEST_DIR")
            );
            let repo = git2::Repository::open_bare(path).expect("a golden store");
            let mut walk = repo.revwalk().expect("a walk");
            walk.push_ref(crate::store::BRANCH).expect("the branch");
            let edition = validator(&format!("edition.v{version}.json"));
            let meeting = validator(&format!("meeting.v{version}.json"));
            let mut checked = 0;
            for oid in walk {
                let tree = repo
                    .find_commit(oid.expect("an oid"))
                    .and_then(|c| c.tree())
                    .expect("a tree");
                let files = crate::store::ledger::tree_files(&repo, &tree).expect("files");
                for (path, bytes) in &files {
                    let value: serde_json::Value = match serde_json::from_slice(bytes) {
                        Ok(v) if path.ends_with(".json") => v,
                        _ => continue,
                    };
                    let v = if path == crate::store::RECORD_FILE {
                        &edition
                    } else if path == crate::store::PAIRINGS_FILE {
                        let pv = value["schema_version"].as_u64().expect("a version");
                        &validator(&format!("pairings.v{pv}.json"))
                    } else {
                        &meeting
                    };
                    let errors: Vec<String> = v
                        .iter_errors(&value)
                        .map(|e| format!("{e} at {}", e.instance_path()))
                        .collect();
                    assert!(errors.is_empty(), "v{version} {path}: {errors:#?}");
                    checked += 1;
                }
                let record = files
                    .iter()
                    .find(|(p, _)| p == crate::store::RECORD_FILE)
                    .expect("edition.json");
                assert!(EditionRecord::decode(&record.1).is_ok());
            }
            assert!(checked >= 30, "v{version}: {checked} files checked");
            let ledger = validator("ledger-entry.v1.json");
            for lc in crate::store::ledger::read(&repo).expect("the ledger") {
                let entry = lc.entry.expect("an entry");
                let value: serde_json::Value =
                    serde_json::from_slice(&LedgerRecord::current(&entry).encode()).expect("JSON");
                assert!(ledger.is_valid(&value));
            }
        }
        // What the schemas refuse.
        let v1 = validator("edition.v1.json");
        let v4 = validator("edition.v4.json");
        let repo = git2::Repository::open_bare(format!(
            "{}/tests/fixtures/store/v4.git",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("v4");
        let blob = repo
            .revparse_single("editions:edition.json")
            .and_then(|o| o.peel_to_blob())
            .expect("edition.json");
        let mut value: serde_json::Value = serde_json::from_slice(blob.content()).expect("JSON");
        assert!(v4.is_valid(&value));
        assert!(
            !v1.is_valid(&value),
            "a version 4 record is no version 1 record"
        );
        value["provenance"]["cut_by_name"] = serde_json::json!("smuggled");
        assert!(!v4.is_valid(&value), "no property beyond the version's");
        let p2 = validator("pairings.v2.json");
        let split = serde_json::json!({"schema_version": 2, "from": "a", "meetings": [], "items": [
            {"id": "K#o2", "meeting": "K", "status": "split", "reason": "split_from", "similarity": null,
             "old_label": null, "new_label": null, "from_meeting": null}]});
        assert!(!p2.is_valid(&split), "version 2 holds no split");
    }
}
