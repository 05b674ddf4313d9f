//! The store engine at scale, counted rather than timed: an import writes
//! its new objects as one pack and no object that existed; the store keeps
//! its packs few without anyone running `git gc`; plain git and `verify`
//! stay clean throughout, and a damaged pack is caught.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::common::stores::import_ok;
use crate::common::*;

fn packs(env: &TestEnv) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(env.store().join("objects/pack"))
        .expect("objects/pack")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "pack"))
        .collect();
    out.sort();
    out
}

fn loose_objects(env: &TestEnv) -> usize {
    std::fs::read_dir(env.store().join("objects"))
        .expect("objects")
        .map(|e| e.expect("entry"))
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.len() == 2 && n.bytes().all(|b| b.is_ascii_hexdigit())
        })
        .map(|d| std::fs::read_dir(d.path()).expect("dir").count())
        .sum()
}

/// Every object in the store, by plain git.
fn objects(env: &TestEnv) -> BTreeSet<String> {
    env.git_ok(&[
        "cat-file",
        "--batch-all-objects",
        "--batch-check=%(objectname)",
    ])
    .lines()
    .map(str::to_string)
    .collect()
}

/// The objects of one pack, and their types, by plain git.
fn pack_objects(env: &TestEnv, pack: &std::path::Path) -> Vec<(String, String)> {
    let idx = pack.with_extension("idx");
    env.git_ok(&["verify-pack", "-v", &idx.to_string_lossy()])
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let id = f.next()?;
            let kind = f.next()?;
            (id.len() == 40 && ["blob", "tree", "commit", "tag"].contains(&kind))
                .then(|| (id.to_string(), kind.to_string()))
        })
        .collect()
}

#[test]
fn an_import_writes_one_pack_and_no_object_that_existed() {
    let env = TestEnv::new();
    import_ok(&env, "modified-recommendation", "before.md", "e1", &[]);
    assert_eq!(packs(&env).len(), 1, "the first edition is one pack");
    assert_eq!(loose_objects(&env), 0, "and no loose object");
    let before = objects(&env);
    let old_packs = packs(&env);

    // The second edition rewords one recommendation of one meeting.
    import_ok(&env, "modified-recommendation", "after.md", "e2", &[]);
    assert_eq!(loose_objects(&env), 0);
    let new_packs: Vec<PathBuf> = packs(&env)
        .into_iter()
        .filter(|p| !old_packs.contains(p))
        .collect();
    assert_eq!(new_packs.len(), 1, "one new pack");
    let written = pack_objects(&env, &new_packs[0]);
    let after = objects(&env);
    let new: BTreeSet<String> = after.difference(&before).cloned().collect();
    let in_pack: BTreeSet<String> = written.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(in_pack, new, "the pack holds exactly the new objects");
    let count = |kind: &str| written.iter().filter(|(_, k)| k == kind).count();
    // Blobs: the one changed meeting file, edition.json, pairings.json,
    // source.md, the ledger's entry and the history index's heads file and
    // new entry. The 9 unchanged meeting files, and the index's entry for
    // e1, are not written again.
    assert_eq!(count("blob"), 7, "{written:?}");
    assert_eq!(
        count("commit"),
        3,
        "the edition's, the ledger's, the index's"
    );
    assert_eq!(count("tag"), 1);
    // Trees: the root, meetings/, meetings/a/, meetings/a/2023/, the
    // ledger's, and the index's root, heads/, entries/ and entries/0000/;
    // the unchanged subtrees are the previous edition's.
    assert_eq!(count("tree"), 9, "{written:?}");
    env.git_ok(&["fsck", "--strict", "--no-dangling"]);
    let v = env.ok(&["verify"]);
    assert!(v.stdout.contains("everything holds"), "{}", v.stdout);
}

