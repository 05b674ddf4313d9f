//! The container of a Word document: a zip archive of XML parts. Read
//! with caps on what it may inflate to, so that a zip bomb is refused
//! before it fills memory, and with a clear refusal of what is not a
//! .docx at all (a legacy .doc, a password-protected document, any other
//! file).

use std::io::{Cursor, Read};

use crate::diagnostic::{Code, Diagnostic};

/// The most any one part may inflate to. The compilation's document part
/// is about 0.2 MiB; a draft a thousand times larger still fits.
pub const MAX_PART_BYTES: u64 = 64 << 20;
/// The most all the parts read may inflate to together.
pub const MAX_TOTAL_BYTES: u64 = 160 << 20;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const EMPTY_ZIP_MAGIC: &[u8] = b"PK\x05\x06";
/// An OLE compound file: a Word 97-2003 `.doc`, or a password-protected
/// `.docx` (Word wraps the encrypted package in one).
const CFB_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Whether the bytes look like a Word document of either kind, or a zip.
pub fn looks_like_word(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC)
        || bytes.starts_with(EMPTY_ZIP_MAGIC)
        || bytes.starts_with(CFB_MAGIC)
}

/// The parts of a Word document that livedoc reads.
#[derive(Debug, Default)]
pub struct Package {
    pub document: String,
    pub document_rels: Option<String>,
    pub styles: Option<String>,
    pub numbering: Option<String>,
}

const HINT_SAVE: &str = "save the draft from Word as a Word Document (.docx) and try again";

/// Opens the archive and reads the main document part and the parts it
/// relates to.
pub fn open(bytes: &[u8]) -> Result<Package, Diagnostic> {
    if bytes.starts_with(CFB_MAGIC) {
        return Err(compound_file(bytes));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        Diagnostic::error(
            Code::DocxNotZip,
            None,
            format!("the file is not a Word document: it is not a zip archive ({e})"),
        )
        .with_hint(HINT_SAVE)
    })?;
    let mut budget = MAX_TOTAL_BYTES;
    let main = main_part(&mut zip, &mut budget)?;
    let Some(document) = read_part(&mut zip, &main, &mut budget)? else {
        return Err(Diagnostic::error(
            Code::DocxNoDocument,
            None,
            format!("the zip archive holds no Word document part ({main} is missing)"),
        )
        .with_hint(HINT_SAVE));
    };
    let (dir, name) = match main.rsplit_once('/') {
        Some((d, n)) => (format!("{d}/"), n.to_string()),
        None => (String::new(), main.clone()),
    };
    let document_rels = read_part(&mut zip, &format!("{dir}_rels/{name}.rels"), &mut budget)?;
    let target = |kind: &str, default: &str| {
        document_rels
            .as_deref()
            .and_then(|r| relationship(r, kind))
            .map(|t| resolve(&dir, &t))
            .unwrap_or_else(|| format!("{dir}{default}"))
    };
    let (styles_at, numbering_at) = (
        target("/styles", "styles.xml"),
        target("/numbering", "numbering.xml"),
    );
    let styles = read_part(&mut zip, &styles_at, &mut budget)?;
    let numbering = read_part(&mut zip, &numbering_at, &mut budget)?;
    Ok(Package {
        document,
        document_rels,
        styles,
        numbering,
    })
}

/// What a compound file is: encrypted, a legacy `.doc`, or neither.
fn compound_file(bytes: &[u8]) -> Diagnostic {
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let holds = |s: &str| memchr::memmem::find(bytes, &utf16(s)).is_some();
    if holds("EncryptedPackage") {
        Diagnostic::error(
            Code::DocxEncrypted,
            None,
            "the Word document is encrypted (protected with a password), so its text cannot be read",
        )
        .with_hint("remove the password in Word (File > Info > Protect Document > Encrypt with Password, then clear it), save, and try again")
    } else if holds("WordDocument") {
        Diagnostic::error(
            Code::DocxLegacy,
            None,
            "the file is a Word 97-2003 document (.doc), not a .docx",
        )
        .with_hint("open it in Word and save it as a Word Document (.docx), then try again")
    } else {
        Diagnostic::error(
            Code::DocxNotZip,
            None,
            "the file is an OLE compound file, not a Word document (.docx)",
        )
        .with_hint(HINT_SAVE)
    }
}

/// The main document part: the office-document relationship of the
/// package, else `word/document.xml`.
fn main_part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    budget: &mut u64,
) -> Result<String, Diagnostic> {
    let rels = read_part(zip, "_rels/.rels", budget)?;
    Ok(rels
        .as_deref()
        .and_then(|r| relationship(r, "/officeDocument"))
        .map(|t| resolve("", &t))
        .unwrap_or_else(|| "word/document.xml".to_string()))
}

