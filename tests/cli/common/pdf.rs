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

/// What a reader sees of a Markdown text: its text, without markup.
pub fn plain(md: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser};
    let mut out = String::new();
    for ev in Parser::new_ext(md, Options::empty()) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

/// One page as pdftotext reads it.
#[derive(Debug)]
pub struct Page {
    /// The running header, its first line (none on a title page).
    pub header: Option<String>,
    /// What is between the header and the page number.
    pub body: String,
    /// The page number printed at its foot.
    pub number: Option<u32>,
}

/// The pages of a PDF, from the first, read by pdftotext one by one in
/// the order their text was written (`-raw`: without it, pdftotext
/// takes a hyphen at the end of a line for hyphenation and drops it,
/// reading "gender-sensitive" broken after its hyphen as
/// "gendersensitive"). The running header is then one line, first;
/// `title_page` says the first page has none.
pub fn pages(pdf: &str, title_page: bool) -> Vec<Page> {
    let info = poppler("pdfinfo", &[pdf]);
    let count: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in:\n{info}"));
    (1..=count)
        .map(|p| {
            let n = p.to_string();
            let text = poppler("pdftotext", &["-raw", "-f", &n, "-l", &n, pdf, "-"]);
            let mut lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
            let number = lines.last().and_then(|l| l.trim().parse().ok());
            if number.is_some() {
                lines.pop();
            }
            let on_title_page = title_page && p == 1;
            let header = (!on_title_page && !lines.is_empty()).then(|| lines.remove(0).to_string());
            Page {
                header,
                body: lines.join("\n"),
                number,
            }
        })
        .collect()
}

/// The text of a PDF's pages, without running headers and page numbers.
pub fn body_text(pages: &[Page]) -> String {
    pages
        .iter()
        .map(|p| p.body.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The PDF is tagged with `tags` among its structure, titled `title`, in
/// English (in its metadata and its catalogue), A4, and embeds every font.
pub fn assert_tagged_english_a4_embedded(pdf: &str, title: &str, tags: &[&str]) {
    let info = poppler("pdfinfo", &[pdf]);
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(str::trim)
            .unwrap_or_else(|| panic!("no {name} in:\n{info}"))
            .to_string()
    };
    assert_eq!(field("Tagged"), "yes");
    assert_eq!(field("Title"), title);
    assert_eq!(field("Page size"), "595.276 x 841.89 pts (A4)");
    let meta = poppler("pdfinfo", &["-meta", pdf]);
    assert!(
        meta.contains("<dc:language><rdf:Bag><rdf:li>en</rdf:li></rdf:Bag></dc:language>"),
        "{meta}"
    );
    let bytes = std::fs::read(pdf).expect("the PDF");
    assert!(
        bytes.windows(9).any(|w| w == b"/Lang(en)"),
        "no /Lang in the catalogue"
    );
    // A structure a reader can navigate: headings, lists, contents.
    let tree = poppler("pdfinfo", &["-struct", pdf]);
    for tag in tags {
        assert!(
            tree.lines()
                .any(|l| l.trim_start().split(' ').next() == Some(*tag)),
            "no {tag} in the structure:\n{tree}"
        );
    }
    let fonts = poppler("pdffonts", &[pdf]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name, type (one or more words), encoding, emb, sub, uni, object, id
        let emb = cols.get(cols.len().saturating_sub(5)).copied();
        assert_eq!(emb, Some("yes"), "not embedded: {row}");
    }
}
