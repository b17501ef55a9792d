//! Data type maps: how DMS carries a source column type through its own data type to the
//! type it creates on the target, and what is lost on the way.
//!
//! `catalog/types.json` holds the DMS pages "Source data types for X" (source type -> DMS
//! type) and "Target data types for Y" (DMS type -> target type), joined here on DMS's own
//! types; `catalog/FORMAT.md` documents it. Pure: the caller hands in the text, nothing is
//! printed, a type nobody knows is a row with `supported: false`, never an error.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::catalog::{CatalogError, Engine, Family, doc_url};

/// The type maps compiled into the binary.
pub const EMBEDDED: &str = include_str!("catalog/types.json");

/// The whole type map file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeMaps {
    /// When the maps were last checked against the DMS user guide (YYYY-MM-DD).
    pub as_of: String,
    /// The page that lists DMS's own data types.
    pub dms_types_doc: String,
    /// DMS's own data types, the join key between sources and targets.
    pub dms_types: Vec<String>,
    /// One map per source engine family.
    pub sources: Vec<SourceMap>,
    /// One map per target engine (or group of engines that share a page).
    pub targets: Vec<TargetMap>,
}

/// "Source data types for X": the source types of some engines and their DMS types.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceMap {
    /// The engine family of the page.
    pub family: Family,
    /// Catalog engine ids that read through this map.
    pub engines: Vec<String>,
    /// The page and anchor of the table.
    pub doc: String,
    /// What DMS does when the target is of the same family.
    pub same_family_note: String,
    /// The source types, in the page's order.
    pub types: Vec<SourceType>,
}

/// How the numbers in parentheses of a source type are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParamKind {
    /// Parameters are ignored.
    #[default]
    None,
    /// `(n)`: a length; `(max)` is allowed.
    Length,
    /// `(p,s)`: precision and scale; `*` for precision means the engine's maximum.
    PrecisionScale,
    /// `(p)`: a precision.
    Precision,
    /// `(s)`: fractional-second digits.
    Scale,
    /// `('a','b')`: the values of an ENUM or SET; the length is the longest value.
    Values,
}

/// Precision, scale and length as numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Total digits.
    #[serde(default)]
    pub precision: Option<i64>,
    /// Digits after the point, or fractional-second digits.
    #[serde(default)]
    pub scale: Option<i64>,
    /// Characters or bytes.
    #[serde(default)]
    pub length: Option<i64>,
}

/// A condition on the parameters; every bound given must hold (a missing value fails it).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    /// True: the type was written without parentheses.
    #[serde(default)]
    pub bare: Option<bool>,
    /// True: the length is `max`.
    #[serde(default)]
    pub max: Option<bool>,
    /// Lowest precision.
    #[serde(default)]
    pub precision_min: Option<i64>,
    /// Highest precision.
    #[serde(default)]
    pub precision_max: Option<i64>,
    /// Lowest scale.
    #[serde(default)]
    pub scale_min: Option<i64>,
    /// Highest scale.
    #[serde(default)]
    pub scale_max: Option<i64>,
    /// Lowest length.
    #[serde(default)]
    pub length_min: Option<i64>,
    /// Highest length.
    #[serde(default)]
    pub length_max: Option<i64>,
    /// The DMS string carries this indication (`timestamp_with_timezone`, ...).
    #[serde(default)]
    pub indication: Option<String>,
}

/// One row of a "Source data types" page.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceType {
    /// The type as the page names it, upper case (`UNSIGNED` written last).
    pub name: String,
    /// Other spellings of the same type.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// How its parentheses are read.
    #[serde(default)]
    pub params: ParamKind,
    /// Values assumed when the type is written without them.
    #[serde(default)]
    pub defaults: Params,
    /// Values DMS fixes whatever was written (`MONEY` is `NUMERIC(19,4)`).
    #[serde(default)]
    pub set: Params,
    /// The DMS type; `null` when DMS does not migrate it.
    pub dms: Option<String>,
    /// Parameter-dependent rows, first match wins; none matching falls back to `dms`.
    #[serde(default)]
    pub cases: Vec<SourceCase>,
    /// The indication a DMS string carries (Oracle time zones and intervals).
    #[serde(default)]
    pub indication: Option<String>,
    /// Whether values or their meaning change on the way.
    #[serde(default)]
    pub lossy: bool,
    /// What to know, one phrase or sentence.
    #[serde(default)]
    pub notes: String,
    /// A more precise page than the map's.
    #[serde(default)]
    pub doc: Option<String>,
    /// The target type when the target is of the source's family, if not the same type.
    #[serde(default)]
    pub same_family: Option<String>,
}

