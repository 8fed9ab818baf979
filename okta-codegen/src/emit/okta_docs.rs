//! Okta's descriptions as rustdoc. The manifest keeps Okta's text verbatim, written for Okta's
//! reference site: markdown with some HTML, links relative to that site, and code blocks that
//! rustdoc would compile and run as Rust doctests. Every description the generator writes (of a
//! category, action, parameter, model or field) goes through [`render`] on its way into a doc
//! comment:
//!
//! - a code block without a language (fenced, or indented by four spaces) is fenced as `json`
//!   when its text is JSON, else as `text`, so rustdoc shows it and does not test it; a fence
//!   left open is closed where the description ends (else it would swallow what the generator
//!   writes after it);
//! - a link relative to Okta's site becomes absolute (`/docs/...` under [`OKTA_SITE`], any other
//!   path, `/#anchor` included, under [`OKTA_API_DOCS`], a tag page's `./#tag/X/...` or `../X`
//!   under [`OKTA_REFERENCE`]); a link to another anchor of Okta's own page (`#components/...`)
//!   has no page here, so it becomes its text;
//! - `<x-lifecycle class="ea">` badges become text, "(Early Access)", and the elements that hold
//!   them go;
//! - `<br>` becomes a markdown line break (a paragraph break when it stands alone, nothing where a
//!   block starts next anyway; kept in a table row, which is one line); `<details>` with its
//!   `<summary>` becomes the summary in bold and the paragraphs after it;
//! - a bare URL becomes an autolink (`<https://...>`);
//! - a line that continues a list item's or block quote's paragraph lazily gets the item's
//!   indentation or the quote's `>` (the same markdown, made explicit as clippy's
//!   `doc_lazy_continuation` lint asks of doc comments).
//!
//! Nothing inside code (fences, indented blocks, `` `spans` ``) is touched. Other HTML rustdoc
//! renders (`<img>`, entities such as `&mdash;`) and markdown it renders (tables, headings,
//! block quotes) are kept as they are.

use std::collections::BTreeSet;

use crate::names::{OKTA_API_DOCS, OKTA_REFERENCE, OKTA_SITE};

/// What [`render_noting`] changed in a description, to measure the rendering over a manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Construct {
    /// A fenced code block rustdoc would have run as a doctest, now tagged `json` or `text`.
    CodeFence,
    /// A code fence left open, closed where the description ends.
    UnclosedFence,
    /// An indented code block (a doctest too), now fenced as `text`.
    IndentedCode,
    /// A link (or reference definition) relative to Okta's site, now absolute.
    RelativeLink,
    /// A link to an anchor of Okta's own page, now its text.
    PageAnchor,
    /// A link whose destination is in parentheses of its own, `((https://...))`, unwrapped.
    WrappedLink,
    /// An `<x-lifecycle>` badge, now text, or an element holding one, gone.
    Lifecycle,
    /// `<br>`, now a markdown line or paragraph break.
    LineBreak,
    /// `<details>` and `<summary>`, now a bold title and the paragraphs after it.
    Details,
    /// A line continuing a list item's or block quote's paragraph lazily (without the item's
    /// indentation or the quote's `>`), now with them.
    LazyContinuation,
    /// A bare URL, now an autolink.
    BareUrl,
}

impl Construct {
    pub const ALL: [Construct; 11] = [
        Construct::CodeFence,
        Construct::UnclosedFence,
        Construct::IndentedCode,
        Construct::RelativeLink,
        Construct::PageAnchor,
        Construct::WrappedLink,
        Construct::Lifecycle,
        Construct::LineBreak,
        Construct::Details,
        Construct::LazyContinuation,
        Construct::BareUrl,
    ];

    /// A few words on what changed, for reports.
    pub fn label(self) -> &'static str {
        match self {
            Construct::CodeFence => "code fence tagged json/text",
            Construct::UnclosedFence => "unclosed code fence closed",
            Construct::IndentedCode => "indented code block fenced as text",
            Construct::RelativeLink => "relative link made absolute",
            Construct::PageAnchor => "link to an anchor of Okta's page unlinked",
            Construct::WrappedLink => "link destination in double parentheses unwrapped",
            Construct::Lifecycle => "<x-lifecycle> badge as text",
            Construct::LineBreak => "<br> as markdown",
            Construct::Details => "<details>/<summary> as markdown",
            Construct::LazyContinuation => "lazy continuation line given its indentation or `>`",
            Construct::BareUrl => "bare URL as autolink",
        }
    }
}

/// Okta's description as rustdoc markdown (see the module's documentation).
pub fn render(text: &str) -> String {
    render_noting(text).0
}

/// [`render`], and which constructs it changed.
pub fn render_noting(text: &str) -> (String, BTreeSet<Construct>) {
    let text = text.replace("\r\n", "\n");
    let lines: Vec<&str> = text.trim_end().lines().collect();
    let mut r = Renderer::default();
    r.blocks(&lines);
    // As a doc comment has it (`doc_lines`): no indentation before its first line either.
    let out = r.out.join("\n");
    (out.trim().to_owned(), r.noted)
}

#[derive(Default)]
struct Renderer {
    out: Vec<String>,
    noted: BTreeSet<Construct>,
    /// Whether the last line written is paragraph text (a line break at the start of the next
    /// line belongs at its end).
    last_is_text: bool,
    /// In a paragraph: what its lines start with (a list item's indentation to its content, a
    /// block quote's `>`), which a line that continues it lazily, without it, gets.
    paragraph: Option<String>,
}

