//! Redlines: a comparison of two editions as edition B with the changes
//! marked, for Word (tracked changes) and PDF (issue 31).
