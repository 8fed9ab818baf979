//! `okta-generated/tests/generated/contract.rs`: one contract test per action. Each calls the
//! generated method with sample arguments (path params that need percent-encoding, every query
//! and header param set, a body) against a mock server, and states what must reach the wire;
//! the hand-written harness in `okta-generated/tests/contract.rs` checks it.
//!
//! Scalar samples are literals here, so a test reads on its own; JSON bodies and responses are
//! named by type and built by `okta_codegen::sample` when the test runs.

use proc_macro2::TokenStream;
use quote::quote;

use super::{cfg_features, ident};
use crate::ir::{ActionDef, Api, BodyDef, ModelDef, ModelKind, Param, ResponseDef, Type};

pub fn contract_tests(api: &Api) -> TokenStream {
    let tests = api
        .categories
        .iter()
        .flat_map(|cat| cat.actions.iter().map(move |a| test(api, &cat.accessor, a)));
    quote! {
        //! Contract tests, one per action (see `okta-codegen/src/emit/contract_tests.rs`).
        #![allow(unused_imports)]
        use okta_generated::models;
        use super::{Case, ExpectBody, Output, Reply};

        #(#tests)*
    }
}

/// A sample argument: the Rust expression passed to the method, and the text(s) the server must
/// receive for it (several for a list).
struct Sample {
    expr: TokenStream,
    wire: Vec<String>,
}

