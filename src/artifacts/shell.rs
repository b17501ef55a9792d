//! Quoting for POSIX shells: the one way any text reaches a generated shell line.

/// Quote `text` as one word for `sh`/`bash`: unchanged when it holds only characters that
/// are never special, otherwise in single quotes (a single quote inside becomes `'\''`).
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_quoted(&mut out, text);
    out
}

/// The characters that are never special to the shell (all ASCII, so bytes will do).
const PLAIN: [bool; 256] = super::alphanumeric_and(b"-_./:=@%+,");

/// Append `text` to `out` quoted as `quote` quotes it.
pub fn push_quoted(out: &mut String, text: &str) {
    let plain = !text.is_empty() && text.bytes().all(|b| PLAIN[usize::from(b)]);
    if plain {
        out.push_str(text);
        return;
    }
    out.push('\'');
    let mut rest = text;
    while let Some(i) = memchr::memchr(b'\'', rest.as_bytes()) {
        // A quote is ASCII, so `i` and `i + 1` are character boundaries.
        out.push_str(&rest[..i]);
        out.push_str(r"'\''");
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
    out.push('\'');
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use super::quote;

    const HOSTILE: &[&str] = &[
        "x; rm -rf ~",
        "it's",
        "$(reboot)",
        "`id`",
        "a\nb",
        "\"double\"",
        "back\\slash",
        "*",
        "",
        "-n",
        "tab\there",
        "ünï code",
        "'; echo pwned; '",
    ];

    #[test]
    fn plain_words_stay_plain() {
        assert_eq!(quote("billing-ri"), "billing-ri");
        assert_eq!(
            quote("file://table-mappings.json"),
            "file://table-mappings.json"
        );
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("'"), r"''\'''");
        assert_eq!(quote("''a''"), r"''\'''\''a'\'''\'''");
    }

    /// The shell itself reads each quoted word back as exactly the text we quoted.
    #[test]
    fn hostile_text_round_trips_through_a_real_shell() {
        for text in HOSTILE {
            let script = format!("printf '%s' {}", quote(text));
            let out = Command::new("sh")
                .arg("-c")
                .arg(&script)
                .output()
                .expect("sh");
            assert!(out.status.success(), "{script}");
            assert_eq!(String::from_utf8_lossy(&out.stdout), *text, "{script}");
        }
    }
}
