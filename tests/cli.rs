//! `dmsplan check` and `dmsplan engines` as a user calls them.

mod common;

use common::{Fixture, json, stderr, stdout, transcript};

#[test]
fn check_oracle_to_aurora_postgresql_with_cdc_is_supported_and_heterogeneous() {
    let fx = Fixture::new();
    let out = fx.run(&[
        "check",
        "--source",
        "oracle:19c",
        "--source-edition",
        "enterprise",
        "--source-hosting",
        "on-prem",
        "--target",
        "aurora-postgresql:16",
        "--cdc",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let text = stdout(&out);
    assert!(text.contains("heterogeneous"), "{text}");
    assert!(
        text.contains("CDC             available and planned"),
        "{text}"
    );
    assert!(text.contains("ARCHIVELOG"), "{text}");
    assert!(
        text.contains("https://docs.aws.amazon.com/dms/latest/userguide/"),
        "{text}"
    );
    assert!(
        !text.contains('\x1b'),
        "no colour with NO_COLOR and no terminal"
    );
}

#[test]
fn check_json_has_the_documented_keys() {
    let fx = Fixture::new();
    let out = fx.run(&[
        "check",
        "--source",
        "oracle:19c",
        "--target",
        "aurora-postgresql:16",
        "--cdc",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let v = json(&out);
    assert_eq!(v["classification"], "heterogeneous");
    assert_eq!(v["supported"], true);
    assert_eq!(v["cdc_supported"], true);
    assert_eq!(v["schema_conversion"], true);
    assert_eq!(v["migration_type"], "full-load-and-cdc");
    let findings = v["findings"].as_array().expect("findings array");
    for f in findings {
        for key in ["id", "severity", "message", "fix", "doc"] {
            assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
        }
    }
}

#[test]
fn check_exits_1_when_dms_does_not_support_the_pair() {
    let fx = Fixture::new();
    let out = fx.run(&[
        "check",
        "--source",
        "oracle:9i",
        "--target",
        "aurora-postgresql:16",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", transcript(&out));
    let v = json(&out);
    assert_eq!(v["supported"], false);
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "source.version.unsupported"
                && f["severity"] == "blocker"
                && f["message"]
                    .as_str()
                    .unwrap()
                    .contains("older than the oldest version DMS supports")),
        "{v}"
    );
}

#[test]
fn unknown_engine_is_exit_2_with_the_nearest_ids() {
    let fx = Fixture::new();
    let out = fx.run(&[
        "check",
        "--source",
        "oracel:19",
        "--target",
        "aurora-postgresql",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: --source: unknown engine `oracel`\n"),
        "{err}"
    );
    assert!(err.contains("tip: did you mean `oracle`?"), "{err}");
    assert!(stdout(&out).is_empty());
}

#[test]
fn text_that_is_no_version_is_exit_2_listing_examples() {
    let fx = Fixture::new();
    let out = fx.run(&[
        "check",
        "--source",
        "oracle:latest",
        "--target",
        "aurora-postgresql",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    let err = stderr(&out);
    assert!(err.contains("`latest` is not a version"), "{err}");
    assert!(err.contains("19c"), "{err}");
}

#[test]
fn unknown_hosting_is_exit_2_listing_hostings() {
    let fx = Fixture::new();
    let out = fx.run(&[
        "check",
        "--source",
        "oracle",
        "--source-hosting",
        "moon",
        "--target",
        "aurora-postgresql",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    assert!(
        stderr(&out).contains("one of: on-prem, ec2, rds, aurora, aws, azure, gcp"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn engines_lists_ids_and_aliases() {
    let fx = Fixture::new();
    let out = fx.run(&["engines"]);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let text = stdout(&out);
    assert!(text.starts_with("ID "), "{text}");
    assert!(text.contains("oracle"), "{text}");
    assert!(text.contains("aurora-pg"), "aliases shown: {text}");
}

#[test]
fn engines_role_filter_and_json() {
    let fx = Fixture::new();
    let out = fx.run(&["engines", "--role", "target", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let v = json(&out);
    let engines = v["engines"].as_array().expect("engines");
    assert!(!engines.is_empty());
    assert!(
        engines.iter().all(|e| !e["target"].is_null()),
        "only targets"
    );
}

#[test]
fn engines_one_engine_by_alias_in_full() {
    let fx = Fixture::new();
    let out = fx.run(&["engines", "ORACLE-DB"]);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let text = stdout(&out);
    assert!(text.starts_with("Oracle Database [oracle]"), "{text}");
    assert!(text.contains("editions (--source-edition)"), "{text}");
    assert!(text.contains("prerequisites"), "{text}");
}

#[test]
fn a_broken_catalog_file_is_refused_naming_the_entry() {
    let fx = Fixture::new();
    let mut catalog: serde_json::Value =
        serde_json::from_str(dmsplan::catalog::EMBEDDED).expect("embedded catalog is JSON");
    let first = catalog["engines"][0].clone();
    catalog["engines"]
        .as_array_mut()
        .unwrap()
        .push(first.clone());
    let path = fx.write("broken.json", &catalog.to_string());
    let out = fx.run(&["--catalog", path.to_str().unwrap(), "engines"]);
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    let err = stderr(&out);
    let id = first["id"].as_str().unwrap();
    assert!(err.contains(&format!("engine `{id}`")), "{err}");
    assert!(err.contains("already used"), "{err}");
}

#[test]
fn the_catalog_can_come_from_the_environment() {
    let fx = Fixture::new();
    let path = fx.write(
        "bad.json",
        "{\"as_of\": \"soon\", \"engines\": [], \"prerequisites\": [], \"schema_conversion\": []}",
    );
    let out = fx
        .cmd(&["engines"])
        .env("DMSPLAN_CATALOG", &path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    assert!(
        stderr(&out).contains("as_of: `soon` is not a date"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn version_and_help_work() {
    let fx = Fixture::new();
    let out = fx.run(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("dmsplan "));
    let out = fx.run(&["check", "--help"]);
    assert!(stdout(&out).contains("Examples:"), "{}", stdout(&out));
    let out = fx.run(&["--help"]);
    assert!(stdout(&out).contains("Exit codes:"), "{}", stdout(&out));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("dmsplan"))
        .args(["engines", "oracle"])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(err.is_empty() || !err.contains("panicked"), "{err}");
    assert!(matches!(status.code(), Some(0)), "{status:?} {err}");
}

#[test]
fn check_with_sizing_answers_decides_cdc_and_sizes_the_instance() {
    let fx = Fixture::new();
    let out = fx.run(&[
        "check",
        "--source",
        "oracle:19c",
        "--target",
        "aurora-postgresql:16",
        "--size-gb",
        "800",
        "--downtime",
        "2h",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let v = json(&out);
    assert_eq!(v["migration_type"], "full-load-and-cdc");
    let e = &v["estimate"];
    assert!(
        e["full_load_hours"]["low"].as_f64().unwrap()
            < e["full_load_hours"]["high"].as_f64().unwrap()
    );
    assert_eq!(e["replication_instance"]["class"], "dms.c6i.xlarge");
    assert_eq!(e["replication_instance"]["multi_az"], true);
    assert!(
        e["replication_instance"]["allocated_storage_gb"]
            .as_u64()
            .unwrap()
            >= 100
    );
    assert!(
        e["serverless"]["max_capacity_units"].as_u64().unwrap()
            >= e["serverless"]["min_capacity_units"].as_u64().unwrap()
    );
    assert_eq!(e["log_retention_hours"], 52);
    assert!(
        e["cdc_reason"]
            .as_str()
            .unwrap()
            .contains("more than the accepted downtime")
    );
    assert!(e["cutover_hours"].as_f64().unwrap() > 0.0);
}

#[test]
fn check_without_sizing_has_a_null_estimate() {
    let fx = Fixture::new();
    let out = fx.run(&[
        "check",
        "--source",
        "mysql:8.0",
        "--target",
        "aurora-mysql:8.0",
        "--json",
    ]);
    let v = json(&out);
    assert!(v["estimate"].is_null(), "{v}");
    assert_eq!(v["migration_type"], "full-load");
}

#[test]
fn a_small_database_with_a_long_window_is_full_load_only() {
    let fx = Fixture::new();
    let out = fx.run(&[
        "check",
        "--source",
        "mysql:8.0",
        "--target",
        "aurora-mysql:8.0",
        "--size-gb",
        "20",
        "--downtime",
        "6h",
        "--no-production",
        "--json",
    ]);
    let v = json(&out);
    assert_eq!(v["migration_type"], "full-load");
    assert!(v["estimate"]["log_retention_hours"].is_null());
    assert_eq!(v["estimate"]["replication_instance"]["multi_az"], false);
}

#[test]
fn overrides_replace_the_model_and_forcing_full_load_warns() {
    let fx = Fixture::new();
    let base = [
        "check",
        "--source",
        "postgres:15",
        "--target",
        "aurora-postgresql:16",
        "--size-gb",
        "500",
        "--downtime",
        "1h",
        "--json",
    ];
    let mut args = base.to_vec();
    args.extend([
        "--throughput-mbps",
        "1000",
        "--instance-class",
        "r6i.2xlarge",
        "--largest-table-gb",
        "10",
    ]);
    let v = json(&fx.run(&args));
    // 1000 Mbit/s = 450 GB/h: 500 / 450 h.
    let low = v["estimate"]["full_load_hours"]["low"].as_f64().unwrap();
    assert!((low - 500.0 / 450.0).abs() < 1e-9, "{low}");
    assert_eq!(
        v["estimate"]["replication_instance"]["class"],
        "dms.r6i.2xlarge"
    );

    let mut args = base.to_vec();
    args.push("--no-cdc");
    let out = fx.run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let v = json(&out);
    assert_eq!(v["migration_type"], "full-load");
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "plan.cdc.forced-off" && f["severity"] == "warning")
    );

    let mut args = base.to_vec();
    args.extend(["--instance-class", "dms.t3.micro"]);
    let v = json(&fx.run(&args));
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "sizing.instance-override")
    );
}

#[test]
fn bad_sizing_answers_name_the_flag() {
    let fx = Fixture::new();
    for (flag, value, wants) in [
        (
            "--network",
            "fast",
            "error: --network: `fast` is not a network path",
        ),
        ("--lob", "some", "error: --lob: `some` is not a LOB answer"),
        ("--tables", "0", "error: --tables: expected at least 1"),
        (
            "--instance-class",
            "dms.x9.huge",
            "error: --instance-class: `dms.x9.huge` is not a DMS replication instance class",
        ),
        (
            "--change-rate",
            "lots",
            "error: --change-rate: expected GB of log per hour",
        ),
    ] {
        let out = fx.run(&[
            "check",
            "--source",
            "mysql:8.0",
            "--target",
            "aurora-mysql:8.0",
            flag,
            value,
        ]);
        assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
        assert!(stderr(&out).starts_with(wants), "{flag}: {}", stderr(&out));
    }
}

#[test]
fn tables_without_a_primary_key_are_flagged_with_their_remedy() {
    let fx = Fixture::new();
    let out = fx.run(&[
        "check",
        "--source",
        "mysql:8.0",
        "--target",
        "aurora-mysql:8.0",
        "--size-gb",
        "800",
        "--downtime",
        "1h",
        "--tables-without-pk",
        "12",
    ]);
    let text = stdout(&out);
    assert!(text.contains("12 tables have no primary key"), "{text}");
    assert!(text.contains("[sizing.tables-without-pk]"), "{text}");
    assert!(text.contains("Sizing"), "{text}");
}