#[test]
fn the_store_keeps_its_packs_few_and_git_and_verify_stay_clean() {
    let env = TestEnv::new();
    let real = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/editions/2024-04.md"))
        .expect("the real edition");
    let months = [
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut imported = 0;
    for year in [2024, 2025, 2026] {
        for month in months {
            let text = replace_once(
                &real,
                "Vienna, April 2024",
                &format!("Vienna, {month} {year}"),
            );
            let name = format!("{year}-{month}.md");
            env.write(&name, text);
            env.ok(&[
                "import",
                &name,
                "--edition",
                &format!("{year}-{}", month.to_lowercase()),
            ]);
            imported += 1;
        }
    }
    let packs = packs(&env).len();
    // Past 16 packs the small ones roll up (by factor 2 of their object
    // counts), so the store holds fewer packs than editions.
    assert!(
        packs <= 16 && packs < imported,
        "{packs} packs after {imported} imports"
    );
    assert_eq!(loose_objects(&env), 0);
    env.git_ok(&["fsck", "--strict", "--no-dangling"]);
    let v = env.ok(&["verify"]);
    assert!(
        v.stdout.contains(&format!("{imported} editions")) && v.stdout.contains("everything holds"),
        "{}",
        v.stdout
    );
    // Plain git reads every edition's source.
    env.git_ok(&["show", "edition/2026-december:source.md"]);
}

#[test]
fn a_damaged_pack_is_caught_by_verify() {
    let env = TestEnv::new();
    import_ok(&env, "modified-recommendation", "before.md", "e1", &[]);
    let pack = packs(&env).remove(0);
    let mut bytes = std::fs::read(&pack).expect("pack");
    // Damage the compressed data in the middle of the pack.
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 64] {
        *b ^= 0x5a;
    }
    std::fs::set_permissions(&pack, std::os::unix::fs::PermissionsExt::from_mode(0o644))
        .expect("chmod");
    std::fs::write(&pack, &bytes).expect("write");
    let out = env.run(&["verify"]);
    assert_eq!(out.code, Some(1), "{}{}", out.stdout, out.stderr);
    assert!(!out.stdout.contains("everything holds"), "{}", out.stdout);
}

