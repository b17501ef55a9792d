//! Answers and plan files: parsing, refusals with JSON paths, canonical output.

use serde_json::json;

use super::*;

#[test]
fn answers_parse_from_json_with_paths_in_errors() {
    let a = Answers::from_json(
        &json!({"source": "oracle:19c", "target": "aurora-postgresql:16", "size_gb": 800, "downtime": "2h", "region": "eu-west-1"}),
        "",
    )
    .unwrap();
    assert_eq!(a.size_gb, Some(800.0));
    assert_eq!(a.downtime.unwrap().minutes(), 120);
    assert!(a.missing().is_empty());

    let err = Answers::from_json(&json!({"size_gb": "big"}), "answers.").unwrap_err();
    assert_eq!(
        err.to_string(),
        "answers.size_gb: expected a positive number, got \"big\""
    );
    let err = Answers::from_json(&json!({"size_gb": -3}), "answers.").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("answers.size_gb: expected a positive number"),
        "{err}"
    );
    let err = Answers::from_json(&json!({"sizegb": 3}), "answers.").unwrap_err();
    assert_eq!(err.to_string(), "answers.sizegb: unknown key");
    let err = Answers::from_json(&json!({"downtime": "soon"}), "").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("downtime: `soon` is not a duration"),
        "{err}"
    );
    let err = Answers::from_json(&json!({"region": "Europe"}), "").unwrap_err();
    assert!(err.to_string().contains("not an AWS Region code"), "{err}");
    let err = Answers::from_json(&json!({"source_hosting": "moon"}), "").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("source_hosting: unknown hosting `moon`"),
        "{err}"
    );
}

#[test]
fn missing_answers_are_listed_all_at_once() {
    let a = Answers::default();
    let missing = missing_flags(&a.missing());
    assert_eq!(
        missing,
        "--source, --target, --size-gb, --downtime, --region"
    );
}

#[test]
fn flags_win_over_the_file() {
    let file = Answers {
        size_gb: Some(10.0),
        region: Some("eu-west-1".into()),
        ..Default::default()
    };
    let flags = Answers {
        size_gb: Some(20.0),
        ..Default::default()
    };
    let merged = file.overlay(&flags);
    assert_eq!(merged.size_gb, Some(20.0));
    assert_eq!(merged.region.as_deref(), Some("eu-west-1"));
}

#[test]
fn sizes_parse_as_people_type_them() {
    for (input, gb) in [
        ("800", 800.0),
        ("800GB", 800.0),
        ("2TB", 2048.0),
        ("1.5 tb", 1536.0),
        ("512 MB", 0.5),
        (" 2 T ", 2048.0),
        ("3GiB", 3.0),
        ("1.5e3", 1500.0),
    ] {
        assert_eq!(parse_size_gb(input).unwrap(), gb, "{input}");
    }
    for input in ["", "big", "-1", "0", "NaN", "inf", "1 0 0 PB", "lots"] {
        assert!(parse_size_gb(input).is_err(), "{input}");
    }
}

#[test]
fn regions_are_aws_region_codes() {
    for input in [
        "eu-west-1",
        " us-east-2 ",
        "us-gov-west-1",
        "cn-north-1",
        "ap-southeast-10",
        "ab-c-d-1",
    ] {
        assert_eq!(parse_region(input).unwrap(), input.trim(), "{input}");
    }
    for input in [
        "",
        "Europe",
        "eu-west",
        "eu-west-",
        "-eu-west-1",
        "eu--1",
        "EU-west-1",
        "eur-west-1",
        "eu-west-1a",
        "eu-west-x",
        "eu-9-1",
        "us-gov-west-east-1",
        "eu-wést-1",
        "eu-west-1-2",
        "ab-c-d-e-1",
        "ab-c-",
    ] {
        assert!(parse_region(input).is_err(), "{input}");
    }
}

#[test]
fn a_name_is_refused_exactly_when_its_slug_is_empty() {
    for name in [
        "billing",
        "2024",
        "2024 billing",
        "---",
        "-a-",
        "42-b",
        "ünï",
        "ünïcode",
        "$(x)",
        " Z ",
        "_",
        "9_9",
    ] {
        assert_eq!(
            parse_name(name).is_ok(),
            !slug(name.trim()).is_empty(),
            "{name}"
        );
    }
}

#[test]
fn slugs_are_valid_dms_identifier_stems() {
    for (name, want) in [
        ("billing", "billing"),
        ("Billing DB (prod)", "billing-db-prod"),
        ("x; rm -rf ~", "x-rm-rf"),
        ("$(reboot)", "reboot"),
        ("2024 billing", "billing"),
        ("a--b", "a-b"),
        ("ünïcode", "n-code"),
    ] {
        assert_eq!(slug(name), want, "{name}");
    }
    assert!(parse_name("---").is_err());
    assert!(parse_name("two\nlines").is_err());
}

