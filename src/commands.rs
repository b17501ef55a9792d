//! One small function per subcommand: read inputs, call pure code, write outputs.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use crate::artifacts::Artifacts;
use crate::assess;
use crate::batch::{self, Cells};
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
    pub fn files(self) -> Vec<(&'static str, String)> {
        let mut files = Vec::with_capacity(4);
        files.push(("runbook.md", self.runbook));
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
    hb: &render::Renderer,
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
    make_plan_kept(catalog, answers, created_at, None)
}

/// [`make_plan_evaluated`] for many plans: each pair is assessed once, in `kept`.
fn make_plan_kept(
    catalog: &Catalog,
    answers: Answers,
    created_at: String,
    kept: Option<&assess::Assessments>,
) -> Result<(Plan, Evaluation), Error> {
    let answers = canonical(catalog, answers)?;
    let eval = match kept {
        Some(kept) => evaluate::evaluate_with(catalog, &answers, kept)?,
        None => evaluate::evaluate(catalog, &answers)?,
    };
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
pub fn plan_files(plan: &Plan, rendered: Rendered) -> Vec<(&'static str, String)> {
    let mut files = Vec::with_capacity(5);
    files.push(("plan.json", plan.to_json()));
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
    let status = status_of(&rendered.eval);
    let files = plan_files(&plan, rendered);
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
    Ok(status)
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

/// How an inventory is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InventoryFormat {
    /// CSV with a header line.
    Csv,
    /// One JSON object per line.
    JsonLines,
}

/// An inventory read row by row, as many times as `batch` needs: a file is opened again for
/// each pass, so no more than one row is held at a time; what cannot be read twice (a pipe,
/// `<(...)`) is read into memory once.
struct Inventory {
    path: PathBuf,
    format: InventoryFormat,
    bytes: Option<Vec<u8>>,
}

impl Inventory {
    /// Open an inventory and tell JSON lines (by extension, or a first `{`) from CSV.
    fn open(path: &Path) -> Result<Inventory, Error> {
        let read = |source| Error::Read {
            path: path.to_path_buf(),
            source,
        };
        let mut file = std::fs::File::open(path).map_err(read)?;
        let bytes = if file.metadata().map_err(read)?.is_file() {
            None
        } else {
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).map_err(read)?;
            Some(bytes)
        };
        let mut inventory = Inventory {
            path: path.to_path_buf(),
            format: InventoryFormat::Csv,
            bytes,
        };
        let by_name = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("jsonl" | "ndjson")
        );
        if by_name || starts_with_brace(inventory.reader()?).map_err(read)? {
            inventory.format = InventoryFormat::JsonLines;
        }
        Ok(inventory)
    }

    fn reader(&self) -> Result<Box<dyn BufRead + '_>, Error> {
        Ok(match &self.bytes {
            Some(bytes) => Box::new(bytes.as_slice()),
            None => Box::new(io::BufReader::with_capacity(
                1 << 16,
                std::fs::File::open(&self.path).map_err(|e| self.read_error(e))?,
            )),
        })
    }

    fn read_error(&self, source: io::Error) -> Error {
        Error::Read {
            path: self.path.clone(),
            source,
        }
    }

    fn unusable(&self, reason: String) -> Error {
        Error::InvalidValue {
            field: self.path.display().to_string(),
            reason,
            tip: Some("`dmsplan inventory template` prints a header to start from".to_string()),
        }
    }

    /// Call `each` with every row (its line, its cells) in file order, until it breaks;
    /// `Err` when the file is unusable. The cells are one buffer reused from row to row.
    fn each_row(&self, each: impl FnMut(u64, &Cells) -> ControlFlow<()>) -> Result<(), Error> {
        match self.format {
            InventoryFormat::Csv => self.each_csv_row(each),
            InventoryFormat::JsonLines => self.each_json_row(each),
        }
    }

    fn each_csv_row(
        &self,
        mut each: impl FnMut(u64, &Cells) -> ControlFlow<()>,
    ) -> Result<(), Error> {
        // Fields are trimmed where they are read (`batch::row_answers`): the reader's own
        // trimming of fields copies every record.
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::Headers)
            .from_reader(self.reader()?);
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| self.csv_error(e, "no CSV header"))?
            .iter()
            .map(str::to_string)
            .collect();
        batch::check_header(&header).map_err(|r| self.unusable(r))?;
        // Each field's column, found once: a column named twice takes the later field.
        let columns: Vec<Option<usize>> = header.iter().map(|h| batch::column(h)).collect();
        let mut record = csv::StringRecord::new();
        let mut cells = Cells::default();
        while reader
            .read_record(&mut record)
            .map_err(|e| self.csv_error(e, "not CSV"))?
        {
            let line = record.position().map_or(0, |p| p.line());
            cells.clear();
            for (column, text) in columns.iter().zip(record.iter()) {
                if let Some(c) = column {
                    cells.set(*c, text);
                }
            }
            if each(line, &cells).is_break() {
                break;
            }
        }
        Ok(())
    }

    /// A CSV error: failed reads and text that is no UTF-8 as reading any file reports them,
    /// the rest as an unusable file.
    fn csv_error(&self, e: csv::Error, what: &str) -> Error {
        let text = e.to_string();
        match e.into_kind() {
            csv::ErrorKind::Io(source) => self.read_error(source),
            csv::ErrorKind::Utf8 { .. } => self.read_error(io::Error::new(
                io::ErrorKind::InvalidData,
                "stream did not contain valid UTF-8",
            )),
            _ => self.unusable(format!("{what}: {text}")),
        }
    }

    fn each_json_row(
        &self,
        mut each: impl FnMut(u64, &Cells) -> ControlFlow<()>,
    ) -> Result<(), Error> {
        let mut reader = self.reader()?;
        let mut text = String::new();
        let mut cells = Cells::default();
        let mut number = 0u64;
        // The first object's keys are the header. A line that is no JSON object further on is
        // reported before a missing column, as when the whole file was parsed first.
        let mut header: Option<Result<(), String>> = None;
        loop {
            text.clear();
            if reader
                .read_line(&mut text)
                .map_err(|e| self.read_error(e))?
                == 0
            {
                break;
            }
            number += 1;
            let line = match text.strip_suffix('\n') {
                Some(l) => l.strip_suffix('\r').unwrap_or(l),
                None => &text,
            };
            if line.trim().is_empty() {
                continue;
            }
            let value: serde_json::Value = serde_json::from_str(line)
                .map_err(|e| self.unusable(format!("line {number}: not a JSON object: {e}")))?;
            let Some(obj) = value.as_object() else {
                return Err(self.unusable(format!("line {number}: not a JSON object")));
            };
            let header = header.get_or_insert_with(|| {
                batch::check_header(&obj.keys().cloned().collect::<Vec<_>>())
            });
            if header.is_err() {
                continue;
            }
            cells.clear();
            for (key, value) in obj {
                if let Some(c) = batch::column(key) {
                    cells.set(c, &cell_text(value));
                }
            }
            if each(number, &cells).is_break() {
                return Ok(());
            }
        }
        match header {
            Some(Err(reason)) => Err(self.unusable(reason)),
            _ => Ok(()),
        }
    }
}

