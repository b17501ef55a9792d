//! `RenderContext`: every value the runbook templates use, built and formatted in Rust.
//!
//! Every field is serialized (`None` as `null`), so the strict `if` catches a misspelt name.
//! Text that lands in code blocks or diagrams is built and quoted here; user-typed text is
//! left for the template's Markdown escaping.

use serde::Serialize;

use crate::artifacts::Artifacts;
use crate::assess::{Assessment, EndpointView, Finding, PairKind, RequiredStep};
use crate::catalog::{Catalog, Family, Hosting, Role, Severity, When};
use crate::estimate::hours;
use crate::evaluate::{Decision, Evaluation};
use crate::plan::Plan;

use super::markdown::fenced;
use super::tree::Shared;
use crate::fxhash::FxMap;

/// One end of the migration as the runbook shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SideCtx {
    /// DMS engine id.
    pub engine: String,
    /// Display name.
    pub name: String,
    /// `Oracle Database 19 (Enterprise Edition)`.
    pub label: String,
    /// Version, when given.
    pub version: Option<String>,
    /// Edition display name, when known.
    pub edition: Option<String>,
    /// Hosting id.
    pub hosting: String,
    /// Whether it runs in the user's data centre.
    pub on_prem: bool,
    /// The engine's DMS doc page.
    pub doc: Option<String>,
    /// The SSL mode dmsplan chooses for its endpoint.
    pub ssl_mode: String,
    /// The DMS endpoint identifier.
    pub endpoint_id: String,
    /// The Secrets Manager secret name for its credentials.
    pub secret_name: String,
}

/// A finding as the runbook shows it.
#[derive(Debug, Clone, Serialize)]
pub struct FindingCtx {
    /// Rule id.
    pub id: String,
    /// Message (trusted Markdown: catalog and rule text).
    pub message: String,
    /// Fix, when there is one.
    pub fix: Option<String>,
    /// Doc URL.
    pub doc: String,
}

/// A prerequisite step with its code blocks built.
#[derive(Debug, Clone, Serialize)]
pub struct StepCtx {
    /// Catalog id.
    pub id: String,
    /// What to do.
    pub title: String,
    /// Fenced block of the check query, when there is one.
    pub check_block: Option<String>,
    /// Fenced block of the action.
    pub action_block: String,
    /// Doc URL.
    pub doc: String,
}

/// The numbers and the model behind them.
#[derive(Debug, Clone, Serialize)]
pub struct EstimateCtx {
    /// Optimistic full load.
    pub full_load_low: String,
    /// Expected full load.
    pub full_load_high: String,
    /// Validation time.
    pub validation: String,
    /// Full-load-only window.
    pub offline_window: String,
    /// The cutover window.
    pub cutover: String,
    /// Accepted downtime.
    pub downtime: String,
    /// Whether the numbers call for CDC.
    pub needs_cdc: bool,
    /// The reason with the numbers.
    pub reason: String,
    /// The network path as answered or defaulted.
    pub network: String,
    /// Network throughput, GB/h.
    pub network_gb_per_hour: String,
    /// Instance throughput, GB/h.
    pub instance_gb_per_hour: String,
    /// Effective throughput, GB/h.
    pub effective_gb_per_hour: String,
    /// Whether `--throughput-mbps` replaced the model.
    pub throughput_override: bool,
    /// The largest table alone, optimistic.
    pub largest_table: String,
    /// How long the replication instance runs.
    pub instance_runs: String,
    /// Source change-log retention, hours, with CDC.
    pub log_retention_hours: Option<u32>,
    /// The Serverless alternative.
    pub serverless: Option<ServerlessCtx>,
    /// Phases of the timeline.
    pub timeline: Vec<PhaseCtx>,
    /// The timeline as a fenced Mermaid gantt chart.
    pub gantt: String,
    /// The model's constants: name, value, source (the same for every plan, made once).
    pub constants: Shared<Vec<ConstantCtx>>,
    /// Answers dmsplan assumed.
    pub defaulted: Vec<crate::evaluate::Defaulted>,
    /// The sizing answers as used.
    pub sizing: crate::evaluate::SizingView,
}