impl Renderer {
    fn blocks(&mut self, lines: &[&str]) {
        // Whether the previous line was blank (or there is none): an indented code block starts
        // only there.
        let mut after_blank = true;
        // Whether a list is open: indented lines after a blank line continue its item.
        let mut in_list = false;
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i].trim_end();
            let trimmed = line.trim_start();
            let indent = indentation(line);
            if trimmed.is_empty() {
                self.blank();
                after_blank = true;
                i += 1;
                continue;
            }
            if let Some(fence) = Fence::open(line) {
                i = self.fence(lines, i, &fence);
                after_blank = false;
                continue;
            }
            if after_blank && indent >= 4 && !in_list {
                i = self.indented_code(lines, i);
                after_blank = false;
                continue;
            }
            if indent <= 3 && list_marker(trimmed) {
                in_list = true;
            } else if after_blank && indent < 2 {
                in_list = false;
            }
            let wrote = match self.details(trimmed) {
                Some(wrote) => wrote,
                None => self.text_line(line, lines.get(i + 1).copied()),
            };
            after_blank = match wrote {
                Wrote::Text => false,
                Wrote::Blank => true,
                // The next line follows what came before this one.
                Wrote::Nothing => after_blank,
            };
            i += 1;
        }
    }

    /// Writes a line that is not paragraph text (code, a table row, a heading).
    fn push(&mut self, line: String, is_text: bool) {
        self.out.push(line);
        self.last_is_text = is_text;
        self.paragraph = None;
    }

    /// A paragraph break (one blank line, however many are asked for in a row).
    fn blank(&mut self) {
        if self.out.last().is_some_and(|l| !l.is_empty()) {
            self.out.push(String::new());
        }
        self.last_is_text = false;
        self.paragraph = None;
    }

    /// A fenced code block from `lines[start]`; returns the index of the line after it.
    fn fence(&mut self, lines: &[&str], start: usize, fence: &Fence) -> usize {
        let close = (start + 1..lines.len()).find(|&j| fence.closed_by(lines[j]));
        let body = &lines[start + 1..close.unwrap_or(lines.len())];
        let marker = fence.marker.to_string().repeat(fence.len);
        if is_rust_info(&fence.info) {
            self.noted.insert(Construct::CodeFence);
            let info = if is_json(body) { "json" } else { "text" };
            self.push(format!("{}{marker}{info}", fence.indent), false);
        } else {
            self.push(lines[start].trim_end().to_owned(), false);
        }
        for l in body {
            self.push(l.trim_end().to_owned(), false);
        }
        match close {
            Some(j) => {
                self.push(lines[j].trim_end().to_owned(), false);
                j + 1
            }
            None => {
                self.noted.insert(Construct::UnclosedFence);
                self.push(format!("{}{marker}", fence.indent), false);
                lines.len()
            }
        }
    }

    /// An indented code block from `lines[start]`, fenced as text; returns the index of the
    /// line after it.
    fn indented_code(&mut self, lines: &[&str], start: usize) -> usize {
        let mut end = start;
        while end < lines.len() && (lines[end].trim().is_empty() || indentation(lines[end]) >= 4) {
            end += 1;
        }
        let mut last = end;
        while last > start && lines[last - 1].trim().is_empty() {
            last -= 1;
        }
        self.noted.insert(Construct::IndentedCode);
        // Longer than any run of backticks in the code, which could close it otherwise.
        let longest = lines[start..last]
            .iter()
            .flat_map(|l| l.split(|c| c != '`'))
            .map(str::len)
            .max()
            .unwrap_or(0);
        let marker = "`".repeat(longest.max(2) + 1);
        self.push(format!("{marker}text"), false);
        for l in &lines[start..last] {
            self.push(strip_indent(l.trim_end(), 4).to_owned(), false);
        }
        self.push(marker, false);
        last
    }

    /// `<details>`, `</details>` or `<summary>...</summary>` alone on a line, written (what
    /// follows starts a new paragraph); `None` for any other line.
    fn details(&mut self, trimmed: &str) -> Option<Wrote> {
        let lower = trimmed.to_ascii_lowercase();
        if lower == "</details>" || opening_tag(&lower, "details") == Some(lower.len()) {
            self.noted.insert(Construct::Details);
            self.blank();
            return Some(Wrote::Blank);
        }
        let open = opening_tag(&lower, "summary")?;
        let close = lower.rfind("</summary>")?;
        if close < open || close + "</summary>".len() != lower.len() {
            return None;
        }
        self.noted.insert(Construct::Details);
        self.blank();
        let title = trimmed[open..close].trim();
        if !title.is_empty() {
            let title = self.inline(title).join(" ");
            self.push(format!("**{}**", title.trim()), false);
            self.blank();
        }
        Some(Wrote::Blank)
    }

    /// A line of text (not code): its inline HTML, links and URLs, then its line breaks.
    fn text_line(&mut self, line: &str, next: Option<&str>) -> Wrote {
        if let Some(definition) = self.reference_definition(line) {
            self.push(definition, false);
            return Wrote::Text;
        }
        let indent = &line[..line.len() - line.trim_start().len()];
        let pieces = self.inline(line);
        if pieces.len() == 1 {
            let text = pieces.into_iter().next().unwrap_or_default();
            if text.trim().is_empty() {
                // Only markup the rendering removed: nothing of the line is left.
                return Wrote::Nothing;
            }
            if text != line {
                // What is left may be `<details>` alone, say.
                if let Some(wrote) = self.details(text.trim()) {
                    return wrote;
                }
            }
            self.push_text(text, indent);
            return Wrote::Text;
        }
        if line.trim_start().starts_with('|') {
            // A table row is one line: a break inside a cell stays HTML, which rustdoc renders.
            let row = pieces.join("<br>");
            self.push(row, false);
            return Wrote::Text;
        }
        self.noted.insert(Construct::LineBreak);
        if pieces.iter().all(|p| p.trim().is_empty()) {
            // `<br>` alone on its line: a paragraph break.
            self.blank();
            return Wrote::Blank;
        }
        let last = pieces.len() - 1;
        let mut current = pieces[0].clone();
        for (k, piece) in pieces.iter().enumerate().skip(1) {
            let after = piece.trim_start();
            if !after.is_empty() && starts_block(after) {
                // On a line of its own, the rest would be a block of its own (a list item, a
                // code fence): the break stays HTML, in the line.
                current.push_str("<br>");
                current.push_str(piece);
            } else if current.trim().is_empty() {
                // A break at the start of the line ends the previous line, if it is text.
                if self.last_is_text {
                    if let Some(prev) = self.out.last_mut() {
                        prev.push('\\');
                    }
                }
                current = format!("{indent}{after}");
            } else if after.is_empty() && k == last {
                // A break at the end of the line: a line break only if the paragraph goes on.
                if next.is_some_and(|n| !n.trim().is_empty() && !starts_block(n)) {
                    current.push('\\');
                }
            } else if after.is_empty() {
                // Breaks in a row: one.
                continue;
            } else {
                current.push('\\');
                let line = std::mem::replace(&mut current, format!("{indent}{after}"));
                self.push_text(line, indent);
            }
        }
        if current.trim().is_empty() {
            self.last_is_text = false;
        } else {
            self.push_text(current, indent);
        }
        Wrote::Text
    }

    /// Writes a line of text the rendering made from a line indented by `indent`. What the
    /// markup it lost (a `<br>`, a badge) left in front of it cannot make it a code block: it
    /// is indented no deeper than the line was, and a code fence at its start is escaped.
    fn push_text(&mut self, text: String, indent: &str) {
        let trimmed = text.trim_start();
        let mut line = if indentation(&text) > indentation(indent) {
            format!("{indent}{trimmed}")
        } else {
            text.clone()
        };
        if Fence::open(&line).is_some() {
            let at = line.len() - line.trim_start().len();
            line.insert(at, '\\');
        }
        let paragraph = self.paragraph.take();
        let trimmed = line.trim_start();
        let prefix = if list_marker(trimmed) {
            // A list item: its paragraph's lines are indented to its content.
            Some(" ".repeat(list_content_column(&line)))
        } else if trimmed.starts_with('>') {
            let quote = trimmed.len() - trimmed.trim_start_matches(['>', ' ']).len();
            Some(line[..line.len() - trimmed.len() + quote].to_owned())
        } else if starts_block(trimmed) {
            None
        } else if let Some(prefix) = paragraph {
            // A line of the paragraph that continues it lazily gets what its lines start with
            // (the same paragraph to markdown, and explicit, as clippy's
            // `doc_lazy_continuation` asks of doc comments).
            let lazy = if prefix.contains('>') {
                !trimmed.starts_with('>')
            } else {
                indentation(&line) < indentation(&prefix)
            };
            if lazy {
                self.noted.insert(Construct::LazyContinuation);
                line = format!("{prefix}{}", line.trim_start());
            }
            Some(prefix)
        } else {
            Some(line[..line.len() - trimmed.len()].to_owned())
        };
        let is_text = takes_break(&line);
        self.out.push(line);
        self.last_is_text = is_text;
        self.paragraph = prefix;
    }

    /// A link reference definition (`[label]: destination`), its destination made absolute if
    /// it is relative to Okta's site; `None` for any other line.
    fn reference_definition(&mut self, line: &str) -> Option<String> {
        let trimmed = line.trim_start();
        if indentation(line) > 3 || !trimmed.starts_with('[') {
            return None;
        }
        let colon = trimmed.find("]:")?;
        let dest = trimmed[colon + 2..].trim_start();
        if colon == 1 || dest.is_empty() || trimmed[1..colon].contains(['[', ']']) {
            return None;
        }
        let head = &line[..line.len() - dest.len()];
        Some(match destination(dest) {
            Destination::Absolute(abs) => {
                self.noted.insert(Construct::RelativeLink);
                format!("{head}{abs}")
            }
            Destination::Keep | Destination::Unlink => line.to_owned(),
        })
    }

    /// One line's inline markup, outside code spans; the pieces between its `<br>`s.
    fn inline(&mut self, line: &str) -> Vec<String> {
        let mut pieces = Vec::new();
        let mut cur = String::new();
        // A lifecycle badge was just written: the next word gets a space before it.
        let mut space_next = false;
        // `<div class="x-lifecycle-container">`s open on this line, whose `</div>` goes too.
        let mut open_divs = 0usize;
        let mut rest = line;
        while let Some(c) = rest.chars().next() {
            if c == '`' {
                let span = code_span(rest);
                append(&mut cur, &mut space_next, span);
                rest = &rest[span.len()..];
                continue;
            }
            if c == '<' {
                if let Some((tag, len)) = Tag::parse(rest) {
                    match self.tag(&tag, &mut open_divs) {
                        TagAction::Break => pieces.push(std::mem::take(&mut cur)),
                        TagAction::Drop => {}
                        TagAction::Text(label) => {
                            if !cur.is_empty() && !cur.ends_with([' ', '(']) {
                                cur.push(' ');
                            }
                            cur.push_str(&label);
                            space_next = true;
                        }
                        TagAction::Keep => append(&mut cur, &mut space_next, &rest[..len]),
                    }
                    rest = &rest[len..];
                    continue;
                }
                // An autolink or anything else in angle brackets: as it is.
                if let Some(end) = rest
                    .find('>')
                    .filter(|_| !rest[1..].starts_with(char::is_whitespace))
                {
                    append(&mut cur, &mut space_next, &rest[..=end]);
                    rest = &rest[end + 1..];
                    continue;
                }
            }
            if rest.starts_with("](") {
                if let Some(len) = self.link_destination(&mut cur, &rest[1..]) {
                    rest = &rest[1 + len..];
                    continue;
                }
            }
            if (rest.starts_with("https://") || rest.starts_with("http://"))
                && !cur.ends_with(|p: char| p.is_alphanumeric() || "[=/".contains(p))
            {
                let url = bare_url(rest);
                self.noted.insert(Construct::BareUrl);
                append(&mut cur, &mut space_next, &format!("<{url}>"));
                rest = &rest[url.len()..];
                continue;
            }
            let len = c.len_utf8();
            append(&mut cur, &mut space_next, &rest[..len]);
            rest = &rest[len..];
        }
        pieces.push(cur);
        pieces
    }

    fn tag(&mut self, tag: &Tag, open_divs: &mut usize) -> TagAction {
        match (tag.name.as_str(), tag.closing) {
            ("br", false) => TagAction::Break,
            ("x-lifecycle", false) => {
                self.noted.insert(Construct::Lifecycle);
                match tag.class.as_deref() {
                    Some(class) if !class.trim().is_empty() => {
                        TagAction::Text(format!("({})", lifecycle_label(class.trim())))
                    }
                    _ => TagAction::Drop,
                }
            }
            ("x-lifecycle" | "x-lifecycle-container", _) => {
                self.noted.insert(Construct::Lifecycle);
                TagAction::Drop
            }
            ("div", false) if tag.class.as_deref() == Some("x-lifecycle-container") => {
                self.noted.insert(Construct::Lifecycle);
                *open_divs += 1;
                TagAction::Drop
            }
            ("div", true) if *open_divs > 0 => {
                *open_divs -= 1;
                TagAction::Drop
            }
            _ => TagAction::Keep,
        }
    }

    /// At `(` after a link's `]`: writes the destination, made absolute if it is relative to
    /// Okta's site, and returns how much of `rest` it took (through the `)`); `None` when there
    /// is no destination.
    fn link_destination(&mut self, cur: &mut String, rest: &str) -> Option<usize> {
        let len = link_end(rest)?;
        let mut inner = &rest[1..len - 1];
        // `[text]((https://...))`: the destination in parentheses of its own.
        if let Some(unwrapped) = inner.strip_prefix('(').and_then(|i| i.strip_suffix(')')) {
            if destination(unwrapped) == Destination::Keep && unwrapped.contains("://") {
                self.noted.insert(Construct::WrappedLink);
                inner = unwrapped;
            }
        }
        let dest_len = inner.find(char::is_whitespace).unwrap_or(inner.len());
        let (dest, title) = inner.split_at(dest_len);
        match destination(dest) {
            Destination::Absolute(abs) => {
                self.noted.insert(Construct::RelativeLink);
                cur.push_str(&format!("]({abs}{title})"));
            }
            Destination::Unlink => match link_text_start(cur) {
                Some(open) => {
                    // The link's text alone: drop its `[` (the `]` is not written yet).
                    cur.remove(open);
                    self.noted.insert(Construct::PageAnchor);
                }
                None => cur.push_str(&format!("]({inner})")),
            },
            Destination::Keep => cur.push_str(&format!("]({inner})")),
        }
        Some(len)
    }
}

