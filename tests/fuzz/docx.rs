//! Mutated Word documents (filled in by the docx fuzz work).
