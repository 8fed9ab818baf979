//! The converted spec merged into the manifest: what the spec owns is taken from it, what
//! maintainers own is kept, and every change is recorded for the summary.
//!
//! Matching: an action is the spec's operation whose operationId is its `okta_operation` (Okta
//! renamed it) or else its `operation_id`. A model is the spec's schema of the same name.
//!
//! Maintainers own: an action's display name, `rust_name`, `previous_names`, category (its
//! file), `spec_overrides` and the aspects they name, the `rust_name`s of its
//! parameters, a `deprecated` note; a model's file and its fields' `rust_name`, `boxed` and
//! `spec_overrides`.
//! Fixed query pairs stay with a path or query params kept by an override.
//! Everything else follows the spec.

use std::collections::{BTreeMap, BTreeSet};

use okta_codegen::manifest::{Action, CategoryFile, Manifest, Model, ModelFile};
use okta_codegen::manifest::{FIELD_OVERRIDE_REQUIRED, FIELD_OVERRIDE_TYPE};
use okta_codegen::names;
use serde_yaml::Value;

use super::convert::{action_types, closure, collect_models, Converted, SpecAction};

/// The manifest's files after an import, by file stem, in the order they are written.
#[derive(Debug, Default)]
pub struct Merged {
    pub categories: Vec<(String, CategoryFile)>,
    pub model_files: Vec<(String, ModelFile)>,
    pub summary: Summary,
}

/// What the spec says of its tags: how Okta's reference shows each (`x-displayName`) and its
/// description.
#[derive(Debug, Default)]
pub struct Tags {
    pub display_names: BTreeMap<String, String>,
    pub descriptions: BTreeMap<String, String>,
}

/// What an import did, for the maintainer to review.
#[derive(Debug, Default)]
pub struct Summary {
    pub spec_operations: usize,
    pub spec_models: usize,
    /// (operationId, method and path, category file stem, whether the category is new)
    pub added: Vec<(String, String, String, bool)>,
    /// (operationId, aspects that changed)
    pub changed: Vec<(String, Vec<String>)>,
    pub unchanged: usize,
    /// (old operationId, new operationId, deprecated alias kept)
    pub renamed: Vec<(String, String, Option<String>)>,
    /// An operationId Okta now gives a different operation: (id, what it was, what it is).
    pub reused: Vec<(String, String, String)>,
    /// (operationId, or `Model.field` for a field's override; aspect, reason): the spec
    /// differs and the manifest's value is kept.
    pub overrides_kept: Vec<(String, String, String)>,
    /// (operationId, aspect, reason): an override the import had to add (a redirect's answer).
    pub overrides_added: Vec<(String, String, String)>,
    /// (operationId or `Model.field`, aspect, reason): the spec now agrees, the override is
    /// dropped.
    pub overrides_dropped: Vec<(String, String, String)>,
    /// (action key, category file stem): in the manifest, not in the spec; left in place and
    /// marked with `spec_overrides.operation`.
    pub not_in_spec: Vec<(String, String)>,
    /// (model, file stem)
    pub models_added: Vec<(String, String)>,
    pub models_changed: Vec<(String, Vec<String>)>,
    pub models_unchanged: usize,
    /// Models of the manifest no schema of the spec names that an action still uses; left in
    /// place.
    pub models_not_in_spec: Vec<String>,
    /// Models of the manifest no schema of the spec names and no action uses; removed.
    pub models_removed: Vec<String>,
    /// The spec's webhooks (`x-webhooks`): (name and method, the models of its request and
    /// answers). Their models are among the models above; no action is made of them.
    pub webhooks: Vec<(String, String)>,
    pub notes: Vec<String>,
}

