//! The JSON path of a decode error, as `Error::Decode` and its message show it.

use serde_path_to_error::{Path, Segment};

/// Longest object key shown in a path, in characters (a key is whatever the server sent).
const MAX_KEY_CHARS: usize = 64;

/// `profile.login`, `[3].id`, `.` for the root, like `serde_path_to_error`'s own display,
/// except that a key which would be ambiguous or invisible there (empty, or holding `.`, `[`,
/// `]`, `"`, whitespace or control characters) is written as a quoted JSON string in brackets
/// (`settings[""]`, `["a.b"]`), and a very long key is cut short.
#[doc(hidden)] // for the client's runtime, not its users
pub fn json_path(path: &Path) -> String {
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } if is_plain(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&shorten(key));
            }
            Segment::Map { key } => {
                let quoted = serde_json::to_string(&shorten(key)).unwrap_or_default();
                out.push_str(&format!("[{quoted}]"));
            }
            Segment::Enum { variant } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&shorten(variant));
            }
            // A key that is not a string (not in JSON; kept for completeness).
            Segment::Unknown => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push('?');
            }
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

fn is_plain(key: &str) -> bool {
    !key.is_empty()
        && !key
            .chars()
            .any(|c| matches!(c, '.' | '[' | ']' | '"') || c.is_whitespace() || c.is_control())
}

fn shorten(key: &str) -> String {
    if key.chars().count() <= MAX_KEY_CHARS {
        key.to_owned()
    } else {
        let mut short: String = key.chars().take(MAX_KEY_CHARS).collect();
        short.push('…');
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path_of(json: &str) -> String {
        use std::collections::BTreeMap;
        // A list of objects whose values are objects of numbers (`[{"a": {"n": 1}}]`).
        let mut de = serde_json::Deserializer::from_str(json);
        let err =
            serde_path_to_error::deserialize::<_, Vec<BTreeMap<String, BTreeMap<String, u32>>>>(
                &mut de,
            )
            .unwrap_err();
        json_path(err.path())
    }

    #[test]
    fn plain_paths_read_as_dotted_names_and_indexes() {
        assert_eq!(
            path_of(r#"[{"a": {"n": 1}}, {"b": {"n": "x"}}]"#),
            "[1].b.n"
        );
        assert_eq!(path_of(r#"{}"#), ".");
    }

    #[test]
    fn odd_keys_are_quoted_so_the_path_stays_readable() {
        assert_eq!(path_of(r#"[{"": {"n": "x"}}]"#), r#"[0][""].n"#);
        assert_eq!(path_of(r#"[{"a.b": {"n": "x"}}]"#), r#"[0]["a.b"].n"#);
        assert_eq!(path_of(r#"[{"a b": {"n": "x"}}]"#), r#"[0]["a b"].n"#);
        let long = "k".repeat(100);
        let shown = path_of(&format!(r#"[{{"{long}": {{"n": "x"}}}}]"#));
        assert_eq!(shown, format!("[0].{}….n", "k".repeat(MAX_KEY_CHARS)));
    }
}
