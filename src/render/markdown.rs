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
    let mut i = plain_prefix(bytes);
    while i < bytes.len() {
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
        i += plain_prefix(&bytes[i..]);
    }
    out.push_str(&text[run..]);
}

/// How many bytes at the start of `bytes` `escape_inline` copies as they are: eight at a
/// time, with one branch for the eight (a branch per byte cost three times as much).
fn plain_prefix(bytes: &[u8]) -> usize {
    let mut n = 0;
    while let Some(chunk) = bytes[n..].first_chunk::<8>() {
        if chunk
            .iter()
            .fold(false, |any, b| any | NEEDS_ESCAPE[usize::from(*b)])
        {
            break;
        }
        n += 8;
    }
    n + bytes[n..]
        .iter()
        .take_while(|b| !NEEDS_ESCAPE[usize::from(**b)])
        .count()
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
    let bytes = text.as_bytes();
    // Most prose has no code span: one search tells, and the text is one piece.
    let Some(first) = memchr::memchr(b'`', bytes) else {
        escape_inline_into(out, text);
        return;
    };
    // With the first backtick, an even count of the others means an odd count in all.
    if memchr::memchr_iter(b'`', &bytes[first + 1..]).count() % 2 == 0 {
        escape_inline_into(out, text);
        return;
    }
    let mut ticks = memchr::memchr_iter(b'`', bytes);
    let mut start = 0;
    while let (Some(open), Some(close)) = (ticks.next(), ticks.next()) {
        escape_inline_into(out, &text[start..open]);
        out.push('`');
        code_span_into(out, &text[open + 1..close]);
        out.push('`');
        start = close + 1;
    }
    escape_inline_into(out, &text[start..]);
}

/// The inside of a code span, copied but for a pipe (escaped for tables, as GFM asks) and
/// line breaks (spaces).
fn code_span_into(out: &mut String, code: &str) {
    let mut run = 0;
    for (i, b) in code.bytes().enumerate() {
        let with = match b {
            b'|' => "\\|",
            b'\n' | b'\r' => " ",
            _ => continue,
        };
        out.push_str(&code[run..i]);
        out.push_str(with);
        run = i + 1;
    }
    out.push_str(&code[run..]);
}

/// A fenced code block with a language, using a fence longer than any run of backticks inside.
pub fn fenced(lang: &str, body: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    // SIMD `memchr` finds a backtick fast (`str::contains` looks a word at a time); most
    // blocks have none to count.
    let ticked = match memchr::memchr(b'`', body.as_bytes()) {
        Some(first) => &body[first..],
        None => "",
    };
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
    push_repeated(&mut out, "````````````````", ticks);
    out.push_str(lang);
    out.push('\n');
    out.push_str(body);
    out.push('\n');
    push_repeated(&mut out, "````````````````", ticks);
    out
}

/// Pushes `n` copies of the ASCII character `unit` is made of: a slice of it when it is
/// long enough (a character at a time cost ten instructions each).
fn push_repeated(out: &mut String, unit: &str, n: usize) {
    match unit.get(..n) {
        Some(part) => out.push_str(part),
        None => out.extend(std::iter::repeat_n(unit.chars().next().unwrap_or(' '), n)),
    }
}

/// Indent every non-empty line by `n` spaces.
pub fn indent(text: &str, n: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16 * n + n);
    indent_into(&mut out, text, n);
    out
}

