//! Rendering the runbook: one handlebars registry (strict, Markdown-escaped, templates
//! embedded and overridable by file name), the helpers, and the text clean-up after.
//!
//! The words of the runbook live in `templates/`; this module builds values and registers
//! templates. Pure but for reading override files from `--templates DIR`.

pub mod context;
pub mod conversion;
pub mod direct;
pub mod markdown;
pub mod memo;
pub mod tree;

use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::sync::Arc;

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext as HbContext,
    RenderErrorReason, Renderable,
};

pub use context::RenderContext;

use crate::error::Error;

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name)))),*]
    };
}

/// Every built-in template: (file name under `templates/`, text). Partials are registered
/// under their file stem (`partials/cdc.md.hbs` is `{{> cdc}}`).
pub const TEMPLATES: &[(&str, &str)] = templates![
    "runbook.md.hbs",
    "partials/summary.md.hbs",
    "partials/findings.md.hbs",
    "partials/prerequisites.md.hbs",
    "partials/source-steps.md.hbs",
    "partials/prerequisites-target.md.hbs",
    "partials/target-steps.md.hbs",
    "partials/prereq-steps.md.hbs",
    "partials/source-oracle.md.hbs",
    "partials/source-sqlserver.md.hbs",
    "partials/source-mysql.md.hbs",
    "partials/source-postgresql.md.hbs",
    "partials/source-mongodb.md.hbs",
    "partials/source-generic.md.hbs",
    "partials/schema.md.hbs",
    "partials/schema-native.md.hbs",
    "partials/schema-types.md.hbs",
    "partials/replication-instance.md.hbs",
    "partials/endpoints.md.hbs",
    "partials/task.md.hbs",
    "partials/premigration-assessment.md.hbs",
    "partials/full-load.md.hbs",
    "partials/cdc.md.hbs",
    "partials/validation.md.hbs",
    "partials/cutover.md.hbs",
    "partials/rollback.md.hbs",
    "partials/cleanup.md.hbs",
    "partials/decisions.md.hbs",
    "partials/method.md.hbs",
    "partials/method-constants.md.hbs",
    "partials/timeline.md.hbs",
];

/// The name a template is registered under: `runbook` or the partial's stem.
pub fn registered_name(file: &str) -> &str {
    let base = file.rsplit('/').next().unwrap_or(file);
    base.strip_suffix(".md.hbs").unwrap_or(base)
}

/// Find a team's override for `file` in `dir`: `dir/<file>` or `dir/<base name>`.
fn override_text(dir: &Path, file: &str) -> Result<Option<String>, Error> {
    let base = file.rsplit('/').next().unwrap_or(file);
    for candidate in [dir.join(file), dir.join(base)] {
        if candidate.is_file() {
            return std::fs::read_to_string(&candidate)
                .map(Some)
                .map_err(|source| Error::Read {
                    path: candidate,
                    source,
                });
        }
    }
    Ok(None)
}

