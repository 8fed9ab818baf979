//! A category accessor is a method of the runtime's `Client`; one named like any other method of
//! `Client` (public or not, inherent or of a trait it implements) would not compile. Validation
//! refuses such accessors by the list `names::CLIENT_METHODS`; this test reads the runtime's
//! source and fails when the list and the methods the runtime defines differ, so the list can
//! never go stale.

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
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../okta-generated/src/runtime");
    let mut files = Vec::new();
    rust_files(&runtime, &mut files);
    assert!(files.len() > 5, "found the runtime's sources");
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
        "names::CLIENT_METHODS is out of step with okta-generated/src/runtime: \
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

#[test]
fn an_accessor_named_like_a_client_method_is_refused() {
    for name in CLIENT_METHODS {
        let cat: okta_codegen::manifest::CategoryFile =
            serde_yaml::from_str(&format!("category: X\naccessor: {name}\n")).unwrap();
        let err = okta_codegen::names::accessor_name(&cat).unwrap_err();
        assert!(err.contains("clash"), "{name}: {err}");
    }
}