#[test]
fn plan_files_are_refused_with_the_json_path() {
    let good = json!({
        "schema_version": 1, "dmsplan_version": "0.1.0", "created_at": "2026-01-01T00:00:00Z",
        "answers": {"source": "oracle:19", "target": "aurora-postgresql:16", "size_gb": 800, "downtime": "2h", "region": "eu-west-1"},
        "recorded": {"verdict": "supported", "migration_type": "full-load-and-cdc", "findings": [], "catalog_as_of": "2026-11-25"}
    });
    let plan = Plan::from_json(&good.to_string(), "plan.json").unwrap();
    assert_eq!(plan.slug(), "oracle-to-aurora-postgresql");
    let round = Plan::from_json(&plan.to_json(), "plan.json").unwrap();
    assert_eq!(round, plan);

    let mut newer = good.clone();
    newer["schema_version"] = json!(2);
    let err = Plan::from_json(&newer.to_string(), "plan.json").unwrap_err();
    assert!(
        err.to_string()
            .contains("plan.json: schema_version: this plan is format 2"),
        "{err}"
    );

    let mut extra = good.clone();
    extra["answers"]["password"] = json!("hunter2");
    let err = Plan::from_json(&extra.to_string(), "plan.json").unwrap_err();
    assert_eq!(err.to_string(), "plan.json: answers.password: unknown key");

    let mut missing = good.clone();
    missing["answers"].as_object_mut().unwrap().remove("region");
    let err = Plan::from_json(&missing.to_string(), "plan.json").unwrap_err();
    assert_eq!(err.to_string(), "plan.json: answers.region: missing");

    let err = Plan::from_json("{not json", "plan.json").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("plan.json: line 1 column 2: not valid JSON"),
        "{err}"
    );
}

#[test]
fn the_schema_lists_every_answer_field() {
    let schema = schema::plan_schema();
    let props = schema["properties"]["answers"]["properties"]
        .as_object()
        .unwrap();
    let answer_keys: Vec<String> = serde_json::to_value(Answers::default())
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let mut schema_keys: Vec<String> = props.keys().cloned().collect();
    let mut answer_keys_sorted = answer_keys.clone();
    schema_keys.sort();
    answer_keys_sorted.sort();
    assert_eq!(
        schema_keys, answer_keys_sorted,
        "schema and Answers disagree"
    );
    let required: Vec<&str> = schema["properties"]["answers"]["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        required,
        ["source", "target", "size_gb", "downtime", "region"]
    );
}

#[test]
fn timestamps_are_rfc3339_utc() {
    assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
    assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00Z");
    assert_eq!(timestamp(1_795_621_351), "2026-11-25T15:42:31Z");
}

#[test]
fn schemas_parse_with_renames() {
    let s = parse_schemas("HR, SALES=sales_app,APP%").unwrap();
    assert_eq!(s.len(), 3);
    assert_eq!(s[1].rename.as_deref(), Some("sales_app"));
    assert_eq!(
        serde_json::to_value(&s).unwrap(),
        json!(["HR", "SALES=sales_app", "APP%"])
    );
    assert!(parse_schemas("HR,HR").unwrap_err().contains("twice"));
    assert!(parse_schemas("a'b").is_err());
    assert!(parse_schemas(",").is_err());
    let a = Answers::from_json(&json!({"schemas": ["HR", "SALES=s"]}), "").unwrap();
    assert_eq!(a.schemas.unwrap().len(), 2);
    let err = Answers::from_json(&json!({"schemas": 3}), "answers.").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("answers.schemas: expected a list of schema names"),
        "{err}"
    );
}

#[test]
fn every_answer_key_is_a_field() {
    let keys = [
        "name",
        "source",
        "source_edition",
        "source_hosting",
        "target",
        "target_edition",
        "target_hosting",
        "size_gb",
        "downtime",
        "region",
        "largest_table_gb",
        "tables",
        "lob",
        "tables_without_pk",
        "change_rate",
        "network",
        "production",
        "instance_class",
        "throughput_mbps",
        "schemas",
        "cdc",
    ];
    for key in keys {
        assert_eq!(field(key).key, key);
    }
    assert_eq!(
        FIELDS.len(),
        keys.len(),
        "a new field needs a key above, a flag of `new` and a wizard question"
    );
    // Every field survives an overlay (flags over a file).
    let mut all = Answers::default();
    for (key, text) in [
        ("name", "n"),
        ("source", "oracle:19"),
        ("source_edition", "ee"),
        ("source_hosting", "ec2"),
        ("target", "postgres:16"),
        ("target_edition", "x"),
        ("target_hosting", "rds"),
        ("size_gb", "10"),
        ("downtime", "1h"),
        ("region", "eu-west-1"),
        ("largest_table_gb", "2"),
        ("tables", "5"),
        ("lob", "full"),
        ("tables_without_pk", "1"),
        ("change_rate", "2"),
        ("network", "vpn"),
        ("production", "no"),
        ("instance_class", "dms.r6i.xlarge"),
        ("throughput_mbps", "100"),
        ("schemas", "HR"),
        ("cdc", "yes"),
    ] {
        all.set_text(field(key), text, key).unwrap();
    }
    let merged = Answers::default().overlay(&all);
    for key in keys {
        assert!(merged.has(key), "overlay dropped `{key}`");
    }
    assert_eq!(merged, all);
}

/// The slug as first written (every name, then trimmed, then cut), to pin the one-pass version.
fn slug_in_three_passes(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-');
    let mut s: String = trimmed.chars().take(40).collect();
    while s.ends_with('-') {
        s.pop();
    }
    s
}

#[test]
fn the_slug_is_the_same_in_one_pass() {
    let pieces = [
        "a", "Z", "7", "-", " ", "--", "é", "日本", "_", "\t", "ab", "9x", "x9", "'",
    ];
    let mut names: Vec<String> = vec![String::new()];
    for a in pieces {
        for b in pieces {
            for c in pieces {
                names.push([a, b, c].concat());
            }
        }
    }
    for len in 35..45 {
        for tail in ["", "-", " x", "9", "é"] {
            names.push(["1 ", &"ab-".repeat(len / 3), &"q".repeat(len % 3), tail].concat());
            names.push(["a".repeat(len), tail.to_string()].concat());
            names.push([&"a".repeat(39), tail, &"b".repeat(len - 34)].concat());
        }
    }
    for name in &names {
        assert_eq!(slug(name), slug_in_three_passes(name), "{name:?}");
    }
}
