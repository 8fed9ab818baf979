//! Stage 4: tokens. The IR becomes `quote!` token streams, one per generated file; `format`
//! turns them into text.

pub mod actions;
pub mod contract_tests;
pub mod models;
pub mod okta_docs;
pub mod root;
pub mod test_support;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::Type;

/// An identifier as generated code spells it.
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc = "..."]` lines for a block of text; blank lines kept as paragraph breaks.
pub fn doc_lines(text: &str) -> TokenStream {
    let lines = text.trim().lines().map(|l| {
        let l = format!(" {}", l.trim_end());
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

/// The Rust type for a manifest type. Models are reached through `models` (a path that the
/// calling file makes valid: `crate::models` in API files, nothing inside the models module).
pub fn rust_type(t: &Type, models: &TokenStream) -> TokenStream {
    match t {
        Type::String | Type::DateTime => quote!(String),
        Type::I32 => quote!(i32),
        Type::I64 => quote!(i64),
        Type::F64 => quote!(f64),
        Type::Bool => quote!(bool),
        Type::Json => quote!(serde_json::Value),
        Type::Model(m) => {
            let m = format_ident!("{}", m);
            quote!(#models #m)
        }
        Type::List(inner) => {
            let inner = rust_type(inner, models);
            quote!(Vec<#inner>)
        }
        Type::Map(inner) => {
            let inner = rust_type(inner, models);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
    }
}

/// The cfg predicate of code that only some categories need: `feature = "a"`, or
/// `any(feature = "a", feature = "b")`; `None` when no category reaches it (it is then always
/// compiled).
fn feature_predicate<'a>(features: impl IntoIterator<Item = &'a String>) -> Option<TokenStream> {
    let features: Vec<&String> = features.into_iter().collect();
    match features.as_slice() {
        [] => None,
        [one] => Some(quote!(feature = #one)),
        many => Some(quote!(any(#(feature = #many),*))),
    }
}

/// `#[cfg(...)]` of [`feature_predicate`], or nothing.
pub fn cfg_features<'a>(features: impl IntoIterator<Item = &'a String>) -> TokenStream {
    match feature_predicate(features) {
        Some(predicate) => quote!(#[cfg(#predicate)]),
        None => quote!(),
    }
}

/// `#[cfg_attr(docsrs, doc(cfg(...)))]` for a public item that only some categories compile, so
/// that docs.rs (which builds with `--cfg docsrs` and every feature) says which feature enables
/// it; nothing when no category reaches it.
pub fn doc_cfg_features<'a>(features: impl IntoIterator<Item = &'a String>) -> TokenStream {
    match feature_predicate(features) {
        Some(predicate) => quote!(#[cfg_attr(docsrs, doc(cfg(#predicate)))]),
        None => quote!(),
    }
}
