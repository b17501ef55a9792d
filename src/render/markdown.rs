//! Markdown text helpers: escaping user text, fenced blocks, and blank-line tidying.

/// Escape text for inline Markdown: characters that would start emphasis, code, links,
/// HTML, table cells or headings are backslash-escaped; newlines become spaces.
pub fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_inline_into(&mut out, text);
    out
}

/// [`escape_inline`], appending to `out`.
pub fn escape_inline_into(out: &mut String, text: &str) {
    // Copy the runs between bytes that need a look (most values, numbers, identifiers and
    // engine names, are one run); look at those bytes one character at a time.
    let bytes = text.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !NEEDS_ESCAPE[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        out.push_str(&text[run..i]);
        let c = text[i..].chars().next().unwrap_or_default();
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '{' | '}' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
        i += c.len_utf8();
        run = i;
    }
    out.push_str(&text[run..]);
}

/// Whether `escape_inline` may change this byte: the characters it escapes or drops are
/// ASCII, and any other character takes the careful path. A table, as every `{{value}}` of
/// every runbook passes through here.
const NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = matches!(
            c,
            b'\\'
                | b'`'
                | b'*'
                | b'_'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'|'
                | b'#'
                | b'{'
                | b'}'
                | b'!'
                | b'~'
                | b'&'
        ) || c.is_ascii_control()
            || c >= 0x80;
        b += 1;
    }
    table
};

/// Escape trusted prose that may hold `code spans`: text outside backticks is escaped like
/// user text; code spans stay as written (a pipe in them is escaped for tables, as GFM asks).
/// Unbalanced backticks make the whole text plain.
pub fn escape_prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_prose_into(&mut out, text);
    out
}

/// [`escape_prose`], appending to `out`.
pub fn escape_prose_into(out: &mut String, text: &str) {
    if memchr::memchr_iter(b'`', text.as_bytes()).count() % 2 == 1 {
        escape_inline_into(out, text);
        return;
    }
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 0 {
            escape_inline_into(out, part);
        } else {
            out.push('`');
            for c in part.chars() {
                match c {
                    '|' => out.push_str("\\|"),
                    '\n' | '\r' => out.push(' '),
                    c => out.push(c),
                }
            }
            out.push('`');
        }
    }
}

/// A fenced code block with a language, using a fence longer than any run of backticks inside.
pub fn fenced(lang: &str, body: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    // `contains` finds a backtick fast (memchr); most blocks have none to count.
    let ticked = if body.contains('`') { body } else { "" };
    for b in ticked.bytes() {
        if b == b'`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let ticks = longest.max(2) + 1;
    let body = body.trim_end_matches('\n');
    let mut out = String::with_capacity(body.len() + lang.len() + 2 * ticks + 2);
    out.extend(std::iter::repeat_n('`', ticks));
    out.push_str(lang);
    out.push('\n');
    out.push_str(body);
    out.push('\n');
    out.extend(std::iter::repeat_n('`', ticks));
    out
}

/// Indent every non-empty line by `n` spaces.
pub fn indent(text: &str, n: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16 * n + n);
    indent_into(&mut out, text, n);
    out
}

/// [`indent`], appending to `out`.
pub fn indent_into(out: &mut String, text: &str, n: usize) {
    for (i, line) in lines(text).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if !line.is_empty() {
            out.extend(std::iter::repeat_n(' ', n));
            out.push_str(line);
        }
    }
}

/// The lines of `text` as `str::lines` gives them (a final newline ends the last line, a
/// carriage return before a newline is dropped), found with SIMD `memchr`: a runbook has
/// hundreds of lines and batch tidies thousands of runbooks.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(
        // The last line, unless the text ends with a newline (or is empty).
        (!text.is_empty() && !text.ends_with('\n')).then_some(text.len()),
    );
    ends.map(move |end| {
        let line = &text[start..end];
        start = end + 1;
        if end < text.len() {
            line.strip_suffix('\r').unwrap_or(line)
        } else {
            line
        }
    })
}