/// What a line of the description became.
#[derive(Clone, Copy)]
enum Wrote {
    Text,
    /// A paragraph break.
    Blank,
    /// Nothing (it held only markup that is gone).
    Nothing,
}

enum TagAction {
    /// A line break: the line's next piece starts.
    Break,
    /// Gone.
    Drop,
    /// Replaced by text.
    Text(String),
    /// Written as it is.
    Keep,
}

/// An HTML tag at the start of a text: its name (lower case), whether it is a closing tag, and
/// its `class`.
struct Tag {
    name: String,
    closing: bool,
    class: Option<String>,
}

impl Tag {
    /// The tag `text` starts with, and its length through `>`.
    fn parse(text: &str) -> Option<(Tag, usize)> {
        let body = text.strip_prefix('<')?;
        let (closing, body) = match body.strip_prefix('/') {
            Some(b) => (true, b),
            None => (false, body),
        };
        let name_len = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(body.len());
        if name_len == 0 || !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let end = body.find('>')?;
        let attrs = &body[name_len..end];
        if !attrs.is_empty() && !attrs.starts_with(|c: char| c.is_whitespace() || c == '/') {
            return None;
        }
        let class = attribute(attrs, "class");
        let len = text.len() - body.len() + end + 1;
        Some((
            Tag {
                name: body[..name_len].to_ascii_lowercase(),
                closing,
                class,
            },
            len,
        ))
    }
}

