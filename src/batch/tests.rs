//! Inventory rows, waves and the portfolio.

use super::*;

fn cells(pairs: &[(&str, &str)]) -> Cells {
    Cells::from_pairs(pairs.iter().copied())
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
        c.set(super::column(column).unwrap(), value);
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
    let md = portfolio_markdown(&p, &s, false);
    assert!(portfolio_markdown(&p, &s, true).contains("A dry run: no plan directory"));
    assert!(md.contains("| `cdc.x.edition` | 1 | b |"), "{md}");
    assert!(md.contains("| 2 | 1 | b |"), "{md}");
    assert!(md.contains("db0 --> db1"), "{md}");
}

fn chain(n: usize) -> Vec<Summary> {
    (0..n)
        .map(|i| {
            let deps: Vec<String> = if i == 0 {
                Vec::new()
            } else {
                vec![format!("db-{}", i - 1)]
            };
            let deps: Vec<&str> = deps.iter().map(String::as_str).collect();
            summary(&format!("db-{i}"), &deps, "homogeneous", "full-load", 1.0)
        })
        .collect()
}

#[test]
fn a_chain_of_ten_thousand_databases_is_ten_thousand_waves() {
    // Listed last first, so levelling in file order would need a pass per database.
    let mut s = chain(10_000);
    s.reverse();
    let w = waves(&s).unwrap();
    assert_eq!(w.len(), 10_000);
    assert_eq!(s[w[0][0]].name, "db-0");
    assert_eq!(s[w[9_999][0]].name, "db-9999");
    assert!(w.iter().all(|w| w.len() == 1));
}

#[test]
fn a_cycle_of_ten_thousand_names_every_database_in_it() {
    let mut s = chain(10_000);
    s[0].depends_on = vec!["db-9999".into()];
    s.push(summary("after", &["db-5"], "homogeneous", "full-load", 1.0));
    let cycle = waves(&s).unwrap_err();
    assert_eq!(cycle.len(), 10_000);
    assert!(!cycle.contains(&"after".to_string()));
    assert!(cycle.windows(2).all(|p| p[0] < p[1]), "sorted");
}

#[test]
fn only_databases_on_a_cycle_are_named_not_those_between_or_after() {
    let s = vec![
        summary("self", &["self"], "homogeneous", "full-load", 1.0),
        summary("a", &["b"], "homogeneous", "full-load", 1.0),
        summary("b", &["a"], "homogeneous", "full-load", 1.0),
        // Depends on the a-b cycle, and the x-y cycle depends on it: on no cycle itself.
        summary("between", &["a"], "homogeneous", "full-load", 1.0),
        summary("x", &["y", "between"], "homogeneous", "full-load", 1.0),
        summary("y", &["x"], "homogeneous", "full-load", 1.0),
        summary("after", &["y", "nobody"], "homogeneous", "full-load", 1.0),
        summary("free", &[], "homogeneous", "full-load", 1.0),
    ];
    assert_eq!(waves(&s).unwrap_err(), ["a", "b", "self", "x", "y"]);
}

#[test]
fn levels_count_the_longest_path_and_ignore_unknown_names() {
    let deps = |d: &[&str]| d.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let (a, b, c, d) = (
        deps(&[]),
        deps(&["a", "ghost"]),
        deps(&["a", "b"]),
        deps(&["a", "a"]),
    );
    let nodes = [("c", &c[..]), ("b", &b[..]), ("a", &a[..]), ("d", &d[..])];
    assert_eq!(levels(&nodes).unwrap(), [2, 1, 0, 1]);
    assert_eq!(levels(&[]).unwrap(), Vec::<usize>::new());
}

fn row(name: &str, deps: &str, size: &str) -> Cells {
    cells(&[
        ("name", name),
        ("source", "mysql"),
        ("target", "aurora-mysql"),
        ("size_gb", size),
        ("downtime", "2h"),
        ("depends_on", deps),
    ])
}