/// DMS Serverless capacity.
#[derive(Debug, Clone, Serialize)]
pub struct ServerlessCtx {
    /// Minimum DCUs.
    pub min: u32,
    /// Maximum DCUs.
    pub max: u32,
}

/// One phase of the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseCtx {
    /// Name.
    pub name: String,
    /// Expected duration, as text.
    pub duration: String,
}

/// One constant of the model.
#[derive(Debug, Clone, Serialize)]
pub struct ConstantCtx {
    /// What it is.
    pub name: String,
    /// Its value with unit.
    pub value: String,
    /// Where it comes from.
    pub source: String,
}

/// A log retention statement with its numbers filled in.
#[derive(Debug, Clone, Serialize)]
pub struct RetentionCtx {
    /// What to do.
    pub title: String,
    /// The fenced statement.
    pub block: String,
    /// Doc URL.
    pub doc: String,
}

/// The model's constants, made once: every plan shows the same.
fn constants() -> Shared<Vec<ConstantCtx>> {
    static CONSTANTS: std::sync::OnceLock<Shared<Vec<ConstantCtx>>> = std::sync::OnceLock::new();
    CONSTANTS
        .get_or_init(|| Shared::new(make_constants()))
        .clone()
}

fn make_constants() -> Vec<ConstantCtx> {
    use crate::estimate as m;
    let c = |name: &str, value: String, source: &str| ConstantCtx {
        name: name.to_string(),
        value,
        source: source.to_string(),
    };
    vec![
        c(
            "Network efficiency",
            format!(
                "{:.0}% of a link's nominal speed",
                m::NETWORK_EFFICIENCY * 100.0
            ),
            "assumption: TCP, TLS and protocol overhead",
        ),
        c(
            "Site-to-site VPN",
            format!("{} Mbit/s per tunnel", m::VPN_MBPS),
            "AWS Site-to-Site VPN quotas",
        ),
        c(
            "Internet uplink",
            format!("{} Mbit/s", m::INTERNET_MBPS),
            "assumption",
        ),
        c(
            "Load rate per vCPU, homogeneous",
            format!("{} GB/h", m::GB_PER_HOUR_PER_VCPU_HOMOGENEOUS),
            "assumption",
        ),
        c(
            "Load rate per vCPU, heterogeneous",
            format!("{} GB/h", m::GB_PER_HOUR_PER_VCPU_HETEROGENEOUS),
            "assumption: type conversion is CPU-bound (DMS best practices)",
        ),
        c(
            "Load rate of one table",
            format!("{} GB/h", m::GB_PER_HOUR_PER_TABLE),
            "assumption: one thread per table without parallel load",
        ),
        c(
            "Tables loaded at once",
            format!("{}", m::MAX_FULL_LOAD_SUBTASKS),
            "MaxFullLoadSubTasks default (DMS best practices)",
        ),
        c(
            "Speed with limited LOB mode",
            format!("{:.0}%", m::LOB_LIMITED_FACTOR * 100.0),
            "assumption",
        ),
        c(
            "Speed with full LOB mode",
            format!("{:.0}%", m::LOB_FULL_FACTOR * 100.0),
            "assumption: LOBs fetched in pieces (DMS best practices)",
        ),
        c(
            "Expected share of the optimistic speed",
            format!("{:.0}%", m::EXPECTED_SHARE * 100.0),
            "assumption: uneven tables, source load, retries",
        ),
        c(
            "Validation",
            format!(
                "{:.0}% of the expected full load",
                m::VALIDATION_SHARE * 100.0
            ),
            "assumption: validation re-reads both sides",
        ),
        c(
            "Cutover steps",
            hours(m::CUTOVER_STEPS_HOURS),
            "assumption: stop writes, checks, repoint, smoke test",
        ),
        c(
            "Steady CDC before cutover",
            hours(m::CDC_SOAK_HOURS),
            "assumption: one business day of changes",
        ),
        c(
            "Log retention margin",
            hours(m::LOG_RETENTION_MARGIN_HOURS),
            "assumption: a day to notice and restart a failed task",
        ),
    ]
}

