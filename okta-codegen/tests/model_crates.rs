//! The crates the models are compiled in (`ir::ModelCrate`, `ir::assign_model_crates`): a part's
//! models name only their own part's and the shared crate's, the shared crate's only its own,
//! so that each crate compiles with the shared one as its only dependency.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use okta_codegen::ir::{model_refs, model_weight, Api, ModelCrate, MODEL_PARTS};

fn lower(models: &[(&str, &str)]) -> Api {
    let file = |path: &str, text: &str| (PathBuf::from(path), text.as_bytes().to_vec());
    let mut diags = okta_codegen::Diagnostics::default();
    let manifest = okta_codegen::manifest::from_files(
        Vec::new(),
        models.iter().map(|(path, text)| file(path, text)).collect(),
        &mut diags,
    );
    assert!(diags.is_empty(), "{diags}");
    okta_codegen::check_and_lower(&manifest).unwrap_or_else(|d| panic!("{d}"))
}

/// Every model a model names is in a crate the model's crate can name.
fn assert_each_crate_names_only_what_it_depends_on(api: &Api) {
    let krate: BTreeMap<&str, ModelCrate> = api
        .models
        .iter()
        .map(|m| (m.name.as_str(), m.krate))
        .collect();
    for m in &api.models {
        for r in model_refs(&m.kind) {
            let other = krate[r.as_str()];
            assert!(
                m.krate.can_name(other),
                "{} ({:?}) names {r} ({other:?})",
                m.name,
                m.krate
            );
        }
    }
}

#[test]
fn a_model_named_from_another_part_moves_to_the_shared_crate_with_what_it_names() {
    // Weights (2 + fields): file `c` 6 (`C` 3, `Inner` 3), `a` 4, `b` 4. Heaviest first, each to
    // the lightest part so far, ties by name: `c` to part 1, then `a` and `b` to part 2.
    let api = lower(&[
        (
            "models/a.yaml",
            "models:\n  A:\n    fields:\n      c: {type: C}\n      x: {type: string}\n",
        ),
        (
            "models/b.yaml",
            "models:\n  B:\n    fields:\n      x: {type: string}\n      y: {type: string}\n",
        ),
        (
            "models/c.yaml",
            "models:\n  C:\n    fields:\n      inner: {type: Inner}\n  Inner:\n    fields:\n      \
             x: {type: string}\n",
        ),
    ]);
    let krate = |name: &str| api.models.iter().find(|m| m.name == name).unwrap().krate;
    assert_eq!(krate("A"), ModelCrate::Part(2));
    assert_eq!(krate("B"), ModelCrate::Part(2));
    // `A` (part 2) names `C` (file `c`, part 1): `C` is shared, and so is `Inner`, which it
    // names, though nothing else does.
    assert_eq!(krate("C"), ModelCrate::Shared);
    assert_eq!(krate("Inner"), ModelCrate::Shared);
    assert_each_crate_names_only_what_it_depends_on(&api);
}

#[test]
fn the_manifest_s_crates_of_models_name_only_their_dependencies_and_share_the_work() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../manifest");
    let api = okta_codegen::load_api(&dir).unwrap_or_else(|d| panic!("{d}"));
    assert_each_crate_names_only_what_it_depends_on(&api);
    let weight = |k: ModelCrate| -> usize {
        api.models
            .iter()
            .filter(|m| m.krate == k)
            .map(model_weight)
            .sum()
    };
    let parts: Vec<usize> = (1..=MODEL_PARTS)
        .map(|n| weight(ModelCrate::Part(n)))
        .collect();
    let (lightest, heaviest) = (parts.iter().min().unwrap(), parts.iter().max().unwrap());
    // The parts compile side by side: the heaviest is at most a third more than the lightest,
    // and the shared crate, compiled before them, is a small part of the whole.
    assert!(
        *heaviest * 3 <= *lightest * 4,
        "parts unbalanced: {parts:?}"
    );
    assert!(
        weight(ModelCrate::Shared) * 5 <= parts.iter().sum::<usize>(),
        "shared crate {} against parts {parts:?}",
        weight(ModelCrate::Shared)
    );
}
