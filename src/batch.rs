//! Portfolio mode: inventory rows to answers, refused rows with their line and column, and
//! the portfolio report (counts, blockers by cause, transfer time, the CDC estate, waves).
//!
//! Pure: rows in, values out. Reading the file, planning in parallel and writing files is
//! `commands::batch`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use serde::Serialize;

use crate::estimate::hours;
use crate::evaluate::Evaluation;
use crate::fxhash::{FxMap, FxSet};
use crate::plan::{self, Answers};

/// Inventory columns, in the order of the template, with what each holds.
pub const COLUMNS: &[(&str, bool, &str)] = &[
    (
        "name",
        true,
        "unique name of the database; the plan directory is made from it",
    ),
    (
        "source",
        true,
        "source engine (`oracle`, `mssql`, `postgresql`, ...)",
    ),
    (
        "source_version",
        false,
        "source version as you write it (`19c`, `2016 SP2`, `8.0.35`)",
    ),
    (
        "source_edition",
        false,
        "edition or deployment variant (`enterprise`, `SE2`, `read replica`)",
    ),
    (
        "source_hosting",
        false,
        "on-prem (default), ec2, rds, aurora, azure, gcp",
    ),
    (
        "target",
        true,
        "target engine (`aurora-postgresql`, `sqlserver`, `redshift`, ...)",
    ),
    ("target_version", false, "target version"),
    (
        "target_hosting",
        false,
        "default: the AWS-managed form of the target",
    ),
    ("size_gb", true, "data to migrate, GB (`800`, `2TB`)"),
    (
        "downtime",
        true,
        "downtime the business accepts (`2h`, `90m`, `1d`)",
    ),
    (
        "change_rate_gb_per_hour",
        false,
        "peak change rate, GB of log per hour (default 1)",
    ),
    (
        "network",
        false,
        "vpn (default), internet, direct-connect:1g|10g|100g, throughput:300mbps",
    ),
    (
        "environment",
        false,
        "`prod` or `production` plans Multi-AZ; anything else does not",
    ),
    (
        "app",
        false,
        "the application it belongs to (kept in the report)",
    ),
    (
        "depends_on",
        false,
        "names of databases that move in the same or an earlier wave, `;`-separated",
    ),
    ("region", false, "AWS Region; default: --region"),
];

/// The template `dmsplan inventory template` prints: the header and two example rows.
pub fn template() -> String {
    let mut out = String::new();
    out.push_str(&COLUMNS.iter().map(|c| c.0).collect::<Vec<_>>().join(","));
    out.push('\n');
    out.push_str("billing-db,oracle,19c,enterprise,on-prem,aurora-postgresql,16,,800,2h,2,direct-connect:1g,prod,billing,,eu-west-1\n");
    out.push_str("billing-reports,mysql,5.7,,on-prem,aurora-mysql,8.0,,40,6h,,vpn,test,billing,billing-db,eu-west-1\n");
    out
}

/// A row that cannot be planned: where, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// Line in the file (the header is line 1).
    pub line: u64,
    /// The row's name, when it has one.
    pub name: String,
    /// The column at fault.
    pub column: String,
    /// Why.
    pub reason: String,
}

/// A row turned into answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Line in the file.
    pub line: u64,
    /// Answers for `new`.
    pub answers: Answers,
    /// Application.
    pub app: String,
    /// Names it depends on.
    pub depends_on: Vec<String>,
}

/// Whether two strings are equal, in a `const fn`.
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() && a[i] == b[i] {
        i += 1;
    }
    i == a.len()
}

/// The position in [`COLUMNS`] of a column, checked when compiling.
const fn column_index(name: &str) -> usize {
    let mut i = 0;
    while i < COLUMNS.len() {
        if same(COLUMNS[i].0, name) {
            return i;
        }
        i += 1;
    }
    panic!("no such inventory column");
}

