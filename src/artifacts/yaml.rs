//! A small YAML writer (block style, double-quoted strings), enough for CloudFormation
//! templates without a YAML dependency. It writes straight into one `String`: a builder
//! opens and closes mappings and writes keys with their values, with no tree built first.

use serde_json::Value;

use super::json;

/// YAML text being written, and the depth of the mapping being filled.
#[derive(Debug, Default)]
pub struct Yaml {
    out: String,
    depth: usize,
}

impl Yaml {
    /// An empty document with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Yaml {
        Yaml {
            out: String::with_capacity(capacity),
            depth: 0,
        }
    }

    /// `key:` opening a nested mapping; the keys written next belong to it until `close`.
    pub fn open(&mut self, key: &str) {
        self.key(key);
        self.out.push('\n');
        self.depth += 1;
    }

    /// Close the mapping opened last.
    pub fn close(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// `key: "text"`.
    pub fn text(&mut self, key: &str, text: &str) {
        self.key(key);
        self.out.push(' ');
        json::push_str(&mut self.out, text);
        self.out.push('\n');
    }

    /// `key: "json"`: a JSON document as a string, its object written by `write`.
    pub fn json_text(&mut self, key: &str, write: impl FnOnce(json::Object<'_>)) {
        self.key(key);
        self.out.push_str(" \"");
        write(json::Object::nested(&mut self.out));
        self.out.push_str("\"\n");
    }

    /// `key: "json"`: a JSON document as a string, its object already written (by
    /// `json::Object::nested`).
    pub fn json_copy(&mut self, key: &str, nested: &str) {
        self.key(key);
        self.out.push_str(" \"");
        self.out.push_str(nested);
        self.out.push_str("\"\n");
    }

    /// `key: value` for a value written as is (a number or a boolean).
    pub fn plain(&mut self, key: &str, value: &str) {
        self.key(key);
        self.out.push(' ');
        self.out.push_str(value);
        self.out.push('\n');
    }

    /// `key: n`.
    pub fn number(&mut self, key: &str, n: u32) {
        self.key(key);
        self.out.push(' ');
        json::push_number(&mut self.out, u64::from(n));
        self.out.push('\n');
    }

    /// `key:` with `Ref: "name"` under it.
    pub fn reference(&mut self, key: &str, name: &str) {
        self.open(key);
        self.text("Ref", name);
        self.close();
    }

    /// `key:` with any JSON value: a scalar on the line, a non-empty mapping or list below.
    pub fn value(&mut self, key: &str, v: &Value) {
        self.pad();
        self.entry(key, v);
    }

    /// Append whole top-level entries written before (by `finish`ing another `Yaml`).
    pub fn top_level(&mut self, entries: &str) {
        debug_assert_eq!(self.depth, 0, "top-level entries inside a mapping");
        self.out.push_str(entries);
    }

    /// The text written, ending with a newline.
    pub fn finish(mut self) -> String {
        if !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        self.out
    }

    /// Indentation and `key:`.
    fn key(&mut self, key: &str) {
        self.pad();
        self.bare_key(key);
    }

    /// `key:`, plain when it is a simple word, else double-quoted.
    fn bare_key(&mut self, key: &str) {
        const PLAIN: [bool; 256] = super::alphanumeric_and(b"_:");
        let plain = !key.is_empty() && key.bytes().all(|b| PLAIN[usize::from(b)]);
        if plain {
            self.out.push_str(key);
        } else {
            json::push_str(&mut self.out, key);
        }
        self.out.push(':');
    }

    fn pad(&mut self) {
        const SPACES: &str = "                ";
        let width = 2 * self.depth;
        if width <= SPACES.len() {
            self.out.push_str(&SPACES[..width]);
        } else {
            for _ in 0..self.depth {
                self.out.push_str("  ");
            }
        }
    }

    /// The lines of a non-empty mapping or list at the current depth. In a list, a mapping or
    /// list item starts on the dash line: `skip_pad` leaves out the first line's indentation.
    fn block(&mut self, v: &Value, skip_pad: bool) {
        let mut skip_pad = skip_pad;
        match v {
            Value::Object(map) if !map.is_empty() => {
                for (k, item) in map {
                    if !std::mem::take(&mut skip_pad) {
                        self.pad();
                    }
                    self.entry(k, item);
                }
            }
            Value::Array(items) if !items.is_empty() => {
                for item in items {
                    if !std::mem::take(&mut skip_pad) {
                        self.pad();
                    }
                    self.out.push_str("- ");
                    if is_block(item) {
                        self.depth += 1;
                        self.block(item, true);
                        self.depth -= 1;
                    } else {
                        self.scalar(item);
                        self.out.push('\n');
                    }
                }
            }
            other => {
                if !skip_pad {
                    self.pad();
                }
                self.scalar(other);
                self.out.push('\n');
            }
        }
    }

    /// `key:` and its value, after the indentation.
    fn entry(&mut self, key: &str, v: &Value) {
        self.bare_key(key);
        if is_block(v) {
            self.out.push('\n');
            self.depth += 1;
            self.block(v, false);
            self.depth -= 1;
        } else {
            self.out.push(' ');
            self.scalar(v);
            self.out.push('\n');
        }
    }

    /// A scalar: strings double-quoted (JSON string syntax is valid YAML), empty mappings and
    /// lists in flow style.
    fn scalar(&mut self, v: &Value) {
        match v {
            Value::Object(_) => self.out.push_str("{}"),
            Value::Array(_) => self.out.push_str("[]"),
            other => json::push(&mut self.out, other),
        }
    }
}

/// YAML text of `value`, ending with a newline.
pub fn to_yaml(value: &Value) -> String {
    let mut y = Yaml::default();
    y.block(value, false);
    y.finish()
}

fn is_block(v: &Value) -> bool {
    matches!(v, Value::Object(m) if !m.is_empty()) || matches!(v, Value::Array(a) if !a.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_block_yaml_with_quoted_strings() {
        let v = json!({"A": {"B": "x: y", "C": [1, {"D": "e", "F": true}], "G": []}, "H": "it's \"q\""});
        assert_eq!(
            to_yaml(&v),
            "A:\n  B: \"x: y\"\n  C:\n    - 1\n    - D: \"e\"\n      F: true\n  G: []\nH: \"it's \\\"q\\\"\"\n"
        );
    }

    #[test]
    fn lists_in_lists_and_odd_keys() {
        let v = json!({"a b": [[1, 2], [{"k": null}], {}], "": {"x": {"y": [3]}}});
        assert_eq!(
            to_yaml(&v),
            "\"a b\":\n  - - 1\n    - 2\n  - - k: null\n  - {}\n\"\":\n  x:\n    y:\n      - 3\n"
        );
    }

    #[test]
    fn entries_written_apart_are_the_same_text() {
        let write_b = |y: &mut Yaml| {
            y.open("B");
            y.reference("C", "D");
            y.close();
        };
        let mut whole = Yaml::default();
        whole.text("A", "x");
        write_b(&mut whole);
        let mut apart = Yaml::default();
        write_b(&mut apart);
        let mut joined = Yaml::default();
        joined.text("A", "x");
        joined.top_level(&apart.finish());
        assert_eq!(joined.finish(), whole.finish());
    }

    #[test]
    fn the_writer_and_to_yaml_agree() {
        let mut y = Yaml::default();
        y.text("A", "x");
        y.open("B");
        y.plain("C", "1");
        y.reference("D", "E");
        y.value("F", &json!({"G": [true]}));
        y.close();
        let v = json!({"A": "x", "B": {"C": 1, "D": {"Ref": "E"}, "F": {"G": [true]}}});
        assert_eq!(y.finish(), to_yaml(&v));
    }
}
