//! `dmsplan types`: the data type map of a pair, one type looked up, and the refusals.

mod common;

use common::{Fixture, json, stderr, stdout};

#[test]
fn one_oracle_number_maps_to_numeric_with_its_precision() {
    let f = Fixture::new();
    let out = f.run(&[
        "types",
        "--source",
        "oracle",
        "--target",
        "aurora-postgresql",
        "--type",
        "NUMBER(10,2)",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["source"], "oracle");
    assert_eq!(v["target"], "aurora-postgresql");
    let row = &v["types"][0];
    assert_eq!(row["source_type"], "NUMBER(10,2)");
    assert_eq!(row["dms_type"], "NUMERIC(10,2)");
    assert_eq!(row["target_type"], "NUMERIC(10,2)");
    assert_eq!(row["supported"], true);
    assert_eq!(row["lossy"], false);
    assert!(
        row["doc"]
            .as_str()
            .unwrap()
            .starts_with("https://docs.aws.amazon.com/dms/")
    );
    let keys: Vec<&str> = row
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "source_type",
            "dms_type",
            "target_type",
            "supported",
            "lossy",
            "notes",
            "doc"
        ]
    );
}

#[test]
fn aliases_resolve_through_the_catalog() {
    let f = Fixture::new();
    let out = f.run(&[
        "types",
        "--source",
        "mssql",
        "--target",
        "apg",
        "--type",
        "datetimeoffset",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["source"], "sqlserver");
    assert_eq!(v["types"][0]["lossy"], true);
}

#[test]
fn the_whole_map_is_a_text_table_with_the_lossy_types_flagged() {
    let f = Fixture::new();
    let out = f.run(&["types", "--source", "mysql", "--target", "postgres"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("SOURCE TYPE"), "{text}");
    let enum_line = text
        .lines()
        .find(|l| l.starts_with("ENUM "))
        .expect("ENUM row");
    assert!(enum_line.ends_with("lossy"), "{enum_line}");
    assert!(text.contains("BIGINT UNSIGNED"), "{text}");
}

#[test]
fn an_unknown_type_is_an_answer_not_an_error() {
    let f = Fixture::new();
    let out = f.run(&[
        "types",
        "--source",
        "oracle",
        "--target",
        "postgres",
        "--type",
        "FANCYTYPE(3)",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["types"][0]["supported"], false);
    assert!(v["types"][0]["dms_type"].is_null());
    assert!(stderr(&out).is_empty());
}

#[test]
fn an_unmigrated_type_exits_1() {
    let f = Fixture::new();
    let out = f.run(&[
        "types", "--source", "oracle", "--target", "postgres", "--type", "BFILE",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("NOT MIGRATED"), "{}", stdout(&out));
}

#[test]
fn a_pair_without_a_map_explains_and_exits_0() {
    let f = Fixture::new();
    let out = f.run(&[
        "types", "--source", "oracle", "--target", "dynamodb", "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["types"].as_array().map(Vec::len), Some(0));
    assert!(
        v["note"].as_str().unwrap().contains("no data type map"),
        "{v}"
    );
    let out = f.run(&["types", "--source", "oracle", "--target", "dynamodb"]);
    assert!(
        stdout(&out).contains("no data type map"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn an_unknown_engine_is_the_same_error_as_check() {
    let f = Fixture::new();
    let out = f.run(&["types", "--source", "oracel", "--target", "postgres"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("unknown engine `oracel`"), "{err}");
    assert!(err.contains("did you mean `oracle`"), "{err}");
    let check = f.run(&["check", "--source", "oracel", "--target", "postgres"]);
    assert_eq!(stderr(&check), err);
}

#[test]
fn a_target_only_engine_as_source_is_refused() {
    let f = Fixture::new();
    let out = f.run(&["types", "--source", "redshift", "--target", "postgres"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
}

#[test]
fn help_shows_examples() {
    let f = Fixture::new();
    let out = f.run(&["types", "--help"]);
    assert!(
        stdout(&out).contains("--type 'NUMBER(10,2)'"),
        "{}",
        stdout(&out)
    );
}
