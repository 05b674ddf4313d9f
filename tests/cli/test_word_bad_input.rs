//! Word documents livedoc must refuse.
