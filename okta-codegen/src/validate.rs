//! Stage 2: validate. Every check over the loaded manifest, collecting all problems with the
//! file and line they come from. Only a manifest with no problem is lowered into the IR.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir;
use crate::manifest::{self, AuthKind, BodyContent, Manifest, SourceFile};
use crate::names::{
    self, is_plain_ident, API_FILE_NAMES, BUILDER_NAMES, CLIENT_HEADERS, EXTRA_FIELD,
    FORWARDED_HEADERS, MAX_PARENT_DEPTH, PRELUDE_NAMES,
};
use crate::types::Type;

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
/// Aspects a field's `spec_overrides` entry may name: `required` (Okta's spec requires the
/// field; the manifest does not) and `type` (the manifest types the field otherwise than Okta's
/// spec, because Okta's answers have another shape than its schema says).
pub const FIELD_OVERRIDE_ASPECTS: &[&str] = &[
    manifest::FIELD_OVERRIDE_REQUIRED,
    manifest::FIELD_OVERRIDE_TYPE,
];
/// Aspects a `spec_overrides` entry may name (what `verify-spec` compares).
pub const OVERRIDE_ASPECTS: &[&str] = &[
    "method",
    "path",
    "path_params",
    "query_params",
    "header_params",
    "body",
    "response",
    "status",
    "paginated",
    "operation_id",
    "operation",
    "host_prefix",
    "auth",
    "scopes",
];

struct Ctx<'a> {
    diags: Diagnostics,
    models: BTreeMap<&'a str, (&'a manifest::Model, &'a SourceFile)>,
}

impl Ctx<'_> {
    fn err(&mut self, file: &SourceFile, line: Option<usize>, msg: String) {
        self.diags.push(Diagnostic::new(
            file.path.clone(),
            line.map(|l| (l, None)),
            msg,
        ));
    }
}

pub fn validate(m: &Manifest) -> Result<(), Diagnostics> {
    let mut cx = Ctx {
        diags: Diagnostics::default(),
        models: BTreeMap::new(),
    };

    // Models: unique across files.
    let mut group_names: BTreeMap<String, &SourceFile> = BTreeMap::new();
    for file in &m.model_files {
        let group = file.source.file_stem();
        match names::model_module(&group) {
            Ok(module) => {
                if group_names.insert(module.clone(), &file.source).is_some() {
                    cx.err(&file.source, None, format!("model file name `{group}` gives module `{module}`, as another model file does"));
                }
            }
            Err(msg) => cx.err(&file.source, None, msg),
        }
        for (name, model) in &file.value.models {
            if let Some((_, other)) = cx.models.insert(name, (model, &file.source)) {
                let msg = format!(
                    "model `{name}` is defined twice (also in {})",
                    other.path.display()
                );
                cx.err(&file.source, file.source.model_line(name), msg);
            }
        }
    }
    let models: Vec<_> = cx.models.iter().map(|(k, v)| (*k, *v)).collect();
    for (name, (model, file)) in &models {
        check_model(&mut cx, name, model, file);
    }
    check_cycles(&mut cx);

    // Categories and actions.
    let mut accessors: BTreeMap<String, String> = BTreeMap::new();
    let mut operation_names: BTreeMap<String, String> = BTreeMap::new();
    for file in &m.categories {
        let src = &file.source;
        let cat = &file.value;
        let accessor = match names::accessor_name(cat) {
            Ok(accessor) => accessor,
            Err(msg) => {
                cx.err(src, src.section_line("category"), msg);
                cat.category.clone()
            }
        };
        if let Some(other) = accessors.insert(accessor.clone(), cat.category.clone()) {
            cx.err(
                src,
                src.section_line("category"),
                format!(
                    "category `{}` has accessor `{accessor}`, as category `{other}` does",
                    cat.category
                ),
            );
        }
        if let Some(tag) = &cat.okta_tag {
            if let Err(msg) = names::check_okta_tag(tag) {
                cx.err(src, src.section_line("okta_tag"), msg);
            }
        }
        if cat.actions.is_empty() {
            cx.err(
                src,
                src.section_line("category"),
                format!("category `{}` has no actions", cat.category),
            );
        }
        let mut names = BTreeSet::new();
        let mut methods: BTreeMap<String, String> = BTreeMap::new();
        let api_struct = names::api_struct_name(&accessor);
        let mut generated: BTreeMap<String, String> = BTreeMap::new();
        for action in &cat.actions {
            let line = src.action_line(&action.name);
            if !names.insert(action.name.clone()) {
                cx.err(
                    src,
                    line,
                    format!(
                        "action name `{}` is used twice in category `{}`",
                        action.name, cat.category
                    ),
                );
            }
            if let Ok(method) = names::method_name(action) {
                // Errors, spans and the rate limiter tell operations apart by this name.
                let operation = names::operation_name(action, &method);
                if let Some(other) = operation_names.insert(operation.clone(), action.name.clone())
                {
                    let what = if action.operation_id.is_some() {
                        "operation_id"
                    } else {
                        "operation name (its Rust method name, for want of an operation_id)"
                    };
                    cx.err(
                        src,
                        line,
                        format!(
                            "action `{}`: {what} `{operation}` is also used by `{other}`",
                            action.name
                        ),
                    );
                }
                if let Some(other) = methods.insert(method.clone(), action.name.clone()) {
                    cx.err(src, line, format!(
                        "action `{}`: Rust method `{method}` is also the name of `{other}` in category `{}` (set `rust_name`)",
                        action.name, cat.category
                    ));
                } else {
                    check_generated_names(
                        &mut cx,
                        src,
                        line,
                        &action.name,
                        &method,
                        &api_struct,
                        &mut generated,
                    );
                }
            }
            check_action(&mut cx, src, cat, action);
        }
        check_previous_names(
            &mut cx,
            src,
            &cat.actions,
            &methods,
            &api_struct,
            &generated,
        );
    }
    cx.diags.into_result(())
}

