//! The module files that tie the generated code together, and the crate's category features.

use proc_macro2::TokenStream;
use quote::quote;

use super::{cfg_features, doc_cfg_features, ident};
use crate::ir::Api;
use crate::{FeaturesOf, MODELS_PACKAGE};

/// `src/generated/mod.rs`
pub fn generated_mod() -> TokenStream {
    quote! {
        pub mod api;
    }
}

/// `models/src/generated/mod.rs` (the models crate's): one module per model file, all
/// re-exported flat.
pub fn models_mod(api: &Api) -> TokenStream {
    let mods = api.model_groups.iter().map(|g| ident(g));
    let uses = mods.clone();
    quote! {
        //! Every model of the Okta Management API used by the actions.
        // A module is empty when the cargo features leave none of its models in.
        #![allow(unused_imports)]
        #( mod #mods; )*
        #( pub use #uses::*; )*
    }
}

/// `models/src/generated/<group>.rs`
pub fn models_group(api: &Api, group: &str) -> TokenStream {
    let models = api
        .models
        .iter()
        .filter(|m| m.group == group)
        .map(super::models::model);
    quote! {
        #![allow(unused_imports)]
        use super::*;
        #(#models)*
    }
}

/// `src/generated/api/mod.rs`: one module per category and its accessor on `Client`.
pub fn api_mod(api: &Api) -> TokenStream {
    let mods = api.categories.iter().map(|c| {
        let m = ident(&c.accessor);
        let cfg = cfg_features([&c.accessor]);
        let doc_cfg = doc_cfg_features([&c.accessor]);
        let doc = format!(" The {} category.", c.name);
        quote!(#[doc = #doc] #cfg #doc_cfg pub mod #m;)
    });
    let accessors = api.categories.iter().map(|c| {
        let m = ident(&c.accessor);
        let s = ident(&c.api_struct);
        let cfg = cfg_features([&c.accessor]);
        let doc = format!(
            " The {} actions ({} of them). Enabled by the cargo feature `{}`.",
            c.name,
            c.actions.len(),
            c.accessor
        );
        let doc_cfg = doc_cfg_features([&c.accessor]);
        quote! {
            #[doc = #doc]
            #cfg
            #doc_cfg
            pub fn #m(&self) -> #m::#s {
                #m::#s::new(self.clone())
            }
        }
    });
    quote! {
        //! One module per category of actions; each is reached through its accessor on [`Client`].
        use crate::runtime::Client;
        #(#mods)*
        impl Client {
            #(#accessors)*
        }
    }
}

/// The generated part of a `[features]` table: the client's (`all-categories`, and each
/// category enabling the models crate's feature of the same name) or the models crate's.
pub fn features(api: &Api, of: FeaturesOf) -> String {
    let names: Vec<&str> = api.categories.iter().map(|c| c.accessor.as_str()).collect();
    let mut out = String::new();
    if of == FeaturesOf::Client {
        let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
        out.push_str(&format!("all-categories = [{}]\n", quoted.join(", ")));
    }
    for n in names {
        match of {
            FeaturesOf::Client => out.push_str(&format!("{n} = [\"{MODELS_PACKAGE}/{n}\"]\n")),
            FeaturesOf::Models => out.push_str(&format!("{n} = []\n")),
        }
    }
    out
}
