//! Human-readable text for `check` and `engines`. Pure: builds strings, prints nothing.
//!
//! Colour is a parameter; `commands.rs` decides it (a terminal, and no `NO_COLOR`).

use std::fmt::Write as _;

use crate::assess::{Assessment, Finding, Verdict};
use crate::catalog::{
    Catalog, Engine, EngineVersion, Range, Role, RoleSpec, Severity, When, doc_url,
};

/// Whether to use ANSI colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Colour on.
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }
    fn severity(self, s: Severity) -> String {
        let (code, label) = match s {
            Severity::Blocker => ("1;31", "blocker"),
            Severity::Warning => ("33", "warning"),
            Severity::Info => ("36", "info   "),
        };
        self.paint(code, label)
    }
}

fn endpoint_line(v: &crate::assess::EndpointView) -> String {
    let mut s = v.name.clone();
    if let Some(ver) = &v.version {
        s.push(' ');
        s.push_str(ver);
    }
    let mut extra = Vec::new();
    if let Some(e) = &v.edition_name {
        extra.push(e.clone());
    }
    extra.push(format!("on {}", v.hosting));
    format!("{s} ({}) [{}]", extra.join(", "), v.engine)
}

/// The text `dmsplan check` prints.
pub fn assessment(a: &Assessment, style: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "source          {}", endpoint_line(&a.source));
    let _ = writeln!(out, "target          {}", endpoint_line(&a.target));
    let _ = writeln!(
        out,
        "classification  {}: {}",
        style.bold(a.classification.as_str()),
        a.classification_detail
    );
    if a.schema_conversion {
        let tools = if a.schema_conversion_tools.is_empty() {
            "no AWS tool for this pair".to_string()
        } else {
            a.schema_conversion_tools
                .iter()
                .map(|t| t.name.clone())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(out, "schema          conversion needed: {tools}");
    }
    let blockers = a.findings_of(Severity::Blocker).count();
    let warnings = a.findings_of(Severity::Warning).count();
    let verdict = match a.verdict {
        Verdict::Supported => style.paint("1;32", "supported"),
        Verdict::SupportedWithWarnings => format!(
            "{} with {warnings} warning{}",
            style.paint("1;32", "supported"),
            plural(warnings)
        ),
        Verdict::Unsupported => format!(
            "{}: {blockers} blocker{}",
            style.paint("1;31", "not supported"),
            plural(blockers)
        ),
    };
    let _ = writeln!(out, "DMS support     {verdict}");
    let cdc = match (a.cdc_supported, a.cdc_requested) {
        (true, true) => format!(
            "available and planned: {}",
            a.cdc_method.as_deref().unwrap_or("")
        ),
        (true, false) => format!(
            "available, not asked for (pass --cdc for ongoing replication): {}",
            a.cdc_method.as_deref().unwrap_or("")
        ),
        (false, true) => "asked for, but not available (see blockers)".to_string(),
        (false, false) => "not available: full load only".to_string(),
    };
    let _ = writeln!(out, "CDC             {cdc}");
    let _ = writeln!(out, "migration type  {}", a.migration_type.as_str());
    if let Some(v) = &a.min_dms_version {
        let _ = writeln!(out, "DMS engine      {v} or later");
    }
    if !a.findings.is_empty() {
        let _ = writeln!(out, "\n{}", style.bold("Findings"));
        for f in &a.findings {
            finding(&mut out, f, style);
        }
    }
    for (role, title) in [
        (Role::Source, "Source prerequisites"),
        (Role::Target, "Target prerequisites"),
    ] {
        let steps: Vec<_> = a.prerequisites.iter().filter(|p| p.role == role).collect();
        if steps.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{}", style.bold(title));
        for (i, p) in steps.iter().enumerate() {
            let why = if p.when == When::Cdc { ", for CDC" } else { "" };
            let _ = writeln!(out, "{:>3}. {} [{}{why}]", i + 1, p.title, p.id);
            if let Some(check) = &p.check {
                block(&mut out, "check", check);
            }
            block(&mut out, "do", &p.action);
            let _ = writeln!(out, "       doc:   {}", p.doc);
        }
    }
    let _ = writeln!(out, "\ncatalog as of {}", a.catalog_as_of);
    out
}

