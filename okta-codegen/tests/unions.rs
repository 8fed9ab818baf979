//! Unions (`one_of`) past validation: how the manifest writer lays them out, which categories
//! compile a union's branches (and a model no category reaches), and the sample cases the
//! round-trip tests decode.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use okta_codegen::ir::Api;
use okta_codegen::sample::{Samples, UNKNOWN_DISCRIMINATOR};
use serde_json::json;

/// The manifest of two category files and one model file, lowered.
fn lower(a: &str, b: &str, models: &str) -> Api {
    let file = |path: &str, text: &str| (PathBuf::from(path), text.as_bytes().to_vec());
    let mut diags = okta_codegen::Diagnostics::default();
    let manifest = okta_codegen::manifest::from_files(
        vec![file("actions/a.yaml", a), file("actions/b.yaml", b)],
        vec![file("models/m.yaml", models)],
        &mut diags,
    );
    assert!(diags.is_empty(), "{diags}");
    okta_codegen::check_and_lower(&manifest).unwrap_or_else(|d| panic!("{d}"))
}

fn categories(api: &Api, model: &str) -> BTreeSet<String> {
    let m = api.models.iter().find(|m| m.name == model).expect(model);
    m.categories.clone()
}

#[test]
fn a_union_reaches_its_branches_and_what_they_hold() {
    let api = lower(
        "category: A\nactions:\n  - {name: Get A, operation_id: getA, method: GET, path: /a, response: {type: list<Pick>}}\n",
        "category: B\nactions:\n  - {name: Get B, operation_id: getB, method: GET, path: /b, response: {type: Single}}\n",
        "models:
  Pick:
    one_of: [list<Many>, Single, map<Keyed>]
  Many:
    fields:
      inner: {type: Inner}
  Single:
    fields:
      id: {type: string}
  Keyed:
    enum: [A]
  Inner:
    fields:
      id: {type: string}
  Unused:
    fields:
      id: {type: string}
",
    );
    let a = BTreeSet::from(["a".to_owned()]);
    assert_eq!(categories(&api, "Pick"), a);
    assert_eq!(categories(&api, "Many"), a);
    assert_eq!(categories(&api, "Inner"), a);
    assert_eq!(categories(&api, "Keyed"), a);
    assert_eq!(
        categories(&api, "Single"),
        BTreeSet::from(["a".to_owned(), "b".to_owned()])
    );
    assert!(categories(&api, "Unused").is_empty());
}

/// A model no category reaches (an Okta callback's payload, say) is compiled with any features;
/// so is everything it holds, even what a category also reaches, or a build with only that
/// category's feature (or none) would name a type that is not there.
#[test]
fn a_model_no_category_reaches_and_all_it_holds_are_compiled_without_a_gate() {
    let api = lower(
        "category: A\nactions:\n  - {name: Get A, operation_id: getA, method: GET, path: /a, response: {type: Shared}}\n",
        "category: B\nactions:\n  - {name: Get B, operation_id: getB, method: GET, path: /b, response: {type: OnlyB}}\n",
        "models:
  Callback:
    fields:
      shared: {type: Shared}
      held: {type: Held}
  Shared:
    fields:
      deep: {type: Deep}
  Deep:
    fields:
      id: {type: string}
  Held:
    fields:
      id: {type: string}
  OnlyB:
    fields:
      id: {type: string}
",
    );
    for model in ["Callback", "Shared", "Deep", "Held"] {
        assert!(categories(&api, model).is_empty(), "{model} is gated");
    }
    assert_eq!(categories(&api, "OnlyB"), BTreeSet::from(["b".to_owned()]));
}

#[test]
fn union_samples_are_one_per_branch_then_a_value_no_branch_takes() {
    let api = okta_codegen::load_api(&common::fixture("kitchen_sink")).expect("fixture is valid");
    let samples = Samples::new(&api);
    let labels = |model: &str| -> Vec<String> {
        samples
            .cases(model)
            .into_iter()
            .map(|(label, _)| label)
            .collect()
    };
    let case = |model: &str, i: usize| samples.cases(model).swap_remove(i).1;

    // With a discriminator: each branch's sample carries its first value; the last case, a
    // value no branch has.
    assert_eq!(
        labels("WidgetRole"),
        [
            "WidgetRole::StandardWidgetRole (StandardWidgetRole)",
            "WidgetRole::CustomWidgetRole (CustomWidgetRole)",
            "WidgetRole::LegacyWidgetRole (LegacyWidgetRole)",
            "WidgetRole::Other",
        ]
    );
    assert_eq!(case("WidgetRole", 0)["type"], "READ_ONLY");
    assert_eq!(case("WidgetRole", 1)["type"], "CUSTOM");
    assert_eq!(case("WidgetRole", 2)["type"], "LegacyWidgetRole");
    assert_eq!(case("WidgetRole", 2)["level"], 42, "a required field");
    assert_eq!(case("WidgetRole", 3)["type"], UNKNOWN_DISCRIMINATOR);

    // Without one: a value of a kind no branch decodes (here a boolean), or `null` when every
    // kind has a branch.
    assert_eq!(
        case("WidgetPartOrParts", 0),
        json!([{"name": "Sample name"}])
    );
    assert_eq!(case("WidgetPartOrParts", 2), json!(true));
    assert_eq!(labels("WidgetSize").len(), 8);
    assert_eq!(case("WidgetSize", 1), json!(1.5));
    assert_eq!(case("WidgetSize", 7), json!(null));

    // A `json` branch, or a branch that is a union, takes every value: no `Other` case.
    assert_eq!(
        labels("WidgetNote"),
        [
            "WidgetNote::WidgetStatus (WidgetStatus)",
            "WidgetNote::Json (json)"
        ]
    );
    assert_eq!(
        labels("WidgetValue"),
        [
            "WidgetValue::WidgetRoleList (list<WidgetRole>)",
            "WidgetValue::WidgetSize (WidgetSize)"
        ]
    );
}

#[test]
fn a_union_that_is_a_list_of_itself_has_a_finite_sample() {
    let api = lower(
        "category: A\nactions:\n  - {name: Get A, operation_id: getA, method: GET, path: /a, response: {type: Tree}}\n",
        "category: B\nactions:\n  - {name: Get B, operation_id: getB, method: GET, path: /b}\n",
        "models:\n  Tree:\n    one_of: [list<Tree>, string]\n",
    );
    let samples = Samples::new(&api);
    let sample = samples.of_type(&okta_codegen::ir::Type::Model("Tree".into()));
    // Nested lists down to the depth limit, ending in an empty one.
    let mut depth = 0;
    let mut v = &sample;
    while let Some(first) = v.as_array().and_then(|a| a.first()) {
        v = first;
        depth += 1;
    }
    assert_eq!(v, &json!([]));
    assert!((1..=12).contains(&depth), "{depth} levels");
}

#[test]
fn the_writer_lays_unions_out_as_the_spec_importer_writes_them() {
    // The keys in the order the manifest documents them: `one_of`, then `discriminator` and
    // `mapping` (a short model on one line, as the writer lays out any short mapping).
    let text = "\
models:
  GroupsOrGroup: {one_of: [list<Group>, Group]}
  RoleAssignment:
    description: A role assigned to a user or a group.
    one_of: [StandardRole, CustomRole]
    discriminator: type
    mapping: {APP_ADMIN: StandardRole, CUSTOM: CustomRole, ORG_ADMIN: StandardRole}
";
    let file: okta_codegen::manifest::ModelFile = serde_yaml::from_str(text).unwrap();
    assert_eq!(okta_codegen::manifest_writer::model_file(&file), text);
}