/// Every `previous_names` entry of a category's actions is a deprecated alias on the category
/// struct: a free identifier, named by no method and no other alias of the category. `methods`
/// maps each Rust method name of the category to its action. The request builder an old name
/// gave stays too, as a deprecated type alias: it must not take a name the file uses
/// (`generated`: the builders and statics of the category's actions).
fn check_previous_names(
    cx: &mut Ctx,
    src: &SourceFile,
    actions: &[manifest::Action],
    methods: &BTreeMap<String, String>,
    api_struct: &str,
    generated: &BTreeMap<String, String>,
) {
    let mut aliases: BTreeMap<&str, &str> = BTreeMap::new();
    let mut alias_builders: BTreeMap<String, &str> = BTreeMap::new();
    for action in actions.iter().filter(|a| !a.previous_names.is_empty()) {
        let Ok(method) = names::method_name(action) else {
            continue;
        };
        let line = src
            .action_line(&action.name)
            .map(|l| src.key_line(l, "previous_names").unwrap_or(l));
        for prev in &action.previous_names {
            let problem = if let Err(msg) = names::check_previous_name(prev, &method) {
                msg
            } else if let Some(other) = methods.get(prev) {
                format!("previous name `{prev}` is the Rust method of `{other}`")
            } else if let Some(other) = aliases.insert(prev, &action.name) {
                if other == action.name {
                    format!("previous name `{prev}` is listed twice")
                } else {
                    format!("previous name `{prev}` is also a previous name of `{other}`")
                }
            } else {
                let builder = names::builder_name(prev);
                if builder == names::builder_name(&method) {
                    continue;
                }
                if !is_plain_ident(&builder)
                    || builder == api_struct
                    || PRELUDE_NAMES.contains(&builder.as_str())
                    || API_FILE_NAMES.contains(&builder.as_str())
                    || generated.contains_key(&builder)
                {
                    format!("previous name `{prev}` gives request builder `{builder}`, a name the generated file already uses")
                } else if let Some(other) = alias_builders.insert(builder.clone(), prev) {
                    format!("previous names `{other}` and `{prev}` both give request builder `{builder}`")
                } else {
                    continue;
                }
            };
            cx.err(src, line, format!("action `{}`: {problem}", action.name));
        }
    }
}

/// The items an action's Rust method name gives (its request builder struct and its
/// `Operation` static) are identifiers, unique in the category's file, and shadow nothing the
/// file uses. `generated` maps each item name taken so far to the method that took it.
fn check_generated_names(
    cx: &mut Ctx,
    src: &SourceFile,
    line: Option<usize>,
    action: &str,
    method: &str,
    api_struct: &str,
    generated: &mut BTreeMap<String, String>,
) {
    let mut err = |msg: String| {
        cx.err(
            src,
            line,
            format!("action `{action}`: {msg} (set `rust_name`)"),
        )
    };
    for (what, name) in [
        ("request builder", names::builder_name(method)),
        ("operation static", names::static_name(method)),
    ] {
        if !is_plain_ident(&name) {
            err(format!(
                "Rust method `{method}` gives {what} `{name}`, which is not a Rust identifier"
            ));
        } else if name == api_struct
            || PRELUDE_NAMES.contains(&name.as_str())
            || API_FILE_NAMES.contains(&name.as_str())
        {
            err(format!(
                "Rust method `{method}` gives {what} `{name}`, a name the generated file already uses"
            ));
        } else if let Some(other) = generated.insert(name.clone(), method.to_owned()) {
            err(format!(
                "Rust methods `{other}` and `{method}` both give {what} `{name}`"
            ));
        }
    }
}

/// Every model `ty` names exists.
fn check_type(cx: &mut Ctx, file: &SourceFile, line: Option<usize>, what: &str, ty: &Type) {
    let mut refs = Vec::new();
    ty.models(&mut refs);
    for r in refs {
        if !cx.models.contains_key(r.as_str()) {
            cx.err(file, line, format!("{what}: unknown model `{r}`"));
        }
    }
}

/// The kinds a model's keys say it is (one, when it is well formed). `discriminator` belongs to
/// a family or to a union: it is the union's when the model has `one_of` or `mapping`.
fn model_kind(m: &manifest::Model) -> Vec<&'static str> {
    let mut kinds = Vec::new();
    if m.enum_values.is_some() {
        kinds.push("enum");
    }
    if m.map.is_some() {
        kinds.push("map");
    }
    let union = is_union(m);
    if union {
        kinds.push("union");
    }
    if m.fields.is_some()
        || m.parent.is_some()
        || m.variants.is_some()
        || (m.discriminator.is_some() && !union)
    {
        kinds.push("object");
    }
    kinds
}

