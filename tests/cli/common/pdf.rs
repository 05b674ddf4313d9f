//! Reading PDFs back: poppler's tools, a pseudo-terminal to check that a
//! document is refused on a terminal, and the hostile fixture, shared by
//! the PDF and redline tests.

use std::process::Command;

/// A synthetic edition (its title says so) whose every text holds typst
/// markup.
pub const HOSTILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pdf/hostile.md");

pub const POPPLER: &str = "needs poppler-utils (pdftotext, pdfinfo, pdffonts)";

/// Runs a poppler tool; a missing tool fails the test.
pub fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{POPPLER}: cannot run {tool}: {e}"));
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Text as compared: without whitespace, so that a line broken by the
/// layout (after a space, a hyphen or a slash) reads as written. The
/// template never hyphenates, so no character is added.
pub fn squeezed(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A pseudo-terminal: its master, and its slave as a file to give a
/// child as standard output.
#[cfg(unix)]
pub fn pty() -> (std::fs::File, std::fs::File) {
    use std::ffi::CStr;
    use std::os::fd::FromRawFd;
    // SAFETY: plain libc calls on a descriptor this function owns; the
    // name ptsname returns is copied before any other call.
    unsafe {
        let fd = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
        assert!(fd >= 0, "posix_openpt: {}", std::io::Error::last_os_error());
        assert_eq!(libc::grantpt(fd), 0, "grantpt");
        assert_eq!(libc::unlockpt(fd), 0, "unlockpt");
        let name = libc::ptsname(fd);
        assert!(!name.is_null(), "ptsname");
        let name = CStr::from_ptr(name).to_string_lossy().into_owned();
        let master = std::fs::File::from_raw_fd(fd);
        let slave = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&name)
            .unwrap_or_else(|e| panic!("open {name}: {e}"));
        (master, slave)
    }
}

/// How many bytes wait to be read on a pseudo-terminal's master.
#[cfg(unix)]
pub fn pending(master: &std::fs::File) -> i32 {
    use std::os::fd::AsRawFd;
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD writes one int through the pointer given.
    let rc = unsafe { libc::ioctl(master.as_raw_fd(), libc::FIONREAD, &mut n) };
    assert_eq!(rc, 0, "FIONREAD: {}", std::io::Error::last_os_error());
    n
}
