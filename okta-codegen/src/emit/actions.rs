//! Actions: per category, the `XxxApi` struct with one method per action, and per action a
//! static `Operation` and a request builder whose `send()` hands a described request to the
//! runtime. Generated methods only describe requests; the runtime does the work.

use proc_macro2::TokenStream;
use quote::quote;

use super::okta_docs::render as okta_text;
use super::{doc_lines, ident, rust_type};
use crate::ir::{ActionDef, BodyDef, Category, Paging, Param, PathPiece, ResponseDef, Type};
use crate::manifest::{AuthKind, Lifecycle};

fn models_path() -> TokenStream {
    quote!(models::)
}

/// The file of one category.
pub fn category(cat: &Category) -> TokenStream {
    let api = ident(&cat.api_struct);
    let accessor = &cat.accessor;
    let mut cat_doc = format!(
        "The {} actions of the Okta Management API. Get it with [`Client::{accessor}`](crate::Client::{accessor}).",
        cat.name
    );
    if let Some(d) = &cat.description {
        cat_doc.push_str("\n\n");
        cat_doc.push_str(&okta_text(d));
    }
    let cat_doc = doc_lines(&cat_doc);
    let methods = cat.actions.iter().map(method);
    let aliases = cat.actions.iter().map(previous_names);
    let builder_aliases = cat.actions.iter().map(previous_builders);
    let items = cat.actions.iter().map(|a| builder(cat, a));
    quote! {
        #![allow(unused_imports)]
        use crate::models;
        use crate::runtime::{
            encode_path_segment, AuthKinds, Client, Error, Operation, Page, Request,
            ResponseFuture, TextBody,
        };
        use futures_util::stream::BoxStream;

        #cat_doc
        #[derive(Debug, Clone)]
        pub struct #api {
            client: Client,
        }

        impl #api {
            pub(crate) fn new(client: Client) -> Self {
                Self { client }
            }
            #(#methods)*
            #(#aliases)*
        }

        #(#items)*
        #(#builder_aliases)*
    }
}

/// How an argument or setter's value becomes the builder's field.
#[derive(Clone, Copy)]
enum Convert {
    AsIs,
    /// `impl Into<String>`, or `impl Into<T>` for a parameter of model type `T`.
    Into,
    /// `impl Into<String>` kept as a `TextBody` (out of `Debug` output).
    Text,
}

