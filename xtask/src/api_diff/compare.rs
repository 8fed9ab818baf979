//! The comparison of two lowered APIs, as a user of the generated crate sees them: categories by
//! accessor, actions by (accessor, Rust method), models by name, fields by JSON name,
//! parameters by where and under which name they are sent.

use std::collections::{BTreeMap, BTreeSet};

use okta_codegen::ir::{
    ActionDef, Api, BodyDef, Category, FieldDef, ModelDef, ModelKind, Paging, Param, ResponseDef,
    Type, UnionBranch,
};
use okta_codegen::manifest::{AuthKind, DEFAULT_AUTH};
use okta_codegen::names;

use super::rules::{classify, Class, Kind};

/// What a change is about, for counting and ordering.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Category(String),
    /// (accessor, Rust method as the head manifest names it).
    Action(String, String),
    Model(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub class: Class,
    pub kind: Kind,
    pub scope: Scope,
    /// The Rust item users touch (`client.user().get_user(..)`, `models::User::profile`).
    pub item: String,
    /// What changed.
    pub what: String,
    /// For a breaking change: what to write instead.
    pub instead: Option<String>,
}

/// Every change from `old` to `new`, ordered: class, then scope, then item.
pub fn diff(old: &Api, new: &Api) -> Vec<Change> {
    let mut out = Out::default();
    categories(&mut out, old, new);
    actions(&mut out, old, new);
    models(&mut out, old, new);
    let mut changes = out.0;
    changes.sort_by(|a, b| {
        (a.class, &a.scope, &a.item, &a.what).cmp(&(b.class, &b.scope, &b.item, &b.what))
    });
    changes.dedup();
    changes
}

#[derive(Default)]
struct Out(Vec<Change>);

impl Out {
    fn push(
        &mut self,
        kind: Kind,
        scope: Scope,
        item: String,
        what: String,
        instead: Option<String>,
    ) {
        let class = classify(kind);
        // Hints are for breaking changes only.
        let instead = instead.filter(|_| class == Class::Breaking);
        self.0.push(Change {
            class,
            kind,
            scope,
            item,
            what,
            instead,
        });
    }
}

// --------------------------------------------------------------------------- Rust types

/// The Rust type generated code uses for a manifest type.
fn rust_ty(t: &Type) -> String {
    match t {
        Type::String | Type::DateTime => "String".into(),
        Type::I32 => "i32".into(),
        Type::I64 => "i64".into(),
        Type::F64 => "f64".into(),
        Type::Bool => "bool".into(),
        Type::Json => "serde_json::Value".into(),
        Type::Model(m) => format!("models::{m}"),
        Type::List(t) => format!("Vec<{}>", rust_ty(t)),
        Type::Map(t) => format!("BTreeMap<String, {}>", rust_ty(t)),
    }
}

/// What an argument or setter of that type takes.
fn arg_ty(t: &Type) -> String {
    match t {
        Type::String | Type::DateTime => "impl Into<String>".into(),
        other => rust_ty(other),
    }
}

fn response_ty(r: &ResponseDef) -> String {
    match r {
        ResponseDef::Empty => "()".into(),
        ResponseDef::Text(_) => "String".into(),
        ResponseDef::Json(t) => rust_ty(t),
        ResponseDef::Page { item, .. } => format!("Page<{}>", rust_ty(item)),
    }
}

fn response_manifest(r: &ResponseDef) -> String {
    match r {
        ResponseDef::Empty => "no body".into(),
        ResponseDef::Text(media) => format!("text ({media})"),
        ResponseDef::Json(t) => format!("`{t}`"),
        ResponseDef::Page {
            item,
            paging: Paging::LinkHeader,
        } => format!("pages of `{item}` (next page in the `Link` header)"),
        ResponseDef::Page {
            item,
            paging: Paging::BodyLinks { page_model, items },
        } => format!("pages of `{item}` (in `{page_model}.{items}`, next page in `_links.next`)"),
    }
}

fn field_ty(f: &FieldDef) -> String {
    let mut t = rust_ty(&f.ty);
    if f.boxed {
        t = format!("Box<{t}>");
    }
    if !f.required {
        t = format!("Option<{t}>");
    }
    t
}

// --------------------------------------------------------------------------- categories

fn by_accessor(api: &Api) -> BTreeMap<&str, &Category> {
    api.categories
        .iter()
        .map(|c| (c.accessor.as_str(), c))
        .collect()
}

fn categories(out: &mut Out, old: &Api, new: &Api) {
    let (o, n) = (by_accessor(old), by_accessor(new));
    for (acc, _) in o.iter().filter(|(a, _)| !n.contains_key(*a)) {
        out.push(
            Kind::CategoryRemoved,
            Scope::Category(acc.to_string()),
            format!("client.{acc}()"),
            format!("category accessor `client.{acc}()` and cargo feature `{acc}` removed"),
            Some(format!(
                "drop `{acc}` from the crate's features; its actions are listed below"
            )),
        );
    }
    for (acc, c) in n.iter().filter(|(a, _)| !o.contains_key(*a)) {
        out.push(
            Kind::CategoryAdded,
            Scope::Category(acc.to_string()),
            format!("client.{acc}()"),
            format!(
                "category `{}` added: accessor `client.{acc}()`, cargo feature `{acc}` ({} action{})",
                c.name,
                c.actions.len(),
                if c.actions.len() == 1 { "" } else { "s" }
            ),
            None,
        );
    }
}