/// Refuse template files in an override directory that replace nothing (a typo would
/// otherwise be ignored silently).
fn check_overrides(dir: &Path) -> Result<(), Error> {
    let known: Vec<&str> = TEMPLATES
        .iter()
        .map(|(f, _)| f.rsplit('/').next().unwrap_or(f))
        .collect();
    let read = |d: &Path| -> Result<Vec<std::path::PathBuf>, Error> {
        let entries = std::fs::read_dir(d).map_err(|source| Error::Read {
            path: d.to_path_buf(),
            source,
        })?;
        Ok(entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
    };
    let mut files = read(dir)?;
    let partials = dir.join("partials");
    if partials.is_dir() {
        files.extend(read(&partials)?);
    }
    for path in files {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if name.ends_with(".hbs") && !known.contains(&name) {
            return Err(Error::InvalidValue {
                field: "--templates".to_string(),
                reason: format!("{} replaces no template", path.display()),
                tip: Some(format!("template file names are: {}", known.join(", "))),
            });
        }
    }
    Ok(())
}

fn template_error(file: &str, e: &handlebars::TemplateError) -> Error {
    Error::Template {
        template: file.to_string(),
        line: e.pos().map(|(l, _)| l),
        reason: format!("{}", e.reason()),
    }
}

fn render_error(e: &handlebars::RenderError) -> Error {
    let template = e
        .template_name
        .as_deref()
        .map(|n| {
            TEMPLATES
                .iter()
                .map(|(f, _)| *f)
                .find(|f| registered_name(f) == n)
                .unwrap_or(n)
                .to_string()
        })
        .unwrap_or_else(|| "runbook.md.hbs".to_string());
    Error::Template {
        template,
        line: e.line_no,
        reason: e.reason().to_string(),
    }
}

/// What renders runbooks: the handlebars registry (strict mode, Markdown escaping, no partial
/// re-indenting, built-in templates overridden by file name), rendered through [`direct`]
/// where it can be, and for batches a [`memo`] of sections.
pub struct Renderer {
    hb: Handlebars<'static>,
    memo: Option<Arc<memo::Memo>>,
    direct: bool,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer")
            .field("memo", &self.memo.is_some())
            .field("direct", &self.direct)
            .finish_non_exhaustive()
    }
}

impl Deref for Renderer {
    type Target = Handlebars<'static>;
    fn deref(&self) -> &Self::Target {
        &self.hb
    }
}

impl DerefMut for Renderer {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.hb
    }
}

impl Renderer {
    /// The same templates rendered by handlebars alone (what [`direct`] is tested against).
    pub fn handlebars_only(mut self) -> Renderer {
        self.direct = false;
        self
    }
}

/// The one renderer, with templates overridden by file name from `overrides`.
pub fn registry(overrides: Option<&Path>) -> Result<Renderer, Error> {
    Ok(Renderer {
        hb: build_registry(overrides)?,
        memo: None,
        direct: true,
    })
}

/// The renderer for many runbooks: as [`registry`], and a section whose values were seen
/// before is not rendered again ([`memo`]).
pub fn registry_memoized(overrides: Option<&Path>) -> Result<Renderer, Error> {
    let memo = Arc::new(memo::Memo::default());
    let hb = build_registry(overrides)?;
    memo.learn(&hb);
    Ok(Renderer {
        hb,
        memo: Some(memo),
        direct: true,
    })
}

fn build_registry(overrides: Option<&Path>) -> Result<Handlebars<'static>, Error> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.set_prevent_indent(true);
    hb.register_escape_fn(markdown::escape_inline);
    if let Some(dir) = overrides {
        if !dir.is_dir() {
            return Err(Error::InvalidValue {
                field: "--templates".to_string(),
                reason: format!("{} is not a directory", dir.display()),
                tip: None,
            });
        }
        check_overrides(dir)?;
    }
    for (file, builtin) in TEMPLATES {
        let text = match overrides {
            Some(dir) => override_text(dir, file)?,
            None => None,
        };
        let text = text.as_deref().unwrap_or(builtin);
        hb.register_template_string(registered_name(file), text)
            .map_err(|e| template_error(file, &e))?;
    }
    hb.register_helper("if", Box::new(StrictIf { positive: true }));
    hb.register_helper("unless", Box::new(StrictIf { positive: false }));
    hb.register_helper("indent", Box::new(indent_helper));
    hb.register_helper("prose", Box::new(prose_helper));
    hb.register_helper("section", Box::new(section_helper));
    Ok(hb)
}

/// `if` / `unless` that fail on a name missing from the context (the built-in ones treat it
/// as false even in strict mode, which would hide a typo).
struct StrictIf {
    positive: bool,
}

impl HelperDef for StrictIf {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut HbContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let name = if self.positive { "if" } else { "unless" };
        let param = h
            .param(0)
            .ok_or(RenderErrorReason::ParamNotFoundForIndex(name, 0))?;
        if param.is_value_missing() {
            return Err(RenderErrorReason::MissingVariable(param.relative_path().cloned()).into());
        }
        let tmpl = if truthy(param.value()) == self.positive {
            h.template()
        } else {
            h.inverse()
        };
        match tmpl {
            Some(t) => t.render(r, ctx, rc, out),
            None => Ok(()),
        }
    }
}