/// The value of attribute `name` in a tag's attributes (`class="ea"` or `class='ea'`).
fn attribute(attrs: &str, name: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find(name).map(|p| p + from) {
        let before_ok = at == 0 || lower[..at].ends_with(char::is_whitespace);
        let after = lower[at + name.len()..].trim_start();
        if before_ok {
            if let Some(value) = after.strip_prefix('=') {
                let value = value.trim_start();
                let quote = value.chars().next()?;
                if quote == '"' || quote == '\'' {
                    let inner = &value[1..];
                    let end = inner.find(quote)?;
                    // The same span of the original text, in its own case.
                    let start = attrs.len() - inner.len();
                    return Some(attrs[start..start + end].to_owned());
                }
            }
        }
        from = at + name.len();
    }
    None
}

/// The text for Okta's lifecycle badge of class `class`.
fn lifecycle_label(class: &str) -> String {
    match class.to_ascii_lowercase().as_str() {
        "ea" => "Early Access".to_owned(),
        "beta" => "Beta".to_owned(),
        "oie" | "ie" => "Identity Engine".to_owned(),
        "lgm" | "lga" | "limited-ga" | "limited_ga" => "Limited GA".to_owned(),
        "ga" => "Generally Available".to_owned(),
        "deprecated" => "Deprecated".to_owned(),
        "classic" => "Classic Engine".to_owned(),
        _ => class.to_owned(),
    }
}

/// Appends text to a line; a word right after a lifecycle badge gets a space first.
fn append(cur: &mut String, space_next: &mut bool, text: &str) {
    if std::mem::take(space_next)
        && text.starts_with(|c: char| !c.is_whitespace() && !".,;:!?)".contains(c))
    {
        cur.push(' ');
    }
    cur.push_str(text);
}

/// The code span `text` starts with (a run of backticks through the next run of the same
/// length), or the run of backticks alone when none closes it.
fn code_span(text: &str) -> &str {
    let run = text.len() - text.trim_start_matches('`').len();
    let mut from = run;
    while let Some(at) = text[from..].find('`').map(|p| p + from) {
        let len = text[at..].len() - text[at..].trim_start_matches('`').len();
        if len == run {
            return &text[..at + len];
        }
        from = at + len;
    }
    &text[..run]
}

/// At a link destination's `(`: its length through the matching `)`.
fn link_end(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            '\n' => return None,
            _ => {}
        }
    }
    None
}