/// [`indent`], appending to `out`.
pub fn indent_into(out: &mut String, text: &str, n: usize) {
    // The lines of `str::lines`, joined with newlines: a line is copied with its newline
    // in one piece when it has one to keep and no carriage return to drop.
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
        let line = &text[start..end];
        let line = line.strip_suffix('\r').unwrap_or(line);
        if !line.is_empty() {
            for _ in 0..n {
                out.push(' ');
            }
        }
        if end + 1 == text.len() {
            out.push_str(line);
        } else if line.len() == end - start {
            out.push_str(&text[start..=end]);
        } else {
            out.push_str(line);
            out.push('\n');
        }
        start = end + 1;
    }
    if start < text.len() {
        for _ in 0..n {
            out.push(' ');
        }
        out.push_str(&text[start..]);
    }
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
    let bytes = text.as_bytes();
    let mut out = Copier::new(text);
    let mut blank_run = 0;
    let mut fence: Option<&str> = None;
    let mut after_fence = false;
    let mut start = 0;
    while start < bytes.len() {
        if let Some(f) = fence {
            // In a fenced block (a third of a runbook's lines) a line is written as it is,
            // unless it ends the block, so starts with the fence's first character, or
            // ends with a carriage return. Go straight to the first line holding either.
            match memchr::memchr2(f.as_bytes()[0], b'\r', &bytes[start..]) {
                Some(i) => {
                    let at = start + i;
                    start =
                        memchr::memrchr(b'\n', &bytes[start..at]).map_or(start, |i| start + i + 1);
                }
                // The block runs to the end of the text: all of it is written as it is
                // (`finish` and the final newline treat a last line as `line` would).
                None => break,
            }
        }
        if bytes[start] == b'\n' {
            // A blank line (a quarter of a runbook's lines): no search, no trimming.
            let next = start + 1;
            if fence.is_none() {
                blank_run += 1;
                after_fence = false;
                if blank_run > 1 || out.is_empty(start) {
                    out.drop_line(start, next);
                }
            }
            start = next;
            continue;
        }
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        // Most lines stay as they are: maybe some spaces, then a visible ASCII character
        // that opens no fence, a visible ASCII character before the newline. Only those
        // bytes are looked at, and the line stays in the run of text copied as it is.
        let lead = if bytes[start] == b' ' {
            start + leading_spaces(&bytes[start..end])
        } else {
            start
        };
        if lead < end
            && end < bytes.len()
            && bytes[lead].is_ascii_graphic()
            && bytes[end - 1].is_ascii_graphic()
        {
            let first = bytes[lead];
            match fence {
                None if !after_fence && first != b'`' && first != b'~' => {
                    blank_run = 0;
                    start = end + 1;
                    continue;
                }
                Some(f) if f.as_bytes()[0] != first => {
                    start = end + 1;
                    continue;
                }
                _ => {}
            }
        }
        // Any other line, as `str::lines` gives it.
        let next = (end + 1).min(bytes.len());
        let line = &text[start..end];
        let line = if end < bytes.len() {
            line.strip_suffix('\r').unwrap_or(line)
        } else {
            line
        };
        let trimmed = trim_start(line);
        if let Some(f) = fence {
            out.line(start, next, line);
            if trimmed.starts_with(f) && trimmed.trim_end().chars().all(|c| c == '`' || c == '~') {
                fence = None;
                after_fence = true;
            }
            start = next;
            continue;
        }
        let line = trim_end(line);
        if line.is_empty() {
            blank_run += 1;
            after_fence = false;
            if blank_run > 1 || out.is_empty(start) {
                out.drop_line(start, next);
            } else {
                out.line(start, next, line);
            }
            start = next;
            continue;
        }
        let opens = trimmed.starts_with("```") || trimmed.starts_with("~~~");
        if (after_fence || (opens && blank_run == 0)) && !out.is_empty(start) {
            out.newline(start);
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
        out.line(start, next, line);
        start = next;
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

/// How many spaces `line` starts with: eight bytes at a time, as a third of a runbook's
/// lines are indented (code, diagrams, list items). A tab ends the count like any byte.
fn leading_spaces(line: &[u8]) -> usize {
    const SPACES: u64 = 0x2020_2020_2020_2020;
    let mut n = 0;
    while let Some(word) = line[n..].first_chunk::<8>() {
        let other = u64::from_le_bytes(*word) ^ SPACES;
        if other != 0 {
            return n + (other.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + line[n..].iter().take_while(|b| **b == b' ').count()
}

/// Writes the lines of `text` as `tidy` keeps them. A line `tidy` keeps as it is costs
/// nothing: the text from `from` up to the line being looked at is written as it is, in one
/// piece, when a line that differs comes (most of a runbook's lines stay as they are).
struct Copier<'t> {
    text: &'t str,
    out: String,
    /// Where the text not yet written starts: it is all to be written as it is.
    from: usize,
}

impl<'t> Copier<'t> {
    fn new(text: &'t str) -> Self {
        Copier {
            text,
            out: String::with_capacity(text.len() + 64),
            from: 0,
        }
    }

    /// Whether nothing comes before the line at `start`.
    fn is_empty(&self, start: usize) -> bool {
        self.out.is_empty() && self.from == start
    }

    /// The line at `start..next` of the text is written as `line` (which starts at `start`)
    /// and a newline.
    fn line(&mut self, start: usize, next: usize, line: &str) {
        let verbatim = start + line.len() + 1 == next && self.text.as_bytes()[next - 1] == b'\n';
        if !verbatim {
            self.write_to(start);
            self.out.push_str(line);
            self.out.push('\n');
            self.from = next;
        }
    }

    /// The line at `start..next` is left out.
    fn drop_line(&mut self, start: usize, next: usize) {
        self.write_to(start);
        self.from = next;
    }

    /// A newline of its own before the line at `start` (a blank line the text lacks).
    fn newline(&mut self, start: usize) {
        self.write_to(start);
        self.out.push('\n');
        self.from = start;
    }

    /// Writes the text up to `at` as it is.
    fn write_to(&mut self, at: usize) {
        self.out.push_str(&self.text[self.from..at]);
    }

    fn finish(mut self) -> String {
        self.write_to(self.text.len());
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

    /// `escape_inline` as it was first written, a character at a time.
    fn escape_inline_char_by_char(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            match c {
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '{' | '}' | '!'
                | '~' => {
                    out.push('\\');
                    out.push(c);
                }
                '&' => out.push_str("&amp;"),
                '\n' | '\r' | '\t' => out.push(' '),
                c if c.is_control() => {}
                c => out.push(c),
            }
        }
        out
    }

    /// Text of `len` characters: plain ones, and all those `escape_inline` treats.
    fn inline_text(generator: &mut Gen, len: usize) -> String {
        const CHARS: &[&str] = &[
            "a", "b", "Z", "0", " ", "-", ".", "(", ")", ":", "/", "=", "'", "\"", "\\", "`", "*",
            "_", "[", "]", "<", ">", "|", "#", "{", "}", "!", "~", "&", "\n", "\r", "\t", "\u{0}",
            "\u{7}", "\u{7f}", "\u{85}", "\u{a0}", "é", "ü", "€", "𝄞", "\u{2028}",
        ];
        // Mostly plain characters, so runs of eight and more come up.
        (0..len)
            .map(|_| match generator.below(4) {
                0 => generator.pick(CHARS),
                _ => generator.pick(&CHARS[..14]),
            })
            .collect()
    }

    #[test]
    fn escape_inline_agrees_with_the_char_by_char_escape() {
        let mut generator = Gen(0x5851_f42d_4c95_7f2d);
        for _ in 0..20_000 {
            let len = generator.below(40);
            let text = inline_text(&mut generator, len);
            assert_eq!(
                escape_inline(&text),
                escape_inline_char_by_char(&text),
                "{text:?}"
            );
        }
    }

    /// `escape_prose` as it was first written, splitting at backticks.
    fn escape_prose_by_split(text: &str) -> String {
        if text.matches('`').count() % 2 == 1 {
            return escape_inline_char_by_char(text);
        }
        let mut out = String::new();
        for (i, part) in text.split('`').enumerate() {
            if i % 2 == 0 {
                out.push_str(&escape_inline_char_by_char(part));
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
        out
    }

    #[test]
    fn escape_prose_agrees_with_the_split_escape() {
        let mut generator = Gen(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            let len = generator.below(40);
            let mut text = inline_text(&mut generator, len);
            // More backticks than `inline_text` gives, in pairs and alone.
            for _ in 0..generator.below(5) {
                let at = generator.below(text.len() + 1);
                if text.is_char_boundary(at) {
                    text.insert(at, '`');
                }
            }
            assert_eq!(
                escape_prose(&text),
                escape_prose_by_split(&text),
                "{text:?}"
            );
        }
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

    /// A small deterministic generator (xorshift64*) for the property tests: no dependency,
    /// the same inputs on every run.
    struct Gen(u64);

    impl Gen {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }

        /// Text made of lines that exercise `tidy`: blank runs, trailing whitespace,
        /// fences of both kinds and lengths (indented, unclosed, with info strings), CRLF,
        /// Unicode whitespace at either end, with and without a final newline.
        fn markdown(&mut self) -> String {
            const LINES: &[&str] = &[
                "",
                "",
                "",
                " ",
                "\t",
                "  ",
                "text",
                "a line of prose, long enough to span words",
                "  indented",
                "    - item",
                "trailing ",
                "tabbed\t",
                "both \t ",
                "```",
                "```sh",
                "````",
                "````text",
                "~~~",
                "~~~~",
                "~~~sql",
                "  ```",
                "   ~~~",
                "\t```",
                "``` ",
                "```\t",
                "~~~ ",
                "`x` code",
                "~tilde",
                "``",
                "~~",
                "```~~~",
                "~~~```",
                "`",
                "\u{a0}```",
                "\u{a0}",
                "\u{3000}x",
                "x\u{a0}",
                "é",
                "ü_ü",
                "\u{85}",
                "x\u{2028}",
                "\r",
                "x\r",
                "\u{b}y",
                "z\u{c}",
                "#",
                "| a | b |",
                "    ```mermaid",
            ];
            const ENDS: &[&str] = &["\n", "\n", "\n", "\n", "\r\n"];
            let mut text = String::new();
            for _ in 0..self.below(40) {
                text.push_str(self.pick(LINES));
                text.push_str(self.pick(ENDS));
            }
            if self.below(3) == 0 {
                text.push_str(self.pick(LINES));
            }
            text
        }
    }

    #[test]
    fn tidy_agrees_with_the_line_by_line_tidy_on_generated_text() {
        let mut generator = Gen(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let text = generator.markdown();
            assert_eq!(tidy(&text), tidy_line_by_line(&text), "{text:?}");
        }
    }

    #[test]
    fn fences_outgrow_backticks_inside() {
        assert_eq!(fenced("sql", "SELECT 1;"), "```sql\nSELECT 1;\n```");
        assert_eq!(fenced("text", "a ```` b"), "`````text\na ```` b\n`````");
        let long = "`".repeat(20);
        assert_eq!(fenced("", &long), format!("`{long}\n{long}\n`{long}"));
    }

    #[test]
    fn indent_and_fenced_agree_with_their_first_versions() {
        let mut generator = Gen(0x2f6b_3c1d_a9e5_0417);
        let edges = [
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
        ];
        let generated = (0..5_000).map(|_| generator.markdown());
        for text in edges.map(String::from).into_iter().chain(generated) {
            for n in [0, 2, 4, 16, 17, 40] {
                let expected = text
                    .lines()
                    .map(|line| match line {
                        "" => String::new(),
                        line => format!("{}{line}", " ".repeat(n)),
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                assert_eq!(indent(&text, n), expected, "{n} {text:?}");
            }
            let longest = (1..=text.len())
                .rev()
                .find(|n| text.contains(&"`".repeat(*n)))
                .unwrap_or(0);
            let fence = "`".repeat(longest.max(2) + 1);
            let body = text.trim_end_matches('\n');
            assert_eq!(
                fenced("sh", &text),
                format!("{fence}sh\n{body}\n{fence}"),
                "{text:?}"
            );
        }
    }

    #[test]
    fn tidy_keeps_code_blocks_and_one_blank_line() {
        let text = "# T\n\n\n\npara  \n```sql\na\n\n\nb\n```\n- x\n\n";
        assert_eq!(tidy(text), "# T\n\npara\n\n```sql\na\n\n\nb\n```\n\n- x\n");
    }
}