/// A path as written in a template, as [`direct`] and [`memo`] follow it: its names, none for
/// `this`; `None` for what both leave to handlebars (`@data`, `../`, `@root`, `[literal]`).
fn path_names(raw: &str) -> Option<Vec<&str>> {
    if raw.starts_with('@') || raw.contains("..") || raw.contains('[') {
        return None;
    }
    let rest = raw
        .strip_prefix("this.")
        .or_else(|| raw.strip_prefix("this/"))
        .or_else(|| raw.strip_prefix("./"))
        .unwrap_or(raw);
    if rest.is_empty() || rest == "this" || rest == "." {
        return Some(Vec::new());
    }
    Some(rest.split(['.', '/']).collect())
}

/// The truth of `{{#if}}`: null, false, "", [] and 0 are false.
fn truthy(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Null | serde_json::Value::Bool(false) => false,
        serde_json::Value::String(s) => !s.is_empty(),
        serde_json::Value::Array(a) => !a.is_empty(),
        serde_json::Value::Number(n) => n.as_f64() != Some(0.0),
        _ => true,
    }
}

/// The text of a helper's only parameter; a name missing from the context is an error, as
/// strict mode makes it elsewhere.
fn text_param(h: &Helper<'_>, helper: &'static str) -> Result<String, handlebars::RenderError> {
    let param = h
        .param(0)
        .ok_or(RenderErrorReason::ParamNotFoundForIndex(helper, 0))?;
    if param.is_value_missing() {
        return Err(RenderErrorReason::MissingVariable(param.relative_path().cloned()).into());
    }
    Ok(match param.value() {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    })
}

/// `{{{indent block}}}`: the text with every non-empty line indented by two spaces, so a
/// code block stays inside the list item above it.
fn indent_helper(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut HbContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    out.write(&markdown::indent(&text_param(h, "indent")?, 2))?;
    Ok(())
}

/// `{{{prose text}}}`: trusted text (catalog facts, rule messages) escaped for Markdown
/// except its `code spans`.
fn prose_helper(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut HbContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    out.write(&markdown::escape_prose(&text_param(h, "prose")?))?;
    Ok(())
}

/// `{{section "summary"}}`: render a template with the current context. Like `{{> summary}}`,
/// but handlebars' partials copy the whole context on every call (`merge_json`), which made
/// rendering a runbook cost milliseconds; this passes the context by reference. (The direct
/// renderer handles `section` itself; this is for templates it hands back.)
fn section_helper(
    h: &Helper<'_>,
    r: &Handlebars<'_>,
    ctx: &Context,
    _: &mut HbContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let name = text_param(h, "section")?;
    out.write(&r.render_with_context(&name, ctx)?)?;
    Ok(())
}

/// Render the runbook from a context: directly where the templates allow, else (or to
/// report an error exactly) with handlebars.
pub fn runbook(r: &Renderer, ctx: &RenderContext) -> Result<String, Error> {
    thread_local! {
        // The untidied text, reused from runbook to runbook: a fresh 50 KB buffer for each
        // of thousands of plans made the allocator hand pages back and fault them in again.
        static TEXT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    if r.direct {
        let tidied = TEXT.with_borrow_mut(|text| {
            text.clear();
            let data = tree::to_node(ctx).ok()?;
            direct::render_into(&r.hb, r.memo.as_deref(), "runbook", &data, text).ok()?;
            Some(markdown::tidy(text))
        });
        if let Some(tidied) = tidied {
            return Ok(tidied);
        }
    }
    let text = r.hb.render("runbook", ctx).map_err(|e| render_error(&e))?;
    Ok(markdown::tidy(&text))
}

#[cfg(test)]
mod tests;
