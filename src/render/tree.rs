//! The runbook context as the direct renderer reads it: serde's data model, like
//! `serde_json::Value`, but a struct's fields keep the static names serde gives them and are
//! found by a short scan, so building the tree allocates no key and reading it hashes none
//! (`serde_json::Value`'s ordered maps hash every key on insert and on lookup, which was a
//! tenth of the time of `dmsplan batch`).

use std::borrow::Cow;
use std::fmt;

use serde::ser::{self, Serialize, SerializeMap as _, SerializeSeq as _};
use serde_json::Number;

/// One value of the context.
#[derive(Debug, Clone, PartialEq)]
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
}

impl Node {
    /// The field `key` of a map, or the item at index `key` of a list.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            // Length and first byte rule out most fields before the bytes are compared.
            Node::Map(fields) => fields
                .iter()
                .find(|(k, _)| {
                    k.len() == key.len()
                        && k.as_bytes().first() == key.as_bytes().first()
                        && k == key
                })
                .map(|(_, v)| v),
            Node::List(items) => items.get(key.parse::<usize>().ok()?),
            _ => None,
        }
    }
}

/// Build the tree of a value.
pub fn to_node<T: Serialize + ?Sized>(value: &T) -> Result<Node, Error> {
    value.serialize(Serializer)
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
    fn serialize_unit_struct(self, _: &'static str) -> Result<Node, Error> {
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
        self.0.push(to_node(v)?);
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
        self.key = Some(match to_node(key)? {
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
        self.fields.push((Cow::Owned(key), to_node(v)?));
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
        self.fields.push((Cow::Borrowed(key), to_node(v)?));
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
}
