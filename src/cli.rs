//! Command-line definitions (clap derive types only); behaviour lives in `commands.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::assess::EngineSpec;
use crate::catalog::Hosting;

const EXIT_CODES: &str = "\
Exit codes:
  0    done; for `check`, DMS supports the pair (warnings allowed)
  1    done, and the answer is no (e.g. DMS does not support the pair)
  2    bad input: flags, plan, catalog, template; or an I/O error
  130  interrupted (Ctrl-C in the wizard); nothing written";

/// Plan AWS Database Migration Service (DMS) migrations offline: classify a source and target,
/// check what DMS supports, flag change data capture, and write a runbook.
#[derive(Debug, Parser)]
#[command(name = "dmsplan", version, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    /// Use this engine catalog instead of the built-in one (same format, validated on load).
    #[arg(long, global = true, value_name = "FILE", env = "DMSPLAN_CATALOG")]
    pub catalog: Option<PathBuf>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check what DMS supports for a source and a target.
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// List the engines DMS reads from and writes to, or show one in full.
    #[command(after_help = ENGINES_EXAMPLES)]
    Engines(EnginesArgs),
    /// Make a plan and its runbook from flags, an answers file, or (in a terminal) questions.
    #[command(after_help = NEW_EXAMPLES)]
    New(NewArgs),
    /// Write a plan's runbook again (after editing the plan or upgrading dmsplan).
    #[command(after_help = RENDER_EXAMPLES)]
    Render(RenderArgs),
    /// Print the JSON Schema of a plan file.
    Schema,
    /// Plan every database of an inventory (CSV or JSON lines) and write a portfolio report.
    #[command(after_help = BATCH_EXAMPLES)]
    Batch(BatchArgs),
    /// Inventory files: `dmsplan inventory template` prints a CSV to start from.
    #[command(subcommand)]
    Inventory(InventoryCommand),
    /// Show how DMS maps data types from a source engine to a target engine.
    #[command(after_help = TYPES_EXAMPLES)]
    Types(TypesArgs),
}

const TYPES_EXAMPLES: &str = "\
Examples:
  dmsplan types --source oracle --target aurora-postgresql          the whole map
  dmsplan types --source oracle --target aurora-postgresql --type 'NUMBER(10,2)'
  dmsplan types --source mysql --target postgres --type 'int unsigned' --json
  dmsplan types --source mssql --target babelfish --type datetimeoffset

Each row: the source type, the DMS data type it travels as, the type DMS creates on the
target, and whether values are lost (`lossy`) or the column is not migrated at all. From the
DMS pages \"Source data types for X\" and \"Target data types for Y\".
Exit codes: 0 answered (a pair without a map says so), 1 the one --type is not migrated or
unknown, 2 bad input (an unknown engine).";

/// `dmsplan types`.
#[derive(Debug, Args)]
pub struct TypesArgs {
    /// The source engine (an id or alias, e.g. `oracle`, `mssql`); a version is ignored.
    #[arg(long, value_name = "ENGINE")]
    pub source: EngineSpec,

    /// The target engine (e.g. `aurora-postgresql`, `redshift`); a version is ignored.
    #[arg(long, value_name = "ENGINE")]
    pub target: EngineSpec,

    /// Look up one type as you write it: `NUMBER(10,2)`, `varchar2(100 char)`,
    /// `TIMESTAMP(6) WITH TIME ZONE`, `int unsigned`.
    #[arg(long = "type", value_name = "TYPE")]
    pub type_name: Option<String>,

    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

const NEW_EXAMPLES: &str = "\
Examples:
  dmsplan new --name billing --source oracle:19c --source-edition enterprise \\
      --target aurora-postgresql:16 --size-gb 800 --downtime 2h --region eu-west-1
  dmsplan new --answers answers.json --region us-east-1      flags win over the file
  dmsplan new                                                in a terminal: asks what is missing

Writes OUT_DIR/<name>/plan.json and runbook.md; an existing plan is kept unless --force.
Exit codes: 0 written, 1 written but DMS does not support the pair as planned, 2 bad input.";

const BATCH_EXAMPLES: &str = "\
Examples:
  dmsplan inventory template > estate.csv
  dmsplan batch estate.csv --out-dir plans/estate --region eu-west-1
  dmsplan batch estate.jsonl --dry-run            plan and render everything, write only the report

Columns (CSV header, or JSON keys): name, source, source_version, source_edition,
source_hosting, target, target_version, target_hosting, size_gb, downtime,
change_rate_gb_per_hour, network, environment, app, depends_on (names, `;`-separated), region.
Required: name, source, target, size_gb, downtime. Extra columns are ignored.
Exit codes: 0 every row planned, 1 some rows refused (see refused.csv), 2 unusable file.";

/// `dmsplan batch`.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The inventory: CSV with a header line, or JSON lines (`.jsonl`, `.ndjson`).
    pub inventory: PathBuf,

