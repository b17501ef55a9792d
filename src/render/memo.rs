//! Section memo: a runbook section renders the same text whenever the values it reads are the
//! same, and a batch of thousands of runbooks shares most of them (one source engine's
//! prerequisites, one pair's schema conversion). The reads of each template are found from its
//! parsed form, so an overriding template is memoized as safely as a built-in one: what a
//! template cannot be shown to read (`@root`, `../`, a helper this module does not know, a
//! partial or section chosen at render time) makes it never memoized.

use std::collections::BTreeSet;
use std::hash::Hasher as _;
use std::sync::{Arc, Mutex, OnceLock};

use handlebars::template::{DecoratorTemplate, HelperTemplate, Parameter, TemplateElement};
use handlebars::{Handlebars, JsonValue, Path, Template};

use super::tree::Node;
use crate::fxhash::{FxHasher, FxMap};

/// A path of the root context: its segments (`["estimate", "sizing", "lob"]`).
type ReadPath = Vec<String>;

/// Helpers whose parameters are read and nothing else; `section` and the block helpers are
/// handled on their own. A helper not named here makes a template unknowable.
const VALUE_HELPERS: &[&str] = &["indent", "prose", "lookup"];

/// Names a bare `{{name}}` would call as a helper rather than read from the context.
pub(crate) const HELPER_NAMES: &[&str] = &[
    "if", "unless", "each", "with", "lookup", "log", "raw", "eq", "ne", "gt", "gte", "lt", "lte",
    "and", "or", "not", "len", "indent", "prose", "section",
];

/// Largest total size of memoized text and keys, bytes; past it nothing more is kept, so
/// memory stays flat however many rows a batch has.
const BUDGET: usize = 16 << 20;

/// After this many misses, a section that hits less often than it misses stops being
/// memoized (its text differs per plan: identifiers, sizes).
const TRIAL: u32 = 32;

/// The memo of one registry: what each template reads, and texts by the values read.
#[derive(Default)]
pub struct Memo {
    reads: OnceLock<FxMap<String, Option<Vec<ReadPath>>>>,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// What every section keeps, bytes (about): at most [`BUDGET`].
    bytes: usize,
    sections: FxMap<String, Section>,
}

#[derive(Default)]
struct Section {
    /// Texts by the hash of their values (and the values, to tell collisions apart).
    texts: FxMap<u64, Vec<(Key, Arc<str>)>>,
    /// What its kept texts and values hold, counted in [`State::bytes`] too.
    bytes: usize,
    hits: u32,
    misses: u32,
    off: bool,
}

impl Memo {
    /// Learn what every registered template reads; called once the templates are in.
    pub fn learn(&self, hb: &Handlebars<'_>) {
        let reads = hb
            .get_templates()
            .keys()
            .map(|name| (name.clone(), template_reads(hb, name)))
            .collect();
        let _ = self.reads.set(reads);
    }

    /// What template `name` reads of the root context, sorted; `None` when it cannot be told.
    pub fn reads(&self, name: &str) -> Option<&[ReadPath]> {
        self.reads.get()?.get(name)?.as_deref()
    }

    /// Write the text of section `name` for `data` to `out`: kept from an earlier plan that
    /// read the same values, or rendered by `render` (and kept when the section proves worth
    /// keeping). A section that is not kept renders straight into `out`.
    pub fn section<E>(
        &self,
        name: &str,
        data: &Node,
        out: &mut String,
        render: impl FnOnce(&mut String) -> Result<(), E>,
    ) -> Result<(), E> {
        let Some(paths) = self.reads(name) else {
            return render(out);
        };
        if self.lock().sections.get(name).is_some_and(|s| s.off) {
            return render(out);
        }
        let values = Values::of(data, paths);
        let hash = values.hash();
        if let Some(text) = self.lock().sections.get_mut(name).and_then(|s| {
            let text = s
                .texts
                .get(&hash)
                .and_then(|kept| kept.iter().find(|(k, _)| values.equals(k)))
                .map(|(_, text)| text.clone());
            s.hits += u32::from(text.is_some());
            text
        }) {
            out.push_str(&text);
            return Ok(());
        }
        let mut text = String::with_capacity(4096);
        render(&mut text)?;
        out.push_str(&text);
        let mut state = self.lock();
        let State { bytes, sections } = &mut *state;
        let section = sections.entry(name.to_string()).or_default();
        section.misses += 1;
        if section.misses >= TRIAL && section.hits < section.misses {
            section.off = true;
            section.texts = FxMap::default();
            *bytes -= std::mem::take(&mut section.bytes);
            return Ok(());
        }
        let size = text.len() + values.0.iter().map(|(_, n)| weight(n)).sum::<usize>();
        let kept = section.texts.entry(hash).or_default();
        if *bytes + size <= BUDGET && !kept.iter().any(|(k, _)| values.equals(k)) {
            kept.push((values.to_owned(), Arc::from(text)));
            section.bytes += size;
            *bytes += size;
        }
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The values a section reads: for each read path, how far it could be followed and the
/// value there (a path that ends early keys on the deepest value it reaches).
struct Values<'d>(Vec<(usize, &'d Node)>);