/// The sizing part of `dmsplan check`, when size and downtime were given.
pub fn estimate(
    e: &crate::estimate::Estimate,
    view: &crate::evaluate::SizingView,
    defaulted: &[crate::evaluate::Defaulted],
    style: Style,
) -> String {
    use crate::estimate::hours;
    let mut out = String::new();
    let _ = writeln!(out, "\n{}", style.bold("Sizing"));
    let _ = writeln!(
        out,
        "  full load       {} (optimistic) to {} (expected)",
        hours(e.full_load_hours.low),
        hours(e.full_load_hours.high)
    );
    let _ = writeln!(
        out,
        "  throughput      {:.0} GB/h effective (network {:.0} GB/h over {}, instance {:.0} GB/h)",
        e.effective_gb_per_hour, e.network_gb_per_hour, view.network, e.instance_gb_per_hour
    );
    let _ = writeln!(out, "  CDC decision    {}", e.cdc_reason);
    let _ = writeln!(out, "  cutover window  {}", hours(e.cutover_hours));
    let ri = &e.replication_instance;
    let _ = writeln!(
        out,
        "  instance        {}, {} GB, {}",
        ri.class,
        ri.allocated_storage_gb,
        if ri.multi_az { "Multi-AZ" } else { "Single-AZ" }
    );
    for r in &ri.reasons {
        let _ = writeln!(out, "                  - {r}");
    }
    if let Some(s) = &e.serverless {
        let _ = writeln!(
            out,
            "  serverless      {} to {} DCU (DMS Serverless alternative)",
            s.min_capacity_units, s.max_capacity_units
        );
    }
    if let Some(h) = e.log_retention_hours {
        let _ = writeln!(
            out,
            "  log retention   at least {h} hours of change logs on the source"
        );
    }
    if !defaulted.is_empty() {
        let _ = writeln!(out, "  assumed         (pass the flag to change)");
        for d in defaulted {
            let _ = writeln!(out, "                  {} {}: {}", d.flag, d.value, d.why);
        }
    }
    out
}

fn block(out: &mut String, label: &str, text: &str) {
    for (i, line) in text.lines().enumerate() {
        let head = if i == 0 {
            format!("{label}:")
        } else {
            String::new()
        };
        let _ = writeln!(out, "       {head:<6} {line}");
    }
}