/// Where the text of the link whose `]` comes next starts: the `[` that `]` closes.
fn link_text_start(written: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_code = false;
    for (i, c) in written.char_indices().rev() {
        match c {
            '`' => in_code = !in_code,
            ']' if !in_code => depth += 1,
            '[' if !in_code => {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    None
}

/// What a link destination in Okta's text becomes.
#[derive(Debug, PartialEq)]
enum Destination {
    /// Absolute already (`https://...`, `mailto:...`): as it is.
    Keep,
    /// Relative to Okta's site: this absolute URL.
    Absolute(String),
    /// An anchor of the page Okta's text is on, which has no page here: the link's text alone.
    Unlink,
}

/// Where a link destination of Okta's text leads. Okta writes them relative to its API
/// reference (`/openapi/...`, `/#pagination`, and without the `/`: `openapi/...`), to its site
/// (`/docs/...`), to the tag page the text is on (`./#tag/UserFactor/operation/x`,
/// `../Template`: a tag page of the Management API's reference) and to the page itself
/// (`#tag/...`, `#components/...`).
fn destination(dest: &str) -> Destination {
    if let Some(rest) = dest.strip_prefix("//") {
        return Destination::Absolute(format!("https://{rest}"));
    }
    if dest.starts_with("/docs/") {
        return Destination::Absolute(format!("{OKTA_SITE}{dest}"));
    }
    if dest.starts_with('/') {
        return Destination::Absolute(format!("{OKTA_API_DOCS}{dest}"));
    }
    if let Some(anchor) = dest.strip_prefix("./").unwrap_or(dest).strip_prefix('#') {
        // The anchor of an operation names its tag, whose page it is on.
        let tag = anchor
            .strip_prefix("tag/")
            .map(|t| t.split('/').next().unwrap_or(""));
        return match tag {
            Some(tag) if !tag.is_empty() && tag.bytes().all(|b| b.is_ascii_alphanumeric()) => {
                Destination::Absolute(format!("{OKTA_REFERENCE}/{tag}/#{anchor}"))
            }
            _ => Destination::Unlink,
        };
    }
    if let Some(page) = dest.strip_prefix("../") {
        return Destination::Absolute(format!("{OKTA_REFERENCE}/{page}"));
    }
    if dest.starts_with("./") {
        return Destination::Unlink;
    }
    // A scheme (`https:`, `mailto:`) comes before any `/`.
    let scheme = dest
        .find(':')
        .filter(|&c| dest.find('/').is_none_or(|s| c < s));
    if scheme.is_none() && dest.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Destination::Absolute(format!("{OKTA_API_DOCS}/{dest}"));
    }
    Destination::Keep
}

/// The URL `text` starts with: through the last character that is not trailing punctuation.
fn bare_url(text: &str) -> &str {
    let end = text
        .find(|c: char| c.is_whitespace() || "<>\"'`".contains(c))
        .unwrap_or(text.len());
    let mut url = &text[..end];
    loop {
        let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?', '*', '_']);
        let trimmed = if trimmed.ends_with(')')
            && trimmed.matches('(').count() < trimmed.matches(')').count()
        {
            &trimmed[..trimmed.len() - 1]
        } else {
            trimmed
        };
        if trimmed.len() == url.len() {
            return url;
        }
        url = trimmed;
    }
}

/// A code fence's opening line: its indentation, character, length and info string.
struct Fence {
    indent: String,
    marker: char,
    len: usize,
    info: String,
}

impl Fence {
    fn open(line: &str) -> Option<Fence> {
        let trimmed = line.trim_start();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
        let len = trimmed.len() - trimmed.trim_start_matches(marker).len();
        let info = trimmed[len..].trim();
        if len < 3 || (marker == '`' && info.contains('`')) {
            return None;
        }
        Some(Fence {
            indent: line[..line.len() - trimmed.len()].to_owned(),
            marker,
            len,
            info: info.to_owned(),
        })
    }

    fn closed_by(&self, line: &str) -> bool {
        let t = line.trim();
        t.len() >= self.len && t.chars().all(|c| c == self.marker)
    }
}

/// Whether rustdoc takes a code block with this info string for Rust (and runs it as a
/// doctest): no language, `rust`, or only rustdoc's own attributes.
fn is_rust_info(info: &str) -> bool {
    const RUSTDOC: [&str; 8] = [
        "rust",
        "ignore",
        "should_panic",
        "no_run",
        "compile_fail",
        "test_harness",
        "standalone_crate",
        "allow_attributes",
    ];
    info.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .all(|t| RUSTDOC.contains(&t) || t.starts_with("edition") || t.starts_with("ignore-"))
}

fn is_json(body: &[&str]) -> bool {
    let text = body.join("\n");
    !text.trim().is_empty() && serde_json::from_str::<serde_json::Value>(&text).is_ok()
}

/// Columns of leading whitespace (a tab counts four).
fn indentation(line: &str) -> usize {
    line.chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

/// `line` without up to `n` leading spaces.
fn strip_indent(line: &str, n: usize) -> &str {
    let spaces = line.len() - line.trim_start_matches(' ').len();
    &line[spaces.min(n)..]
}

/// The column where the content of the list item `line` starts: after its marker and the
/// spaces after it (one to four).
fn list_content_column(line: &str) -> usize {
    let trimmed = line.trim_start();
    let marker = trimmed
        .find(|c: char| !(c.is_ascii_digit() || "*-+.)".contains(c)))
        .unwrap_or(trimmed.len());
    let spaces = trimmed[marker..].len() - trimmed[marker..].trim_start_matches(' ').len();
    indentation(line) + marker + spaces.clamp(1, 4)
}

/// Whether a (trimmed) line starts a list item: `*`, `-`, `+` or `1.`/`1)` and a space.
fn list_marker(trimmed: &str) -> bool {
    let digits = trimmed.len()
        - trimmed
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    let rest = if digits > 0 {
        match trimmed[digits..].strip_prefix(['.', ')']) {
            Some(r) => r,
            None => return false,
        }
    } else {
        match trimmed.strip_prefix(['*', '-', '+']) {
            Some(r) => r,
            None => return false,
        }
    };
    rest.is_empty() || rest.starts_with(' ')
}

/// Whether a line starts a block of its own (so it does not continue the paragraph before it):
/// blank, a block quote, heading, table row, code fence, HTML or list item.
fn starts_block(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty()
        || t.starts_with(['>', '#', '|', '<'])
        || t.starts_with("```")
        || t.starts_with("~~~")
        || list_marker(t)
}

/// Whether a line written ends in paragraph text that a hard line break (`\`) can end: not a
/// heading, table row or HTML.
fn takes_break(line: &str) -> bool {
    let t = line.trim_start();
    !t.is_empty() && !t.starts_with(['#', '|', '<'])
}

/// If `lower` (a lower-case line) starts with the opening tag `<name>` or `<name ...>`, where
/// that tag ends.
fn opening_tag(lower: &str, name: &str) -> Option<usize> {
    let rest = lower.strip_prefix('<')?.strip_prefix(name)?;
    if !rest.starts_with(['>', ' ']) {
        return None;
    }
    Some(lower.len() - rest.len() + rest.find('>')? + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noted(text: &str) -> BTreeSet<Construct> {
        render_noting(text).1
    }

    #[test]
    fn plain_markdown_is_left_as_it_is() {
        // From the spec: a user's `_links`, an app's `features` (a table), createUser's note.
        let text = "Specifies link relations (see [Web Linking](https://www.rfc-editor.org/rfc/rfc8288)) available for the current status of the user. These links are used to discover what groups the user is a part of and what factors they have enrolled.\n\n| Feature name | Description   |\n| --------- | ------------- |\n| USER_PROVISIONING  | User profiles are pushed from Okta to the third-party app. Represents the **To App** provisioning feature setting in the Admin Console. |\n\n> **Important:** Do not generate or send a one-time activation token when activating users with an assigned password. Users should sign in with their assigned password.";
        assert_eq!(render_noting(text), (text.to_owned(), BTreeSet::new()));
    }

    #[test]
    fn an_untagged_code_fence_is_json_or_text_never_a_doctest() {
        // LogTransaction (spec): a JSON example.
        let json = "For example, a `transaction` object such as the following:\n```\n{\n  \"id\": \"Wn4f-0RQ8D8lTSLkAmkKdQAADqo\",\n  \"type\": \"WEB\",\n  \"detail\": null\n}\n```\nindicates that a `WEB` request with `id` `Wn4f-0RQ8D8lTSLkAmkKdQAADqo` has created this event.";
        let out = render(json);
        assert!(out.contains("following:\n```json\n{\n"), "{out}");
        assert!(out.contains("}\n```\nindicates"), "{out}");
        assert_eq!(noted(json), BTreeSet::from([Construct::CodeFence]));
        // GroupSchemaAttribute's `oneOf` (spec): not JSON on its own, so text.
        let text = "For example:\n\n```\n\"enum\": [\"S\",\"M\",\"L\",\"XL\"],\n\"oneOf\": [\n    {\"const\": \"S\", \"title\": \"Small\"}\n  ]\n```";
        assert!(render(text).contains("For example:\n\n```text\n\"enum\""));
    }

    #[test]
    fn an_indented_fence_keeps_its_indentation() {
        // TokenHookResponseCommandsValue's `op` (spec), inside `<details>`.
        let text =
            "  **Existing JSON**\n\n  ```\n  {\n    \"employeeId\": \"00u12345678\"\n  }\n  ```";
        assert_eq!(
            render(text),
            "**Existing JSON**\n\n  ```json\n  {\n    \"employeeId\": \"00u12345678\"\n  }\n  ```"
        );
    }

    #[test]
    fn a_fence_with_a_language_other_than_rust_is_kept() {
        // Made up: the spec's fences have no language.
        let text = "```bash\ncurl -v -X GET https://acme.okta.com/api/v1/users\n```";
        assert_eq!(render_noting(text), (text.to_owned(), BTreeSet::new()));
        assert!(render("```rust,ignore\nlet x = 1;\n```").starts_with("```text\n"));
        assert!(render("~~~\n[1, 2]\n~~~").starts_with("~~~json\n"));
    }

    #[test]
    fn an_unclosed_fence_is_closed_where_the_description_ends() {
        // GroupSchemaAttribute's `oneOf` (spec), cut short.
        let (out, noted) = render_noting(
            "Each schema has the following format:\n\n```\n{\n  \"const\": \"enumValue\"",
        );
        assert_eq!(
            out,
            "Each schema has the following format:\n\n```text\n{\n  \"const\": \"enumValue\"\n```"
        );
        assert!(noted.contains(&Construct::UnclosedFence));
    }

    #[test]
    fn nothing_inside_code_is_rewritten() {
        let text = "```\n<x-lifecycle class=\"ea\"></x-lifecycle> [a](/openapi/x) https://a.example <br>\n```";
        let out = render(text);
        assert!(out.ends_with("\n<x-lifecycle class=\"ea\"></x-lifecycle> [a](/openapi/x) https://a.example <br>\n```"), "{out}");
        // Enhanced Disaster Recovery (spec): URLs in code spans stay as they are.
        let span = "The base URL is `https://drapp.{yourOrgSubDomain}.okta.com/`. For example, `https://example.okta.com`.";
        assert_eq!(render_noting(span), (span.to_owned(), BTreeSet::new()));
        // SamlSsoEndpoint (spec): angle brackets in code spans are not HTML.
        let saml =
            "IdP's `SingleSignOnService` endpoint where Okta sends an `<AuthnRequest>` message";
        assert_eq!(render(saml), saml);
    }

    #[test]
    fn an_indented_code_block_is_fenced_as_text() {
        // The spec has none today; rustdoc would run one as a doctest.
        let text = "The filter looks like this:\n\n    status eq \"ACTIVE\"\n    and type eq \"OIE\"\n\nThen more.";
        let (out, noted) = render_noting(text);
        assert_eq!(
            out,
            "The filter looks like this:\n\n```text\nstatus eq \"ACTIVE\"\nand type eq \"OIE\"\n```\n\nThen more."
        );
        assert_eq!(noted, BTreeSet::from([Construct::IndentedCode]));
    }

    #[test]
    fn an_indented_paragraph_of_a_list_item_is_not_code() {
        // createEventHook (spec): the item's second paragraph is indented four spaces.
        let text = "including:\n  * The URI of your external service\n  * An optional event hook filter.\n    See [Create an event hook filter](https://developer.okta.com/docs/concepts/event-hooks/).\n\n    Additionally, you can specify a secret API key.";
        assert_eq!(render_noting(text), (text.to_owned(), BTreeSet::new()));
    }

    #[test]
    fn relative_links_lead_to_okta_s_site() {
        // reactivateUser, listApplications and an `If-Match` header (spec): paths and `/#anchor`s.
        let text = "when using the `activationToken` from [Activate User](/openapi/okta-management/management/userlifecycle/activateuser).\nThe results are [paginated](/#pagination) according to the `limit` parameter.\nSee [Conditional Requests and Entity Tags](/#conditional-requests-and-entity-tags).";
        assert_eq!(
            render(text),
            "when using the `activationToken` from [Activate User](https://developer.okta.com/docs/api/openapi/okta-management/management/userlifecycle/activateuser).\nThe results are [paginated](https://developer.okta.com/docs/api/#pagination) according to the `limit` parameter.\nSee [Conditional Requests and Entity Tags](https://developer.okta.com/docs/api/#conditional-requests-and-entity-tags)."
        );
        // The Enhanced Disaster Recovery tag (spec): a `/docs/` page of Okta's site.
        let site = "a [self-service Early Access (EA)](/docs/concepts/feature-lifecycle-management/#self-service-features) feature";
        assert_eq!(
            render(site),
            "a [self-service Early Access (EA)](https://developer.okta.com/docs/concepts/feature-lifecycle-management/#self-service-features) feature"
        );
        let query = "[`signOnMode`](/openapi/okta-management/management/tags/application/other/createapplication#application/createapplication/t=request&path=&d=0/signonmode)";
        assert!(render(query).starts_with("[`signOnMode`](https://developer.okta.com/docs/api/openapi/okta-management/management/tags/application/other/createapplication#application/"));
        assert_eq!(noted(text), BTreeSet::from([Construct::RelativeLink]));
        // Without the `/` (ApplicationGroupAssignment's `_embedded`, spec).
        assert_eq!(
            render("then the [group](openapi/okta-management/management/group) object is embedded."),
            "then the [group](https://developer.okta.com/docs/api/openapi/okta-management/management/group) object is embedded."
        );
        // Relative to the tag page the text is on (the UserFactor tag, spec).
        assert_eq!(
            render("See [Activate a factor](./#tag/UserFactor/operation/activateFactor)"),
            "See [Activate a factor](https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserFactor/#tag/UserFactor/operation/activateFactor)"
        );
        assert_eq!(
            render("See the [SMS Templates API](../Template). This parameter"),
            "See the [SMS Templates API](https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Template). This parameter"
        );
        // Absolute links; a reference definition (the spec has none).
        let abs = "[Okta Expression Language](https://developer.okta.com/docs/reference/okta-expression-language/)";
        assert_eq!(render(abs), abs);
        assert_eq!(
            render("See [the guide][guide].\n\n[guide]: /openapi/okta-management/guides/roles"),
            "See [the guide][guide].\n\n[guide]: https://developer.okta.com/docs/api/openapi/okta-management/guides/roles"
        );
    }

    #[test]
    fn a_link_to_an_anchor_of_okta_s_page_becomes_its_text() {
        // updateEmailServer (spec).
        let text = "the [`authType`](#components/schemas/BaseEmailServer/properties/authType) property is required in the request body.";
        let (out, noted) = render_noting(text);
        assert_eq!(
            out,
            "the `authType` property is required in the request body."
        );
        assert_eq!(noted, BTreeSet::from([Construct::PageAnchor]));
    }

    #[test]
    fn a_destination_in_parentheses_of_its_own_is_unwrapped() {
        // IdentityProvider's `properties` (spec).
        let text = "defined as part of the [IdP provider]((https://developer.okta.com/docs/api/openapi/okta-management/management/tag/IdentityProvider/#tag/IdentityProvider/operation/createIdentityProvider!path=type&t=request)) and are read-only.";
        let (out, noted) = render_noting(text);
        assert_eq!(
            out,
            "defined as part of the [IdP provider](https://developer.okta.com/docs/api/openapi/okta-management/management/tag/IdentityProvider/#tag/IdentityProvider/operation/createIdentityProvider!path=type&t=request) and are read-only."
        );
        assert_eq!(noted, BTreeSet::from([Construct::WrappedLink]));
        // A destination with parentheses in it stays whole.
        let wiki = "[ISO](https://en.wikipedia.org/wiki/ISO_3166-1_(country))";
        assert_eq!(render(wiki), wiki);
    }

    #[test]
    fn lifecycle_badges_become_text() {
        // SmtpAuthType (spec).
        let text = "<x-lifecycle-container><x-lifecycle class=\"ea\"></x-lifecycle> <x-lifecycle class=\"oie\"></x-lifecycle></x-lifecycle-container>The authentication type that's used by your SMTP server";
        let (out, noted) = render_noting(text);
        assert_eq!(
            out,
            "(Early Access) (Identity Engine) The authentication type that's used by your SMTP server"
        );
        assert_eq!(noted, BTreeSet::from([Construct::Lifecycle]));
        // ApplicationExpressConfiguration (spec): in a `<div>`.
        assert_eq!(
            render("<div class=\"x-lifecycle-container\"><x-lifecycle class=\"oie\"></x-lifecycle></div>\nIndicates which Express Configuration capabilities the app supports"),
            "(Identity Engine)\nIndicates which Express Configuration capabilities the app supports"
        );
        // Inside a sentence (spec), and a class without a name of ours.
        assert_eq!(
            render("Valid values: `blocks` or <x-lifecycle class=\"ea\"></x-lifecycle> `classification`."),
            "Valid values: `blocks` or (Early Access) `classification`."
        );
        assert_eq!(
            render("Supported in a Network Zone with an ACTIVE `status`. <x-lifecycle class=\"oie\"></x-lifecycle>"),
            "Supported in a Network Zone with an ACTIVE `status`. (Identity Engine)"
        );
        assert_eq!(
            render("<x-lifecycle class=\"beta\"></x-lifecycle>Beta thing"),
            "(Beta) Beta thing"
        );
        assert_eq!(
            render("<x-lifecycle class=\"new-stage\"></x-lifecycle>"),
            "(new-stage)"
        );
    }

    #[test]
    fn a_line_break_becomes_markdown() {
        // NetworkZoneLocation's `country` (spec): at the start of a line.
        let text = "The two-character ISO 3166-1 country code.\nDon't use continent codes.\n<br>For example: `US`";
        let (out, noted) = render_noting(text);
        assert_eq!(
            out,
            "The two-character ISO 3166-1 country code.\nDon't use continent codes.\\\nFor example: `US`"
        );
        assert_eq!(noted, BTreeSet::from([Construct::LineBreak]));
        // createIdentityProvider (spec): at the end of a list item's line.
        assert_eq!(
            render("* The app to which the user is redirected <br>\nFor example: `/app/:app-location/:appId/sso/saml`"),
            "* The app to which the user is redirected \\\n  For example: `/app/:app-location/:appId/sso/saml`"
        );
        // replaceNetworkZone (spec): `<br>` then a line of its own: a paragraph break.
        assert_eq!(
            render("**IP exempt zone**<br>\nIf you have the feature enabled.<br>\n<br>\nWhen you enable this feature"),
            "**IP exempt zone**\\\nIf you have the feature enabled.\n\nWhen you enable this feature"
        );
        // createUser (spec): before a block quote, nothing.
        assert_eq!(
            render("Creates a new user.<br>\n> **Legal Disclaimer**"),
            "Creates a new user.\n> **Legal Disclaimer**"
        );
        // In the middle of a line, and in a table row (kept: a row is one line).
        assert_eq!(render("one<br/>two"), "one\\\ntwo");
        assert_eq!(render("| a<br>b | c |"), "| a<br>b | c |");
    }

    #[test]
    fn details_become_a_bold_title_and_paragraphs() {
        // TokenHookResponseCommandsValue's `op` (spec).
        let text = "#### `op: add` notes\n\n<details>\n<summary>Add a claim</summary>\n\n  Add a claim\n\n  > **Note:** The claim is replaced.\n</details>\n\n<details>\n<summary>Modify token lifetimes</summary>\n  You can modify how long the tokens are valid.\n</details>";
        let (out, noted) = render_noting(text);
        assert_eq!(
            out,
            "#### `op: add` notes\n\n**Add a claim**\n\n  Add a claim\n\n  > **Note:** The claim is replaced.\n\n**Modify token lifetimes**\n\n  You can modify how long the tokens are valid."
        );
        assert_eq!(noted, BTreeSet::from([Construct::Details]));
    }

    #[test]
    fn a_lazy_continuation_line_gets_its_indentation_or_quote_marker() {
        // assignApplicationPolicy (spec): a block quote's second line.
        let note = "> **Note:** When you merge duplicate app sign-in policies,\nthe policy and mapping CRUD operations may be unavailable during the consolidation.";
        let (out, noted) = render_noting(note);
        assert_eq!(
            out,
            "> **Note:** When you merge duplicate app sign-in policies,\n> the policy and mapping CRUD operations may be unavailable during the consolidation."
        );
        assert_eq!(noted, BTreeSet::from([Construct::LazyContinuation]));
        // PasswordImportResponseCommands' `value` (spec): a list item's.
        assert_eq!(
            render("The parameter value of the command.\n* To indicate that the supplied credentials are invalid, supply `UNVERIFIED`.\nAlternatively, you can send an empty response (`204`)."),
            "The parameter value of the command.\n* To indicate that the supplied credentials are invalid, supply `UNVERIFIED`.\n  Alternatively, you can send an empty response (`204`)."
        );
        // createEventHook (spec): an item's second paragraph, and a numbered item.
        assert_eq!(
            render("  * An optional event hook filter.\n\n    Additionally, you can specify a secret API key. Note that the API key\nyou must supply when making calls."),
            "* An optional event hook filter.\n\n    Additionally, you can specify a secret API key. Note that the API key\n    you must supply when making calls."
        );
        assert_eq!(
            render("1. The email customization for the language\n<x-lifecycle class=\"ea\"></x-lifecycle> If Custom languages is enabled"),
            "1. The email customization for the language\n   (Early Access) If Custom languages is enabled"
        );
        // A line break in a list item: the line after it too (createIdentityProvider, spec).
        assert_eq!(
            render("* SP ACS URL<br>\nFor example: `https://${yourOktaDomain}/sso/saml2/:idpId`"),
            "* SP ACS URL\\\n  For example: `https://${yourOktaDomain}/sso/saml2/:idpId`"
        );
    }

    #[test]
    fn bare_urls_become_autolinks() {
        // The spec's descriptions have URLs in code spans and links only; these are made up.
        let text = "Send the token to https://acme.okta.com/oauth2/v1/token. Or (https://example.com/a_(b)).";
        let (out, noted) = render_noting(text);
        assert_eq!(
            out,
            "Send the token to <https://acme.okta.com/oauth2/v1/token>. Or (<https://example.com/a_(b)>)."
        );
        assert_eq!(noted, BTreeSet::from([Construct::BareUrl]));
        // Already linked, in an autolink or an HTML attribute: as they are (updateFeatureLifecycle).
        let img = "<img alt=\"Example\" src=\"https://developer.okta.com/docs/api/images/features/update-ssfeat-flowchart.png\" width=\"1000\"/>";
        assert_eq!(render(img), img);
        assert_eq!(render("<https://acme.okta.com>"), "<https://acme.okta.com>");
        assert_eq!(
            render("see https://a.example, then"),
            "see <https://a.example>, then"
        );
    }

    #[test]
    fn any_text_renders_without_a_panic_and_leaves_no_open_or_untagged_fence() {
        // Texts made of Okta's constructs and broken pieces of them, in many orders (a fixed
        // pseudo-random sequence, so the test is the same on every run).
        const PIECES: [&str; 32] = [
            "```",
            "~~~~",
            "```json",
            "    ",
            "\n",
            "\n\n",
            "<br>",
            "<br/>",
            "<x-lifecycle class=\"ea\">",
            "</x-lifecycle>",
            "<x-lifecycle-container>",
            "<div class=\"x-lifecycle-container\">",
            "</div>",
            "<details>",
            "<summary>",
            "</summary>",
            "</details>",
            "[a",
            "](",
            "/x",
            "#tag/A/b",
            "./",
            "../",
            "((",
            "))",
            "https://a.example",
            "`",
            "* ",
            "> ",
            "| ",
            "é",
            "text",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..12 {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(PIECES[(state >> 33) as usize % PIECES.len()]);
            }
            let out = render(&text);
            // No code fence is left untagged or open: rendering again finds none. (Indented code
            // is not checked here: whether a line is code depends on HTML blocks, which the
            // rendering does not parse, and mixes of Okta's markup can make it differ.)
            let again = noted(&out);
            for c in [Construct::CodeFence, Construct::UnclosedFence] {
                assert!(
                    !again.contains(&c),
                    "{c:?} after rendering {text:?}: {out:?}"
                );
            }
        }
    }

    #[test]
    fn other_html_and_entities_are_kept() {
        // From the spec: an entity, a heading, a tag in code, an image.
        let text = "The authentication scheme type. Supported type&mdash;`HEADER`.\n\n#### SAML 2.0 IdP\n\nThis name appears in the HTML `<title>` tag of the new org sign-in page.\n\n<img alt=\"Example\" src=\"https://developer.okta.com/docs/api/images/features/update-ssfeat-flowchart.png\" width=\"1000\"/>";
        assert_eq!(render_noting(text), (text.to_owned(), BTreeSet::new()));
    }
}
