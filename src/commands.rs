//! One small function per subcommand: read inputs, call pure code, write outputs.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use crate::artifacts::Artifacts;
use crate::assess;
use crate::batch;
use crate::catalog::{Catalog, Role};
use crate::cli::{CheckArgs, EnginesArgs, NewArgs, RenderArgs, RoleArg, SizingArgs};
use crate::error::{self, Error, ExitStatus};
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
    let estimate = checked.sizing.as_ref().map(|s| &s.estimate);
    if args.json {
        let mut value =
            serde_json::to_value(assessment).map_err(|e| Error::Output(io::Error::other(e)))?;
        value["estimate"] =
            serde_json::to_value(estimate).map_err(|e| Error::Output(io::Error::other(e)))?;
        emit_json(out, &value)?;
    } else {
        let mut text = report::assessment(assessment, style());
        if let Some(s) = &checked.sizing {
            text.push_str(&report::estimate(
                &s.estimate,
                &s.view,
                &s.defaulted,
                style(),
            ));
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
pub fn now() -> String {
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
    let hb = render::registry(templates)?;
    render_with(catalog, plan, eval, &hb)
}

/// Build the artifacts and render the runbook of an evaluated plan with a registry built
/// once (by `render::registry`) for many plans.
pub fn render_with(
    catalog: &Catalog,
    plan: &Plan,
    eval: Evaluation,
    hb: &handlebars::Handlebars<'_>,
) -> Result<Rendered, Error> {
    let artifacts = Artifacts::build(catalog, plan, &eval, VERSION)?;
    let ctx = RenderContext::new(catalog, plan, &eval, &artifacts, VERSION);
    let runbook = render::runbook(hb, &ctx)?;
    Ok(Rendered {
        eval,
        runbook,
        artifacts,
    })
}

/// Make a plan from complete answers.
pub fn make_plan(catalog: &Catalog, answers: Answers, created_at: String) -> Result<Plan, Error> {
    Ok(make_plan_evaluated(catalog, answers, created_at)?.0)
}

/// Make a plan from complete answers, with the evaluation it was made from.
pub fn make_plan_evaluated(
    catalog: &Catalog,
    answers: Answers,
    created_at: String,
) -> Result<(Plan, Evaluation), Error> {
    let answers = canonical(catalog, answers)?;
    let eval = evaluate::evaluate(catalog, &answers)?;
    let plan = Plan {
        schema_version: plan::SCHEMA_VERSION,
        dmsplan_version: VERSION.to_string(),
        created_at,
        recorded: plan::Recorded::of(&eval.assessment, eval.migration_type),
        answers,
    };
    Ok((plan, eval))
}

/// Every file of a plan directory: (file name, text).
pub fn plan_files(plan: &Plan, rendered: &Rendered) -> Vec<(&'static str, String)> {
    let mut files = vec![("plan.json", plan.to_json())];
    files.extend(rendered.files());
    files
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
    let (plan, eval) = make_plan_evaluated(catalog, answers, now())?;
    let hb = render::registry(args.templates.as_deref())?;
    let rendered = render_with(catalog, &plan, eval, &hb)?;
    let dir = args.out_dir.join(plan.slug());
    let overwrite = if args.force {
        Overwrite::Allowed
    } else {
        Overwrite::Never
    };
    let files = plan_files(&plan, &rendered);
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

/// Write text to the output (for `run`'s small commands).
pub fn emit_text(out: &mut impl Write, text: &str) -> Result<(), Error> {
    emit(out, text)
}

/// One inventory row as read: its line, and column -> value.
type RawRow = (u64, std::collections::HashMap<String, String>);

/// Read an inventory into rows; `Err` when the file is unusable.
fn read_inventory(path: &Path) -> Result<Vec<RawRow>, Error> {
    let file = path.display().to_string();
    let unusable = |reason: String| Error::InvalidValue {
        field: file.clone(),
        reason,
        tip: Some("`dmsplan inventory template` prints a header to start from".to_string()),
    };
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let jsonl = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("jsonl" | "ndjson")
    ) || text.trim_start().starts_with('{');
    let mut rows = Vec::new();
    if jsonl {
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let value: serde_json::Value = serde_json::from_str(line)
                .map_err(|e| unusable(format!("line {}: not a JSON object: {e}", i + 1)))?;
            let Some(obj) = value.as_object() else {
                return Err(unusable(format!("line {}: not a JSON object", i + 1)));
            };
            let mut cells = std::collections::HashMap::new();
            for (k, v) in obj {
                let text = match v {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::Array(items) => items
                        .iter()
                        .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                        .collect::<Vec<_>>()
                        .join(";"),
                    other => other.to_string(),
                };
                cells.insert(k.clone(), text);
            }
            rows.push(((i + 1) as u64, cells));
        }
        if let Some((_, first)) = rows.first() {
            let present: Vec<String> = first.keys().cloned().collect();
            batch::check_header(&present).map_err(unusable)?;
        }
    } else {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| unusable(format!("no CSV header: {e}")))?
            .iter()
            .map(str::to_string)
            .collect();
        batch::check_header(&header).map_err(unusable)?;
        for record in reader.records() {
            let record = record.map_err(|e| unusable(format!("not CSV: {e}")))?;
            let line = record.position().map_or(0, |p| p.line());
            let cells = header
                .iter()
                .cloned()
                .zip(record.iter().map(str::to_string))
                .collect();
            rows.push((line, cells));
        }
    }
    Ok(rows)
}