/// `str::trim_start`, quick when the line starts with a visible ASCII character (most do).
fn trim_start(line: &str) -> &str {
    match line.as_bytes().first() {
        Some(b) if b.is_ascii_graphic() => line,
        _ => line.trim_start(),
    }
}

/// `str::trim_end`, quick when the line ends with a visible ASCII character.
fn trim_end(line: &str) -> &str {
    match line.as_bytes().last() {
        Some(b) if b.is_ascii_graphic() => line,
        _ => line.trim_end(),
    }
}

/// Collapse runs of blank lines to one outside code fences, keep a blank line around every
/// fenced block (Markdown lint MD031), drop trailing spaces, end with exactly one newline.
/// Templates stay readable without fighting handlebars whitespace.
pub fn tidy(text: &str) -> String {
    let mut out = Copier::new(text);
    let mut blank_run = 0;
    let mut fence: Option<&str> = None;
    let mut after_fence = false;
    for line in lines(text) {
        let trimmed = trim_start(line);
        if let Some(f) = fence {
            out.line(line);
            if trimmed.starts_with(f) && trimmed.trim_end().chars().all(|c| c == '`' || c == '~') {
                fence = None;
                after_fence = true;
            }
            continue;
        }
        let line = trim_end(line);
        if line.is_empty() {
            blank_run += 1;
            after_fence = false;
            if blank_run > 1 || out.is_empty() {
                continue;
            }
            out.line(line);
            continue;
        }
        let opens = trimmed.starts_with("```") || trimmed.starts_with("~~~");
        if (after_fence || (opens && blank_run == 0)) && !out.is_empty() {
            out.newline();
        }
        if opens {
            let len = trimmed
                .bytes()
                .take_while(|b| *b == b'`' || *b == b'~')
                .count();
            fence = Some(&trimmed[..len]);
        }
        blank_run = 0;
        after_fence = false;
        out.line(line);
    }
    let mut out = out.finish();
    while out.ends_with("\n\n") {
        out.pop();
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Writes lines of `text` (each followed by a newline) as `tidy` keeps them, copying runs
/// of lines that stay as they are in one piece: most of a runbook's lines do.
struct Copier<'t> {
    text: &'t str,
    out: String,
    /// Bytes of `text` still to copy: lines kept as they are, with their newlines.
    run: std::ops::Range<usize>,
}

impl<'t> Copier<'t> {
    fn new(text: &'t str) -> Self {
        Copier {
            text,
            out: String::with_capacity(text.len() + 64),
            run: 0..0,
        }
    }

    /// `line` (a slice of the text) and a newline.
    fn line(&mut self, line: &'t str) {
        let start = line.as_ptr() as usize - self.text.as_ptr() as usize;
        let end = start + line.len();
        let verbatim = self.text.as_bytes().get(end) == Some(&b'\n');
        if verbatim && (self.run.is_empty() || self.run.end == start) {
            if self.run.is_empty() {
                self.run.start = start;
            }
            self.run.end = end + 1;
        } else {
            self.flush();
            self.out.push_str(line);
            self.out.push('\n');
        }
    }

    /// A newline of its own (a blank line the text does not have).
    fn newline(&mut self) {
        self.flush();
        self.out.push('\n');
    }

    fn is_empty(&self) -> bool {
        self.out.is_empty() && self.run.is_empty()
    }

    fn flush(&mut self) {
        if !self.run.is_empty() {
            self.out.push_str(&self.text[self.run.clone()]);
            self.run = 0..0;
        }
    }

    fn finish(mut self) -> String {
        self.flush();
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_cannot_break_markdown() {
        assert_eq!(escape_inline("a|b"), "a\\|b");
        assert_eq!(escape_inline("# not a heading"), "\\# not a heading");
        assert_eq!(
            escape_inline("`code` *em* [l](u)"),
            "\\`code\\` \\*em\\* \\[l\\](u)"
        );
        assert_eq!(escape_inline("<script>&"), "\\<script\\>&amp;");
        assert_eq!(escape_inline("two\nlines"), "two lines");
        // Plain text is copied whole; any other character takes the careful path.
        assert_eq!(escape_inline("db-01 8.0 (x)"), "db-01 8.0 (x)");
        assert_eq!(escape_inline("café\u{85}x\u{7}"), "caféx");
        assert_eq!(escape_inline("ü_ü|"), "ü\\_ü\\|");
    }

    #[test]
    fn prose_keeps_code_spans_and_escapes_the_rest() {
        assert_eq!(
            escape_prose("a _doc column, `set_x=1`"),
            "a \\_doc column, `set_x=1`"
        );
        assert_eq!(escape_prose("`a|b`"), "`a\\|b`");
        assert_eq!(escape_prose("odd ` tick_"), "odd \\` tick\\_");
    }

    /// `tidy` as it was first written, line by line: the copying one must agree with it.
    fn tidy_line_by_line(text: &str) -> String {
        let mut out = String::new();
        let mut blank_run = 0;
        let mut fence: Option<String> = None;
        let mut after_fence = false;
        for line in text.lines() {
            let trimmed = line.trim_start();
            if let Some(f) = &fence {
                out.push_str(line);
                out.push('\n');
                if trimmed.starts_with(f.as_str())
                    && trimmed.trim_end().chars().all(|c| c == '`' || c == '~')
                {
                    fence = None;
                    after_fence = true;
                }
                continue;
            }
            let line = line.trim_end();
            if line.is_empty() {
                blank_run += 1;
                after_fence = false;
                if blank_run > 1 || out.is_empty() {
                    continue;
                }
                out.push('\n');
                continue;
            }
            let opens = trimmed.starts_with("```") || trimmed.starts_with("~~~");
            if (after_fence || (opens && blank_run == 0)) && !out.is_empty() {
                out.push('\n');
            }
            if opens {
                fence = Some(
                    trimmed
                        .chars()
                        .take_while(|c| *c == '`' || *c == '~')
                        .collect(),
                );
            }
            blank_run = 0;
            after_fence = false;
            out.push_str(line);
            out.push('\n');
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out
    }

    #[test]
    fn tidy_copies_what_it_keeps_and_changes_what_it_must() {
        for text in [
            "",
            "\n\n# T\n\n\n\npara  \nmore\t\n",
            "a\n```sh\n  x  \n\n\n```\nb",
            "a\n\n````text\n```\n````\n~~~\nz\n~~~\nend\n\n\n",
            "win\r\nlines\r\n\r\n\r\nx",
            "  - item\n    ```sql\n    SELECT 1;\n    ```\n  - next\n",
            " \u{a0}\nno newline at the end",
            "```\nunclosed\n\n\n",
        ] {
            assert_eq!(tidy(text), tidy_line_by_line(text), "{text:?}");
        }
    }

    #[test]
    fn lines_are_those_of_str_lines() {
        for text in [
            "",
            "a",
            "a\n",
            "a\n\nb",
            "a\r\nb\r\n",
            "\n\n",
            "x\ry\n",
            "é\nü",
            "a\r",
            "a\r\n\r",
        ] {
            assert_eq!(
                lines(text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn fences_outgrow_backticks_inside() {
        assert_eq!(fenced("sql", "SELECT 1;"), "```sql\nSELECT 1;\n```");
        assert_eq!(fenced("text", "a ```` b"), "`````text\na ```` b\n`````");
    }

    #[test]
    fn tidy_keeps_code_blocks_and_one_blank_line() {
        let text = "# T\n\n\n\npara  \n```sql\na\n\n\nb\n```\n- x\n\n";
        assert_eq!(tidy(text), "# T\n\npara\n\n```sql\na\n\n\nb\n```\n\n- x\n");
    }
}
