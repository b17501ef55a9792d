//! End-to-end sessions of the `dmsplan new` wizard through a pseudo-terminal (rexpect): keys
//! typed as a person would (arrows, typing to filter, Enter, Ctrl-C), then assertions on the
//! exit code and on the plan.json and runbook.md written, or on nothing being written.
//!
//! Unix only (pseudo-terminals). The wizard's logic is unit-tested with a scripted terminal in
//! `src/wizard.rs`; these tests check the real binary on a real terminal, not every branch.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;

use dmsplan::catalog::{Catalog, Hosting, Role};
use dmsplan::choices;
use rexpect::process::WaitStatus;
use rexpect::session::{PtySession, spawn_command};
use serde_json::Value;

const ENTER: &str = "\r";
const DOWN: &str = "\x1b[B";
const TIMEOUT_MS: u64 = 20_000;

/// One wizard session in a temp dir, with `--out-dir` inside it.
struct Session {
    pty: PtySession,
    dir: tempfile::TempDir,
    /// Everything read so far, for failure messages and screen assertions.
    seen: String,
}

impl Session {
    fn start(args: &[&str]) -> Session {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("dmsplan"));
        cmd.arg("new")
            .arg("--out-dir")
            .arg(dir.path().join("plans"))
            .args(args)
            .current_dir(dir.path())
            .env("TERM", "xterm-256color")
            .env("NO_COLOR", "1")
            .env("CLICOLOR", "0")
            .env("SOURCE_DATE_EPOCH", "1764085351")
            .env_remove("DMSPLAN_CATALOG");
        let pty = spawn_command(cmd, Some(TIMEOUT_MS)).expect("spawn dmsplan in a pty");
        Session {
            pty,
            dir,
            seen: String::new(),
        }
    }

    /// Wait until `text` is on the screen.
    fn expect(&mut self, text: &str) {
        match self.pty.exp_string(text) {
            Ok(before) => {
                self.seen.push_str(&before);
                self.seen.push_str(text);
            }
            Err(e) => panic!(
                "waiting for {text:?}: {e}\n--- screen so far ---\n{}",
                self.seen
            ),
        }
    }

    /// Type keys.
    fn keys(&mut self, keys: &str) {
        self.pty.send(keys).expect("send keys");
        self.pty.flush().expect("flush keys");
    }

    /// Wait for `prompt`, then type `keys`.
    fn answer(&mut self, prompt: &str, keys: &str) {
        self.expect(prompt);
        self.keys(keys);
    }

    /// Wait for the end; the exit code.
    fn exit_code(&mut self) -> i32 {
        match self.pty.exp_eof() {
            Ok(rest) => self.seen.push_str(&rest),
            Err(e) => panic!("waiting for the end: {e}\n--- screen ---\n{}", self.seen),
        }
        match self.pty.process().wait() {
            Ok(WaitStatus::Exited(_, code)) => code,
            other => panic!("dmsplan did not exit normally: {other:?}\n{}", self.seen),
        }
    }

    fn plans(&self) -> PathBuf {
        self.dir.path().join("plans")
    }

    fn plan(&self, name: &str) -> (Value, String) {
        let dir = self.plans().join(name);
        let plan = std::fs::read_to_string(dir.join("plan.json"))
            .unwrap_or_else(|e| panic!("{}: {e}\n{}", dir.display(), self.seen));
        let runbook = std::fs::read_to_string(dir.join("runbook.md")).expect("runbook.md");
        (
            serde_json::from_str(&plan).expect("plan.json is JSON"),
            runbook,
        )
    }
}

fn catalog() -> Catalog {
    Catalog::embedded().expect("embedded catalog")
}

/// Down-arrow presses to reach `version` in the wizard's version list.
fn downs_to_version(engine: &str, role: Role, hosting: Option<Hosting>, version: &str) -> String {
    let list = choices::versions(&catalog(), engine, role, hosting);
    let default = match role {
        Role::Source => choices::default_version(&list, engine, role, None),
        Role::Target => 0,
    };
    let at = list
        .iter()
        .position(|c| c.version.to_string() == version)
        .unwrap_or_else(|| panic!("{engine} {version} is not offered"));
    DOWN.repeat(
        at.checked_sub(default)
            .expect("the version is below the default"),
    )
}

fn answer(plan: &Value, key: &str) -> Value {
    plan["answers"][key].clone()
}

fn no_files(dir: &Path) -> bool {
    !dir.exists() || std::fs::read_dir(dir).map_or(true, |mut d| d.next().is_none())
}

