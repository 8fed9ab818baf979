//! Facts about the hand-written source that the generator relies on or that keep the runtime easy
//! to follow, read with syn:
//!
//! - A category accessor is a method of `okta_generated::Client` (`okta-generated/src/client.rs`);
//!   one named like any other method of that `Client` (public or not, inherent or of a trait it
//!   implements) would not compile. Validation refuses such accessors by the list
//!   `names::CLIENT_METHODS`; a test fails when the list and the methods the client's
//!   hand-written source defines differ, so the list can never go stale.
//! - The runtime's modules (`okta-generated/runtime/src/`) import one another one way: no cycle.

use std::collections::BTreeSet;
use std::path::Path;

use okta_codegen::names::CLIENT_METHODS;

/// Names of the methods defined on `Client` by the items of one source file (including inline
/// modules that are not `#[cfg(test)]`).
fn client_methods_in(source: &str) -> BTreeSet<String> {
    let file = syn::parse_file(source).expect("the runtime's source parses");
    let mut out = BTreeSet::new();
    collect(&file.items, &mut out);
    out
}

fn collect(items: &[syn::Item], out: &mut BTreeSet<String>) {
    for item in items {
        match item {
            syn::Item::Impl(imp) if is_client(&imp.self_ty) => {
                for it in &imp.items {
                    if let syn::ImplItem::Fn(f) = it {
                        out.insert(f.sig.ident.to_string());
                    }
                }
            }
            syn::Item::Mod(m) if !is_cfg_test(&m.attrs) => {
                if let Some((_, items)) = &m.content {
                    collect(items, out);
                }
            }
            _ => {}
        }
    }
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Client"))
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && a.parse_args::<syn::Ident>().is_ok_and(|arg| arg == "test")
    })
}

/// Every `.rs` file below `dir`, sorted.
fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Methods that `Client` gets from the traits it derives (`#[derive(Clone)]`) rather than from
/// an `impl` block: `derive` writes no `impl` to read.
const DERIVED: &[&str] = &["clone"];

#[test]
fn client_methods_list_is_exactly_what_the_runtime_defines_on_client() {
    let client = Path::new(env!("CARGO_MANIFEST_DIR")).join("../okta-generated/src");
    let generated = client.join("generated");
    let mut files = Vec::new();
    rust_files(&client, &mut files);
    // The accessors are what the list guards against: the generated code is not read.
    files.retain(|f| !f.starts_with(&generated));
    assert!(
        files.iter().any(|f| f.ends_with("client.rs")),
        "found the client's hand-written source"
    );
    let mut defined: BTreeSet<String> = DERIVED.iter().map(|s| s.to_string()).collect();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read runtime source");
        defined.extend(client_methods_in(&text));
    }
    let listed: BTreeSet<String> = CLIENT_METHODS.iter().map(|s| s.to_string()).collect();
    let missing: Vec<_> = defined.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&defined).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "names::CLIENT_METHODS is out of step with okta-generated/src/client.rs: \
         add {missing:?}, remove {stale:?}"
    );
}

#[test]
fn a_method_the_runtime_gains_on_client_is_found() {
    // What the test above relies on: any `impl Client` block, any visibility, trait impls too,
    // in inline modules as well; test modules are not part of the build users compile.
    let source = r#"
        impl Client { pub(crate) fn next_step(&self) {} fn check_target(&self) {} }
        impl fmt::Debug for Client { fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { Ok(()) } }
        impl super::client::Client { pub fn brand_new(&self) {} }
        mod inner { impl Client { fn nested(&self) {} } }
        impl Other { fn not_a_client_method(&self) {} }
        #[cfg(test)]
        mod tests { impl Client { fn only_in_tests(&self) {} } }
    "#;
    let found = client_methods_in(source);
    let expected: BTreeSet<String> = ["next_step", "check_target", "fmt", "brand_new", "nested"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(found, expected);
}

/// The sibling modules a file imports (`use super::client::Client` -> `client`), outside test
/// modules.
fn imported_siblings(source: &str) -> BTreeSet<String> {
    fn walk(items: &[syn::Item], out: &mut BTreeSet<String>) {
        for item in items {
            match item {
                syn::Item::Use(u) => {
                    if let syn::UseTree::Path(p) = &u.tree {
                        // A sibling is `super::x` or, from the crate root, `crate::x`.
                        if p.ident == "super" || p.ident == "crate" {
                            first_segments(&p.tree, out);
                        }
                    }
                }
                syn::Item::Mod(m) if !is_cfg_test(&m.attrs) => {
                    if let Some((_, items)) = &m.content {
                        walk(items, out);
                    }
                }
                _ => {}
            }
        }
    }
    let file = syn::parse_file(source).expect("the runtime's source parses");
    let mut out = BTreeSet::new();
    walk(&file.items, &mut out);
    out
}

/// The first segment of each path in a use tree (`{client::Client, error}` -> client, error).
fn first_segments(tree: &syn::UseTree, out: &mut BTreeSet<String>) {
    match tree {
        syn::UseTree::Path(p) => {
            out.insert(p.ident.to_string());
        }
        syn::UseTree::Name(n) => {
            out.insert(n.ident.to_string());
        }
        syn::UseTree::Rename(r) => {
            out.insert(r.ident.to_string());
        }
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| first_segments(t, out)),
        syn::UseTree::Glob(_) => {}
    }
}

