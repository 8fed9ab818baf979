//! The rustdoc of a model Okta gives no description of: where it is used
//! (`ir::ModelDef::first_use`), linked only when the place is compiled whenever the model is.

use std::path::PathBuf;

use okta_codegen::ir::{Api, ModelUse, UsePlace};

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

fn first_use<'a>(api: &'a Api, model: &str) -> Option<&'a ModelUse> {
    let m = api.models.iter().find(|m| m.name == model).expect(model);
    m.first_use.as_ref()
}

/// The generated doc comment of `model` (its first line).
fn doc(api: &Api, model: &str) -> String {
    let files = okta_codegen::generate(api).expect("generates");
    // The one model file's models are all in the crate of models of the one model.
    let krate = api
        .models
        .iter()
        .find(|m| m.name == model)
        .expect(model)
        .krate;
    let path = format!("{}/m.rs", okta_codegen::models_dir(krate));
    let models = files.iter().find(|f| f.path == path).expect("models file");
    let lines: Vec<&str> = models.contents.lines().collect();
    let at = lines
        .iter()
        .position(|l| {
            l.starts_with(&format!("pub struct {model} "))
                || l.starts_with(&format!("pub enum {model} "))
        })
        .unwrap_or_else(|| panic!("no {model}"));
    lines[..at]
        .iter()
        .rev()
        .take_while(|l| l.starts_with("///") || l.starts_with("#["))
        .filter_map(|l| l.strip_prefix("/// "))
        .last()
        .expect("a doc line")
        .to_owned()
}

const A: &str = "category: A
actions:
  - {name: Create Thing, operation_id: createThing, method: POST, path: /a, body: {type: CreateThingRequest}, response: {type: Thing}}
  - {name: List Things, operation_id: listThings, method: GET, path: /a/list, query_params: [{name: expand, type: Expand}], response: {type: list<Thing>}, paginated: true}
";
const B: &str = "category: B
actions:
  - {name: Get Shared, operation_id: getShared, method: GET, path: /b, response: {type: Shared}}
  - {name: Get Thing, operation_id: getThingB, method: GET, path: /b/thing, response: {type: Thing}}
";
const MODELS: &str = "models:
  CreateThingRequest:
    fields:
      name: {type: string}
      part: {type: Part}
  Thing:
    description: A thing, as Okta describes it.
    fields:
      id: {type: string}
  Part:
    fields:
      id: {type: string}
  Expand:
    enum: [parts]
  Shared:
    fields:
      thing: {type: Thing}
      parts: {type: list<Part>}
  Lonely:
    fields:
      id: {type: string}
";

#[test]
fn a_body_model_is_documented_as_the_action_s_request_body_named_in_code() {
    let api = lower(A, B, MODELS);
    let u = first_use(&api, "CreateThingRequest").expect("used");
    assert!(matches!(&u.place, UsePlace::Body(a) if a.method == "create_thing"));
    // An action is named, never linked: the crates of models cannot link to the client's.
    assert!(u.whole && !u.linkable && u.more == 0);
    assert_eq!(
        doc(&api, "CreateThingRequest"),
        "The request body of `AApi::create_thing`."
    );
    assert_eq!(
        doc(&api, "Expand"),
        "The `expand` parameter of `AApi::list_things`."
    );
    // Okta's description wins.
    assert_eq!(doc(&api, "Thing"), "A thing, as Okta describes it.");
}

#[test]
fn a_place_compiled_without_the_model_is_named_not_linked() {
    let api = lower(A, B, MODELS);
    // `Part` is compiled with feature `a` or `b`; `CreateThingRequest` only with `a` and
    // `Shared` only with `b`: either link would not resolve with the other feature alone.
    let u = first_use(&api, "Part").expect("used");
    assert!(!u.linkable);
    assert_eq!(
        doc(&api, "Part"),
        "The `part` field of `CreateThingRequest` (and 1 more)."
    );
    // `Shared` is compiled with `b` alone, as `getShared` is.
    assert_eq!(doc(&api, "Shared"), "What `BApi::get_shared` returns.");
}

#[test]
fn a_model_nothing_uses_says_so() {
    let api = lower(A, B, MODELS);
    assert_eq!(first_use(&api, "Lonely"), None);
    assert_eq!(
        doc(&api, "Lonely"),
        "A model that no action of this client sends or returns."
    );
}
