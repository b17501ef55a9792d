//! The runbook context as the direct renderer reads it: serde's data model, like
//! `serde_json::Value`, but a struct's fields keep the static names serde gives them and are
//! found by a short scan, so building the tree allocates no key and reading it hashes none
//! (`serde_json::Value`'s ordered maps hash every key on insert and on lookup, which was a
//! tenth of the time of `dmsplan batch`).

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::sync::{Arc, OnceLock};

use serde::ser::{self, Serialize, SerializeMap as _, SerializeSeq as _};
use serde_json::Number;

/// One value of the context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// `null` (and `None`).
    Null,
    /// A boolean.
    Bool(bool),
    /// A number, as JSON holds it.
    Number(Number),
    /// A string.
    String(String),
    /// A list.
    List(Vec<Node>),
    /// A struct or map: its fields in order.
    Map(Vec<(Cow<'static, str>, Node)>),
    /// A subtree many plans' trees hold (a [`Shared`] value), built once.
    Shared(Arc<Frozen>),
}

/// The tree of a [`Shared`] value, and the hash the memo keeps of it.
#[derive(Debug)]
pub struct Frozen {
    node: Node,
    hash: OnceLock<u64>,
}

impl Frozen {
    /// Its hash by `hash`, computed once (`hash` must depend on the tree alone).
    pub fn hash_with(&self, hash: impl FnOnce(&Node) -> u64) -> u64 {
        *self.hash.get_or_init(|| hash(&self.node))
    }
}

impl PartialEq for Frozen {
    fn eq(&self, other: &Frozen) -> bool {
        std::ptr::eq(self, other) || self.node == other.node
    }
}

impl Eq for Frozen {}

impl Node {
    /// The value itself: a shared subtree's tree, any other node as it is.
    pub fn resolved(&self) -> &Node {
        match self {
            Node::Shared(frozen) => frozen.node.resolved(),
            node => node,
        }
    }

    /// The field `key` of a map, or the item at index `key` of a list.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Shared(frozen) => frozen.node.get(key),
            Node::Map(fields) => {
                // Where this name was found in a map of this shape last time, checked.
                let slot = hint_slot(key, fields);
                let hint = HINTS.with(|h| h[slot].get());
                if let Some((k, v)) = fields.get(usize::from(hint)) {
                    if k == key {
                        return Some(v);
                    }
                }
                // Length and first byte rule out most fields before the bytes are compared.
                let i = fields.iter().position(|(k, _)| {
                    k.len() == key.len()
                        && k.as_bytes().first() == key.as_bytes().first()
                        && k == key
                })?;
                if let Ok(hint) = u16::try_from(i) {
                    HINTS.with(|h| h[slot].set(hint));
                }
                Some(&fields[i].1)
            }
            Node::List(items) => items.get(key.parse::<usize>().ok()?),
            _ => None,
        }
    }
}

/// Hints of [`Node::get`], per thread.
const HINT_SLOTS: usize = 4096;

thread_local! {
    /// The index a field name was last found at, by the name's address and the address of the
    /// map's first field name. A template reads the same names of the same structs in every
    /// plan: both addresses are the same (the template's text, serde's static field names), so
    /// a lookup costs one comparison instead of a scan of up to fifty fields. A hint is only a
    /// guess, checked against the name; a wrong one costs the scan it saves.
    static HINTS: [Cell<u16>; HINT_SLOTS] = const { [const { Cell::new(0) }; HINT_SLOTS] };
}

