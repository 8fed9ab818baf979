//! `okta-generated/tests/generated/mod.rs`: for tests, a table from each action's operation id to
//! the Rust types of its JSON body and response, so a test can push any payload through the right
//! generated model without a hand-written mapping.

use proc_macro2::TokenStream;
use quote::quote;

use super::{cfg_features, ident, rust_type};
use crate::ir::{Api, BodyDef, ModelKind};

pub fn test_support(api: &Api) -> TokenStream {
    let models = quote!(models::);
    let mut responses = Vec::new();
    let mut bodies = Vec::new();
    for cat in &api.categories {
        for a in &cat.actions {
            let key = &a.operation_name;
            if let Some(ty) = a.response.json_type() {
                let ty = rust_type(&ty, &models);
                responses.push(quote!(#key => decode::<#ty>(json),));
            }
            if let Some(BodyDef::Json { ty, .. }) = &a.body {
                let ty = rust_type(ty, &models);
                bodies.push(quote!(#key => decode::<#ty>(json),));
            }
        }
    }
    let models_arms = api.models.iter().map(|m| {
        let cfg = cfg_features(&m.categories);
        let name = &m.name;
        let ty = ident(&m.name);
        let has_variants = matches!(m.kind, ModelKind::Family { .. } | ModelKind::Union { .. });
        quote! {
            #cfg
            #name => model_roundtrip_as::<#models #ty>(json, #has_variants),
        }
    });
    quote! {
        //! Operation id -> generated types, for tests (see `okta-codegen/src/emit/test_support.rs`).
        #![allow(dead_code)]
        use okta_generated::models;

        /// Decode `json` as the JSON response of `operation_id` and encode it back; `None` when the
        /// action has no JSON response. The error names the JSON path that failed.
        pub fn response_roundtrip(operation_id: &str, json: serde_json::Value) -> Option<Result<serde_json::Value, String>> {
            response_decode(operation_id, json).map(|r| r.map(|(back, _)| back))
        }

        /// The same for the JSON request body of `operation_id`.
        pub fn body_roundtrip(operation_id: &str, json: serde_json::Value) -> Option<Result<serde_json::Value, String>> {
            body_decode(operation_id, json).map(|r| r.map(|(back, _)| back))
        }

        /// [`response_roundtrip`], with the decoded value's `Debug` text beside the JSON it encodes
        /// back to: it shows what the value decoded into (a family's or a union's `Other`).
        pub fn response_decode(operation_id: &str, json: serde_json::Value) -> Option<Result<(serde_json::Value, String), String>> {
            Some(match operation_id {
                #(#responses)*
                _ => return None,
            })
        }

        /// [`body_roundtrip`], with the decoded value's `Debug` text.
        pub fn body_decode(operation_id: &str, json: serde_json::Value) -> Option<Result<(serde_json::Value, String), String>> {
            Some(match operation_id {
                #(#bodies)*
                _ => return None,
            })
        }

        /// Decode `json` as the model named `model` and encode it back; `None` for an unknown
        /// name. For a family or a union, also the variant it decoded into (`"Saml"`, `"Other"`).
        pub fn model_roundtrip(model: &str, json: serde_json::Value) -> Option<Result<(serde_json::Value, Option<String>), String>> {
            Some(match model {
                #(#models_arms)*
                _ => return None,
            })
        }

        fn model_roundtrip_as<T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug>(json: serde_json::Value, has_variants: bool) -> Result<(serde_json::Value, Option<String>), String> {
            let value: T = serde_path_to_error::deserialize(json).map_err(|e| e.to_string())?;
            // The Debug of a family or a union starts with its variant: `Saml(...)`.
            let variant = has_variants.then(|| format!("{value:?}").split('(').next().unwrap_or_default().to_owned());
            let back = serde_json::to_value(&value).map_err(|e| e.to_string())?;
            Ok((back, variant))
        }

        fn decode<T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug>(json: serde_json::Value) -> Result<(serde_json::Value, String), String> {
            let value: T = serde_path_to_error::deserialize(json).map_err(|e| e.to_string())?;
            let back = serde_json::to_value(&value).map_err(|e| e.to_string())?;
            Ok((back, format!("{value:?}")))
        }
    }
}
