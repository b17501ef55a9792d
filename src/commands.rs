//! One small function per subcommand: read inputs, call pure code, write outputs.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use crate::artifacts::Artifacts;
use crate::assess;
use crate::catalog::{Catalog, Role};
use crate::cli::{CheckArgs, EnginesArgs, NewArgs, RenderArgs, RoleArg, SizingArgs};
use crate::error::{Error, ExitStatus};
use crate::evaluate::{self, Evaluation};
use crate::files::{self, Overwrite};
use crate::plan::{self, Answers, Plan};
use crate::render::{self, RenderContext};
use crate::report::{self, Style};

/// Load the catalog: the file given (flag or `DMSPLAN_CATALOG`), else the embedded one.
pub fn load_catalog(path: Option<&Path>) -> Result<Catalog, Error> {
    match path {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
                path: path.to_path_buf(),
                source,
            })?;
            Catalog::from_json(&text).map_err(|source| Error::Catalog {
                origin: path.display().to_string(),
                source,
            })
        }
        None => Catalog::embedded().map_err(|source| Error::Catalog {
            origin: "embedded".to_string(),
            source,
        }),
    }
}

/// Colour only on a terminal, and never with `NO_COLOR` set.
pub fn style() -> Style {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Style {
        color: !no_color && io::stdout().is_terminal(),
    }
}

/// The answers of `check`: the pair's flags and the sizing flags.
pub fn answers_from_check(catalog: &Catalog, args: &CheckArgs) -> Result<Answers, Error> {
    let p = &args.pair;
    let source = assess::resolve_engine(catalog, "--source", &p.source.engine)?;
    let target = assess::resolve_engine(catalog, "--target", &p.target.engine)?;
    let mut a = answers_from_sizing(&args.sizing)?;
    a.source = Some(assess::EngineSpec {
        engine: source.id.clone(),
        version: p.source.version.clone(),
    });
    a.target = Some(assess::EngineSpec {
        engine: target.id.clone(),
        version: p.target.version.clone(),
    });
    a.source_hosting = p.source_hosting;
    a.target_hosting = p.target_hosting;
    if let Some(e) = &p.source_edition {
        a.set_text(plan::field("source_edition"), e, "--source-edition")?;
    }
    if let Some(e) = &p.target_edition {
        a.set_text(plan::field("target_edition"), e, "--target-edition")?;
    }
    Ok(a)
}

fn emit(out: &mut impl Write, text: &str) -> Result<(), Error> {
    out.write_all(text.as_bytes()).map_err(Error::Output)
}

fn emit_json(out: &mut impl Write, value: &impl serde::Serialize) -> Result<(), Error> {
    let mut text =
        serde_json::to_string_pretty(value).map_err(|e| Error::Output(io::Error::other(e)))?;
    text.push('\n');
    emit(out, &text)
}