/// The answer field `key`, found when compiling rather than for every cell.
const fn field(key: &str) -> &'static plan::Field {
    let mut i = 0;
    while i < plan::FIELDS.len() {
        if same(plan::FIELDS[i].key, key) {
            return &plan::FIELDS[i];
        }
        i += 1;
    }
    panic!("no such answer field");
}

const NAME: usize = column_index("name");
const SOURCE: usize = column_index("source");
const SOURCE_VERSION: usize = column_index("source_version");
const SOURCE_EDITION: usize = column_index("source_edition");
const SOURCE_HOSTING: usize = column_index("source_hosting");
const TARGET: usize = column_index("target");
const TARGET_VERSION: usize = column_index("target_version");
const TARGET_HOSTING: usize = column_index("target_hosting");
const SIZE_GB: usize = column_index("size_gb");
const DOWNTIME: usize = column_index("downtime");
const CHANGE_RATE: usize = column_index("change_rate_gb_per_hour");
const NETWORK: usize = column_index("network");
const ENVIRONMENT: usize = column_index("environment");
const APP: usize = column_index("app");
const DEPENDS_ON: usize = column_index("depends_on");
const REGION: usize = column_index("region");

/// The position in [`COLUMNS`] of a column name as written in a header; `None` for a column
/// dmsplan does not read.
pub fn column(name: &str) -> Option<usize> {
    COLUMNS.iter().position(|c| c.0 == name)
}

/// One inventory row as read: the text of each column of [`COLUMNS`], untrimmed, in one
/// buffer. A column the row lacks reads as empty, like an empty cell, and columns dmsplan
/// does not read are not kept.
///
/// Held by position rather than in a map by name: a row costs one buffer (none when one
/// `Cells` is reused), and a cell is read without hashing its column's name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cells {
    text: String,
    spans: [(usize, usize); COLUMNS.len()],
}

impl Cells {
    /// Cells from (column name, text) pairs; a later pair for a column replaces an earlier
    /// one, and names that are no column of [`COLUMNS`] are ignored.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Cells {
        let mut cells = Cells::default();
        for (name, text) in pairs {
            if let Some(i) = column(name) {
                cells.set(i, text);
            }
        }
        cells
    }

    /// Empty every cell, keeping the buffer.
    pub fn clear(&mut self) {
        self.text.clear();
        self.spans = Default::default();
    }

    /// Set the cell of column `column` (a position in [`COLUMNS`]), replacing what it held.
    pub fn set(&mut self, column: usize, text: &str) {
        let start = self.text.len();
        self.text.push_str(text);
        self.spans[column] = (start, self.text.len());
    }

    /// The text of column `column` (a position in [`COLUMNS`]), as read.
    pub fn get(&self, column: usize) -> &str {
        let (start, end) = self.spans[column];
        &self.text[start..end]
    }

    /// The trimmed text of column `column`, `None` when empty.
    fn value(&self, column: usize) -> Option<&str> {
        Some(self.get(column).trim()).filter(|v| !v.is_empty())
    }
}

/// Check the header: every required column present. Extra columns are kept and ignored.
pub fn check_header(header: &[String]) -> Result<(), String> {
    for (name, required, _) in COLUMNS {
        if *required && !header.iter().any(|h| h.trim() == *name) {
            return Err(format!("the inventory has no column `{name}`"));
        }
    }
    Ok(())
}