// --------------------------------------------------------------------------- actions

/// One action with where it lives.
#[derive(Clone, Copy)]
struct At<'a> {
    acc: &'a str,
    a: &'a ActionDef,
}

impl At<'_> {
    fn call(&self) -> String {
        format!("client.{}().{}(..)", self.acc, self.a.method_name)
    }
    /// The call with its arguments named: `client.user().get_user(user_id)`.
    fn signature(&self) -> String {
        let args: Vec<String> = slots(self.a)
            .into_iter()
            .filter(|s| s.required)
            .map(|s| s.rust)
            .collect();
        format!(
            "client.{}().{}({})",
            self.acc,
            self.a.method_name,
            args.join(", ")
        )
    }
    fn scope(&self) -> Scope {
        Scope::Action(self.acc.to_owned(), self.a.method_name.clone())
    }
}

fn all_actions(api: &Api) -> BTreeMap<(&str, &str), At<'_>> {
    api.categories
        .iter()
        .flat_map(|c| {
            c.actions.iter().map(move |a| {
                (
                    (c.accessor.as_str(), a.method_name.as_str()),
                    At {
                        acc: &c.accessor,
                        a,
                    },
                )
            })
        })
        .collect()
}

fn actions(out: &mut Out, old: &Api, new: &Api) {
    let (o, n) = (all_actions(old), all_actions(new));
    let mut pairs: Vec<(At, At)> = Vec::new();
    let mut unmatched_new: BTreeSet<(&str, &str)> =
        n.keys().filter(|k| !o.contains_key(*k)).copied().collect();
    // Old names that a new action keeps as an alias: (accessor, alias) -> consumed.
    let mut renamed_from: BTreeSet<(&str, &str)> = BTreeSet::new();

    for (key, old_at) in &o {
        if let Some(new_at) = n.get(key) {
            pairs.push((*old_at, *new_at));
            continue;
        }
        // A rename that keeps the old name as a deprecated alias.
        let alias = n
            .values()
            .find(|na| na.acc == key.0 && na.a.previous_names.iter().any(|p| p == key.1));
        if let Some(new_at) = alias {
            out.push(
                Kind::ActionRenamedWithAlias,
                new_at.scope(),
                old_at.call(),
                format!(
                    "`{}` renamed to `{}`; the old name stays as a deprecated alias (and `{}` as a deprecated type alias of `{}`)",
                    key.1,
                    new_at.a.method_name,
                    old_at.a.builder_name,
                    new_at.a.builder_name
                ),
                None,
            );
            renamed_from.insert(*key);
            // (When the new action existed before too, two merged into one: the old one is
            // compared with it all the same.)
            unmatched_new.remove(&(new_at.acc, new_at.a.method_name.as_str()));
            pairs.push((*old_at, *new_at));
            continue;
        }
        // A rename or move without an alias: the same operation under another name.
        let moved = unmatched_new
            .iter()
            .filter(|k| n[*k].a.operation_name == old_at.a.operation_name)
            .min_by_key(|k| (k.0 != key.0, **k))
            .copied();
        if let Some(nk) = moved {
            unmatched_new.remove(&nk);
            let new_at = n[&nk];
            let hint = if nk.0 == key.0 {
                format!(
                    "call `{}`; or keep the old name: add `previous_names: [{}]` to the action in the manifest",
                    new_at.signature(),
                    key.1
                )
            } else {
                format!("call `{}`", new_at.signature())
            };
            out.push(
                Kind::ActionRenamed,
                new_at.scope(),
                old_at.call(),
                format!(
                    "`{}` is now `{}` (operation `{}`), and the old name is gone",
                    old_at.call(),
                    new_at.call(),
                    old_at.a.operation_name
                ),
                Some(hint),
            );
            pairs.push((*old_at, new_at));
            continue;
        }
        out.push(
            Kind::ActionRemoved,
            old_at.scope(),
            old_at.call(),
            format!(
                "action `{}` (`{} {}`) removed",
                old_at.a.display_name, old_at.a.http_method, old_at.a.path
            ),
            Some(format!(
                "no generated replacement: `client.generic_request(Method::{}, \"{}\")` makes the same call untyped",
                old_at.a.http_method, old_at.a.path
            )),
        );
    }
    for nk in &unmatched_new {
        let new_at = n[nk];
        out.push(
            Kind::ActionAdded,
            new_at.scope(),
            new_at.call(),
            format!(
                "action `{}` added: `{}` (`{} {}`)",
                new_at.a.display_name,
                new_at.signature(),
                new_at.a.http_method,
                new_at.a.path
            ),
            None,
        );
    }
    for (old_at, new_at) in pairs {
        compare_action(out, old_at, new_at, &renamed_from, &o);
    }
}