/// A parameter-dependent row of a source type.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceCase {
    /// How the whole-map listing names this case (`NUMBER(p), p <= 2`).
    pub label: String,
    /// When it applies.
    pub when: When,
    /// The DMS type; `null` when DMS does not migrate it.
    pub dms: Option<String>,
    /// Values DMS fixes.
    #[serde(default)]
    pub set: Params,
    /// Whether values or their meaning change on the way.
    #[serde(default)]
    pub lossy: bool,
    /// What to know.
    #[serde(default)]
    pub notes: String,
    /// A more precise page.
    #[serde(default)]
    pub doc: Option<String>,
}

/// "Target data types for Y": the type DMS creates for each of its own types.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetMap {
    /// The engine family of the page.
    pub family: Family,
    /// Catalog engine ids that write through this map.
    pub engines: Vec<String>,
    /// The page and anchor of the table.
    pub doc: String,
    /// What the map assumes (S3: Parquet), if anything.
    #[serde(default)]
    pub note: Option<String>,
    /// One entry per DMS type.
    pub types: Vec<TargetType>,
}

/// One row of a "Target data types" page.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetType {
    /// The DMS type.
    pub dms: String,
    /// The target type; `{precision}`, `{scale}`, `{length}` inside parentheses are filled
    /// in, and a parenthesis whose value is unknown is left out.
    pub target: String,
    /// Parameter-dependent rows, first match wins.
    #[serde(default)]
    pub cases: Vec<TargetCase>,
    /// Whether values or their meaning change.
    #[serde(default)]
    pub lossy: bool,
    /// What to know.
    #[serde(default)]
    pub notes: String,
    /// A more precise page than the map's.
    #[serde(default)]
    pub doc: Option<String>,
}

/// A parameter-dependent row of a target type.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetCase {
    /// When it applies.
    pub when: When,
    /// The target type template.
    pub target: String,
    /// Whether values or their meaning change.
    #[serde(default)]
    pub lossy: bool,
    /// What to know.
    #[serde(default)]
    pub notes: String,
}

/// One line of the answer: a source type, the DMS type between, the target type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeRow {
    /// The source type as typed, or as the page names it.
    pub source_type: String,
    /// The DMS type with its parameters; `None` when DMS does not migrate it.
    pub dms_type: Option<String>,
    /// The target type DMS creates; `None` when nothing arrives.
    pub target_type: Option<String>,
    /// Whether DMS migrates the column at all.
    pub supported: bool,
    /// Whether values or their meaning change on the way.
    pub lossy: bool,
    /// What to know, sentences joined with `; `.
    pub notes: String,
    /// The page behind the finding (full URL).
    pub doc: String,
}

/// The answer of `dmsplan types`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeReport {
    /// Source engine id.
    pub source: String,
    /// Target engine id.
    pub target: String,
    /// The rows.
    pub types: Vec<TypeRow>,
    /// Why there are no rows, or what the map assumes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A value as the maps compute with it: a number, or a symbol in whole-map listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Val {
    Num(i64),
    Sym(&'static str),
}

impl Val {
    fn num(self) -> Option<i64> {
        match self {
            Val::Num(n) => Some(n),
            Val::Sym(_) => None,
        }
    }

    fn text(self) -> String {
        match self {
            Val::Num(n) => n.to_string(),
            Val::Sym(s) => s.to_string(),
        }
    }
}

/// What is known about a column while it travels.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Values {
    precision: Option<Val>,
    scale: Option<Val>,
    length: Option<Val>,
    max: bool,
    bare: bool,
    indication: Option<String>,
}