#[test]
fn homogeneous_pair_chosen_explicitly() {
    let mut s = Session::start(&[]);
    s.answer("Source engine", "postgres");
    s.expect("PostgreSQL [postgres]");
    s.keys(ENTER);
    let downs = downs_to_version("postgres", Role::Source, None, "16");
    s.answer("Source version of PostgreSQL", &format!("{downs}{ENTER}"));
    s.answer("Source edition of PostgreSQL", ENTER);
    let hostings = choices::hostings(&catalog(), "postgres", Role::Source);
    let rds = hostings
        .iter()
        .position(|h| *h == Hosting::Rds)
        .expect("rds");
    s.answer(
        "Where does the source run",
        &format!("{}{ENTER}", DOWN.repeat(rds)),
    );
    s.answer("Target engine", "aurora-postgresql");
    s.expect("Amazon Aurora PostgreSQL [aurora-postgresql]");
    s.keys(ENTER);
    // The source's version is the target's default.
    s.answer("Target version of Amazon Aurora PostgreSQL", ENTER);
    s.expect("homogeneous");
    s.answer("Data to migrate", &format!("500{ENTER}"));
    s.answer("Downtime accepted at cutover", ENTER);
    s.answer("AWS Region", &format!("eu-west-1{ENTER}"));
    s.answer("Sizing details", ENTER);
    s.answer("Plan name", ENTER);
    s.answer("What now?", ENTER);
    s.expect("wrote ");
    assert_eq!(s.exit_code(), 0, "{}", s.seen);
    let (plan, runbook) = s.plan("postgres-to-aurora-postgresql");
    assert_eq!(answer(&plan, "source"), "postgres:16");
    assert_eq!(answer(&plan, "source_hosting"), "rds");
    assert_eq!(answer(&plan, "target"), "aurora-postgresql:16");
    assert_eq!(answer(&plan, "size_gb"), 500);
    assert_eq!(answer(&plan, "region"), "eu-west-1");
    assert_ne!(plan["recorded"]["verdict"], "unsupported");
    assert!(runbook.contains("PostgreSQL"), "{runbook}");
    assert!(runbook.contains("eu-west-1"), "{runbook}");
}

#[test]
fn heterogeneous_pair_with_cdc() {
    let mut s = Session::start(&[]);
    s.answer("Source engine", "oracle");
    s.expect("Oracle Database [oracle]");
    s.keys(ENTER);
    let downs = downs_to_version("oracle", Role::Source, None, "19");
    s.answer(
        "Source version of Oracle Database",
        &format!("{downs}{ENTER}"),
    );
    s.answer("Source edition of Oracle Database", ENTER);
    s.answer("Where does the source run", ENTER);
    s.answer("Target engine", "aurora-postgresql");
    s.expect("Amazon Aurora PostgreSQL [aurora-postgresql]");
    s.keys(ENTER);
    let downs = downs_to_version("aurora-postgresql", Role::Target, None, "16");
    s.answer(
        "Target version of Amazon Aurora PostgreSQL",
        &format!("{downs}{ENTER}"),
    );
    s.expect("heterogeneous");
    // A typo first: the error is shown inline and the question asked again.
    s.answer("Data to migrate", &format!("800 gigs{ENTER}"));
    s.expect("expected a positive number of GB");
    // The rejected text is cleared; type it again.
    s.keys(&format!("800{ENTER}"));
    s.answer("Downtime accepted at cutover", &format!("2h{ENTER}"));
    s.answer("AWS Region", ENTER);
    // Answer the sizing details this time: a measured 10 Gbit/s link and LOBs.
    s.answer("Sizing details", &format!("{DOWN}{ENTER}"));
    s.answer("Network path to AWS", &format!("direct-connect:10g{ENTER}"));
    s.answer("Peak change rate", &format!("3{ENTER}"));
    s.answer("Number of tables", &format!("250{ENTER}"));
    s.answer("The largest table", &format!("120{ENTER}"));
    s.answer("LOB columns", &format!("limited:64KB{ENTER}"));
    s.answer("Tables without a primary key", &format!("2{ENTER}"));
    s.answer("Production database", &format!("yes{ENTER}"));
    s.answer("Plan name", &format!("billing{ENTER}"));
    s.expect("full-load-and-cdc");
    s.answer("What now?", ENTER);
    assert_eq!(s.exit_code(), 0, "{}", s.seen);
    let (plan, runbook) = s.plan("billing");
    assert_eq!(answer(&plan, "source"), "oracle:19");
    assert_eq!(answer(&plan, "source_edition"), "enterprise");
    assert_eq!(answer(&plan, "target"), "aurora-postgresql:16");
    assert_eq!(answer(&plan, "size_gb"), 800);
    assert_eq!(answer(&plan, "downtime"), "2h");
    assert_eq!(answer(&plan, "region"), choices::DEFAULT_REGION);
    assert_eq!(answer(&plan, "network"), "direct-connect:10g");
    assert_eq!(answer(&plan, "tables"), 250);
    assert_eq!(answer(&plan, "lob"), "limited:64KB");
    assert_eq!(answer(&plan, "tables_without_pk"), 2);
    assert_eq!(plan["recorded"]["migration_type"], "full-load-and-cdc");
    assert!(runbook.contains("full-load-and-cdc"), "{runbook}");
}