/// Turn one row into answers; the error names the column.
pub fn row_answers(line: u64, cells: &Cells, default_region: Option<&str>) -> Result<Row, Refusal> {
    let get = |column: usize| cells.value(column);
    let name = get(NAME).unwrap_or_default();
    let refuse = |column: usize, reason: String| Refusal {
        line,
        name: name.to_string(),
        column: COLUMNS[column].0.to_string(),
        reason,
    };
    let mut a = Answers::default();
    let set = |a: &mut Answers, field: &plan::Field, column: usize, value: &str| {
        let at = COLUMNS[column].0;
        a.set_text(field, value, at).map_err(|e| {
            let text = e.to_string();
            let reason = match text.strip_prefix(at).and_then(|t| t.strip_prefix(": ")) {
                Some(reason) => reason.to_string(),
                None => text,
            };
            refuse(column, reason)
        })
    };
    let Some(n) = get(NAME) else {
        return Err(refuse(NAME, "empty; every row needs a unique name".into()));
    };
    set(&mut a, const { field("name") }, NAME, n)?;
    // ENGINE:VERSION, built in one buffer for both ends.
    let mut spec = String::new();
    for (engine_col, version_col, key) in [
        (SOURCE, SOURCE_VERSION, const { field("source") }),
        (TARGET, TARGET_VERSION, const { field("target") }),
    ] {
        let Some(engine) = get(engine_col) else {
            return Err(refuse(engine_col, "empty".into()));
        };
        match get(version_col) {
            Some(version) if !engine.contains(':') => {
                spec.clear();
                spec.push_str(engine);
                spec.push(':');
                spec.push_str(version);
                set(&mut a, key, version_col, &spec)?;
            }
            _ => set(&mut a, key, engine_col, engine)?,
        }
    }
    for (column, key) in [
        (SOURCE_EDITION, const { field("source_edition") }),
        (SOURCE_HOSTING, const { field("source_hosting") }),
        (TARGET_HOSTING, const { field("target_hosting") }),
        (SIZE_GB, const { field("size_gb") }),
        (DOWNTIME, const { field("downtime") }),
        (CHANGE_RATE, const { field("change_rate") }),
        (NETWORK, const { field("network") }),
    ] {
        if let Some(v) = get(column) {
            set(&mut a, key, column, v)?;
        }
    }
    if a.size_gb.is_none() {
        return Err(refuse(SIZE_GB, "empty".into()));
    }
    if a.downtime.is_none() {
        return Err(refuse(DOWNTIME, "empty".into()));
    }
    if let Some(env) = get(ENVIRONMENT) {
        a.production = Some(
            env.eq_ignore_ascii_case("prod")
                || env.eq_ignore_ascii_case("production")
                || env.eq_ignore_ascii_case("prd"),
        );
    }
    match get(REGION).or(default_region) {
        Some(r) => set(&mut a, const { field("region") }, REGION, r)?,
        None => return Err(refuse(REGION, "empty, and no --region given".into())),
    }
    let depends_on = get(DEPENDS_ON)
        .map(|d| {
            d.split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    Ok(Row {
        line,
        answers: a,
        app: get(APP).unwrap_or_default().to_string(),
        depends_on,
    })
}

/// A row that passed the first pass, kept light for the second: no answers, only what the
/// checks across rows need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// Line in the file.
    pub line: u64,
    /// The plan's name.
    pub name: String,
    /// Names it depends on.
    pub depends_on: Vec<String>,
}

/// The first pass over an inventory, one row at a time: each row's answers checked, names
/// and plan directories kept unique. [`Screening::finish`] then checks `depends_on` against
/// every name of the file. It keeps names and lines only, so `batch` can stream the rows
/// again to plan them without holding any row's answers.
#[derive(Debug, Default)]
pub struct Screening {
    // Fx, not SipHash: a row's name is hashed three times and its slug once, serially
    // before any worker starts (SipHash cost some 700 instructions a row).
    names: FxMap<String, u64>,
    slugs: FxMap<String, u64>,
    known: FxSet<String>,
    accepted: Vec<Accepted>,
    refusals: Vec<Refusal>,
}

/// The outcome of the first pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screened {
    /// The rows to plan, in line order.
    pub accepted: Vec<Accepted>,
    /// The rows refused so far, in line order.
    pub refusals: Vec<Refusal>,
}