fn gantt(phases: &[crate::estimate::Phase]) -> String {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(128 + 48 * phases.len());
    text.push_str(
        "gantt\n    title Expected timeline\n    dateFormat X\n    axisFormat %d %H:%M\n    section Migration",
    );
    for (i, p) in phases.iter().enumerate() {
        let minutes = (p.hours * 60.0).round().max(1.0) as u64;
        text.push_str("\n    ");
        push_mermaid_label(&mut text, p.name);
        let _ = if i == 0 {
            write!(text, " :p{i}, 0, {minutes}m")
        } else {
            write!(text, " :p{i}, after p{}, {minutes}m", i - 1)
        };
    }
    fenced("mermaid", &text)
}

fn estimate_ctx(eval: &Evaluation) -> EstimateCtx {
    let e = &eval.estimate;
    EstimateCtx {
        full_load_low: hours(e.full_load_hours.low),
        full_load_high: hours(e.full_load_hours.high),
        validation: hours(e.validation_hours),
        offline_window: hours(e.offline_window_hours),
        cutover: hours(e.cutover_hours),
        downtime: hours(e.downtime_hours),
        needs_cdc: e.needs_cdc,
        reason: e.cdc_reason.clone(),
        network: eval.sizing.network.clone(),
        network_gb_per_hour: format!("{:.0}", e.network_gb_per_hour),
        instance_gb_per_hour: format!("{:.0}", e.instance_gb_per_hour),
        effective_gb_per_hour: format!("{:.0}", e.effective_gb_per_hour),
        throughput_override: e.throughput_override,
        largest_table: hours(e.largest_table_hours),
        instance_runs: hours(e.instance_hours),
        log_retention_hours: e.log_retention_hours,
        serverless: e.serverless.as_ref().map(|s| ServerlessCtx {
            min: s.min_capacity_units,
            max: s.max_capacity_units,
        }),
        timeline: e
            .timeline
            .iter()
            .map(|p| PhaseCtx {
                name: p.name.to_string(),
                duration: hours(p.hours),
            })
            .collect(),
        gantt: gantt(&e.timeline),
        constants: constants(),
        defaulted: eval.defaulted.clone(),
        sizing: eval.sizing.clone(),
    }
}