/// Merge `spec` into `manifest` (empty for a new manifest). `only`: the Okta tags to import
/// (all when `None`); operations of other tags are neither added nor reported missing.
pub fn merge(
    manifest: Option<&Manifest>,
    spec: &Converted,
    only: Option<&BTreeSet<String>>,
    tags: &Tags,
) -> Merged {
    let mut out = Merged::default();
    let selected = |tag: Option<&str>| only.is_none_or(|o| tag.is_some_and(|t| o.contains(t)));
    if let Some(m) = manifest {
        out.categories = m
            .categories
            .iter()
            .map(|c| (c.source.file_stem(), c.value.clone()))
            .collect();
        out.model_files = m
            .model_files
            .iter()
            .map(|f| (f.source.file_stem(), f.value.clone()))
            .collect();
    }
    let s = &mut out.summary;
    s.notes = spec.notes.clone();

    // Where each Okta tag's actions are filed today: the category holding most of them.
    let mut tag_counts: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    // Candidates for each operationId: actions naming it as `okta_operation` (Okta renamed
    // them; their `operation_id` is the old id, which Okta may have given another operation)
    // and actions whose own `operation_id` it is (without `okta_operation`). An action declared
    // absent from the spec is a candidate for its own id only.
    let mut renamed_to: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    let mut own_id: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for (ci, (stem, cat)) in out.categories.iter().enumerate() {
        for (ai, a) in cat.actions.iter().enumerate() {
            if let Some(tag) = a.okta_tag.as_ref().or(cat.okta_tag.as_ref()) {
                *tag_counts
                    .entry(tag.clone())
                    .or_default()
                    .entry(stem.clone())
                    .or_default() += 1;
            }
            let declared_absent = a
                .spec_overrides
                .contains_key(crate::verify_spec::ASPECT_OPERATION);
            match (&a.okta_operation, &a.operation_id) {
                (Some(renamed), _) if !declared_absent => {
                    renamed_to
                        .entry(renamed.clone())
                        .or_default()
                        .push((ci, ai));
                }
                (None, Some(id)) => own_id.entry(id.clone()).or_default().push((ci, ai)),
                _ => {}
            }
        }
    }
    let mut home: BTreeMap<String, String> = tag_counts
        .into_iter()
        .filter_map(|(tag, stems)| {
            let best = stems
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
            Some((tag, best.0.clone()))
        })
        .collect();

    let mut matched: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut old_methods: BTreeMap<(usize, usize), String> = BTreeMap::new();
    for sa in &spec.actions {
        if !selected(sa.tag.as_deref()) {
            continue;
        }
        s.spec_operations += 1;
        let id = sa.key();
        let found = find_action(&out.categories, &renamed_to, &own_id, sa, &matched);
        if let Some((ci, ai)) = found.reused {
            let a = &out.categories[ci].1.actions[ai];
            s.reused.push((id.clone(), route(a), route(&sa.action)));
        }
        if let Some((ci, ai)) = found.action {
            matched.insert((ci, ai));
            if let Ok(old) = names::method_name(&out.categories[ci].1.actions[ai]) {
                old_methods.insert((ci, ai), old);
            }
            let cat_tag = out.categories[ci].1.okta_tag.clone();
            let existing = out.categories[ci].1.actions[ai].clone();
            let merged = merge_action(&existing, sa, cat_tag.as_deref(), s);
            let changes = action_changes(&existing, &merged);
            if changes.is_empty() {
                s.unchanged += 1;
            } else {
                s.changed.push((id, changes));
            }
            out.categories[ci].1.actions[ai] = merged;
            continue;
        }
        // A new operation whose only success is a redirect: Okta retired it; nothing to call.
        let status = sa.action.success_status();
        if (300..400).contains(&status) {
            s.notes.push(format!(
                "{id}: not added: Okta's spec gives it only a redirect ({status}) as success (a retired operation)"
            ));
            continue;
        }
        // A new action: beside its tag's other actions, or in a new category named after the tag.
        let tag = sa.tag.clone().unwrap_or_else(|| "Untagged".to_owned());
        let (stem, is_new) = match home.get(&tag) {
            Some(stem) => (stem.clone(), false),
            None => {
                // Named as Okta's reference shows the tag: category "Client Role Targets",
                // accessor `client_role_targets`; `okta_tag` keeps the tag itself.
                let shown = tags.display_names.get(&tag).unwrap_or(&tag);
                let stem = names::snake_ident(&plural_acronyms(shown))
                    .unwrap_or_else(|| "untagged".to_owned());
                home.insert(tag.clone(), stem.clone());
                let exists = out.categories.iter().any(|(s, _)| *s == stem);
                if !exists {
                    out.categories.push((
                        stem.clone(),
                        CategoryFile {
                            category: shown.clone(),
                            accessor: (names::snake_ident(shown).as_ref() != Some(&stem))
                                .then(|| stem.clone()),
                            description: tags.descriptions.get(&tag).cloned(),
                            okta_tag: Some(tag.clone()),
                            actions: Vec::new(),
                        },
                    ));
                }
                (stem, !exists)
            }
        };
        let Some(ci) = out.categories.iter().position(|(s, _)| *s == stem) else {
            continue;
        };
        let cat = &mut out.categories[ci].1;
        let mut action = sa.action.clone();
        if cat.okta_tag.as_deref() == sa.tag.as_deref() {
            action.okta_tag = None;
        } else {
            action.okta_tag = sa.tag.clone();
        }
        action.name = unique_display_name(&action, cat);
        s.added.push((id, route(&action), stem.clone(), is_new));
        cat.actions.push(action);
    }
    keep_reused_names(&mut out.categories, &old_methods, s);
    // What the manifest has and the spec does not: reported, never deleted.
    for (ci, (stem, cat)) in out.categories.iter().enumerate() {
        for (ai, a) in cat.actions.iter().enumerate() {
            let tag = a.okta_tag.as_ref().or(cat.okta_tag.as_ref());
            let declared_absent = a
                .spec_overrides
                .contains_key(crate::verify_spec::ASPECT_OPERATION);
            if matched.contains(&(ci, ai)) || declared_absent || !selected(tag.map(String::as_str))
            {
                continue;
            }
            if s.added
                .iter()
                .any(|(id, ..)| a.operation_id.as_deref() == Some(id.as_str()))
            {
                continue;
            }
            s.not_in_spec
                .push((crate::verify_spec::action_key(a), stem.clone()));
        }
    }
    // ... and marked, so that verify-spec tells it from a mistake until a maintainer decides.
    let version = &spec.version;
    for (key, stem) in &s.not_in_spec {
        let Some((_, cat)) = out.categories.iter_mut().find(|(st, _)| st == stem) else {
            continue;
        };
        if let Some(a) = cat
            .actions
            .iter_mut()
            .find(|a| crate::verify_spec::action_key(a) == *key)
        {
            a.spec_overrides.insert(
                crate::verify_spec::ASPECT_OPERATION.to_owned(),
                format!("import-spec: not in Okta's spec {version}; kept for the code that calls it until a maintainer removes it or gives the reason it stays"),
            );
        }
    }
    for w in &spec.webhooks {
        if selected(w.tag.as_deref()) {
            s.webhooks
                .push((format!("{} {}", w.name, w.method), webhook_models(w)));
        }
    }
    merge_models(&mut out, spec, only, &home);
    out
}

