//! SSH-signed edition tags (`import --sign KEY`): stock `git verify-tag`
//! and `livedoc verify --allowed-signers` accept them, and report a tag
//! signed by an untrusted key or not signed at all; a missing key fails
//! the import, leaves the store unchanged and can be retried.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::common::contracts::{found, pair, verify_json};
use crate::common::stores::{
    assert_no_lock, edition_objects, import_fixture, import_ok, renumbered_store,
};
use crate::common::{Output, TestEnv};

/// An ed25519 key pair `NAME` and `NAME.pub` in the test directory, and an
/// allowed-signers file `NAME.allowed` that trusts it for sec@example.org.
fn ssh_key(env: &TestEnv, name: &str) -> PathBuf {
    let status = Command::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "sec@example.org",
            "-f",
            name,
        ])
        .current_dir(env.root())
        .stdin(Stdio::null())
        .status()
        .expect("ssh-keygen runs");
    assert!(status.success());
    let public = std::fs::read_to_string(env.root().join(format!("{name}.pub"))).expect("pub");
    let allowed = env.root().join(format!("{name}.allowed"));
    std::fs::write(&allowed, format!("sec@example.org {public}")).expect("write allowed");
    allowed
}

/// Stock `git verify-tag` with git's SSH signature support.
fn git_verify_tag(env: &TestEnv, allowed: &Path, id: &str) -> Output {
    let allowed = format!("gpg.ssh.allowedSignersFile={}", allowed.display());
    env.git(&[
        "-c",
        "gpg.format=ssh",
        "-c",
        &allowed,
        "verify-tag",
        &format!("edition/{id}"),
    ])
}

#[test]
fn signed_tags_verify_with_git_and_livedoc() {
    let env = TestEnv::new();
    let allowed = ssh_key(&env, "key");
    let wrong = ssh_key(&env, "other");
    let allowed_arg = allowed.to_str().expect("UTF-8");
    import_ok(
        &env,
        "renumbered-items",
        "before.md",
        "e1",
        &["--sign", "key"],
    );
    import_ok(
        &env,
        "renumbered-items",
        "after.md",
        "e2",
        &["--sign", "key"],
    );
    for id in ["e1", "e2"] {
        let out = git_verify_tag(&env, &allowed, id);
        out.success();
        assert!(
            out.stderr
                .contains("Good \"git\" signature for sec@example.org"),
            "{}",
            out.stderr
        );
        // Another key does not make it good.
        assert_ne!(git_verify_tag(&env, &wrong, id).code, Some(0));
    }
    let v = verify_json(&env, &["--allowed-signers", allowed_arg]);
    assert_eq!(v["ok"], true, "{v:#}");
    assert_eq!(v["editions_checked"], 2);
    assert_eq!(v["signatures_checked"], 2);
    let text = env.ok(&["verify", "--allowed-signers", allowed_arg]);
    assert!(
        text.stdout
            .contains(", the signatures of 2 tags checked: everything holds"),
        "{}",
        text.stdout
    );
    // Without the file, signatures are not checked.
    assert_eq!(verify_json(&env, &[])["signatures_checked"], 0);

    // Signed by a key the file does not trust.
    let v = verify_json(&env, &["--allowed-signers", wrong.to_str().expect("UTF-8")]);
    assert_eq!(
        found(&v),
        [pair("signature-bad", "e1"), pair("signature-bad", "e2")]
    );

    // An edition imported without --sign.
    import_ok(&env, "modified-recommendation", "after.md", "e3", &[]);
    assert_ne!(git_verify_tag(&env, &allowed, "e3").code, Some(0));
    let v = verify_json(&env, &["--allowed-signers", allowed_arg]);
    assert_eq!(found(&v), [pair("signature-missing", "e3")]);
    assert_eq!(v["signatures_checked"], 3);
    // Only the signature is missing: everything else holds.
    assert_eq!(verify_json(&env, &[])["ok"], true);
}

