//! From answers to everything dmsplan concludes: the pair, the sizing estimate, the CDC
//! decision, the assessment, and the answers that were defaulted.
//!
//! Pure: the catalog and answers in, an `Evaluation` out. Used by `check`, `new`, `render`
//! and the wizard, so every entry point decides the same way.

use serde::Serialize;

use crate::assess::{self, Assessment, Classification, Endpoint, Finding, MigrationType, Pair};
use crate::catalog::{Catalog, Engine, Hosting, Role, Severity, doc_url};
use crate::error::Error;
use crate::estimate::{self, Estimate, Inputs};
use crate::plan::{Answers, LobMode, Network};

/// One decision dmsplan made for the plan, with what made it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    /// What was decided.
    pub topic: String,
    /// The choice.
    pub choice: String,
    /// The answer or rule id that made it.
    pub because: String,
}

/// An answer that was not given, and the value dmsplan assumed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Defaulted {
    /// The answer's flag (`--tables`).
    pub flag: &'static str,
    /// The value assumed, as the flag would take it.
    pub value: String,
    /// Why this default.
    pub why: &'static str,
}

/// The sizing answers as the model used them, as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SizingView {
    /// `--largest-table-gb`.
    pub largest_table_gb: String,
    /// `--tables`.
    pub tables: String,
    /// `--lob`.
    pub lob: String,
    /// `--tables-without-pk`.
    pub tables_without_pk: String,
    /// `--change-rate`.
    pub change_rate: String,
    /// `--network`.
    pub network: String,
    /// `--production`.
    pub production: String,
}

/// Everything concluded from a complete set of answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The source and target as assessed.
    pub pair: PairView,
    /// Sizing, timeline and the CDC decision.
    pub estimate: Estimate,
    /// The sizing answers as used.
    pub sizing: SizingView,
    /// The answers dmsplan assumed.
    pub defaulted: Vec<Defaulted>,
    /// The LOB mode, for the task settings.
    #[serde(skip)]
    pub lob: LobMode,
    /// Tables, for the task settings.
    #[serde(skip)]
    pub tables: u32,
    /// The migration type the plan uses.
    pub migration_type: MigrationType,
    /// Whether the migration type was forced by `--cdc` / `--no-cdc`.
    pub cdc_forced: Option<bool>,
    /// The assessment with CDC as decided.
    pub assessment: Assessment,
}

/// The resolved engine ids of the pair (for identifiers and file names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PairView {
    /// Source engine id.
    pub source: String,
    /// Target engine id.
    pub target: String,
}

/// The assessment of answers that name at least a source and a target, with the estimate
/// when size and downtime are given (what `check` prints).
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The assessment, with CDC as decided.
    pub assessment: Assessment,
    /// The estimate and what it assumed, when size and downtime were given.
    pub sizing: Option<Sizing>,
}

/// The estimate of answers with a size and a downtime, and what it assumed.
#[derive(Debug, Clone, PartialEq)]
pub struct Sizing {
    /// Sizing, timeline and the CDC decision.
    pub estimate: Estimate,
    /// The sizing answers as used.
    pub view: SizingView,
    /// The answers dmsplan assumed.
    pub defaulted: Vec<Defaulted>,
    /// The LOB mode, for the task settings.
    pub lob: LobMode,
    /// Tables, for the task settings.
    pub tables: u32,
}

fn supports_serverless(engine: &Engine, role: Role) -> bool {
    engine
        .role(role)
        .and_then(|r| r.serverless.as_ref())
        .is_some_and(|s| s.supported)
}