#[test]
fn unsupported_pair_corrected_by_changing_the_target() {
    let mut s = Session::start(&[]);
    s.answer("Source engine", "oracle");
    s.expect("Oracle Database [oracle]");
    s.keys(ENTER);
    s.answer("Source version of Oracle Database", ENTER);
    s.answer("Source edition of Oracle Database", ENTER);
    s.answer("Where does the source run", ENTER);
    // Unsupported targets are in the list, marked.
    s.answer("Target engine", "babelfish");
    s.expect("NOT supported");
    s.keys(ENTER);
    s.answer("Target version of Babelfish", ENTER);
    s.expect("NOT supported: 1 blocker");
    s.expect("[pair.source-family]");
    // "change the target" is the default: the blocker is the pair's, not the source's.
    s.answer("DMS does not support this pair. What now?", ENTER);
    s.answer("Target engine", "aurora-postgresql");
    s.expect("Amazon Aurora PostgreSQL [aurora-postgresql]");
    s.keys(ENTER);
    s.answer("Target version of Amazon Aurora PostgreSQL", ENTER);
    s.expect("DMS support     supported");
    s.answer("Data to migrate", ENTER);
    s.answer("Downtime accepted at cutover", ENTER);
    s.answer("AWS Region", ENTER);
    s.answer("Sizing details", ENTER);
    s.answer("Plan name", ENTER);
    s.answer("What now?", ENTER);
    assert_eq!(s.exit_code(), 0, "{}", s.seen);
    let (plan, _) = s.plan("oracle-to-aurora-postgresql");
    assert_eq!(
        answer(&plan, "target")
            .as_str()
            .map(|t| t.starts_with("aurora-postgresql:")),
        Some(true)
    );
}

#[test]
fn enter_at_every_prompt_writes_the_default_plan() {
    let mut s = Session::start(&[]);
    for prompt in [
        "Source engine",
        "Source version of MySQL",
        "Source edition of MySQL",
        "Where does the source run",
        "Target engine",
        "Target version of Amazon Aurora MySQL",
        "Data to migrate",
        "Downtime accepted at cutover",
        "AWS Region",
        "Sizing details",
        "Plan name",
        "What now?",
    ] {
        s.answer(prompt, ENTER);
    }
    s.expect("wrote ");
    assert_eq!(s.exit_code(), 0, "{}", s.seen);
    let (plan, runbook) = s.plan("mysql-to-aurora");
    assert_eq!(answer(&plan, "source"), "mysql:8.0");
    assert_eq!(answer(&plan, "source_edition"), "community");
    assert_eq!(answer(&plan, "source_hosting"), "on-prem");
    assert_eq!(answer(&plan, "target"), "aurora:8.0");
    assert_eq!(answer(&plan, "size_gb"), 100);
    assert_eq!(answer(&plan, "downtime"), "4h");
    assert_eq!(answer(&plan, "region"), "us-east-1");
    assert_eq!(answer(&plan, "name"), "mysql-to-aurora");
    // 100 GB with the default sizing answers needs about 6.8 h offline, more than 4 h.
    assert_eq!(plan["recorded"]["migration_type"], "full-load-and-cdc");
    assert!(
        runbook.contains("How these numbers were computed"),
        "{runbook}"
    );
    assert!(runbook.contains("Aurora MySQL"), "{runbook}");
}

