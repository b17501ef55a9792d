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
