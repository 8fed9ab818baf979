//! The text of one manifest file, and what diagnostics need from it without a full YAML parser:
//! the line of each mapping key (so an error about model `Foo` can point at `Foo:`), and how
//! deeply flow collections (`[...]`, `{...}`) nest (the YAML parser is quadratic in that depth,
//! so it is bounded before parsing).
//!
//! The scanner below is a lenient, single-pass YAML lexer: it knows quoted scalars, comments,
//! block scalars (`|`, `>`), flow collections and `key:` / `key: value` pairs, which is all the
//! line lookup needs. It never fails; on text that is not YAML the index is merely less useful,
//! and the real parser reports the error.

use std::collections::HashMap;
use std::path::PathBuf;

/// Deepest nesting of flow collections accepted before the YAML parser runs.
pub const MAX_FLOW_DEPTH: usize = 64;

/// The text of one manifest file, kept to find the line of a named item for diagnostics.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as shown in diagnostics (relative to the manifest's parent where possible).
    pub path: PathBuf,
    pub text: String,
    index: KeyIndex,
}

/// One `key:` of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// 1-based line and column (in characters) of the key's first character.
    pub line: usize,
    pub col: usize,
    pub key: String,
    /// The scalar after the colon on the same line, unquoted (`""` when there is none).
    pub value: String,
}

#[derive(Debug, Clone, Default)]
struct KeyIndex {
    /// Every key in text order.
    keys: Vec<Key>,
    /// Key text -> indices into `keys`, in text order.
    by_key: HashMap<String, Vec<usize>>,
    /// Value of each `name:` key -> indices into `keys` (actions are found by name).
    by_name: HashMap<String, Vec<usize>>,
}

/// Result of scanning a text: its keys, and the first place (line, column) where flow
/// collections nest deeper than [`MAX_FLOW_DEPTH`], if any.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub keys: Vec<Key>,
    pub too_deep: Option<(usize, usize)>,
    /// Lines of `---` document markers that follow content (a second document).
    pub extra_documents: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> SourceFile {
        let scan = scan(&text);
        SourceFile::with_scan(path, text, scan)
    }

    pub(crate) fn with_scan(path: PathBuf, text: String, scan: Scan) -> SourceFile {
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, k) in scan.keys.iter().enumerate() {
            by_key.entry(k.key.clone()).or_default().push(i);
            if k.key == "name" {
                by_name.entry(k.value.clone()).or_default().push(i);
            }
        }
        SourceFile {
            path,
            text,
            index: KeyIndex {
                keys: scan.keys,
                by_key,
                by_name,
            },
        }
    }

    /// Every occurrence of `key`, in text order.
    fn occurrences<'a>(&'a self, key: &str) -> impl Iterator<Item = &'a Key> + 'a {
        self.index
            .by_key
            .get(key)
            .into_iter()
            .flatten()
            .map(|&i| &self.index.keys[i])
    }

    /// The line of the least indented of `keys` (the entry itself rather than a nested mention
    /// of the same name), the first of them on a tie.
    fn shallowest<'a>(keys: impl Iterator<Item = &'a Key>) -> Option<usize> {
        let mut best: Option<&Key> = None;
        for k in keys {
            if best.is_none_or(|b| k.col < b.col) {
                best = Some(k);
            }
        }
        best.map(|k| k.line)
    }

    /// Line of the first occurrence of `key` at or after line `from`.
    pub fn key_line(&self, from: usize, key: &str) -> Option<usize> {
        let occ = self.index.by_key.get(key)?;
        let at = occ.partition_point(|&i| self.index.keys[i].line < from);
        occ.get(at).map(|&i| self.index.keys[i].line)
    }

    /// The file's name without its extension (a model file's group: `user` of `user.yaml`).
    pub fn file_stem(&self) -> String {
        self.path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// Line of an action entry, found by its display name (`name: <name>`).
    pub fn action_line(&self, name: &str) -> Option<usize> {
        let found = self
            .index
            .by_name
            .get(name)
            .into_iter()
            .flatten()
            .map(|&i| &self.index.keys[i]);
        Self::shallowest(found).or_else(|| self.section_line("actions"))
    }

    /// Line of a model entry (`Name:` under `models:`).
    pub fn model_line(&self, name: &str) -> Option<usize> {
        let from = self.key_line(1, "models").unwrap_or(1);
        Self::shallowest(self.occurrences(name).filter(|k| k.line >= from))
            .or_else(|| self.section_line("models"))
    }

    /// Line of a field inside a model entry (its first mention after the model's line).
    pub fn field_line(&self, model: &str, field: &str) -> Option<usize> {
        let start = self.model_line(model)?;
        self.key_line(start, field).or(Some(start))
    }

    /// Line of a top-level key such as `category:` or `models:`, else line 1 (the file is not
    /// empty when it parsed into a manifest, so line 1 exists).
    pub fn section_line(&self, key: &str) -> Option<usize> {
        Self::shallowest(self.occurrences(key)).or(Some(1))
    }

    /// The line of the second `key` in the mapping that starts at or after line `from`: where a
    /// duplicated key is, given the mapping's line (serde reports the mapping's start).
    pub fn duplicate_key_line(&self, from: usize, key: &str) -> Option<usize> {
        let mut occ = self.occurrences(key).filter(|k| k.line >= from);
        let first = occ.next()?;
        occ.find(|k| k.col == first.col).map(|k| k.line)
    }
}

