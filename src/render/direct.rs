//! A direct renderer for the part of handlebars the runbook templates use: text, `{{path}}`,
//! `{{{path}}}`, `{{#if}}`, `{{#unless}}`, `{{#each}}` over lists (with `@index`, `@first`,
//! `@last`), `{{> partial}}`, `{{> partial value}}`, and the `indent`, `prose` and `section`
//! helpers. It walks the templates handlebars parsed and writes into one buffer, with none of
//! the per-expression allocation and hashing of handlebars' general renderer, which made
//! rendering most of the cost of `dmsplan batch`.
//!
//! Whatever it does not handle exactly as handlebars does (another helper, `../`, `@root`, a
//! missing value, a list where text is expected) ends it with [`Unsupported`], and the caller
//! renders with handlebars instead, so a team's override template and every error message
//! behave as before. Tests render every example both ways and compare.

use std::borrow::Cow;

use handlebars::template::{DecoratorTemplate, HelperTemplate, Parameter, TemplateElement};
use handlebars::{Handlebars, JsonValue, Path, PathSeg, Template};

use super::tree::Node;

use super::markdown;
use super::memo::Memo;

/// Something this renderer leaves to handlebars.
#[derive(Debug)]
pub struct Unsupported;

type Done = Result<(), Unsupported>;

/// The value `this` stands for and the locals of the innermost `each`.
#[derive(Clone, Copy)]
struct Scope<'v> {
    this: &'v Node,
    item: Option<Item>,
}

/// `@index`, `@first`, `@last` of an `each` item.
#[derive(Clone, Copy)]
struct Item {
    index: usize,
    len: usize,
}

/// Render template `name` with `data` as its context.
pub fn render(
    hb: &Handlebars<'_>,
    memo: Option<&Memo>,
    name: &str,
    data: &Node,
) -> Result<String, Unsupported> {
    let mut out = String::with_capacity(64 * 1024);
    render_into(hb, memo, name, data, &mut out)?;
    Ok(out)
}

/// [`render`], appending to `out` (a buffer the caller reuses from plan to plan).
pub fn render_into(
    hb: &Handlebars<'_>,
    memo: Option<&Memo>,
    name: &str,
    data: &Node,
    out: &mut String,
) -> Result<(), Unsupported> {
    let r = Direct {
        hb,
        memo,
        root: data,
    };
    r.named(
        name,
        Scope {
            this: data,
            item: None,
        },
        out,
    )
}

struct Direct<'a, 'r> {
    hb: &'a Handlebars<'r>,
    memo: Option<&'a Memo>,
    root: &'a Node,
}

impl Direct<'_, '_> {
    fn named(&self, name: &str, scope: Scope<'_>, out: &mut String) -> Done {
        let t = self.hb.get_template(name).ok_or(Unsupported)?;
        self.template(t, scope, out)
    }

    fn template(&self, t: &Template, scope: Scope<'_>, out: &mut String) -> Done {
        t.elements
            .iter()
            .try_for_each(|e| self.element(e, scope, out))
    }

    fn element(&self, e: &TemplateElement, scope: Scope<'_>, out: &mut String) -> Done {
        match e {
            TemplateElement::RawString(s) => {
                out.push_str(s);
                Ok(())
            }
            TemplateElement::Comment(_) => Ok(()),
            TemplateElement::Expression(h) => self.expression(h, scope, true, out),
            TemplateElement::HtmlExpression(h) => self.expression(h, scope, false, out),
            TemplateElement::HelperBlock(h) => self.block(h, scope, out),
            TemplateElement::PartialExpression(d) => self.partial(d, scope, out),
            _ => Err(Unsupported),
        }
    }

    fn expression(
        &self,
        h: &HelperTemplate,
        scope: Scope<'_>,
        escape: bool,
        out: &mut String,
    ) -> Done {
        if h.template.is_some() || !h.hash.is_empty() || h.block_param.is_some() {
            return Err(Unsupported);
        }
        let name = h.name.as_name().ok_or(Unsupported)?;
        match h.params.as_slice() {
            [] => {
                if super::memo::HELPER_NAMES.contains(&name) {
                    return Err(Unsupported);
                }
                let value = self.value(&h.name, scope)?;
                let text = match value.json() {
                    Node::String(s) => s.as_str(),
                    Node::Null => "",
                    Node::Bool(true) => "true",
                    Node::Bool(false) => "false",
                    Node::Number(n) => {
                        push(out, &n.to_string(), escape);
                        return Ok(());
                    }
                    _ => return Err(Unsupported),
                };
                push(out, text, escape);
                Ok(())
            }
            [param] => {
                // Helper output is written as it is, `{{...}}` or `{{{...}}}`.
                match name {
                    "indent" => markdown::indent_into(out, &self.text(param, scope)?, 2),
                    "prose" => markdown::escape_prose_into(out, &self.text(param, scope)?),
                    "section" => self.section(&self.text(param, scope)?, out)?,
                    _ => return Err(Unsupported),
                }
                Ok(())
            }
            _ => Err(Unsupported),
        }
    }