impl Screening {
    /// Check one row; rows come in line order. `check` is the caller's own test of the
    /// answers (`batch` resolves the engines in the catalog): `Err((column, reason))` refuses.
    pub fn add(
        &mut self,
        line: u64,
        cells: &Cells,
        region: Option<&str>,
        check: impl FnOnce(&Answers) -> Result<(), (String, String)>,
    ) {
        // Any row's name counts for `depends_on`, even a refused row's (the refusal says why).
        let n = cells.get(NAME).trim();
        if !n.is_empty() && !self.known.contains(n) {
            self.known.insert(n.to_string());
        }
        let row = match row_answers(line, cells, region) {
            Ok(row) => row,
            Err(r) => return self.refusals.push(r),
        };
        let name = row.answers.name_or_default();
        if let Err((column, reason)) = check(&row.answers) {
            return self.refusals.push(Refusal {
                line,
                name,
                column,
                reason,
            });
        }
        let slug = plan::slug(&name);
        let reason = if let Some(first) = self.names.get(&name) {
            format!("duplicate name, first on line {first}")
        } else if let Some(first) = self.slugs.get(&slug) {
            format!("its directory `{slug}` is the same as the name's on line {first}")
        } else {
            self.names.insert(name.clone(), line);
            self.slugs.insert(slug, line);
            self.accepted.push(Accepted {
                line,
                name,
                depends_on: row.depends_on,
            });
            return;
        };
        self.refusals.push(Refusal {
            line,
            name,
            column: "name".into(),
            reason,
        });
    }

    /// Refuse the rows that depend on a name no row of the file has.
    pub fn finish(self) -> Screened {
        let Screening {
            known,
            mut accepted,
            mut refusals,
            ..
        } = self;
        accepted.retain(
            |row| match row.depends_on.iter().find(|d| !known.contains(d.as_str())) {
                Some(missing) => {
                    refusals.push(Refusal {
                        line: row.line,
                        name: row.name.clone(),
                        column: "depends_on".into(),
                        reason: format!("`{missing}` is no database of the inventory"),
                    });
                    false
                }
                None => true,
            },
        );
        refusals.sort_by_key(|r| r.line);
        Screened { accepted, refusals }
    }
}

/// What the report needs of one planned database.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Name.
    pub name: String,
    /// Plan directory.
    pub slug: String,
    /// Application.
    pub app: String,
    /// Source engine id.
    pub source: String,
    /// Target engine id.
    pub target: String,
    /// `homogeneous` or `heterogeneous`.
    pub classification: String,
    /// `supported`, `supported-with-warnings`, `unsupported`.
    pub verdict: String,
    /// DMS migration type.
    pub migration_type: String,
    /// Blocker rule ids.
    pub blockers: Vec<String>,
    /// GB.
    pub size_gb: f64,
    /// Expected full load, hours.
    pub full_load_hours: f64,
    /// Replication instance class.
    pub instance_class: String,
    /// Names it depends on.
    pub depends_on: Vec<String>,
}

impl Summary {
    /// The summary of an evaluated row.
    pub fn of(row: &Row, slug: String, eval: &Evaluation) -> Summary {
        let a = &eval.assessment;
        Summary {
            name: row.answers.name_or_default(),
            slug,
            app: row.app.clone(),
            source: a.source.engine.clone(),
            target: a.target.engine.clone(),
            classification: a.classification.as_str().to_string(),
            verdict: enum_str(&a.verdict),
            migration_type: eval.migration_type.as_str().to_string(),
            blockers: a
                .findings
                .iter()
                .filter(|f| f.severity == crate::catalog::Severity::Blocker)
                .map(|f| f.id.clone())
                .collect(),
            size_gb: row.answers.size_gb.unwrap_or_default(),
            full_load_hours: eval.estimate.full_load_hours.high,
            instance_class: eval.estimate.replication_instance.class.clone(),
            depends_on: row.depends_on.clone(),
        }
    }
}

