//! Snapshots of rendered runbooks for plans that the examples do not cover.

use dmsplan::catalog::Catalog;
use dmsplan::commands::{make_plan, render_plan};
use dmsplan::plan::{Answers, FIELDS};

fn answers(pairs: &[(&str, &str)]) -> Answers {
    let mut a = Answers::default();
    for (key, value) in pairs {
        let field = FIELDS.iter().find(|f| f.key == *key).expect("field");
        a.set_text(field, value, key).expect("answer");
    }
    a
}

fn runbook(pairs: &[(&str, &str)]) -> String {
    let catalog = Catalog::embedded().unwrap();
    let plan = make_plan(&catalog, answers(pairs), "2026-11-25T00:00:00Z".into()).unwrap();
    render_plan(&catalog, &plan, None).unwrap().runbook
}

#[test]
fn an_unsupported_pair_puts_its_blockers_first() {
    let text = runbook(&[
        ("name", "legacy"),
        ("source", "sqlserver:2014"),
        ("source_edition", "standard"),
        ("target", "postgres:16"),
        ("target_hosting", "on-prem"),
        ("size_gb", "3TB"),
        ("downtime", "1h"),
        ("region", "eu-west-1"),
    ]);
    insta::assert_snapshot!(text);
}

#[test]
fn a_forced_full_load_against_the_numbers_warns() {
    let text = runbook(&[
        ("source", "postgres:15"),
        ("target", "aurora-postgresql:16"),
        ("size_gb", "500"),
        ("downtime", "1h"),
        ("region", "us-east-1"),
        ("cdc", "no"),
    ]);
    assert!(text.contains("rule `plan.cdc.forced-off`"), "{text}");
    assert!(text.contains("| Migration type | `full-load` |"), "{text}");
    insta::assert_snapshot!(text);
}
