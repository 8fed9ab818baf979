//! The manifest written back as YAML, in one canonical layout: what `cargo xtask import-spec`
//! writes and `cargo xtask fmt-manifest` keeps the checked-in files in, so that the diff of an
//! import shows what changed in the API and nothing else.
//!
//! The layout: keys in the order of the manifest's structs (name and ids first, then the wire
//! shape, then docs and overrides), maps of fields and models sorted by name, keys at their
//! default value left out, a collection on one line (`{name: limit, type: integer}`) when it
//! holds no multi-line text, no mapping in a mapping and no list of mappings, and fits in
//! [`WIDTH`] columns, a blank line between the actions of a category. Strings stay on one line
//! (plain where YAML reads them back as the same string, else double-quoted); text with line
//! breaks is a literal block (`|-`).

use serde::Serialize;
use serde_yaml::Value;

use crate::manifest::{CategoryFile, ModelFile};

/// The column a line of the layout stays within where it can (a long string is never folded).
pub const WIDTH: usize = 100;

/// A category file (`actions/<category>.yaml`) in the canonical layout.
pub fn category_file(file: &CategoryFile) -> String {
    document(file, Some("actions"))
}

/// A model file (`models/<group>.yaml`) in the canonical layout.
pub fn model_file(file: &ModelFile) -> String {
    document(file, None)
}

fn document(file: &impl Serialize, spaced_list: Option<&str>) -> String {
    // The manifest's types serialize to plain YAML values (strings, numbers, booleans, lists,
    // maps with string keys); serde_yaml cannot fail on them.
    let value = serde_yaml::to_value(file).unwrap_or(Value::Null);
    let mut out = String::new();
    if let Value::Mapping(map) = &value {
        for (key, v) in map {
            let key = key_text(key);
            let spaced = spaced_list == Some(key.as_str());
            if spaced && matches!(v, Value::Sequence(items) if !items.is_empty()) {
                // A blank line before each action, as a reader scans a category.
                out.push('\n');
                out.push_str(&key);
                out.push_str(":\n");
                if let Value::Sequence(items) = v {
                    for item in items {
                        out.push('\n');
                        sequence_item(&mut out, item, 0);
                    }
                }
            } else {
                entry(&mut out, &key, v, 0);
            }
        }
    }
    out
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => scalar_string(s, false),
        other => scalar(other, false),
    }
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// `key: value` at `indent`, the value inline, flow, or as a block below.
fn entry(out: &mut String, key: &str, value: &Value, indent: usize) {
    pad(out, indent);
    out.push_str(key);
    out.push(':');
    match value {
        Value::Mapping(map) if !map.is_empty() => {
            if let Some(flow) = flow(value).filter(|f| fits(indent + key.len() + 2, f)) {
                out.push(' ');
                out.push_str(&flow);
                out.push('\n');
            } else {
                out.push('\n');
                for (k, v) in map {
                    entry(out, &key_text(k), v, indent + 2);
                }
            }
        }
        Value::Sequence(items) if !items.is_empty() => {
            if let Some(flow) = flow(value).filter(|f| fits(indent + key.len() + 2, f)) {
                out.push(' ');
                out.push_str(&flow);
                out.push('\n');
            } else {
                out.push('\n');
                for item in items {
                    sequence_item(out, item, indent);
                }
            }
        }
        Value::String(s) if s.contains('\n') => block_or_quoted(out, s, indent),
        other => {
            out.push(' ');
            out.push_str(&scalar(other, false));
            out.push('\n');
        }
    }
}

