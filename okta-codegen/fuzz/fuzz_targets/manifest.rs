//! Fuzz target: one manifest file, applied to the kitchen-sink fixture, through load, validate,
//! lower and generate. The property (no panic, located diagnostics, generated Rust that parses
//! and names nothing twice) is `okta_codegen::fuzzing::check_input`, which the stable test
//! `okta-codegen/tests/fuzz_corpus.rs` also runs on the checked-in corpus.
//!
//! Inputs are mutated two ways, half the time each:
//! - libFuzzer's own byte-level mutations (with `manifest.dict`), which find what a text editor
//!   can do to a file: broken indentation, stray characters, truncation, encoding;
//! - structure-aware mutations below: the file is parsed as a YAML tree, one edit is made
//!   (delete, duplicate, rename or retype a node, swap subtrees, change a name's case, insert a
//!   key of the manifest format), and it is written back. These keep inputs valid YAML of the
//!   manifest's shape, so they reach validation and generation instead of stopping at the parser.

#![no_main]

use libfuzzer_sys::{fuzz_mutator, fuzz_target, fuzzer_mutate};
use okta_codegen::fuzzing::{check_input, make_input, split_input, Slot};
use serde_yaml::{Mapping, Value};

fuzz_target!(|data: &[u8]| {
    check_input(data);
});

fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    let mut rng = Rng::new(seed);
    if rng.below(2) == 0 {
        return fuzzer_mutate(data, size, max_size);
    }
    match structural(&data[..size], &mut rng) {
        Some(out) if out.len() <= max_size => {
            data[..out.len()].copy_from_slice(&out);
            out.len()
        }
        _ => fuzzer_mutate(data, size, max_size),
    }
});

/// One structural edit of the input's YAML file; `None` when the file is not YAML.
fn structural(input: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let (mut slot, file) = split_input(input)?;
    let text = std::str::from_utf8(file).ok()?;
    let mut doc: Value = serde_yaml::from_str(text).ok()?;
    let edits = 1 + rng.below(3);
    for _ in 0..edits {
        edit(&mut doc, rng);
    }
    if rng.below(16) == 0 {
        slot = Slot::ALL[rng.below(Slot::ALL.len())];
    }
    let out = serde_yaml::to_string(&doc).ok()?;
    Some(make_input(slot, out.as_bytes()))
}

/// Keys of the manifest format, for insertions and renames.
const KEYS: &[&str] = &[
    "category",
    "accessor",
    "description",
    "actions",
    "name",
    "operation_id",
    "rust_name",
    "method",
    "path",
    "path_params",
    "query_params",
    "fixed_query",
    "header_params",
    "body",
    "response",
    "paginated",
    "spec_overrides",
    "type",
    "required",
    "default",
    "content",
    "file_part",
    "content_types",
    "text",
    "status",
    "models",
    "fields",
    "parent",
    "enum",
    "map",
    "discriminator",
    "variants",
    "read_only",
    "boxed",
];

/// Scalars worth trying anywhere: type expressions, names that collide or are keywords after
/// case conversion, HTTP methods, paths, YAML 1.1 booleans, odd text.
const SCALARS: &[&str] = &[
    "",
    " ",
    "string",
    "integer",
    "int64",
    "number",
    "boolean",
    "date-time",
    "json",
    "list<string>",
    "map<json>",
    "list<Widget>",
    "map<list<Widget>>",
    "list<list<string>>",
    "list<",
    "Widget",
    "WidgetPart",
    "Factor",
    "FactorBase",
    "WidgetStatus",
    "Labels",
    "Self",
    "self",
    "type",
    "crate",
    "super",
    "new",
    "send",
    "stream",
    "clone",
    "builder",
    "default",
    "Option",
    "String",
    "Vec",
    "Result",
    "Error",
    "Client",
    "Page",
    "Request",
    "Into",
    "From",
    "Unrecognized",
    "Other",
    "additional_properties",
    "__",
    "_",
    "_1",
    "1a",
    "2FA",
    "a²",
    "é",
    "ǅx",
    "x-y",
    "a b",
    "GET",
    "get",
    "POST",
    "DELETE",
    "/",
    "/api/v1/{id}",
    "/{a}/{a}",
    "{",
    "}",
    "/x?y=1",
    "yes",
    "on",
    "true",
    "null",
    "~",
    "0",
    "-1",
    "200",
    "299",
    "600",
    "application/xml",
    "multipart",
    "raw",
    "json",
    "a\nb",
    "a\rb",
    "\"",
    "\\",
    "*/",
    "#",
];