// ---------------------------------------------------------------------------------------------
// The scanner

/// Scan `text` for keys, flow depth and extra documents.
pub fn scan(text: &str) -> Scan {
    let mut s = Scanner {
        out: Scan::default(),
        depth: 0,
        content_seen: false,
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        i = s.line(&lines, i);
    }
    s.out
}

struct Scanner {
    out: Scan,
    /// Current flow-collection depth (carried across lines).
    depth: usize,
    /// Whether anything but comments and directives has been seen (for `---`).
    content_seen: bool,
}

/// Where a quoted scalar ended: the index after its closing quote on line `line`.
struct Quoted {
    text: String,
    line: usize,
    end: usize,
    /// Whether the closing quote was found.
    closed: bool,
}

impl Scanner {
    /// Scan line `i` (and the lines a quoted scalar or block scalar starting on it takes);
    /// returns the index of the next line to scan.
    fn line(&mut self, lines: &[&str], i: usize) -> usize {
        let line: Vec<char> = lines[i].chars().collect();
        if self.depth == 0 {
            let t: String = line.iter().collect();
            if t.starts_with("---") && (t.len() == 3 || t[3..].starts_with([' ', '\t'])) {
                if self.content_seen {
                    self.out.extra_documents.push(i + 1);
                }
                self.content_seen = true;
                return i + 1;
            }
            if t.starts_with('%') || t.starts_with("...") {
                return i + 1;
            }
        }
        let indent = line.iter().take_while(|c| **c == ' ').count();
        let mut pos = indent;
        let mut at_node_start = true;
        // The last scalar seen on this line that may turn out to be a key: (text, line, col).
        let mut pending: Option<(String, usize, usize)> = None;
        let mut cur_line = i;
        let mut cur: Vec<char> = line;
        while let Some(&c) = cur.get(pos) {
            match c {
                ' ' | '\t' => pos += 1,
                '#' if pos == 0 || matches!(cur[pos - 1], ' ' | '\t') => break,
                '[' | '{' if at_node_start || self.depth > 0 => {
                    self.content_seen = true;
                    self.depth += 1;
                    if self.depth > MAX_FLOW_DEPTH && self.out.too_deep.is_none() {
                        self.out.too_deep = Some((cur_line + 1, pos + 1));
                    }
                    pos += 1;
                    at_node_start = true;
                    pending = None;
                }
                ']' | '}' if self.depth > 0 => {
                    self.depth -= 1;
                    pos += 1;
                    at_node_start = false;
                    pending = None;
                }
                ',' if self.depth > 0 => {
                    pos += 1;
                    at_node_start = true;
                    pending = None;
                }
                '-' | '?' if at_node_start && is_blank_at(&cur, pos + 1) => {
                    pos += 1;
                    at_node_start = true;
                }
                ':' if is_value_indicator(&cur, pos, self.depth) => {
                    if let Some((key, line, col)) = pending.take() {
                        let value = scalar_after(&cur, pos + 1, self.depth);
                        self.out.keys.push(Key {
                            line: line + 1,
                            col: col + 1,
                            key,
                            value,
                        });
                    }
                    pos += 1;
                    at_node_start = true;
                }
                '&' | '!' if at_node_start => {
                    // Anchor or tag: skip it; the node starts after it.
                    while pos < cur.len()
                        && !matches!(cur[pos], ' ' | '\t' | ',' | '[' | ']' | '{' | '}')
                    {
                        pos += 1;
                    }
                }
                '|' | '>' if at_node_start && self.depth == 0 => {
                    // Block scalar: its lines are those more indented than this line.
                    self.content_seen = true;
                    let mut next = cur_line + 1;
                    while next < lines.len() {
                        let l = lines[next];
                        let blank = l.trim().is_empty();
                        if !blank && l.chars().take_while(|c| *c == ' ').count() <= indent {
                            break;
                        }
                        next += 1;
                    }
                    return next;
                }
                '"' | '\'' if at_node_start => {
                    self.content_seen = true;
                    let q = quoted(lines, cur_line, &cur, pos);
                    pending = Some((q.text, cur_line, pos));
                    if q.line != cur_line {
                        cur_line = q.line;
                        cur = lines[cur_line].chars().collect();
                    }
                    pos = q.end;
                    at_node_start = false;
                }
                _ => {
                    self.content_seen = true;
                    let start = pos;
                    let text = plain(&cur, &mut pos, self.depth);
                    if pos == start {
                        pos += 1; // never stall on a character no rule consumes
                    }
                    pending = if at_node_start {
                        Some((text, cur_line, start))
                    } else {
                        None
                    };
                    at_node_start = false;
                }
            }
        }
        cur_line + 1
    }
}