#[test]
fn ctrl_c_mid_way_writes_nothing_and_exits_130() {
    let mut s = Session::start(&[]);
    s.answer("Source engine", ENTER);
    // In a list (dialoguer hides the cursor there).
    s.expect("Source version of MySQL");
    s.pty.send_control('c').expect("ctrl-c");
    s.expect("interrupted: nothing written");
    assert_eq!(s.exit_code(), 130, "{}", s.seen);
    assert!(no_files(&s.plans()));
    // The cursor is shown again after it was hidden.
    let hidden = s.seen.rfind("\x1b[?25l").expect("the list hid the cursor");
    let shown = s
        .seen
        .rfind("\x1b[?25h")
        .expect("the cursor is shown again");
    assert!(shown > hidden, "{:?}", s.seen);
}

#[test]
fn ctrl_c_in_a_text_prompt_writes_nothing() {
    let mut s = Session::start(&["--source", "mysql:8.0", "--target", "aurora:8.0"]);
    s.answer("Source edition of MySQL", ENTER);
    s.answer("Where does the source run", ENTER);
    s.answer("Data to migrate", "12");
    s.pty.send_control('c').expect("ctrl-c");
    assert_eq!(s.exit_code(), 130, "{}", s.seen);
    assert!(no_files(&s.plans()));
}

#[test]
fn quit_at_the_summary_writes_nothing_and_exits_1() {
    let mut s = Session::start(&[]);
    for prompt in [
        "Source engine",
        "Source version of MySQL",
        "Source edition of MySQL",
        "Where does the source run",
        "Target engine",
        "Target version of Amazon Aurora MySQL",
        "Data to migrate",
        "Downtime accepted at cutover",
        "AWS Region",
        "Sizing details",
        "Plan name",
    ] {
        s.answer(prompt, ENTER);
    }
    s.expect("Summary");
    s.answer("What now?", &format!("{DOWN}{DOWN}{ENTER}"));
    s.answer("Quit without writing anything?", ENTER);
    s.expect("quit: nothing written");
    assert_eq!(s.exit_code(), 1, "{}", s.seen);
    assert!(no_files(&s.plans()));
}

#[test]
fn flags_prefill_and_only_the_rest_is_asked() {
    let mut s = Session::start(&[
        "--source",
        "oracle:19c",
        "--source-edition",
        "enterprise",
        "--size-gb",
        "800",
        "--region",
        "eu-west-1",
    ]);
    s.answer("Where does the source run", ENTER);
    s.answer(
        "Target engine (type to filter; DMS support from oracle:19)",
        "aurora-postgresql",
    );
    s.expect("Amazon Aurora PostgreSQL [aurora-postgresql]");
    s.keys(ENTER);
    s.answer("Target version of Amazon Aurora PostgreSQL", ENTER);
    s.answer("Downtime accepted at cutover", &format!("90m{ENTER}"));
    s.answer("Sizing details", ENTER);
    s.answer("Plan name", ENTER);
    s.answer("What now?", ENTER);
    assert_eq!(s.exit_code(), 0, "{}", s.seen);
    for never in [
        "Source engine",
        "Source version",
        "Source edition",
        "Data to migrate",
        "AWS Region",
    ] {
        assert!(
            !s.seen.contains(never),
            "asked {never:?} again:\n{}",
            s.seen
        );
    }
    let (plan, _) = s.plan("oracle-to-aurora-postgresql");
    assert_eq!(answer(&plan, "source"), "oracle:19");
    assert_eq!(answer(&plan, "size_gb"), 800);
    assert_eq!(answer(&plan, "region"), "eu-west-1");
    assert_eq!(answer(&plan, "downtime"), "1h30m");
}

#[test]
fn no_input_in_a_terminal_never_prompts() {
    let mut s = Session::start(&["--no-input", "--source", "oracle:19c"]);
    s.expect("missing answers: --target, --size-gb, --downtime, --region");
    assert_eq!(s.exit_code(), 2, "{}", s.seen);
    assert!(!s.seen.contains('?'), "{}", s.seen);
    assert!(no_files(&s.plans()));
}

#[test]
fn without_a_terminal_missing_answers_are_an_error_listing_every_flag() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(assert_cmd::cargo::cargo_bin("dmsplan"))
        .args(["new", "--out-dir"])
        .arg(dir.path().join("plans"))
        .current_dir(dir.path())
        .env_remove("DMSPLAN_CATALOG")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run dmsplan");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("missing answers: --source, --target, --size-gb, --downtime, --region"),
        "{stderr}"
    );
    assert!(stderr.contains("tip:"), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(no_files(&dir.path().join("plans")));
}
