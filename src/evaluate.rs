//! From answers to everything dmsplan concludes: the pair, the estimate, the migration type,
//! the assessment, and the list of decisions with the rule or answer behind each.
//!
//! Pure: the catalog and answers in, an `Evaluation` out. Used by `new`, `render` and (later)
//! `batch`, so every entry point decides the same way.

use serde::Serialize;

use crate::assess::{self, Assessment, Endpoint, MigrationType, Pair};
use crate::catalog::{Catalog, Severity};
use crate::error::Error;
use crate::estimate::{self, Estimate};
use crate::plan::Answers;

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

/// Everything concluded from a complete set of answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The source and target as assessed.
    pub pair: PairView,
    /// Full-load estimate and CDC decision from size and downtime.
    pub estimate: Estimate,
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

/// Evaluate complete answers; `Err` only for input the catalog cannot resolve.
pub fn evaluate(catalog: &Catalog, answers: &Answers) -> Result<Evaluation, Error> {
    let missing = answers.missing();
    if !missing.is_empty() {
        return Err(Error::MissingAnswers {
            flags: crate::plan::missing_flags(&missing),
        });
    }
    let (Some(source), Some(target), Some(size_gb), Some(downtime)) = (
        &answers.source,
        &answers.target,
        answers.size_gb,
        answers.downtime,
    ) else {
        unreachable!("missing() checked every required answer");
    };
    let source_engine = assess::resolve_engine(catalog, "source", &source.engine)?;
    let target_engine = assess::resolve_engine(catalog, "target", &target.engine)?;
    let estimate = estimate::estimate(size_gb, downtime);
    let cdc = answers.cdc.unwrap_or(estimate.needs_cdc);
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
    let mut assessment = assess::assess(catalog, &pair)?;
    if answers.cdc == Some(false) && estimate.needs_cdc {
        assessment.findings.push(assess::Finding {
            id: "plan.cdc.forced-off".to_string(),
            severity: Severity::Warning,
            message: format!("full load only was forced with --no-cdc, but {}", estimate.cdc_reason),
            fix: Some("plan a longer downtime window, or drop --no-cdc so ongoing replication carries the changes".to_string()),
            doc: crate::catalog::doc_url("CHAP_Tasks.Creating.html"),
        });
        assessment.findings.sort_by_key(|f| f.severity);
        assessment.refresh_verdict();
    }
    let migration_type = assessment.migration_type;
    Ok(Evaluation {
        pair: PairView {
            source: source_engine.id.clone(),
            target: target_engine.id.clone(),
        },
        estimate,
        migration_type,
        cdc_forced: answers.cdc,
        assessment,
    })
}