/// Reads one part as text, or `None` when the archive has no such part.
fn read_part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    budget: &mut u64,
) -> Result<Option<String>, Diagnostic> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(zip::result::ZipError::UnsupportedArchive(what))
            if what == zip::result::ZipError::PASSWORD_REQUIRED =>
        {
            return Err(Diagnostic::error(
                Code::DocxEncrypted,
                None,
                format!("the part {name} of the Word document is encrypted"),
            )
            .with_hint("save the document without a password and try again"));
        }
        Err(e) => {
            return Err(Diagnostic::error(
                Code::DocxCorrupt,
                None,
                format!("the part {name} of the Word document cannot be read: {e}"),
            )
            .with_hint("open the document in Word, save it again, and try again"));
        }
    };
    let cap = MAX_PART_BYTES.min(*budget);
    let too_large = || {
        Diagnostic::error(
            Code::DocxTooLarge,
            None,
            format!(
                "the part {name} of the Word document inflates to more than {} MiB; it is refused as a likely zip bomb",
                cap >> 20
            ),
        )
        .with_hint("check the file is the draft you meant; a compilation is far smaller")
    };
    if file.size() > cap {
        return Err(too_large());
    }
    // The declared size may lie: the reading itself is capped.
    let mut bytes = Vec::with_capacity(file.size() as usize);
    file.take(cap + 1).read_to_end(&mut bytes).map_err(|e| {
        Diagnostic::error(
            Code::DocxCorrupt,
            None,
            format!("the part {name} of the Word document is damaged: {e}"),
        )
        .with_hint("open the document in Word, save it again, and try again")
    })?;
    if bytes.len() as u64 > cap {
        return Err(too_large());
    }
    *budget -= bytes.len() as u64;
    let text = decode_xml(bytes).map_err(|why| {
        Diagnostic::error(
            Code::DocxEncoding,
            None,
            format!("the part {name} of the Word document is not text: {why}"),
        )
        .with_hint("open the document in Word, save it again, and try again")
    })?;
    Ok(Some(text))
}

/// XML parts are UTF-8 (Word's own) or UTF-16 with a byte-order mark.
fn decode_xml(bytes: Vec<u8>) -> Result<String, String> {
    let utf16 = |b: &[u8], le: bool| {
        let units = b.chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|e| e.to_string())
    };
    match bytes.as_slice() {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, true),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, false),
        _ => {
            let s = String::from_utf8(bytes).map_err(|e| e.to_string())?;
            Ok(match s.strip_prefix('\u{feff}') {
                Some(t) => t.to_string(),
                None => s,
            })
        }
    }
}

/// The target of the first relationship whose type ends with `kind`.
pub fn relationship(rels: &str, kind: &str) -> Option<String> {
    relationships(rels)
        .into_iter()
        .find(|r| r.kind.ends_with(kind))
        .map(|r| r.target)
}

/// One `<Relationship>` of a `.rels` part.
#[derive(Debug, Clone)]
pub struct Relationship {
    pub id: String,
    pub kind: String,
    pub target: String,
}

/// Every relationship of a `.rels` part; a damaged one yields those read
/// before the damage.
pub fn relationships(rels: &str) -> Vec<Relationship> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(rels);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                let mut r = Relationship {
                    id: String::new(),
                    kind: String::new(),
                    target: String::new(),
                };
                for a in e.attributes().flatten() {
                    let v = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map(|v| v.into_owned())
                        .unwrap_or_default();
                    match a.key.local_name().as_ref() {
                        "Id" => r.id = v,
                        "Type" => r.kind = v,
                        "Target" => r.target = v,
                        _ => {}
                    }
                }
                out.push(r);
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// A relationship target resolved against the directory of its source.
fn resolve(dir: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_their_directory() {
        assert_eq!(resolve("word/", "styles.xml"), "word/styles.xml");
        assert_eq!(resolve("word/", "../customXml/a.xml"), "customXml/a.xml");
        assert_eq!(resolve("", "/word/document.xml"), "word/document.xml");
    }

    #[test]
    fn a_compound_file_is_named_for_what_it_is() {
        let mut enc = CFB_MAGIC.to_vec();
        enc.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(open(&enc).unwrap_err().code, "docx-encrypted");
        let mut doc = CFB_MAGIC.to_vec();
        doc.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(open(&doc).unwrap_err().code, "docx-legacy");
        assert_eq!(open(b"plain text").unwrap_err().code, "docx-not-zip");
    }

    #[test]
    fn utf16_parts_are_decoded() {
        let mut b = vec![0xFF, 0xFE];
        b.extend("<a/>".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode_xml(b).expect("UTF-16 decodes"), "<a/>");
    }
}
