//! JSON text appended to a `String` in place, escaped exactly as serde_json escapes it, so
//! builders write a quoted value into the text they are building instead of allocating it;
//! and `Object`, for the JSON files and the copies of them the CloudFormation template carries
//! as strings.

use std::fmt::Write;

use serde_json::Value;

/// Append `text` as a JSON string, quotes included. Like serde_json: `"` and `\` take a
/// backslash, control characters become `\b \t \n \f \r` or `\u00xx`, the rest stays as is.
pub fn push_str(out: &mut String, text: &str) {
    out.push('"');
    push_contents(out, text);
    out.push('"');
}

/// Whether a byte is escaped in a JSON string.
fn is_escaped(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// The index of the first byte of `bytes[from..]` that JSON escapes, or `bytes.len()`.
/// Most text has none, so eight bytes are tested at a time: a byte below 0x20, or equal to
/// `"` or `\`, sets the high bit of its lane (the classic "has zero byte" tricks). A lane
/// after a set lane can be set falsely by the borrow, never one before it, so the lowest set
/// lane is exact.
fn next_escaped(bytes: &[u8], mut from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = bytes.get(from..from + 8) {
        let mut lanes = [0u8; 8];
        lanes.copy_from_slice(chunk);
        let x = u64::from_le_bytes(lanes);
        let quote = x ^ (ONES * u64::from(b'"'));
        let backslash = x ^ (ONES * u64::from(b'\\'));
        let found = (x.wrapping_sub(ONES * 0x20) & !x
            | quote.wrapping_sub(ONES) & !quote
            | backslash.wrapping_sub(ONES) & !backslash)
            & HIGH;
        if found != 0 {
            return from + (found.trailing_zeros() / 8) as usize;
        }
        from += 8;
    }
    bytes[from..]
        .iter()
        .position(|&b| is_escaped(b))
        .map_or(bytes.len(), |i| from + i)
}

/// Append `text` escaped as in a JSON string, without the quotes.
fn push_contents(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut plain_from = 0;
    loop {
        let i = next_escaped(bytes, plain_from);
        // An escaped byte is ASCII, so `i` is a character boundary.
        out.push_str(&text[plain_from..i]);
        let Some(&b) = bytes.get(i) else {
            return;
        };
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            _ => "",
        };
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(escape);
        }
        plain_from = i + 1;
    }
}

/// Append `text` escaped twice, for a JSON string inside JSON text inside a JSON string.
fn push_contents_twice(out: &mut String, text: &str) {
    if next_escaped(text.as_bytes(), 0) == text.len() {
        out.push_str(text);
        return;
    }
    let mut once = String::with_capacity(text.len() + 8);
    push_contents(&mut once, text);
    push_contents(out, &once);
}

/// How an `Object` lays out its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// Compact, inside a JSON string: the template's copies of the JSON files.
    Nested,
    /// Pretty (two-space indent), as the JSON files are written: the object's closing brace
    /// goes at this depth, its keys one deeper.
    Pretty(usize),
}

/// A JSON object written straight into a `String`, in one of two layouts: pretty, as
/// serde_json's `to_string_pretty` writes the files' structs; or compact inside a JSON string,
/// as serde_json's `to_string` escaped again as a string would give (the template's copies of
/// the files). Either way without serde's work for every token; tests compare the two. Keys are
/// written as given, so they must need no escape.
pub struct Object<'a> {
    out: &'a mut String,
    first: bool,
    layout: Layout,
}

/// Spaces for the indentation of pretty JSON; deeper levels take several.
const SPACES: &str = "                ";

fn push_indent(out: &mut String, depth: usize) {
    let mut width = 2 * depth;
    while width > SPACES.len() {
        out.push_str(SPACES);
        width -= SPACES.len();
    }
    out.push_str(&SPACES[..width]);
}

