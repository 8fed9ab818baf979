//! Every model of the manifest decodes a realistic sample of itself and encodes back to equal
//! JSON; every family variant decodes into its own variant, and an unknown discriminator into
//! `Other`, losing nothing; every union branch decodes into its own variant (or, in a union
//! without a discriminator, into an earlier branch that takes the same value, as documented),
//! and a value no branch takes into `Other`.
//!
//! Samples come from `okta_codegen::sample` (every field filled with a value of its type and a
//! plausible text, enums with a real value, families with a real discriminator, plus a field no
//! model knows, which must survive in `additional_properties`). Okta's own example payloads are
//! pushed through the same types in `okta_examples.rs`.

#[rustfmt::skip] // generated, laid out by prettyplease
mod generated;

use okta_codegen::ir::ModelKind;
use okta_codegen::sample::Samples;

/// Whether `branch` of an untagged union decodes `json` on its own (a model branch; other
/// branches are scalars or lists, which a sample of another branch does not fit).
fn takes(branch: &okta_codegen::ir::UnionBranch, json: &serde_json::Value) -> bool {
    match &branch.ty {
        okta_codegen::types::Type::Model(name) => {
            matches!(generated::model_roundtrip(name, json.clone()), Some(Ok(_)))
        }
        _ => false,
    }
}

#[test]
fn every_model_and_family_variant_round_trips_its_sample() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../manifest");
    let api = okta_codegen::load_api(std::path::Path::new(dir)).unwrap_or_else(|d| panic!("{d}"));
    let samples = Samples::new(&api);
    let mut failures = Vec::new();
    let mut cases = 0;
    for model in &api.models {
        let variants: Vec<&str> = match &model.kind {
            ModelKind::Family { variants, .. } => {
                variants.iter().map(|v| v.ident.as_str()).collect()
            }
            ModelKind::Union { branches, .. } => {
                branches.iter().map(|b| b.ident.as_str()).collect()
            }
            _ => Vec::new(),
        };
        // A union without a discriminator decodes a value as the first branch that takes it
        // and knows each of its keys (else the first that takes it): a sample of branch `i`
        // may land in an earlier branch, when that one takes it too.
        let untagged: Option<&[okta_codegen::ir::UnionBranch]> = match &model.kind {
            ModelKind::Union {
                branches,
                discriminator: None,
            } => Some(branches),
            _ => None,
        };
        let model_cases = samples.cases(&model.name);
        assert!(!model_cases.is_empty(), "no sample for {}", model.name);
        for (i, (label, json)) in model_cases.into_iter().enumerate() {
            cases += 1;
            let result = generated::model_roundtrip(&model.name, json.clone())
                .unwrap_or_else(|| panic!("{} has no generated type", model.name));
            match result {
                Err(e) => failures.push(format!("{label}: does not decode: {e}")),
                Ok((back, _)) if back != json => failures.push(format!(
                    "{label}: encodes back differently\n  sample: {json}\n  back:   {back}"
                )),
                Ok((_, variant)) => {
                    // Families and unions: the cases are the variants in order, then the
                    // value for `Other`.
                    let want = variants.get(i).copied().unwrap_or("Other");
                    let earlier_takes_it = untagged.is_some_and(|branches| {
                        let got = branches
                            .iter()
                            .position(|b| Some(b.ident.as_str()) == variant.as_deref());
                        got.is_some_and(|j| j < i && takes(&branches[j], &json))
                    });
                    if !variants.is_empty() && variant.as_deref() != Some(want) && !earlier_takes_it
                    {
                        failures.push(format!("{label}: decoded as {variant:?}, not {want}"));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} samples failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(cases >= api.models.len(), "{cases} cases");
    eprintln!(
        "{cases} samples of {} models round-tripped",
        api.models.len()
    );
}

/// A union of structs whose fields are all optional (each decodes any object) picks the branch
/// that knows every key of the value: Okta's group profile is an Okta group's or an Active
/// Directory group's, and an AD group's profile must not decode as an Okta group's with its AD
/// fields left over.
#[cfg(feature = "group")]
#[test]
fn an_active_directory_group_profile_decodes_as_one_and_an_okta_group_profile_as_its_own() {
    use okta_generated::models::GroupProfile;
    let ad = serde_json::json!({
        "name": "Engineering",
        "description": "All engineers",
        "samAccountName": "ENG",
        "dn": "CN=Engineering,OU=Groups,DC=example,DC=com",
        "windowsDomainQualifiedName": "EXAMPLE\\ENG",
        "externalId": "d8f3b2c1"
    });
    let profile: GroupProfile = serde_json::from_value(ad.clone()).unwrap();
    let windows = profile
        .as_okta_active_directory_group_profile()
        .unwrap_or_else(|| panic!("decoded as {profile:?}"));
    assert_eq!(windows.sam_account_name.as_deref(), Some("ENG"));
    assert!(windows.additional_properties.is_empty());
    assert_eq!(serde_json::to_value(&profile).unwrap(), ad);

    let okta = serde_json::json!({"name": "Engineering", "description": "All engineers"});
    let profile: GroupProfile = serde_json::from_value(okta.clone()).unwrap();
    assert!(
        profile.as_okta_user_group_profile().is_some(),
        "{profile:?}"
    );
    assert_eq!(serde_json::to_value(&profile).unwrap(), okta);
}