/// A cycle in `graph` (module -> modules it imports), as the path that closes it.
fn find_cycle(graph: &std::collections::BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &std::collections::BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|n| n == node) {
            let mut cycle = path[i..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn runtime_modules_import_one_another_one_way() {
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../okta-generated/runtime/src");
    let mut graph = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(&runtime).expect("runtime folder") {
        let path = entry.expect("entry").path();
        let Some(module) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".rs"))
        else {
            continue;
        };
        if module == "lib" {
            continue; // declares and re-exports the others
        }
        let text = std::fs::read_to_string(&path).expect("read runtime source");
        graph.insert(module.to_owned(), imported_siblings(&text));
    }
    assert!(graph.contains_key("client") && graph.contains_key("exchange"));
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "the runtime's modules import in a cycle: {}",
            cycle.join(" -> ")
        );
    }
}

#[test]
fn an_import_cycle_is_found() {
    let graph = [
        ("client", &["exchange"][..]),
        ("exchange", &["page"][..]),
        ("page", &["client", "error"][..]),
        ("error", &[][..]),
    ]
    .into_iter()
    .map(|(m, deps)| (m.to_owned(), deps.iter().map(|d| d.to_string()).collect()))
    .collect();
    assert_eq!(
        find_cycle(&graph),
        Some(vec![
            "client".into(),
            "exchange".into(),
            "page".into(),
            "client".into()
        ])
    );
    let imports = imported_siblings(
        "use super::client::{Client, Inner};\nuse super::{error, retry::backoff};\nuse std::fmt;\n#[cfg(test)] mod tests { use super::page::Page; }",
    );
    assert_eq!(
        imports,
        ["client", "error", "retry"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
}

#[test]
fn an_accessor_named_like_a_client_method_is_refused() {
    for name in CLIENT_METHODS {
        let cat: okta_codegen::manifest::CategoryFile =
            serde_yaml::from_str(&format!("category: X\naccessor: {name}\n")).unwrap();
        let err = okta_codegen::names::accessor_name(&cat).unwrap_err();
        assert!(err.contains("clash"), "{name}: {err}");
    }
}

/// `object_serde!` walks a struct's fields by tuples of at most `model_support::FIELD_CHUNK`
/// (the tuple impls the runtime has); the generator splits a table by `names::FIELD_CHUNK`. A
/// chunk longer than the runtime's tuples would not compile, so the two numbers must agree.
#[test]
fn field_chunk_is_the_same_number_in_the_generator_and_the_runtime() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../okta-generated/models/src/model_support.rs");
    let source = std::fs::read_to_string(&path).expect("model_support.rs is readable");
    let file = syn::parse_file(&source).expect("model_support.rs parses");
    let runtime = file
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Const(c) if c.ident == "FIELD_CHUNK" => match &*c.expr {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Int(n),
                    ..
                }) => Some(n.base10_parse::<usize>().expect("a usize")),
                _ => None,
            },
            _ => None,
        })
        .expect("model_support.rs defines `const FIELD_CHUNK: usize = <literal>`");
    assert_eq!(runtime, okta_codegen::names::FIELD_CHUNK);
    // The runtime implements its tuple traits for every arity up to that number.
    let largest = format!("{}: (T0 0", runtime);
    assert!(
        source.contains(&largest),
        "model_support.rs's field_tuples! has no row of {runtime} fields"
    );
}

/// The names of the packages a `Cargo.toml`'s `[dependencies]` table lists (its keys).
fn dependency_names(manifest: &str) -> Vec<String> {
    let mut in_dependencies = false;
    let mut names = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_dependencies = line == "[dependencies]";
        } else if in_dependencies && !line.is_empty() && !line.starts_with('#') {
            if let Some((key, _)) = line.split_once('=') {
                names.push(key.trim().trim_end_matches(".workspace").to_owned());
            }
        }
    }
    names
}

/// The runtime is a crate of its own so that cargo builds it beside the crates of models: it
/// may name the shared crate (for `json_path`, a small crate cargo builds first) but neither the
/// client, whose generated code calls the runtime, nor a part of the models, which would make it
/// wait for most of the models.
#[test]
fn the_runtime_crate_depends_on_no_generated_crate_but_the_shared_models() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../okta-generated/runtime/Cargo.toml");
    let manifest = std::fs::read_to_string(&path).expect("the runtime's Cargo.toml");
    let names = dependency_names(&manifest);
    assert!(
        names.iter().any(|n| n == "reqwest"),
        "read its dependencies: {names:?}"
    );
    let ours: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with("okta-generated"))
        .collect();
    assert_eq!(
        ours,
        ["okta-generated-models"],
        "the runtime's dependencies of ours"
    );
}

#[test]
fn dependency_names_reads_the_keys_of_the_dependencies_table_only() {
    let manifest = "[package]\nname = \"x\"\n\n[dependencies]\n# a comment\nserde.workspace = true\n\
                    okta-generated-models-1 = { path = \"p\" }\n\n[dev-dependencies]\nwiremock = \"0.6\"\n";
    assert_eq!(
        dependency_names(manifest),
        ["serde", "okta-generated-models-1"]
    );
}