/// `dmsplan check`: exit 0 when DMS supports the pair, 1 when it does not.
pub fn check(
    catalog: &Catalog,
    args: &CheckArgs,
    out: &mut impl Write,
) -> Result<ExitStatus, Error> {
    let answers = answers_from_check(catalog, args)?;
    let checked = evaluate::check(catalog, &answers)?;
    let assessment = &checked.assessment;
    let estimate = checked.sizing.as_ref().map(|(e, ..)| e);
    if args.json {
        let mut value =
            serde_json::to_value(assessment).map_err(|e| Error::Output(io::Error::other(e)))?;
        value["estimate"] =
            serde_json::to_value(estimate).map_err(|e| Error::Output(io::Error::other(e)))?;
        emit_json(out, &value)?;
    } else {
        let mut text = report::assessment(assessment, style());
        if let Some((e, view, defaulted, ..)) = &checked.sizing {
            text.push_str(&report::estimate(e, view, defaulted, style()));
        }
        emit(out, &text)?;
    }
    Ok(if assessment.supported {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

/// `dmsplan engines [ENGINE]`.
pub fn engines(
    catalog: &Catalog,
    args: &EnginesArgs,
    out: &mut impl Write,
) -> Result<ExitStatus, Error> {
    let role = args.role.map(|r| match r {
        RoleArg::Source => Role::Source,
        RoleArg::Target => Role::Target,
    });
    if let Some(name) = &args.engine {
        let engine = assess::resolve_engine(catalog, "ENGINE", name)?;
        if let Some(role) = role {
            if engine.role(role).is_none() {
                return Err(Error::WrongRole {
                    flag: "--role".to_string(),
                    engine: engine.id.clone(),
                    role,
                });
            }
        }
        if args.json {
            let prerequisites: Vec<_> = catalog
                .prerequisites
                .iter()
                .filter(|p| p.engine == engine.id && role.is_none_or(|r| r == p.role))
                .collect();
            emit_json(
                out,
                &serde_json::json!({
                    "as_of": catalog.as_of,
                    "engine": engine,
                    "prerequisites": prerequisites,
                }),
            )?;
        } else {
            emit(out, &report::engine_detail(catalog, engine, style()))?;
        }
        return Ok(ExitStatus::Success);
    }
    if args.json {
        let engines: Vec<_> = catalog
            .engines
            .iter()
            .filter(|e| role.is_none_or(|r| e.role(r).is_some()))
            .collect();
        emit_json(
            out,
            &serde_json::json!({"as_of": catalog.as_of, "engines": engines}),
        )?;
    } else {
        emit(out, &report::engine_list(catalog, role, style()))?;
    }
    Ok(ExitStatus::Success)
}

/// The dmsplan version written into plans and runbooks.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Now, or `SOURCE_DATE_EPOCH` when set (reproducible output), as RFC 3339.
fn now() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
    plan::timestamp(secs)
}

/// Sizing answers given as flags of `check` or `new`, each parsed as its field says.
pub fn answers_from_sizing(args: &SizingArgs) -> Result<Answers, Error> {
    let mut a = Answers::default();
    let given: [(&str, &Option<String>); 9] = [
        ("size_gb", &args.size_gb),
        ("downtime", &args.downtime),
        ("largest_table_gb", &args.largest_table_gb),
        ("tables", &args.tables),
        ("lob", &args.lob),
        ("tables_without_pk", &args.tables_without_pk),
        ("change_rate", &args.change_rate),
        ("network", &args.network),
        ("instance_class", &args.instance_class),
    ];
    for (key, value) in given {
        let Some(v) = value else { continue };
        // Every key above is in FIELDS; a test pins it (`every_answer_key_is_a_field`).
        let field = plan::field(key);
        a.set_text(field, v, field.flag)?;
    }
    if let Some(v) = &args.throughput_mbps {
        let field = plan::field("throughput_mbps");
        a.set_text(field, v, field.flag)?;
    }
    if args.production || args.no_production {
        a.production = Some(args.production);
    }
    if args.cdc || args.no_cdc {
        a.cdc = Some(args.cdc);
    }
    Ok(a)
}

/// Answers given as flags of `new`, each parsed as its field says; errors name the flag.
pub fn answers_from_flags(args: &NewArgs) -> Result<Answers, Error> {
    let mut a = Answers::default();
    let given: [(&str, &Option<String>); 9] = [
        ("name", &args.name),
        ("source", &args.source),
        ("source_edition", &args.source_edition),
        ("source_hosting", &args.source_hosting),
        ("target", &args.target),
        ("target_edition", &args.target_edition),
        ("target_hosting", &args.target_hosting),
        ("region", &args.region),
        ("schemas", &args.schemas),
    ];
    for (key, value) in given {
        let Some(v) = value else { continue };
        let field = plan::field(key);
        a.set_text(field, v, field.flag)?;
    }
    Ok(a.overlay(&answers_from_sizing(&args.sizing)?))
}

/// Read an answers file (`--answers FILE`); errors name the file and the key.
pub fn answers_from_file(path: &Path) -> Result<Answers, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let file = path.display().to_string();
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| Error::InvalidValue {
            field: format!("{file}: line {} column {}", e.line(), e.column()),
            reason: format!("not valid JSON: {e}"),
            tip: None,
        })?;
    Answers::from_json(&value, &format!("{file}: "))
}

