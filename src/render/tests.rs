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