/// A JSON value as the text of a cell: lists joined with `;`, null empty.
fn cell_text(v: &serde_json::Value) -> Cow<'_, str> {
    match v {
        serde_json::Value::String(s) => Cow::Borrowed(s),
        serde_json::Value::Null => Cow::Borrowed(""),
        serde_json::Value::Array(items) => Cow::Owned(
            items
                .iter()
                .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join(";"),
        ),
        other => Cow::Owned(other.to_string()),
    }
}

/// Whether the first character that is no white space is `{`, reading no further.
fn starts_with_brace(mut reader: impl BufRead) -> io::Result<bool> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        let text = String::from_utf8_lossy(buf);
        let rest = text.trim_start();
        if !rest.is_empty() {
            return Ok(rest.starts_with('{'));
        }
        let n = buf.len();
        reader.consume(n);
    }
}

/// What every worker of `batch` shares.
struct Planner<'a> {
    catalog: &'a Catalog,
    hb: &'a render::Renderer,
    created_at: &'a str,
    out_dir: &'a Path,
    overwrite: Overwrite,
    dry_run: bool,
    region: Option<&'a str>,
    /// Each engine pair's assessment, made once.
    assessments: assess::Assessments,
}

/// `dmsplan batch`: every row planned in parallel, refused rows listed, the portfolio written.
///
/// Two passes over the inventory, each holding one row at a time: the first checks every
/// row and keeps only names, lines and dependencies (for duplicate names, unknown
/// `depends_on`, `--strict` and dependency cycles, all before any plan is written); the
/// second streams the good rows through a bounded channel to the workers, who keep only
/// each plan's summary for the report.
pub fn batch(
    catalog: &Catalog,
    args: &crate::cli::BatchArgs,
    out: &mut impl Write,
) -> Result<ExitStatus, Error> {
    let inventory = Inventory::open(&args.inventory)?;
    let region = match &args.region {
        Some(r) => plan::parse_region(r)
            .map(Some)
            .map_err(|reason| Error::InvalidValue {
                field: "--region".into(),
                reason,
                tip: None,
            }),
        None => Ok(None),
    };
    // The file's own faults come before a bad --region, as when it was read whole first.
    let mut screening = batch::Screening::default();
    let default_region = region.as_ref().ok().and_then(Option::as_deref);
    // The templates are compiled on another core while this one reads the inventory.
    let (read, hb) = std::thread::scope(|scope| {
        let hb = scope.spawn(|| render::registry_memoized(None));
        let read = inventory.each_row(|line, cells| {
            screening.add(line, cells, default_region, |answers| {
                check_engines(catalog, answers).map_err(refusal_reason)
            });
            ControlFlow::Continue(())
        });
        let hb = hb
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (read, hb)
    });
    read?;
    let region = region?;
    let batch::Screened {
        accepted,
        mut refusals,
    } = screening.finish();
    if args.strict {
        if let Some(r) = refusals.first() {
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
    let nodes: Vec<(&str, &[String])> = accepted
        .iter()
        .map(|a| (a.name.as_str(), a.depends_on.as_slice()))
        .collect();
    if let Err(cycle) = batch::levels(&nodes) {
        return Err(Error::InvalidValue {
            field: args.inventory.display().to_string(),
            reason: format!("dependency cycle between {}", cycle.join(", ")),
            tip: Some("a database cannot depend, directly or not, on itself: break the cycle in depends_on".into()),
        });
    }
    drop(nodes);

    let hb = hb?;
    let created_at = now();
    if !args.dry_run {
        std::fs::create_dir_all(&args.out_dir).map_err(|source| Error::Write {
            path: args.out_dir.clone(),
            source,
        })?;
    }
    let planner = Planner {
        catalog,
        hb: &hb,
        created_at: &created_at,
        out_dir: &args.out_dir,
        overwrite: if args.force {
            Overwrite::Allowed
        } else {
            Overwrite::Never
        },
        dry_run: args.dry_run,
        region: region.as_deref(),
        assessments: assess::Assessments::default(),
    };
    let progress = if args.quiet || !io::stderr().is_terminal() {
        indicatif::ProgressBar::hidden()
    } else {
        let bar = indicatif::ProgressBar::new(accepted.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template("[{bar:30}] {pos}/{len}  {msg}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    };
    let planned = plan_all(&planner, &inventory, &accepted, &progress);
    progress.finish_and_clear();
    drop(accepted);
    let (mut summaries, refused) = planned?;
    refusals.extend(refused);
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
            batch::portfolio_markdown(&portfolio, &summaries, args.dry_run),
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

/// Rows handed to a worker at a time: the hand-off (a lock, a wake-up or two) is paid per
/// chunk. Row by row, 10,000 rows took 33,000 to 51,000 futex calls; in chunks of 16, 2,200.
const CHUNK: usize = 16;

/// The second pass: this thread reads the inventory again and sends the accepted rows, in
/// chunks through a bounded channel, to one worker per core. A worker puts each summary in
/// the row's slot (one buffer for all, sized once) and keeps the refusals. The first fatal
/// error (a template, a failed write) stops the reading and the workers.
fn plan_all(
    planner: &Planner<'_>,
    inventory: &Inventory,
    accepted: &[batch::Accepted],
    progress: &indicatif::ProgressBar,
) -> Result<(Vec<batch::Summary>, Vec<batch::Refusal>), Error> {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex, mpsc};

    let changed = |line: u64| Error::InvalidValue {
        field: format!("{}: line {line}", inventory.path.display()),
        reason: "the row changed while dmsplan read the file".into(),
        tip: Some("run again once nothing writes to the inventory".into()),
    };
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    // One chunk queued per worker: enough that none waits for the reader, which only parses.
    let (tx, rx) = mpsc::sync_channel::<Vec<(usize, u64, Cells)>>(workers);
    // The workers own the receiver, so it is gone (and the reader stops) if they all end.
    let rx = Arc::new(Mutex::new(rx));
    let stop = AtomicBool::new(false);
    let slots: Mutex<Vec<Option<batch::Summary>>> = Mutex::new(
        std::iter::repeat_with(|| None)
            .take(accepted.len())
            .collect(),
    );
    // Planned rows go, a chunk at a time, to one thread that writes every plan directory:
    // two threads making files at once contend in the kernel (ext4 looks up an inode table
    // block for each new file, and the blocks bounce between the cores). On this machine's
    // disk, 10,000 plans took 3.3-7.8 s of system time written from both workers, 0.7-1.1 s
    // from one core; `cp -r` of the same tree takes 1.0-1.5 s.
    let (planned_tx, planned_rx) = mpsc::sync_channel::<Vec<(usize, u64, Planned)>>(workers);
    let refusals = std::thread::scope(|scope| {
        let writer = if planner.dry_run {
            drop(planned_rx);
            None
        } else {
            let (stop, slots) = (&stop, &slots);
            Some(scope.spawn(move || -> Result<Vec<batch::Refusal>, Error> {
                let mut refusals = Vec::new();
                for chunk in planned_rx {
                    for (i, line, planned) in chunk {
                        // A worker failed: the batch ends with its error.
                        if stop.load(Ordering::Relaxed) {
                            return Ok(refusals);
                        }
                        match write_planned(planner, line, &planned) {
                            Ok(Ok(())) => {
                                if let Ok(mut slots) = slots.lock() {
                                    slots[i] = Some(planned.summary);
                                }
                            }
                            Ok(Err(refusal)) => refusals.push(refusal),
                            Err(e) => {
                                stop.store(true, Ordering::Relaxed);
                                return Err(e);
                            }
                        }
                        progress.inc(1);
                    }
                }
                Ok(refusals)
            }))
        };
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let rx = Arc::clone(&rx);
                let planned_tx = planned_tx.clone();
                let (stop, slots) = (&stop, &slots);
                scope.spawn(move || -> Result<Vec<batch::Refusal>, Error> {
                    let mut refusals = Vec::new();
                    let fail = |e: Error| {
                        stop.store(true, Ordering::Relaxed);
                        Err(e)
                    };
                    while let Some(chunk) = rx.lock().ok().and_then(|r| r.recv().ok()) {
                        let mut planned = Vec::with_capacity(chunk.len());
                        for (i, line, cells) in chunk {
                            if stop.load(Ordering::Relaxed) {
                                return Ok(refusals);
                            }
                            let row = match batch::row_answers(line, &cells, planner.region) {
                                Ok(row) if row.answers.name_or_default() == accepted[i].name => row,
                                _ => return fail(changed(line)),
                            };
                            drop(cells);
                            if !progress.is_hidden() {
                                progress.set_message(accepted[i].name.clone());
                            }
                            match plan_row(planner, &row) {
                                Ok(Ok(p)) if planner.dry_run => {
                                    progress.inc(1);
                                    if let Ok(mut slots) = slots.lock() {
                                        slots[i] = Some(p.summary);
                                    }
                                }
                                Ok(Ok(p)) => planned.push((i, line, p)),
                                Ok(Err(refusal)) => {
                                    progress.inc(1);
                                    refusals.push(refusal);
                                }
                                Err(e) => return fail(e),
                            }
                        }
                        // The writer is gone only after a failed write: it stopped the batch.
                        if !planned.is_empty() && planned_tx.send(planned).is_err() {
                            return Ok(refusals);
                        }
                    }
                    Ok(refusals)
                })
            })
            .collect();
        drop(planned_tx);
        drop(rx);
        let mut next = 0;
        let mut chunk = Vec::with_capacity(CHUNK);
        let read = inventory.each_row(|line, cells| {
            if stop.load(Ordering::Relaxed) {
                return ControlFlow::Break(());
            }
            match accepted.get(next) {
                Some(a) if a.line == line => {}
                Some(_) => return ControlFlow::Continue(()),
                None => return ControlFlow::Break(()),
            }
            chunk.push((next, line, cells.clone()));
            next += 1;
            if chunk.len() < CHUNK {
                return ControlFlow::Continue(());
            }
            let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
            match tx.send(full) {
                Ok(()) => ControlFlow::Continue(()),
                Err(_) => ControlFlow::Break(()),
            }
        });
        if !chunk.is_empty() {
            let _ = tx.send(chunk);
        }
        drop(tx);
        let mut refusals = Vec::new();
        let mut fatal = None;
        for handle in handles.into_iter().chain(writer) {
            match handle.join() {
                Ok(Ok(refused)) => refusals.extend(refused),
                Ok(Err(e)) => {
                    fatal.get_or_insert(e);
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        if let Some(e) = fatal {
            return Err(e);
        }
        read?;
        if let Some(a) = accepted.get(next) {
            return Err(changed(a.line));
        }
        Ok(refusals)
    })?;
    let slots = slots.into_inner().unwrap_or_default();
    Ok((slots.into_iter().flatten().collect(), refusals))
}

/// What `canonical` would refuse in a row's answers (an engine the catalog lacks), without
/// the copy of the answers it makes.
fn check_engines(catalog: &Catalog, answers: &Answers) -> Result<(), Error> {
    for (flag, spec) in [("--source", &answers.source), ("--target", &answers.target)] {
        if let Some(spec) = spec {
            assess::resolve_engine(catalog, flag, &spec.engine)?;
        }
    }
    Ok(())
}

/// Why a row cannot be planned, as (column, reason) for `refused.csv`.
fn refusal_reason(e: Error) -> (String, String) {
    match e {
        Error::UnknownEngine {
            flag,
            given,
            nearest,
        } => {
            let tip = nearest
                .first()
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_default();
            (
                flag.trim_start_matches('-').to_string(),
                format!("unknown engine `{given}`{tip}"),
            )
        }
        e => ("name".to_string(), error::message(&e)),
    }
}

/// A row planned: its summary and the files of its directory, not yet written.
struct Planned {
    summary: batch::Summary,
    files: Vec<(&'static str, String)>,
}

/// Plan one inventory row: the same files `new` writes, or a refusal.
fn plan_row(p: &Planner<'_>, row: &batch::Row) -> Result<Result<Planned, batch::Refusal>, Error> {
    let (plan, eval) = match make_plan_kept(
        p.catalog,
        row.answers.clone(),
        p.created_at.to_string(),
        Some(&p.assessments),
    ) {
        Ok(x) => x,
        Err(e) => {
            let (column, reason) = refusal_reason(e);
            return Ok(Err(batch::Refusal {
                line: row.line,
                name: row.answers.name_or_default(),
                column,
                reason,
            }));
        }
    };
    let summary = batch::Summary::of(row, plan.slug(), &eval);
    let rendered = render_with(p.catalog, &plan, eval, p.hb)?;
    // A dry run makes every file's text too (the compute of a batch), and writes none.
    let files = plan_files(&plan, rendered);
    Ok(Ok(Planned { summary, files }))
}

/// Write a planned row's directory `<out-dir>/<slug>`, or refuse it (files there already,
/// and no --force).
fn write_planned(
    p: &Planner<'_>,
    line: u64,
    planned: &Planned,
) -> Result<Result<(), batch::Refusal>, Error> {
    let dir = p.out_dir.join(&planned.summary.slug);
    let files = &planned.files;
    // A new plan directory appears whole (one rename of a temp directory). Only when
    // something is already there are the files checked and written one by one, as `new`
    // writes them, so a user's file is replaced only with --force.
    if files::create_dir_atomic(&dir, files)? == files::NewDir::Created {
        return Ok(Ok(()));
    }
    for (name, _) in files {
        if let Err(Error::Exists { path }) = files::ensure_writable(&dir.join(name), p.overwrite) {
            return Ok(Err(batch::Refusal {
                line,
                name: planned.summary.name.clone(),
                column: "name".to_string(),
                reason: format!("{} exists; pass --force to overwrite", path.display()),
            }));
        }
    }
    for (name, text) in files {
        files::write_atomic(&dir.join(name), text, p.overwrite)?;
    }
    Ok(Ok(()))
}