fn finding(out: &mut String, f: &Finding, style: Style) {
    let _ = writeln!(
        out,
        "  {}  {} [{}]",
        style.severity(f.severity),
        f.message,
        f.id
    );
    if let Some(fix) = &f.fix {
        let _ = writeln!(out, "           fix: {fix}");
    }
    let _ = writeln!(out, "           doc: {}", f.doc);
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The versions of a role, merged across hostings and sorted, as text.
pub fn versions_summary(spec: &RoleSpec) -> String {
    if spec.versions.is_empty() {
        return "-".to_string();
    }
    let mut ranges: Vec<Range> = Vec::new();
    for span in &spec.versions {
        let r = span.range();
        if !ranges.contains(&r) {
            ranges.push(r);
        }
    }
    ranges.sort_by(|a, b| a.min.cmp(&b.min).then(a.max.cmp(&b.max)));
    // Drop ranges wholly inside another (an RDS list within the self-managed one).
    let all = ranges.clone();
    ranges.retain(|r| {
        !all.iter()
            .any(|o| o != r && o.contains(&r.min) && contains_max(o, &r.max))
    });
    ranges
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn contains_max(outer: &Range, max: &EngineVersion) -> bool {
    max.truncated(outer.max.precision()) <= outer.max
}

/// The table `dmsplan engines` prints.
pub fn engine_list(catalog: &Catalog, role: Option<Role>, style: Style) -> String {
    let mut out = String::new();
    let rows: Vec<[String; 5]> = catalog
        .engines
        .iter()
        .filter(|e| role.is_none_or(|r| e.role(r).is_some()))
        .map(|e| {
            [
                e.id.clone(),
                e.name.clone(),
                e.source.as_ref().map_or("-".into(), versions_summary),
                e.target.as_ref().map_or("-".into(), versions_summary),
                e.aliases.join(", "),
            ]
        })
        .collect();
    let head = ["ID", "NAME", "AS SOURCE", "AS TARGET", "ALIASES"];
    let widths: Vec<usize> = (0..4)
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([head[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String; 5]| {
        let mut s = String::new();
        for (i, w) in widths.iter().enumerate() {
            let _ = write!(s, "{:<w$}  ", cells[i], w = w);
        }
        s.push_str(&cells[4]);
        s.trim_end().to_string()
    };
    let header = head.map(String::from);
    let _ = writeln!(out, "{}", style.bold(&line(&header)));
    for r in &rows {
        let _ = writeln!(out, "{}", line(r));
    }
    let _ = writeln!(
        out,
        "\n{} engines; catalog as of {}. `dmsplan engines ID` shows one in full.",
        rows.len(),
        catalog.as_of
    );
    out
}

/// The full text of one engine for `dmsplan engines ENGINE`.
pub fn engine_detail(catalog: &Catalog, e: &Engine, style: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} [{}]", style.bold(&e.name), e.id);
    let _ = writeln!(out, "family {}, {}", e.family.as_str(), e.kind.as_str());
    if !e.aliases.is_empty() {
        let _ = writeln!(out, "aliases: {}", e.aliases.join(", "));
    }
    for role in [Role::Source, Role::Target] {
        let title = match role {
            Role::Source => "As a source",
            Role::Target => "As a target",
        };
        let Some(spec) = e.role(role) else {
            let _ = writeln!(out, "\n{}: not supported by DMS", style.bold(title));
            continue;
        };
        let _ = writeln!(out, "\n{}  {}", style.bold(title), doc_url(&spec.doc));
        let hostings: Vec<String> = spec
            .hostings
            .iter()
            .enumerate()
            .map(|(i, h)| {
                if role == Role::Target && i == 0 {
                    format!("{h} (default)")
                } else {
                    h.to_string()
                }
            })
            .collect();
        let _ = writeln!(out, "  hosting      {}", hostings.join(", "));
        if !spec.versions.is_empty() {
            let _ = writeln!(out, "  versions");
            for v in &spec.versions {
                let mut notes = Vec::new();
                if let Some(h) = &v.hostings {
                    notes.push(format!(
                        "on {}",
                        h.iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                if !v.cdc {
                    notes.push("full load only".to_string());
                }
                if let Some(d) = &v.min_dms {
                    notes.push(format!("DMS {d}+"));
                }
                if let Some(n) = &v.note {
                    notes.push(n.clone());
                }
                let notes = if notes.is_empty() {
                    String::new()
                } else {
                    format!("  ({})", notes.join("; "))
                };
                let _ = writeln!(out, "    {}{notes}", v.range());
            }
        }
        if !spec.editions.is_empty() {
            let _ = writeln!(out, "  editions (--{role}-edition)");
            for ed in &spec.editions {
                let answer = if !ed.supported {
                    "not supported".to_string()
                } else if !ed.cdc {
                    "full load only".to_string()
                } else if let Some(r) = &ed.cdc_versions {
                    format!(
                        "full load; CDC in {}",
                        r.iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                } else {
                    "full load and CDC".to_string()
                };
                let default = if spec.default_edition.as_deref() == Some(ed.id.as_str()) {
                    " (default)"
                } else {
                    ""
                };
                let mut names = vec![ed.id.clone()];
                for a in &ed.aliases {
                    if !names.contains(a) {
                        names.push(a.clone());
                    }
                }
                let _ = writeln!(
                    out,
                    "    {:<18} {}{default}: {answer}; accepts {}",
                    ed.id,
                    ed.name,
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                if let Some(n) = &ed.note {
                    let _ = writeln!(out, "    {:<18} {n}", "");
                }
            }
        }
        let cdc = if spec.cdc.supported {
            spec.cdc.method.clone()
        } else {
            "not supported: full load only".to_string()
        };
        let _ = writeln!(out, "  CDC          {cdc}");
        if let Some(fams) = &spec.allowed_source_families {
            let list: Vec<String> = fams.iter().map(|f| f.as_str().to_string()).collect();
            let _ = writeln!(
                out,
                "  sources      only from the {} family",
                list.join(", ")
            );
        }
        if !spec.ssl_modes.is_empty() {
            let _ = writeln!(out, "  SSL modes    {}", spec.ssl_modes.join(", "));
        }
        if !spec.limitations.is_empty() {
            let _ = writeln!(out, "  limitations");
            for l in &spec.limitations {
                let when = if l.when == When::Cdc { " (CDC)" } else { "" };
                let _ = writeln!(out, "    - {}{when} [{}]", l.text, l.id);
            }
        }
        let prereqs: Vec<_> = catalog.prerequisites_for(&e.id, role).collect();
        if !prereqs.is_empty() {
            let _ = writeln!(out, "  prerequisites");
            for p in prereqs {
                let when = if p.when == When::Cdc { "CDC" } else { "always" };
                let on = p
                    .hostings
                    .as_ref()
                    .map(|h| {
                        format!(
                            ", on {}",
                            h.iter()
                                .map(ToString::to_string)
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    })
                    .unwrap_or_default();
                let _ = writeln!(out, "    - {} [{}; {when}{on}]", p.title, p.id);
            }
        }
    }
    let _ = writeln!(out, "\ncatalog as of {}", catalog.as_of);
    out
}
