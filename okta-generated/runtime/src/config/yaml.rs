//! An `okta.yaml` file as a tree of [`Node`]s, built from saphyr-parser's events.
//!
//! A scalar keeps the text it was written with: no YAML type resolution, so `token: 00123` is
//! the text `00123`, never the number 123, and a number or a flag is read from its text by the
//! setting that takes it. Only a plain `~`, `null` (`Null`, `NULL`) or nothing at all is null:
//! an unset key. Anchors and aliases are resolved; a document that nests deeper than
//! [`MAX_DEPTH`] or expands to more than [`MAX_NODES`] nodes (aliases multiply) is refused, and
//! so is a file of more than one document or a mapping that repeats a key.
//!
//! Errors give a position and never the text around it (a file holds secrets).

use std::collections::{BTreeMap, HashMap};

use saphyr_parser::{Event, Marker, Parser, ScalarStyle};

/// Deepest nesting of mappings and sequences (Okta's files nest four levels).
const MAX_DEPTH: usize = 32;
/// Most nodes a document may have once its aliases are expanded.
const MAX_NODES: usize = 100_000;

/// One node of the document.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node {
    /// A scalar's text; `None` for a null.
    Scalar(Option<String>),
    Sequence(Vec<Node>),
    Mapping(BTreeMap<String, Node>),
}

impl Node {
    /// The value of `key` in a mapping.
    pub(super) fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Mapping(entries) => entries.get(key),
            _ => None,
        }
    }
}

/// Why a file is not a configuration document: what, and where (1-based line and column).
#[derive(Debug, PartialEq)]
pub(super) struct Invalid {
    pub(super) line: usize,
    pub(super) column: usize,
    /// Empty for a syntax error (the parser's own message is not shown: it may quote the text).
    pub(super) problem: String,
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "not valid YAML at line {}, column {}",
            self.line, self.column
        )?;
        if !self.problem.is_empty() {
            write!(f, ": {}", self.problem)?;
        }
        Ok(())
    }
}

fn invalid(at: &Marker, problem: impl Into<String>) -> Invalid {
    Invalid {
        line: at.line(),
        column: at.col() + 1,
        problem: problem.into(),
    }
}

/// A mapping or sequence whose end has not come yet.
enum Open {
    Sequence {
        items: Vec<Node>,
        anchor: usize,
    },
    Mapping {
        entries: BTreeMap<String, Node>,
        /// The key read, waiting for its value.
        key: Option<String>,
        anchor: usize,
    },
}

/// The document of `text`; a null scalar for a file without one (empty, or only comments).
pub(super) fn parse(text: &str) -> Result<Node, Invalid> {
    let mut parser = Parser::new_from_str(text);
    let mut open: Vec<Open> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut nodes = 0usize;
    let mut document: Option<Node> = None;
    let mut documents = 0usize;
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| invalid(e.marker(), String::new()))?;
        let at = span.start;
        // A node just completed, its anchor (0: none), and how many nodes it adds (a mapping or
        // a sequence was counted item by item as they came; an alias adds a whole copy).
        let (node, anchor, added) = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(invalid(&at, "more than one document"));
                }
                continue;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if open.len() >= MAX_DEPTH {
                    return Err(invalid(
                        &at,
                        format!("nested deeper than {MAX_DEPTH} levels"),
                    ));
                }
                open.push(if matches!(event, Event::SequenceStart(..)) {
                    Open::Sequence {
                        items: Vec::new(),
                        anchor,
                    }
                } else {
                    Open::Mapping {
                        entries: BTreeMap::new(),
                        key: None,
                        anchor,
                    }
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match open.pop() {
                Some(Open::Sequence { items, anchor }) => (Node::Sequence(items), anchor, 1),
                Some(Open::Mapping {
                    entries, anchor, ..
                }) => (Node::Mapping(entries), anchor, 1),
                // The parser pairs starts and ends.
                None => continue,
            },
            Event::Scalar(text, style, anchor, _tag) => {
                let null = style == ScalarStyle::Plain
                    && matches!(&*text, "" | "~" | "null" | "Null" | "NULL");
                let text = (!null).then(|| text.into_owned());
                (Node::Scalar(text), anchor, 1)
            }
            Event::Alias(id) => match anchors.get(&id) {
                Some(node) if open.len() + depth(node) > MAX_DEPTH => {
                    return Err(invalid(
                        &at,
                        format!(
                            "nested deeper than {MAX_DEPTH} levels once its aliases are expanded"
                        ),
                    ))
                }
                Some(node) => (node.clone(), 0, count(node)),
                None => return Err(invalid(&at, "an alias of no anchor")),
            },
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => continue,
        };
        nodes += added;
        if nodes > MAX_NODES {
            return Err(invalid(
                &at,
                format!("more than {MAX_NODES} values once its aliases are expanded"),
            ));
        }
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
        }
        match open.last_mut() {
            None => document = Some(node),
            Some(Open::Sequence { items, .. }) => items.push(node),
            Some(Open::Mapping { entries, key, .. }) => match key.take() {
                None => match node {
                    Node::Scalar(text) => {
                        let text = text.unwrap_or_default();
                        // A key's value is in `entries` before the next key comes.
                        if entries.contains_key(&text) {
                            return Err(invalid(&at, format!("the key `{text}` appears twice")));
                        }
                        *key = Some(text);
                    }
                    _ => return Err(invalid(&at, "a key that is not text")),
                },
                Some(name) => {
                    entries.insert(name, node);
                }
            },
        }
    }
    Ok(document.unwrap_or(Node::Scalar(None)))
}

