//! The library's layers, enforced: every module sits on one layer, and a
//! module uses only modules of lower layers (ripgrep's crates depend one
//! way; here, in one crate, a test reads the `crate::` paths). A new
//! module gets a line in [`LAYERS`]; an edge upwards is a design
//! question, not a test to silence: move the piece that causes it to the
//! layer where it belongs (docs/development.md says where things go).

/// Each top-level module and its layer, lowest first.
const LAYERS: &[(&str, u8)] = &[
    // The plain types of an edition.
    ("model", 0),
    // Core helpers over the model: how texts compare and are worded, the
    // rules versions, ids and their git names, findings, whole-file
    // writes, the compilation's grammar.
    ("text", 1),
    ("rules", 1),
    ("ids", 1),
    ("diagnostic", 1),
    ("files", 1),
    // The compilation's grammar: what its parts, years, meetings,
    // symbols and labels look like, for the readers and the writers.
    ("profile", 1),
    // Input: Markdown and Word into the model; a draft's findings.
    ("parse", 2),
    // Two editions into one report; the secretariat's overrides.
    ("diff", 3),
    // Editions in git: records, import, ledger, audit, repair, sync.
    ("store", 4),
    // Across stored editions: trace, blame, changelog.
    ("history", 5),
    // Reports into text, Markdown, HTML, Word and JSON views.
    ("render", 6),
    // The reader website.
    ("site", 7),
];

/// Edges between modules of one layer, each named on purpose.
const SAME_LAYER: &[(&str, &str)] = &[
    ("text", "model"),
    // A profile's grammar grows by rules version (labels with parts from
    // rules 4); `rules` names versions and uses nothing.
    ("profile", "rules"),
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::{LAYERS, SAME_LAYER};

    fn layer(module: &str) -> Option<u8> {
        LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
    }

    /// Every `crate::<module>` a library file names outside comments and
    /// test code, as (its module, the module it names).
    fn edges() -> BTreeSet<(String, String)> {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut out = BTreeSet::new();
        let mut stack = vec![src.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("src reads") {
                let path = entry.expect("an entry").path();
                let rel = path.strip_prefix(&src).expect("under src");
                let first = rel.components().next().expect("a component");
                let name = first.as_os_str().to_string_lossy().to_string();
                if path.is_dir() {
                    // The binary's own modules are above every layer.
                    if name != "cli" {
                        stack.push(path);
                    }
                    continue;
                }
                let file = path.file_name().and_then(|f| f.to_str()).unwrap_or("");
                let skip = ["lib.rs", "main.rs", "testgen.rs", "layers.rs"];
                if !file.ends_with(".rs")
                    || file == "tests.rs"
                    || (rel.components().count() == 1 && skip.contains(&file))
                {
                    continue;
                }
                let module = name.trim_end_matches(".rs").to_string();
                let text = std::fs::read_to_string(&path).expect("a source file reads");
                for line in text.lines() {
                    if line.starts_with("#[cfg(test)]") {
                        break;
                    }
                    if line.trim_start().starts_with("//") {
                        continue;
                    }
                    for (i, _) in line.match_indices("crate::") {
                        let before = line[..i].chars().next_back();
                        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                            continue;
                        }
                        let used: String = line[i + 7..]
                            .chars()
                            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                            .collect();
                        if !used.is_empty() && used != module {
                            out.insert((module.clone(), used));
                        }
                    }
                }
            }
        }
        out
    }

    #[test]
    fn every_module_uses_only_the_layers_below_it() {
        let edges = edges();
        assert!(
            edges.contains(&("store".to_string(), "diff".to_string())) && edges.len() > 20,
            "the test reads the sources: {edges:?}"
        );
        let mut wrong = Vec::new();
        for (from, to) in &edges {
            let (Some(a), Some(b)) = (layer(from), layer(to)) else {
                wrong.push(format!("{from} -> {to}: a module not in LAYERS"));
                continue;
            };
            let allowed = b < a || (a == b && SAME_LAYER.contains(&(from.as_str(), to.as_str())));
            if !allowed {
                wrong.push(format!("{from} (layer {a}) -> {to} (layer {b})"));
            }
        }
        assert!(
            wrong.is_empty(),
            "edges against the layers:\n{}",
            wrong.join("\n")
        );
    }

    #[test]
    fn every_top_level_module_has_a_layer_and_the_same_layer_edges_have_no_cycle() {
        let lib = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/lib.rs"))
            .expect("lib.rs reads");
        let modules: Vec<&str> = lib
            .lines()
            .filter_map(|l| l.strip_prefix("pub mod "))
            .map(|m| m.trim_end_matches(';'))
            .collect();
        assert!(modules.len() >= 10, "{modules:?}");
        for m in &modules {
            assert!(
                layer(m).is_some(),
                "src/lib.rs declares {m}, which has no layer"
            );
        }
        for (a, b) in SAME_LAYER {
            assert!(
                !SAME_LAYER.contains(&(b, a)),
                "{a} and {b} would use each other"
            );
        }
    }
}