fn enum_str<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// Group databases into waves: each after every database it depends on, simplest first
/// within a wave. A cycle is an error naming every database in it.
pub fn waves(summaries: &[Summary]) -> Result<Vec<Vec<usize>>, Vec<String>> {
    let nodes: Vec<(&str, &[String])> = summaries
        .iter()
        .map(|s| (s.name.as_str(), s.depends_on.as_slice()))
        .collect();
    let level = levels(&nodes)?;
    let mut waves: Vec<Vec<usize>> = vec![Vec::new(); level.iter().max().map_or(0, |l| l + 1)];
    for (i, l) in level.iter().enumerate() {
        waves[*l].push(i);
    }
    for w in &mut waves {
        w.sort_by(|a, b| {
            let (x, y) = (&summaries[*a], &summaries[*b]);
            simplicity(x)
                .cmp(&simplicity(y))
                .then(x.size_gb.total_cmp(&y.size_gb))
                .then(x.name.cmp(&y.name))
        });
    }
    Ok(waves)
}

/// The wave of each database, counted from 0: one more than the latest wave of what it
/// depends on (names that are no database are ignored). A cycle is an error naming every
/// database on one, sorted.
///
/// Kahn's algorithm, so a chain of n databases costs O(n) and not the O(n²) of levelling in
/// repeated passes; `batch` runs it on names and dependencies alone, before planning.
pub fn levels(nodes: &[(&str, &[String])]) -> Result<Vec<usize>, Vec<String>> {
    let deps = resolve(nodes);
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    let mut waiting: Vec<usize> = vec![0; nodes.len()];
    for (i, ds) in deps.iter().enumerate() {
        for &d in ds {
            dependents[d].push(i);
            waiting[i] += 1;
        }
    }
    let mut level = vec![0; nodes.len()];
    let mut ready: Vec<usize> = (0..nodes.len()).filter(|i| waiting[*i] == 0).collect();
    let mut done = 0;
    while let Some(n) = ready.pop() {
        done += 1;
        for &j in &dependents[n] {
            level[j] = level[j].max(level[n] + 1);
            waiting[j] -= 1;
            if waiting[j] == 0 {
                ready.push(j);
            }
        }
    }
    if done < nodes.len() {
        return Err(cycle_members(nodes, &deps));
    }
    Ok(level)
}

/// Each node's dependencies as indices; a name given twice means its last node, and a name
/// that is no node is dropped.
fn resolve(nodes: &[(&str, &[String])]) -> Vec<Vec<usize>> {
    let index: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, (name, _))| (*name, i))
        .collect();
    nodes
        .iter()
        .map(|(_, ds)| {
            ds.iter()
                .filter_map(|d| index.get(d.as_str()).copied())
                .collect()
        })
        .collect()
}

/// Lower is simpler: homogeneous full load first, heterogeneous CDC last.
fn simplicity(s: &Summary) -> u8 {
    u8::from(s.classification == "heterogeneous") * 2 + u8::from(s.migration_type != "full-load")
}

/// The databases on a cycle, sorted: those that can reach themselves, that is the members of
/// a strongly connected component of two or more, or with a dependency on itself. Tarjan's
/// algorithm, iterative so a long cycle cannot overflow the stack.
fn cycle_members(nodes: &[(&str, &[String])], deps: &[Vec<usize>]) -> Vec<String> {
    const UNSEEN: usize = usize::MAX;
    let n = deps.len();
    let mut order = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut members = BTreeSet::new();
    let mut next = 0;
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        // (node, index of the next dependency to follow)
        let mut path: Vec<(usize, usize)> = vec![(root, 0)];
        order[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some((v, k)) = path.last_mut() {
            let v = *v;
            if let Some(&w) = deps[v].get(*k) {
                *k += 1;
                if order[w] == UNSEEN {
                    order[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    path.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(order[w]);
                }
                continue;
            }
            path.pop();
            if let Some(&(parent, _)) = path.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == order[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 || deps[v].contains(&v) {
                    members.extend(component.iter().map(|&w| nodes[w].0.to_string()));
                }
            }
        }
    }
    members.into_iter().collect()
}

/// The portfolio's figures, also written as `portfolio.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Portfolio {
    /// Databases planned.
    pub planned: usize,
    /// Rows refused.
    pub refused: usize,
    /// Count by classification.
    pub by_classification: BTreeMap<String, usize>,
    /// Count by DMS verdict.
    pub by_verdict: BTreeMap<String, usize>,
    /// Count by migration type.
    pub by_migration_type: BTreeMap<String, usize>,
    /// Blocker rule id -> databases.
    pub blockers: BTreeMap<String, Vec<String>>,
    /// Total data, GB.
    pub total_gb: f64,
    /// Sum of expected full loads, hours (one task at a time).
    pub total_full_load_hours: f64,
    /// The longest expected full load, hours.
    pub longest_full_load_hours: f64,
    /// Replication instances running CDC until cutover (one per CDC migration).
    pub cdc_instances: usize,
    /// Source engine -> databases whose logs must be configured for CDC.
    pub cdc_sources: BTreeMap<String, Vec<String>>,
    /// Instance class -> count.
    pub instance_classes: BTreeMap<String, usize>,
    /// Waves, each a list of database names, simplest first.
    pub waves: Vec<Vec<String>>,
}