/// `request TokenRequest, 200 TokenHookResponse` (a part without a JSON body left out).
fn webhook_models(w: &super::convert::SpecWebhook) -> String {
    let mut parts: Vec<String> = w.request.iter().map(|t| format!("request {t}")).collect();
    parts.extend(
        w.responses
            .iter()
            .map(|(status, t)| format!("{status} {t}")),
    );
    if parts.is_empty() {
        "no JSON body either way".to_owned()
    } else {
        parts.join(", ")
    }
}

/// The manifest's action for a spec operation, or an action whose id Okta gave to it although
/// it does something else (another method or path): that one is not merged, it is reported.
struct Found {
    action: Option<(usize, usize)>,
    reused: Option<(usize, usize)>,
}

fn find_action(
    categories: &[(String, CategoryFile)],
    renamed_to: &BTreeMap<String, Vec<(usize, usize)>>,
    own_id: &BTreeMap<String, Vec<(usize, usize)>>,
    sa: &SpecAction,
    matched: &BTreeSet<(usize, usize)>,
) -> Found {
    let id = sa.operation_id();
    let same_route = |&(ci, ai): &(usize, usize)| {
        let a: &Action = &categories[ci].1.actions[ai];
        a.method == sa.action.method && route_shape(&a.path) == route_shape(&sa.action.path)
    };
    let free = |k: &&(usize, usize)| !matched.contains(*k);
    let renamed: Vec<&(usize, usize)> = renamed_to
        .get(id)
        .into_iter()
        .flatten()
        .filter(free)
        .collect();
    let own: Vec<&(usize, usize)> = own_id.get(id).into_iter().flatten().filter(free).collect();
    // The maintainer's word (`okta_operation`) first; then the action with this id, unless it
    // is another call now (Okta reused the id).
    let action = renamed
        .iter()
        .find(|k| same_route(k))
        .or(renamed.first())
        .or_else(|| own.iter().find(|k| same_route(k)))
        .map(|k| **k);
    let reused = own
        .iter()
        .find(|k| Some(***k) != action && !same_route(k))
        .map(|k| **k);
    Found { action, reused }
}

