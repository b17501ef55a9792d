//! Inventory rows, waves and the portfolio.

use std::collections::HashMap;

use super::*;

fn cells(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn summary(name: &str, deps: &[&str], class: &str, mt: &str, size: f64) -> Summary {
    Summary {
        name: name.into(),
        slug: name.into(),
        app: String::new(),
        source: "mysql".into(),
        target: "aurora".into(),
        classification: class.into(),
        verdict: "supported".into(),
        migration_type: mt.into(),
        blockers: Vec::new(),
        size_gb: size,
        full_load_hours: size / 50.0,
        instance_class: "dms.r6i.large".into(),
        depends_on: deps.iter().map(|d| d.to_string()).collect(),
    }
}

#[test]
fn a_row_becomes_the_answers_new_takes() {
    let row = row_answers(
        2,
        &cells(&[
            ("name", "billing"),
            ("source", "oracle"),
            ("source_version", "19c"),
            ("target", "aurora-postgresql"),
            ("target_version", "16"),
            ("size_gb", "2TB"),
            ("downtime", "2h"),
            ("environment", "prod"),
            ("depends_on", "a; b"),
            ("change_rate_gb_per_hour", "3"),
        ]),
        Some("eu-west-1"),
    )
    .unwrap();
    assert_eq!(
        row.answers.source.as_ref().unwrap().to_string(),
        "oracle:19"
    );
    assert_eq!(row.answers.size_gb, Some(2048.0));
    assert_eq!(row.answers.production, Some(true));
    assert_eq!(row.answers.change_rate, Some(3.0));
    assert_eq!(row.depends_on, ["a", "b"]);
}

#[test]
fn a_bad_cell_is_refused_with_its_column() {
    let base = [
        ("name", "x"),
        ("source", "mysql"),
        ("target", "aurora"),
        ("size_gb", "10"),
        ("downtime", "2h"),
    ];
    for (column, value, want) in [
        ("size_gb", "big", "expected a positive number of GB"),
        ("downtime", "soon", "is not a duration"),
        ("source_version", "latest", "is not a version"),
        ("network", "fast", "is not a network path"),
    ] {
        let mut c = cells(&base);
        c.insert(column.into(), value.into());
        let r = row_answers(7, &c, Some("eu-west-1")).unwrap_err();
        assert_eq!(r.line, 7);
        assert_eq!(r.column, column, "{r:?}");
        assert!(r.reason.contains(want), "{r:?}");
    }
    let r = row_answers(3, &cells(&base), None).unwrap_err();
    assert_eq!(r.column, "region");
}

#[test]
fn a_missing_required_column_is_named() {
    let header: Vec<String> = ["name", "source", "target", "size_gb"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        check_header(&header).unwrap_err(),
        "the inventory has no column `downtime`"
    );
}

#[test]
fn waves_put_dependencies_first_and_simplest_first() {
    let s = vec![
        summary("app", &["db"], "homogeneous", "full-load", 10.0),
        summary("db", &[], "heterogeneous", "full-load-and-cdc", 500.0),
        summary("small", &[], "homogeneous", "full-load", 5.0),
        summary("report", &["app", "db"], "homogeneous", "full-load", 1.0),
    ];
    let w = waves(&s).unwrap();
    let names: Vec<Vec<&str>> = w
        .iter()
        .map(|w| w.iter().map(|i| s[*i].name.as_str()).collect())
        .collect();
    assert_eq!(
        names,
        vec![vec!["small", "db"], vec!["app"], vec!["report"]]
    );
}

#[test]
fn a_cycle_names_every_database_in_it() {
    let s = vec![
        summary("a", &["c"], "homogeneous", "full-load", 1.0),
        summary("b", &["a"], "homogeneous", "full-load", 1.0),
        summary("c", &["b"], "homogeneous", "full-load", 1.0),
        summary("d", &["a"], "homogeneous", "full-load", 1.0),
        summary("e", &[], "homogeneous", "full-load", 1.0),
    ];
    assert_eq!(waves(&s).unwrap_err(), ["a", "b", "c"]);
}

#[test]
fn the_portfolio_counts_what_the_summaries_say() {
    let mut s = vec![
        summary("a", &[], "homogeneous", "full-load", 100.0),
        summary("b", &["a"], "heterogeneous", "full-load-and-cdc", 300.0),
    ];
    s[1].blockers = vec!["cdc.x.edition".into()];
    s[1].source = "oracle".into();
    let w = waves(&s).unwrap();
    let p = portfolio(&s, &w, 3);
    assert_eq!(p.planned, 2);
    assert_eq!(p.refused, 3);
    assert_eq!(p.total_gb, 400.0);
    assert_eq!(p.cdc_instances, 1);
    assert_eq!(p.cdc_sources["oracle"], ["b"]);
    assert_eq!(p.blockers["cdc.x.edition"], ["b"]);
    assert_eq!(p.waves, vec![vec!["a".to_string()], vec!["b".to_string()]]);
    let md = portfolio_markdown(&p, &s);
    assert!(md.contains("| `cdc.x.edition` | 1 | b |"), "{md}");
    assert!(md.contains("| 2 | 1 | b |"), "{md}");
    assert!(md.contains("db0 --> db1"), "{md}");
}