/// [`Values`] as kept beside a text.
type Key = Vec<(usize, Node)>;

impl<'d> Values<'d> {
    fn of(data: &'d Node, paths: &[ReadPath]) -> Values<'d> {
        Values(
            paths
                .iter()
                .map(|path| {
                    let mut value = data;
                    let mut depth = 0;
                    for seg in path {
                        match value.get(seg) {
                            Some(v) => {
                                value = v;
                                depth += 1;
                            }
                            None => break,
                        }
                    }
                    (depth, value)
                })
                .collect(),
        )
    }

    /// Equal keys have equal hashes; a collision costs only a comparison.
    fn hash(&self) -> u64 {
        let mut h = Fx(FxHasher::default());
        for (depth, node) in &self.0 {
            h.add(*depth as u64);
            h.node(node);
        }
        h.0.finish()
    }

    fn equals(&self, key: &Key) -> bool {
        self.0.len() == key.len()
            && self
                .0
                .iter()
                .zip(key)
                .all(|((d, v), (kd, kv))| d == kd && *v == kv)
    }

    fn to_owned(&self) -> Key {
        self.0.iter().map(|(d, v)| (*d, (*v).clone())).collect()
    }
}

/// The memo's hash of the values a section reads.
struct Fx(FxHasher);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0.add(word);
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.0.bytes(bytes);
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::Null => self.add(1),
            Node::Bool(b) => self.add(2 + u64::from(*b)),
            Node::Number(n) => {
                self.add(4);
                self.add(n.as_f64().map_or(0, f64::to_bits));
            }
            Node::String(s) => {
                self.add(5);
                self.bytes(s.as_bytes());
            }
            Node::List(items) => {
                self.add(6);
                items.iter().for_each(|i| self.node(i));
                self.add(items.len() as u64);
            }
            Node::Map(fields) => {
                self.add(7);
                for (k, v) in fields {
                    self.bytes(k.as_bytes());
                    self.node(v);
                }
            }
            // Hashed once (a path holds a shared subtree in every plan or in none).
            Node::Shared(frozen) => self.add(frozen.hash_with(|node| {
                let mut h = Fx(FxHasher::default());
                h.node(node);
                h.0.finish()
            })),
        }
    }
}

/// About how many bytes a kept value holds, for the memory budget.
fn weight(node: &Node) -> usize {
    32 + match node {
        Node::String(s) => s.len(),
        Node::List(items) => items.iter().map(weight).sum(),
        Node::Map(fields) => fields.iter().map(|(k, v)| k.len() + weight(v)).sum(),
        _ => 0,
    }
}

/// Why a template's reads cannot be told.
struct Unknowable;

type Found = Result<(), Unknowable>;

/// Walks templates, collecting root paths read.
struct Walker<'a, 'r> {
    hb: &'a Handlebars<'r>,
    paths: BTreeSet<ReadPath>,
    /// Templates being walked at root depth (a cycle ends the walk as unknowable).
    open: Vec<String>,
}

fn template_reads(hb: &Handlebars<'_>, name: &str) -> Option<Vec<ReadPath>> {
    if hb.recursive_lookup() {
        return None;
    }
    let mut w = Walker {
        hb,
        paths: BTreeSet::new(),
        open: Vec::new(),
    };
    w.named(name, 0).ok()?;
    // A path under another read path adds nothing to the key: the longer one is dropped.
    let mut paths: Vec<ReadPath> = Vec::new();
    for p in w.paths {
        if !paths.last().is_some_and(|q| p.starts_with(q)) {
            paths.push(p);
        }
    }
    Some(paths)
}