/// How many levels of mappings and sequences `node` nests (0 for a scalar).
fn depth(node: &Node) -> usize {
    match node {
        Node::Scalar(_) => 0,
        Node::Sequence(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Node::Mapping(entries) => 1 + entries.values().map(depth).max().unwrap_or(0),
    }
}

/// How many nodes `node` is (itself and everything in it).
fn count(node: &Node) -> usize {
    1 + match node {
        Node::Scalar(_) => 0,
        Node::Sequence(items) => items.iter().map(count).sum(),
        Node::Mapping(entries) => entries.values().map(count).sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::{parse, Invalid, Node, MAX_DEPTH, MAX_NODES};

    fn text(s: &str) -> Node {
        Node::Scalar(Some(s.to_owned()))
    }

    fn map(entries: &[(&str, Node)]) -> Node {
        Node::Mapping(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn scalars_keep_their_text_and_only_plain_nulls_are_null() {
        let doc = parse(
            "a: 00123\nb: 'x: y'\nc: \"tab\\t\"\nd: true\ne: 1e3\nf:\ng: ~\nh: 'null'\n\
             i: |\n  line 1\n  line 2\nj: [x, 'y']\nk: {l: NULL}\n",
        )
        .unwrap();
        let expected = map(&[
            ("a", text("00123")),
            ("b", text("x: y")),
            ("c", text("tab\t")),
            ("d", text("true")),
            ("e", text("1e3")),
            ("f", Node::Scalar(None)),
            ("g", Node::Scalar(None)),
            ("h", text("null")),
            ("i", text("line 1\nline 2\n")),
            ("j", Node::Sequence(vec![text("x"), text("y")])),
            ("k", map(&[("l", Node::Scalar(None))])),
        ]);
        assert_eq!(doc, expected);
        // Windows line ends and a byte order mark, as a Windows editor may save the file.
        assert_eq!(
            parse("\u{feff}okta:\r\n  client:\r\n    token: t\r\n").unwrap(),
            map(&[("okta", map(&[("client", map(&[("token", text("t"))]))]))])
        );
        assert_eq!(parse("").unwrap(), Node::Scalar(None));
        assert_eq!(parse("# only a comment\n").unwrap(), Node::Scalar(None));
    }

    #[test]
    fn aliases_are_their_anchors_values() {
        let doc =
            parse("base: &b {orgUrl: https://a.okta.com}\nother: *b\nlist: [&s x, *s]\n").unwrap();
        let base = map(&[("orgUrl", text("https://a.okta.com"))]);
        assert_eq!(doc.get("other"), Some(&base));
        assert_eq!(doc.get("base"), Some(&base));
        assert_eq!(
            doc.get("list"),
            Some(&Node::Sequence(vec![text("x"), text("x")]))
        );
    }

    #[test]
    fn refused_documents_say_where_and_why_without_their_text() {
        let position = |text: &str| {
            let Invalid { line, column, .. } = parse(text).unwrap_err();
            (line, column)
        };
        // A syntax error: the parser's position, no message (it could quote a secret).
        let err = parse("okta:\n  client:\n    token: s3cret\n   bad: [\n").unwrap_err();
        assert!(err.problem.is_empty(), "{err:?}");
        assert!(err.line >= 3, "{err:?}");
        assert!(!err.to_string().contains("s3cret"), "{err}");
        assert_eq!(
            parse("a: 1\na: 2\n").unwrap_err().to_string(),
            "not valid YAML at line 2, column 1: the key `a` appears twice"
        );
        assert_eq!(position("a: 1\n---\nb: 2\n"), (2, 1));
        assert!(parse("a: 1\n---\nb: 2\n")
            .unwrap_err()
            .problem
            .contains("more than one document"));
        assert!(parse("? [a]\n: 1\n")
            .unwrap_err()
            .problem
            .contains("not text"));
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(parse(&deep).unwrap_err().problem.contains("nested deeper"));
        let fits = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&fits).is_ok());
        // An alias counts the levels of its anchor's value where it is used.
        let half = MAX_DEPTH / 2 + 1;
        let aliased = format!(
            "a: &a {}{}\nb: {}*a{}\n",
            "[".repeat(half),
            "]".repeat(half),
            "[".repeat(half),
            "]".repeat(half)
        );
        assert!(parse(&aliased)
            .unwrap_err()
            .problem
            .contains("nested deeper"));
        // Each level doubles the one before: a "billion laughs" stops at the node budget.
        let mut laughs = String::from("a0: &a0 [x, x]\n");
        for i in 1..40 {
            laughs.push_str(&format!("a{i}: &a{i} [*a{j}, *a{j}]\n", j = i - 1));
        }
        let err = parse(&laughs).unwrap_err();
        assert!(err.problem.contains(&MAX_NODES.to_string()), "{err:?}");
    }
}
