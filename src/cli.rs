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

    /// Ongoing replication (change data capture) is needed.
    #[arg(long)]
    pub cdc: bool,
}

/// `dmsplan check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    /// The pair.
    pub pair: PairArgs,

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