fn hint_slot(key: &str, fields: &[(Cow<'static, str>, Node)]) -> usize {
    let shape = fields.first().map_or(0, |(k, _)| k.as_ptr() as usize);
    let mixed = ((key.as_ptr() as usize) ^ shape.rotate_left(17)) as u64;
    (mixed.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 52) as usize % HINT_SLOTS
}

/// Build the tree of a value.
pub fn to_node<T: Serialize + ?Sized>(value: &T) -> Result<Node, Error> {
    let building = BUILDING.with(|b| b.replace(true));
    let node = value.serialize(Serializer);
    BUILDING.with(|b| b.set(building));
    node
}

/// A value's tree, inside a tree being built.
fn node_of<T: Serialize + ?Sized>(value: &T) -> Result<Node, Error> {
    value.serialize(Serializer)
}

thread_local! {
    /// Whether this thread is building a tree: a [`Shared`] value then hands its subtree over.
    static BUILDING: Cell<bool> = const { Cell::new(false) };
    /// The subtree a [`Shared`] value hands to the tree serializer, through its unit struct.
    static HANDED: RefCell<Option<Arc<Frozen>>> = const { RefCell::new(None) };
}

/// The name of the unit struct a [`Shared`] value stands in as while a tree is built.
const SHARED: &str = "dmsplan::render::tree::Shared";

/// A part of the render context that many plans share (a pair's type lines, the model's
/// constants): every plan's tree holds its subtree by reference ([`Node::Shared`]), built
/// once, so it is neither copied nor dropped per plan, and the memo hashes it once and tells
/// it equal by address. Any other serializer (serde_json, for handlebars) sees the value.
#[derive(Debug)]
pub struct Shared<T>(Arc<SharedValue<T>>);

#[derive(Debug)]
struct SharedValue<T> {
    value: T,
    /// Its tree, once built; `None` when it cannot be (then it is serialized as it is).
    tree: OnceLock<Option<Arc<Frozen>>>,
}

impl<T> Shared<T> {
    /// Share `value`.
    pub fn new(value: T) -> Shared<T> {
        Shared(Arc::new(SharedValue {
            value,
            tree: OnceLock::new(),
        }))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0.value
    }
}

impl<T: Serialize> Serialize for Shared<T> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Only the tree serializer runs while a tree is built: it takes the subtree handed.
        if BUILDING.with(Cell::get) {
            let tree = self.0.tree.get_or_init(|| {
                let node = to_node(&self.0.value).ok()?;
                Some(Arc::new(Frozen {
                    node,
                    hash: OnceLock::new(),
                }))
            });
            if let Some(tree) = tree {
                HANDED.with(|h| h.replace(Some(Arc::clone(tree))));
                return s.serialize_unit_struct(SHARED);
            }
        }
        self.0.value.serialize(s)
    }
}

/// A value serde could not put in a tree (a map key that is no string or number).
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

impl Serialize for Node {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => s.serialize_unit(),
            Node::Bool(b) => s.serialize_bool(*b),
            Node::Number(n) => n.serialize(s),
            Node::String(t) => s.serialize_str(t),
            Node::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Map(fields) => {
                let mut map = s.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    map.serialize_entry(k.as_ref(), v)?;
                }
                map.end()
            }
            Node::Shared(frozen) => frozen.node.serialize(s),
        }
    }
}

/// Makes a [`Node`] of anything serde can serialize, as `serde_json::to_value` makes a
/// `Value` (non-finite floats become null, enum variants their names).
struct Serializer;

/// A list being built.
struct Seq(Vec<Node>);

/// A map or struct being built; `key` holds a map key until its value comes.
struct Map {
    fields: Vec<(Cow<'static, str>, Node)>,
    key: Option<String>,
}

/// A variant holding a list or struct: `{"Variant": ...}`.
struct Variant<T> {
    name: &'static str,
    inner: T,
}

/// The integer methods of the serializer: each makes a JSON number.
macro_rules! numbers {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(fn $method(self, v: $ty) -> Result<Node, Error> {
            Ok(Node::Number(v.into()))
        })*
    };
}

impl ser::Serializer for Serializer {
    type Ok = Node;
    type Error = Error;
    type SerializeSeq = Seq;
    type SerializeTuple = Seq;
    type SerializeTupleStruct = Seq;
    type SerializeTupleVariant = Variant<Seq>;
    type SerializeMap = Map;
    type SerializeStruct = Map;
    type SerializeStructVariant = Variant<Map>;