    /// Where the plan directories, `portfolio.md`, `portfolio.json` and `refused.csv` go.
    #[arg(long, value_name = "DIR", default_value = "plans")]
    pub out_dir: PathBuf,

    /// AWS Region for rows without a `region` column.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Stop at the first row that cannot be planned (exit 2), writing nothing.
    #[arg(long)]
    pub strict: bool,

    /// Plan and render every row but write only the portfolio report.
    #[arg(long)]
    pub dry_run: bool,

    /// Overwrite existing plans.
    #[arg(long)]
    pub force: bool,

    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// `dmsplan inventory ...`.
#[derive(Debug, Subcommand)]
pub enum InventoryCommand {
    /// Print an inventory header and two example rows (CSV).
    Template,
}

const RENDER_EXAMPLES: &str = "\
Examples:
  dmsplan render plans/billing/plan.json               rewrite plans/billing/runbook.md
  dmsplan render plans/billing/plan.json -o -          print the runbook
  dmsplan render plans/billing/plan.json --templates my-templates/";

/// `dmsplan new`: every answer as a flag; all optional here, required for a plan.
#[derive(Debug, Args, Default)]
pub struct NewArgs {
    /// Plan name [default: made from the pair, e.g. `oracle-to-aurora-postgresql`].
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// The source engine and version, ENGINE[:VERSION] (e.g. `oracle:19c`).
    #[arg(long, value_name = "ENGINE[:VERSION]")]
    pub source: Option<String>,

    /// The source edition or deployment variant (e.g. `enterprise`, `SE2`, `read replica`).
    #[arg(long, value_name = "EDITION")]
    pub source_edition: Option<String>,

    /// Where the source runs: on-prem, ec2, rds, aurora, aws, azure, gcp [default: on-prem].
    #[arg(long, value_name = "HOSTING")]
    pub source_hosting: Option<String>,

    /// The target engine and version, ENGINE[:VERSION] (e.g. `aurora-postgresql:16`).
    #[arg(long, value_name = "ENGINE[:VERSION]")]
    pub target: Option<String>,

    /// The target edition (e.g. `standard`).
    #[arg(long, value_name = "EDITION")]
    pub target_edition: Option<String>,

    /// Where the target runs [default: the AWS-managed form of the engine].
    #[arg(long, value_name = "HOSTING")]
    pub target_hosting: Option<String>,

    /// AWS Region of the target and the replication instance (e.g. `eu-west-1`).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Schemas to migrate, comma-separated, each optionally renamed on the target:
    /// `HR,SALES=sales_app` [default: every user schema of the source].
    #[arg(long, value_name = "LIST")]
    pub schemas: Option<String>,

    #[command(flatten)]
    /// Sizing answers and the CDC decision.
    pub sizing: SizingArgs,

    /// Read answers from a JSON file (keys as the flags: `size_gb`, `source_edition`, ...).
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,

    /// Root directory of plans.
    #[arg(long, value_name = "DIR", default_value = "plans")]
    pub out_dir: PathBuf,

    /// Overwrite an existing plan and runbook.
    #[arg(long)]
    pub force: bool,

    /// Never prompt: missing answers are an error listing the flags to pass.
    #[arg(long)]
    pub no_input: bool,

    /// Use templates from DIR instead of the built-in ones, by file name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

/// `dmsplan render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The plan file (`plans/NAME/plan.json`).
    pub plan: PathBuf,

    /// Where to write the runbook; `-` prints it [default: runbook.md beside the plan].
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Overwrite a runbook that differs from what would be written (ticked boxes are lost).
    #[arg(long)]
    pub force: bool,

    /// Use templates from DIR instead of the built-in ones, by file name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

const CHECK_EXAMPLES: &str = "\
Examples:
  dmsplan check --source oracle:19c --source-edition enterprise --target aurora-postgresql:16 --cdc
  dmsplan check --source mysql:5.7 --target aurora-mysql:8.0 --json
  dmsplan check --source sqlserver:2014 --source-edition standard --target sqlserver --cdc

Exit codes: 0 supported (warnings allowed), 1 not supported, 2 bad input.";

const ENGINES_EXAMPLES: &str = "\
Examples:
  dmsplan engines                  every engine, with versions and aliases
  dmsplan engines --role target    only what DMS writes to
  dmsplan engines oracle           one engine in full: editions, CDC, prerequisites
  dmsplan engines mssql --json     the catalog entry as JSON";

/// A source and a target, as flags.
#[derive(Debug, Args, Clone)]
pub struct PairArgs {
    /// The source engine and version, ENGINE[:VERSION] (e.g. `oracle:19c`, `postgres:16.4`).
    #[arg(long, value_name = "ENGINE[:VERSION]")]
    pub source: EngineSpec,