impl Walker<'_, '_> {
    /// A registered template, walked at `depth` (0: the root context).
    fn named(&mut self, name: &str, depth: usize) -> Found {
        if self.open.iter().any(|o| o == name) {
            return Err(Unknowable);
        }
        let template = self.hb.get_template(name).ok_or(Unknowable)?;
        self.open.push(name.to_string());
        let found = self.template(template, depth);
        self.open.pop();
        found
    }

    fn template(&mut self, t: &Template, depth: usize) -> Found {
        t.elements.iter().try_for_each(|e| self.element(e, depth))
    }

    fn element(&mut self, e: &TemplateElement, depth: usize) -> Found {
        match e {
            TemplateElement::RawString(_) | TemplateElement::Comment(_) => Ok(()),
            TemplateElement::Expression(h) | TemplateElement::HtmlExpression(h) => {
                self.expression(h, depth)
            }
            TemplateElement::HelperBlock(h) => self.block(h, depth),
            TemplateElement::PartialExpression(d) => self.partial(d, depth),
            // Partial blocks, decorators (`{{*inline}}`), and whatever a later handlebars adds.
            _ => Err(Unknowable),
        }
    }

    /// `{{name}}`, `{{helper params}}`.
    fn expression(&mut self, h: &HelperTemplate, depth: usize) -> Found {
        let name = h.name.as_name().ok_or(Unknowable)?;
        if h.params.is_empty() && h.hash.is_empty() {
            if HELPER_NAMES.contains(&name) {
                return Err(Unknowable);
            }
            return self.param(&h.name, depth);
        }
        self.params(h, depth)?;
        match name {
            "section" => match h.params.as_slice() {
                // A section renders with the root context wherever it is called.
                [Parameter::Literal(JsonValue::String(s))] => self.named(s, 0),
                _ => Err(Unknowable),
            },
            n if VALUE_HELPERS.contains(&n) => Ok(()),
            _ => Err(Unknowable),
        }
    }

    /// `{{#if}}`, `{{#unless}}`, `{{#each}}`, `{{#with}}`.
    fn block(&mut self, h: &HelperTemplate, depth: usize) -> Found {
        self.params(h, depth)?;
        let inner = match h.name.as_name().ok_or(Unknowable)? {
            "if" | "unless" => depth,
            // The block reads relative to an item of the parameter, which is recorded.
            "each" | "with" => depth + 1,
            _ => return Err(Unknowable),
        };
        if let Some(t) = &h.template {
            self.template(t, inner)?;
        }
        if let Some(t) = &h.inverse {
            self.template(t, depth)?;
        }
        Ok(())
    }

    /// `{{> name}}` reads like its caller; `{{> name value}}` reads inside `value`.
    fn partial(&mut self, d: &DecoratorTemplate, depth: usize) -> Found {
        // A partial's name is the template's, written bare or as a path.
        let name = match &d.name {
            Parameter::Name(_) | Parameter::Path(_) => {
                d.name.as_name().ok_or(Unknowable)?.to_string()
            }
            _ => return Err(Unknowable),
        };
        for p in d.params.iter().chain(d.hash.values()) {
            self.param(p, depth)?;
        }
        if d.template.is_some() {
            return Err(Unknowable);
        }
        let inner = if d.params.is_empty() {
            depth
        } else {
            depth + 1
        };
        // A partial walked inside a block is no cycle risk for `named`'s root bookkeeping.
        self.named(&name, inner)
    }

    fn params(&mut self, h: &HelperTemplate, depth: usize) -> Found {
        for p in h.params.iter().chain(h.hash.values()) {
            self.param(p, depth)?;
        }
        Ok(())
    }

    fn param(&mut self, p: &Parameter, depth: usize) -> Found {
        match p {
            Parameter::Literal(_) => Ok(()),
            Parameter::Subexpression(s) => self.element(&s.element, depth),
            Parameter::Name(n) => self.path(n, depth),
            Parameter::Path(Path::Relative((_, raw))) => self.path(raw, depth),
            // `@index`, `@first`, ...: block-local data, not the context.
            Parameter::Path(Path::Local((level, _, _))) if *level <= depth => Ok(()),
            _ => Err(Unknowable),
        }
    }