impl Values {
    fn fill(&mut self, p: &Params, overwrite: bool) {
        for (slot, v) in [
            (&mut self.precision, p.precision),
            (&mut self.scale, p.scale),
            (&mut self.length, p.length),
        ] {
            if let Some(v) = v {
                if overwrite || slot.is_none() {
                    *slot = Some(Val::Num(v));
                }
            }
        }
    }

    fn matches(&self, w: &When) -> bool {
        let within = |v: Option<Val>, min: Option<i64>, max: Option<i64>| {
            if min.is_none() && max.is_none() {
                return true;
            }
            match v.and_then(Val::num) {
                Some(n) => min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m),
                None => false,
            }
        };
        w.bare.is_none_or(|b| b == self.bare)
            && w.max.is_none_or(|m| m == self.max)
            && within(self.precision, w.precision_min, w.precision_max)
            && within(self.scale, w.scale_min, w.scale_max)
            && within(self.length, w.length_min, w.length_max)
            && w.indication
                .as_ref()
                .is_none_or(|i| self.indication.as_ref() == Some(i))
    }

    /// Pin a value the condition fixes to one number (`scale_min = scale_max = 0`).
    fn pin(&mut self, w: &When) {
        for (slot, min, max) in [
            (&mut self.precision, w.precision_min, w.precision_max),
            (&mut self.scale, w.scale_min, w.scale_max),
            (&mut self.length, w.length_min, w.length_max),
        ] {
            if let (Some(a), Some(b)) = (min, max) {
                if a == b {
                    *slot = Some(Val::Num(a));
                }
            }
        }
    }
}

/// A type as a user writes it, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedType {
    /// Upper-case words without parentheses, `UNSIGNED` last (`TIMESTAMP WITH TIME ZONE`).
    pub name: String,
    /// The arguments of the first parentheses.
    pub args: Vec<Arg>,
}

/// One argument inside a type's parentheses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// A number (`10`, `100 CHAR`, `-2`).
    Number(i64),
    /// `MAX`.
    Max,
    /// `*` (Oracle's "the maximum precision").
    Star,
    /// Anything else, such as a quoted ENUM value (quotes removed).
    Text(String),
}

/// Take apart a type as typed: `NUMBER(10,2)`, `varchar2(100 char)`,
/// `TIMESTAMP(6) WITH TIME ZONE`, `int unsigned`, `integer[]`.
pub fn parse_type(input: &str) -> Result<TypedType, String> {
    let text = input.trim();
    if text.is_empty() {
        return Err("no type given".to_string());
    }
    let mut words = String::new();
    let mut groups: Vec<String> = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for c in text.chars() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            if let Some(g) = groups.last_mut() {
                g.push(c);
            }
            continue;
        }
        match c {
            '(' => {
                depth += 1;
                if depth == 1 {
                    groups.push(String::new());
                    words.push(' ');
                } else if let Some(g) = groups.last_mut() {
                    g.push(c);
                }
            }
            ')' => {
                if depth == 0 {
                    return Err(format!("`{text}` closes a parenthesis it never opened"));
                }
                depth -= 1;
                if depth > 0 {
                    if let Some(g) = groups.last_mut() {
                        g.push(c);
                    }
                }
            }
            '\'' | '"' if depth > 0 => {
                quote = Some(c);
                if let Some(g) = groups.last_mut() {
                    g.push(c);
                }
            }
            _ if depth > 0 => {
                if let Some(g) = groups.last_mut() {
                    g.push(c);
                }
            }
            _ => words.push(c),
        }
    }
    if depth > 0 || quote.is_some() {
        return Err(format!("`{text}` leaves a parenthesis or quote open"));
    }
    let mut array = false;
    let mut unsigned = false;
    let mut name: Vec<String> = Vec::new();
    for w in words.split_whitespace() {
        let mut w = w.to_uppercase();
        while let Some(stripped) = w.strip_suffix("[]") {
            array = true;
            w = stripped.to_string();
        }
        match w.as_str() {
            "" | "SIGNED" | "ZEROFILL" => {}
            "UNSIGNED" => unsigned = true,
            _ => name.push(w),
        }
    }
    if array || name.last().is_some_and(|w| w == "ARRAY") {
        name = vec!["ARRAY".to_string()];
    }
    if unsigned {
        name.push("UNSIGNED".to_string());
    }
    if name.is_empty() {
        return Err(format!("`{text}` names no type"));
    }
    let args = groups.first().map(|g| split_args(g)).unwrap_or_default();
    Ok(TypedType {
        name: name.join(" "),
        args,
    })
}

