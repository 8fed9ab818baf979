//! Every action's rustdoc links to the page of Okta's API reference that documents its operation
//! (`names::reference_url`, from the manifest's `okta_tag` and `okta_operation`).

#[path = "../../xtask/src/shared_data.rs"]
mod shared_data;

use std::collections::BTreeSet;
use std::path::Path;

use okta_codegen::names::OKTA_REFERENCE;

fn real_api() -> okta_codegen::ir::Api {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../manifest");
    okta_codegen::load_api(&dir).unwrap_or_else(|d| panic!("{d}"))
}

#[test]
fn every_action_links_to_its_page_of_okta_s_reference() {
    let api = real_api();
    let mut missing = Vec::new();
    for a in api.categories.iter().flat_map(|c| &c.actions) {
        match &a.reference_url {
            Some(url) => assert!(url.starts_with(OKTA_REFERENCE), "{url}"),
            None => missing.push(a.operation_name.clone()),
        }
    }
    assert!(missing.is_empty(), "no reference link: {missing:?}");
    let list_users = api
        .categories
        .iter()
        .flat_map(|c| &c.actions)
        .find(|a| a.operation_name == "listUsers")
        .expect("listUsers");
    assert_eq!(
        list_users.reference_url.as_deref(),
        Some("https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/#tag/User/operation/listUsers")
    );
}

/// Okta's operations of its current spec, as (tag, operationId).
fn current_spec_anchors(spec: &serde_yaml::Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    let paths = spec["paths"].as_mapping().expect("paths");
    for item in paths.values() {
        for (method, op) in item.as_mapping().into_iter().flatten() {
            if method
                .as_str()
                .is_some_and(|m| m.starts_with("x-") || m == "parameters")
            {
                continue;
            }
            let (Some(id), Some(tags)) = (op["operationId"].as_str(), op["tags"].as_sequence())
            else {
                continue;
            };
            for tag in tags.iter().filter_map(|t| t.as_str()) {
                out.insert((tag.to_owned(), id.to_owned()));
            }
        }
    }
    out
}

#[test]
fn every_reference_link_names_an_operation_of_okta_s_current_spec() {
    let Some(path) = shared_data::shared_or_skip(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(".."),
        "okta-spec/management-2026.06.3.yaml",
        "every_reference_link_names_an_operation_of_okta_s_current_spec",
    ) else {
        return;
    };
    let text = std::fs::read_to_string(path).expect("read the spec");
    let spec: serde_yaml::Value = serde_yaml::from_str(&text).expect("the spec parses");
    let anchors = current_spec_anchors(&spec);
    assert!(anchors.len() > 700, "{} operations", anchors.len());
    // Okta removed these from its current API; their links lead to their tag's page.
    let removed = ["createSession", "updateOrgLogo"];
    let mut wrong = Vec::new();
    for a in real_api().categories.iter().flat_map(|c| &c.actions) {
        let url = a.reference_url.as_deref().expect("a link");
        let anchor = url.split_once("/#tag/").map(|(_, rest)| rest);
        let Some((tag, op)) = anchor.and_then(|rest| rest.split_once("/operation/")) else {
            continue; // a tag's page
        };
        if !removed.contains(&op) && !anchors.contains(&(tag.to_owned(), op.to_owned())) {
            wrong.push(format!("{}: {url}", a.operation_name));
        }
    }
    assert!(
        wrong.is_empty(),
        "links to no operation of the current spec:\n{}",
        wrong.join("\n")
    );
}