/// `- item` at `indent` (sequences are not indented past their key, as in the manifest).
fn sequence_item(out: &mut String, item: &Value, indent: usize) {
    pad(out, indent);
    out.push('-');
    match item {
        Value::Mapping(map) if !map.is_empty() => {
            if let Some(flow) = flow(item).filter(|f| fits(indent + 2, f)) {
                out.push(' ');
                out.push_str(&flow);
                out.push('\n');
                return;
            }
            // The first key on the dash's line, the others below it.
            let mut first = true;
            for (k, v) in map {
                if first {
                    let mut line = String::new();
                    entry(&mut line, &key_text(k), v, indent + 2);
                    out.push(' ');
                    out.push_str(&line[indent + 2..]);
                    first = false;
                } else {
                    entry(out, &key_text(k), v, indent + 2);
                }
            }
        }
        Value::Sequence(items) if !items.is_empty() => match flow(item) {
            Some(flow) if fits(indent + 2, &flow) => {
                out.push(' ');
                out.push_str(&flow);
                out.push('\n');
            }
            _ => {
                out.push('\n');
                for inner in items {
                    sequence_item(out, inner, indent + 2);
                }
            }
        },
        Value::String(s) if s.contains('\n') => block_or_quoted(out, s, indent),
        other => {
            out.push(' ');
            out.push_str(&scalar(other, false));
            out.push('\n');
        }
    }
}

fn fits(used: usize, text: &str) -> bool {
    used + text.chars().count() <= WIDTH
}

/// The one-line flow form of a collection, unless it holds text with line breaks.
fn flow(value: &Value) -> Option<String> {
    match value {
        Value::Mapping(map) => {
            let mut parts = Vec::with_capacity(map.len());
            for (k, v) in map {
                // A mapping inside a mapping (a model's fields) reads best one per line.
                if v.is_mapping() {
                    return None;
                }
                parts.push(format!("{}: {}", flow_key(k), flow(v)?));
            }
            Some(format!("{{{}}}", parts.join(", ")))
        }
        // A list of mappings (parameters) reads best one per line.
        Value::Sequence(items) if items.iter().any(Value::is_mapping) => None,
        Value::Sequence(items) => {
            let parts = items.iter().map(flow).collect::<Option<Vec<_>>>()?;
            Some(format!("[{}]", parts.join(", ")))
        }
        Value::String(s) if s.contains('\n') => None,
        other => Some(scalar(other, true)),
    }
}

fn flow_key(key: &Value) -> String {
    match key {
        Value::String(s) => scalar_string(s, true),
        other => scalar(other, true),
    }
}

fn scalar(value: &Value, in_flow: bool) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar_string(s, in_flow),
        // Not produced by the manifest's types; written in flow form by serde_yaml itself.
        Value::Tagged(_) | Value::Mapping(_) | Value::Sequence(_) => serde_yaml::to_string(value)
            .unwrap_or_default()
            .trim_end()
            .to_owned(),
    }
}

/// A string as a plain scalar where YAML reads that back as the same string, else quoted.
fn scalar_string(s: &str, in_flow: bool) -> String {
    if is_plain(s, in_flow) {
        s.to_owned()
    } else {
        double_quoted(s)
    }
}

fn is_plain(s: &str, in_flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if first.is_whitespace()
        || s.ends_with(char::is_whitespace)
        || s.ends_with(':')
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || s.contains(": ")
        || s.contains(" #")
        || s.chars().any(|c| c.is_control())
        || (in_flow && s.contains([',', '[', ']', '{', '}']))
    {
        return false;
    }
    // Whatever YAML would read as something else (`true`, `10`, `null`, `1e3`, `.inf`) is quoted.
    matches!(serde_yaml::from_str::<Value>(s), Ok(Value::String(back)) if back == s)
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Multi-line text after `key:`: a literal block where it reads back unchanged, else quoted.
fn block_or_quoted(out: &mut String, s: &str, indent: usize) {
    let trailing = s.len() - s.trim_end_matches('\n').len();
    let literal_ok = !s.starts_with([' ', '\n'])
        && trailing <= 1
        && !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
        && s.lines().all(|line| line.trim_end() == line);
    if !literal_ok {
        out.push(' ');
        out.push_str(&double_quoted(s));
        out.push('\n');
        return;
    }
    out.push_str(if trailing == 1 { " |\n" } else { " |-\n" });
    for line in s.trim_end_matches('\n').split('\n') {
        if !line.is_empty() {
            pad(out, indent + 2);
            out.push_str(line);
        }
        out.push('\n');
    }
}