fn is_union(m: &manifest::Model) -> bool {
    m.one_of.is_some() || m.mapping.is_some()
}

fn check_model(cx: &mut Ctx, name: &str, model: &manifest::Model, file: &SourceFile) {
    let line = file.model_line(name);
    if !names::is_model_name(name) {
        cx.err(
            file,
            line,
            format!("model name `{name}` must be an UpperCamelCase Rust identifier"),
        );
    } else if PRELUDE_NAMES.contains(&name) {
        cx.err(
            file,
            line,
            format!("model name `{name}` would shadow Rust's `{name}`, which the generated code uses (rename the model)"),
        );
    }
    let kinds = model_kind(model);
    match kinds.len() {
        0 => cx.err(
            file,
            line,
            format!(
                "model `{name}` has none of `fields`, `parent`, `enum`, `map`, `discriminator`, `one_of`"
            ),
        ),
        1 => {}
        _ => cx.err(
            file,
            line,
            format!(
                "model `{name}` mixes {}: a model is one kind",
                kinds.join(" and ")
            ),
        ),
    }
    if let Some(values) = &model.enum_values {
        if values.is_empty() {
            cx.err(file, line, format!("enum `{name}` has no values"));
        }
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for v in values {
            let ident = match names::enum_variant_ident(v) {
                Ok(ident) => ident,
                Err(msg) => {
                    cx.err(file, line, format!("enum `{name}`: {msg}"));
                    continue;
                }
            };
            if let Some(prev) = seen.insert(ident.clone(), v) {
                if prev == v {
                    cx.err(
                        file,
                        line,
                        format!("enum `{name}`: value `{v}` is listed twice"),
                    );
                } else {
                    cx.err(file, line, format!("enum `{name}`: values `{prev}` and `{v}` both become variant `{ident}`"));
                }
            }
        }
    }
    if let Some(value) = &model.map {
        check_type(cx, file, line, &format!("map `{name}`"), value);
    }
    if let Some(parent) = &model.parent {
        match cx.models.get(parent.as_str()) {
            None => cx.err(
                file,
                line,
                format!("model `{name}`: parent `{parent}` is not a model"),
            ),
            Some((p, _)) if p.enum_values.is_some() || p.map.is_some() || is_union(p) => cx.err(
                file,
                line,
                format!("model `{name}`: parent `{parent}` is not an object model"),
            ),
            Some(_) => {
                // Walk up to catch a cycle.
                let mut seen = BTreeSet::from([name.to_owned()]);
                let mut cur = parent.clone();
                loop {
                    if !seen.insert(cur.clone()) {
                        cx.err(
                            file,
                            line,
                            format!("model `{name}`: `parent` chain loops back through `{cur}`"),
                        );
                        break;
                    }
                    if seen.len() > MAX_PARENT_DEPTH {
                        cx.err(
                            file,
                            line,
                            format!("model `{name}`: `parent` chain is more than {MAX_PARENT_DEPTH} models long"),
                        );
                        break;
                    }
                    match cx
                        .models
                        .get(cur.as_str())
                        .and_then(|(m, _)| m.parent.clone())
                    {
                        Some(next) => cur = next,
                        None => break,
                    }
                }
            }
        }
    }
    // Fields: types, names, collisions after case conversion.
    let mut rust_names: BTreeMap<String, String> = BTreeMap::new();
    for (json, field) in model.fields.iter().flatten() {
        let fline = line.and_then(|l| file.key_line(l, json)).or(line);
        check_type(
            cx,
            file,
            fline,
            &format!("model `{name}`, field `{json}`"),
            &field.ty,
        );
        for (aspect, reason) in &field.spec_overrides {
            let what = format!("model `{name}`, field `{json}`: spec_overrides");
            if !FIELD_OVERRIDE_ASPECTS.contains(&aspect.as_str()) {
                cx.err(
                    file,
                    fline,
                    format!(
                        "{what}: unknown aspect `{aspect}` (a field takes {})",
                        FIELD_OVERRIDE_ASPECTS
                            .iter()
                            .map(|a| format!("`{a}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            } else if reason.trim().is_empty() {
                cx.err(file, fline, format!("{what}: `{aspect}` needs its reason"));
            } else if aspect == manifest::FIELD_OVERRIDE_REQUIRED && field.required {
                cx.err(file, fline, format!(
                    "{what}: `required` says the manifest does not require the field Okta's spec requires, but it is `required: true`"
                ));
            }
        }
        let rust = match names::field_rust_name(json, field) {
            Ok(rust) => rust,
            Err(msg) => {
                cx.err(file, fline, format!("model `{name}`: {msg}"));
                continue;
            }
        };
        if rust == EXTRA_FIELD {
            cx.err(file, fline, format!(
                "model `{name}`, field `{json}`: Rust name `{EXTRA_FIELD}` is reserved for unknown fields (set `rust_name`)"
            ));
        }
        if let Some(prev) = rust_names.insert(rust.clone(), json.clone()) {
            cx.err(file, fline, format!(
                "model `{name}`: fields `{prev}` and `{json}` both become `{rust}` (set `rust_name` on one)"
            ));
        }
    }
    if is_union(model) {
        check_union(cx, name, model, file);
        return;
    }
    // Families.
    match (&model.discriminator, &model.variants) {
        (Some(disc), Some(variants)) => {
            if variants.is_empty() {
                cx.err(file, line, format!("family `{name}` has no variants"));
            }
            let base = names::family_base_name(name);
            if cx.models.contains_key(base.as_str()) {
                cx.err(file, line, format!("family `{name}` needs the name `{base}` for its fallback struct, but a model has it"));
            }
            let mut idents: BTreeMap<String, String> = BTreeMap::new();
            for (value, variant) in variants {
                match cx.models.get(variant.as_str()) {
                    None => cx.err(file, line, format!("family `{name}`: value `{value}` names `{variant}`, which is not a model")),
                    Some((v, _)) if v.parent.as_deref() != Some(name) => cx.err(file, line, format!(
                        "family `{name}`: variant `{variant}` (value `{value}`) must have `parent: {name}`"
                    )),
                    Some(_) => {}
                }
                let ident = names::family_variant_ident(name, variant);
                if ident == names::OTHER_VARIANT {
                    cx.err(file, line, format!(
                        "family `{name}`: variant `{variant}` would be `{ident}`, which holds the values of discriminators without a variant (rename the model)"
                    ));
                } else if let Some(prev) = idents.insert(ident.clone(), variant.clone()) {
                    if prev != *variant {
                        cx.err(file, line, format!("family `{name}`: variants `{prev}` and `{variant}` both become `{ident}`"));
                    }
                }
            }
            if disc.is_empty() {
                cx.err(file, line, format!("family `{name}`: empty discriminator"));
            }
        }
        (Some(_), None) => cx.err(
            file,
            line,
            format!("family `{name}` has a `discriminator` but no `variants`"),
        ),
        (None, Some(_)) => cx.err(
            file,
            line,
            format!("model `{name}` has `variants` but no `discriminator`"),
        ),
        (None, None) => {}
    }
}

/// A union (`one_of`): at least two branches, each listed once, each giving a variant, an
/// accessor and a Rust type of its own; without a discriminator, a branch that takes every value
/// comes last; with one, every branch is an object model and `mapping` names only branches.
fn check_union(cx: &mut Ctx, name: &str, model: &manifest::Model, file: &SourceFile) {
    let line = file.model_line(name);
    let key = |k: &str| line.and_then(|l| file.key_line(l, k)).or(line);
    let (one_of_line, mapping_line) = (key("one_of"), key("mapping"));
    let err = |cx: &mut Ctx, line: Option<usize>, msg: String| {
        cx.err(file, line, format!("union `{name}`: {msg}"))
    };
    let Some(branches) = &model.one_of else {
        let msg = "has a `mapping` but no `one_of` (the types a value may be)";
        return err(cx, mapping_line, msg.into());
    };
    if branches.len() < 2 {
        let msg = format!(
            "has {} branch(es) in `one_of`: a union is one of at least two types",
            branches.len()
        );
        err(cx, one_of_line, msg);
    }
    let mut variants: BTreeMap<String, &Type> = BTreeMap::new();
    let mut accessors: BTreeMap<String, &Type> = BTreeMap::new();
    let mut rust_types: BTreeMap<Type, &Type> = BTreeMap::new();
    for (i, branch) in branches.iter().enumerate() {
        let what = format!("union `{name}`, branch `{branch}`");
        check_type(cx, file, one_of_line, &what, branch);
        if branches[..i].contains(branch) {
            err(cx, one_of_line, format!("lists `{branch}` twice"));
            continue;
        }
        match names::union_variant_ident(branch) {
            Err(msg) => err(cx, one_of_line, msg),
            Ok(ident) => {
                let accessor = names::union_accessor_name(&ident);
                if let Some(prev) = variants.insert(ident.clone(), branch) {
                    let msg =
                        format!("branches `{prev}` and `{branch}` both become variant `{ident}`");
                    err(cx, one_of_line, msg);
                } else if let Some(prev) = accessors.insert(accessor.clone(), branch) {
                    let msg =
                        format!("branches `{prev}` and `{branch}` both give accessor `{accessor}`");
                    err(cx, one_of_line, msg);
                }
            }
        }
        if let Some(prev) = rust_types.insert(rust_identity(cx, branch, 0), branch) {
            let msg = format!(
                "branches `{prev}` and `{branch}` are the same Rust type: a value could only ever be the first"
            );
            err(cx, one_of_line, msg);
        }
        let next = branches.get(i + 1);
        if let (None, Some(next)) = (&model.discriminator, next) {
            if takes_every_value(cx, branch) {
                let msg = format!(
                    "branch `{branch}` takes every value, so `{next}` after it would never be picked: put it last"
                );
                err(cx, one_of_line, msg);
            }
        }
    }
    let Some(disc) = &model.discriminator else {
        if model.mapping.is_some() {
            let msg =
                "has a `mapping` but no `discriminator` (the field whose value the mapping reads)";
            err(cx, mapping_line, msg.into());
        }
        return;
    };
    if disc.is_empty() {
        err(cx, line, "empty discriminator".into());
    }
    for branch in branches {
        let object = match branch {
            Type::Model(m) => match cx.models.get(m.as_str()) {
                Some((bm, _)) => bm.enum_values.is_none() && bm.map.is_none() && !is_union(bm),
                None => true, // reported as an unknown model
            },
            _ => false,
        };
        if !object {
            let msg = format!(
                "has a `discriminator`, so every branch is an object model (with `fields`, or a family); `{branch}` is not"
            );
            err(cx, one_of_line, msg);
        }
    }
    for (value, target) in model.mapping.iter().flatten() {
        if !branches.contains(&Type::Model(target.clone())) {
            let msg =
                format!("mapping `{value}` names `{target}`, which is not one of its branches");
            err(cx, mapping_line, msg);
        }
    }
    if let Err(msg) = model.union_values() {
        err(cx, mapping_line, msg);
    }
}

/// The Rust type of a manifest type, as far as telling union branches apart goes: a `date-time`
/// is a `String`, and a map model the `BTreeMap` it names.
fn rust_identity(cx: &Ctx, ty: &Type, depth: usize) -> Type {
    let inner = |t: &Type| Box::new(rust_identity(cx, t, depth + 1));
    match ty {
        _ if depth > MAX_PARENT_DEPTH => ty.clone(),
        Type::DateTime => Type::String,
        Type::List(t) => Type::List(inner(t)),
        Type::Map(t) => Type::Map(inner(t)),
        Type::Model(m) => match cx.models.get(m.as_str()).and_then(|(m, _)| m.map.as_ref()) {
            Some(value) => Type::Map(inner(value)),
            None => ty.clone(),
        },
        _ => ty.clone(),
    }
}

/// A branch that decodes every JSON value: `json`, or a union (what none of its own branches
/// take, its `Other` does).
fn takes_every_value(cx: &Ctx, ty: &Type) -> bool {
    match ty {
        Type::Json => true,
        Type::Model(m) => cx.models.get(m.as_str()).is_some_and(|(m, _)| is_union(m)),
        _ => false,
    }
}

/// A struct that contains itself without a `Box`, `list` or `map` in between has infinite size.
fn check_cycles(cx: &mut Ctx) {
    // Edges: model -> models it holds inline (non-boxed fields, including inherited ones, family
    // variants and union branches), with what holds it and whether that is a field.
    let mut edges: BTreeMap<&str, Vec<(String, String, bool)>> = BTreeMap::new();
    for (&name, &(model, _)) in &cx.models {
        let mut out = Vec::new();
        let mut cur = Some((name, model));
        let mut depth = 0;
        while let Some((_, m)) = cur {
            for (json, f) in m.fields.iter().flatten() {
                if let (false, Type::Model(target)) = (f.boxed, &f.ty) {
                    out.push((target.clone(), json.clone(), true));
                }
            }
            for v in m.variants.iter().flat_map(|v| v.values()) {
                if depth == 0 {
                    out.push((v.clone(), format!("variant {v}"), false));
                }
            }
            for b in m.one_of.iter().flatten().filter_map(Type::model) {
                if depth == 0 {
                    out.push((b.to_owned(), format!("branch {b}"), false));
                }
            }
            depth += 1;
            cur = m
                .parent
                .as_deref()
                .and_then(|p| cx.models.get(p).map(|(pm, _)| (p, *pm)))
                .filter(|_| depth < MAX_PARENT_DEPTH);
        }
        edges.insert(name, out);
    }
    let mut reported = BTreeSet::new();
    for &start in edges.keys() {
        // Depth-first search for a path back to `start`, noting whether a field is on it.
        let mut stack: Vec<(String, Vec<String>, bool)> =
            vec![(start.to_owned(), vec![start.to_owned()], false)];
        let mut seen = BTreeSet::new();
        while let Some((node, path, through_field)) = stack.pop() {
            for (target, via, is_field) in edges.get(node.as_str()).into_iter().flatten() {
                let through_field = through_field || *is_field;
                if target == start {
                    let mut cycle = path.clone();
                    cycle.sort();
                    if reported.insert(cycle) {
                        let (_, file) = cx.models[start];
                        let file = file.clone();
                        let fix = if through_field {
                            "mark a field on the cycle `boxed: true`"
                        } else {
                            "a union cannot be its own branch, nor a branch of its branches: put a list or a map between them"
                        };
                        let msg = format!(
                            "model `{start}` contains itself without indirection ({} -> {start} via `{via}`): {fix}",
                            path.join(" -> ")
                        );
                        cx.err(&file, file.model_line(start), msg);
                    }
                } else if seen.insert(target.clone()) {
                    let mut p = path.clone();
                    p.push(target.clone());
                    stack.push((target.clone(), p, through_field));
                }
            }
        }
    }
}

fn check_action(
    cx: &mut Ctx,
    src: &SourceFile,
    cat: &manifest::CategoryFile,
    a: &manifest::Action,
) {
    let line = src.action_line(&a.name);
    let name = &a.name;
    let err = |cx: &mut Ctx, msg: String| cx.err(src, line, format!("action `{name}`: {msg}"));
    // A problem with one key of the action, reported on that key's line.
    let err_at = |cx: &mut Ctx, key: &str, msg: String| {
        let at = line.and_then(|l| src.key_line(l, key)).or(line);
        cx.err(src, at, format!("action `{name}`: {msg}"));
    };

    if let Err(msg) = names::check_display_name(&a.name) {
        err(cx, msg);
    }
    if let Err(msg) = names::method_name(a) {
        err(cx, msg);
    }
    if let Err(msg) = names::reference_url(cat, a) {
        err(cx, msg);
    }
    for sku in &a.skus {
        if sku.trim().is_empty() || sku.chars().any(char::is_control) {
            err(cx, format!("skus: `{sku}` is not a product name"));
        }
    }
    if let Some(note) = &a.deprecated {
        if note.trim().is_empty() || note.contains('\n') {
            err(
                cx,
                "deprecated: say in one line what to use instead, or why (it is the `#[deprecated]` note)".into(),
            );
        }
    }
    if let Some(prefix) = &a.host_prefix {
        if !is_host_label(prefix) {
            err_at(
                cx,
                "host_prefix",
                format!("host_prefix `{prefix}` is not one DNS label (lower-case letters, digits and `-`, as in `drapp`)"),
            );
        }
    }
    check_auth(cx, a, |cx, key, msg| err_at(cx, key, msg));
    let method = a.method.to_ascii_uppercase();
    if !METHODS.contains(&method.as_str()) || method != a.method {
        err(
            cx,
            format!(
                "`{}` is not an HTTP method (one of {})",
                a.method,
                METHODS.join(", ")
            ),
        );
    }
    // Path and path params.
    if !a.path.starts_with('/') {
        err(cx, format!("path `{}` must start with `/`", a.path));
    }
    if a.path.contains('?') || a.path.contains('#') {
        err(
            cx,
            format!(
                "path `{}` contains a query or fragment: put fixed query pairs in `fixed_query`",
                a.path
            ),
        );
    }
    if let Err(msg) = names::split_path(&a.path) {
        err(cx, format!("path `{}`: {msg}", a.path));
    }
    let in_path = names::path_placeholders(&a.path);
    let mut placeholders = BTreeSet::new();
    for p in &in_path {
        if !placeholders.insert(p) {
            err(
                cx,
                format!(
                    "path `{}` has the placeholder `{{{p}}}` twice (one value cannot fill two segments)",
                    a.path
                ),
            );
        }
    }
    let declared: Vec<&str> = a.path_params.iter().map(|p| p.name.as_str()).collect();
    for p in &in_path {
        if !declared.contains(p) {
            err(
                cx,
                format!("path param `{p}` is in the path but not declared in `path_params`"),
            );
        }
    }
    let mut seen_path = BTreeSet::new();
    for p in &a.path_params {
        if !in_path.contains(&p.name.as_str()) {
            err(
                cx,
                format!(
                    "path param `{}` is declared but not in the path `{}`",
                    p.name, a.path
                ),
            );
        }
        if !seen_path.insert(&p.name) {
            err(cx, format!("path param `{}` is declared twice", p.name));
        }
        check_type(
            cx,
            src,
            line,
            &format!("action `{name}`, path param `{}`", p.name),
            &p.ty,
        );
        if !is_scalar(cx, &p.ty) {
            err(cx, format!("path param `{}` has type `{}`; a path param is a string, number, boolean or enum", p.name, p.ty));
        }
    }
    // Names that share the builder's namespace: the method's arguments and the setters.
    let mut rust_names: BTreeMap<String, String> = BTreeMap::new();
    let mut claim = |cx: &mut Ctx, rust: Result<String, String>, wire: String| {
        let rust = match rust {
            Ok(rust) => rust,
            Err(msg) => return err(cx, msg),
        };
        if BUILDER_NAMES.contains(&rust.as_str()) {
            err(cx, format!("`{wire}` gives Rust name `{rust}`, which the request builder already uses (set `rust_name`)"));
        }
        if let Some(prev) = rust_names.insert(rust.clone(), wire.clone()) {
            err(
                cx,
                format!(
                    "params `{prev}` and `{wire}` both become `{rust}` (set `rust_name` on one)"
                ),
            );
        }
    };
    for p in &a.path_params {
        claim(cx, names::path_param_rust_name(&p.name), p.name.clone());
    }
    let mut wire_query = BTreeSet::new();
    for q in &a.query_params {
        claim(
            cx,
            names::param_rust_name(&q.name, q.rust_name.as_ref()),
            q.name.clone(),
        );
        if !wire_query.insert(q.name.clone()) {
            err(cx, format!("query param `{}` is declared twice", q.name));
        }
        let what = format!("action `{name}`, query param `{}`", q.name);
        check_type(cx, src, line, &what, &q.ty);
        {
            let t = &q.ty;
            let ok = match t {
                Type::List(inner) => is_scalar(cx, inner),
                other => is_scalar(cx, other),
            };
            if !ok {
                err(cx, format!("query param `{}` has type `{}`; a query param is a string, number, boolean, date-time, enum or a list of those", q.name, q.ty));
            } else if let Some(default) = &q.default {
                if !default_fits(t, default) {
                    let text = ir::yaml_scalar(default);
                    let hint = if *t == Type::Bool
                        && manifest::YAML_1_1_BOOLEANS.contains(&text.as_str())
                    {
                        format!(" (`{text}` is a string in YAML 1.2: write `true` or `false`)")
                    } else {
                        String::new()
                    };
                    err(
                        cx,
                        format!(
                            "query param `{}`: default `{text}` is not a `{}`{hint}",
                            q.name, q.ty
                        ),
                    );
                }
            }
        }
    }
    for k in a.fixed_query.keys() {
        if wire_query.contains(k) {
            err(
                cx,
                format!("`{k}` is both a fixed query pair and a query param"),
            );
        }
    }
    let mut wire_headers = BTreeSet::new();
    for h in &a.header_params {
        let lower = h.name.to_ascii_lowercase();
        if !is_http_token(&h.name) {
            err(
                cx,
                format!("header param `{}` is not an HTTP header name", h.name),
            );
        } else if CLIENT_HEADERS.contains(&lower.as_str())
            && !FORWARDED_HEADERS.contains(&lower.as_str())
        {
            err(
                cx,
                format!(
                    "header param `{}` names a header the client sets itself (credentials, content negotiation or framing): a setter must not replace it",
                    h.name
                ),
            );
        }
        if !wire_headers.insert(lower) {
            err(cx, format!("header param `{}` is declared twice", h.name));
        }
        claim(
            cx,
            names::param_rust_name(&h.name, h.rust_name.as_ref()),
            h.name.clone(),
        );
    }
    // Body.
    if let Some(b) = &a.body {
        if matches!(method.as_str(), "GET" | "HEAD" | "DELETE") {
            err(cx, format!("a {method} request has no body"));
        }
        match b.content {
            BodyContent::Json => match &b.ty {
                Some(ty) => check_type(cx, src, line, &format!("action `{name}`, body"), ty),
                None => err(cx, "a json body needs a `type`".into()),
            },
            BodyContent::Multipart => {
                if b.file_part.is_none() {
                    err(
                        cx,
                        "a multipart body needs `file_part` (the name of the file part)".into(),
                    );
                }
                if b.ty.is_some() {
                    err(cx, "a multipart body has no `type`".into());
                }
            }
            BodyContent::Raw => {
                if b.content_types.is_empty() {
                    err(
                        cx,
                        "a raw body needs `content_types` (the first is the default)".into(),
                    );
                }
                for ct in b.content_types.iter().filter(|ct| !is_media_type(ct)) {
                    err(cx, format!("content type `{ct}` is not a media type"));
                }
                if b.ty.is_some() {
                    err(cx, "a raw body has no `type`".into());
                }
            }
            BodyContent::Text => {
                if b.media_type.is_none() {
                    err(
                        cx,
                        "a text body needs `media_type` (the media type it is sent as)".into(),
                    );
                }
                if b.ty.is_some() {
                    err(cx, "a text body has no `type` (it is a string)".into());
                }
            }
        }
        if b.content != BodyContent::Multipart && b.file_part.is_some() {
            err(cx, "`file_part` is only for multipart bodies".into());
        }
        if let Some(media) = &b.media_type {
            match b.content {
                BodyContent::Json => {
                    if !is_media_type(media) || !manifest::is_json_media_type(media) {
                        err(
                            cx,
                            format!(
                                "media type `{media}` is not JSON (`application/json` or a `+json` type)"
                            ),
                        );
                    }
                }
                BodyContent::Text => {
                    if !is_media_type(media) {
                        err(cx, format!("media type `{media}` is not a media type"));
                    } else if manifest::is_json_media_type(media) {
                        err(
                            cx,
                            format!("media type `{media}` is JSON: a JSON body is `content: json` (with this `media_type`)"),
                        );
                    }
                }
                BodyContent::Multipart | BodyContent::Raw => err(
                    cx,
                    "`media_type` is only for json and text bodies (raw bodies list `content_types`)"
                        .into(),
                ),
            }
        }
        if b.content != BodyContent::Raw && !b.content_types.is_empty() {
            err(cx, "`content_types` is only for raw bodies".into());
        }
        claim(
            cx,
            Ok(names::body_arg_name(b.content).to_owned()),
            "(body)".to_owned(),
        );
    }
    // Response.
    let mut response_list = false;
    if let Some(r) = &a.response {
        if !(200..300).contains(&r.status) {
            err(
                cx,
                format!("success status {} is not a 2xx status", r.status),
            );
        }
        match (&r.ty, &r.text) {
            (Some(_), Some(_)) => err(cx, "response has both `type` and `text`: pick one".into()),
            (Some(ty), None) => {
                check_type(cx, src, line, &format!("action `{name}`, response"), ty);
                response_list = matches!(ty, Type::List(_));
            }
            (None, Some(text)) => {
                if !is_media_type(text) {
                    err(
                        cx,
                        format!("response text media type `{text}` is not a media type"),
                    );
                }
            }
            (None, None) => {}
        }
        check_text_alternatives(cx, a, r, &rust_names, |cx, msg| {
            err_at(cx, "text_alternatives", msg)
        });
    }
    if let Some(items) = &a.page_items {
        if a.paginated {
            err(
                cx,
                "`paginated: true` (Link headers) and `page_items` (paging in the body) exclude each other".into(),
            );
        }
        match a.response.as_ref().and_then(|r| r.ty.as_ref()) {
            Some(Type::Model(page_model)) => {
                let lookup = |name: &str| cx.models.get(name).map(|(m, _)| *m);
                if let Err(msg) = manifest::body_page_item(page_model, items, lookup) {
                    err(cx, msg);
                }
            }
            _ => err(
                cx,
                "`page_items` needs a model response (`type: Model`) whose field holds the items"
                    .into(),
            ),
        }
    }
    if a.paginated && !response_list {
        err(
            cx,
            "`paginated: true` needs a list response (`type: list<Model>`)".into(),
        );
    }
    for aspect in a.spec_overrides.keys() {
        if !OVERRIDE_ASPECTS.contains(&aspect.as_str()) {
            err(
                cx,
                format!(
                    "spec_overrides: unknown aspect `{aspect}` (one of {})",
                    OVERRIDE_ASPECTS.join(", ")
                ),
            );
        }
    }
}

/// `auth` lists each kind of credentials once; `scopes` are OAuth 2.0 scope tokens, each once,
/// of an operation that accepts OAuth 2.0. `err(cx, key, message)` reports on the key's line.
fn check_auth(cx: &mut Ctx, a: &manifest::Action, err: impl Fn(&mut Ctx, &str, String)) {
    let mut kinds = BTreeSet::new();
    for kind in a.auth.iter().flatten() {
        if !kinds.insert(kind) {
            err(cx, "auth", format!("auth lists `{}` twice", kind.name()));
        }
    }
    if a.scopes.is_empty() {
        return;
    }
    if !a.accepted_auth().contains(&AuthKind::Oauth2) {
        err(
            cx,
            "scopes",
            "`scopes` are OAuth 2.0 scopes, and `auth` does not accept `oauth2`".into(),
        );
    }
    let mut seen = BTreeSet::new();
    for scope in &a.scopes {
        if !is_scope_token(scope) {
            err(
                cx,
                "scopes",
                format!("scope `{scope}` is not an OAuth 2.0 scope (printable ASCII, no spaces, quotes or backslashes)"),
            );
        } else if !seen.insert(scope) {
            err(cx, "scopes", format!("scope `{scope}` is listed twice"));
        }
    }
}

/// A response's `text_alternatives`: other answers to a single JSON response, each a non-JSON
/// media type whose builder method (`send_pkcs10`) is free on the request builder, whose
/// arguments and setters are in `rust_names` (Rust name -> wire name).
fn check_text_alternatives(
    cx: &mut Ctx,
    a: &manifest::Action,
    r: &manifest::Response,
    rust_names: &BTreeMap<String, String>,
    err: impl Fn(&mut Ctx, String),
) {
    if r.text_alternatives.is_empty() {
        return;
    }
    let mut methods: BTreeMap<String, &str> = BTreeMap::new();
    if r.ty.is_none() {
        err(
            cx,
            "`text_alternatives` are other answers to a JSON response: the response needs a `type`"
                .into(),
        );
    }
    if a.paginated || a.page_items.is_some() {
        err(
            cx,
            "`text_alternatives` are for a response that is not paged".into(),
        );
    }
    for media in &r.text_alternatives {
        if !is_media_type(media) {
            err(
                cx,
                format!("text alternative `{media}` is not a media type"),
            );
            continue;
        }
        if manifest::is_json_media_type(media) {
            err(
                cx,
                format!("text alternative `{media}` is JSON, which `send()` already accepts"),
            );
            continue;
        }
        let method = match names::text_alternative_method(media) {
            Ok(method) => method,
            Err(msg) => {
                err(cx, msg);
                continue;
            }
        };
        if let Some(param) = rust_names.get(&method) {
            err(
                cx,
                format!("text alternative `{media}` is sent by `{method}()`, which is also the Rust name of `{param}` (set its `rust_name`)"),
            );
        } else if let Some(other) = methods.insert(method.clone(), media) {
            err(
                cx,
                format!("text alternatives `{other}` and `{media}` both become `{method}()`"),
            );
        }
    }
}

/// One DNS label as a host prefix: lower-case ASCII letters, digits and `-`, at most 63, not
/// starting or ending with `-` (`drapp`).
fn is_host_label(s: &str) -> bool {
    (1..=63).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// An OAuth 2.0 scope token (RFC 6749 section 3.3): printable ASCII but space, `"` and `\`.
fn is_scope_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b))
}

/// An HTTP token (RFC 9110): what a header name is made of.
fn is_http_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// `type/subtype`, optionally with `; parameters`, in printable ASCII (it goes into a header).
fn is_media_type(s: &str) -> bool {
    let base = s.split(';').next().unwrap_or_default().trim();
    s.bytes().all(|b| (0x20..0x7f).contains(&b))
        && base
            .split_once('/')
            .is_some_and(|(t, sub)| is_http_token(t) && is_http_token(sub))
}

fn is_scalar(cx: &Ctx, t: &Type) -> bool {
    match t {
        Type::String | Type::I32 | Type::I64 | Type::F64 | Type::Bool | Type::DateTime => true,
        Type::Model(m) => cx
            .models
            .get(m.as_str())
            .is_none_or(|(model, _)| model.enum_values.is_some()),
        _ => false,
    }
}

fn default_fits(t: &Type, v: &serde_yaml::Value) -> bool {
    use serde_yaml::Value;
    match (t, v) {
        (Type::I32 | Type::I64, Value::Number(n)) => n.is_i64(),
        (Type::F64, Value::Number(_)) => true,
        (Type::Bool, Value::Bool(_)) => true,
        (Type::String | Type::DateTime | Type::Model(_), Value::String(_)) => true,
        (Type::List(_), Value::Sequence(_)) => true,
        _ => false,
    }
}
