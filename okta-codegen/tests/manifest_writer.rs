//! The manifest writer (`okta_codegen::manifest_writer`): what it writes reads back as the same
//! manifest, writing is a fixpoint, and the checked-in manifest is in its layout.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use okta_codegen::manifest::{self, CategoryFile, ModelFile};
use okta_codegen::manifest_writer;

fn value(x: &impl serde::Serialize) -> serde_yaml::Value {
    serde_yaml::to_value(x).expect("manifest types serialize")
}

/// Write every file of the manifest in `dir`, read it back, and compare with what was loaded;
/// then write again and compare the texts.
fn assert_round_trips(dir: &Path) {
    let m = manifest::load(dir).expect("manifest loads");
    for c in &m.categories {
        let text = manifest_writer::category_file(&c.value);
        let back: CategoryFile = serde_yaml::from_str(&text).unwrap_or_else(|e| {
            panic!(
                "{}: written text does not load: {e}\n{text}",
                c.source.path.display()
            )
        });
        assert_eq!(
            value(&back),
            value(&c.value),
            "{} changed in a round trip",
            c.source.path.display()
        );
        assert_eq!(
            manifest_writer::category_file(&back),
            text,
            "{}: not a fixpoint",
            c.source.path.display()
        );
    }
    for f in &m.model_files {
        let text = manifest_writer::model_file(&f.value);
        let back: ModelFile = serde_yaml::from_str(&text).unwrap_or_else(|e| {
            panic!(
                "{}: written text does not load: {e}\n{text}",
                f.source.path.display()
            )
        });
        assert_eq!(
            value(&back),
            value(&f.value),
            "{} changed in a round trip",
            f.source.path.display()
        );
        assert_eq!(
            manifest_writer::model_file(&back),
            text,
            "{}: not a fixpoint",
            f.source.path.display()
        );
    }
}

#[test]
fn the_manifest_reads_back_unchanged_after_writing() {
    assert_round_trips(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../manifest"));
}

#[test]
fn the_kitchen_sink_fixture_reads_back_unchanged_after_writing() {
    assert_round_trips(&common::fixture("kitchen_sink"));
}

#[test]
fn the_checked_in_manifest_is_in_the_writers_layout() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../manifest");
    let m = manifest::load(&dir).expect("manifest loads");
    let mut stale = Vec::new();
    for c in &m.categories {
        if manifest_writer::category_file(&c.value) != c.source.text {
            stale.push(c.source.path.display().to_string());
        }
    }
    for f in &m.model_files {
        if manifest_writer::model_file(&f.value) != f.source.text {
            stale.push(f.source.path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "not in the layout (run `cargo xtask fmt-manifest`): {stale:?}"
    );
}

/// Strings YAML would misread when written plain, or that need quoting or a block.
const AWKWARD: &[&str] = &[
    "",
    " leading space",
    "trailing space ",
    "yes",
    "no",
    "true",
    "null",
    "~",
    "10",
    "1e3",
    "0x1F",
    ".inf",
    "-",
    "- item",
    "-dash",
    "a: b",
    "a #b",
    "ends:",
    "#hash",
    "&anchor",
    "*alias",
    "!tag",
    "|pipe",
    ">fold",
    "'single'",
    "\"double\"",
    "%percent",
    "@at",
    "`tick`",
    "{brace}",
    "[bracket]",
    "a,b",
    "two\nlines",
    "trailing newline\n",
    "two trailing\n\n",
    "\nleading newline",
    "tab\there",
    "cr\r\nlf",
    "bell\u{7}",
    "ünïcödé ✓",
    "line with trailing space \nnext",
    "  indented\nnext",
    "x5t#S256",
    "key: [a, b]",
];

#[test]
fn awkward_strings_read_back_as_written_in_every_position() {
    for s in AWKWARD {
        let mut fields = BTreeMap::new();
        // As a map key (a field's JSON name), and as values in block and flow positions.
        fields.insert(
            (*s).to_owned(),
            serde_yaml::from_str::<manifest::Field>(&format!(
                "{{type: string, description: {}}}",
                serde_json::to_string(s).expect("json string")
            ))
            .expect("field"),
        );
        let model: manifest::Model = serde_yaml::from_value(
            serde_yaml::to_value(BTreeMap::from([
                ("description", serde_yaml::Value::from(*s)),
                ("enum", serde_yaml::to_value([*s, "OTHER"]).expect("list")),
            ]))
            .expect("value"),
        )
        .expect("model");
        let mut with_fields = model.clone();
        with_fields.enum_values = None;
        with_fields.fields = Some(fields);
        let file = ModelFile {
            description: Some((*s).to_owned()),
            models: BTreeMap::from([("A".to_owned(), model), ("B".to_owned(), with_fields)]),
        };
        let text = manifest_writer::model_file(&file);
        let back: ModelFile = serde_yaml::from_str(&text)
            .unwrap_or_else(|e| panic!("{s:?}: written text does not load: {e}\n{text}"));
        assert_eq!(
            value(&back),
            value(&file),
            "{s:?} changed in a round trip:\n{text}"
        );
    }
}