fn edit(doc: &mut Value, rng: &mut Rng) {
    let mut paths = Vec::new();
    collect_paths(doc, &mut Vec::new(), &mut paths);
    let path = paths[rng.below(paths.len())].clone();
    let scalars = collect_scalars(doc);
    let keys = collect_keys(doc);
    match rng.below(9) {
        // Delete the node from its parent.
        0 => {
            if let Some((last, parent)) = path.split_last() {
                if let Some(p) = get_mut(doc, parent) {
                    remove(p, last);
                }
            }
        }
        // Duplicate the node in its parent (a second action, field, enum value...).
        1 => {
            if let Some((last, parent)) = path.split_last() {
                let copy = get_mut(doc, &path).map(|v| v.clone());
                if let (Some(copy), Some(p)) = (copy, get_mut(doc, parent)) {
                    match (p, last) {
                        (Value::Sequence(s), _) => s.push(copy),
                        (Value::Mapping(m), Step::Key(k)) => {
                            let new_key = case_change(&key_text(k), rng);
                            m.insert(Value::String(new_key), copy);
                        }
                        _ => {}
                    }
                }
            }
        }
        // Replace with a scalar: one from the document, from the list above, or a variant of
        // the node's own text.
        2 | 3 => {
            if let Some(v) = get_mut(doc, &path) {
                let s = match rng.below(3) {
                    0 if !scalars.is_empty() => scalars[rng.below(scalars.len())].clone(),
                    1 => match v {
                        Value::String(own) => case_change(own, rng),
                        _ => SCALARS[rng.below(SCALARS.len())].to_owned(),
                    },
                    _ => SCALARS[rng.below(SCALARS.len())].to_owned(),
                };
                *v = scalar(&s);
            }
        }
        // Rename a key (to another key of the document, one of the format, or a case variant).
        4 => {
            if let Some((Step::Key(k), parent)) = path.split_last() {
                let new_key = match rng.below(4) {
                    0 if !keys.is_empty() => keys[rng.below(keys.len())].clone(),
                    1 => KEYS[rng.below(KEYS.len())].to_owned(),
                    2 => SCALARS[rng.below(SCALARS.len())].to_owned(),
                    _ => case_change(&key_text(k), rng),
                };
                if let Some(Value::Mapping(m)) = get_mut(doc, parent) {
                    if let Some(v) = m.remove(k) {
                        m.insert(Value::String(new_key), v);
                    }
                }
            }
        }
        // Insert a key of the format into a mapping.
        5 => {
            if let Some(Value::Mapping(m)) = get_mut(doc, &path) {
                let key = KEYS[rng.below(KEYS.len())];
                let value = if !scalars.is_empty() && rng.below(2) == 0 {
                    scalar(&scalars[rng.below(scalars.len())])
                } else {
                    scalar(SCALARS[rng.below(SCALARS.len())])
                };
                m.insert(Value::String(key.to_owned()), value);
            }
        }
        // Swap the node with another one.
        6 => {
            let other = paths[rng.below(paths.len())].clone();
            let is_prefix = |a: &[Step], b: &[Step]| b.len() >= a.len() && b[..a.len()] == *a;
            if !is_prefix(&path, &other) && !is_prefix(&other, &path) {
                let a = get_mut(doc, &path).map(std::mem::take);
                let b = get_mut(doc, &other).map(std::mem::take);
                if let (Some(a), Some(b)) = (a, b) {
                    if let Some(v) = get_mut(doc, &path) {
                        *v = b;
                    }
                    if let Some(v) = get_mut(doc, &other) {
                        *v = a;
                    }
                }
            }
        }
        // Change a string's case (names that collide after conversion).
        7 => {
            if let Some(Value::String(s)) = get_mut(doc, &path) {
                *s = case_change(s, rng);
            }
        }
        // Wrap the node in a list or a mapping (a list where a map is expected, and back).
        _ => {
            if let Some(v) = get_mut(doc, &path) {
                let inner = std::mem::take(v);
                *v = if rng.below(2) == 0 {
                    Value::Sequence(vec![inner])
                } else {
                    let mut m = Mapping::new();
                    m.insert(Value::String(KEYS[rng.below(KEYS.len())].to_owned()), inner);
                    Value::Mapping(m)
                };
            }
        }
    }
}

