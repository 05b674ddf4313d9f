//! `--format`: one enum of every output format, and the `--format
//! text|json` argument that the commands printing a report and its JSON
//! view share. A command that prints other formats accepts only those it
//! renders ([`Format::only`]), so clap refuses the rest with the list of
//! what it takes.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use clap::ValueEnum;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use serde::Serialize;

use livedoc::render::json;

use super::{CliError, Ctx};

/// Every format livedoc prints: renderers by format over one report per
/// command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Markdown,
    Json,
    Html,
    Docx,
    Pdf,
    Akn,
}

impl Format {
    /// A parser of `--format` that accepts only `allowed`, listed in one
    /// order for every command (text, markdown, json, html, docx, pdf,
    /// akn) whatever the order of `allowed`, so that `--help` reads the
    /// same everywhere.
    pub fn only(allowed: &'static [Format]) -> impl TypedValueParser<Value = Format> {
        let names = Format::value_variants()
            .iter()
            .filter(|f| allowed.contains(f))
            .filter_map(|f| f.to_possible_value())
            .collect::<Vec<_>>();
        PossibleValuesParser::new(names).map(|name: String| {
            Format::from_str(&name, false).expect("a possible value names a format")
        })
    }

    /// The error for a format the command's parser let through but it does
    /// not render (a parser and a renderer that disagree).
    pub fn unsupported(self, command: &str) -> CliError {
        let name = self
            .to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default();
        CliError::Usage {
            message: format!("livedoc {command} does not print {name}"),
            hint: format!("see livedoc {command} --help for the formats it prints"),
        }
    }
}

/// `--format text|json`.
#[derive(Debug, clap::Args)]
pub struct FormatArgs {
    /// How to print it: text, or json for scripts (the schemas under schemas/).
    #[arg(
        long,
        value_parser = Format::only(&[Format::Text, Format::Json]),
        default_value = "text"
    )]
    pub format: Format,
}

impl FormatArgs {
    /// Prints the report as text, or its JSON view.
    pub fn print<V: Serialize>(
        &self,
        out: &mut dyn Write,
        text: impl FnOnce(&mut dyn Write) -> io::Result<()>,
        view: impl FnOnce() -> V,
    ) -> io::Result<()> {
        match self.format {
            Format::Json => json::write(&view(), out),
            _ => text(out),
        }
    }
}

/// A format that is a document rather than text: what it is called in a
/// message, and its name.
pub fn document(format: Format) -> Option<(&'static str, &'static str)> {
    match format {
        Format::Docx => Some(("a Word document", "docx")),
        Format::Pdf => Some(("a PDF", "pdf")),
        _ => None,
    }
}

/// A document is not printed on a terminal: refused before anything is
/// read, with the command (`usage`) to write it to a file instead.
pub fn refuse_on_terminal(format: Format, out: Option<&Path>, usage: &str) -> Result<(), CliError> {
    match document(format) {
        Some((what, name)) if out.is_none() && std::io::stdout().is_terminal() => {
            Err(CliError::Usage {
                message: format!("{what} is not text to print on a terminal"),
                hint: format!("name a file: {usage} --format {name} --out FILE"),
            })
        }
        _ => Ok(()),
    }
}

/// Writes what `write` writes to the file `path` (replaced whole, never
/// left half-written, and said on stderr), or else to standard output:
/// a document (`raw`) as its bytes, text through `out`.
pub fn write_out(
    ctx: &Ctx,
    path: Option<&Path>,
    raw: bool,
    out: &mut dyn Write,
    write: impl Fn(&mut dyn Write) -> Result<(), CliError>,
) -> Result<(), CliError> {
    match path {
        // A document is bytes: written as they are, not through the
        // escaping of control characters that text output goes through.
        None if raw => {
            let mut stdout = std::io::stdout().lock();
            write(&mut stdout)?;
            stdout.flush()?;
        }
        None => write(out)?,
        Some(path) => {
            let mut bytes = Vec::new();
            write(&mut bytes)?;
            livedoc::files::write_whole(path, &bytes).map_err(|source| CliError::Write {
                path: path.to_path_buf(),
                source,
            })?;
            ctx.note(&format!(
                "Wrote {} ({} bytes).",
                path.display(),
                bytes.len()
            ));
        }
    }
    Ok(())
}