fn scalar_sample(api: &Api, ty: &Type, text: &str) -> Sample {
    let one = |expr: TokenStream, wire: String| Sample {
        expr,
        wire: vec![wire],
    };
    match ty {
        Type::String => one(quote!(#text), text.to_owned()),
        Type::DateTime => {
            let t = "2026-01-02T03:04:05.000Z";
            one(quote!(#t), t.to_owned())
        }
        Type::I32 => one(quote!(42), "42".into()),
        Type::I64 => one(quote!(9_000_000_001_i64), "9000000001".into()),
        Type::F64 => one(quote!(1.5), "1.5".into()),
        Type::Bool => one(quote!(true), "true".into()),
        Type::Model(m) => {
            let variant = enum_model(api, m).and_then(|m| match &m.kind {
                ModelKind::Enum { variants } => variants.first(),
                _ => None,
            });
            match variant {
                Some(v) => {
                    let model = ident(m);
                    let var = ident(&v.ident);
                    one(quote!(models::#model::#var), v.value.clone())
                }
                // Validation admits only enums as query params; nothing sensible to send.
                None => one(quote!(compile_error!("not a scalar")), String::new()),
            }
        }
        Type::List(inner) => {
            let a = scalar_sample(api, inner, &format!("{text} 1"));
            let b = scalar_sample(api, inner, &format!("{text} 2"));
            let (ea, eb) = (owned(inner, a.expr), owned(inner, b.expr));
            Sample {
                expr: quote!(vec![#ea, #eb]),
                wire: a.wire.into_iter().chain(b.wire).collect(),
            }
        }
        Type::Json | Type::Map(_) => one(quote!(compile_error!("not a scalar")), String::new()),
    }
}

/// List items are `String`s, not `impl Into<String>`.
fn owned(ty: &Type, expr: TokenStream) -> TokenStream {
    match ty {
        Type::String | Type::DateTime => quote!(#expr.to_owned()),
        _ => expr,
    }
}

fn enum_model<'a>(api: &'a Api, name: &str) -> Option<&'a ModelDef> {
    api.models.iter().find(|m| m.name == name)
}

/// Text for a path param: every character class that needs care in one segment.
fn path_text(p: &Param) -> String {
    format!("{} ä/?#%+&=; x", p.wire_name)
}

/// Text for a query param: what form encoding must protect.
fn query_text(p: &Param) -> String {
    format!("{} ü&=+#/?% x", p.wire_name)
}

fn test(api: &Api, accessor: &str, a: &ActionDef) -> TokenStream {
    let cfg = cfg_features([&accessor.to_owned()]);
    let name = ident(&a.method_name);
    let accessor_ident = ident(accessor);
    let method = ident(&a.method_name);
    let op = &a.operation_name;

    let mut args = Vec::new();
    let mut setters = Vec::new();
    let mut call = |p: &Param, sample: &Sample| {
        let expr = &sample.expr;
        if p.required {
            args.push(expr.clone());
        } else {
            let setter = ident(&p.rust_name);
            setters.push(quote!(.#setter(#expr)));
        }
    };

    let mut path_params = Vec::new();
    for p in &a.path_params {
        let s = scalar_sample(api, &p.ty, &path_text(p));
        call(p, &s);
        let (wire, value) = (&p.wire_name, &s.wire[0]);
        path_params.push(quote!((#wire, #value)));
    }
    let mut query = Vec::new();
    for (k, v) in &a.fixed_query {
        query.push(quote!((#k, #v)));
    }
    for p in &a.query_params {
        let s = scalar_sample(api, &p.ty, &query_text(p));
        call(p, &s);
        let wire = &p.wire_name;
        for value in &s.wire {
            query.push(quote!((#wire, #value)));
        }
    }
    let mut headers = Vec::new();
    for p in &a.header_params {
        let s = scalar_sample(api, &p.ty, &format!("sample-{}", p.wire_name));
        call(p, &s);
        let wire = &p.wire_name;
        for value in &s.wire {
            headers.push(quote!((#wire, #value)));
        }
    }

    let (body_expect, body_expr) = match &a.body {
        None => (quote!(ExpectBody::None), None),
        Some(BodyDef::Json { .. }) => (quote!(ExpectBody::Json), Some(quote!(mock.json_body()))),
        Some(BodyDef::Multipart { part, .. }) => (
            quote!(ExpectBody::Multipart(#part)),
            Some(quote!(mock.file_part())),
        ),
        Some(BodyDef::Raw { content_types, .. }) => {
            let ct = content_types.first().cloned().unwrap_or_default();
            (quote!(ExpectBody::Raw(#ct)), Some(quote!(mock.raw_body())))
        }
        Some(BodyDef::Text { media_type, .. }) => (
            quote!(ExpectBody::Text(#media_type)),
            Some(quote!(mock.text_body())),
        ),
    };
    if let (Some(body), Some(expr)) = (&a.body, body_expr) {
        if body.required() {
            args.push(expr);
        } else {
            let setter = ident(body.arg_name());
            setters.push(quote!(.#setter(#expr)));
        }
    }

    let status = a.success_status;
    let (reply, output) = match &a.response {
        ResponseDef::Empty => (
            quote!(Reply::Empty { status: #status }),
            quote!(|()| Output::Empty),
        ),
        ResponseDef::Text(media) => (
            quote!(Reply::Text { status: #status, media: #media }),
            quote!(Output::Text),
        ),
        ResponseDef::Json(_) => (
            quote!(Reply::Json { status: #status }),
            quote!(|value| Output::json(&value)),
        ),
        ResponseDef::Page { .. } => (
            quote!(Reply::Json { status: #status }),
            quote!(|page| Output::json(page.items())),
        ),
    };
    // Each text alternative: the same request sent by its own method, answered as text.
    let alternatives = a.text_alternatives.iter().map(|alt| {
        let media = &alt.media_type;
        let send = ident(&alt.method_name);
        quote! {
            let case = Case {
                reply: Reply::Text { status: #status, media: #media },
                ..case
            };
            let mock = case.mock().await;
            let result = mock
                .client
                .#accessor_ident()
                .#method(#(#args),*)
                #(#setters)*
                .#send()
                .await;
            mock.check(result.map(Output::Text)).await;
        }
    });
    let host_prefix = match &a.host_prefix {
        Some(prefix) => quote!(Some(#prefix)),
        None => quote!(None),
    };
    let auth = a.auth.iter().map(|k| k.name());
    let http_method = &a.http_method;
    let path = &a.path;
    let mut doc = format!(" `{} {}` ({op})", a.http_method, a.path);
    for alt in &a.text_alternatives {
        doc.push_str(&format!(
            ", and as `{}` (`{}()`)",
            alt.media_type, alt.method_name
        ));
    }
    // Okta deprecates some operations; their contract still holds.
    let allow_deprecated = a.deprecated.as_ref().map(|_| quote!(#[allow(deprecated)]));
    quote! {
        #[doc = #doc]
        #cfg
        #allow_deprecated
        #[tokio::test]
        async fn #name() {
            let case = Case {
                operation: #op,
                method: #http_method,
                path: #path,
                path_params: &[#(#path_params),*],
                query: &[#(#query),*],
                headers: &[#(#headers),*],
                body: #body_expect,
                reply: #reply,
                host_prefix: #host_prefix,
                auth: &[#(#auth),*],
            };
            let mock = case.mock().await;
            let result = mock
                .client
                .#accessor_ident()
                .#method(#(#args),*)
                #(#setters)*
                .send()
                .await;
            mock.check(result.map(#output)).await;
            #(#alternatives)*
        }
    }
}