/// A scalar as YAML would read it unquoted (so `true`, `1` and `~` become what they look like).
fn scalar(s: &str) -> Value {
    serde_yaml::from_str::<Value>(s)
        .ok()
        .filter(|v| !matches!(v, Value::Mapping(_) | Value::Sequence(_) | Value::Tagged(_)))
        .unwrap_or_else(|| Value::String(s.to_owned()))
}

/// A variant of a name that a person might write, or that collides after case conversion.
fn case_change(s: &str, rng: &mut Rng) -> String {
    match rng.below(8) {
        5 => format!("{s}{s}"),
        6 => format!("{s}\u{e9}"),
        7 => s.chars().rev().collect(),
        0 => s.to_uppercase(),
        1 => s.to_lowercase(),
        2 => {
            // camelCase <-> snake_case
            if s.contains('_') {
                let mut out = String::new();
                let mut up = false;
                for c in s.chars() {
                    if c == '_' {
                        up = true;
                    } else if up {
                        out.extend(c.to_uppercase());
                        up = false;
                    } else {
                        out.push(c);
                    }
                }
                out
            } else {
                let mut out = String::new();
                for c in s.chars() {
                    if c.is_uppercase() && !out.is_empty() {
                        out.push('_');
                    }
                    out.extend(c.to_lowercase());
                }
                out
            }
        }
        3 => format!("{s}_"),
        _ => format!("_{s}"),
    }
}

#[derive(Clone, PartialEq)]
enum Step {
    Key(Value),
    Index(usize),
}

fn collect_paths(v: &Value, cur: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(cur.clone());
    match v {
        Value::Mapping(m) => {
            for (k, child) in m {
                cur.push(Step::Key(k.clone()));
                collect_paths(child, cur, out);
                cur.pop();
            }
        }
        Value::Sequence(s) => {
            for (i, child) in s.iter().enumerate() {
                cur.push(Step::Index(i));
                collect_paths(child, cur, out);
                cur.pop();
            }
        }
        _ => {}
    }
}

fn get_mut<'a>(v: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let Some((first, rest)) = path.split_first() else {
        return Some(v);
    };
    let child = match (v, first) {
        (Value::Mapping(m), Step::Key(k)) => m.get_mut(k)?,
        (Value::Sequence(s), Step::Index(i)) => s.get_mut(*i)?,
        _ => return None,
    };
    get_mut(child, rest)
}

fn remove(parent: &mut Value, step: &Step) {
    match (parent, step) {
        (Value::Mapping(m), Step::Key(k)) => {
            m.remove(k);
        }
        (Value::Sequence(s), Step::Index(i)) if *i < s.len() => {
            s.remove(*i);
        }
        _ => {}
    }
}

fn key_text(k: &Value) -> String {
    match k {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_owned(),
    }
}

fn collect_scalars(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) => out.push(s.clone()),
            Value::Mapping(m) => m.iter().for_each(|(k, v)| {
                stack.push(k);
                stack.push(v);
            }),
            Value::Sequence(s) => stack.extend(s),
            _ => {}
        }
    }
    out
}

fn collect_keys(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Mapping(m) => m.iter().for_each(|(k, v)| {
                out.push(key_text(k));
                stack.push(v);
            }),
            Value::Sequence(s) => stack.extend(s),
            _ => {}
        }
    }
    out
}

/// A small deterministic generator (xorshift64*), seeded by libFuzzer so runs reproduce.
struct Rng(u64);

impl Rng {
    fn new(seed: u32) -> Rng {
        Rng(u64::from(seed).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n.max(1)
    }
}