impl Convert {
    fn apply(self, value: TokenStream) -> TokenStream {
        match self {
            Convert::AsIs => value,
            Convert::Into => quote!(#value.into()),
            Convert::Text => quote!(TextBody::new(#value)),
        }
    }
}

/// The type of a required argument or optional setter, and how it converts into the field.
/// A parameter of a model type (an enum, in Okta's API) takes `impl Into<..>`: a string enum
/// converts from `&str`, so `.sort_order("ASCENDING")` reads as Okta's docs do.
fn arg_type(t: &Type) -> (TokenStream, Convert) {
    match t {
        Type::String | Type::DateTime => (quote!(impl Into<String>), Convert::Into),
        Type::Model(_) => {
            let ty = rust_type(t, &models_path());
            (quote!(impl Into<#ty>), Convert::Into)
        }
        other => (rust_type(other, &models_path()), Convert::AsIs),
    }
}

fn field_type(t: &Type) -> TokenStream {
    rust_type(t, &models_path())
}

/// Every value the builder stores: path params, required query params, required body
/// (arguments), then optional query params, headers and an optional body (setters).
struct Slot<'a> {
    rust: &'a str,
    ty: TokenStream,
    arg: TokenStream,
    convert: Convert,
    required: bool,
    /// The setter's (or argument's) documentation: the whole description.
    doc: String,
    /// What the action's method says of an optional slot, in its list of setters: the
    /// description's first paragraph, and Okta's default (the setter has the rest).
    summary: String,
}

fn param<'a>(p: &'a Param, kind: &str) -> Slot<'a> {
    let (arg, convert) = arg_type(&p.ty);
    let text = p.description.as_deref().map(okta_text);
    let text = text.as_deref().map(str::trim);
    // The first paragraph, unless it opens a code block that a cut would leave open or
    // introduces what follows (`..., such as:`).
    let first = text.map(|t| match t.split_once("\n\n") {
        Some((first, _))
            if !first.contains("```") && !first.contains("~~~") && !first.ends_with(':') =>
        {
            first
        }
        _ => t,
    });
    let doc = param_doc(p, kind, text);
    let summary = param_doc(p, kind, first);
    Slot {
        rust: &p.rust_name,
        ty: field_type(&p.ty),
        arg,
        convert,
        required: p.required,
        doc,
        summary,
    }
}

/// A parameter's documentation: its wire name and place, `description` (Okta's, rendered),
/// and Okta's default.
fn param_doc(p: &Param, kind: &str, description: Option<&str>) -> String {
    let mut doc = format!("`{}` ({kind})", p.wire_name);
    if let Some(d) = description {
        doc.push_str(": ");
        doc.push_str(d);
    }
    if let Some(d) = &p.default {
        let default = if d.is_empty() {
            "Okta's default: the empty string.".to_owned()
        } else {
            format!("Okta's default: `{d}`.")
        };
        if doc.contains('\n') {
            // After a description of several lines (which may end in a list or a code block):
            // a paragraph of its own.
            doc.push_str("\n\n");
        } else {
            // A sentence of its own, after the description's last.
            if !doc.ends_with(['.', '!', '?', ':']) {
                doc.push('.');
            }
            doc.push(' ');
        }
        doc.push_str(&default);
    }
    doc
}

fn slots(a: &ActionDef) -> Vec<Slot<'_>> {
    let mut out = Vec::new();
    for p in &a.path_params {
        out.push(param(p, "path"));
    }
    for p in &a.query_params {
        out.push(param(p, "query"));
    }
    for p in &a.header_params {
        out.push(param(p, "header"));
    }
    if let Some(body) = &a.body {
        let (ty, doc) = match body {
            BodyDef::Json { ty, .. } => (field_type(ty), format!("the request body (`{ty}`)")),
            BodyDef::Text { media_type, .. } => (
                quote!(TextBody),
                format!("the request body, text sent as `{media_type}` (it is kept out of `Debug` output and logs)"),
            ),
            BodyDef::Multipart { part, .. } => (
                quote!(crate::FilePart),
                format!("the file to upload (multipart part `{part}`)"),
            ),
            BodyDef::Raw { content_types, .. } => (
                quote!(crate::RawBody),
                format!(
                    "the raw request body; Okta accepts {}",
                    content_types
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        };
        // A text body is taken as any string and kept as a `TextBody`; the others as they are.
        let (arg, convert) = match body {
            BodyDef::Text { .. } => (quote!(impl Into<String>), Convert::Text),
            _ => (ty.clone(), Convert::AsIs),
        };
        out.push(Slot {
            rust: body.arg_name(),
            arg,
            ty,
            convert,
            required: body.required(),
            summary: doc.clone(),
            doc,
        });
    }
    out
}

/// Text of several lines as the content of a list item (`- ...`): every line after the first
/// indented to the item's content, so that its paragraphs, lists and code blocks stay in it.
fn list_item(text: &str) -> String {
    let mut lines = text.lines();
    let mut out = lines.next().unwrap_or_default().to_owned();
    for line in lines {
        out.push('\n');
        if !line.trim().is_empty() {
            out.push_str("  ");
            out.push_str(line);
        }
    }
    out
}

fn returns(a: &ActionDef) -> TokenStream {
    match &a.response {
        ResponseDef::Empty => quote!(()),
        ResponseDef::Text(_) => quote!(String),
        ResponseDef::Page { item, .. } => {
            let item = field_type(item);
            quote!(Page<#item>)
        }
        ResponseDef::Json(t) => field_type(t),
    }
}

fn method(a: &ActionDef) -> TokenStream {
    let name = ident(&a.method_name);
    let builder = ident(&a.builder_name);
    let slots = slots(a);
    let args = slots.iter().filter(|s| s.required).map(|s| {
        let n = ident(s.rust);
        let t = &s.arg;
        quote!(#n: #t)
    });
    let inits = slots.iter().map(|s| {
        let n = ident(s.rust);
        match (s.required, s.convert) {
            (true, Convert::AsIs) => quote!(#n),
            (true, convert) => {
                let value = convert.apply(quote!(#n));
                quote!(#n: #value)
            }
            (false, _) => quote!(#n: None),
        }
    });

    let mut doc = format!("**{}**", a.display_name);
    if let Some(d) = &a.description {
        doc.push_str("\n\n");
        doc.push_str(okta_text(d).trim());
    }
    let mut http = format!("`{} {}`", a.http_method, a.path);
    if !a.fixed_query.is_empty() {
        let pairs: Vec<String> = a
            .fixed_query
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        http = format!("`{} {}?{}`", a.http_method, a.path, pairs.join("&"));
    }
    doc.push_str(&format!("\n\n{http}"));
    if let Some(id) = &a.operation_id {
        doc.push_str(&format!(" (operation `{id}`)"));
    }
    if let Some(url) = &a.reference_url {
        doc.push_str(&format!(". [Okta API reference]({url})"));
    }
    if let Some(availability) = availability(a) {
        doc.push_str(&format!("\n\n{availability}"));
    }
    if let Some(transport) = transport(a) {
        doc.push_str(&format!("\n\n{transport}"));
    }
    let required: Vec<_> = slots.iter().filter(|s| s.required).collect();
    if !required.is_empty() {
        doc.push_str("\n\nArguments:");
        for s in &required {
            doc.push_str(&format!("\n- `{}`: {}", s.rust, list_item(&s.doc)));
        }
    }
    let optional: Vec<_> = slots.iter().filter(|s| !s.required).collect();
    if !optional.is_empty() {
        doc.push_str(&format!(
            "\n\nOptional, set on the returned [`{}`] (in short: see each setter):",
            a.builder_name
        ));
        for s in &optional {
            doc.push_str(&format!(
                "\n- [`{0}`]({1}::{0}): {2}",
                s.rust,
                a.builder_name,
                list_item(&s.summary)
            ));
        }
    }
    let doc = doc_lines(&doc);
    let deprecated = a
        .deprecated
        .as_ref()
        .map(|note| quote!(#[deprecated(note = #note)]));
    quote! {
        #doc
        #deprecated
        pub fn #name(&self, #(#args),*) -> #builder {
            #builder {
                client: self.client.clone(),
                #(#inits,)*
            }
        }
    }
}

fn builder(cat: &Category, a: &ActionDef) -> TokenStream {
    let builder = ident(&a.builder_name);
    let op = ident(&a.static_name);
    let op_id = &a.operation_name;
    let http_method = ident(&a.http_method);
    let path = &a.path;
    let slots = slots(a);

    let fields = slots.iter().map(|s| {
        let n = ident(s.rust);
        let t = &s.ty;
        if s.required {
            quote!(#n: #t)
        } else {
            quote!(#n: Option<#t>)
        }
    });
    let setters = slots.iter().filter(|s| !s.required).map(|s| {
        let n = ident(s.rust);
        let arg = &s.arg;
        let value = s.convert.apply(quote!(value));
        let doc = doc_lines(&format!("Sets {}", s.doc));
        quote! {
            #doc
            pub fn #n(mut self, value: #arg) -> Self {
                self.#n = Some(#value);
                self
            }
        }
    });

    // The path: each param bound once, percent-encoded as one segment, then the template
    // with the bindings in place (`format!("/api/v1/users/{user_id}")`).
    let mut template = String::new();
    let mut segments = Vec::new();
    for piece in &a.path_pieces {
        match piece {
            PathPiece::Literal(l) => template.push_str(&l.replace('{', "{{").replace('}', "}}")),
            PathPiece::Param(i) => {
                let p = &a.path_params[*i];
                let n = ident(&p.rust_name);
                template.push_str(&format!("{{{}}}", p.rust_name));
                segments.push(path_segment(&p.ty, &n));
            }
        }
    }
    let path_expr = if segments.is_empty() {
        quote!(#template.to_owned())
    } else {
        quote!(format!(#template))
    };

    let mut pushes = Vec::new();
    for (k, v) in &a.fixed_query {
        pushes.push(quote!(request.query(#k, #v.to_owned());));
    }
    for (p, call) in a
        .query_params
        .iter()
        .map(|p| (p, quote!(query)))
        .chain(a.header_params.iter().map(|p| (p, quote!(header))))
    {
        let n = ident(&p.rust_name);
        let wire = &p.wire_name;
        let push = |value: TokenStream, ty: &Type| -> TokenStream {
            match ty {
                Type::List(inner) => {
                    let item = to_text(inner, quote!(item));
                    quote!(for item in #value { request.#call(#wire, #item); })
                }
                other => {
                    let text = to_text(other, value);
                    quote!(request.#call(#wire, #text);)
                }
            }
        };
        if p.required {
            pushes.push(push(quote!(self.#n), &p.ty));
        } else {
            let inner = push(quote!(value), &p.ty);
            pushes.push(quote!(if let Some(value) = self.#n { #inner }));
        }
    }
    if let Some(body) = &a.body {
        let (field, call) = match body {
            BodyDef::Json {
                via_families,
                media_type,
                ..
            } => {
                // A family variant's model is sent through its family, which sets the
                // discriminator (`models::UserFactor::Sms(value)`).
                let mut value = quote!(value);
                for (family, variant) in via_families {
                    let (family, variant) = (ident(family), ident(variant));
                    value = quote!(models::#family::#variant(#value));
                }
                let call = match media_type {
                    Some(media) => quote!(request.json_as(&#value, #media);),
                    None => quote!(request.json(&#value);),
                };
                (quote!(body), call)
            }
            BodyDef::Multipart { part, .. } => {
                (quote!(file), quote!(request.multipart_file(#part, value);))
            }
            BodyDef::Raw { .. } => (quote!(body), quote!(request.raw(value);)),
            BodyDef::Text { media_type, .. } => {
                (quote!(body), quote!(request.text(value, #media_type);))
            }
        };
        if body.required() {
            pushes.push(quote!(let value = self.#field; #call));
        } else {
            pushes.push(quote!(if let Some(value) = self.#field { #call }));
        }
    }

    // Where the next page is: the runtime reads the `Link` header unless told the list pages in
    // the body.
    if let ResponseDef::Page {
        paging: Paging::BodyLinks { items, .. },
        ..
    } = &a.response
    {
        pushes.push(quote!(request.page_in_body(#items);));
    }

    let returns = returns(a);
    let send = match &a.response {
        ResponseDef::Empty => quote!(client.send_empty(request)),
        ResponseDef::Text(accept) => quote!(client.send_text(request, #accept)),
        ResponseDef::Page { .. } => quote!(client.send_page(request)),
        ResponseDef::Json(_) => quote!(client.send_json(request)),
    };
    let stream = match &a.response {
        ResponseDef::Page { item, paging } => {
            let item = field_type(item);
            let next = match paging {
                Paging::LinkHeader => "Okta's `Link: rel=\"next\"` header".to_owned(),
                Paging::BodyLinks { .. } => "`_links.next.href` in the body".to_owned(),
            };
            let doc = doc_lines(&format!(
                "Every item of every page, fetching the next page ({next}) only when the current one is used up."
            ));
            quote! {
                #doc
                #[inline]
                pub fn stream(self) -> BoxStream<'static, Result<#item, Error>> {
                    let (client, request) = self.into_request();
                    client.stream(request)
                }
            }
        }
        _ => quote!(),
    };
    let alternatives = a.text_alternatives.iter().map(|alt| {
        let name = ident(&alt.method_name);
        let media = &alt.media_type;
        let doc = doc_lines(&format!(
            "Sends the request accepting `{media}` instead of JSON, and returns the body as text."
        ));
        quote! {
            #doc
            #[inline]
            pub fn #name(self) -> ResponseFuture<String> {
                let (client, request) = self.into_request();
                client.send_text(request, #media)
            }
        }
    });
    let builder_doc = doc_lines(&format!(
        "Request builder for [`{api}::{method}`]({api}::{method}) ({display}): set optional parameters, then call `send()`.",
        api = cat.api_struct,
        method = a.method_name,
        display = a.display_name
    ));
    let host_prefix = match &a.host_prefix {
        Some(prefix) => quote!(Some(#prefix)),
        None => quote!(None),
    };
    let auth = ident(auth_kinds(&a.auth));
    let scopes = &a.scopes;
    let request_var = if pushes.is_empty() {
        quote!(request)
    } else {
        quote!(mut request)
    };
    quote! {
        static #op: Operation = Operation {
            id: #op_id,
            method: reqwest::Method::#http_method,
            path: #path,
            host_prefix: #host_prefix,
            auth: AuthKinds::#auth,
            scopes: &[#(#scopes),*],
        };

        #builder_doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `.send()`"]
        pub struct #builder {
            client: Client,
            #(#fields,)*
        }

        impl #builder {
            #(#setters)*

            #[inline]
            fn into_request(self) -> (Client, Request) {
                #(#segments)*
                let #request_var = Request::new(&#op, #path_expr);
                #(#pushes)*
                (self.client, request)
            }

            /// Sends the request.
            #[inline]
            pub fn send(self) -> ResponseFuture<#returns> {
                let (client, request) = self.into_request();
                #send
            }

            #(#alternatives)*
            #stream
        }
    }
}

/// An expression of type `String` for a scalar value (query values, path segments).
fn to_text(t: &Type, value: TokenStream) -> TokenStream {
    match t {
        Type::String | Type::DateTime => quote!(#value),
        Type::Model(_) => quote!(#value.as_str().to_owned()),
        _ => quote!(#value.to_string()),
    }
}

/// Binds path param `n` (a builder field) as one percent-encoded path segment, under its own
/// name. Numbers and booleans print as unreserved characters only, so they need no encoding.
fn path_segment(t: &Type, n: &proc_macro2::Ident) -> TokenStream {
    match t {
        Type::String | Type::DateTime => quote!(let #n = encode_path_segment(&self.#n);),
        Type::Model(_) => quote!(let #n = encode_path_segment(self.#n.as_str());),
        _ => quote!(let #n = self.#n;),
    }
}

/// The deprecated aliases of an action on the category struct, one per `previous_names` entry:
/// the same arguments, the same builder, so code written against the old name still compiles
/// (with a deprecation warning that names the new one).
fn previous_names(a: &ActionDef) -> TokenStream {
    let name = ident(&a.method_name);
    let builder = ident(&a.builder_name);
    let slots = slots(a);
    let required: Vec<_> = slots.iter().filter(|s| s.required).collect();
    let args = required.iter().map(|s| {
        let n = ident(s.rust);
        let t = &s.arg;
        quote!(#n: #t)
    });
    let args: Vec<_> = args.collect();
    let names: Vec<_> = required.iter().map(|s| ident(s.rust)).collect();
    let aliases = a.previous_names.iter().map(|old| {
        let old = ident(old);
        let doc = doc_lines(&format!(
            "Renamed to [`{0}`](Self::{0}); this name still works, with a deprecation warning.",
            a.method_name
        ));
        let note = format!("renamed to `{}`", a.method_name);
        quote! {
            #doc
            #[deprecated(note = #note)]
            // The new name may be deprecated by Okta too: calling it here is no use of it.
            #[allow(deprecated)]
            #[inline]
            pub fn #old(&self, #(#args),*) -> #builder {
                self.#name(#(#names),*)
            }
        }
    });
    quote!(#(#aliases)*)
}

/// The request builder types the previous names gave, as deprecated aliases of the current one,
/// so code that names the builder type keeps compiling too.
fn previous_builders(a: &ActionDef) -> TokenStream {
    let builder = ident(&a.builder_name);
    let mut seen = std::collections::BTreeSet::new();
    let aliases = a.previous_names.iter().filter_map(|old| {
        let name = crate::names::builder_name(old);
        if name == a.builder_name || !seen.insert(name.clone()) {
            return None;
        }
        let doc = doc_lines(&format!(
            "Renamed to [`{0}`]; this name still works, with a deprecation warning.",
            a.builder_name
        ));
        let note = format!("renamed to `{}`", a.builder_name);
        let name = ident(&name);
        Some(quote! {
            #doc
            #[deprecated(note = #note)]
            pub type #name = #builder;
        })
    });
    quote!(#(#aliases)*)
}

/// The rustdoc sentence on where an operation is in Okta's lifecycle and what an org needs for
/// it; `None` for a generally available operation every org has.
fn availability(a: &ActionDef) -> Option<String> {
    let mut parts = Vec::new();
    if a.lifecycle != Lifecycle::Ga {
        parts.push(format!(
            "**{}** in Okta's release lifecycle",
            a.lifecycle.name()
        ));
    }
    if !a.skus.is_empty() {
        let skus: Vec<String> = a.skus.iter().map(|s| format!("*{s}*")).collect();
        parts.push(format!("available with {}", skus.join(", ")));
    }
    if a.deprecated.is_some() {
        parts.push("**deprecated** by Okta".to_owned());
    }
    (!parts.is_empty()).then(|| format!("Availability: {}.", parts.join("; ")))
}

/// Whether an operation accepts (an API token, an OAuth 2.0 access token).
fn accepts(auth: &[AuthKind]) -> (bool, bool) {
    (
        auth.contains(&AuthKind::ApiToken),
        auth.contains(&AuthKind::Oauth2),
    )
}

/// The runtime's `AuthKinds` constant for the credentials an operation accepts.
fn auth_kinds(auth: &[AuthKind]) -> &'static str {
    match accepts(auth) {
        (true, true) => "ANY",
        (true, false) => "API_TOKEN",
        (false, true) => "OAUTH2",
        (false, false) => "NONE",
    }
}

/// The rustdoc paragraph on where an operation is sent and with which credentials, when that is
/// not the org URL with the client's credentials of either kind; `None` otherwise. Also the
/// response's other media types.
fn transport(a: &ActionDef) -> Option<String> {
    let mut lines = Vec::new();
    if let Some(prefix) = &a.host_prefix {
        lines.push(format!(
            "Host: served on a host of its own, the org's host with `{prefix}.` in front \
             (`https://acme.okta.com` -> `https://{prefix}.acme.okta.com`, scheme and port kept); \
             with an org URL whose host is an IP address, the call fails with `Error::Config`."
        ));
    }
    let credentials = match accepts(&a.auth) {
        (true, true) => None,
        (true, false) => Some(
            "an API token only (`ClientBuilder::api_token`); a client with OAuth 2.0 credentials \
             gets `Error::Config`, and nothing is sent.",
        ),
        (false, true) => Some(
            "an OAuth 2.0 access token only (`ClientBuilder::bearer_token` or \
             `ClientBuilder::oauth_private_key_jwt`); a client with an API token gets \
             `Error::Config`, and nothing is sent.",
        ),
        (false, false) => Some(
            "none (the request carries no `Authorization` header, and no access token is \
             fetched for it).",
        ),
    };
    if let Some(credentials) = credentials {
        lines.push(format!("Credentials: {credentials}"));
    }
    if !a.scopes.is_empty() {
        let scopes: Vec<String> = a.scopes.iter().map(|s| format!("`{s}`")).collect();
        lines.push(format!("OAuth 2.0 scopes: {}.", scopes.join(", ")));
    }
    for alt in &a.text_alternatives {
        lines.push(format!(
            "Also answered as `{}`: [`{}`]({}::{}) returns that as text.",
            alt.media_type, alt.method_name, a.builder_name, alt.method_name
        ));
    }
    (!lines.is_empty()).then(|| lines.join("\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(description: &str) -> Param {
        Param {
            wire_name: "limit".to_owned(),
            rust_name: "limit".to_owned(),
            ty: Type::I32,
            required: false,
            default: Some("20".to_owned()),
            description: Some(description.to_owned()),
        }
    }

    #[test]
    fn okta_s_default_follows_a_one_line_description_as_a_sentence() {
        let p = limit("How many users a page holds");
        assert_eq!(
            param(&p, "query").doc,
            "`limit` (query): How many users a page holds. Okta's default: `20`."
        );
    }

    #[test]
    fn okta_s_default_after_a_code_block_is_a_paragraph_of_its_own() {
        let p = limit("At most:\n\n```\n200\n```");
        assert_eq!(
            param(&p, "query").doc,
            "`limit` (query): At most:\n\n```json\n200\n```\n\nOkta's default: `20`."
        );
    }

    #[test]
    fn a_list_item_of_several_lines_keeps_them_in_the_item() {
        assert_eq!(
            list_item("At most:\n\n```json\n200\n```"),
            "At most:\n\n  ```json\n  200\n  ```"
        );
        assert_eq!(list_item("One line"), "One line");
    }
}
