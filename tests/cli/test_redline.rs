//! `diff A B --format docx`: a comparison as a Word redline with tracked
//! changes, opened, accepted and rejected by LibreOffice.
