//! `dmsplan new`, `render` and `schema` as a user calls them.

mod common;

use common::{Fixture, json, stderr, stdout, transcript};

const BILLING: &[&str] = &[
    "new",
    "--name",
    "billing",
    "--source",
    "oracle:19c",
    "--source-edition",
    "enterprise",
    "--target",
    "aurora-postgresql:16",
    "--size-gb",
    "800",
    "--downtime",
    "2h",
    "--region",
    "eu-west-1",
    "--no-input",
];

#[test]
fn new_writes_a_plan_and_a_runbook() {
    let fx = Fixture::new();
    let out = fx.run(BILLING);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    assert_eq!(
        stdout(&out),
        "wrote plans/billing/plan.json\nwrote plans/billing/runbook.md\nwrote plans/billing/table-mappings.json\n\
         wrote plans/billing/task-settings.json\nwrote plans/billing/cloudformation.yaml\n"
    );
    let mappings: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fx.join("plans/billing/table-mappings.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(mappings["rules"][0]["rule-action"], "include");
    let settings: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fx.join("plans/billing/task-settings.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        settings["FullLoadSettings"]["TargetTablePrepMode"],
        "DO_NOTHING"
    );
    let cfn = std::fs::read_to_string(fx.join("plans/billing/cloudformation.yaml")).unwrap();
    assert!(cfn.contains("Type: \"AWS::DMS::ReplicationTask\""), "{cfn}");
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fx.join("plans/billing/plan.json")).unwrap())
            .unwrap();
    assert_eq!(plan["schema_version"], 1);
    assert_eq!(plan["answers"]["source"], "oracle:19");
    assert_eq!(plan["answers"]["size_gb"], 800);
    assert_eq!(plan["recorded"]["migration_type"], "full-load-and-cdc");
    let runbook = std::fs::read_to_string(fx.join("plans/billing/runbook.md")).unwrap();
    assert!(
        runbook.starts_with("# Migration runbook: billing\n"),
        "{runbook}"
    );
    assert!(runbook.contains("## Change data capture"));
    assert!(runbook.contains("ALTER DATABASE ARCHIVELOG;"));
    assert!(
        !runbook.contains("Fleet Advisor"),
        "never recommend a retired tool"
    );
}