#[test]
fn screening_keeps_names_unique_and_checks_depends_on_against_every_row() {
    let mut screening = Screening::default();
    for (line, cells) in [
        (2, row("a", "", "10")),
        (3, row("bad", "", "lots")),
        (4, row("b", "bad; a", "10")),
        (5, row("A", "", "10")),
        (6, row("a", "", "10")),
        (7, row("c", "nobody", "10")),
    ] {
        screening.add(line, &cells, Some("eu-west-1"), |_| Ok(()));
    }
    let Screened { accepted, refusals } = screening.finish();
    let names: Vec<(u64, &str)> = accepted.iter().map(|a| (a.line, a.name.as_str())).collect();
    assert_eq!(names, [(2, "a"), (4, "b")]);
    assert_eq!(accepted[1].depends_on, ["bad", "a"]);
    let refused: Vec<(u64, &str, &str)> = refusals
        .iter()
        .map(|r| (r.line, r.column.as_str(), r.reason.as_str()))
        .collect();
    assert_eq!(refused[0].0, 3);
    assert_eq!(refused[0].1, "size_gb");
    assert_eq!(
        refused[1..],
        [
            (
                5,
                "name",
                "its directory `a` is the same as the name's on line 2"
            ),
            (6, "name", "duplicate name, first on line 2"),
            (7, "depends_on", "`nobody` is no database of the inventory"),
        ]
    );
}

#[test]
fn cells_hold_each_column_by_position_and_ignore_other_columns() {
    let c = cells(&[
        ("name", " a "),
        ("notes", "ignored"),
        ("region", "eu-west-1"),
        ("name", "b"),
    ]);
    assert_eq!(
        c.get(NAME),
        "b",
        "a later cell of a column replaces the earlier"
    );
    assert_eq!(c.get(REGION), "eu-west-1");
    assert_eq!(c.get(SOURCE), "", "a column the row lacks is empty");
    assert_eq!(column("notes"), None);
    assert_eq!(column("depends_on"), Some(DEPENDS_ON));
    let mut reused = c.clone();
    reused.clear();
    assert_eq!(reused, Cells::default());
}

#[test]
fn cells_are_read_trimmed_and_a_blank_cell_is_empty() {
    let row = row_answers(
        4,
        &cells(&[
            ("name", "  billing "),
            ("source", "\t oracle"),
            ("source_version", " 19c "),
            ("target", "aurora-postgresql"),
            ("target_version", "   "),
            ("size_gb", " 10 "),
            ("downtime", "2h"),
            ("environment", " PRD "),
            ("app", " app "),
            ("region", " "),
        ]),
        Some("eu-west-1"),
    )
    .unwrap();
    assert_eq!(row.answers.name.as_deref(), Some("billing"));
    assert_eq!(row.answers.source.unwrap().to_string(), "oracle:19");
    assert_eq!(row.answers.target.unwrap().to_string(), "aurora-postgresql");
    assert_eq!(row.answers.production, Some(true));
    assert_eq!(row.answers.region.as_deref(), Some("eu-west-1"));
    assert_eq!(row.app, "app");
}

#[test]
fn every_column_constant_names_its_column() {
    for (index, name) in [
        (NAME, "name"),
        (SOURCE, "source"),
        (SOURCE_VERSION, "source_version"),
        (SOURCE_EDITION, "source_edition"),
        (SOURCE_HOSTING, "source_hosting"),
        (TARGET, "target"),
        (TARGET_VERSION, "target_version"),
        (TARGET_HOSTING, "target_hosting"),
        (SIZE_GB, "size_gb"),
        (DOWNTIME, "downtime"),
        (CHANGE_RATE, "change_rate_gb_per_hour"),
        (NETWORK, "network"),
        (ENVIRONMENT, "environment"),
        (APP, "app"),
        (DEPENDS_ON, "depends_on"),
        (REGION, "region"),
    ] {
        assert_eq!(COLUMNS[index].0, name);
    }
}
