//! Word in, Word out.
