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
            "models/src/generated/mod.rs",
            "models/src/generated/widget.rs",
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
        // The models crate's files keep the snapshot names they had in the client crate.
        let name = f
            .path
            .replace("models/src/generated/", "models/")
            .trim_start_matches("src/generated/")
            .replace('/', "__");
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
    // The models crate's table: each category alone, no `all-categories`.
    let models = okta_codegen::splice_features(&toml, &api, FeaturesOf::Models).unwrap();
    let generated: Vec<&str> = models
        .lines()
        .skip_while(|l| *l != okta_codegen::FEATURES_BEGIN)
        .skip(1)
        .take_while(|l| *l != okta_codegen::FEATURES_END)
        .collect();
    let categories: Vec<String> = api
        .categories
        .iter()
        .map(|c| format!("{} = []", c.accessor))
        .collect();
    assert_eq!(generated, categories);
}