/// Replace engine aliases in answers by catalog ids, so a plan names engines one way.
fn canonical(catalog: &Catalog, mut answers: Answers) -> Result<Answers, Error> {
    for (flag, spec) in [
        ("--source", &mut answers.source),
        ("--target", &mut answers.target),
    ] {
        if let Some(spec) = spec {
            spec.engine = assess::resolve_engine(catalog, flag, &spec.engine)?
                .id
                .clone();
        }
    }
    Ok(answers)
}

/// A plan's rendered output: the runbook and the files beside it.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The evaluation it was rendered from.
    pub eval: Evaluation,
    /// `runbook.md`.
    pub runbook: String,
    /// The artifacts (table mappings, task settings, CloudFormation).
    pub artifacts: Artifacts,
}

impl Rendered {
    /// Every file of the plan directory but `plan.json`: (file name, text).
    pub fn files(&self) -> Vec<(&'static str, String)> {
        let mut files = vec![("runbook.md", self.runbook.clone())];
        files.extend(self.artifacts.files());
        files
    }
}

/// Evaluate a plan, build its artifacts and render its runbook.
pub fn render_plan(
    catalog: &Catalog,
    plan: &Plan,
    templates: Option<&Path>,
) -> Result<Rendered, Error> {
    let eval = evaluate::evaluate(catalog, &plan.answers)?;
    let artifacts = Artifacts::build(catalog, plan, &eval, VERSION)?;
    let hb = render::registry(templates)?;
    let ctx = RenderContext::new(catalog, plan, &eval, &artifacts, VERSION);
    let runbook = render::runbook(&hb, &ctx)?;
    Ok(Rendered {
        eval,
        runbook,
        artifacts,
    })
}

/// Make a plan from complete answers.
pub fn make_plan(catalog: &Catalog, answers: Answers, created_at: String) -> Result<Plan, Error> {
    let answers = canonical(catalog, answers)?;
    let eval = evaluate::evaluate(catalog, &answers)?;
    Ok(Plan {
        schema_version: plan::SCHEMA_VERSION,
        dmsplan_version: VERSION.to_string(),
        created_at,
        recorded: plan::Recorded::of(&eval.assessment, eval.migration_type),
        answers,
    })
}

/// `dmsplan new`.
pub fn new(catalog: &Catalog, args: &NewArgs, out: &mut impl Write) -> Result<ExitStatus, Error> {
    let file = match &args.answers {
        Some(path) => answers_from_file(path)?,
        None => Answers::default(),
    };
    let answers = canonical(catalog, file.overlay(&answers_from_flags(args)?))?;
    let missing = answers.missing();
    if missing.is_empty() {
        return write_plan(catalog, answers, args, out);
    }
    // Ask only where a person can answer: prompts on stderr, keys from stdin, results on stdout.
    let terminal =
        io::stdin().is_terminal() && io::stdout().is_terminal() && io::stderr().is_terminal();
    if args.no_input || !terminal {
        return Err(Error::MissingAnswers {
            flags: plan::missing_flags(&missing),
        });
    }
    crate::wizard::new_in_terminal(catalog, answers, args, out)
}

