//! `dmsplan batch` and `dmsplan inventory template` as a user calls them.

mod common;

use common::{Fixture, stderr, stdout, transcript};

const HEADER: &str = "name,source,source_version,source_edition,source_hosting,target,target_version,target_hosting,size_gb,downtime,change_rate_gb_per_hour,network,environment,app,depends_on,notes";

fn inventory(rows: &[&str]) -> String {
    let mut s = String::from(HEADER);
    s.push('\n');
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

const GOOD: &[&str] = &[
    "billing-db,oracle,19c,enterprise,on-prem,aurora-postgresql,16,,800,2h,2,direct-connect:1g,prod,billing,,kept",
    "billing-reports,mysql,5.7,,on-prem,aurora-mysql,8.0,,40,6h,,vpn,test,billing,billing-db,",
    "crm,sqlserver,2019,standard,on-prem,sqlserver,2019,,300,4h,1,vpn,prod,crm,,",
];

/// `dmsplan batch estate.csv --out-dir out --region eu-west-1` and `extra`, in the fixture.
fn run_batch(fx: &Fixture, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "batch",
        "estate.csv",
        "--out-dir",
        "out",
        "--region",
        "eu-west-1",
    ];
    args.extend_from_slice(extra);
    fx.run(&args)
}

#[test]
fn the_template_is_an_inventory_batch_accepts() {
    let fx = Fixture::new();
    let out = fx.run(&["inventory", "template"]);
    assert_eq!(out.status.code(), Some(0));
    fx.write("estate.csv", &stdout(&out));
    let out = fx.run(&["batch", "estate.csv", "--out-dir", "plans/estate"]);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    assert!(fx.join("plans/estate/billing-db/runbook.md").is_file());
}