    /// `{{section "name"}}`: the template with the root context, through the memo.
    fn section(&self, name: &str, out: &mut String) -> Done {
        let root = Scope {
            this: self.root,
            item: None,
        };
        match self.memo {
            Some(memo) => memo.section(name, self.root, out, |out| self.named(name, root, out)),
            None => self.named(name, root, out),
        }
    }

    fn block(&self, h: &HelperTemplate, scope: Scope<'_>, out: &mut String) -> Done {
        if !h.hash.is_empty() || h.block_param.is_some() {
            return Err(Unsupported);
        }
        let [param] = h.params.as_slice() else {
            return Err(Unsupported);
        };
        let value = self.value(param, scope)?;
        match h.name.as_name().ok_or(Unsupported)? {
            name @ ("if" | "unless") => {
                let chosen = if truthy(value.json()) == (name == "if") {
                    &h.template
                } else {
                    &h.inverse
                };
                match chosen {
                    Some(t) => self.template(t, scope, out),
                    None => Ok(()),
                }
            }
            "each" => {
                let Some(t) = &h.template else { return Ok(()) };
                match value {
                    Value::Json(Node::List(list)) if !list.is_empty() || h.inverse.is_none() => {
                        for (index, this) in list.iter().enumerate() {
                            let item = Some(Item {
                                index,
                                len: list.len(),
                            });
                            self.template(t, Scope { this, item }, out)?;
                        }
                        Ok(())
                    }
                    Value::Json(Node::List(_) | Node::Null) => match &h.inverse {
                        Some(t) => self.template(t, scope, out),
                        None => Err(Unsupported),
                    },
                    _ => Err(Unsupported),
                }
            }
            _ => Err(Unsupported),
        }
    }

    /// `{{> name}}` keeps the context; `{{> name value}}` renders with `value` as it.
    fn partial(&self, d: &DecoratorTemplate, scope: Scope<'_>, out: &mut String) -> Done {
        if !d.hash.is_empty() || d.template.is_some() {
            return Err(Unsupported);
        }
        // A partial's name is the template's, written bare or as a path.
        let name = match &d.name {
            Parameter::Name(_) | Parameter::Path(_) => d.name.as_name().ok_or(Unsupported)?,
            _ => return Err(Unsupported),
        };
        match d.params.as_slice() {
            [] => self.named(name, scope, out),
            [param] => match self.value(param, scope)? {
                Value::Json(this) => self.named(name, Scope { this, item: None }, out),
                Value::Local(_) => Err(Unsupported),
            },
            _ => Err(Unsupported),
        }
    }

    /// A parameter's text, as the helpers read it: a string as it is, null as nothing,
    /// anything else as JSON.
    fn text<'v>(&self, p: &'v Parameter, scope: Scope<'v>) -> Result<Cow<'v, str>, Unsupported> {
        if let Parameter::Literal(JsonValue::String(s)) = p {
            return Ok(Cow::Borrowed(s));
        }
        let value = self.value(p, scope)?;
        if let Value::Json(Node::String(s)) = value {
            return Ok(Cow::Borrowed(s));
        }
        Ok(match value.json() {
            Node::String(s) => Cow::Owned(s.clone()),
            Node::Null => Cow::Borrowed(""),
            Node::Bool(b) => Cow::Owned(b.to_string()),
            Node::Number(n) => Cow::Owned(n.to_string()),
            // A list or map as text (JSON in handlebars' order) is left to handlebars.
            Node::List(_) | Node::Map(_) | Node::Shared(_) => return Err(Unsupported),
        })
    }

    /// The value a parameter names; a missing one is left to handlebars (strict mode fails).
    fn value<'v>(&self, p: &'v Parameter, scope: Scope<'v>) -> Result<Value<'v>, Unsupported> {
        // A shared subtree is read as the value it holds.
        let json = |v: &'v Node| Value::Json(v.resolved());
        match p {
            Parameter::Name(n) => lookup(scope.this, n).map(json).ok_or(Unsupported),
            Parameter::Path(Path::Relative((segs, raw))) => {
                // Plain names (`a.b`, `a.[0]`) are followed as handlebars parsed them;
                // `this`, `../` and `@root` go by the written path.
                match follow(scope.this, segs) {
                    Some(found) => found.map(json).ok_or(Unsupported),
                    None => lookup(scope.this, raw).map(json).ok_or(Unsupported),
                }
            }
            Parameter::Path(Path::Local((0, name, _))) => {
                let item = scope.item.ok_or(Unsupported)?;
                Ok(Value::Local(match name.as_str() {
                    "index" => Node::Number(item.index.into()),
                    "first" => Node::Bool(item.index == 0),
                    "last" => Node::Bool(item.index + 1 == item.len),
                    _ => return Err(Unsupported),
                }))
            }
            _ => Err(Unsupported),
        }
    }
}

/// A value from the context, or a block local made on the spot.
enum Value<'v> {
    Json(&'v Node),
    Local(Node),
}