/// The model's inputs from the answers, every missing sizing answer defaulted and listed.
fn sizing_inputs(
    answers: &Answers,
    size_gb: f64,
    downtime: crate::plan::Duration,
    source_hosting: Hosting,
    heterogeneous: bool,
    serverless_supported: bool,
) -> (Inputs, SizingView, Vec<Defaulted>) {
    let mut defaulted = Vec::new();
    let mut take = |flag: &'static str, value: String, why: &'static str| {
        defaulted.push(Defaulted { flag, value, why });
    };
    let largest = answers.largest_table_gb.unwrap_or_else(|| {
        let v = size_gb / 4.0;
        take(
            "--largest-table-gb",
            format!("{v}"),
            "a quarter of the data",
        );
        v
    });
    let tables = answers.tables.unwrap_or_else(|| {
        take("--tables", "100".into(), "a mid-size application schema");
        100
    });
    let lob = answers.lob.unwrap_or_else(|| {
        take(
            "--lob",
            "limited:32KB".into(),
            "DMS's default limited LOB mode and size",
        );
        LobMode::Limited { max_kb: 32 }
    });
    let without_pk = answers.tables_without_pk.unwrap_or_else(|| {
        take(
            "--tables-without-pk",
            "0".into(),
            "assumed none; count them (a premigration assessment lists them)",
        );
        0
    });
    let change_rate = answers.change_rate.unwrap_or_else(|| {
        take(
            "--change-rate",
            "1".into(),
            "1 GB of log per hour; measure the peak on the source",
        );
        1.0
    });
    let network = answers.network.unwrap_or_else(|| {
        if source_hosting.is_aws() {
            take(
                "--network",
                "throughput:5000mbps".into(),
                "source already in AWS: VPC networking, assumed 5 Gbit/s",
            );
            Network::Throughput { mbps: 5000.0 }
        } else {
            take(
                "--network",
                "vpn".into(),
                "a site-to-site VPN from the source site",
            );
            Network::Vpn
        }
    });
    let production = answers.production.unwrap_or_else(|| {
        take(
            "--production",
            "yes".into(),
            "plan as for production unless told otherwise",
        );
        true
    });
    let view = SizingView {
        largest_table_gb: format!("{largest}"),
        tables: tables.to_string(),
        lob: lob.to_string(),
        tables_without_pk: without_pk.to_string(),
        change_rate: format!("{change_rate}"),
        network: network.to_string(),
        production: if production { "yes" } else { "no" }.to_string(),
    };
    let inputs = Inputs {
        size_gb,
        largest_table_gb: largest.min(size_gb),
        tables,
        lob,
        change_rate,
        network,
        production,
        downtime,
        heterogeneous,
        cdc_forced: answers.cdc,
        instance_class: answers
            .instance_class
            .as_deref()
            .and_then(estimate::instance_class),
        throughput_mbps: answers.throughput_mbps,
        serverless_supported,
    };
    (inputs, view, defaulted)
}

fn finding(id: &str, severity: Severity, message: String, fix: Option<&str>, doc: &str) -> Finding {
    Finding {
        id: id.to_string(),
        severity,
        message,
        fix: fix.map(str::to_string),
        doc: doc_url(doc),
    }
}

/// Findings that come from the numbers.
fn sizing_findings(
    answers: &Answers,
    inputs: &Inputs,
    e: &Estimate,
    without_pk: u32,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if answers.cdc == Some(false) && e.needs_cdc {
        out.push(finding(
            "plan.cdc.forced-off",
            Severity::Warning,
            format!("full load only was forced with --no-cdc, but {}", e.cdc_reason),
            Some("plan a longer downtime window, or drop --no-cdc so ongoing replication carries the changes"),
            "CHAP_Tasks.Creating.html",
        ));
    }
    if answers.cdc == Some(true) && !e.needs_cdc {
        out.push(finding(
            "plan.cdc.forced-on",
            Severity::Info,
            format!(
                "ongoing replication was forced with --cdc, though {}",
                e.cdc_reason
            ),
            None,
            "CHAP_Tasks.Creating.html",
        ));
    }
    if without_pk > 0 {
        out.push(finding(
            "sizing.tables-without-pk",
            if e.cdc { Severity::Warning } else { Severity::Info },
            format!(
                "{without_pk} tables have no primary key or unique index: DMS data validation skips them, and CDC applies their updates and deletes by matching every column, which is slow and wrong where rows are duplicated"
            ),
            Some("add a primary key or unique index before the migration, or move those tables in the cutover window"),
            "CHAP_BestPractices.html",
        ));
    }
    if inputs.lob == LobMode::Full {
        out.push(finding(
            "sizing.lob-full",
            Severity::Info,
            format!(
                "full LOB mode fetches each LOB in pieces: the estimate assumes {:.0}% of the speed without LOBs",
                estimate::LOB_FULL_FACTOR * 100.0
            ),
            Some("use limited LOB mode with a maximum that covers your largest LOB, and full LOB mode only for the tables that need it"),
            "CHAP_BestPractices.html",
        ));
    }
    if e.largest_table_hours >= 0.5 * e.full_load_hours.low && e.largest_table_hours >= 1.0 {
        out.push(finding(
            "sizing.largest-table",
            Severity::Info,
            format!(
                "the largest table alone loads in about {} in one thread, a large share of the full load",
                estimate::hours(e.largest_table_hours)
            ),
            Some("give it parallel load with a table-settings rule (`parallel-load` type `partitions-auto` or `ranges`)"),
            "CHAP_Tasks.CustomizingTasks.TableMapping.SelectionTransformation.Tablesettings.html",
        ));
    }
    if let Some(chosen) = inputs.instance_class {
        let proposed = estimate::choose_class(inputs).0;
        if chosen.vcpu < proposed.vcpu || chosen.memory_gib < proposed.memory_gib {
            out.push(finding(
                "sizing.instance-override",
                Severity::Warning,
                format!(
                    "--instance-class {} has less CPU or memory than the proposed {}",
                    chosen.name, proposed.name
                ),
                Some("watch CPUUtilization and FreeableMemory during the full load, or take the proposed class"),
                "CHAP_BestPractices.html",
            ));
        }
    }
    out
}