    fn serialize_bool(self, v: bool) -> Result<Node, Error> {
        Ok(Node::Bool(v))
    }
    numbers! {
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
    }
    fn serialize_f32(self, v: f32) -> Result<Node, Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Node, Error> {
        Ok(Number::from_f64(v).map_or(Node::Null, Node::Number))
    }
    fn serialize_char(self, v: char) -> Result<Node, Error> {
        Ok(Node::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Node, Error> {
        Ok(Node::String(v.to_string()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Node, Error> {
        Ok(Node::List(
            v.iter().map(|b| Node::Number((*b).into())).collect(),
        ))
    }
    fn serialize_none(self) -> Result<Node, Error> {
        Ok(Node::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Node, Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Node, Error> {
        Ok(Node::Null)
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<Node, Error> {
        if name == SHARED {
            if let Some(tree) = HANDED.with(RefCell::take) {
                return Ok(Node::Shared(tree));
            }
        }
        Ok(Node::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Node, Error> {
        Ok(Node::String(variant.to_string()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<Node, Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<Node, Error> {
        Ok(Node::Map(vec![(
            Cow::Borrowed(variant),
            v.serialize(self)?,
        )]))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq, Error> {
        Ok(Seq(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Seq>, Error> {
        Ok(Variant {
            name: variant,
            inner: self.serialize_seq(Some(len))?,
        })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Map, Error> {
        Ok(Map {
            fields: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Map, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Map>, Error> {
        Ok(Variant {
            name: variant,
            inner: self.serialize_map(Some(len))?,
        })
    }
}

impl ser::SerializeSeq for Seq {
    type Ok = Node;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.0.push(node_of(v)?);
        Ok(())
    }
    fn end(self) -> Result<Node, Error> {
        Ok(Node::List(self.0))
    }
}

impl ser::SerializeTuple for Seq {
    type Ok = Node;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<Node, Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Seq {
    type Ok = Node;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<Node, Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleVariant for Variant<Seq> {
    type Ok = Node;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(&mut self.inner, v)
    }
    fn end(self) -> Result<Node, Error> {
        let inner = ser::SerializeSeq::end(self.inner)?;
        Ok(Node::Map(vec![(Cow::Borrowed(self.name), inner)]))
    }
}

impl ser::SerializeMap for Map {
    type Ok = Node;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        // JSON object keys are strings; numbers become their text, as in serde_json.
        self.key = Some(match node_of(key)? {
            Node::String(s) => s,
            Node::Number(n) => n.to_string(),
            Node::Bool(b) => b.to_string(),
            _ => return Err(Error("a map key must be a string".into())),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Error("a map value without a key".into()))?;
        self.fields.push((Cow::Owned(key), node_of(v)?));
        Ok(())
    }
    fn end(self) -> Result<Node, Error> {
        Ok(Node::Map(self.fields))
    }
}

impl ser::SerializeStruct for Map {
    type Ok = Node;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        self.fields.push((Cow::Borrowed(key), node_of(v)?));
        Ok(())
    }
    fn end(self) -> Result<Node, Error> {
        Ok(Node::Map(self.fields))
    }
}

impl ser::SerializeStructVariant for Variant<Map> {
    type Ok = Node;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, v)
    }
    fn end(self) -> Result<Node, Error> {
        let inner = ser::SerializeStruct::end(self.inner)?;
        Ok(Node::Map(vec![(Cow::Borrowed(self.name), inner)]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    enum Kind {
        Unit,
        New(u8),
        Tuple(u8, u8),
        Struct { a: u8 },
    }

    #[derive(serde::Serialize)]
    struct Sample {
        s: &'static str,
        n: i64,
        f: f64,
        nan: f64,
        o: Option<u8>,
        none: Option<u8>,
        list: Vec<Kind>,
        map: std::collections::BTreeMap<u32, bool>,
        c: char,
        unit: (),
    }

    /// The tree says what `serde_json::to_value` says, in the same order.
    #[test]
    fn serializes_as_serde_json_does() {
        let sample = Sample {
            s: "x",
            n: -3,
            f: 1.5,
            nan: f64::NAN,
            o: Some(7),
            none: None,
            list: vec![
                Kind::Unit,
                Kind::New(1),
                Kind::Tuple(1, 2),
                Kind::Struct { a: 3 },
            ],
            map: [(2, true), (10, false)].into_iter().collect(),
            c: 'é',
            unit: (),
        };
        let node = to_node(&sample).unwrap();
        assert_eq!(
            serde_json::to_string(&node).unwrap(),
            serde_json::to_string(&serde_json::to_value(&sample).unwrap()).unwrap()
        );
        assert_eq!(node.get("s"), Some(&Node::String("x".into())));
        assert_eq!(
            node.get("list").and_then(|l| l.get("1")),
            Some(&Node::Map(vec![(
                Cow::Borrowed("New"),
                Node::Number(1.into())
            )]))
        );
        assert_eq!(node.get("missing"), None);
    }

    /// A shared value is one subtree held by every tree made of it, read as the value; any
    /// other serializer sees the value itself.
    #[test]
    fn a_shared_value_is_held_by_reference_and_reads_as_itself() {
        #[derive(serde::Serialize)]
        struct Outer {
            name: &'static str,
            lines: Shared<Vec<Sample2>>,
        }
        #[derive(serde::Serialize)]
        struct Sample2 {
            a: u8,
            b: &'static str,
        }
        let lines = Shared::new(vec![Sample2 { a: 1, b: "x" }, Sample2 { a: 2, b: "y" }]);
        let one = to_node(&Outer {
            name: "one",
            lines: lines.clone(),
        })
        .unwrap();
        let two = to_node(&Outer {
            name: "two",
            lines: lines.clone(),
        })
        .unwrap();
        let (Some(Node::Shared(a)), Some(Node::Shared(b))) = (one.get("lines"), two.get("lines"))
        else {
            panic!("not shared: {one:?}");
        };
        assert!(Arc::ptr_eq(a, b));
        assert_eq!(
            one.get("lines")
                .and_then(|l| l.get("1"))
                .and_then(|i| i.get("b")),
            Some(&Node::String("y".into()))
        );
        let plain =
            serde_json::json!({"name": "one", "lines": [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]});
        assert_eq!(serde_json::to_value(&one).unwrap(), plain);
        assert_eq!(
            serde_json::to_value(Outer { name: "one", lines }).unwrap(),
            plain
        );
        assert_eq!(
            one.get("lines").map(Node::resolved),
            plain_tree(&plain).get("lines")
        );
        assert_eq!(a.hash_with(|_| 7), a.hash_with(|_| 8));
    }

    /// A hint is a guess: maps whose first field names are one string, with the same name at
    /// other places, each find their own field, however the lookups alternate.
    #[test]
    fn a_wrong_hint_falls_back_to_the_scan() {
        let field = |k: &'static str, v: &str| (Cow::Borrowed(k), Node::String(v.into()));
        let one = Node::Map(vec![field("a", "1a"), field("b", "1b"), field("c", "1c")]);
        let two = Node::Map(vec![field("a", "2a"), field("c", "2c"), field("b", "2b")]);
        let three = Node::Map(vec![field("a", "3a"), field("d", "3d")]);
        for _ in 0..3 {
            for (map, name) in [(&one, "1"), (&two, "2"), (&three, "3")] {
                for key in ["a", "b", "c", "d"] {
                    let want = match (name, key) {
                        ("3", "b" | "c") | ("1" | "2", "d") => None,
                        _ => Some(Node::String(format!("{name}{key}"))),
                    };
                    assert_eq!(map.get(key), want.as_ref(), "{name}.{key}");
                    let owned = String::from(key);
                    assert_eq!(
                        map.get(&owned),
                        want.as_ref(),
                        "{name}.{key} (another address)"
                    );
                }
            }
        }
    }

    fn plain_tree(v: &serde_json::Value) -> Node {
        to_node(v).unwrap()
    }
}