fn compare_action<'a>(
    out: &mut Out,
    o: At<'a>,
    n: At<'a>,
    renamed_from: &BTreeSet<(&str, &str)>,
    old_actions: &BTreeMap<(&str, &str), At<'a>>,
) {
    let scope = n.scope();
    let call = n.call();
    let wire = |out: &mut Out, kind: Kind, what: String| {
        out.push(kind, scope.clone(), call.clone(), what, None);
    };
    if o.a.deprecated != n.a.deprecated {
        let now = n.a.deprecated.is_some();
        let what = match &n.a.deprecated {
            Some(note) => format!("deprecated by Okta: {note}"),
            None => "no longer deprecated".to_owned(),
        };
        out.push(
            Kind::ActionDeprecated { now },
            scope.clone(),
            call.clone(),
            what,
            None,
        );
    }
    if o.a.http_method != n.a.http_method {
        wire(
            out,
            Kind::HttpMethodChanged,
            format!("HTTP method `{}` -> `{}`", o.a.http_method, n.a.http_method),
        );
    }
    if o.a.path != n.a.path {
        wire(
            out,
            Kind::PathChanged,
            format!("path `{}` -> `{}`", o.a.path, n.a.path),
        );
    }
    if o.a.fixed_query != n.a.fixed_query {
        let show = |q: &[(String, String)]| {
            if q.is_empty() {
                "none".to_owned()
            } else {
                q.iter()
                    .map(|(k, v)| format!("`{k}={v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        wire(
            out,
            Kind::FixedQueryChanged,
            format!(
                "fixed query {} -> {}",
                show(&o.a.fixed_query),
                show(&n.a.fixed_query)
            ),
        );
    }
    if o.a.success_status != n.a.success_status {
        wire(
            out,
            Kind::SuccessStatusChanged,
            format!(
                "success status {} -> {}",
                o.a.success_status, n.a.success_status
            ),
        );
    }
    if o.a.operation_name != n.a.operation_name {
        wire(
            out,
            Kind::OperationIdChanged,
            format!(
                "operation `{}` -> `{}` (as errors, tracing spans and the rate limiter name it)",
                o.a.operation_name, n.a.operation_name
            ),
        );
    }
    compare_response(out, o, n);
    compare_slots(out, o, n);
    compare_body_encoding(out, o, n);
    compare_transport(out, o, n);

    // Deprecated aliases.
    let old_aliases: BTreeSet<&str> = o.a.previous_names.iter().map(String::as_str).collect();
    let new_aliases: BTreeSet<&str> = n.a.previous_names.iter().map(String::as_str).collect();
    for gone in old_aliases.difference(&new_aliases) {
        out.push(
            Kind::AliasRemoved,
            scope.clone(),
            format!("client.{}().{gone}(..)", o.acc),
            format!("deprecated alias `{gone}` of `{}` removed", n.a.method_name),
            Some(format!("call `{}`", n.signature())),
        );
    }
    for added in new_aliases.difference(&old_aliases) {
        let was_method = old_actions.contains_key(&(n.acc, *added));
        if renamed_from.contains(&(n.acc, *added)) || was_method {
            continue;
        }
        out.push(
            Kind::AliasAdded,
            scope.clone(),
            format!("client.{}().{added}(..)", n.acc),
            format!("deprecated alias `{added}` of `{}` added", n.a.method_name),
            None,
        );
    }
}

fn compare_response(out: &mut Out, o: At, n: At) {
    let (or, nr) = (&o.a.response, &n.a.response);
    if or == nr {
        return;
    }
    let send = format!("{}.send()", n.call());
    let (ot, nt) = (response_ty(or), response_ty(nr));
    let (op, np) = (
        matches!(or, ResponseDef::Page { .. }),
        matches!(nr, ResponseDef::Page { .. }),
    );
    if op != np {
        let (what, instead) = if np {
            (
                format!("now paged: `send()` returns `{nt}` (was `{ot}`), and `stream()` walks every page"),
                "use `.stream()` for every item, or `.send().await?.into_items()` for the first page".to_owned(),
            )
        } else {
            (
                format!(
                    "no longer paged: `send()` returns `{nt}` (was `{ot}`), and `stream()` is gone"
                ),
                "use the `Vec` that `.send().await?` returns".to_owned(),
            )
        };
        out.push(Kind::PagingChanged, n.scope(), send, what, Some(instead));
        return;
    }
    let same = ot == nt;
    let what = if same {
        format!(
            "response {} -> {} (`send()` still returns `{nt}`)",
            response_manifest(or),
            response_manifest(nr)
        )
    } else {
        format!(
            "response {} -> {}: `send()` returns `{nt}` (was `{ot}`)",
            response_manifest(or),
            response_manifest(nr)
        )
    };
    out.push(
        Kind::ResponseChanged {
            rust_type_same: same,
        },
        n.scope(),
        send,
        what,
        Some(format!("handle a `{nt}` where the code expected a `{ot}`")),
    );
}

/// A value the builder holds: a parameter or the body, as an argument or a setter.
#[derive(Debug, Clone)]
struct Slot {
    /// `path`, `query`, `header` or `body`.
    loc: &'static str,
    wire: String,
    rust: String,
    arg: String,
    manifest: String,
    required: bool,
}

fn slots(a: &ActionDef) -> Vec<Slot> {
    let param = |loc: &'static str, p: &Param| Slot {
        loc,
        wire: p.wire_name.clone(),
        rust: p.rust_name.clone(),
        arg: arg_ty(&p.ty),
        manifest: p.ty.to_string(),
        required: p.required,
    };
    let mut out: Vec<Slot> = Vec::new();
    out.extend(a.path_params.iter().map(|p| param("path", p)));
    out.extend(a.query_params.iter().map(|p| param("query", p)));
    out.extend(a.header_params.iter().map(|p| param("header", p)));
    if let Some(b) = &a.body {
        let (arg, manifest) = match b {
            BodyDef::Json { ty, .. } => (rust_ty(ty), format!("JSON `{ty}`")),
            BodyDef::Multipart { .. } => ("crate::FilePart".to_owned(), "a multipart file".into()),
            BodyDef::Raw { .. } => ("crate::RawBody".to_owned(), "raw bytes".into()),
            // Its media type is the body's encoding (`compare_body_encoding`).
            BodyDef::Text { .. } => ("impl Into<String>".to_owned(), "text".into()),
        };
        out.push(Slot {
            loc: "body",
            wire: "body".into(),
            rust: b.arg_name().to_owned(),
            arg,
            manifest,
            required: b.required(),
        });
    }
    out
}

fn describe(s: &Slot) -> String {
    if s.loc == "body" {
        format!("body ({})", s.manifest)
    } else {
        format!("{} param `{}`", s.loc, s.wire)
    }
}

fn compare_slots(out: &mut Out, o: At, n: At) {
    let (os, ns) = (slots(o.a), slots(n.a));
    let scope = n.scope();
    let call = n.call();
    let setter = |s: &Slot| format!("{}.{}(..)", n.call(), s.rust);
    let old_setter = |s: &Slot| format!("{}.{}(..)", n.call(), s.rust);

    // Match by place and wire name, then what is left by Rust name.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut new_left: BTreeSet<usize> = (0..ns.len()).collect();
    let mut old_left: Vec<usize> = Vec::new();
    for (i, s) in os.iter().enumerate() {
        match ns
            .iter()
            .position(|t| t.loc == s.loc && t.wire == s.wire)
            .filter(|j| new_left.contains(j))
        {
            Some(j) => {
                new_left.remove(&j);
                pairs.push((i, j));
            }
            None => old_left.push(i),
        }
    }
    let mut removed = Vec::new();
    for i in old_left {
        let s = &os[i];
        match new_left.iter().copied().find(|&j| ns[j].rust == s.rust) {
            Some(j) => {
                new_left.remove(&j);
                out.push(
                    Kind::ParamWireNameChanged,
                    scope.clone(),
                    if s.required {
                        call.clone()
                    } else {
                        setter(&ns[j])
                    },
                    format!("{} is now sent as {}", describe(s), describe(&ns[j])),
                    None,
                );
                pairs.push((i, j));
            }
            None => removed.push(i),
        }
    }
    for i in removed {
        let s = &os[i];
        let (item, what, instead) = if s.required {
            (
                call.clone(),
                format!("{} removed: argument `{}` is gone", describe(s), s.rust),
                format!("drop the argument: `{}`", n.signature()),
            )
        } else {
            (
                old_setter(s),
                format!("{} removed: setter `.{}(..)` is gone", describe(s), s.rust),
                format!("drop the `.{}(..)` call", s.rust),
            )
        };
        out.push(
            Kind::ParamRemoved {
                required: s.required,
            },
            scope.clone(),
            item,
            what,
            Some(instead),
        );
    }
    for &j in &new_left {
        let s = &ns[j];
        if s.required {
            out.push(
                Kind::ParamAdded { required: true },
                scope.clone(),
                call.clone(),
                format!(
                    "required {} added: a new argument `{}: {}`",
                    describe(s),
                    s.rust,
                    s.arg
                ),
                Some(format!("pass it: `{}`", n.signature())),
            );
        } else {
            out.push(
                Kind::ParamAdded { required: false },
                scope.clone(),
                setter(s),
                format!(
                    "optional {} added: setter `.{}({})`",
                    describe(s),
                    s.rust,
                    s.arg
                ),
                None,
            );
        }
    }
    for &(i, j) in &pairs {
        let (a, b) = (&os[i], &ns[j]);
        if a.required != b.required {
            let (what, instead) = if b.required {
                (
                    format!(
                        "{} is now required: argument `{}`, no longer setter `.{}(..)`",
                        describe(b),
                        b.rust,
                        a.rust
                    ),
                    format!("pass it as an argument: `{}`", n.signature()),
                )
            } else {
                (
                    format!(
                        "{} is now optional: setter `.{}(..)`, no longer an argument",
                        describe(b),
                        b.rust
                    ),
                    format!("`{}` then `.{}(value)`", n.signature(), b.rust),
                )
            };
            out.push(
                Kind::ParamRequiredChanged,
                scope.clone(),
                call.clone(),
                what,
                Some(instead),
            );
        } else if a.rust != b.rust && !b.required {
            out.push(
                Kind::SetterRenamed,
                scope.clone(),
                setter(a),
                format!(
                    "setter of {} renamed `.{}(..)` -> `.{}(..)`",
                    describe(b),
                    a.rust,
                    b.rust
                ),
                Some(format!("call `.{}(..)`", b.rust)),
            );
        }
        if a.arg != b.arg {
            out.push(
                Kind::ParamTypeChanged {
                    rust_type_same: false,
                },
                scope.clone(),
                if b.required { call.clone() } else { setter(b) },
                format!(
                    "{} type {} -> {}: takes `{}` (was `{}`)",
                    describe(b),
                    a.manifest,
                    b.manifest,
                    b.arg,
                    a.arg
                ),
                Some(format!("pass a value of type `{}`", b.arg)),
            );
        } else if a.manifest != b.manifest {
            out.push(
                Kind::ParamTypeChanged {
                    rust_type_same: true,
                },
                scope.clone(),
                if b.required { call.clone() } else { setter(b) },
                format!(
                    "{} type {} -> {} (still takes `{}`)",
                    describe(b),
                    a.manifest,
                    b.manifest,
                    b.arg
                ),
                None,
            );
        }
    }
    // Arguments that stay arguments, in another order.
    let mut kept: Vec<(usize, usize)> = pairs
        .iter()
        .copied()
        .filter(|&(i, j)| os[i].required && ns[j].required)
        .collect();
    kept.sort_by_key(|&(i, _)| i);
    let old_order: Vec<usize> = kept.iter().map(|&(_, j)| j).collect();
    let mut new_order = old_order.clone();
    new_order.sort();
    if old_order != new_order {
        let names = |v: &[usize]| {
            v.iter()
                .map(|&j| ns[j].rust.clone())
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push(
            Kind::ArgumentsReordered,
            scope.clone(),
            call.clone(),
            format!(
                "arguments reordered: ({}) -> ({})",
                names(&old_order),
                names(&new_order)
            ),
            Some(format!("pass them in the new order: `{}`", n.signature())),
        );
    }
}

fn compare_body_encoding(out: &mut Out, o: At, n: At) {
    let what = match (&o.a.body, &n.a.body) {
        (
            Some(BodyDef::Raw {
                content_types: a, ..
            }),
            Some(BodyDef::Raw {
                content_types: b, ..
            }),
        ) if a != b => format!(
            "raw body media types [{}] -> [{}]",
            a.join(", "),
            b.join(", ")
        ),
        (Some(BodyDef::Multipart { part: a, .. }), Some(BodyDef::Multipart { part: b, .. }))
            if a != b =>
        {
            format!("multipart file part `{a}` -> `{b}`")
        }
        (Some(BodyDef::Text { media_type: a, .. }), Some(BodyDef::Text { media_type: b, .. }))
            if a != b =>
        {
            format!("text body sent as `{a}` -> `{b}`")
        }
        (
            Some(BodyDef::Json {
                ty: ta,
                via_families: a,
                ..
            }),
            Some(BodyDef::Json {
                ty: tb,
                via_families: b,
                ..
            }),
        ) if ta == tb && a != b => {
            let show = |v: &[(String, String)]| {
                if v.is_empty() {
                    "as it is".to_owned()
                } else {
                    v.iter()
                        .map(|(f, _)| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join(" in ")
                }
            };
            format!(
                "body sent {} -> through {} (which sets the discriminator)",
                show(a),
                show(b)
            )
        }
        _ => return,
    };
    out.push(Kind::BodyEncodingChanged, n.scope(), n.call(), what, None);
}

/// The host an action is sent to, the credentials it takes, and the media types its response
/// comes in besides JSON.
fn compare_transport(out: &mut Out, o: At, n: At) {
    let host = |a: &ActionDef| match &a.host_prefix {
        Some(prefix) => format!("the org's host with `{prefix}.` in front"),
        None => "the org URL".to_owned(),
    };
    if o.a.host_prefix != n.a.host_prefix {
        out.push(
            Kind::HostChanged,
            n.scope(),
            n.call(),
            format!("sent to {} -> {}", host(o.a), host(n.a)),
            None,
        );
    }
    if o.a.auth != n.a.auth {
        // The client kinds that can call it: every kind when it takes no credentials.
        let callers = |a: &ActionDef| -> BTreeSet<AuthKind> {
            if a.auth.is_empty() {
                DEFAULT_AUTH.into_iter().collect()
            } else {
                a.auth.iter().copied().collect()
            }
        };
        let (was, now) = (callers(o.a), callers(n.a));
        let show = |a: &ActionDef| {
            if a.auth.is_empty() {
                "none (no `Authorization` sent)".to_owned()
            } else {
                let kinds: Vec<String> = a.auth.iter().map(|k| format!("`{}`", k.name())).collect();
                kinds.join(", ")
            }
        };
        let what = format!("credentials taken: {} -> {}", show(o.a), show(n.a));
        let lost: Vec<&str> = was.difference(&now).map(|k| k.name()).collect();
        let (kind, instead) = if !lost.is_empty() {
            let hint = format!(
                "call it with a client built with {} credentials (a client with `{}` now gets `Error::Config`)",
                now.iter().map(|k| format!("`{}`", k.name())).collect::<Vec<_>>().join(" or "),
                lost.join("` or `")
            );
            (Kind::AuthNarrowed, Some(hint))
        } else if o.a.auth.is_empty() != n.a.auth.is_empty() {
            (Kind::AuthSentChanged, None)
        } else {
            (Kind::AuthWidened, None)
        };
        out.push(kind, n.scope(), n.call(), what, instead);
    }
    let media = |a: &ActionDef| -> BTreeMap<String, String> {
        a.text_alternatives
            .iter()
            .map(|t| (t.media_type.clone(), t.method_name.clone()))
            .collect()
    };
    let (was, now) = (media(o.a), media(n.a));
    for (gone, method) in was.iter().filter(|(m, _)| !now.contains_key(*m)) {
        out.push(
            Kind::TextAlternativeRemoved,
            n.scope(),
            format!("{}.{method}()", n.call()),
            format!("the response is no longer asked for as `{gone}`: `.{method}()` is gone"),
            Some("call `.send()` for the JSON response".to_owned()),
        );
    }
    for (added, method) in now.iter().filter(|(m, _)| !was.contains_key(*m)) {
        out.push(
            Kind::TextAlternativeAdded,
            n.scope(),
            format!("{}.{method}()", n.call()),
            format!("the response as `{added}`, as text: `.{method}()`"),
            None,
        );
    }
}

// --------------------------------------------------------------------------- models

fn kind_name(k: &ModelKind) -> &'static str {
    match k {
        ModelKind::Object { .. } => "struct",
        ModelKind::Enum { .. } => "string enum",
        ModelKind::Map { .. } => "map alias",
        ModelKind::Family { .. } => "family enum",
        ModelKind::Union { .. } => "union enum",
    }
}

fn models(out: &mut Out, old: &Api, new: &Api) {
    let o: BTreeMap<&str, &ModelDef> = old.models.iter().map(|m| (m.name.as_str(), m)).collect();
    let n: BTreeMap<&str, &ModelDef> = new.models.iter().map(|m| (m.name.as_str(), m)).collect();
    for (name, m) in &o {
        let scope = Scope::Model(name.to_string());
        let Some(nm) = n.get(name) else {
            out.push(
                Kind::ModelRemoved,
                scope,
                format!("models::{name}"),
                format!("{} `models::{name}` removed", kind_name(&m.kind)),
                Some("no generated replacement: read the value as `serde_json::Value`".to_owned()),
            );
            continue;
        };
        compare_model(out, m, nm);
    }
    for (name, m) in n.iter().filter(|(k, _)| !o.contains_key(*k)) {
        out.push(
            Kind::ModelAdded,
            Scope::Model(name.to_string()),
            format!("models::{name}"),
            format!("{} `models::{name}` added", kind_name(&m.kind)),
            None,
        );
    }
}

fn compare_model(out: &mut Out, o: &ModelDef, n: &ModelDef) {
    let name = &n.name;
    let scope = Scope::Model(name.clone());
    let item = format!("models::{name}");
    // Cargo features: an empty set means always compiled.
    let narrowed = if o.categories.is_empty() {
        !n.categories.is_empty()
    } else {
        !n.categories.is_empty() && !o.categories.is_subset(&n.categories)
    };
    if narrowed {
        let show = |s: &BTreeSet<String>| {
            if s.is_empty() {
                "always".to_owned()
            } else {
                s.iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        out.push(
            Kind::ModelFeaturesNarrowed,
            scope.clone(),
            item.clone(),
            format!(
                "compiled with feature {} only (was {})",
                show(&n.categories),
                show(&o.categories)
            ),
            Some(format!(
                "enable one of the features {}",
                show(&n.categories)
            )),
        );
    }
    match (&o.kind, &n.kind) {
        (ModelKind::Object { fields: a }, ModelKind::Object { fields: b }) => {
            compare_fields(out, &scope, name, a, b);
        }
        (ModelKind::Enum { variants: a }, ModelKind::Enum { variants: b }) => {
            let av: BTreeMap<&str, &str> = a
                .iter()
                .map(|v| (v.value.as_str(), v.ident.as_str()))
                .collect();
            let bv: BTreeMap<&str, &str> = b
                .iter()
                .map(|v| (v.value.as_str(), v.ident.as_str()))
                .collect();
            for (value, ident) in av.iter().filter(|(v, _)| !bv.contains_key(*v)) {
                out.push(
                    Kind::EnumValueRemoved,
                    scope.clone(),
                    format!("models::{name}::{ident}"),
                    format!("value `{value}` removed: `{ident}` is gone, the value now decodes as `Unrecognized(\"{value}\")`"),
                    Some(format!("match `{name}::Unrecognized(v) if v == \"{value}\"`")),
                );
            }
            // The values both have, in each one's order: `derive(PartialOrd, Ord)` follows it.
            let kept_a: Vec<&str> = a
                .iter()
                .map(|v| v.value.as_str())
                .filter(|v| bv.contains_key(v))
                .collect();
            let kept_b: Vec<&str> = b
                .iter()
                .map(|v| v.value.as_str())
                .filter(|v| av.contains_key(v))
                .collect();
            if kept_a != kept_b {
                out.push(
                    Kind::EnumValuesReordered,
                    scope.clone(),
                    format!("models::{name}"),
                    format!(
                        "values reordered ({} -> {}): `{name}` derives `PartialOrd` and `Ord` from the order, so comparisons and sorting change",
                        kept_a.join(", "),
                        kept_b.join(", ")
                    ),
                    Some(format!("compare `{name}` values explicitly where the order matters")),
                );
            }
            for (value, ident) in bv.iter().filter(|(v, _)| !av.contains_key(*v)) {
                out.push(
                    Kind::EnumValueAdded,
                    scope.clone(),
                    format!("models::{name}::{ident}"),
                    format!("value `{value}` added: variant `{ident}`, which used to arrive as `Unrecognized(\"{value}\")`"),
                    Some(format!("add a `{name}::{ident}` arm to exhaustive matches (and move any `Unrecognized(\"{value}\")` handling there)")),
                );
            }
        }
        (ModelKind::Map { value: a }, ModelKind::Map { value: b }) if a != b => {
            let same = rust_ty(a) == rust_ty(b);
            out.push(
                Kind::MapValueChanged {
                    rust_type_same: same,
                },
                scope,
                item,
                format!(
                    "map values `{a}` -> `{b}` (`BTreeMap<String, {}>`)",
                    rust_ty(b)
                ),
                Some(format!("use `BTreeMap<String, {}>`", rust_ty(b))),
            );
        }
        (ModelKind::Map { .. }, ModelKind::Map { .. }) => {}
        (
            ModelKind::Family {
                discriminator: da,
                variants: va,
                base_fields: fa,
                ..
            },
            ModelKind::Family {
                discriminator: db,
                variants: vb,
                base_name: bb,
                base_fields: fb,
            },
        ) => {
            if da != db {
                out.push(
                    Kind::FamilyDispatchChanged,
                    scope.clone(),
                    item.clone(),
                    format!("discriminator `{da}` -> `{db}`: values decode into other variants"),
                    Some("check the code that matches on the variants".to_owned()),
                );
            }
            let am: BTreeMap<&str, _> = va.iter().map(|v| (v.model.as_str(), v)).collect();
            let bm: BTreeMap<&str, _> = vb.iter().map(|v| (v.model.as_str(), v)).collect();
            for (model, v) in &am {
                match bm.get(model) {
                    None => out.push(
                        Kind::FamilyVariantRemoved,
                        scope.clone(),
                        format!("models::{name}::{}", v.ident),
                        format!(
                            "variant `{}` (`{model}`) removed: its values now decode as `Other`",
                            v.ident
                        ),
                        Some(format!(
                            "match `{name}::Other(..)` for {}",
                            v.values
                                .iter()
                                .map(|x| format!("`{x}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    ),
                    Some(w) if w.values != v.values => out.push(
                        Kind::FamilyDispatchChanged,
                        scope.clone(),
                        format!("models::{name}::{}", w.ident),
                        format!(
                            "variant `{}` is picked by {} (was {})",
                            w.ident,
                            w.values
                                .iter()
                                .map(|x| format!("`{x}`"))
                                .collect::<Vec<_>>()
                                .join(", "),
                            v.values
                                .iter()
                                .map(|x| format!("`{x}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        Some("check the code that matches on the variants".to_owned()),
                    ),
                    Some(_) => {}
                }
            }
            for (model, v) in bm.iter().filter(|(m, _)| !am.contains_key(*m)) {
                out.push(
                    Kind::FamilyVariantAdded,
                    scope.clone(),
                    format!("models::{name}::{}", v.ident),
                    format!(
                        "variant `{}` (`{model}`) added for {}, values that used to arrive as `Other`",
                        v.ident,
                        v.values.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ")
                    ),
                    Some(format!("add a `{name}::{}` arm to exhaustive matches", v.ident)),
                );
            }
            // The fallback struct.
            compare_fields(out, &scope, bb, fa, fb);
        }
        (
            ModelKind::Union {
                branches: ba,
                discriminator: da,
            },
            ModelKind::Union {
                branches: bb,
                discriminator: db,
            },
        ) => compare_union(out, &scope, name, (ba, da), (bb, db)),
        (a, b) => {
            out.push(
                Kind::ModelKindChanged,
                scope,
                item,
                format!(
                    "`models::{name}` is now a {} (was a {})",
                    kind_name(b),
                    kind_name(a)
                ),
                Some(format!("use `models::{name}` as a {}", kind_name(b))),
            );
        }
    }
}

/// A union's branches, by variant (a branch's variant is derived from its type, so a branch of
/// another type is another variant), and what picks them.
fn compare_union(
    out: &mut Out,
    scope: &Scope,
    name: &str,
    (a, da): (&[UnionBranch], &Option<String>),
    (b, db): (&[UnionBranch], &Option<String>),
) {
    let item = format!("models::{name}");
    let show_disc = |d: &Option<String>| match d {
        Some(d) => format!("`{d}`"),
        None => "none (the first branch that decodes)".to_owned(),
    };
    let values = |v: &UnionBranch| {
        v.values
            .iter()
            .map(|x| format!("`{x}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if da != db {
        out.push(
            Kind::UnionDispatchChanged,
            scope.clone(),
            item.clone(),
            format!(
                "discriminator {} -> {}: values may decode into other branches",
                show_disc(da),
                show_disc(db)
            ),
            None,
        );
    }
    let am: BTreeMap<&str, &UnionBranch> = a.iter().map(|v| (v.ident.as_str(), v)).collect();
    let bm: BTreeMap<&str, &UnionBranch> = b.iter().map(|v| (v.ident.as_str(), v)).collect();
    for (ident, v) in &am {
        match bm.get(ident) {
            None => out.push(
                Kind::UnionBranchRemoved,
                scope.clone(),
                format!("{item}::{ident}"),
                format!(
                    "branch `{ident}` (`{}`) removed, with `{}`: its values now decode as another branch or `Other`",
                    v.ty, v.accessor
                ),
                Some(format!(
                    "match `{name}::Other(..)` (the JSON as sent) where `{name}::{ident}` was"
                )),
            ),
            Some(w) if da.is_some() && db.is_some() && w.values != v.values => out.push(
                Kind::UnionDispatchChanged,
                scope.clone(),
                format!("{item}::{ident}"),
                format!(
                    "branch `{ident}` is picked by {} (was {})",
                    values(w),
                    values(v)
                ),
                None,
            ),
            Some(_) => {}
        }
    }
    for (ident, v) in bm.iter().filter(|(i, _)| !am.contains_key(*i)) {
        let what = match db {
            Some(d) => format!(
                "branch `{ident}` (`{}`) added for `{d}` {}: values that used to arrive as `Other`",
                v.ty,
                values(v)
            ),
            None => format!(
                "branch `{ident}` (`{}`) added: values it decodes used to arrive as `Other` or as a branch after it",
                v.ty
            ),
        };
        out.push(
            Kind::UnionBranchAdded,
            scope.clone(),
            format!("{item}::{ident}"),
            what,
            None,
        );
    }
    // The branches both have, in each one's order: a value without a discriminator is the
    // first that decodes it.
    let kept_a: Vec<&str> = a
        .iter()
        .map(|v| v.ident.as_str())
        .filter(|i| bm.contains_key(i))
        .collect();
    let kept_b: Vec<&str> = b
        .iter()
        .map(|v| v.ident.as_str())
        .filter(|i| am.contains_key(i))
        .collect();
    if kept_a != kept_b {
        out.push(
            Kind::UnionDispatchChanged,
            scope.clone(),
            item,
            format!(
                "branches reordered ({} -> {}): a value several of them decode (without a discriminator) arrives as the first in the new order",
                kept_a.join(", "),
                kept_b.join(", ")
            ),
            None,
        );
    }
}

fn compare_fields(out: &mut Out, scope: &Scope, strukt: &str, a: &[FieldDef], b: &[FieldDef]) {
    let defaults = b.iter().all(|f| !f.required);
    let field_item = |f: &FieldDef| format!("models::{strukt}::{}", f.rust_name);
    let mut left_b: BTreeSet<usize> = (0..b.len()).collect();
    let mut pairs = Vec::new();
    let mut left_a = Vec::new();
    for (i, f) in a.iter().enumerate() {
        match b.iter().position(|g| g.json_name == f.json_name) {
            Some(j) => {
                left_b.remove(&j);
                pairs.push((i, j));
            }
            None => left_a.push(i),
        }
    }
    for i in left_a {
        let f = &a[i];
        if let Some(j) = left_b
            .iter()
            .copied()
            .find(|&j| b[j].rust_name == f.rust_name)
        {
            left_b.remove(&j);
            out.push(
                Kind::FieldJsonNameChanged,
                scope.clone(),
                field_item(f),
                format!("JSON name `{}` -> `{}`", f.json_name, b[j].json_name),
                None,
            );
            pairs.push((i, j));
            continue;
        }
        out.push(
            Kind::FieldRemoved,
            scope.clone(),
            field_item(f),
            format!(
                "field `{}` (`{}`, JSON `{}`) removed",
                f.rust_name,
                field_ty(f),
                f.json_name
            ),
            Some(format!(
                "read `{strukt}::{}[\"{}\"]` (unknown fields are kept there)",
                names::EXTRA_FIELD,
                f.json_name
            )),
        );
    }
    for &j in &left_b {
        let f = &b[j];
        let instead = if f.required {
            format!(
                "add `{}: ..` to struct literals and patterns of `{strukt}` (it is required: decoding fails without `{}`)",
                f.rust_name, f.json_name
            )
        } else if defaults {
            format!(
                "add `{}: None` to struct literals of `{strukt}` that list every field (or end them with `..Default::default()`), and `..` to patterns",
                f.rust_name
            )
        } else {
            format!(
                "add `{}: None` to struct literals of `{strukt}`, and `..` to patterns",
                f.rust_name
            )
        };
        out.push(
            Kind::FieldAdded {
                required: f.required,
            },
            scope.clone(),
            field_item(f),
            format!(
                "{} field `{}: {}` (JSON `{}`) added",
                if f.required { "required" } else { "optional" },
                f.rust_name,
                field_ty(f),
                f.json_name
            ),
            Some(instead),
        );
    }
    for (i, j) in pairs {
        let (f, g) = (&a[i], &b[j]);
        if f.rust_name != g.rust_name {
            out.push(
                Kind::FieldRenamed,
                scope.clone(),
                field_item(f),
                format!(
                    "field `{}` renamed `{}` (JSON `{}`)",
                    f.rust_name, g.rust_name, g.json_name
                ),
                Some(format!("use `.{}`", g.rust_name)),
            );
        }
        if f.required != g.required {
            out.push(
                Kind::FieldRequiredChanged,
                scope.clone(),
                field_item(g),
                format!(
                    "field `{}` is now {}: `{}` (was `{}`)",
                    g.rust_name,
                    if g.required { "required" } else { "optional" },
                    field_ty(g),
                    field_ty(f)
                ),
                Some(if g.required {
                    format!("drop the `Some(..)` around `{}`", g.rust_name)
                } else {
                    format!("wrap `{}` in `Some(..)` and handle `None`", g.rust_name)
                }),
            );
        } else if field_ty(f) != field_ty(g) {
            out.push(
                Kind::FieldTypeChanged {
                    rust_type_same: false,
                },
                scope.clone(),
                field_item(g),
                if f.ty == g.ty {
                    format!(
                        "field `{}` is {} boxed: `{}` (was `{}`)",
                        g.rust_name,
                        if g.boxed { "now" } else { "no longer" },
                        field_ty(g),
                        field_ty(f)
                    )
                } else {
                    format!(
                        "field `{}` type `{}` -> `{}`: `{}` (was `{}`)",
                        g.rust_name,
                        f.ty,
                        g.ty,
                        field_ty(g),
                        field_ty(f)
                    )
                },
                Some(format!("give and read the field as `{}`", field_ty(g))),
            );
        } else if f.ty != g.ty {
            out.push(
                Kind::FieldTypeChanged {
                    rust_type_same: true,
                },
                scope.clone(),
                field_item(g),
                format!(
                    "field `{}` type `{}` -> `{}` (still `{}`)",
                    g.rust_name,
                    f.ty,
                    g.ty,
                    field_ty(g)
                ),
                None,
            );
        }
    }
}