/// Assess answers that name a source and a target; estimate when size and downtime are given.
pub fn check(catalog: &Catalog, answers: &Answers) -> Result<Checked, Error> {
    check_kept(catalog, answers, None)
}

fn check_kept(
    catalog: &Catalog,
    answers: &Answers,
    kept: Option<&assess::Assessments>,
) -> Result<Checked, Error> {
    let (Some(source), Some(target)) = (&answers.source, &answers.target) else {
        return Err(Error::MissingAnswers {
            flags: crate::plan::missing_flags(&answers.missing()),
        });
    };
    let source_engine = assess::resolve_engine(catalog, "--source", &source.engine)?;
    let target_engine = assess::resolve_engine(catalog, "--target", &target.engine)?;
    let source_hosting = assess::hosting_for(source_engine, Role::Source, answers.source_hosting);
    let (classification, _, _) = assess::classify(source_engine, target_engine);
    let sizing = match (answers.size_gb, answers.downtime) {
        (Some(size), Some(downtime)) => {
            let (inputs, view, defaulted) = sizing_inputs(
                answers,
                size,
                downtime,
                source_hosting,
                classification == Classification::Heterogeneous,
                supports_serverless(source_engine, Role::Source)
                    && supports_serverless(target_engine, Role::Target),
            );
            let e = estimate::estimate(&inputs);
            let without_pk = answers.tables_without_pk.unwrap_or(0);
            Some((inputs, e, view, defaulted, without_pk))
        }
        _ => None,
    };
    let cdc = match &sizing {
        Some((_, e, ..)) => e.cdc,
        None => answers.cdc.unwrap_or(false),
    };
    let pair = Pair {
        source: Endpoint {
            engine: source_engine.id.clone(),
            version: source.version.clone(),
            edition: answers.source_edition.clone(),
            hosting: answers.source_hosting,
        },
        target: Endpoint {
            engine: target_engine.id.clone(),
            version: target.version.clone(),
            edition: answers.target_edition.clone(),
            hosting: answers.target_hosting,
        },
        cdc,
    };
    let mut assessment = match kept {
        Some(kept) => kept.assess(catalog, &pair)?,
        None => assess::assess(catalog, &pair)?,
    };
    let sizing = sizing.map(|(inputs, e, view, defaulted, without_pk)| {
        assessment
            .findings
            .extend(sizing_findings(answers, &inputs, &e, without_pk));
        Sizing {
            estimate: e,
            view,
            defaulted,
            lob: inputs.lob,
            tables: inputs.tables,
        }
    });
    assessment.findings.sort_by_key(|f| f.severity);
    assessment.refresh_verdict();
    Ok(Checked { assessment, sizing })
}

/// Evaluate complete answers (a plan's); `Err` for missing answers or input the catalog
/// cannot resolve.
pub fn evaluate(catalog: &Catalog, answers: &Answers) -> Result<Evaluation, Error> {
    evaluate_kept(catalog, answers, None)
}

/// [`evaluate`] for many plans: each pair is assessed once, in `kept`.
pub fn evaluate_with(
    catalog: &Catalog,
    answers: &Answers,
    kept: &assess::Assessments,
) -> Result<Evaluation, Error> {
    evaluate_kept(catalog, answers, Some(kept))
}

fn evaluate_kept(
    catalog: &Catalog,
    answers: &Answers,
    kept: Option<&assess::Assessments>,
) -> Result<Evaluation, Error> {
    let missing = answers.missing();
    if !missing.is_empty() {
        return Err(Error::MissingAnswers {
            flags: crate::plan::missing_flags(&missing),
        });
    }
    let checked = check_kept(catalog, answers, kept)?;
    let Some(Sizing {
        estimate,
        view: sizing,
        defaulted,
        lob,
        tables,
    }) = checked.sizing
    else {
        return Err(Error::MissingAnswers {
            flags: "--size-gb, --downtime".to_string(),
        });
    };
    let a = checked.assessment;
    Ok(Evaluation {
        pair: PairView {
            source: a.source.engine.clone(),
            target: a.target.engine.clone(),
        },
        migration_type: a.migration_type,
        cdc_forced: answers.cdc,
        estimate,
        sizing,
        defaulted,
        lob,
        tables,
        assessment: a,
    })
}