impl Value<'_> {
    fn json(&self) -> &Node {
        match self {
            Value::Json(v) => v,
            Value::Local(v) => v,
        }
    }
}

/// Follow the parsed segments of a path made of names only; `None` when it has others
/// (`this`, `..`, `@root`), `Some(None)` when it leads nowhere.
fn follow<'v>(this: &'v Node, segs: &[PathSeg]) -> Option<Option<&'v Node>> {
    if !segs.iter().all(|s| matches!(s, PathSeg::Named(_))) {
        return None;
    }
    let mut value = this;
    for seg in segs {
        if let PathSeg::Named(name) = seg {
            match value.get(name) {
                Some(v) => value = v,
                None => return Some(None),
            }
        }
    }
    Some(Some(value))
}

/// Follow a path (`a.b`, `this`, `this.a`) from `this`; `None` when it leads nowhere or uses
/// what this renderer leaves to handlebars (`../`, `@root`, `[literal]`).
fn lookup<'v>(this: &'v Node, raw: &str) -> Option<&'v Node> {
    super::path_names(raw)?
        .into_iter()
        .try_fold(this, |value, name| value.get(name))
}

/// The truth of `{{#if}}`, as the strict `if` of this crate has it.
fn truthy(v: &Node) -> bool {
    match v.resolved() {
        Node::Null | Node::Bool(false) => false,
        Node::String(s) => !s.is_empty(),
        Node::List(a) => !a.is_empty(),
        Node::Number(n) => n.as_f64() != Some(0.0),
        Node::Bool(true) | Node::Map(_) | Node::Shared(_) => true,
    }
}

fn push(out: &mut String, text: &str, escape: bool) {
    if escape {
        markdown::escape_inline_into(out, text);
    } else {
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each template renders the same directly as with handlebars (strict, escaping, helpers).
    #[test]
    fn renders_as_handlebars_does() {
        let mut r = crate::render::registry(None).unwrap();
        let data = serde_json::json!({
            "a": "x|y_z", "b": "*raw*", "n": 1.5, "i": 3, "t": true, "f": false, "z": null,
            "l": [1, "a|b", true], "e": [], "o": {"x": {"y": "nested"}},
            "s": "line one\n\nline `two|x` _it_", "zero": 0, "empty": "",
            "items": [{"x": "p", "fix": "q"}, {"x": "r", "fix": null}],
        });
        let cases = [
            "{{a}} {{{a}}} {{b}} {{{b}}} {{n}} {{i}} {{t}} {{f}} {{z}}.",
            "{{#each l}}[{{@index}} {{@first}} {{@last}}]{{/each}}",
            "{{#each items}}- {{x}}{{#if fix}} fix {{fix}}{{/if}}\n{{/each}}",
            "{{#each e}}x{{else}}none{{/each}} {{#each z}}x{{else}}null{{/each}}",
            "{{#if zero}}y{{else}}n{{/if}}{{#if empty}}y{{else}}n{{/if}}{{#if e}}y{{else}}n{{/if}}{{#if o}}y{{/if}}{{#unless f}}u{{/unless}}",
            "{{o.x.y}} {{this.a}} {{l.1}}",
            "{{indent s}}|{{{prose s}}}|{{prose n}}|{{indent z}}",
            "  {{#if t}}\n  standalone\n  {{/if}}\n{{! a comment }}end",
            "{{> part l}}/{{> part2}}",
            "{{section \"part2\"}}",
        ];
        r.register_template_string("part", "{{#each this}}<{{this}}>{{/each}}")
            .unwrap();
        r.register_template_string("part2", "{{a}}").unwrap();
        for (i, text) in cases.iter().enumerate() {
            let name = format!("case{i}");
            r.register_template_string(&name, text).unwrap();
            let want = r.hb.render(&name, &data).unwrap();
            let node = super::super::tree::to_node(&data).unwrap();
            let got = render(&r.hb, None, &name, &node).expect(text);
            assert_eq!(got, want, "{text}");
        }
    }

    /// What it does not handle exactly is handed back, never guessed.
    #[test]
    fn hands_back_what_it_does_not_handle() {
        let mut r = crate::render::registry(None).unwrap();
        let data = serde_json::json!({"a": "x", "l": [{"x": 1}], "o": {"k": 1}});
        for text in [
            "{{missing}}",
            "{{#if missing}}x{{/if}}",
            "{{#each l}}{{../a}}{{/each}}",
            "{{@root.a}}",
            "{{l}}",
            "{{o}}",
            "{{#each o}}{{@key}}{{/each}}",
            "{{#each l as |item|}}{{item.x}}{{/each}}",
            "{{lookup o \"k\"}}",
            "{{#with o}}{{k}}{{/with}}",
            "{{section missing}}",
        ] {
            r.register_template_string("t", text).unwrap();
            let node = super::super::tree::to_node(&data).unwrap();
            assert!(render(&r.hb, None, "t", &node).is_err(), "{text}");
        }
    }
}
