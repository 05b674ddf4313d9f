//! What the browser tests need: chromium, node and playwright-core.

use std::path::Path;
use std::process::Command;

/// Whether chromium, node and playwright-core are installed. The browser
/// test is `#[ignore]`d, so `cargo test` shows it as ignored rather than
/// passing without running; run it with `cargo test -- --ignored browser`
/// (`.ci/run` does). Once asked for, it fails when it cannot run.
pub fn browser_available() -> bool {
    let browser = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser");
    Path::new("/usr/bin/chromium").exists()
        && Path::new(browser)
            .join("node_modules/playwright-core")
            .is_dir()
        && Command::new("node")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
}