#[test]
fn sign_with_a_missing_key_exits_2_with_a_hint() {
    let env = TestEnv::new();
    import_ok(&env, "renumbered-items", "before.md", "e1", &[]);
    let out = import_fixture(
        &env,
        "renumbered-items",
        "after.md",
        "e2",
        &["--sign", "no-such-key"],
    );
    out.failure();
    assert!(
        out.error_lines()[0].contains("no-such-key"),
        "the error names the key: {}",
        out.stderr
    );
    assert!(out.hint().contains("key path"), "{}", out.stderr);
    assert_no_lock(&env);
    // No tag was made for it.
    assert!(!edition_objects(&env).contains_key("e2"));
}

/// Regression: `Store::import` moved the editions branch before it signed
/// the tag, so a signing failure left the new edition's commit on the
/// branch with no tag and no ledger entry.
#[test]
fn sign_with_a_missing_key_leaves_the_store_unchanged() {
    let env = TestEnv::new();
    import_ok(&env, "renumbered-items", "before.md", "e1", &[]);
    let before = env.refs_and_objects();
    let out = import_fixture(
        &env,
        "renumbered-items",
        "after.md",
        "e2",
        &["--sign", "no-such-key"],
    );
    out.failure();
    assert_eq!(env.refs_and_objects(), before);
}

/// Regression: after a failed signed import, the same import with a good
/// key said "already in the store … nothing to do", and the edition stayed
/// untagged and outside the ledger for good.
#[test]
fn a_failed_signed_import_can_be_retried() {
    let env = TestEnv::new();
    let allowed = ssh_key(&env, "key");
    import_ok(
        &env,
        "renumbered-items",
        "before.md",
        "e1",
        &["--sign", "key"],
    );
    import_fixture(
        &env,
        "renumbered-items",
        "after.md",
        "e2",
        &["--sign", "no-such-key"],
    )
    .failure();
    import_ok(
        &env,
        "renumbered-items",
        "after.md",
        "e2",
        &["--sign", "key"],
    );
    git_verify_tag(&env, &allowed, "e2").success();
    let v = verify_json(
        &env,
        &["--allowed-signers", allowed.to_str().expect("UTF-8")],
    );
    assert_eq!(v["ok"], true, "{v:#}");
}

#[test]
fn allowed_signers_naming_a_missing_file_exits_2() {
    let env = renumbered_store();
    let out = env.run(&["verify", "--allowed-signers", "no-such-file"]);
    out.failure();
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.error_lines(),
        ["error: cannot read no-such-file: no such file"]
    );
    out.hint();
    // A directory is no file either.
    env.run(&["verify", "--allowed-signers", "."]).failure();
}

/// Issue 30: `verify --allowed-signers` on an unsigned store said "2
/// signatures checked", as if there were signatures; it says whose
/// signatures were looked for, and that they are missing.
#[test]
fn verify_of_an_unsigned_store_does_not_claim_signatures() {
    let env = crate::common::TestEnv::new();
    env.import_real();
    let signers = env.write("signers", "secretariat@example.org ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1ioZ7JGIAGXhYJKmY8uwX4ag6mIGg2lORVRHsaB/Ys\n");
    let out = env.run(&["verify", "--allowed-signers", &signers]);
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    assert!(
        out.stdout.contains("the signature of 1 tag checked"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("1 signature checked"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("signature-missing"), "{}", out.stdout);
}

/// Issue 30: `import --dry-run --sign MISSING_KEY` succeeded and the real
/// import then failed. The dry run signs with the key as the import will.
#[test]
fn the_dry_run_checks_the_signing_key() {
    let env = TestEnv::new();
    let file = env.copy_real();
    let missing = env.root().join("no-such-key");
    let missing = missing.to_str().expect("UTF-8 path");
    let out = env.run(&["import", &file, "--dry-run", "--sign", missing]);
    out.failure();
    out.hint();
    assert!(!env.store().exists(), "a dry run writes nothing");
    // A key that signs passes the dry run, and writes nothing either.
    ssh_key(&env, "secretariat");
    let key = env.root().join("secretariat");
    let key = key.to_str().expect("UTF-8 path");
    env.ok(&["import", &file, "--dry-run", "--sign", key]);
    assert!(!env.store().exists(), "a dry run writes nothing");
}