fn split_args(group: &str) -> Vec<Arg> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in group.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == ',' => parts.push(std::mem::take(&mut cur)),
            None => cur.push(c),
        }
    }
    parts.push(cur);
    parts
        .into_iter()
        .map(|p| {
            let t = p.trim();
            let upper = t.to_uppercase();
            // Oracle length semantics: `100 CHAR` / `100 BYTE` are lengths.
            let num = upper
                .strip_suffix("CHAR")
                .or_else(|| upper.strip_suffix("BYTE"))
                .unwrap_or(&upper)
                .trim();
            if let Ok(n) = num.parse::<i64>() {
                Arg::Number(n)
            } else if upper == "MAX" {
                Arg::Max
            } else if upper == "*" {
                Arg::Star
            } else {
                Arg::Text(t.to_string())
            }
        })
        .collect()
}

/// Upper case, single spaces, `UNSIGNED` last: the form names are compared in.
fn normalize_name(name: &str) -> String {
    parse_type(name).map_or_else(|_| name.trim().to_uppercase(), |t| t.name)
}

impl SourceType {
    fn matches_name(&self, name: &str) -> bool {
        std::iter::once(&self.name)
            .chain(&self.aliases)
            .any(|n| normalize_name(n) == name)
    }

    /// Values read from the typed arguments.
    fn values_from(&self, typed: &TypedType) -> Values {
        let mut v = Values {
            bare: typed.args.is_empty(),
            ..Values::default()
        };
        let num = |i: usize| match typed.args.get(i) {
            Some(Arg::Number(n)) => Some(Val::Num(*n)),
            _ => None,
        };
        match self.params {
            ParamKind::None => {}
            ParamKind::Length => {
                v.length = num(0);
                v.max = matches!(typed.args.first(), Some(Arg::Max));
            }
            ParamKind::PrecisionScale => {
                v.precision = match typed.args.first() {
                    Some(Arg::Star) => Some(Val::Num(38)),
                    _ => num(0),
                };
                v.scale = num(1);
            }
            ParamKind::Precision => v.precision = num(0),
            ParamKind::Scale => v.scale = num(0),
            ParamKind::Values => {
                let values: Vec<usize> = typed
                    .args
                    .iter()
                    .map(|a| match a {
                        Arg::Text(t) => t.chars().count(),
                        Arg::Number(n) => n.to_string().len(),
                        _ => 0,
                    })
                    .collect();
                if !values.is_empty() {
                    let len = if self.name == "SET" {
                        values.iter().sum::<usize>() + values.len() - 1
                    } else {
                        values.iter().copied().max().unwrap_or(0)
                    };
                    v.length = i64::try_from(len).ok().map(Val::Num);
                }
            }
        }
        v
    }

    /// Symbolic values for the whole-map listing.
    fn symbolic(&self) -> Values {
        let mut v = Values::default();
        match self.params {
            ParamKind::None => v.bare = true,
            ParamKind::Length | ParamKind::Values => v.length = Some(Val::Sym("n")),
            ParamKind::PrecisionScale => {
                v.precision = Some(Val::Sym("p"));
                v.scale = Some(Val::Sym("s"));
            }
            ParamKind::Precision => v.precision = Some(Val::Sym("p")),
            ParamKind::Scale => {
                v.scale = self.defaults.scale.map_or(Val::Sym("s"), Val::Num).into();
            }
        }
        v
    }
}

/// What a source type resolved to before the target is known.
struct Resolved<'m> {
    label: Option<String>,
    dms: Option<&'m str>,
    values: Values,
    lossy: bool,
    notes: Vec<String>,
    doc: String,
}

