//! The generated code for a fixture manifest that uses every construct of the format, file by
//! file, guarded by insta snapshots.

mod common;

#[test]
fn kitchen_sink_generates_every_construct() {
    let api = okta_codegen::load_api(&common::fixture("kitchen_sink")).expect("fixture is valid");
    let files = okta_codegen::generate(&api).expect("generates");
    let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        names,
        [
            // The fixture's one model file is whole in part 1; the shared crate and part 2
            // have no model.
            "models/part-1/src/generated/mod.rs",
            "models/part-1/src/generated/widget.rs",
            "models/part-2/src/generated/mod.rs",
            "models/src/generated/mod.rs",
            "src/generated/api/mod.rs",
            "src/generated/api/widget.rs",
            "src/generated/mod.rs",
            "tests/generated/contract.rs",
            "tests/generated/mod.rs",
        ]
    );
    for f in &files {
        assert!(
            f.contents.starts_with(okta_codegen::format::HEADER),
            "{} has no header",
            f.path
        );
        // Named by the path without `src/generated/`: `models/part-1/widget.rs` is
        // `models__part-1__widget.rs`.
        let name = f.path.replace("src/generated/", "").replace('/', "__");
        insta::assert_snapshot!(name, f.contents);
    }
}

#[test]
fn generation_is_byte_identical_across_runs() {
    let dir = common::fixture("kitchen_sink");
    let first = okta_codegen::generate(&okta_codegen::load_api(&dir).unwrap()).unwrap();
    let second = okta_codegen::generate(&okta_codegen::load_api(&dir).unwrap()).unwrap();
    assert_eq!(first, second);
}

#[test]
fn category_features_are_spliced_between_the_markers_only() {
    use okta_codegen::ir::ModelCrate;
    use okta_codegen::FeaturesOf;
    let api = okta_codegen::load_api(&common::fixture("kitchen_sink")).unwrap();
    let toml = format!(
        "[features]\ndefault = [\"all-categories\"]\n{}\nold = []\n{}\n\n[dependencies]\n",
        okta_codegen::FEATURES_BEGIN,
        okta_codegen::FEATURES_END
    );
    let spliced = okta_codegen::splice_features(&toml, &api, FeaturesOf::Client).unwrap();
    insta::assert_snapshot!(spliced);
    // Splicing is idempotent.
    assert_eq!(
        okta_codegen::splice_features(&spliced, &api, FeaturesOf::Client).unwrap(),
        spliced
    );
    assert!(okta_codegen::splice_features("[features]\n", &api, FeaturesOf::Client).is_err());
    // A crate of models' table: no `all-categories`; each category alone in the shared crate,
    // and enabling the shared crate's in a part.
    let table = |of: FeaturesOf| -> Vec<String> {
        let spliced = okta_codegen::splice_features(&toml, &api, of).unwrap();
        spliced
            .lines()
            .skip_while(|l| *l != okta_codegen::FEATURES_BEGIN)
            .skip(1)
            .take_while(|l| *l != okta_codegen::FEATURES_END)
            .map(str::to_owned)
            .collect()
    };
    let expected = |rhs: &dyn Fn(&str) -> String| -> Vec<String> {
        api.categories
            .iter()
            .map(|c| format!("{} = {}", c.accessor, rhs(&c.accessor)))
            .collect()
    };
    assert_eq!(
        table(FeaturesOf::Models(ModelCrate::Shared)),
        expected(&|_| "[]".to_owned())
    );
    assert_eq!(
        table(FeaturesOf::Models(ModelCrate::Part(1))),
        expected(&|c| format!("[\"okta-generated-models/{c}\"]"))
    );
}