fn is_blank_at(line: &[char], pos: usize) -> bool {
    line.get(pos).is_none_or(|c| matches!(c, ' ' | '\t'))
}

/// Is the `:` at `pos` a mapping value indicator (followed by a blank, the end of the line, or
/// in a flow collection a flow indicator)?
fn is_value_indicator(line: &[char], pos: usize, depth: usize) -> bool {
    match line.get(pos + 1) {
        None | Some(' ' | '\t') => true,
        Some(',' | ']' | '}' | '[' | '{') => depth > 0,
        _ => false,
    }
}

/// A plain scalar starting at `*pos`; leaves `*pos` after it.
fn plain(line: &[char], pos: &mut usize, depth: usize) -> String {
    let start = *pos;
    while let Some(&c) = line.get(*pos) {
        let stop = match c {
            ':' => is_value_indicator(line, *pos, depth),
            '#' => *pos > 0 && matches!(line[*pos - 1], ' ' | '\t'),
            ',' | '[' | ']' | '{' | '}' => depth > 0,
            _ => false,
        };
        if stop {
            break;
        }
        *pos += 1;
    }
    line[start..*pos]
        .iter()
        .collect::<String>()
        .trim_end()
        .to_owned()
}

/// The scalar after a `:` at `from` on the same line, unquoted; `""` if there is none.
fn scalar_after(line: &[char], from: usize, depth: usize) -> String {
    let mut pos = from;
    while line.get(pos).is_some_and(|c| matches!(c, ' ' | '\t')) {
        pos += 1;
    }
    match line.get(pos) {
        None | Some('#' | '[' | '{' | '|' | '>' | '&' | '*' | '!') => String::new(),
        Some('"') | Some('\'') => {
            // Only a quoted value that ends on this line is useful here.
            let q = quoted(&[], 0, line, pos);
            if q.closed {
                q.text
            } else {
                String::new()
            }
        }
        Some(_) => plain(line, &mut pos, depth),
    }
}