/// Resolve a source type: `case` is the row to use (whole-map listings), or `None` to pick
/// the first whose condition the values meet.
fn resolve<'m>(
    map: &SourceMap,
    ty: &'m SourceType,
    mut values: Values,
    case: Option<&'m SourceCase>,
) -> Resolved<'m> {
    values.fill(&ty.defaults, false);
    values.indication = ty.indication.clone();
    let mut notes = vec![ty.notes.clone()];
    let case = case.or_else(|| ty.cases.iter().find(|c| values.matches(&c.when)));
    let (dms, label, lossy, doc) = match case {
        Some(c) => {
            values.fill(&c.set, true);
            notes.push(c.notes.clone());
            (
                c.dms.as_deref(),
                Some(c.label.clone()),
                ty.lossy || c.lossy,
                c.doc.as_ref().or(ty.doc.as_ref()),
            )
        }
        None => (ty.dms.as_deref(), None, ty.lossy, ty.doc.as_ref()),
    };
    values.fill(&ty.set, true);
    Resolved {
        label,
        dms,
        values,
        lossy,
        notes,
        doc: doc_url(doc.unwrap_or(&map.doc)),
    }
}

/// `NUMERIC(10,2)`, `WSTRING(250)`, `DATETIME(6)`: a DMS type with the parameters it keeps.
fn dms_display(dms: &str, v: &Values) -> String {
    let args: Vec<String> = match dms {
        "NUMERIC" => [v.precision, v.scale]
            .into_iter()
            .map_while(|x| x.map(Val::text))
            .collect(),
        "STRING" | "WSTRING" | "BYTES" => v.length.map(Val::text).into_iter().collect(),
        "DATETIME" | "TIME" => v.scale.map(Val::text).into_iter().collect(),
        _ => Vec::new(),
    };
    if args.is_empty() {
        dms.to_string()
    } else {
        format!("{dms}({})", args.join(","))
    }
}