/// Write a plan from complete answers: `plan.json`, `runbook.md` and the artifact files
/// under `OUT_DIR/<slug>/`.
pub fn write_plan(
    catalog: &Catalog,
    answers: Answers,
    args: &NewArgs,
    out: &mut impl Write,
) -> Result<ExitStatus, Error> {
    let plan = make_plan(catalog, answers, now())?;
    let rendered = render_plan(catalog, &plan, args.templates.as_deref())?;
    let dir = args.out_dir.join(plan.slug());
    let overwrite = if args.force {
        Overwrite::Allowed
    } else {
        Overwrite::Never
    };
    let mut files = vec![("plan.json", plan.to_json())];
    files.extend(rendered.files());
    // Check every file before writing any, so a refusal leaves nothing half-written.
    for (name, _) in &files {
        files::ensure_writable(&dir.join(name), overwrite)?;
    }
    let mut report = String::new();
    for (name, text) in &files {
        let path = dir.join(name);
        files::write_atomic(&path, text, overwrite)?;
        report.push_str(&format!("wrote {}\n", path.display()));
    }
    emit(out, &report)?;
    Ok(status_of(&rendered.eval))
}

fn status_of(eval: &Evaluation) -> ExitStatus {
    if eval.assessment.supported {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    }
}

/// Read and validate a plan file.
pub fn load_plan(path: &Path) -> Result<Plan, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Plan::from_json(&text, &path.display().to_string())
}

/// `dmsplan render`: the runbook and artifact files again, beside the plan; a file that
/// differs from what would be written is replaced only with `--force`.
pub fn render_cmd(
    catalog: &Catalog,
    args: &RenderArgs,
    out: &mut impl Write,
) -> Result<ExitStatus, Error> {
    let plan = load_plan(&args.plan)?;
    let rendered = render_plan(catalog, &plan, args.templates.as_deref())?;
    let status = status_of(&rendered.eval);
    let files: Vec<(std::path::PathBuf, String)> = match &args.output {
        Some(p) if p.as_os_str() == "-" => {
            emit(out, &rendered.runbook)?;
            return Ok(status);
        }
        Some(p) => vec![(p.clone(), rendered.runbook.clone())],
        None => {
            let dir = args
                .plan
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            rendered
                .files()
                .into_iter()
                .map(|(name, text)| (dir.join(name), text))
                .collect()
        }
    };
    let mut changed = Vec::new();
    let mut report = String::new();
    for (path, text) in &files {
        let existing = std::fs::read_to_string(path).ok();
        if existing.as_deref() == Some(text.as_str()) {
            report.push_str(&format!("unchanged {}\n", path.display()));
            continue;
        }
        if existing.is_some() && !args.force {
            return Err(Error::Exists { path: path.clone() });
        }
        changed.push((path, text));
    }
    for (path, text) in changed {
        files::write_atomic(path, text, Overwrite::Allowed)?;
        report.push_str(&format!("wrote {}\n", path.display()));
    }
    emit(out, &report)?;
    Ok(status)
}

/// `dmsplan schema`.
pub fn schema(out: &mut impl Write) -> Result<ExitStatus, Error> {
    emit_json(out, &plan::schema::plan_schema())?;
    Ok(ExitStatus::Success)
}

/// `dmsplan types`: the data type map of a pair, or one type looked up in it.
pub fn types(
    catalog: &Catalog,
    args: &crate::cli::TypesArgs,
    out: &mut impl Write,
) -> Result<ExitStatus, Error> {
    let source = assess::resolve_engine(catalog, "--source", &args.source.engine)?;
    let target = assess::resolve_engine(catalog, "--target", &args.target.engine)?;
    for (flag, engine, role) in [
        ("--source", source, Role::Source),
        ("--target", target, Role::Target),
    ] {
        if engine.role(role).is_none() {
            return Err(Error::WrongRole {
                flag: flag.to_string(),
                engine: engine.id.clone(),
                role,
            });
        }
    }
    let maps = crate::types::TypeMaps::embedded().map_err(|source| Error::Catalog {
        origin: "embedded types".to_string(),
        source,
    })?;
    let report = maps.report(source, target, args.type_name.as_deref());
    if args.json {
        emit_json(out, &report)?;
    } else {
        emit(
            out,
            &crate::types::to_text(&report, &source.name, &target.name),
        )?;
    }
    let refused = args.type_name.is_some() && report.types.iter().any(|r| !r.supported);
    Ok(if refused {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}