/// A quoted scalar starting at `pos` of `line` (line index `line_no` of `lines`), which may
/// continue on the following lines. Escapes are decoded loosely (enough to compare names).
fn quoted(lines: &[&str], line_no: usize, line: &[char], pos: usize) -> Quoted {
    let quote = line[pos];
    let mut text = String::new();
    let mut cur_line = line_no;
    let mut cur: Vec<char> = line.to_vec();
    let mut p = pos + 1;
    loop {
        match cur.get(p) {
            None => {
                // The scalar goes on: a line break folds to a space.
                if cur_line + 1 >= lines.len() {
                    return Quoted {
                        text,
                        line: cur_line,
                        end: cur.len(),
                        closed: false,
                    };
                }
                cur_line += 1;
                cur = lines[cur_line].chars().collect();
                p = 0;
                text.push(' ');
            }
            Some(&c) if c == quote => {
                if quote == '\'' && cur.get(p + 1) == Some(&'\'') {
                    text.push('\'');
                    p += 2;
                } else {
                    return Quoted {
                        text,
                        line: cur_line,
                        end: p + 1,
                        closed: true,
                    };
                }
            }
            Some('\\') if quote == '"' => {
                if let Some(&e) = cur.get(p + 1) {
                    text.push(match e {
                        'n' => '\n',
                        't' => '\t',
                        other => other,
                    });
                }
                p += 2;
            }
            Some(&c) => {
                text.push(c);
                p += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<(usize, usize, String, String)> {
        scan(text)
            .keys
            .into_iter()
            .map(|k| (k.line, k.col, k.key, k.value))
            .collect()
    }

    fn k(line: usize, col: usize, key: &str, value: &str) -> (usize, usize, String, String) {
        (line, col, key.to_owned(), value.to_owned())
    }

    #[test]
    fn block_and_flow_keys_are_found_with_their_values() {
        let text = "\
category: User # the category
actions:
  - name: List Users
    query_params:
      - {name: q, type: list<string>}
      - {\"name\": 'it''s', type: string}
models:
  \"x5t#S256\": {type: string}
  Foo: {fields: {a: {type: string}}}
";
        assert_eq!(
            keys(text),
            [
                k(1, 1, "category", "User"),
                k(2, 1, "actions", ""),
                k(3, 5, "name", "List Users"),
                k(4, 5, "query_params", ""),
                k(5, 10, "name", "q"),
                k(5, 19, "type", "list<string>"),
                k(6, 10, "name", "it's"),
                k(6, 27, "type", "string"),
                k(7, 1, "models", ""),
                k(8, 3, "x5t#S256", ""),
                k(8, 16, "type", "string"),
                k(9, 3, "Foo", ""),
                k(9, 9, "fields", ""),
                k(9, 18, "a", ""),
                k(9, 22, "type", "string"),
            ]
        );
    }

    #[test]
    fn block_scalars_comments_and_quoted_colons_are_not_keys() {
        let text = "\
description: |
  not: a key
  [not a flow]
url: 'http://x: y' # c: d
plain: a:b
next: 1
";
        assert_eq!(
            keys(text),
            [
                k(1, 1, "description", ""),
                k(4, 1, "url", "http://x: y"),
                k(5, 1, "plain", "a:b"),
                k(6, 1, "next", "1"),
            ]
        );
        assert_eq!(scan(text).too_deep, None);
    }

    #[test]
    fn flow_depth_beyond_the_limit_is_located() {
        let deep = format!("a: {}{}\n", "[".repeat(70), "]".repeat(70));
        assert_eq!(scan(&deep).too_deep, Some((1, 4 + MAX_FLOW_DEPTH)));
        let fine = format!("a: {}{}\n", "[".repeat(64), "]".repeat(64));
        assert_eq!(scan(&fine).too_deep, None);
        // Brackets inside plain and quoted scalars are not collections.
        let text = format!("a: x{}\nb: \"{}\"\n", "[".repeat(70), "{".repeat(70));
        assert_eq!(scan(&text).too_deep, None);
    }

    #[test]
    fn second_document_marker_is_reported() {
        assert_eq!(scan("---\na: 1\n").extra_documents, Vec::<usize>::new());
        assert_eq!(scan("a: 1\n---\nb: 2\n").extra_documents, [2]);
    }

    #[test]
    fn lookups_prefer_the_entry_over_nested_mentions() {
        let text = "\
models:
  Factor:
    variants: {sms: SmsFactor}
    fields:
      id: {type: string}
  SmsFactor:
    fields:
      id: {type: string}
";
        let f = SourceFile::new("f.yaml".into(), text.to_owned());
        assert_eq!(f.model_line("SmsFactor"), Some(6));
        assert_eq!(f.field_line("SmsFactor", "id"), Some(8));
        assert_eq!(f.field_line("Factor", "id"), Some(5));
        // Not found: the section's line.
        assert_eq!(f.model_line("Missing"), Some(1));
    }

    #[test]
    fn duplicate_key_line_is_the_second_key_at_the_same_indentation() {
        let text = "\
- name: a
  method: GET
  path_params: [{method: x}]
  method: PUT
";
        let f = SourceFile::new("f.yaml".into(), text.to_owned());
        assert_eq!(f.duplicate_key_line(1, "method"), Some(4));
    }
}