/// Build the portfolio from the summaries and waves.
pub fn portfolio(summaries: &[Summary], waves: &[Vec<usize>], refused: usize) -> Portfolio {
    let mut p = Portfolio {
        planned: summaries.len(),
        refused,
        by_classification: BTreeMap::new(),
        by_verdict: BTreeMap::new(),
        by_migration_type: BTreeMap::new(),
        blockers: BTreeMap::new(),
        total_gb: 0.0,
        total_full_load_hours: 0.0,
        longest_full_load_hours: 0.0,
        cdc_instances: 0,
        cdc_sources: BTreeMap::new(),
        instance_classes: BTreeMap::new(),
        waves: waves
            .iter()
            .map(|w| w.iter().map(|i| summaries[*i].name.clone()).collect())
            .collect(),
    };
    for s in summaries {
        *p.by_classification
            .entry(s.classification.clone())
            .or_default() += 1;
        *p.by_verdict.entry(s.verdict.clone()).or_default() += 1;
        *p.by_migration_type
            .entry(s.migration_type.clone())
            .or_default() += 1;
        for b in &s.blockers {
            p.blockers
                .entry(b.clone())
                .or_default()
                .push(s.name.clone());
        }
        p.total_gb += s.size_gb;
        p.total_full_load_hours += s.full_load_hours;
        p.longest_full_load_hours = p.longest_full_load_hours.max(s.full_load_hours);
        if s.migration_type != "full-load" {
            p.cdc_instances += 1;
            p.cdc_sources
                .entry(s.source.clone())
                .or_default()
                .push(s.name.clone());
        }
        *p.instance_classes
            .entry(s.instance_class.clone())
            .or_default() += 1;
    }
    p
}

/// The largest number of databases drawn in the Mermaid diagram of waves.
pub const MAX_DRAWN: usize = 150;

fn names(list: &[String], max: usize) -> String {
    let shown: Vec<String> = list
        .iter()
        .take(max)
        .map(|n| crate::render::markdown::escape_inline(n))
        .collect();
    if list.len() > max {
        format!("{} and {} more", shown.join(", "), list.len() - max)
    } else {
        shown.join(", ")
    }
}