/// A path with its placeholders' names dropped (`/users/{}`), to tell a renamed path parameter
/// from another call.
fn route_shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_placeholder = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_placeholder = true;
                out.push('{');
            }
            '}' => {
                in_placeholder = false;
                out.push('}');
            }
            _ if in_placeholder => {}
            c => out.push(c),
        }
    }
    out
}

fn route(a: &Action) -> String {
    format!("{} {}", a.method, a.path)
}

/// Okta gave an old operationId to another operation (`updateUser` is now the partial update):
/// the action that had the id is renamed and keeps its old method as a deprecated alias, so old
/// code keeps its meaning; the action that now has the id must then keep its own old method
/// name (`rust_name`) instead of taking the alias's.
fn keep_reused_names(
    categories: &mut [(String, CategoryFile)],
    old_methods: &BTreeMap<(usize, usize), String>,
    s: &mut Summary,
) {
    for (ci, (_, cat)) in categories.iter_mut().enumerate() {
        let aliases: BTreeMap<String, usize> = cat
            .actions
            .iter()
            .enumerate()
            .flat_map(|(ai, a)| a.previous_names.iter().map(move |p| (p.clone(), ai)))
            .collect();
        for ai in 0..cat.actions.len() {
            let Ok(method) = names::method_name(&cat.actions[ai]) else {
                continue;
            };
            let Some(&owner) = aliases.get(&method).filter(|owner| **owner != ai) else {
                continue;
            };
            let owner_key = crate::verify_spec::action_key(&cat.actions[owner]);
            let a = &mut cat.actions[ai];
            let Some(old) = old_methods.get(&(ci, ai)) else {
                // A new action: a name of its own, for the maintainer to review.
                let own = format!("{method}_{}", a.method.to_ascii_lowercase());
                s.notes.push(format!(
                    "{}: named `{own}`: `{method}` stays the deprecated alias of {owner_key}, which had Okta's id before; choose a better `rust_name` if you like",
                    crate::verify_spec::action_key(a)
                ));
                a.rust_name = Some(own);
                continue;
            };
            a.previous_names.retain(|p| p != old);
            a.rust_name = Some(old.clone());
            s.notes.push(format!(
                "{}: keeps the Rust name `{old}`: `{method}` stays the deprecated alias of {owner_key}, which had Okta's id before, so old code keeps its meaning",
                crate::verify_spec::action_key(a)
            ));
        }
    }
}

