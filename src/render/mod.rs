//! Output formats. Each renderer takes a plain data type and writes to a
//! `&mut dyn Write`; the CLI picks one by an enum.

pub mod describe;
pub mod diff_markdown;
pub mod diff_text;
pub mod docx;
pub mod history;
pub mod html;
pub mod json;
pub mod markdown;
pub mod text;
