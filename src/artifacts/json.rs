//! JSON text written straight into a `String`, with serde_json's own escaping, so builders
//! append a quoted value to the text they are writing instead of allocating it first.

use std::io;

use serde::Serialize;

/// `io::Write` into a `String`. serde_json writes whole UTF-8 pieces (it splits text only at
/// the ASCII characters it escapes), so each piece is checked and appended as it comes.
struct StringWriter<'a>(&'a mut String);

impl io::Write for StringWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = std::str::from_utf8(buf).map_err(io::Error::other)?;
        self.0.push_str(text);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Append the compact JSON text of `value` to `out`.
pub fn push(out: &mut String, value: &(impl Serialize + ?Sized)) {
    // Serializing a str, a number or a derived struct cannot fail, and the writer accepts
    // every piece serde_json writes; as with `to_string(..).unwrap_or_default()`, an error
    // would leave the text short rather than stop the plan.
    let _ = serde_json::to_writer(StringWriter(out), value);
}

/// The pretty JSON text of `value` (two-space indent), with a final newline.
pub fn pretty(value: &(impl Serialize + ?Sized)) -> String {
    let mut out = String::with_capacity(1024);
    let _ = serde_json::to_writer_pretty(StringWriter(&mut out), value);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_as_serde_json_escapes_it() {
        for text in [
            "plain",
            "it's \"q\"",
            "back\\slash",
            "tab\there\n",
            "ünï\u{1f}code",
            "",
        ] {
            let mut out = String::from("x=");
            push(&mut out, text);
            assert_eq!(out, format!("x={}", serde_json::to_string(text).unwrap()));
        }
    }

    #[test]
    fn pretty_text_matches_serde_json() {
        let v = serde_json::json!({"a": [1, {"b": "ü"}], "c": {}});
        assert_eq!(pretty(&v), serde_json::to_string_pretty(&v).unwrap() + "\n");
    }
}