/// Fill `{precision}`, `{scale}`, `{length}`; a parenthesis holding an unknown value is left
/// out (`VARCHAR({length})` without a length is `VARCHAR`).
fn fill_template(template: &str, v: &Values) -> String {
    let value = |name: &str| match name {
        "precision" => v.precision,
        "scale" => v.scale,
        "length" => v.length,
        _ => None,
    };
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('(') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find(')').map(|c| open + c) else {
            break;
        };
        let inner = &rest[open + 1..close];
        let mut filled = String::new();
        let mut known = true;
        let mut s = inner;
        while let Some(start) = s.find('{') {
            filled.push_str(&s[..start]);
            let Some(end) = s[start..].find('}').map(|e| start + e) else {
                break;
            };
            match value(&s[start + 1..end]) {
                Some(val) => filled.push_str(&val.text()),
                None => known = false,
            }
            s = &s[end + 1..];
        }
        filled.push_str(s);
        if known {
            out.push('(');
            out.push_str(&filled);
            out.push(')');
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out.trim_end().to_string()
}

fn join_notes(notes: &[String]) -> String {
    notes
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

impl TypeMaps {
    /// Parse and validate type maps from JSON text.
    pub fn from_json(text: &str) -> Result<TypeMaps, CatalogError> {
        let maps: TypeMaps = serde_json::from_str(text).map_err(|e| CatalogError {
            entry: format!("types: line {} column {}", e.line(), e.column()),
            reason: e.to_string(),
        })?;
        maps.validate()?;
        Ok(maps)
    }

    /// The maps compiled into the binary, parsed and validated once per process.
    pub fn embedded() -> Result<&'static TypeMaps, CatalogError> {
        static MAPS: std::sync::OnceLock<Result<TypeMaps, CatalogError>> =
            std::sync::OnceLock::new();
        MAPS.get_or_init(|| TypeMaps::from_json(EMBEDDED))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The source map an engine reads through.
    pub fn source_map(&self, engine: &str) -> Option<&SourceMap> {
        self.sources
            .iter()
            .find(|m| m.engines.iter().any(|e| e == engine))
    }

    /// The target map an engine writes through.
    pub fn target_map(&self, engine: &str) -> Option<&TargetMap> {
        self.targets
            .iter()
            .find(|m| m.engines.iter().any(|e| e == engine))
    }

    /// Check every invariant; the error names the entry.
    pub fn validate(&self) -> Result<(), CatalogError> {
        let fail = |entry: String, reason: String| Err(CatalogError { entry, reason });
        if self.as_of.len() != 10 || self.as_of.as_bytes().get(4) != Some(&b'-') {
            return fail(
                "types: as_of".into(),
                format!("`{}` is not a date", self.as_of),
            );
        }
        doc_ok("types: dms_types_doc", &self.dms_types_doc)?;
        let known: BTreeSet<&str> = self.dms_types.iter().map(String::as_str).collect();
        let check_dms = |entry: &str, dms: Option<&str>| match dms {
            Some(d) if !known.contains(d) => Err(CatalogError {
                entry: entry.to_string(),
                reason: format!("`{d}` is not a DMS data type"),
            }),
            _ => Ok(()),
        };
        let mut engines = BTreeSet::new();
        for m in &self.sources {
            let entry = format!("types: source map `{}`", m.family.as_str());
            doc_ok(&entry, &m.doc)?;
            for e in &m.engines {
                if !engines.insert(e.clone()) {
                    return fail(entry, format!("engine `{e}` is in two source maps"));
                }
            }
            let mut names = BTreeSet::new();
            for t in &m.types {
                let entry = format!("{entry}: type `{}`", t.name);
                for n in std::iter::once(&t.name).chain(&t.aliases) {
                    if !names.insert(normalize_name(n)) {
                        return fail(entry, format!("name `{n}` is listed twice"));
                    }
                }
                check_dms(&entry, t.dms.as_deref())?;
                if let Some(d) = &t.doc {
                    doc_ok(&entry, d)?;
                }
                for c in &t.cases {
                    check_dms(&entry, c.dms.as_deref())?;
                    if let Some(d) = &c.doc {
                        doc_ok(&entry, d)?;
                    }
                }
                if t.dms.is_none() && t.notes.trim().is_empty() {
                    return fail(entry, "an unsupported type needs notes saying so".into());
                }
            }
        }
        let mut engines = BTreeSet::new();
        for m in &self.targets {
            let entry = format!("types: target map `{}`", m.family.as_str());
            doc_ok(&entry, &m.doc)?;
            for e in &m.engines {
                if !engines.insert(e.clone()) {
                    return fail(entry, format!("engine `{e}` is in two target maps"));
                }
            }
            for d in &self.dms_types {
                let n = m.types.iter().filter(|t| &t.dms == d).count();
                if n != 1 {
                    return fail(entry, format!("DMS type `{d}` has {n} entries, not one"));
                }
            }
            for t in &m.types {
                let entry = format!("{entry}: `{}`", t.dms);
                check_dms(&entry, Some(&t.dms))?;
                if let Some(d) = &t.doc {
                    doc_ok(&entry, d)?;
                }
                for template in std::iter::once(&t.target).chain(t.cases.iter().map(|c| &c.target))
                {
                    check_template(&entry, template)?;
                }
            }
        }
        Ok(())
    }

    /// The whole map for a pair, one row per source type or case; `None` when dmsplan has
    /// no map for one of the ends.
    pub fn pair_rows(&self, source: &Engine, target: &Engine) -> Option<Vec<TypeRow>> {
        let smap = self.source_map(&source.id)?;
        let tmap = self.target_map(&target.id)?;
        let same = source.family == target.family;
        let mut rows = Vec::new();
        for ty in &smap.types {
            let variants: Vec<(Values, Option<&SourceCase>)> = if ty.cases.is_empty() {
                vec![(ty.symbolic(), None)]
            } else {
                ty.cases
                    .iter()
                    .map(|c| {
                        let mut v = if c.when.bare == Some(true) {
                            Values {
                                bare: true,
                                ..Values::default()
                            }
                        } else {
                            ty.symbolic()
                        };
                        v.max = c.when.max == Some(true);
                        v.pin(&c.when);
                        (v, Some(c))
                    })
                    .collect()
            };
            for (values, case) in variants {
                let r = resolve(smap, ty, values, case);
                let label = r.label.clone().unwrap_or_else(|| ty.name.clone());
                let same_type = same.then(|| same_family_type(ty, &ty.name));
                rows.push(finish(tmap, r, label, same_type));
            }
        }
        Some(rows)
    }

    /// One type as a user writes it, mapped for a pair; `None` when dmsplan has no map.
    pub fn lookup(&self, source: &Engine, target: &Engine, typed: &str) -> Option<TypeRow> {
        let smap = self.source_map(&source.id)?;
        let tmap = self.target_map(&target.id)?;
        let written = typed.trim().to_string();
        let unknown = |why: String| TypeRow {
            source_type: written.clone(),
            dms_type: None,
            target_type: None,
            supported: false,
            lossy: false,
            notes: why,
            doc: doc_url(&smap.doc),
        };
        let parsed = match parse_type(typed) {
            Ok(p) => p,
            Err(e) => return Some(unknown(format!("{e}: not a data type dmsplan can read"))),
        };
        let Some(ty) = smap.types.iter().find(|t| t.matches_name(&parsed.name)) else {
            return Some(unknown(format!(
                "`{}` is not on the DMS page of {} source data types: DMS may not migrate it; check the page and test one table",
                parsed.name, source.name
            )));
        };
        let r = resolve(smap, ty, ty.values_from(&parsed), None);
        let same = source.family == target.family;
        let same_type = same.then(|| same_family_type(ty, &written));
        Some(finish(tmap, r, written, same_type))
    }

    /// The answer of `dmsplan types`: the whole map, or one type.
    pub fn report(&self, source: &Engine, target: &Engine, one: Option<&str>) -> TypeReport {
        let rows = match one {
            Some(t) => self.lookup(source, target, t).map(|r| vec![r]),
            None => self.pair_rows(source, target),
        };
        let note = match (
            &rows,
            self.source_map(&source.id),
            self.target_map(&target.id),
        ) {
            (Some(_), Some(s), Some(t)) => {
                if source.family == target.family {
                    Some(format!("{}.", s.same_family_note))
                } else {
                    t.note.clone()
                }
            }
            (_, None, _) => Some(format!(
                "dmsplan has no data type map for {} as a source: the DMS source pages it holds are Oracle, SQL Server, MySQL and MariaDB, PostgreSQL, Db2 LUW and SAP ASE",
                source.name
            )),
            (_, _, None) => Some(format!(
                "dmsplan has no data type map for {} as a target: DMS writes to it by mapping rules and its own value format, see {}",
                target.name,
                target
                    .target
                    .as_ref()
                    .map_or_else(|| doc_url("CHAP_Target.html"), |t| doc_url(&t.doc))
            )),
            _ => None,
        };
        TypeReport {
            source: source.id.clone(),
            target: target.id.clone(),
            types: rows.unwrap_or_default(),
            note,
        }
    }
}

/// Within one family DMS creates the source's own type, except where the page names another
/// (Oracle `LONG` lands as `CLOB`); only such a change can lose anything.
fn same_family_type(ty: &SourceType, written: &str) -> (String, bool) {
    match &ty.same_family {
        Some(other) if normalize_name(other) != normalize_name(&ty.name) => {
            (other.clone(), ty.lossy)
        }
        _ => (written.to_string(), false),
    }
}

/// Carry a resolved source type to the target; `same` is the type and loss within one family.
fn finish(
    tmap: &TargetMap,
    r: Resolved<'_>,
    label: String,
    same: Option<(String, bool)>,
) -> TypeRow {
    let Some(dms) = r.dms else {
        return TypeRow {
            source_type: label,
            dms_type: None,
            target_type: None,
            supported: false,
            lossy: false,
            notes: join_notes(&r.notes),
            doc: r.doc,
        };
    };
    let dms_type = Some(dms_display(dms, &r.values));
    if let Some((same_type, same_lossy)) = same {
        return TypeRow {
            source_type: label,
            dms_type,
            target_type: Some(same_type),
            supported: true,
            lossy: same_lossy,
            notes: join_notes(&r.notes),
            doc: r.doc,
        };
    }
    let mut notes = r.notes.clone();
    let mut lossy = r.lossy;
    let mut doc = r.doc.clone();
    // Every target map has every DMS type (validated), so this finds one.
    let target_type = tmap.types.iter().find(|t| t.dms == dms).map(|t| {
        notes.push(t.notes.clone());
        let case = t.cases.iter().find(|c| r.values.matches(&c.when));
        let (template, case_lossy) = match case {
            Some(c) => {
                notes.push(c.notes.clone());
                (c.target.as_str(), c.lossy)
            }
            None => (t.target.as_str(), false),
        };
        let target_lossy = t.lossy || case_lossy;
        if target_lossy && !r.lossy {
            doc = doc_url(t.doc.as_deref().unwrap_or(&tmap.doc));
        }
        lossy |= target_lossy;
        fill_template(template, &r.values)
    });
    TypeRow {
        source_type: label,
        dms_type,
        target_type,
        supported: true,
        lossy,
        notes: join_notes(&notes),
        doc,
    }
}

fn doc_ok(entry: &str, doc: &str) -> Result<(), CatalogError> {
    let ok = doc.starts_with("https://docs.aws.amazon.com/")
        || (doc.contains(".html") && !doc.contains(char::is_whitespace) && !doc.contains('/'));
    if ok {
        Ok(())
    } else {
        Err(CatalogError {
            entry: entry.to_string(),
            reason: format!("doc `{doc}` is neither a user guide page (`X.html`) nor a URL"),
        })
    }
}

fn check_template(entry: &str, template: &str) -> Result<(), CatalogError> {
    let mut depth = 0i32;
    let mut rest = template;
    while let Some(i) = rest.find(['(', ')', '{']) {
        match rest.as_bytes()[i] {
            b'(' => depth += 1,
            b')' => depth -= 1,
            _ => {
                let end = rest[i..].find('}').map(|e| i + e);
                let name = end.map(|e| &rest[i + 1..e]);
                let ok = depth == 1 && matches!(name, Some("precision" | "scale" | "length"));
                if !ok {
                    return Err(CatalogError {
                        entry: entry.to_string(),
                        reason: format!(
                            "template `{template}`: only {{precision}}, {{scale}} and {{length}}, inside parentheses"
                        ),
                    });
                }
            }
        }
        rest = &rest[i + 1..];
    }
    Ok(())
}

/// The report as a text table: one line per type, notes indented below.
pub fn to_text(report: &TypeReport, source_name: &str, target_name: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Data types from {source_name} to {target_name}");
    if let Some(note) = &report.note {
        let _ = writeln!(out, "{note}");
    }
    if report.types.is_empty() {
        return out;
    }
    out.push('\n');
    let cell = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".to_string());
    let rows: Vec<[String; 4]> = report
        .types
        .iter()
        .map(|r| {
            let status = if !r.supported {
                "NOT MIGRATED"
            } else if r.lossy {
                "lossy"
            } else {
                "ok"
            };
            [
                r.source_type.clone(),
                cell(&r.dms_type),
                cell(&r.target_type),
                status.to_string(),
            ]
        })
        .collect();
    let header = ["SOURCE TYPE", "DMS TYPE", "TARGET TYPE", "STATUS"];
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain(std::iter::once(header[i].len()))
            .max()
            .unwrap_or(0)
    };
    let w = [width(0), width(1), width(2)];
    let line = |c: &[String; 4]| {
        format!(
            "{:<w0$}  {:<w1$}  {:<w2$}  {}\n",
            c[0],
            c[1],
            c[2],
            c[3],
            w0 = w[0],
            w1 = w[1],
            w2 = w[2]
        )
    };
    out.push_str(&line(&header.map(String::from)));
    for (row, r) in rows.iter().zip(&report.types) {
        out.push_str(&line(row));
        if !r.notes.is_empty() && (r.lossy || !r.supported || report.types.len() == 1) {
            let _ = writeln!(out, "    {}", r.notes);
        }
    }
    if report.types.len() == 1 {
        let _ = writeln!(out, "    {}", report.types[0].doc);
    } else {
        out.push_str("\nNotes are shown for lossy and unmigrated types; `--json` has them all.\n");
    }
    out
}

#[cfg(test)]
mod tests;
