//! The module files that tie the generated code together, and the crate's category features.

use proc_macro2::TokenStream;
use quote::quote;

use super::{cfg_features, doc_cfg_features, ident};
use crate::ir::{Api, ModelCrate};
use crate::FeaturesOf;

/// `src/generated/mod.rs`: the categories, and `models`, every crate of models re-exported
/// as one module.
pub fn generated_mod() -> TokenStream {
    let crates = ModelCrate::all().map(|k| ident(&k.rust_name()));
    quote! {
        pub mod api;
        /// Every model of the Okta Management API used by the actions. They are compiled in
        /// crates of their own (`okta-generated-models` and its parts), which cargo builds side
        /// by side and beside the HTTP stack; use them from here.
        pub mod models {
            // A crate is empty when the cargo features leave none of its models in.
            #( #[doc(inline)] #[allow(unused_imports)] pub use #crates::models::*; )*
        }
    }
}

/// `<crate of models>/src/generated/mod.rs`: one module per model file, all re-exported flat;
/// a part also sees the shared crate's models.
pub fn models_mod(krate: ModelCrate, groups: &[&str]) -> TokenStream {
    let mods = groups.iter().map(|g| ident(g));
    let uses = mods.clone();
    let shared = (krate != ModelCrate::Shared).then(|| {
        let shared = ident(&ModelCrate::Shared.rust_name());
        quote!(use #shared::models::*;)
    });
    quote! {
        // A module is empty when the cargo features leave none of its models in.
        #![allow(unused_imports)]
        #shared
        #( mod #mods; )*
        #( pub use #uses::*; )*
    }
}

/// `<crate of models>/src/generated/<group>.rs`: the group's models in that crate.
pub fn models_group(api: &Api, krate: ModelCrate, group: &str) -> TokenStream {
    let models = api
        .models
        .iter()
        .filter(|m| m.krate == krate && m.group == group)
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
                #m::#s::new(self.engine.clone())
            }
        }
    });
    quote! {
        //! One module per category of actions; each is reached through its accessor on [`Client`].
        use crate::Client;
        #(#mods)*
        impl Client {
            #(#accessors)*
        }
    }
}

/// The generated part of a `[features]` table: the client's (`all-categories`, and each
/// category enabling the feature of the same name in every crate of models) or a crate of
/// models' (a part's enabling the shared crate's too).
pub fn features(api: &Api, of: FeaturesOf) -> String {
    let names: Vec<&str> = api.categories.iter().map(|c| c.accessor.as_str()).collect();
    let mut out = String::new();
    if of == FeaturesOf::Client {
        let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
        out.push_str(&format!("all-categories = [{}]\n", quoted.join(", ")));
    }
    let enabled: Vec<ModelCrate> = match of {
        FeaturesOf::Client => ModelCrate::all().collect(),
        FeaturesOf::Models(ModelCrate::Shared) => Vec::new(),
        FeaturesOf::Models(ModelCrate::Part(_)) => vec![ModelCrate::Shared],
    };
    for n in names {
        let list: Vec<String> = enabled
            .iter()
            .map(|k| format!("\"{}/{n}\"", k.package()))
            .collect();
        out.push_str(&format!("{n} = [{}]\n", list.join(", ")));
    }
    out
}