#[test]
fn good_rows_are_all_planned_with_a_portfolio() {
    let fx = Fixture::new();
    fx.write("estate.csv", &inventory(GOOD));
    let out = run_batch(&fx, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    assert_eq!(stdout(&out), "wrote 3 plans\nwrote out/portfolio.md\n");
    for dir in ["billing-db", "billing-reports", "crm"] {
        for file in [
            "plan.json",
            "runbook.md",
            "table-mappings.json",
            "task-settings.json",
            "cloudformation.yaml",
        ] {
            assert!(
                fx.join(&format!("out/{dir}/{file}")).is_file(),
                "{dir}/{file}"
            );
        }
    }
    let refused = std::fs::read_to_string(fx.join("out/refused.csv")).unwrap();
    assert_eq!(refused, "line,name,column,reason\n");
}

#[test]
fn bad_rows_are_refused_with_line_column_and_reason_and_the_rest_go_on() {
    let fx = Fixture::new();
    let mut rows = GOOD.to_vec();
    rows.push("broken,oracel,19c,,,aurora-postgresql,16,,100,2h,,,,,,");
    rows.push("huge,mysql,8.0,,,aurora-mysql,8.0,,lots,2h,,,,,,");
    rows.push("crm,postgres,16,,,aurora-postgresql,16,,10,2h,,,,,,");
    rows.push("orphan,postgres,16,,,aurora-postgresql,16,,10,2h,,,,,nobody,");
    fx.write("estate.csv", &inventory(&rows));
    let out = run_batch(&fx, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", transcript(&out));
    assert!(
        stdout(&out).starts_with("wrote 3 plans, 4 rows refused (see out/refused.csv)\n"),
        "{}",
        stdout(&out)
    );
    let refused = std::fs::read_to_string(fx.join("out/refused.csv")).unwrap();
    let lines: Vec<&str> = refused.lines().collect();
    assert_eq!(lines[0], "line,name,column,reason");
    assert!(
        lines[1].starts_with("5,broken,source,unknown engine `oracel`; did you mean `oracle`?"),
        "{refused}"
    );
    assert!(
        lines[2].starts_with("6,huge,size_gb,\"expected a positive number of GB"),
        "{refused}"
    );
    assert_eq!(lines[3], "7,crm,name,\"duplicate name, first on line 4\"");
    assert_eq!(
        lines[4],
        "8,orphan,depends_on,`nobody` is no database of the inventory"
    );
    assert!(!fx.join("out/broken").exists());
}

#[test]
fn strict_stops_at_the_first_bad_row() {
    assert_strict_stops(
        &["huge,mysql,8.0,,,aurora-mysql,8.0,,lots,2h,,,,,,"],
        "error: estate.csv: line 5: size_gb: expected a positive number of GB",
    );
}

#[test]
fn a_missing_required_column_makes_the_file_unusable() {
    let fx = Fixture::new();
    fx.write(
        "estate.csv",
        "name,source,target,size_gb\nx,mysql,aurora,10\n",
    );
    let out = fx.run(&["batch", "estate.csv", "--region", "eu-west-1"]);
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    assert!(
        stderr(&out).starts_with("error: estate.csv: the inventory has no column `downtime`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_dependency_cycle_is_an_error_naming_the_cycle() {
    let fx = Fixture::new();
    fx.write(
        "estate.csv",
        &inventory(&[
            "a,mysql,8.0,,,aurora-mysql,8.0,,10,4h,,,,,c,",
            "b,mysql,8.0,,,aurora-mysql,8.0,,10,4h,,,,,a,",
            "c,mysql,8.0,,,aurora-mysql,8.0,,10,4h,,,,,b,",
            "d,mysql,8.0,,,aurora-mysql,8.0,,10,4h,,,,,,",
        ]),
    );
    let out = run_batch(&fx, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    assert!(
        stderr(&out).starts_with("error: estate.csv: dependency cycle between a, b, c\n"),
        "{}",
        stderr(&out)
    );
    assert!(!fx.join("out").exists());
}

#[test]
fn waves_and_the_json_summary_agree_with_the_markdown() {
    let fx = Fixture::new();
    fx.write("estate.csv", &inventory(GOOD));
    let out = run_batch(&fx, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fx.join("out/portfolio.json")).unwrap())
            .unwrap();
    let md = std::fs::read_to_string(fx.join("out/portfolio.md")).unwrap();
    assert_eq!(v["planned"], 3);
    assert_eq!(v["waves"][0], serde_json::json!(["crm", "billing-db"]));
    assert_eq!(v["waves"][1], serde_json::json!(["billing-reports"]));
    assert!(md.contains("| 1 | 2 | crm, billing-db |"), "{md}");
    assert!(md.contains("| 2 | 1 | billing-reports |"), "{md}");
    for (k, n) in v["by_migration_type"].as_object().unwrap() {
        assert!(md.contains(&format!("| `{k}` | {n} |")), "{k}: {md}");
    }
    assert!(
        md.contains(&format!(
            "{} migrations need ongoing replication",
            v["cdc_instances"]
        )),
        "{md}"
    );
    let total = v["total_gb"].as_f64().unwrap();
    assert!(
        md.contains(&format!("- Data to move: {total:.0} GB.")),
        "{md}"
    );
}

#[test]
fn batch_and_new_write_identical_files_for_the_same_row() {
    let fx = Fixture::new();
    fx.write("estate.csv", &inventory(&[GOOD[0]]));
    let out = fx
        .cmd(&[
            "batch",
            "estate.csv",
            "--out-dir",
            "batch",
            "--region",
            "eu-west-1",
        ])
        .env("SOURCE_DATE_EPOCH", "1795621351")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let out = fx
        .cmd(&[
            "new",
            "--no-input",
            "--out-dir",
            "new",
            "--name",
            "billing-db",
            "--source",
            "oracle:19c",
            "--source-edition",
            "enterprise",
            "--source-hosting",
            "on-prem",
            "--target",
            "aurora-postgresql:16",
            "--size-gb",
            "800",
            "--downtime",
            "2h",
            "--change-rate",
            "2",
            "--network",
            "direct-connect:1g",
            "--production",
            "--region",
            "eu-west-1",
        ])
        .env("SOURCE_DATE_EPOCH", "1795621351")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    for file in [
        "plan.json",
        "runbook.md",
        "table-mappings.json",
        "task-settings.json",
        "cloudformation.yaml",
    ] {
        let a = std::fs::read_to_string(fx.join(&format!("batch/billing-db/{file}"))).unwrap();
        let b = std::fs::read_to_string(fx.join(&format!("new/billing-db/{file}"))).unwrap();
        assert_eq!(a, b, "{file} differs");
    }
}

#[test]
fn json_lines_work_like_csv_and_dry_run_writes_only_the_report() {
    let fx = Fixture::new();
    fx.write(
        "estate.jsonl",
        "{\"name\": \"a\", \"source\": \"postgres\", \"source_version\": 14, \"target\": \"aurora-postgresql\", \"size_gb\": 50, \"downtime\": \"8h\", \"region\": \"us-east-2\"}\n\
         {\"name\": \"b\", \"source\": \"mysql\", \"target\": \"aurora-mysql\", \"size_gb\": 5, \"downtime\": \"4h\", \"depends_on\": [\"a\"], \"region\": \"us-east-2\"}\n",
    );
    let out = fx.run(&["batch", "estate.jsonl", "--out-dir", "out", "--dry-run"]);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    assert_eq!(stdout(&out), "planned 2 plans\nwrote out/portfolio.md\n");
    assert!(fx.join("out/portfolio.json").is_file());
    assert!(!fx.join("out/a").exists(), "a dry run writes no plan");
    let portfolio: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fx.join("out/portfolio.json")).unwrap())
            .unwrap();
    assert_eq!(portfolio["waves"], serde_json::json!([["a"], ["b"]]));
}

/// Every name in `dir`, sorted.
fn listing(fx: &Fixture, dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fx.join(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

const PLAN_FILES: [&str; 5] = [
    "cloudformation.yaml",
    "plan.json",
    "runbook.md",
    "table-mappings.json",
    "task-settings.json",
];

#[test]
fn each_plan_directory_holds_its_files_and_no_temp_directory_is_left() {
    let fx = Fixture::new();
    fx.write("estate.csv", &inventory(GOOD));
    let out = run_batch(&fx, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    assert_eq!(
        listing(&fx, "out"),
        [
            "billing-db",
            "billing-reports",
            "crm",
            "portfolio.json",
            "portfolio.md",
            "refused.csv"
        ]
    );
    for dir in ["billing-db", "billing-reports", "crm"] {
        assert_eq!(listing(&fx, &format!("out/{dir}")), PLAN_FILES, "{dir}");
    }
}

#[test]
fn an_existing_plan_directory_is_refused_without_force_and_replaced_with_it() {
    let fx = Fixture::new();
    fx.write("estate.csv", &inventory(GOOD));
    fx.write("out/crm/plan.json", "mine\n");
    fx.write("out/crm/notes.md", "mine\n");
    let out = run_batch(&fx, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", transcript(&out));
    assert_eq!(
        stdout(&out),
        "wrote 2 plans, 1 rows refused (see out/refused.csv)\nwrote out/portfolio.md\n"
    );
    let refused = std::fs::read_to_string(fx.join("out/refused.csv")).unwrap();
    assert_eq!(
        refused.lines().nth(1),
        Some("4,crm,name,out/crm/plan.json exists; pass --force to overwrite")
    );
    assert_eq!(listing(&fx, "out/crm"), ["notes.md", "plan.json"]);
    assert_eq!(
        std::fs::read_to_string(fx.join("out/crm/plan.json")).unwrap(),
        "mine\n"
    );
    assert!(fx.join("out/billing-db/plan.json").is_file());

    // Planned again with --force: every plan replaced, and a file dmsplan does not write kept.
    let out = run_batch(&fx, &["--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    assert_eq!(stdout(&out), "wrote 3 plans\nwrote out/portfolio.md\n");
    let mut want: Vec<&str> = PLAN_FILES.to_vec();
    want.push("notes.md");
    want.sort();
    assert_eq!(listing(&fx, "out/crm"), want);
    let plan = std::fs::read_to_string(fx.join("out/crm/plan.json")).unwrap();
    assert!(plan.contains("\"schema_version\""), "{plan}");
    assert_eq!(
        std::fs::read_to_string(fx.join("out/crm/notes.md")).unwrap(),
        "mine\n"
    );
    assert!(!listing(&fx, "out").iter().any(|n| n.starts_with('.')));
}

#[test]
fn an_empty_plan_directory_is_filled_without_force() {
    let fx = Fixture::new();
    fx.write("estate.csv", &inventory(&[GOOD[2]]));
    std::fs::create_dir_all(fx.join("out/crm")).unwrap();
    let out = run_batch(&fx, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    assert_eq!(listing(&fx, "out/crm"), PLAN_FILES);
}

/// A plan directory that cannot be written (a file has its name) ends the batch with an error
/// naming it, from the thread that writes, while the workers go on planning: nothing hangs,
/// no temp directory is left, and no report claims the plans.
#[test]
fn a_plan_directory_that_cannot_be_written_stops_the_batch() {
    let fx = Fixture::new();
    let rows: Vec<String> = (0..200)
        .map(|i| format!("db-{i},mysql,8.0,,on-prem,aurora-mysql,8.0,,10,1h,,vpn,test,a,,"))
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    fx.write("estate.csv", &inventory(&rows));
    fx.write("out/db-50", "a file where a plan directory goes\n");
    let out = run_batch(&fx, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    assert!(stderr(&out).contains("out/db-50/"), "{}", transcript(&out));
    let listing = listing(&fx, "out");
    assert!(!listing.iter().any(|n| n.starts_with('.')), "{listing:?}");
    assert!(
        !listing.iter().any(|n| n.starts_with("portfolio")),
        "{listing:?}"
    );
}

#[test]
fn a_long_chain_of_dependencies_is_one_wave_per_database() {
    let fx = Fixture::new();
    // Listed last first: each database depends on the one on the next line.
    let n = 40;
    let rows: Vec<String> = (0..n)
        .rev()
        .map(|i| {
            let dep = if i == 0 {
                String::new()
            } else {
                format!("db-{}", i - 1)
            };
            format!("db-{i},mysql,8.0,,,aurora-mysql,8.0,,10,4h,,,,,{dep},")
        })
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    fx.write("estate.csv", &inventory(&rows));
    let out = run_batch(&fx, &["--dry-run"]);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fx.join("out/portfolio.json")).unwrap())
            .unwrap();
    let waves: Vec<Vec<String>> = serde_json::from_value(v["waves"].clone()).unwrap();
    let want: Vec<Vec<String>> = (0..n).map(|i| vec![format!("db-{i}")]).collect();
    assert_eq!(waves, want);
}

/// `--strict` with these rows after the good ones stops with exit 2 and this error, and
/// writes nothing.
fn assert_strict_stops(bad_rows: &[&str], error: &str) -> Fixture {
    let fx = Fixture::new();
    let mut rows = GOOD.to_vec();
    rows.extend_from_slice(bad_rows);
    fx.write("estate.csv", &inventory(&rows));
    let out = run_batch(&fx, &["--strict"]);
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    assert!(stderr(&out).starts_with(error), "{}", stderr(&out));
    assert!(!fx.join("out").exists(), "nothing written");
    fx
}

#[test]
fn strict_names_the_first_bad_row_by_line_whichever_check_found_it() {
    // Line 5 depends on no database (found after reading every name); line 6 is unparsable.
    assert_strict_stops(
        &[
            "orphan,postgres,16,,,aurora-postgresql,16,,10,2h,,,,,nobody,",
            "huge,mysql,8.0,,,aurora-mysql,8.0,,lots,2h,,,,,,",
        ],
        "error: estate.csv: line 5: depends_on: `nobody` is no database of the inventory",
    );
}

#[test]
fn a_bad_line_far_down_a_json_lines_file_writes_nothing() {
    let fx = Fixture::new();
    fx.write(
        "estate.jsonl",
        "{\"name\": \"a\", \"source\": \"postgres\", \"target\": \"aurora-postgresql\", \"size_gb\": 50, \"downtime\": \"8h\", \"region\": \"us-east-2\"}\n\
         \n\
         [\"not\", \"an\", \"object\"]\n",
    );
    let out = fx.run(&["batch", "estate.jsonl", "--out-dir", "out"]);
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    assert!(
        stderr(&out).starts_with("error: estate.jsonl: line 3: not a JSON object\n"),
        "{}",
        stderr(&out)
    );
    assert!(!fx.join("out").exists(), "nothing written");
}

#[cfg(unix)]
#[test]
fn an_inventory_read_from_a_pipe_is_planned_like_a_file() {
    let fx = Fixture::new();
    let out = fx
        .cmd(&[
            "batch",
            "/dev/stdin",
            "--out-dir",
            "out",
            "--region",
            "eu-west-1",
        ])
        .write_stdin(inventory(GOOD))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    assert_eq!(stdout(&out), "wrote 3 plans\nwrote out/portfolio.md\n");
    assert!(fx.join("out/billing-reports/runbook.md").is_file());
}

#[test]
fn strict_stops_at_an_unknown_engine_before_writing_anything() {
    let fx = assert_strict_stops(
        &["typo,oracel,19c,,,aurora-postgresql,16,,10,2h,,,,,,"],
        "error: estate.csv: line 5: source: unknown engine `oracel`; did you mean `oracle`?",
    );
    // Without --strict the row is refused with the same words and the others are planned.
    let out = run_batch(&fx, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", transcript(&out));
    let refused = std::fs::read_to_string(fx.join("out/refused.csv")).unwrap();
    assert!(
        refused.contains("5,typo,source,unknown engine `oracel`; did you mean `oracle`?"),
        "{refused}"
    );
}
