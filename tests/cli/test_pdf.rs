//! `show --format pdf`: an edition as the PDF the secretariat publishes,
//! read back with poppler.
