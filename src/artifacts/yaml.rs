//! A small YAML writer for JSON values (block style, quoted strings), enough for
//! CloudFormation templates without a YAML dependency.

use serde_json::Value;

/// YAML text of `value`, ending with a newline.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, 0, false);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A string as a double-quoted YAML scalar (JSON string syntax is valid YAML).
fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => serde_json::to_string(s).unwrap_or_default(),
        Value::Null => "null".to_string(),
        other => other.to_string(),
    }
}

fn is_block(v: &Value) -> bool {
    matches!(v, Value::Object(m) if !m.is_empty()) || matches!(v, Value::Array(a) if !a.is_empty())
}

fn write_value(out: &mut String, v: &Value, indent: usize, _in_list: bool) {
    let pad = "  ".repeat(indent);
    match v {
        Value::Object(map) if !map.is_empty() => {
            for (k, item) in map {
                let key = if k
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
                    && !k.is_empty()
                {
                    k.clone()
                } else {
                    serde_json::to_string(k).unwrap_or_default()
                };
                if is_block(item) {
                    out.push_str(&format!("{pad}{key}:\n"));
                    write_value(out, item, indent + 1, false);
                } else {
                    out.push_str(&format!("{pad}{key}: {}\n", empty_or_scalar(item)));
                }
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for item in items {
                if is_block(item) {
                    // A mapping inside a list: first key on the dash line.
                    let mut inner = String::new();
                    write_value(&mut inner, item, indent + 1, true);
                    let trimmed = inner.trim_start_matches(' ');
                    out.push_str(&format!("{pad}- {trimmed}"));
                } else {
                    out.push_str(&format!("{pad}- {}\n", empty_or_scalar(item)));
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", empty_or_scalar(other))),
    }
}

fn empty_or_scalar(v: &Value) -> String {
    match v {
        Value::Object(_) => "{}".to_string(),
        Value::Array(_) => "[]".to_string(),
        other => scalar(other),
    }
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
}