    /// The source edition or deployment variant (e.g. `enterprise`, `SE2`, `express`,
    /// `read replica`, `serverless v2`, `replica set`).
    #[arg(long, value_name = "EDITION")]
    pub source_edition: Option<String>,

    /// Where the source runs [default: on-prem]
    #[arg(long, value_name = "HOSTING", value_parser = parse_hosting)]
    pub source_hosting: Option<Hosting>,

    /// The target engine and version, ENGINE[:VERSION] (e.g. `aurora-postgresql:16`).
    #[arg(long, value_name = "ENGINE[:VERSION]")]
    pub target: EngineSpec,

    /// The target edition (e.g. `standard`).
    #[arg(long, value_name = "EDITION")]
    pub target_edition: Option<String>,

    /// Where the target runs [default: the AWS-managed form of the engine, e.g. `rds`]
    #[arg(long, value_name = "HOSTING", value_parser = parse_hosting)]
    pub target_hosting: Option<Hosting>,
}

/// Sizing answers and the CDC decision, shared by `check` and `new`.
#[derive(Debug, Args, Clone, Default)]
pub struct SizingArgs {
    /// Data to migrate, in GB (`800`) or with a unit (`2TB`).
    #[arg(long, value_name = "SIZE", help_heading = "Sizing")]
    pub size_gb: Option<String>,

    /// Downtime the business accepts at cutover: `2h`, `90m`, `1d`.
    #[arg(long, value_name = "DURATION", help_heading = "Sizing")]
    pub downtime: Option<String>,

    /// The largest table, GB [default: a quarter of the data].
    #[arg(long, value_name = "SIZE", help_heading = "Sizing")]
    pub largest_table_gb: Option<String>,

    /// Number of tables to migrate [default: 100].
    #[arg(long, value_name = "N", help_heading = "Sizing")]
    pub tables: Option<String>,

    /// LOB columns: `none`, `limited:SIZE` (e.g. `limited:64KB`) or `full` [default: limited:32KB].
    #[arg(long, value_name = "MODE", help_heading = "Sizing")]
    pub lob: Option<String>,

    /// Tables without a primary key or unique index [default: 0].
    #[arg(long, value_name = "N", help_heading = "Sizing")]
    pub tables_without_pk: Option<String>,

    /// Peak change rate on the source, GB of redo/binlog/WAL per hour [default: 1].
    #[arg(long, value_name = "GB_PER_HOUR", help_heading = "Sizing")]
    pub change_rate: Option<String>,

    /// Path from the source to AWS: `vpn`, `internet`, `direct-connect:1g`, `direct-connect:10g`,
    /// `throughput:300mbps` [default: vpn; in-AWS sources: throughput:5000mbps].
    #[arg(long, value_name = "PATH", help_heading = "Sizing")]
    pub network: Option<String>,

    /// A production database: Multi-AZ replication instance [default].
    #[arg(long, conflicts_with = "no_production", help_heading = "Sizing")]
    pub production: bool,

    /// Not a production database.
    #[arg(long, help_heading = "Sizing")]
    pub no_production: bool,

    /// Override the replication instance class dmsplan proposes (e.g. `dms.r6i.xlarge`).
    #[arg(long, value_name = "CLASS", help_heading = "Sizing")]
    pub instance_class: Option<String>,

    /// Override the effective full-load throughput, Mbit/s (e.g. from a test load).
    #[arg(long, value_name = "MBPS", help_heading = "Sizing")]
    pub throughput_mbps: Option<String>,

    /// Force ongoing replication (CDC) on [default: decided from size and downtime].
    #[arg(long, conflicts_with = "no_cdc", help_heading = "Sizing")]
    pub cdc: bool,

    /// Force full load only, even when the numbers call for CDC (a warning then).
    #[arg(long, help_heading = "Sizing")]
    pub no_cdc: bool,
}

/// `dmsplan check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    /// The pair.
    pub pair: PairArgs,

    #[command(flatten)]
    /// Sizing answers; with `--size-gb` and `--downtime` the JSON has an `estimate`.
    pub sizing: SizingArgs,

    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Which role to list.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    /// Engines DMS reads from.
    Source,
    /// Engines DMS writes to.
    Target,
}

/// `dmsplan engines`.
#[derive(Debug, Args)]
pub struct EnginesArgs {
    /// Show one engine in full (an id or alias).
    pub engine: Option<String>,

    /// List only sources or only targets.
    #[arg(long, value_enum)]
    pub role: Option<RoleArg>,

    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Parse a hosting for clap, listing the valid ones on error.
fn parse_hosting(s: &str) -> Result<Hosting, String> {
    s.parse::<Hosting>().map_err(|e| {
        let all: Vec<&str> = Hosting::ALL.iter().map(|h| h.as_str()).collect();
        format!("{e} (one of: {})", all.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