/// `dmsplan batch`: every row planned in parallel, refused rows listed, the portfolio written.
pub fn batch(
    catalog: &Catalog,
    args: &crate::cli::BatchArgs,
    out: &mut impl Write,
) -> Result<ExitStatus, Error> {
    use std::collections::{HashMap, HashSet};
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let raw = read_inventory(&args.inventory)?;
    let region = match &args.region {
        Some(r) => Some(plan::parse_region(r).map_err(|reason| Error::InvalidValue {
            field: "--region".into(),
            reason,
            tip: None,
        })?),
        None => None,
    };
    let mut refusals: Vec<batch::Refusal> = Vec::new();
    let mut rows: Vec<batch::Row> = Vec::new();
    let mut names: HashMap<String, u64> = HashMap::new();
    let mut slugs: HashMap<String, u64> = HashMap::new();
    for (line, cells) in &raw {
        match batch::row_answers(*line, cells, region.as_deref()) {
            Ok(row) => {
                let name = row.answers.name_or_default();
                let slug = plan::slug(&name);
                let refusal = |reason: String| batch::Refusal {
                    line: *line,
                    name: name.clone(),
                    column: "name".into(),
                    reason,
                };
                if let Some(first) = names.get(&name) {
                    refusals.push(refusal(format!("duplicate name, first on line {first}")));
                } else if let Some(first) = slugs.get(&slug) {
                    refusals.push(refusal(format!(
                        "its directory `{slug}` is the same as the name's on line {first}"
                    )));
                } else {
                    names.insert(name, *line);
                    slugs.insert(slug, *line);
                    rows.push(row);
                }
            }
            Err(r) => refusals.push(r),
        }
    }
    let known: HashSet<String> = raw
        .iter()
        .filter_map(|(_, c)| c.get("name").map(|n| n.trim().to_string()))
        .collect();
    rows.retain(
        |row| match row.depends_on.iter().find(|d| !known.contains(d.as_str())) {
            Some(missing) => {
                refusals.push(batch::Refusal {
                    line: row.line,
                    name: row.answers.name_or_default(),
                    column: "depends_on".into(),
                    reason: format!("`{missing}` is no database of the inventory"),
                });
                false
            }
            None => true,
        },
    );
    if args.strict {
        if let Some(r) = refusals.iter().min_by_key(|r| r.line) {
            return Err(Error::InvalidValue {
                field: format!(
                    "{}: line {}: {}",
                    args.inventory.display(),
                    r.line,
                    r.column
                ),
                reason: r.reason.clone(),
                tip: Some("fix the row, or run without --strict to plan the others".into()),
            });
        }
    }
    // A dependency cycle makes the whole inventory unusable: check it before planning.
    let skeleton: Vec<batch::Summary> = rows
        .iter()
        .map(|r| batch::Summary {
            name: r.answers.name_or_default(),
            slug: String::new(),
            app: String::new(),
            source: String::new(),
            target: String::new(),
            classification: String::new(),
            verdict: String::new(),
            migration_type: String::new(),
            blockers: Vec::new(),
            size_gb: 0.0,
            full_load_hours: 0.0,
            instance_class: String::new(),
            depends_on: r.depends_on.clone(),
        })
        .collect();
    if let Err(cycle) = batch::waves(&skeleton) {
        return Err(Error::InvalidValue {
            field: args.inventory.display().to_string(),
            reason: format!("dependency cycle between {}", cycle.join(", ")),
            tip: Some("a database cannot depend, directly or not, on itself: break the cycle in depends_on".into()),
        });
    }

    let hb = render::registry(None)?;
    let created_at = now();
    if !args.dry_run {
        std::fs::create_dir_all(&args.out_dir).map_err(|source| Error::Write {
            path: args.out_dir.clone(),
            source,
        })?;
    }
    let overwrite = if args.force {
        Overwrite::Allowed
    } else {
        Overwrite::Never
    };
    let progress = if args.quiet || !io::stderr().is_terminal() {
        indicatif::ProgressBar::hidden()
    } else {
        let bar = indicatif::ProgressBar::new(rows.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template("[{bar:30}] {pos}/{len}  {msg}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    };
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Result<batch::Summary, batch::Refusal>)>> =
        Mutex::new(Vec::new());
    let fatal: Mutex<Option<Error>> = Mutex::new(None);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(row) = rows.get(i) else { break };
                    let outcome = plan_row(
                        catalog,
                        row,
                        &hb,
                        &created_at,
                        &args.out_dir,
                        overwrite,
                        args.dry_run,
                    );
                    progress.inc(1);
                    progress.set_message(row.answers.name_or_default());
                    match outcome {
                        Ok(done) => results.lock().map(|mut r| r.push((i, done))).unwrap_or(()),
                        Err(e) => {
                            if let Ok(mut f) = fatal.lock() {
                                f.get_or_insert(e);
                            }
                        }
                    }
                }
            });
        }
    });
    progress.finish_and_clear();
    if let Some(e) = fatal.into_inner().ok().flatten() {
        return Err(e);
    }
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(i, _)| *i);
    let mut summaries = Vec::new();
    for (_, r) in results {
        match r {
            Ok(s) => summaries.push(s),
            Err(refusal) => refusals.push(refusal),
        }
    }
    refusals.sort_by_key(|r| r.line);
    // Dependencies on rows that were refused are dropped from the waves (the refusal says why).
    let planned: HashSet<String> = summaries.iter().map(|s| s.name.clone()).collect();
    for s in &mut summaries {
        s.depends_on.retain(|d| planned.contains(d));
    }
    let waves = batch::waves(&summaries).map_err(|cycle| Error::InvalidValue {
        field: args.inventory.display().to_string(),
        reason: format!("dependency cycle between {}", cycle.join(", ")),
        tip: None,
    })?;
    let portfolio = batch::portfolio(&summaries, &waves, refusals.len());
    let dir = &args.out_dir;
    let mut report = String::new();
    let mut json =
        serde_json::to_string_pretty(&portfolio).map_err(|e| Error::Output(io::Error::other(e)))?;
    json.push('\n');
    let mut outputs = vec![
        (
            "portfolio.md",
            batch::portfolio_markdown(&portfolio, &summaries),
        ),
        ("portfolio.json", json),
    ];
    if !args.dry_run {
        outputs.push(("refused.csv", batch::refused_csv(&refusals)));
    }
    for (name, text) in &outputs {
        files::write_atomic(&dir.join(name), text, Overwrite::Allowed)?;
    }
    let written = if args.dry_run { "planned" } else { "wrote" };
    report.push_str(&format!("{written} {} plans", summaries.len()));
    if refusals.is_empty() {
        report.push('\n');
    } else if args.dry_run {
        report.push_str(&format!(", {} rows refused\n", refusals.len()));
        for r in &refusals {
            report.push_str(&format!("  line {}: {}: {}\n", r.line, r.column, r.reason));
        }
    } else {
        report.push_str(&format!(
            ", {} rows refused (see {})\n",
            refusals.len(),
            dir.join("refused.csv").display()
        ));
    }
    report.push_str(&format!("wrote {}\n", dir.join("portfolio.md").display()));
    emit(out, &report)?;
    Ok(if refusals.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

/// Plan one inventory row: the same files `new` writes, or a refusal.
fn plan_row(
    catalog: &Catalog,
    row: &batch::Row,
    hb: &handlebars::Handlebars<'_>,
    created_at: &str,
    out_dir: &Path,
    overwrite: Overwrite,
    dry_run: bool,
) -> Result<Result<batch::Summary, batch::Refusal>, Error> {
    let refuse = |column: &str, reason: String| batch::Refusal {
        line: row.line,
        name: row.answers.name_or_default(),
        column: column.to_string(),
        reason,
    };
    let (plan, eval) =
        match make_plan_evaluated(catalog, row.answers.clone(), created_at.to_string()) {
            Ok(x) => x,
            Err(Error::UnknownEngine {
                flag,
                given,
                nearest,
            }) => {
                let column = flag.trim_start_matches('-').to_string();
                let tip = nearest
                    .first()
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default();
                return Ok(Err(refuse(
                    &column,
                    format!("unknown engine `{given}`{tip}"),
                )));
            }
            Err(e) => return Ok(Err(refuse("name", error::message(&e)))),
        };
    let slug = plan.slug();
    let summary = batch::Summary::of(row, slug.clone(), &eval);
    let rendered = render_with(catalog, &plan, eval, hb)?;
    if dry_run {
        return Ok(Ok(summary));
    }
    let dir = out_dir.join(&slug);
    let files = plan_files(&plan, &rendered);
    // A new plan directory appears whole (one rename of a temp directory). Only when
    // something is already there are the files checked and written one by one, as `new`
    // writes them, so a user's file is replaced only with --force.
    if files::create_dir_atomic(&dir, &files)? == files::NewDir::Created {
        return Ok(Ok(summary));
    }
    for (name, _) in &files {
        if let Err(Error::Exists { path }) = files::ensure_writable(&dir.join(name), overwrite) {
            return Ok(Err(refuse(
                "name",
                format!("{} exists; pass --force to overwrite", path.display()),
            )));
        }
    }
    for (name, text) in &files {
        files::write_atomic(&dir.join(name), text, overwrite)?;
    }
    Ok(Ok(summary))
}