    /// Record a path read at `depth`: paths at the root are kept; paths inside a block are
    /// relative to a value already recorded.
    fn path(&mut self, raw: &str, depth: usize) -> Found {
        let names = super::path_names(raw).ok_or(Unknowable)?;
        match (depth, names.is_empty()) {
            // `this` at the root reads everything.
            (0, true) => Err(Unknowable),
            (0, false) => {
                self.paths
                    .insert(names.into_iter().map(str::to_string).collect());
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads_of(templates: &[(&str, &str)], name: &str) -> Option<Vec<String>> {
        let mut hb = Handlebars::new();
        for (n, t) in templates {
            hb.register_template_string(n, t).unwrap();
        }
        template_reads(&hb, name).map(|r| r.iter().map(|p| p.join(".")).collect())
    }

    #[test]
    fn reads_root_paths_and_the_lists_it_walks() {
        let t = "{{a.b}} {{{c}}} {{#if d}}{{e}}{{else}}{{f}}{{/if}} {{#each g}}{{name}} {{@index}}{{else}}{{h}}{{/each}} {{prose i.j}}";
        assert_eq!(
            reads_of(&[("t", t)], "t").unwrap(),
            ["a.b", "c", "d", "e", "f", "g", "h", "i.j"]
        );
    }

    #[test]
    fn follows_sections_and_partials() {
        let templates = [
            ("t", "{{#each l}}{{section \"s\"}}{{> p}}{{/each}}{{> p x}}"),
            ("s", "{{top}}"),
            ("p", "{{inner}}"),
        ];
        assert_eq!(reads_of(&templates, "t").unwrap(), ["l", "top", "x"]);
    }

    #[test]
    fn what_cannot_be_told_is_unknowable() {
        for t in [
            "{{@root.a}}",
            "{{#each l}}{{../a}}{{/each}}",
            "{{this}}",
            "{{custom a}}",
            "{{#custom a}}x{{/custom}}",
            "{{section name}}",
            "{{> (concat a)}}",
            "{{a.[0]}}",
            "{{#> p}}x{{/p}}",
        ] {
            assert_eq!(reads_of(&[("t", t), ("p", "x")], "t"), None, "{t}");
        }
        assert_eq!(reads_of(&[("t", "{{> t}}")], "t"), None, "a cycle");
    }

    #[test]
    fn keys_equal_only_when_the_read_values_are() {
        let paths = vec![vec!["a".to_string()], vec!["b".into(), "c".into()]];
        let node = |v: serde_json::Value| crate::render::tree::to_node(&v).unwrap();
        let one = node(serde_json::json!({"a": 1, "b": {"c": [1, 2]}, "z": 1}));
        let kept = Values::of(&one, &paths).to_owned();
        let same = node(serde_json::json!({"a": 1, "b": {"c": [1, 2]}, "z": 2}));
        assert!(Values::of(&same, &paths).equals(&kept));
        assert_eq!(
            Values::of(&same, &paths).hash(),
            Values::of(&one, &paths).hash()
        );
        for other in [
            serde_json::json!({"a": 1, "b": {"c": [1, 3]}}),
            serde_json::json!({"a": "1", "b": {"c": [1, 2]}}),
            serde_json::json!({"a": 1, "b": {"d": [1, 2]}}),
            serde_json::json!({"a": 1}),
        ] {
            assert!(
                !Values::of(&node(other.clone()), &paths).equals(&kept),
                "{other}"
            );
        }
    }

    #[test]
    fn a_section_that_differs_every_time_stops_being_kept() {
        let mut hb = Handlebars::new();
        hb.register_template_string("s", "{{a}}").unwrap();
        let memo = Memo::default();
        memo.learn(&hb);
        let mut renders = 0;
        for i in 0..(TRIAL + 10) {
            let data = crate::render::tree::to_node(&serde_json::json!({ "a": i })).unwrap();
            let mut text = String::new();
            memo.section("s", &data, &mut text, |out| {
                renders += 1;
                out.push_str(&i.to_string());
                Ok::<_, ()>(())
            })
            .unwrap();
            assert_eq!(text, i.to_string());
        }
        assert_eq!(renders, TRIAL + 10);
        assert!(memo.lock().sections["s"].off);
        assert_eq!(memo.lock().bytes, 0, "what it kept is given back");
        let same = crate::render::tree::to_node(&serde_json::json!({ "a": 1 })).unwrap();
        let memo = Memo::default();
        memo.learn(&hb);
        let mut renders = 0;
        for _ in 0..100 {
            let mut text = String::from(">");
            memo.section("s", &same, &mut text, |out| {
                renders += 1;
                out.push('1');
                Ok::<_, ()>(())
            })
            .unwrap();
            assert_eq!(text, ">1");
        }
        assert_eq!(renders, 1);
    }
}
