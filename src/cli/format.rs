//! `--format`: one enum of every output format, and the `--format
//! text|json` argument that the commands printing a report and its JSON
//! view share. A command that prints other formats accepts only those it
//! renders ([`Format::only`]), so clap refuses the rest with the list of
//! what it takes.

use std::io::{self, Write};

use clap::ValueEnum;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use serde::Serialize;

use livedoc::render::json;

use super::CliError;

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
}

impl Format {
    /// A parser of `--format` that accepts only `allowed`, listed in one
    /// order for every command (text, markdown, json, html, docx, pdf) whatever
    /// the order of `allowed`, so that `--help` reads the same everywhere.
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