fn retention(catalog: &Catalog, eval: &Evaluation) -> Vec<RetentionCtx> {
    let Some(hours) = eval.estimate.log_retention_hours else {
        return Vec::new();
    };
    let rate: f64 = eval.sizing.change_rate.parse().unwrap_or(1.0);
    let a = &eval.assessment;
    catalog
        .engine(&a.source.engine)
        .and_then(|e| e.role(Role::Source))
        .map(|spec| {
            spec.log_retention
                .iter()
                .filter(|r| {
                    r.hostings
                        .as_ref()
                        .is_none_or(|h| h.contains(&a.source.hosting))
                })
                .map(|r| RetentionCtx {
                    title: crate::catalog::LogRetention::fill(&r.title, hours, rate),
                    block: fenced(
                        &r.lang,
                        &crate::catalog::LogRetention::fill(&r.action, hours, rate),
                    ),
                    doc: crate::catalog::doc_url(&r.doc),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The replication instance dmsplan proposes.
#[derive(Debug, Clone, Serialize)]
pub struct InstanceCtx {
    /// Identifier.
    pub id: String,
    /// Instance class.
    pub class: String,
    /// Allocated storage, GB.
    pub storage_gb: u32,
    /// Multi-AZ.
    pub multi_az: bool,
    /// Why this class.
    pub class_reason: String,
    /// The DMS engine version to ask for (a minimum, or `the latest`).
    pub engine_version: String,
    /// Replication subnet group identifier.
    pub subnet_group_id: String,
}

/// The names of the files next to the runbook.
#[derive(Debug, Clone, Serialize)]
pub struct FilesCtx {
    /// Table mappings.
    pub table_mappings: String,
    /// Task settings.
    pub task_settings: String,
    /// CloudFormation template.
    pub cloudformation: String,
}

fn display_ssl(mode: &str) -> String {
    if mode.is_empty() {
        "not configurable".to_string()
    } else {
        mode.to_string()
    }
}

/// What the schema section needs to know.
#[derive(Debug, Clone, Serialize)]
pub struct SchemaCtx {
    /// Heterogeneous relational (or to analytics) with conversion.
    pub convert: bool,
    /// Babelfish path.
    pub babelfish: bool,
    /// Non-relational target: mapping only.
    pub data_movement: bool,
    /// Same engine or family.
    pub homogeneous: bool,
    /// Compatible but not identical (MongoDB to DocumentDB).
    pub compatible: bool,
    /// Conversion tools for the pair.
    pub tools: Vec<ToolCtx>,
}

/// A conversion tool.
#[derive(Debug, Clone, Serialize)]
pub struct ToolCtx {
    /// Name.
    pub name: String,
    /// Doc URL.
    pub doc: String,
}

/// Everything the runbook templates see.
#[derive(Debug, Clone, Serialize)]
pub struct RenderContext {
    /// The plan name as typed (escaped by the template).
    pub title: String,
    /// The plan directory name.
    pub slug: String,
    /// When the plan was made.
    pub created_at: String,
    /// The dmsplan version rendering.
    pub dmsplan_version: String,
    /// The dmsplan version that wrote the plan.
    pub plan_dmsplan_version: String,
    /// The catalog date.
    pub catalog_as_of: String,
    /// AWS Region.
    pub region: String,
    /// What changed since the plan was saved, one line each.
    pub changes: Vec<String>,
    /// The source.
    pub source: SideCtx,
    /// The target.
    pub target: SideCtx,
    /// `homogeneous` or `heterogeneous`.
    pub classification: String,
    /// One sentence on what it means.
    pub classification_detail: String,
    /// Supported (no blocker).
    pub supported: bool,
    /// `supported`, `supported with warnings`, `not supported`.
    pub verdict: String,
    /// DMS migration type.
    pub migration_type: String,
    /// Whether the plan uses CDC.
    pub cdc: bool,
    /// Whether DMS data validation works for this pair.
    pub validation: bool,
    /// How DMS captures changes.
    pub cdc_method: Option<String>,
    /// Data size, formatted.
    pub size: String,
    /// Downtime, formatted.
    pub downtime: String,
    /// The estimate.
    pub estimate: EstimateCtx,
    /// How to keep the source's change logs for the CDC window.
    pub log_retention: Vec<RetentionCtx>,
    /// Blockers.
    pub blockers: Vec<FindingCtx>,
    /// Warnings.
    pub warnings: Vec<FindingCtx>,
    /// Info findings.
    pub notes: Vec<FindingCtx>,
    /// Source steps needed always.
    pub source_steps: Shared<Vec<StepCtx>>,
    /// Source steps for CDC.
    pub source_cdc_steps: Shared<Vec<StepCtx>>,
    /// Target steps.
    pub target_steps: Shared<Vec<StepCtx>>,
    /// The partial with the source engine's own words.
    pub source_partial: String,
    /// Schema section facts.
    pub schema: SchemaCtx,
    /// Replication instance.
    pub instance: InstanceCtx,
    /// Replication task identifier.
    pub task_id: String,
    /// Target table preparation mode.
    pub target_table_prep_mode: String,
    /// Why that mode.
    pub prep_mode_reason: String,
    /// Whether the table mappings lower-case names.
    pub lowercase: bool,
    /// The AWS CLI steps, each a fenced shell block.
    pub cli: crate::artifacts::aws_cli::CliSteps,
    /// The artifact file names.
    pub files: FilesCtx,

    /// Data type lines and homogeneous options for the schema section.
    pub conversion: super::conversion::ConversionCtx,
    /// The path diagram, a fenced Mermaid block.
    pub diagram: String,
    /// The network path from the source to the VPC, in words.
    pub network_path: String,
    /// Every decision with its reason.
    pub decisions: Vec<Decision>,
}

fn finding(f: &Finding) -> FindingCtx {
    FindingCtx {
        id: f.id.clone(),
        message: f.message.clone(),
        fix: f
            .fix
            .as_deref()
            .map(|x| x.trim_end_matches('.').to_string()),
        doc: f.doc.clone(),
    }
}

fn step(s: &RequiredStep) -> StepCtx {
    StepCtx {
        id: s.id.clone(),
        title: s.title.clone(),
        check_block: s.check.as_deref().map(|c| fenced(&s.check_lang, c)),
        action_block: fenced(&s.lang, &s.action),
        doc: s.doc.clone(),
    }
}

/// The prerequisite steps as the runbook lists them: the source's always and for CDC, the
/// target's.
#[derive(Clone)]
struct StepLists {
    source: Shared<Vec<StepCtx>>,
    source_cdc: Shared<Vec<StepCtx>>,
    target: Shared<Vec<StepCtx>>,
}

/// The step lists of an assessment's prerequisites, made once per list: every plan of a pair
/// (with or without CDC) has the same, and a batch has few pairs. At most 1,024 lists kept.
fn step_lists(prerequisites: &[RequiredStep]) -> StepLists {
    type Known = FxMap<Vec<RequiredStep>, StepLists>;
    static KNOWN: std::sync::OnceLock<std::sync::Mutex<Known>> = std::sync::OnceLock::new();
    let known = KNOWN.get_or_init(Default::default);
    if let Some(lists) = known
        .lock()
        .ok()
        .and_then(|k| k.get(prerequisites).cloned())
    {
        return lists;
    }
    let steps = |role: Role, when: Option<When>| {
        let list = prerequisites
            .iter()
            .filter(|p| p.role == role && when.is_none_or(|w| p.when == w))
            .map(step)
            .collect::<Vec<_>>();
        Shared::new(list)
    };
    let lists = StepLists {
        source: steps(Role::Source, Some(When::Always)),
        source_cdc: steps(Role::Source, Some(When::Cdc)),
        target: steps(Role::Target, None),
    };
    if let Ok(mut k) = known.lock() {
        if k.len() < 1024 {
            k.insert(prerequisites.to_vec(), lists.clone());
        }
    }
    lists
}

/// Whether a character cannot stand inside a quoted Mermaid label.
fn mermaid_unsafe(c: char) -> bool {
    matches!(
        c,
        '"' | '[' | ']' | '|' | '<' | '>' | '{' | '}' | '`' | '#' | ';'
    ) || c.is_control()
}

/// Append a label safe inside a quoted Mermaid string: no quotes, brackets or pipes (each
/// becomes a space).
fn push_mermaid_label(out: &mut String, text: &str) {
    // Most labels (engine names, Regions) have none of them: copy those whole.
    if !text.chars().any(mermaid_unsafe) {
        out.push_str(text);
        return;
    }
    out.extend(
        text.chars()
            .map(|c| if mermaid_unsafe(c) { ' ' } else { c }),
    );
}

fn label(v: &EndpointView) -> String {
    let mut s = v.name.clone();
    if let Some(ver) = &v.version {
        s.push(' ');
        s.push_str(ver);
    }
    if let Some(e) = &v.edition_name {
        s.push_str(" (");
        s.push_str(e);
        s.push(')');
    }
    s
}

/// The path diagram: source, replication instance and target, a fenced Mermaid flowchart.
fn diagram(a: &Assessment, region: &str) -> String {
    let mut text = String::with_capacity(320);
    text.push_str("flowchart LR\n    source[(\"");
    push_mermaid_label(&mut text, &label(&a.source));
    text.push_str("<br/>");
    push_mermaid_label(&mut text, hosting_words(a.source.hosting));
    text.push_str("\")] -- \"");
    push_mermaid_label(&mut text, network_path(a.source.hosting));
    text.push_str("\" --> ri[\"DMS replication instance<br/>VPC in ");
    push_mermaid_label(&mut text, region);
    text.push_str("\"]\n    ri --> target[(\"");
    push_mermaid_label(&mut text, &label(&a.target));
    text.push_str("<br/>");
    push_mermaid_label(&mut text, hosting_words(a.target.hosting));
    text.push_str("\")]");
    fenced("mermaid", &text)
}

fn hosting_words(h: Hosting) -> &'static str {
    match h {
        Hosting::OnPrem => "on premises",
        Hosting::Ec2 => "Amazon EC2",
        Hosting::Rds => "Amazon RDS",
        Hosting::Aurora => "Amazon Aurora",
        Hosting::Aws => "AWS managed service",
        Hosting::Azure => "Microsoft Azure",
        Hosting::Gcp => "Google Cloud",
    }
}

fn network_path(source: Hosting) -> &'static str {
    match source {
        Hosting::OnPrem => {
            "AWS Direct Connect or a site-to-site VPN from the data centre to the VPC"
        }
        Hosting::Azure | Hosting::Gcp => "a site-to-site VPN between the other cloud and the VPC",
        _ => "VPC networking inside AWS (same VPC, peering or Transit Gateway)",
    }
}

/// One end as the runbook shows it, with its endpoint's identifier and SSL mode as the
/// artifacts chose them.
fn side(v: &EndpointView, role: Role, slug: &str, endpoint_id: &str, ssl_mode: &str) -> SideCtx {
    SideCtx {
        engine: v.engine.clone(),
        name: v.name.clone(),
        label: label(v),
        version: v.version.clone(),
        edition: v.edition_name.clone(),
        hosting: hosting_words(v.hosting).to_string(),
        on_prem: v.hosting == Hosting::OnPrem,
        doc: v.doc.clone(),
        ssl_mode: display_ssl(ssl_mode),
        endpoint_id: endpoint_id.to_string(),
        secret_name: ["dmsplan/", slug, "/", role.as_str()].concat(),
    }
}

fn source_partial(family: Family) -> &'static str {
    match family {
        Family::Oracle => "source-oracle",
        Family::Sqlserver => "source-sqlserver",
        Family::Mysql => "source-mysql",
        Family::Postgresql => "source-postgresql",
        Family::Mongodb => "source-mongodb",
        _ => "source-generic",
    }
}

fn gb(size: f64) -> String {
    if size >= 1024.0 && (size / 1024.0).fract() == 0.0 {
        format!("{} TB ({} GB)", size / 1024.0, size)
    } else if size.fract() == 0.0 {
        format!("{size} GB")
    } else {
        format!("{size:.1} GB")
    }
}

fn verdict_words(a: &Assessment) -> &'static str {
    match a.verdict {
        crate::assess::Verdict::Supported => "supported",
        crate::assess::Verdict::SupportedWithWarnings => "supported, with warnings",
        crate::assess::Verdict::Unsupported => "not supported",
    }
}

fn decisions(plan: &Plan, eval: &Evaluation, ctx: &RenderContext) -> Vec<Decision> {
    let a = &eval.assessment;
    let answers = &plan.answers;
    let given = |key: &str, flag: &str| {
        if answers.has(key) {
            format!("your answer ({flag})")
        } else {
            "default".to_string()
        }
    };
    let mut d = vec![
        Decision {
            topic: "Classification".into(),
            choice: format!("{} ({})", a.classification.as_str(), enum_str(&a.pair_kind)),
            because: "rule `classification` (engine families in the catalog)".into(),
        },
        Decision {
            topic: "Source hosting".into(),
            choice: a.source.hosting.to_string(),
            because: given("source_hosting", "--source-hosting"),
        },
        Decision {
            topic: "Target hosting".into(),
            choice: a.target.hosting.to_string(),
            because: if answers.has("target_hosting") {
                "your answer (--target-hosting)".into()
            } else {
                "default: the AWS-managed form of the target engine".into()
            },
        },
    ];
    if let Some(e) = &a.source.edition_name {
        d.push(Decision {
            topic: "Source edition".into(),
            choice: e.clone(),
            because: if answers.has("source_edition") {
                "your answer (--source-edition)".into()
            } else {
                "rule `source.edition.assumed` (the catalog's default edition)".into()
            },
        });
    }
    d.push(Decision {
        topic: "Migration type".into(),
        choice: eval.migration_type.as_str().into(),
        because: match eval.cdc_forced {
            Some(true) => "your answer (--cdc)".into(),
            Some(false) => "your answer (--no-cdc)".into(),
            None => format!("size and downtime: {}", eval.estimate.cdc_reason),
        },
    });
    if !a.schema_conversion_tools.is_empty() {
        d.push(Decision {
            topic: "Schema conversion".into(),
            choice: a
                .schema_conversion_tools
                .iter()
                .map(|t| t.name.clone())
                .collect::<Vec<_>>()
                .join(" or "),
            because: "rule `schema-conversion.tool` (the catalog's conversion tools for this pair)"
                .into(),
        });
    }
    d.push(Decision {
        topic: "Target table preparation mode".into(),
        choice: ctx.target_table_prep_mode.clone(),
        because: ctx.prep_mode_reason.clone(),
    });
    d.push(Decision {
        topic: "Replication instance".into(),
        choice: format!(
            "{}, {} GB storage, {}",
            ctx.instance.class,
            ctx.instance.storage_gb,
            if ctx.instance.multi_az {
                "Multi-AZ"
            } else {
                "Single-AZ"
            }
        ),
        because: ctx.instance.class_reason.clone(),
    });
    d.push(Decision {
        topic: "DMS engine version".into(),
        choice: ctx.instance.engine_version.clone(),
        because: if a.min_dms_version.is_some() {
            "rule `source.version.min-dms` / `target.version.min-dms`".into()
        } else {
            "no minimum in the catalog for these versions".into()
        },
    });
    d.push(Decision {
        topic: "Endpoint SSL modes".into(),
        choice: format!(
            "source {}, target {}",
            ctx.source.ssl_mode, ctx.target.ssl_mode
        ),
        because: "the most secure mode each endpoint accepts (catalog `ssl_modes`)".into(),
    });
    d.push(Decision {
        topic: "Credentials".into(),
        choice: format!(
            "AWS Secrets Manager secrets `{}` and `{}`",
            ctx.source.secret_name, ctx.target.secret_name
        ),
        because: "secrets never enter a plan or a runbook".into(),
    });
    d
}

fn enum_str<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

impl RenderContext {
    /// Build the context for a plan and its evaluation.
    pub fn new(
        catalog: &Catalog,
        plan: &Plan,
        eval: &Evaluation,
        artifacts: &Artifacts,
        dmsplan_version: &str,
    ) -> RenderContext {
        let a = &eval.assessment;
        let slug = plan.slug();
        let ids = &artifacts.ids;
        let source = side(
            &a.source,
            Role::Source,
            &slug,
            &ids.source_endpoint,
            &artifacts.ssl_modes.0,
        );
        let target = side(
            &a.target,
            Role::Target,
            &slug,
            &ids.target_endpoint,
            &artifacts.ssl_modes.1,
        );
        let e = &eval.estimate;
        let size_gb = plan.answers.size_gb.unwrap_or_default();
        let instance = &artifacts.instance;
        let now = crate::plan::Recorded::of(a, eval.migration_type);
        let kind = a.pair_kind;
        let by = |s: Severity| {
            a.findings
                .iter()
                .filter(|f| f.severity == s)
                .map(finding)
                .collect::<Vec<_>>()
        };
        let steps = step_lists(&a.prerequisites);
        let diagram = diagram(a, plan.answers.region.as_deref().unwrap_or_default());
        let mut ctx = RenderContext {
            title: plan.answers.name_or_default(),
            slug: slug.clone(),
            created_at: plan.created_at.clone(),
            dmsplan_version: dmsplan_version.to_string(),
            plan_dmsplan_version: plan.dmsplan_version.clone(),
            catalog_as_of: a.catalog_as_of.clone(),
            region: plan.answers.region.clone().unwrap_or_default(),
            changes: now.changes_since(&plan.recorded),
            classification: a.classification.as_str().to_string(),
            classification_detail: a.classification_detail.clone(),
            supported: a.supported,
            verdict: verdict_words(a).to_string(),
            migration_type: eval.migration_type.as_str().to_string(),
            cdc: a.cdc_requested,
            validation: a.validation_supported,
            cdc_method: a.cdc_method.clone(),
            size: gb(size_gb),
            downtime: hours(e.downtime_hours),
            estimate: estimate_ctx(eval),
            log_retention: retention(catalog, eval),
            blockers: by(Severity::Blocker),
            warnings: by(Severity::Warning),
            notes: by(Severity::Info),
            source_steps: steps.source,
            source_cdc_steps: steps.source_cdc,
            target_steps: steps.target,
            source_partial: source_partial(a.source.family).to_string(),
            schema: SchemaCtx {
                convert: matches!(
                    kind,
                    PairKind::RelationalToRelational | PairKind::ToAnalytics
                ),
                babelfish: kind == PairKind::Babelfish,
                data_movement: kind == PairKind::DataMovement,
                homogeneous: matches!(
                    kind,
                    PairKind::SameEngine | PairKind::SameFamily | PairKind::Compatible
                ),
                compatible: kind == PairKind::Compatible,
                tools: a
                    .schema_conversion_tools
                    .iter()
                    .map(|t| ToolCtx {
                        name: t.name.clone(),
                        doc: t.doc.clone(),
                    })
                    .collect(),
            },
            instance: InstanceCtx {
                id: artifacts.ids.instance.clone(),
                class: instance.class.clone(),
                storage_gb: instance.allocated_storage_gb,
                multi_az: instance.multi_az,
                class_reason: instance.reasons.join("; "),
                engine_version: a
                    .min_dms_version
                    .as_ref()
                    .map_or("the latest available".to_string(), |v| {
                        format!("{v} or later")
                    }),
                subnet_group_id: artifacts.ids.subnet_group.clone(),
            },
            task_id: artifacts.ids.task.clone(),
            target_table_prep_mode: artifacts.prep_mode.0.to_string(),
            prep_mode_reason: artifacts.prep_mode.1.to_string(),
            lowercase: artifacts.lowercase,
            cli: artifacts.cli.map_blocks(|block| fenced("sh", block)),
            files: FilesCtx {
                table_mappings: crate::artifacts::TABLE_MAPPINGS.to_string(),
                task_settings: crate::artifacts::TASK_SETTINGS.to_string(),
                cloudformation: crate::artifacts::CLOUDFORMATION.to_string(),
            },

            conversion: super::conversion::build(catalog, plan, eval),
            diagram,
            network_path: network_path(a.source.hosting).to_string(),
            source,
            target,
            decisions: Vec::new(),
        };
        ctx.decisions = decisions(plan, eval, &ctx);
        ctx
    }
}