/// An acronym's plural written as one word (`CAPTCHAs` -> `CAPTCHAS`), so that snake case
/// keeps it whole (`captchas`, not `captch_as`).
fn plural_acronyms(name: &str) -> String {
    name.split(' ')
        .map(|word| match word.strip_suffix('s') {
            Some(stem) if stem.len() >= 2 && stem.chars().all(|c| c.is_ascii_uppercase()) => {
                format!("{stem}S")
            }
            _ => word.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The display name of a new action, unique in its category.
fn unique_display_name(action: &Action, cat: &CategoryFile) -> String {
    let taken = |n: &str| cat.actions.iter().any(|a| a.name == n);
    if !taken(&action.name) {
        return action.name.clone();
    }
    let from_id =
        super::convert::display_name(None, action.operation_id.as_deref().unwrap_or_default());
    if !taken(&from_id) {
        return from_id;
    }
    (2..)
        .map(|n| format!("{} {n}", action.name))
        .find(|n| !taken(n))
        .unwrap_or_else(|| action.name.clone())
}

fn merge_action(
    existing: &Action,
    sa: &SpecAction,
    cat_tag: Option<&str>,
    s: &mut Summary,
) -> Action {
    let spec = &sa.action;
    let id = sa.key();
    let mut out = spec.clone();
    out.name = existing.name.clone();
    out.rust_name = existing.rust_name.clone();
    out.previous_names = existing.previous_names.clone();
    out.spec_overrides = existing.spec_overrides.clone();
    out.okta_tag = sa.tag.clone().filter(|t| Some(t.as_str()) != cat_tag);
    out.okta_operation = None;
    for q in &mut out.query_params {
        if let Some(old) = existing.query_params.iter().find(|o| o.name == q.name) {
            q.rust_name = old.rust_name.clone();
        }
    }
    for h in &mut out.header_params {
        if let Some(old) = existing.header_params.iter().find(|o| o.name == h.name) {
            h.rust_name = old.rust_name.clone();
        }
    }
    if out.description.is_none() {
        out.description = existing.description.clone();
    }
    if out.deprecated.is_some() && existing.deprecated.is_some() {
        out.deprecated = existing.deprecated.clone();
    }
    // Overrides: the manifest's value of each named aspect stays; one the spec now agrees with
    // is dropped (and said so).
    for (aspect, reason) in &existing.spec_overrides {
        let differs = differs_in(existing, spec, aspect);
        if differs {
            keep_aspect(&mut out, existing, aspect);
            s.overrides_kept
                .push((id.clone(), aspect.clone(), reason.clone()));
        } else {
            out.spec_overrides.remove(aspect);
            s.overrides_dropped
                .push((id.clone(), aspect.clone(), reason.clone()));
        }
    }
    // An operation whose only success is a redirect (Okta retired it): the manifest cannot
    // describe a 3xx success, so the action keeps its status under an override that says so.
    let redirect = spec.success_status();
    if (300..400).contains(&redirect) && !out.spec_overrides.contains_key("status") {
        let reason = format!(
            "import-spec: Okta's spec gives this operation only a redirect ({redirect}) as success; the manifest keeps the answer it had"
        );
        for aspect in ["status", "response"] {
            if differs_in(existing, spec, aspect) {
                keep_aspect(&mut out, existing, aspect);
                out.spec_overrides.insert(aspect.to_owned(), reason.clone());
                s.overrides_added
                    .push((id.clone(), aspect.to_owned(), reason.clone()));
            }
        }
    }
    // Okta renamed the operation: the action takes the new id; its old Rust method stays as a
    // deprecated alias when the method name changes.
    if out.operation_id != existing.operation_id
        && !existing.spec_overrides.contains_key("operation_id")
    {
        let mut alias = None;
        if existing.rust_name.is_none() {
            if let (Ok(old), Ok(new)) = (names::method_name(existing), names::method_name(&out)) {
                if old != new && !out.previous_names.contains(&old) {
                    out.previous_names.push(old.clone());
                    alias = Some(old);
                }
            }
        }
        s.renamed
            .push((crate::verify_spec::action_key(existing), id.clone(), alias));
    }
    out
}

/// Does the spec's action differ from the manifest's in `aspect`?
fn differs_in(a: &Action, b: &Action, aspect: &str) -> bool {
    match aspect {
        "method" => a.method != b.method,
        "path" => a.path != b.path,
        "path_params" => yaml(&a.path_params) != yaml(&b.path_params),
        "query_params" => {
            yaml(&strip_query_names(a)) != yaml(&strip_query_names(b))
                || a.fixed_query != b.fixed_query
        }
        "header_params" => {
            a.header_params.iter().map(|h| &h.name).collect::<Vec<_>>()
                != b.header_params.iter().map(|h| &h.name).collect::<Vec<_>>()
        }
        "body" => yaml(&a.body.as_ref().map(body_shape)) != yaml(&b.body.as_ref().map(body_shape)),
        "response" => {
            let r = |x: &Action| x.response.as_ref().map(|r| (r.ty.clone(), r.text.clone()));
            yaml(&r(a)) != yaml(&r(b))
        }
        "status" => a.success_status() != b.success_status(),
        "paginated" => a.paginated != b.paginated || a.page_items != b.page_items,
        "operation_id" => a.operation_id != b.operation_id,
        "host_prefix" => a.host_prefix != b.host_prefix,
        "auth" => a.accepted_auth() != b.accepted_auth(),
        "scopes" => a.scopes != b.scopes,
        // `operation` (the spec lacks the action): it is in the spec now.
        _ => false,
    }
}

/// Query params as the wire sees them (Rust names and docs aside).
fn strip_query_names(a: &Action) -> Vec<(String, String, bool)> {
    a.query_params
        .iter()
        .map(|q| (q.name.clone(), q.ty.to_string(), q.required))
        .collect()
}

/// A body as the wire sees it (its description aside).
fn body_shape(b: &okta_codegen::manifest::Body) -> Value {
    let mut b = b.clone();
    b.description = None;
    yaml(&b)
}

fn keep_aspect(out: &mut Action, existing: &Action, aspect: &str) {
    match aspect {
        "method" => out.method = existing.method.clone(),
        // Fixed query pairs are a path written with its query (`...?tempPassword=true`): they
        // stay with a kept path or kept query params, and otherwise follow the spec (none).
        "path" => {
            out.path = existing.path.clone();
            out.path_params = existing.path_params.clone();
            out.fixed_query = existing.fixed_query.clone();
        }
        "path_params" => out.path_params = existing.path_params.clone(),
        "query_params" => {
            out.query_params = existing.query_params.clone();
            out.fixed_query = existing.fixed_query.clone();
        }
        "header_params" => out.header_params = existing.header_params.clone(),
        "body" => out.body = existing.body.clone(),
        "response" => {
            let status = out.success_status();
            out.response = existing.response.clone();
            if let Some(r) = &mut out.response {
                r.status = status;
            }
        }
        "status" => {
            let status = existing.success_status();
            match &mut out.response {
                Some(r) => r.status = status,
                None => out.response = existing.response.clone(),
            }
        }
        "paginated" => {
            out.paginated = existing.paginated;
            out.page_items = existing.page_items.clone();
        }
        "operation_id" => {
            out.operation_id = existing.operation_id.clone();
            out.okta_operation = existing.okta_operation.clone();
        }
        "host_prefix" => out.host_prefix = existing.host_prefix.clone(),
        "auth" => out.auth = existing.auth.clone(),
        "scopes" => out.scopes = existing.scopes.clone(),
        _ => {}
    }
}

/// The aspects in which two versions of an action differ, as the summary names them.
fn action_changes(old: &Action, new: &Action) -> Vec<String> {
    // Every aspect an override can name (`validate::OVERRIDE_ASPECTS`), then the rest.
    let mut out: Vec<String> = okta_codegen::validate::OVERRIDE_ASPECTS
        .iter()
        .filter(|aspect| differs_in(old, new, aspect))
        .map(|a| (*a).to_owned())
        .collect();
    let pairs: [(&str, bool); 5] = [
        ("description", old.description != new.description),
        (
            "lifecycle",
            old.lifecycle != new.lifecycle || old.skus != new.skus,
        ),
        ("deprecated", old.deprecated != new.deprecated),
        (
            "okta_tag",
            old.okta_tag != new.okta_tag || old.okta_operation != new.okta_operation,
        ),
        ("previous_names", old.previous_names != new.previous_names),
    ];
    out.extend(
        pairs
            .iter()
            .filter(|(_, d)| *d)
            .map(|(n, _)| (*n).to_owned()),
    );
    if out.is_empty() && yaml(old) != yaml(new) {
        out.push("details".to_owned());
    }
    out
}

/// Any manifest part as a YAML value, for comparing parts without `PartialEq`.
fn yaml<T: serde::Serialize>(part: &T) -> Value {
    serde_yaml::to_value(part).unwrap_or(Value::Null)
}

fn merge_models(
    out: &mut Merged,
    spec: &Converted,
    only: Option<&BTreeSet<String>>,
    home: &BTreeMap<String, String>,
) {
    // With `--only`, the models the selected actions and webhooks reach (through fields,
    // parents, variants, branches and map values), wherever they were first met.
    let wanted: BTreeSet<String> = match only {
        None => spec.models.keys().cloned().collect(),
        Some(tags) => {
            let mut roots = Vec::new();
            for sa in &spec.actions {
                if sa.tag.as_ref().is_some_and(|t| tags.contains(t)) {
                    for ty in action_types(&sa.action) {
                        collect_models(&ty, &mut roots);
                    }
                }
            }
            for w in &spec.webhooks {
                if w.tag.as_ref().is_some_and(|t| tags.contains(t)) {
                    for ty in w.types() {
                        collect_models(ty, &mut roots);
                    }
                }
            }
            closure(&spec.models, roots)
        }
    };
    let s = &mut out.summary;
    s.spec_models = wanted.len();
    let mut location: BTreeMap<String, usize> = BTreeMap::new();
    for (fi, (_, file)) in out.model_files.iter().enumerate() {
        for name in file.models.keys() {
            location.insert(name.clone(), fi);
        }
    }
    for name in &wanted {
        let Some(model) = spec.models.get(name) else {
            continue;
        };
        match location.get(name) {
            Some(&fi) => {
                let existing = &out.model_files[fi].1.models[name];
                let merged = merge_model(name, existing, model, s);
                let changes = model_changes(existing, &merged);
                if changes.is_empty() {
                    s.models_unchanged += 1;
                } else {
                    s.models_changed.push((name.clone(), changes));
                }
                out.model_files[fi].1.models.insert(name.clone(), merged);
            }
            None => {
                let stem = spec
                    .model_tags
                    .get(name)
                    .and_then(|tag| home.get(tag))
                    .cloned()
                    .unwrap_or_else(|| "common".to_owned());
                let fi = match out.model_files.iter().position(|(s, _)| *s == stem) {
                    Some(fi) => fi,
                    None => {
                        out.model_files.push((
                            stem.clone(),
                            ModelFile {
                                description: None,
                                models: BTreeMap::new(),
                            },
                        ));
                        out.model_files.len() - 1
                    }
                };
                out.model_files[fi]
                    .1
                    .models
                    .insert(name.clone(), model.clone());
                location.insert(name.clone(), fi);
                s.models_added.push((name.clone(), stem));
            }
        }
    }
    if only.is_none() {
        // A model the spec no longer has stays while an action still uses it (a maintainer's
        // model, or one a kept override names); one nothing reaches any more is removed, as
        // it would only cost compile time.
        let all: BTreeMap<String, Model> = out
            .model_files
            .iter()
            .flat_map(|(_, f)| f.models.iter().map(|(n, m)| (n.clone(), m.clone())))
            .collect();
        let mut roots = Vec::new();
        for (_, cat) in &out.categories {
            for a in &cat.actions {
                for ty in action_types(a) {
                    collect_models(&ty, &mut roots);
                }
            }
        }
        let used = closure(&all, roots);
        for name in location.keys() {
            if spec.models.contains_key(name) {
                continue;
            }
            if used.contains(name) {
                s.models_not_in_spec.push(name.clone());
            } else {
                s.models_removed.push(name.clone());
            }
        }
        for (_, file) in &mut out.model_files {
            file.models
                .retain(|name, _| !s.models_removed.contains(name));
        }
    }
    out.model_files.sort_by(|a, b| a.0.cmp(&b.0));
    out.categories.sort_by(|a, b| a.0.cmp(&b.0));
}

/// The spec's model, with what maintainers own of the manifest's: fields' `rust_name`, `boxed`
/// and `spec_overrides` (an override of `required` is kept, and the field stays optional, while
/// the spec still requires the field; an override of `type` keeps the manifest's type while the
/// spec gives another; each is dropped once the spec agrees).
fn merge_model(model: &str, existing: &Model, spec: &Model, s: &mut Summary) -> Model {
    let mut out = spec.clone();
    if out.description.is_none() {
        out.description = existing.description.clone();
    }
    if let (Some(fields), Some(old)) = (out.fields.as_mut(), existing.fields.as_ref()) {
        for (name, f) in fields.iter_mut() {
            if let Some(o) = old.get(name) {
                f.rust_name = o.rust_name.clone();
                f.boxed |= o.boxed;
                if f.description.is_none() {
                    f.description = o.description.clone();
                }
                // Each override: kept (with the manifest's side applied) while the spec still
                // differs on its aspect, else dropped; either way said in the summary.
                let aspects = [
                    (FIELD_OVERRIDE_REQUIRED, f.required),
                    (FIELD_OVERRIDE_TYPE, f.ty != o.ty),
                ];
                for (aspect, differs) in aspects {
                    let Some(reason) = o.spec_overrides.get(aspect) else {
                        continue;
                    };
                    let entry = (format!("{model}.{name}"), aspect.to_owned(), reason.clone());
                    if !differs {
                        s.overrides_dropped.push(entry);
                        continue;
                    }
                    if aspect == FIELD_OVERRIDE_REQUIRED {
                        f.required = false;
                    } else {
                        f.ty = o.ty.clone();
                    }
                    f.spec_overrides.insert(entry.1.clone(), entry.2.clone());
                    s.overrides_kept.push(entry);
                }
            }
        }
    }
    out
}

fn model_changes(old: &Model, new: &Model) -> Vec<String> {
    let mut out = Vec::new();
    let kind = |m: &Model| {
        if m.enum_values.is_some() {
            "enum"
        } else if m.map.is_some() {
            "map"
        } else if m.one_of.is_some() {
            "union"
        } else if m.variants.is_some() {
            "family"
        } else {
            "object"
        }
    };
    if kind(old) != kind(new) {
        out.push(format!("{} -> {}", kind(old), kind(new)));
        return out;
    }
    let empty = BTreeMap::new();
    let (of, nf) = (
        old.fields.as_ref().unwrap_or(&empty),
        new.fields.as_ref().unwrap_or(&empty),
    );
    for (name, f) in nf {
        match of.get(name) {
            None => out.push(format!("+{name}")),
            Some(o) if o.ty != f.ty => out.push(format!("{name}: {} -> {}", o.ty, f.ty)),
            Some(o) if o.required != f.required || o.read_only != f.read_only => {
                out.push(format!("{name}: required/read-only"))
            }
            _ => {}
        }
    }
    for name in of.keys().filter(|n| !nf.contains_key(*n)) {
        out.push(format!("-{name}"));
    }
    let (ov, nv) = (
        old.enum_values.clone().unwrap_or_default(),
        new.enum_values.clone().unwrap_or_default(),
    );
    for v in nv.iter().filter(|v| !ov.contains(v)) {
        out.push(format!("+{v}"));
    }
    for v in ov.iter().filter(|v| !nv.contains(v)) {
        out.push(format!("-{v}"));
    }
    if old.parent != new.parent {
        out.push("parent".into());
    }
    if old.variants != new.variants || old.discriminator != new.discriminator {
        out.push("variants".into());
    }
    if old.one_of != new.one_of || old.mapping != new.mapping {
        out.push("branches".into());
    }
    if old.map != new.map {
        out.push("map value".into());
    }
    if out.is_empty()
        && (old.description != new.description
            || of
                .iter()
                .any(|(n, f)| nf.get(n).is_some_and(|g| g.description != f.description)))
    {
        out.push("docs".into());
    }
    out
}