#[test]
fn an_existing_plan_is_not_overwritten_without_force() {
    let fx = Fixture::new();
    assert_eq!(fx.run(BILLING).status.code(), Some(0));
    std::fs::write(fx.join("plans/billing/runbook.md"), "my ticked boxes").unwrap();
    let out = fx.run(BILLING);
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    assert!(
        stderr(&out).contains("plans/billing/plan.json already exists"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(fx.join("plans/billing/runbook.md")).unwrap(),
        "my ticked boxes"
    );
    let mut forced = BILLING.to_vec();
    forced.push("--force");
    assert_eq!(fx.run(&forced).status.code(), Some(0));
    assert_ne!(
        std::fs::read_to_string(fx.join("plans/billing/runbook.md")).unwrap(),
        "my ticked boxes"
    );
}

#[test]
fn missing_answers_without_a_terminal_are_listed_at_once() {
    let fx = Fixture::new();
    let out = fx.run(&["new", "--source", "oracle:19c", "--no-input"]);
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    assert!(
        stderr(&out)
            .starts_with("error: missing answers: --target, --size-gb, --downtime, --region\n"),
        "{}",
        stderr(&out)
    );
    assert!(!fx.join("plans").exists(), "nothing written");
}

#[test]
fn answers_come_from_a_file_and_flags_win() {
    let fx = Fixture::new();
    fx.write(
        "answers.json",
        r#"{"source": "mysql:5.7", "target": "aurora-mysql:8.0", "size_gb": 40, "downtime": "6h", "region": "eu-central-1"}"#,
    );
    let out = fx.run(&[
        "new",
        "--answers",
        "answers.json",
        "--region",
        "us-east-2",
        "--no-input",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let plan: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fx.join("plans/mysql-to-aurora/plan.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(plan["answers"]["region"], "us-east-2");
    assert_eq!(plan["answers"]["target"], "aurora:8.0");
    assert_eq!(plan["recorded"]["migration_type"], "full-load");
}

#[test]
fn a_bad_answers_file_names_the_key() {
    let fx = Fixture::new();
    fx.write("answers.json", r#"{"size_gb": "big"}"#);
    let out = fx.run(&["new", "--answers", "answers.json", "--no-input"]);
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    assert!(
        stderr(&out)
            .starts_with("error: answers.json: size_gb: expected a positive number, got \"big\"\n"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_flags_name_the_flag_and_the_fix() {
    let fx = Fixture::new();
    for (flag, value, wants) in [
        (
            "--downtime",
            "soon",
            "error: --downtime: `soon` is not a duration",
        ),
        (
            "--size-gb",
            "big",
            "error: --size-gb: expected a positive number of GB",
        ),
        (
            "--region",
            "Europe",
            "error: --region: `Europe` is not an AWS Region code",
        ),
        (
            "--source-hosting",
            "moon",
            "error: --source-hosting: unknown hosting `moon`",
        ),
    ] {
        let mut args = BILLING.to_vec();
        let i = args
            .iter()
            .position(|a| *a == flag)
            .map_or(args.len(), |i| i + 1);
        if i == args.len() {
            args.extend([flag, value]);
        } else {
            args[i] = value;
        }
        let out = fx.run(&args);
        assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
        assert!(stderr(&out).starts_with(wants), "{flag}: {}", stderr(&out));
    }
}

#[test]
fn a_hostile_name_gives_a_safe_directory_and_an_escaped_title() {
    let fx = Fixture::new();
    let mut args = BILLING.to_vec();
    args[2] = "x; rm -rf ~ | `$(reboot)` #1";
    let out = fx.run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let runbook = std::fs::read_to_string(fx.join("plans/x-rm-rf-reboot-1/runbook.md")).unwrap();
    assert!(
        runbook.starts_with("# Migration runbook: x; rm -rf \\~ \\| \\`$(reboot)\\` \\#1\n"),
        "{}",
        runbook.lines().next().unwrap()
    );
}

#[test]
fn render_writes_the_runbook_again_and_to_stdout() {
    let fx = Fixture::new();
    assert_eq!(fx.run(BILLING).status.code(), Some(0));
    let written = std::fs::read_to_string(fx.join("plans/billing/runbook.md")).unwrap();
    let out = fx.run(&["render", "plans/billing/plan.json", "-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    assert_eq!(stdout(&out), written);
    let out = fx.run(&["render", "plans/billing/plan.json"]);
    assert_eq!(
        stdout(&out),
        "unchanged plans/billing/runbook.md\nunchanged plans/billing/table-mappings.json\n\
         unchanged plans/billing/task-settings.json\nunchanged plans/billing/cloudformation.yaml\n"
    );
    std::fs::write(fx.join("plans/billing/runbook.md"), "- [x] done\n").unwrap();
    let out = fx.run(&["render", "plans/billing/plan.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    let out = fx.run(&["render", "plans/billing/plan.json", "--force"]);
    assert!(
        stdout(&out).contains("wrote plans/billing/runbook.md\n"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("unchanged plans/billing/task-settings.json\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn render_says_when_the_assessment_changed_since_the_plan_was_saved() {
    let fx = Fixture::new();
    assert_eq!(fx.run(BILLING).status.code(), Some(0));
    let path = fx.join("plans/billing/plan.json");
    let mut plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    plan["recorded"]["migration_type"] = "full-load".into();
    plan["recorded"]["findings"] = serde_json::json!(["old.rule"]);
    std::fs::write(&path, plan.to_string()).unwrap();
    let out = fx.run(&["render", "plans/billing/plan.json", "-o", "-"]);
    let text = stdout(&out);
    assert!(
        text.contains("This plan's assessment changed since it was saved"),
        "{text}"
    );
    assert!(
        text.contains("migration type was `full-load`, now `full-load-and-cdc`"),
        "{text}"
    );
    assert!(
        text.contains("finding `old.rule` no longer applies"),
        "{text}"
    );
}

#[test]
fn render_refuses_a_bad_plan_with_the_json_path() {
    let fx = Fixture::new();
    fx.write("plan.json", r#"{"schema_version": 1, "dmsplan_version": "0.1.0", "created_at": "x", "answers": {"size_gb": -1}, "recorded": {}}"#);
    let out = fx.run(&["render", "plan.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    assert!(
        stderr(&out)
            .starts_with("error: plan.json: answers.size_gb: expected a positive number, got -1\n"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_template_naming_a_missing_field_fails_with_its_name_and_line() {
    let fx = Fixture::new();
    assert_eq!(fx.run(BILLING).status.code(), Some(0));
    fx.write(
        "tpl/partials/rollback.md.hbs",
        "## Rollback\n\n{{rollback_owner}}\n",
    );
    let out = fx.run(&[
        "render",
        "plans/billing/plan.json",
        "-o",
        "-",
        "--templates",
        "tpl",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: template `partials/rollback.md.hbs` line 3"),
        "{err}"
    );
    assert!(err.contains("rollback_owner"), "{err}");
}

#[test]
fn a_team_partial_replaces_ours() {
    let fx = Fixture::new();
    assert_eq!(fx.run(BILLING).status.code(), Some(0));
    fx.write(
        "tpl/rollback.md.hbs",
        "## Rollback\n\nCall the on-call DBA for {{title}}.\n",
    );
    let out = fx.run(&[
        "render",
        "plans/billing/plan.json",
        "-o",
        "-",
        "--templates",
        "tpl",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    assert!(
        stdout(&out).contains("## Rollback\n\nCall the on-call DBA for billing.\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn schema_prints_the_plan_json_schema() {
    let fx = Fixture::new();
    let out = fx.run(&["schema"]);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let v = json(&out);
    assert_eq!(v["properties"]["schema_version"]["const"], 1);
    assert!(v["properties"]["answers"]["properties"]["size_gb"].is_object());
}
