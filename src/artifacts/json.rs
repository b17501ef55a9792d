//! JSON text appended to a `String` in place, escaped exactly as serde_json escapes it, so
//! builders write a quoted value into the text they are building instead of allocating it.

use std::fmt::Write;
use std::io;

use serde::Serialize;
use serde_json::Value;
use serde_json::ser::{CharEscape, CompactFormatter, Formatter, Serializer};

/// Append `text` as a JSON string, quotes included. Like serde_json: `"` and `\` take a
/// backslash, control characters become `\b \t \n \f \r` or `\u00xx`, the rest stays as is.
pub fn push_str(out: &mut String, text: &str) {
    out.push('"');
    let mut plain_from = 0;
    for (i, b) in text.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        // `b` is ASCII, so `i` is a character boundary.
        out.push_str(&text[plain_from..i]);
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
    out.push_str(&text[plain_from..]);
    out.push('"');
}

/// Append the compact JSON text of `value`.
pub fn push(out: &mut String, value: &Value) {
    match value {
        Value::String(text) => push_str(out, text),
        // `Display` for a Value is its compact JSON text; writing to a String cannot fail.
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

/// Append the compact JSON text of `value` as a JSON string, as `push_str` would append
/// `serde_json::to_string(value)`, in one pass (for JSON documents inside a template).
pub fn push_nested(out: &mut String, value: &impl Serialize) {
    let mut text = Vec::with_capacity(4096);
    // Writing to a Vec cannot fail, nor serializing the artifacts' structs.
    let _ = value.serialize(&mut Serializer::with_formatter(&mut text, Nested));
    out.push('"');
    // serde_json writes UTF-8, and the escapes added here are ASCII.
    out.push_str(std::str::from_utf8(&text).unwrap_or_default());
    out.push('"');
}

/// serde_json's compact formatter for JSON text that becomes the content of a JSON string:
/// the quotes and escapes it writes are escaped once more. The pieces of string it writes
/// between escapes need nothing: serde_json cuts them at every character it escapes.
struct Nested;

impl Formatter for Nested {
    fn begin_string<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b"\\\"")
    }

    fn end_string<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b"\\\"")
    }

    fn write_char_escape<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        char_escape: CharEscape,
    ) -> io::Result<()> {
        // The escape serde_json writes (at most `\u00xx`), then each `\` or `"` in it escaped.
        const MAX: usize = 6;
        let mut inner = [0u8; MAX];
        let mut rest = &mut inner[..];
        CompactFormatter.write_char_escape(&mut rest, char_escape)?;
        let len = MAX - rest.len();
        for &b in &inner[..len] {
            if b == b'\\' || b == b'"' {
                writer.write_all(b"\\")?;
            }
            writer.write_all(&[b])?;
        }
        Ok(())
    }
}

/// The pretty JSON text of `value` (two-space indent), with a final newline.
pub fn pretty(value: &impl Serialize) -> String {
    let mut out = serde_json::to_string_pretty(value).unwrap_or_default();
    out.push('\n');
    out
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
    fn nested_text_is_the_json_string_of_the_json_text() {
        let v =
            json!({"a\"b": ["\\", "\u{1}\n\t\u{8}\u{c}\r/", 1.5, null, true], "ü": {"k": "it's"}});
        let mut out = String::from("x=");
        push_nested(&mut out, &v);
        let text = serde_json::to_string(&v).unwrap();
        assert_eq!(out, format!("x={}", serde_json::to_string(&text).unwrap()));
    }

    #[test]
    fn values_are_written_compact() {
        for v in [
            json!("s\n"),
            json!(true),
            json!(null),
            json!(6379),
            json!(-1.5),
            json!({"a": [1, "b"]}),
        ] {
            let mut out = String::new();
            push(&mut out, &v);
            assert_eq!(out, serde_json::to_string(&v).unwrap());
        }
    }
}
