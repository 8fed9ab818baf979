//! The generator's fuzzing property, in one place: the libFuzzer target in `okta-codegen/fuzz/`
//! calls [`check_input`] on every input, and `tests/fuzz_corpus.rs` replays the checked-in corpus
//! and every crash ever found through the same function on stable Rust. Not part of the API.
//!
//! An input is one manifest file applied to the kitchen-sink fixture: its first byte picks where
//! the file goes ([`Slot`]), the rest is the file's bytes. The property, checked here with
//! panics (which the fuzzer reports as crashes):
//!
//! - nothing panics (load, validate, lower, generate);
//! - a rejected manifest is rejected with diagnostics that each name one of the manifest's files
//!   and a line inside it;
//! - an accepted manifest generates: every file parses as Rust (the emitters' tokens through syn,
//!   and prettyplease's text again), no file defines a name twice or shadows a name the generated
//!   code relies on, and the category features splice into `Cargo.toml` without a clash.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::diagnostics::Diagnostics;
use crate::manifest;

const BASE_ACTIONS: &[u8] = include_bytes!("../tests/fixtures/kitchen_sink/actions/widget.yaml");
const BASE_MODELS: &[u8] = include_bytes!("../tests/fixtures/kitchen_sink/models/widget.yaml");

/// Where the file of an input goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// Replaces the fixture's `actions/widget.yaml`.
    ReplaceActions,
    /// Replaces the fixture's `models/widget.yaml`.
    ReplaceModels,
    /// Added as `actions/extra.yaml`.
    ExtraActions,
    /// Added as `models/extra.yaml`.
    ExtraModels,
}

impl Slot {
    pub const ALL: [Slot; 4] = [
        Slot::ReplaceActions,
        Slot::ReplaceModels,
        Slot::ExtraActions,
        Slot::ExtraModels,
    ];

    /// The input's first byte for this slot.
    pub fn byte(self) -> u8 {
        Slot::ALL.iter().position(|s| *s == self).unwrap_or(0) as u8
    }

    fn from_byte(b: u8) -> Slot {
        Slot::ALL[usize::from(b) % Slot::ALL.len()]
    }
}

/// An input's slot and file bytes (an empty input is the fixture unchanged).
pub fn split_input(data: &[u8]) -> Option<(Slot, &[u8])> {
    let (&first, rest) = data.split_first()?;
    Some((Slot::from_byte(first), rest))
}

/// The input for `file` in `slot`.
pub fn make_input(slot: Slot, file: &[u8]) -> Vec<u8> {
    let mut out = vec![slot.byte()];
    out.extend_from_slice(file);
    out
}

type Files = Vec<(PathBuf, Vec<u8>)>;

/// The category files and model files of an input.
pub fn manifest_files(data: &[u8]) -> (Files, Files) {
    let mut actions = vec![("manifest/actions/widget.yaml".into(), BASE_ACTIONS.to_vec())];
    let mut models = vec![("manifest/models/widget.yaml".into(), BASE_MODELS.to_vec())];
    if let Some((slot, file)) = split_input(data) {
        let file = file.to_vec();
        match slot {
            Slot::ReplaceActions => actions[0].1 = file,
            Slot::ReplaceModels => models[0].1 = file,
            Slot::ExtraActions => actions.push(("manifest/actions/extra.yaml".into(), file)),
            Slot::ExtraModels => models.push(("manifest/models/extra.yaml".into(), file)),
        }
    }
    (actions, models)
}

/// What became of an input that kept the property.
#[derive(Debug)]
pub enum Outcome {
    Rejected(Diagnostics),
    /// Accepted; the number of generated files.
    Generated(usize),
}

/// Check the property for one fuzz input; panics on a violation.
pub fn check_input(data: &[u8]) -> Outcome {
    let (actions, models) = manifest_files(data);
    check_files(actions, models)
}

/// Check the property for a manifest given as files; panics on a violation.
pub fn check_files(actions: Files, models: Files) -> Outcome {
    let texts: BTreeMap<PathBuf, usize> = actions
        .iter()
        .chain(&models)
        .map(|(path, bytes)| (path.clone(), line_count(bytes)))
        .collect();
    let mut diags = Diagnostics::default();
    let manifest = manifest::from_files(actions, models, &mut diags);
    let api = if diags.is_empty() {
        crate::check_and_lower(&manifest)
    } else {
        Err(diags)
    };
    match api {
        Err(diags) => {
            assert_located(&diags, &texts);
            Outcome::Rejected(diags)
        }
        Ok(api) => {
            let files = crate::generate(&api)
                .unwrap_or_else(|e| panic!("the manifest was accepted but generates no Rust: {e}"));
            for f in &files {
                check_rust(&f.path, &f.contents);
            }
            check_features(&api);
            Outcome::Generated(files.len())
        }
    }
}

fn line_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count() + 1
}

