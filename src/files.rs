//! Writing a file whole: its bytes go to a temporary file of a unique
//! name, created exclusively beside the target (so never through a link
//! planted there, and never clashing with a concurrent writer), then
//! renamed over it, so that a reader sees the old file or the new one,
//! never half of one. The file is readable by all, as the umask allows,
//! not owner-only as a temporary file is made.

use std::io::{self, Write};
use std::path::Path;

/// Replaces `path` with `bytes`. Its directory must exist.
pub fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".livedoc-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_and_readable_by_all() {
        let dir = tempfile::tempdir().expect("a directory");
        let path = dir.path().join("x.docx");
        std::fs::write(&path, "old").expect("written");
        write_whole(&path, b"new").expect("replaced");
        assert_eq!(std::fs::read(&path).expect("read"), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o004, 0o004, "readable by others: {mode:o}");
        }
        let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
        assert_eq!(left.len(), 1, "no temporary file is left");
        assert!(write_whole(&dir.path().join("missing/x"), b"x").is_err());
    }
}