/// `trace` reads the history index, not every edition's records, and
/// reads only the meeting files of the item's versions; `blame` agrees
/// with it. A forged index is caught by `verify` and rebuilt by `doctor`;
/// one that is only behind (a pull) catches up.
#[test]
fn trace_reads_the_index_and_only_the_versions_of_the_item() {
    let env = crate::common::stores::three_edition_store();
    let t = env
        .ok(&["trace", "CTOC/COP/WG.2/2023/4#4", "--format", "json"])
        .json();
    assert_eq!(t["records_read"], 0, "{t:#}");
    let versions = t["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["status"] != "unchanged")
        .count();
    assert_eq!(t["meeting_reads"], versions, "{t:#}");
    assert_eq!(
        versions, 3,
        "added in e1, renumbered in e2, reworded in e3: {t:#}"
    );

    // The index as it stood after e2, for later.
    let after_e2 = env.git_ok(&["rev-parse", "refs/livedoc/index~1"]);
    // The index holds a head per edition (64 to a file) and an entry per
    // edition; a trace read the heads and the entries of the three
    // editions that mention the item.
    let files = env.git_ok(&["ls-tree", "-r", "--name-only", "refs/livedoc/index"]);
    assert_eq!(
        files.lines().collect::<Vec<_>>(),
        [
            "entries/0000/000001.json",
            "entries/0000/000002.json",
            "entries/0000/000003.json",
            "heads/0000.json"
        ]
    );
    let good = env.git_ok(&["rev-parse", "refs/livedoc/index"]);
    // Forge the index: the rewording of e3 said to be a renumbering; then,
    // apart, e3's head no longer saying that it mentions the item.
    let forgeries = [
        (
            "entries/0000/000003.json",
            r#""status":"modified""#,
            r#""status":"renumbered""#,
        ),
        (
            "heads/0000.json",
            r#""CTOC/COP/WG.2/2023/4#4""#,
            r#""CTOC/COP/WG.2/2023/4#9""#,
        ),
    ];
    for (path, from, to) in forgeries {
        env.git_ok(&["update-ref", "refs/livedoc/index", &good]);
        let body = env.git_ok(&["cat-file", "blob", &format!("refs/livedoc/index:{path}")]);
        // The last occurrence: e3's, in the heads file.
        let at = body.rfind(from).expect("the text to forge");
        let forged = format!("{}{to}{}", &body[..at], &body[at + from.len()..]);
        let blob = env.git_stdin(&["hash-object", "-w", "--stdin"], &forged);
        let index = env.root().join(format!("forged-{blob}.index"));
        let vars = [("GIT_INDEX_FILE", index.to_str().expect("UTF-8 path"))];
        env.git_env_ok(&vars, &["read-tree", "refs/livedoc/index^{tree}"]);
        env.git_env_ok(
            &vars,
            &[
                "update-index",
                "--cacheinfo",
                &format!("100644,{blob},{path}"),
            ],
        );
        let new_tree = env.git_env_ok(&vars, &["write-tree"]);
        let commit = env.git_ok(&[
            "-c",
            "user.name=Forger",
            "-c",
            "user.email=forger@example.org",
            "commit-tree",
            &new_tree,
            "-m",
            "forged",
        ]);
        env.git_ok(&["update-ref", "refs/livedoc/index", &commit]);
        let v = env.run(&["verify", "--format", "json"]);
        assert_eq!(v.code, Some(1), "{path}");
        let v = v.json();
        let kinds: Vec<&str> = v["violations"]
            .as_array()
            .expect("violations")
            .iter()
            .map(|x| x["kind"].as_str().expect("kind"))
            .collect();
        assert_eq!(kinds, ["index-differs"], "{path}: {v:#}");
        let d = env.ok(&["doctor"]);
        assert!(d.stdout.contains("index-rebuilt"), "{}", d.stdout);
        env.ok(&["verify"]);
    }
    let again = env
        .ok(&["trace", "CTOC/COP/WG.2/2023/4#4", "--format", "json"])
        .json();
    assert_eq!(
        again["entries"], t["entries"],
        "the rebuilt index tells the same"
    );
    assert_eq!(again["records_read"], 0);

    // An index that is behind (as after e2) is read as far as it goes,
    // the rest from the records.
    env.git_ok(&["update-ref", "refs/livedoc/index", &after_e2]);
    let behind = env
        .ok(&["trace", "CTOC/COP/WG.2/2023/4#4", "--format", "json"])
        .json();
    assert_eq!(behind["entries"], t["entries"]);
    assert_eq!(behind["records_read"], 1, "{behind:#}");
    env.ok(&["verify"]);
}

/// An index of version 1 (one file per 64 editions, as livedoc wrote it
/// before) is read no more: readers read the records, `verify` holds, and
/// the next import writes a version 2 index that a trace reads again.
#[test]
fn an_index_of_version_1_is_read_around_and_rewritten_by_the_next_import() {
    let env = crate::common::stores::three_edition_store();
    let blob = env.git_stdin(
        &["hash-object", "-w", "--stdin"],
        "{\"schema_version\":1,\"editions\":[]}\n",
    );
    let tree = env.git_stdin(&["mktree"], &format!("100644 blob {blob}\t0000.json\n"));
    let commit = env.git_ok(&[
        "-c",
        "user.name=Old",
        "-c",
        "user.email=old@example.org",
        "commit-tree",
        &tree,
        "-m",
        "an index of version 1",
    ]);
    env.git_ok(&["update-ref", "refs/livedoc/index", &commit]);
    let t = env
        .ok(&["trace", "CTOC/COP/WG.2/2023/4#4", "--format", "json"])
        .json();
    assert_eq!(
        t["records_read"], 3,
        "every edition from its records: {t:#}"
    );
    let v = env.ok(&["verify"]);
    assert!(v.stdout.contains("everything holds"), "{}", v.stdout);

    import_ok(&env, "modified-recommendation", "after.md", "e4", &[]);
    let files = env.git_ok(&["ls-tree", "-r", "--name-only", "refs/livedoc/index"]);
    assert!(files.lines().any(|f| f == "heads/0000.json"), "{files}");
    assert_eq!(
        files.lines().filter(|f| f.starts_with("entries/")).count(),
        4
    );
    let again = env
        .ok(&["trace", "CTOC/COP/WG.2/2023/4#4", "--format", "json"])
        .json();
    assert_eq!(again["records_read"], 0, "{again:#}");
    let first_three =
        |v: &serde_json::Value| v["entries"].as_array().expect("entries")[..3].to_vec();
    assert_eq!(first_three(&again), first_three(&t));
    env.ok(&["verify"]);
}