/// Every diagnostic names one of the manifest's files and a line that exists in it.
fn assert_located(diags: &Diagnostics, texts: &BTreeMap<PathBuf, usize>) {
    assert!(!diags.is_empty(), "rejected without a diagnostic");
    for d in &diags.0 {
        let lines = texts
            .get(&d.file)
            .unwrap_or_else(|| panic!("diagnostic names no manifest file: {d}"));
        match d.position {
            Some((line, _)) => assert!(
                (1..=*lines).contains(&line),
                "diagnostic names line {line} of a {lines}-line file: {d}"
            ),
            None => panic!("diagnostic has no line: {d}"),
        }
        assert!(!d.message.trim().is_empty(), "diagnostic says nothing: {d}");
    }
}

/// The generated file parses, and defines no name twice.
fn check_rust(path: &str, contents: &str) {
    if !path.ends_with(".rs") {
        return;
    }
    let file = syn::parse_file(contents)
        .unwrap_or_else(|e| panic!("generated `{path}` does not parse after layout: {e}"));
    let mut types = Names::new(path, "type");
    let mut values = Names::new(path, "value");
    let mut methods: BTreeMap<String, Names> = BTreeMap::new();
    for item in &file.items {
        match item {
            syn::Item::Struct(s) => {
                types.add(&s.ident.to_string());
                let mut fields = Names::new(path, &format!("field of {}", s.ident));
                for f in s.fields.iter().filter_map(|f| f.ident.as_ref()) {
                    fields.add(&f.to_string());
                }
            }
            syn::Item::Enum(e) => {
                types.add(&e.ident.to_string());
                let mut variants = Names::new(path, &format!("variant of {}", e.ident));
                for v in &e.variants {
                    variants.add(&v.ident.to_string());
                }
            }
            syn::Item::Type(t) => types.add(&t.ident.to_string()),
            syn::Item::Mod(m) => types.add(&m.ident.to_string()),
            syn::Item::Static(s) => values.add(&s.ident.to_string()),
            syn::Item::Const(c) => values.add(&c.ident.to_string()),
            syn::Item::Fn(f) => values.add(&f.sig.ident.to_string()),
            syn::Item::Use(u) => {
                let mut leaves = Vec::new();
                use_leaves(&u.tree, &mut leaves);
                for leaf in leaves {
                    types.add(&leaf);
                    values.add(&leaf);
                }
            }
            syn::Item::Impl(i) if i.trait_.is_none() => {
                let self_ty = quote::ToTokens::to_token_stream(&i.self_ty).to_string();
                let names = methods
                    .entry(self_ty.clone())
                    .or_insert_with(|| Names::new(path, &format!("method of {self_ty}")));
                for f in i.items.iter().filter_map(|x| match x {
                    syn::ImplItem::Fn(f) => Some(f),
                    _ => None,
                }) {
                    names.add(&f.sig.ident.to_string());
                    let mut args = Names::new(path, &format!("argument of {}", f.sig.ident));
                    for arg in &f.sig.inputs {
                        if let syn::FnArg::Typed(t) = arg {
                            args.add(&quote::ToTokens::to_token_stream(&t.pat).to_string());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for name in &types.seen {
        assert!(
            !crate::names::PRELUDE_NAMES.contains(&name.as_str()),
            "generated `{path}` defines `{name}`, shadowing the prelude's"
        );
    }
}

/// Names defined in one namespace of one scope; adding one twice is a violation.
struct Names {
    what: String,
    seen: BTreeSet<String>,
}

impl Names {
    fn new(path: &str, what: &str) -> Names {
        Names {
            what: format!("{what} in `{path}`"),
            seen: BTreeSet::new(),
        }
    }
    fn add(&mut self, name: &str) {
        assert!(
            self.seen.insert(name.to_owned()),
            "{} `{name}` is defined twice",
            self.what
        );
    }
}

fn use_leaves(tree: &syn::UseTree, out: &mut Vec<String>) {
    match tree {
        syn::UseTree::Path(p) => use_leaves(&p.tree, out),
        syn::UseTree::Name(n) => out.push(n.ident.to_string()),
        syn::UseTree::Rename(r) => out.push(r.rename.to_string()),
        syn::UseTree::Glob(_) => {}
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_leaves(t, out)),
    }
}

/// The category features splice into a `[features]` table like the client's without naming a
/// feature twice.
fn check_features(api: &crate::ir::Api) {
    let toml = format!(
        "[features]\ndefault = [\"rustls-tls\", \"all-categories\"]\nrustls-tls = []\nnative-tls = []\n{}\n{}\n",
        crate::FEATURES_BEGIN,
        crate::FEATURES_END
    );
    let spliced = crate::splice_features(&toml, api, crate::FeaturesOf::Client)
        .unwrap_or_else(|e| panic!("features do not splice: {e}"));
    let mut names = Names::new("Cargo.toml", "feature");
    for line in spliced.lines().skip(1) {
        if let Some((name, _)) = line.split_once(" = ") {
            names.add(name);
        }
    }
}
