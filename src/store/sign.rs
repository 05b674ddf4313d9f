//! SSH signatures on edition tags, in git's own format, so that stock
//! `git verify-tag` (with `gpg.format=ssh`) accepts them. Signing and
//! checking are done by `ssh-keygen -Y`, the tool git itself calls.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use git2::{Oid, Signature};
use thiserror::Error;

const BEGIN: &str = "-----BEGIN SSH SIGNATURE-----";

#[derive(Debug, Error)]
pub enum SignError {
    #[error("cannot run ssh-keygen: {0}")]
    Spawn(std::io::Error),
    #[error("ssh-keygen could not sign with {}: {message}", key.display())]
    Sign { key: PathBuf, message: String },
    #[error("cannot write a temporary file: {0}")]
    Temp(std::io::Error),
}

/// The bytes of an annotated tag object before any signature, exactly as
/// git writes them.
pub fn tag_payload(target: Oid, name: &str, tagger: &Signature<'_>, message: &str) -> String {
    let when = tagger.when();
    let offset = when.offset_minutes();
    let sign = if offset < 0 { '-' } else { '+' };
    let offset = offset.abs();
    format!(
        "object {target}\ntype commit\ntag {name}\ntagger {} <{}> {} {sign}{:02}{:02}\n\n{message}",
        tagger.name().unwrap_or_default(),
        tagger.email().unwrap_or_default(),
        when.seconds(),
        offset / 60,
        offset % 60
    )
}

/// Writes `input` to a child's stdin and waits for it. ssh-keygen may exit
/// before it reads its input (a missing or unreadable key): the write then
/// meets a closed pipe, and what ssh-keygen said is the error to report,
/// not the pipe.
fn feed(mut child: std::process::Child, input: &[u8]) -> Result<std::process::Output, SignError> {
    let written = child.stdin.take().expect("stdin is piped").write_all(input);
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        let _ = child.kill();
        let _ = child.wait();
        return Err(SignError::Spawn(e));
    }
    child.wait_with_output().map_err(SignError::Spawn)
}

/// Signs a payload with an SSH private key, in the `git` namespace.
pub fn sign(payload: &str, key: &Path) -> Result<String, SignError> {
    let child = Command::new("ssh-keygen")
        .args(["-q", "-Y", "sign", "-n", "git", "-f"])
        .arg(key)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(SignError::Spawn)?;
    let out = feed(child, payload.as_bytes())?;
    let sig = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() || !sig.starts_with(BEGIN) {
        return Err(SignError::Sign {
            key: key.to_path_buf(),
            message: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(sig)
}

/// Splits a tag object into its signed payload and its SSH signature.
pub fn split(tag_object: &[u8]) -> Option<(&[u8], &[u8])> {
    let text = std::str::from_utf8(tag_object).ok()?;
    let at = text.find(BEGIN)?;
    Some((&tag_object[..at], &tag_object[at..]))
}

/// What checking one signature found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// Valid, by this principal of the allowed signers.
    Good(String),
    /// No signature on the tag.
    Unsigned,
    /// A signature that does not verify, with ssh-keygen's words.
    Bad(String),
}

/// Checks a tag's signature against an allowed-signers file.
pub fn check(tag_object: &[u8], allowed: &Path) -> Result<Checked, SignError> {
    let Some((payload, sig)) = split(tag_object) else {
        return Ok(Checked::Unsigned);
    };
    let mut sig_file = tempfile::NamedTempFile::new().map_err(SignError::Temp)?;
    sig_file.write_all(sig).map_err(SignError::Temp)?;
    let found = Command::new("ssh-keygen")
        .args(["-Y", "find-principals", "-f"])
        .arg(allowed)
        .arg("-s")
        .arg(sig_file.path())
        .output()
        .map_err(SignError::Spawn)?;
    let principal = String::from_utf8_lossy(&found.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    if !found.status.success() || principal.is_empty() {
        return Ok(Checked::Bad("no allowed signer made this signature".into()));
    }
    let child = Command::new("ssh-keygen")
        .args(["-Y", "verify", "-n", "git", "-f"])
        .arg(allowed)
        .args(["-I", &principal, "-s"])
        .arg(sig_file.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(SignError::Spawn)?;
    let out = feed(child, payload)?;
    if out.status.success() {
        Ok(Checked::Good(principal))
    } else {
        let words = String::from_utf8_lossy(&out.stderr).trim().to_string();
        Ok(Checked::Bad(if words.is_empty() {
            "the signature does not verify".into()
        } else {
            words
        }))
    }
}