/// Append the decimal digits of `n`, without the formatting machinery.
pub fn push_number(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        // `n % 10` is below 10, so the cast keeps it whole.
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

/// A value written as is: a number or a boolean.
pub trait Plain {
    /// Append its JSON text.
    fn push_to(self, out: &mut String);
}

impl Plain for bool {
    fn push_to(self, out: &mut String) {
        out.push_str(if self { "true" } else { "false" });
    }
}

impl Plain for u32 {
    fn push_to(self, out: &mut String) {
        push_number(out, u64::from(self));
    }
}

impl<'a> Object<'a> {
    /// Open an object written compact inside a JSON string.
    pub fn nested(out: &'a mut String) -> Object<'a> {
        Object::open(out, Layout::Nested)
    }

    /// Open an object written pretty, at the top of a document.
    pub fn pretty(out: &'a mut String) -> Object<'a> {
        Object::open(out, Layout::Pretty(0))
    }

    fn open(out: &'a mut String, layout: Layout) -> Object<'a> {
        out.push('{');
        Object {
            out,
            first: true,
            layout,
        }
    }

    /// The quote of a string in this layout.
    fn quote(&self) -> &'static str {
        match self.layout {
            Layout::Nested => "\\\"",
            Layout::Pretty(_) => "\"",
        }
    }

    /// `"key":"text"`.
    pub fn text(&mut self, key: &str, text: &str) {
        self.key(key);
        let quote = self.quote();
        self.out.push_str(quote);
        match self.layout {
            Layout::Nested => push_contents_twice(self.out, text),
            Layout::Pretty(_) => push_contents(self.out, text),
        }
        self.out.push_str(quote);
    }

    /// `"key":"n"`: a number written as a string.
    pub fn number_text(&mut self, key: &str, n: usize) {
        self.key(key);
        let quote = self.quote();
        self.out.push_str(quote);
        push_number(self.out, n as u64);
        self.out.push_str(quote);
    }

    /// `"key":value` for a number or a boolean.
    pub fn plain(&mut self, key: &str, value: impl Plain) {
        self.key(key);
        value.push_to(self.out);
    }

    /// `"key":{...}`: the object to fill, closed by its `close`.
    pub fn object(&mut self, key: &str) -> Object<'_> {
        self.key(key);
        let layout = self.inner(1);
        Object::open(self.out, layout)
    }

    /// `"key":[...]` of objects, each filled by `write`.
    pub fn objects<T>(&mut self, key: &str, items: &[T], write: impl Fn(&T, Object<'_>)) {
        self.key(key);
        self.out.push('[');
        let layout = self.inner(2);
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            if let Layout::Pretty(depth) = layout {
                self.out.push('\n');
                push_indent(self.out, depth);
            }
            write(item, Object::open(self.out, layout));
        }
        if let (Layout::Pretty(depth), false) = (layout, items.is_empty()) {
            self.out.push('\n');
            push_indent(self.out, depth - 1);
        }
        self.out.push(']');
    }

    /// Close the object.
    pub fn close(self) {
        if let (Layout::Pretty(depth), false) = (self.layout, self.first) {
            self.out.push('\n');
            push_indent(self.out, depth);
        }
        self.out.push('}');
    }

    /// The layout of what is `levels` deeper than this object's braces.
    fn inner(&self, levels: usize) -> Layout {
        match self.layout {
            Layout::Nested => Layout::Nested,
            Layout::Pretty(depth) => Layout::Pretty(depth + levels),
        }
    }

    fn key(&mut self, key: &str) {
        if !std::mem::take(&mut self.first) {
            self.out.push(',');
        }
        match self.layout {
            Layout::Nested => {
                self.out.push_str("\\\"");
                self.out.push_str(key);
                self.out.push_str("\\\":");
            }
            Layout::Pretty(depth) => {
                self.out.push('\n');
                push_indent(self.out, depth + 1);
                self.out.push('"');
                self.out.push_str(key);
                self.out.push_str("\": ");
            }
        }
    }
}

/// Append the compact JSON text of `value`.
pub fn push(out: &mut String, value: &Value) {
    match value {
        Value::String(text) => push_str(out, text),
        Value::Bool(b) => b.push_to(out),
        Value::Number(n) if n.is_u64() => push_number(out, n.as_u64().unwrap_or_default()),
        // `Display` for a Value is its compact JSON text; writing to a String cannot fail.
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

/// A pretty JSON document (two-space indent) with a final newline, its object written by
/// `write` into a `String` of `capacity` bytes.
pub fn pretty(capacity: usize, write: impl FnOnce(Object<'_>)) -> String {
    let mut out = String::with_capacity(capacity);
    write(Object::pretty(&mut out));
    out.push('\n');
    out
}

/// What `Object::nested` must write for `value`, the serde way: its compact JSON text as a JSON
/// string (without the quotes), for the tests of the writers.
#[cfg(test)]
pub(crate) fn nested_by_serde(value: &impl serde::Serialize) -> String {
    let text = serde_json::to_string(value).unwrap();
    let quoted = serde_json::to_string(&text).unwrap();
    quoted[1..quoted.len() - 1].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_ascii_character_is_escaped_as_serde_json_escapes_it() {
        let mut all: String = (0u8..=0x7f).map(char::from).collect();
        all.push_str("ünï code \u{2028} 😀");
        for text in [
            all.as_str(),
            "",
            "plain",
            "it's \"q\"",
            "back\\slash",
            "a\u{1f}",
        ] {
            let mut out = String::from("x=");
            push_str(&mut out, text);
            assert_eq!(out, format!("x={}", serde_json::to_string(text).unwrap()));
        }
    }

    #[test]
    fn an_escape_is_found_at_every_position_of_a_word() {
        // Each escaped byte, and the bytes around the boundaries of the lanes, at each place
        // in texts longer and shorter than eight bytes, after a multi-byte character too.
        let specials = [
            '"', '\\', '\u{0}', '\u{1f}', '\n', ' ', '!', '#', '[', ']', '\u{7f}', 'é',
        ];
        for len in 0..20 {
            for at in 0..len {
                for &c in &specials {
                    for lead in ["", "ü"] {
                        let mut text: String = lead.into();
                        text.extend((0..len).map(|i| if i == at { c } else { 'a' }));
                        let mut out = String::new();
                        push_str(&mut out, &text);
                        assert_eq!(out, serde_json::to_string(&text).unwrap(), "{text:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn objects_are_written_as_serde_json_writes_them() {
        let hostile = "a\"b \\ \u{1}\n\t\u{8}\u{c}\r/ ü it's";
        let write = |mut doc: Object<'_>| {
            doc.text("k", hostile);
            doc.number_text("n", 12);
            doc.plain("b", true);
            doc.plain("f", false);
            let mut inner = doc.object("o");
            inner.plain("x", 0u32);
            inner.plain("y", u32::MAX);
            inner.close();
            doc.object("e").close();
            doc.objects("none", &[] as &[&str], |_, item| item.close());
            doc.objects("l", &["x", hostile], |t, mut item| {
                item.text("t", t);
                let mut deeper = item.object("d");
                deeper.objects("m", &[1u32], |n, mut item| {
                    item.plain("n", *n);
                    item.close();
                });
                deeper.close();
                item.close();
            });
            doc.close();
        };
        let mut out = String::new();
        write(Object::nested(&mut out));
        let v = json!({"k": hostile, "n": "12", "b": true, "f": false, "o": {"x": 0, "y": u32::MAX},
            "e": {}, "none": [], "l": [{"t": "x", "d": {"m": [{"n": 1}]}}, {"t": hostile, "d": {"m": [{"n": 1}]}}]});
        assert_eq!(out, nested_by_serde(&v));
        let pretty = pretty(0, write);
        assert_eq!(pretty, serde_json::to_string_pretty(&v).unwrap() + "\n");
    }

    #[test]
    fn values_are_written_compact() {
        for v in [
            json!("s\n"),
            json!(true),
            json!(null),
            json!(6379),
            json!(0),
            json!(u64::MAX),
            json!(false),
            json!(-7),
            json!(-1.5),
            json!({"a": [1, "b"]}),
        ] {
            let mut out = String::new();
            push(&mut out, &v);
            assert_eq!(out, serde_json::to_string(&v).unwrap());
        }
    }
}
