//! Drift: every committed example plan renders, in memory, to exactly the committed runbook.

use std::path::Path;

use dmsplan::catalog::Catalog;
use dmsplan::commands::{load_plan, render_plan};

#[test]
fn committed_runbooks_match_what_the_code_renders() {
    let catalog = Catalog::embedded().expect("embedded catalog");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("plans");
    let mut checked = 0;
    let mut stale = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("plans/")
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let plan_path = dir.join("plan.json");
        if !plan_path.is_file() {
            continue;
        }
        let plan = load_plan(&plan_path).unwrap_or_else(|e| panic!("{}: {e}", plan_path.display()));
        let rendered = render_plan(&catalog, &plan, None)
            .unwrap_or_else(|e| panic!("{}: {e}", plan_path.display()));
        for (name, text) in rendered.files() {
            let committed = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
            if committed != text {
                let rel = plan_path
                    .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                    .unwrap_or(&plan_path);
                stale.push(format!(
                    "cargo run -- render {} --force   # {name} differs",
                    rel.display()
                ));
            }
        }
        checked += 1;
    }
    assert!(
        checked >= 6,
        "the issue asks for at least six example plans, found {checked}"
    );
    assert!(
        stale.is_empty(),
        "committed runbooks differ from what the code renders; regenerate them with:\n{}",
        stale.join("\n")
    );
}
