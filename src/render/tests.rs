//! The registry: strict mode, overrides by file name, escaping.

use std::fs;

use super::*;

fn ctx_json() -> serde_json::Value {
    serde_json::json!({"title": "a|b", "present": true, "items": []})
}

#[test]
fn every_builtin_template_compiles() {
    registry(None).expect("built-in templates compile");
}

#[test]
fn a_missing_field_fails_with_template_and_line() {
    let mut hb = registry(None).unwrap();
    hb.register_template_string("t", "line one\n{{tpyo}}\n")
        .unwrap();
    let err = hb.render("t", &ctx_json()).unwrap_err();
    let err = render_error(&err);
    let text = err.to_string();
    assert!(text.starts_with("template `t` line 2"), "{text}");
    assert!(text.contains("tpyo"), "{text}");
}

#[test]
fn if_on_a_missing_field_fails_instead_of_rendering_nothing() {
    let mut hb = registry(None).unwrap();
    hb.register_template_string("t", "{{#if presnet}}yes{{/if}}")
        .unwrap();
    assert!(hb.render("t", &ctx_json()).is_err());
    hb.register_template_string(
        "u",
        "{{#if present}}yes{{/if}}{{#unless items}} none{{/unless}}",
    )
    .unwrap();
    assert_eq!(hb.render("u", &ctx_json()).unwrap(), "yes none");
}

#[test]
fn user_text_is_escaped_for_markdown() {
    let mut hb = registry(None).unwrap();
    hb.register_template_string("t", "| {{title}} |").unwrap();
    assert_eq!(hb.render("t", &ctx_json()).unwrap(), "| a\\|b |");
}

#[test]
fn a_template_directory_overrides_by_file_name() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("partials")).unwrap();
    fs::write(
        dir.path().join("partials/rollback.md.hbs"),
        "## Rollback\n\nOur own rollback for {{title}}.\n",
    )
    .unwrap();
    let hb = registry(Some(dir.path())).unwrap();
    let out = hb.render("rollback", &ctx_json()).unwrap();
    assert_eq!(out, "## Rollback\n\nOur own rollback for a\\|b.\n");
}

/// An override using what the direct renderer leaves to handlebars (`@root`, `with`,
/// `lookup`) still renders the whole runbook, through handlebars, and memoized or not.
#[test]
fn an_override_beyond_the_direct_subset_renders_through_handlebars() {
    use crate::commands::{load_catalog, load_plan, render_with};

    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("rollback.md.hbs"),
        "## Rollback\n\n{{@root.title}} in {{#with source}}{{label}}{{/with}} ({{lookup target \"label\"}}).\n",
    )
    .unwrap();
    let catalog = load_catalog(None).unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("plans/billing-oracle-to-aurora-postgresql/plan.json");
    let plan = load_plan(&path).unwrap();
    let (plan, eval) = crate::commands::make_plan_evaluated(
        &catalog,
        plan.answers.clone(),
        plan.created_at.clone(),
    )
    .unwrap();
    let plain = registry(Some(dir.path())).unwrap().handlebars_only();
    let want = render_with(&catalog, &plan, eval.clone(), &plain)
        .unwrap()
        .runbook;
    assert!(
        want.contains("## Rollback\n\nBilling (Oracle to Aurora PostgreSQL) in Oracle Database 19"),
        "{}",
        &want[want.find("## Rollback").unwrap()..][..200]
    );
    for renderer in [
        registry(Some(dir.path())).unwrap(),
        registry_memoized(Some(dir.path())).unwrap(),
    ] {
        let got = render_with(&catalog, &plan, eval.clone(), &renderer).unwrap();
        assert_eq!(got.runbook, want);
    }
}

#[test]
fn a_template_file_that_replaces_nothing_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("rolback.md.hbs"), "x").unwrap();
    let err = registry(Some(dir.path())).unwrap_err().to_string();
    assert!(err.contains("rolback.md.hbs replaces no template"), "{err}");
}

#[test]
fn a_broken_override_names_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("cleanup.md.hbs"),
        "ok\n{{#if x}}\nnever closed\n",
    )
    .unwrap();
    let err = registry(Some(dir.path())).unwrap_err().to_string();
    assert!(
        err.starts_with("template `partials/cleanup.md.hbs`"),
        "{err}"
    );
}

/// Neither the direct renderer nor the memo may change a runbook: render many plans (every
/// example, renamed, resized, with and without CDC, in other Regions) directly through one
/// memoized renderer, after one another as a batch does, and compare each with what
/// handlebars alone renders.
#[test]
fn direct_and_memoized_runbooks_equal_handlebars_ones() {
    use crate::commands::{load_catalog, load_plan, render_with};
    use crate::plan::field;

    let catalog = load_catalog(None).unwrap();
    let plain = registry(None).unwrap().handlebars_only();
    let memoized = registry_memoized(None).unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("plans");
    let mut plans = Vec::new();
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path().join("plan.json");
        if path.is_file() {
            plans.push(load_plan(&path).unwrap());
        }
    }
    plans.sort_by_key(|p| p.answers.name_or_default());
    assert!(plans.len() >= 7);
    let variants: &[&[(&str, &str)]] = &[
        &[],
        &[("name", "Other db")],
        &[("size_gb", "7"), ("downtime", "1d")],
        &[
            ("size_gb", "30000"),
            ("downtime", "1h"),
            ("region", "ap-south-1"),
        ],
        &[("name", "x"), ("size_gb", "7"), ("downtime", "1d")],
    ];
    let mut rendered = 0;
    for _round in 0..2 {
        for variant in variants {
            for plan in &plans {
                let mut answers = plan.answers.clone();
                for (key, value) in *variant {
                    answers.set_text(field(key), value, key).unwrap();
                }
                let (plan, eval) = crate::commands::make_plan_evaluated(
                    &catalog,
                    answers,
                    plan.created_at.clone(),
                )
                .unwrap();
                // The direct renderer must handle the built-in templates, not hand them back.
                let artifacts =
                    crate::artifacts::Artifacts::build(&catalog, &plan, &eval, "test").unwrap();
                let ctx = RenderContext::new(&catalog, &plan, &eval, &artifacts, "test");
                let data = tree::to_node(&ctx).unwrap();
                assert!(direct::render(&memoized.hb, None, "runbook", &data).is_ok());
                let want = render_with(&catalog, &plan, eval.clone(), &plain).unwrap();
                let got = render_with(&catalog, &plan, eval, &memoized).unwrap();
                assert_eq!(got.runbook, want.runbook, "{}", plan.slug());
                rendered += 1;
            }
        }
    }
    assert!(rendered >= 70);
}
