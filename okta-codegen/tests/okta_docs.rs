//! Okta's descriptions in the real manifest, as the generated client's rustdoc: rendered by
//! `emit::okta_docs` on their way into every doc comment, so that no code block of Okta's is a
//! doctest, no link is relative to Okta's site and no Okta-only HTML is left.
//!
//! `cargo test -p okta-codegen --test okta_docs -- --nocapture` also prints how many of the
//! manifest's descriptions the rendering changes, by construct.

use std::collections::BTreeMap;
use std::path::Path;

use okta_codegen::emit::okta_docs::{render_noting, Construct};
use okta_codegen::manifest::Manifest;

fn manifest_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../manifest")
}

/// Every description of the manifest that the generator writes into a doc comment, with where
/// it is.
fn descriptions(m: &Manifest) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    for file in &m.categories {
        let cat = &file.value;
        if let Some(d) = &cat.description {
            out.push((cat.category.clone(), d.as_str()));
        }
        for a in &cat.actions {
            let at = format!("{}/{}", cat.category, a.name);
            if let Some(d) = &a.description {
                out.push((at.clone(), d.as_str()));
            }
            let params = a
                .path_params
                .iter()
                .map(|p| (&p.name, &p.description))
                .chain(a.query_params.iter().map(|p| (&p.name, &p.description)))
                .chain(a.header_params.iter().map(|p| (&p.name, &p.description)));
            for (name, d) in params {
                if let Some(d) = d {
                    out.push((format!("{at}/{name}"), d.as_str()));
                }
            }
        }
    }
    for file in &m.model_files {
        for (name, model) in &file.value.models {
            if let Some(d) = &model.description {
                out.push((name.clone(), d.as_str()));
            }
            for (field, f) in model.fields.iter().flatten() {
                if let Some(d) = &f.description {
                    out.push((format!("{name}.{field}"), d.as_str()));
                }
            }
        }
    }
    out
}

/// A text's lines as a doc comment has them: ending without spaces.
fn doc_lines(text: &str) -> Vec<&str> {
    text.trim().lines().map(str::trim_end).collect()
}

#[test]
fn rendering_a_rendered_description_changes_nothing() {
    let manifest = okta_codegen::manifest::load(&manifest_dir()).unwrap_or_else(|d| panic!("{d}"));
    let all = descriptions(&manifest);
    assert!(all.len() > 1000, "only {} descriptions", all.len());
    let mut changed = 0;
    let mut by_construct: BTreeMap<Construct, usize> = BTreeMap::new();
    for (at, text) in &all {
        let (once, noted) = render_noting(text);
        // What rustdoc sees: doc comment lines end without spaces.
        if doc_lines(&once) != doc_lines(text) {
            changed += 1;
            assert!(
                !noted.is_empty(),
                "{at}: changed, but by no construct:\n{text}\n{once}"
            );
        }
        for c in &noted {
            *by_construct.entry(*c).or_default() += 1;
        }
        // Nothing left to render: no untagged code block, relative link or Okta-only HTML.
        let (twice, again) = render_noting(&once);
        assert_eq!(twice, once, "{at}: rendering is not stable");
        assert!(
            again.is_empty(),
            "{at}: still has {again:?} after rendering"
        );
    }
    println!(
        "{} descriptions, {changed} changed by the rendering:",
        all.len()
    );
    for c in Construct::ALL {
        let n = by_construct.get(&c).copied().unwrap_or(0);
        println!("  {n:5}  {}", c.label());
    }
}

#[test]
fn the_generated_rustdoc_has_no_doctest_relative_link_or_okta_markup() {
    let api = okta_codegen::load_api(&manifest_dir()).unwrap_or_else(|d| panic!("{d}"));
    let files = okta_codegen::generate(&api).expect("generates");
    let mut problems = Vec::new();
    let mut fences = 0;
    // The client crate's source and its models crate's (the generated tests have no rustdoc).
    for f in files.iter().filter(|f| !f.path.starts_with("tests/")) {
        // A code block is open in the current run of doc comment lines.
        let mut open: Option<String> = None;
        for (n, line) in f.contents.lines().enumerate() {
            let at = format!("{}:{}", f.path, n + 1);
            let trimmed = line.trim_start();
            let Some(doc) = trimmed
                .strip_prefix("///")
                .or_else(|| trimmed.strip_prefix("//!"))
            else {
                if let Some(marker) = open.take() {
                    problems.push(format!("{at}: code block `{marker}` left open"));
                }
                continue;
            };
            let text = doc.trim();
            if let Some(marker) = &open {
                // Inside a code block until its closing fence: nothing to check.
                if text.len() >= marker.len() && text.chars().all(|c| marker.starts_with(c)) {
                    open = None;
                }
                continue;
            }
            let fence_char = text.chars().next().filter(|c| *c == '`' || *c == '~');
            if let Some(c) = fence_char {
                let marker: String = text.chars().take_while(|x| *x == c).collect();
                if marker.len() >= 3 {
                    fences += 1;
                    let info = text[marker.len()..].trim();
                    if info.is_empty() || info.split(',').any(|t| t.trim() == "rust") {
                        problems.push(format!("{at}: Rust code block `{text}`"));
                    }
                    open = Some(marker);
                    continue;
                }
            }
            for bad in [
                "](/",
                "](#",
                "<x-lifecycle",
                "</x-lifecycle",
                "<details",
                "<summary",
            ] {
                if text.contains(bad) {
                    problems.push(format!("{at}: `{bad}` in {text}"));
                }
            }
            if text.contains("<br") && !text.starts_with('|') {
                problems.push(format!("{at}: <br> outside a table in {text}"));
            }
        }
    }
    assert!(fences > 0, "no code block at all: the check checks nothing");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
