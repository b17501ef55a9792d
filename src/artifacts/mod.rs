//! The files next to a runbook, and the AWS CLI steps inside it: table mappings, task
//! settings, a CloudFormation template. Pure builders: values in, typed serde values and text
//! out. A batch builds these for thousands of plans, so the text is written straight into
//! strings sized up front (no `format!` chains, no JSON trees built only to be printed), and
//! what every step repeats is worked out once per build. Text that many plans share is written
//! once and kept: the table mappings of a source engine and the region's steps (per thread,
//! keyed by what they are made from), the template's outputs (per process). Still pure: what is
//! kept is what the same inputs would write again.

pub mod aws_cli;
pub mod cloudformation;
pub mod ids;
pub mod json;
pub mod shell;
pub mod table_mappings;
pub mod task_settings;
pub mod yaml;

use std::sync::Arc;

use crate::catalog::{Catalog, Engine, Role};
use crate::error::Error;
use crate::estimate::Instance;
use crate::evaluate::Evaluation;
use crate::plan::Plan;
use aws_cli::{CliSteps, Deployment, EndpointPlan};
use ids::Identifiers;
use task_settings::TaskSettings;

/// The file names, as written next to `runbook.md`.
pub const TABLE_MAPPINGS: &str = "table-mappings.json";
/// See `TABLE_MAPPINGS`.
pub const TASK_SETTINGS: &str = "task-settings.json";
/// See `TABLE_MAPPINGS`.
pub const CLOUDFORMATION: &str = "cloudformation.yaml";

/// Everything built for a plan besides the runbook's words.
#[derive(Debug, Clone)]
pub struct Artifacts {
    /// Resource identifiers.
    pub ids: Identifiers,
    /// The proposed replication instance.
    pub instance: Instance,
    /// Target table preparation mode and why.
    pub prep_mode: (&'static str, &'static str),
    /// Whether names are lower-cased on the target.
    pub lowercase: bool,
    /// `table-mappings.json`, with its text; shared by plans with the same mappings.
    pub table_mappings: Arc<table_mappings::Written>,
    /// `task-settings.json`.
    pub task_settings: TaskSettings,
    /// `cloudformation.yaml`.
    pub cloudformation: String,
    /// The AWS CLI steps for the runbook.
    pub cli: CliSteps,
    /// SSL mode chosen for the source and the target endpoint.
    pub ssl_modes: (String, String),
}

/// The catalog entry of an assessed engine. The assessment holds catalog ids, so an exact
/// match comes first; `Catalog::engine`, which normalizes every id and alias it compares, is
/// the fallback. Both find the same entry: ids are normalized and every name is unique.
fn engine<'c>(catalog: &'c Catalog, id: &str) -> Option<&'c Engine> {
    catalog
        .engines
        .iter()
        .find(|e| e.id == id)
        .or_else(|| catalog.engine(id))
}

impl Artifacts {
    /// Build the artifacts of a plan from its evaluation.
    pub fn build(
        catalog: &Catalog,
        plan: &Plan,
        eval: &Evaluation,
        dmsplan_version: &str,
    ) -> Result<Artifacts, Error> {
        let a = &eval.assessment;
        let title = plan.answers.name_or_default();
        let slug = crate::plan::slug(&title);
        let ids = Identifiers::new(&slug).map_err(|reason| Error::InvalidValue {
            field: "name".into(),
            reason,
            tip: Some("choose a plan name with letters".into()),
        })?;
        let source_engine = engine(catalog, &a.source.engine);
        let target_engine = engine(catalog, &a.target.engine);
        let (Some(source_engine), Some(target_engine)) = (source_engine, target_engine) else {
            return Err(Error::InvalidValue {
                field: "catalog".into(),
                reason: "the plan's engines are not in this catalog".into(),
                tip: None,
            });
        };
        let role_error = |engine: &str, role: Role| Error::WrongRole {
            flag: if role == Role::Source {
                "--source".into()
            } else {
                "--target".into()
            },
            engine: engine.to_string(),
            role,
        };
        let source_spec = source_engine
            .role(Role::Source)
            .ok_or_else(|| role_error(&source_engine.id, Role::Source))?;
        let target_spec = target_engine
            .role(Role::Target)
            .ok_or_else(|| role_error(&target_engine.id, Role::Target))?;
        let instance = eval.estimate.replication_instance.clone();
        let prep_mode = task_settings::prep_mode(a, target_engine.kind);
        let lowercase = table_mappings::needs_lowercase(source_engine.family, target_engine.family);
        let table_mappings = table_mappings::written(
            plan.answers.schemas.as_deref(),
            &source_spec.system_schemas,
            lowercase,
        );
        let task_settings = task_settings::build(
            a,
            target_engine.kind,
            target_engine.family,
            eval.lob,
            eval.tables,
        );
        let ssl = |modes: &[String]| modes.first().cloned().unwrap_or_default();
        let ssl_modes = (ssl(&source_spec.ssl_modes), ssl(&target_spec.ssl_modes));
        let deployment = Deployment {
            region: plan.answers.region.as_deref().unwrap_or_default(),
            slug: &slug,
            title: &title,
            ids: &ids,
            instance_class: &instance.class,
            storage_gb: instance.allocated_storage_gb,
            multi_az: instance.multi_az,
            engine_version: a.min_dms_version.as_deref(),
            migration_type: eval.migration_type.as_str(),
            source: EndpointPlan {
                role: Role::Source,
                engine: &source_engine.id,
                id: &ids.source_endpoint,
                ssl_mode: &ssl_modes.0,
                secret: ["dmsplan/", slug.as_str(), "/source"].concat(),
                spec: &source_spec.endpoint,
                cdc: a.cdc_requested,
            },
            target: EndpointPlan {
                role: Role::Target,
                engine: &target_engine.id,
                id: &ids.target_endpoint,
                ssl_mode: &ssl_modes.1,
                secret: ["dmsplan/", slug.as_str(), "/target"].concat(),
                spec: &target_spec.endpoint,
                cdc: a.cdc_requested,
            },
        };
        let inputs = aws_cli::inputs(&deployment);
        let params = cloudformation::parameters(&deployment, &inputs);
        let cloudformation = cloudformation::build(
            &deployment,
            &params,
            &table_mappings.nested,
            &task_settings,
            dmsplan_version,
        );
        let overrides = cloudformation::parameter_overrides(&deployment, &params);
        let cli = aws_cli::build(&deployment, inputs, &overrides);
        Ok(Artifacts {
            ids,
            instance,
            prep_mode,
            lowercase,
            cloudformation,
            table_mappings,
            task_settings,
            cli,
            ssl_modes,
        })
    }

    /// The files to write next to the runbook: (file name, text). Consumes the artifacts, so
    /// the template's text moves into its file instead of being copied.
    pub fn files(self) -> Vec<(&'static str, String)> {
        let task_settings = json::pretty(768, |doc| self.task_settings.write_json(doc));
        vec![
            (TABLE_MAPPINGS, self.table_mappings.file.clone()),
            (TASK_SETTINGS, task_settings),
            (CLOUDFORMATION, self.cloudformation),
        ]
    }
}

/// A set of bytes as a lookup table: the ASCII letters and digits, and the bytes of `extra`.
/// The writers test every byte of the text they quote or filter against such a set, and one
/// lookup is cheaper than a chain of comparisons.
const fn alphanumeric_and(extra: &[u8]) -> [bool; 256] {
    let mut set = [false; 256];
    let mut b = 0;
    while b < 256 {
        set[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let mut i = 0;
    while i < extra.len() {
        set[extra[i] as usize] = true;
        i += 1;
    }
    set
}