/// `portfolio.md`; `dry_run` when no plan directory or `refused.csv` was written.
pub fn portfolio_markdown(p: &Portfolio, summaries: &[Summary], dry_run: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Migration portfolio\n");
    if dry_run {
        let _ = writeln!(
            out,
            "{} databases planned, {} rows refused. A dry run: no plan directory and no `refused.csv` were written (`dmsplan batch --dry-run` lists the refusals).\n",
            p.planned, p.refused
        );
    } else {
        let _ = writeln!(
            out,
            "{} databases planned, {} rows refused (`refused.csv`). Each plan is in its own directory beside this file.\n",
            p.planned, p.refused
        );
    }
    for (title, map) in [
        ("Classification", &p.by_classification),
        ("DMS verdict", &p.by_verdict),
        ("Migration type", &p.by_migration_type),
    ] {
        let _ = writeln!(out, "## {title}\n\n| {title} | Databases |\n| --- | --- |");
        for (k, v) in map {
            let _ = writeln!(out, "| `{k}` | {v} |");
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Blockers by cause\n");
    if p.blockers.is_empty() {
        let _ = writeln!(out, "No database has a blocker.\n");
    } else {
        let _ = writeln!(out, "| Rule | Databases | Which |\n| --- | --- | --- |");
        for (rule, dbs) in &p.blockers {
            let _ = writeln!(out, "| `{rule}` | {} | {} |", dbs.len(), names(dbs, 10));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Data and transfer time\n");
    let _ = writeln!(
        out,
        "- Data to move: {:.0} GB.\n- Expected full loads, one after another: {}; the longest single load: {}.\n",
        p.total_gb,
        hours(p.total_full_load_hours),
        hours(p.longest_full_load_hours)
    );
    let _ = writeln!(out, "## CDC estate\n");
    let _ = writeln!(
        out,
        "{} migrations need ongoing replication, so {} replication instances run from the start of their full load until their cutover.\n",
        p.cdc_instances, p.cdc_instances
    );
    if !p.cdc_sources.is_empty() {
        let _ = writeln!(
            out,
            "Sources whose change logs must be configured for CDC (see each runbook's prerequisites):\n"
        );
        let _ = writeln!(
            out,
            "| Source engine | Databases | Which |\n| --- | --- | --- |"
        );
        for (engine, dbs) in &p.cdc_sources {
            let _ = writeln!(out, "| `{engine}` | {} | {} |", dbs.len(), names(dbs, 10));
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "Replication instance classes:\n\n| Class | Count |\n| --- | --- |"
    );
    for (class, n) in &p.instance_classes {
        let _ = writeln!(out, "| `{class}` | {n} |");
    }
    let _ = writeln!(out, "\n## Waves\n");
    let _ = writeln!(
        out,
        "A database moves in a wave after every database it depends on; within a wave the simplest migrations come first.\n"
    );
    let _ = writeln!(out, "| Wave | Databases | Which |\n| --- | --- | --- |");
    for (i, w) in p.waves.iter().enumerate() {
        let _ = writeln!(out, "| {} | {} | {} |", i + 1, w.len(), names(w, 12));
    }
    out.push('\n');
    if summaries.len() <= MAX_DRAWN {
        let index: HashMap<&str, usize> = summaries
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.as_str(), i))
            .collect();
        let mut chart = String::from("flowchart LR");
        for (i, w) in p.waves.iter().enumerate() {
            let _ = write!(chart, "\n    subgraph wave{} [\"Wave {}\"]", i + 1, i + 1);
            for name in w {
                if let Some(j) = index.get(name.as_str()) {
                    let label: String = name
                        .chars()
                        .filter(|c| !"\"[]|<>{}`#;".contains(*c))
                        .collect();
                    let _ = write!(chart, "\n        db{j}[\"{label}\"]");
                }
            }
            chart.push_str("\n    end");
        }
        for (j, s) in summaries.iter().enumerate() {
            for d in &s.depends_on {
                if let Some(i) = index.get(d.as_str()) {
                    let _ = write!(chart, "\n    db{i} --> db{j}");
                }
            }
        }
        let _ = writeln!(
            out,
            "{}",
            crate::render::markdown::fenced("mermaid", &chart)
        );
    } else {
        let _ = writeln!(
            out,
            "({} databases: too many to draw; `portfolio.json` lists every wave.)",
            summaries.len()
        );
    }
    crate::render::markdown::tidy(&out)
}

/// One line of `refused.csv`.
pub fn refused_csv(refusals: &[Refusal]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["line", "name", "column", "reason"]);
    for r in refusals {
        let _ = w.write_record([
            r.line.to_string(),
            r.name.clone(),
            r.column.clone(),
            r.reason.clone(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests;
