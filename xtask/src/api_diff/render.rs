//! The report: markdown (a section ready for CHANGELOG.md) or JSON (stable: changes sorted,
//! fields in a fixed order).

use serde::Serialize;

use super::compare::{Change, Scope};
use super::rules::Class;
use super::summarize;

fn counts(changes: &[Change]) -> [(Class, usize); 4] {
    Class::ALL.map(|c| (c, changes.iter().filter(|x| x.class == c).count()))
}

/// Markdown: a summary line, then one `###` section per class, breaking first.
pub fn markdown(base: &str, changes: &[Change]) -> String {
    if changes.is_empty() {
        return format!("API changes since `{base}`: none.\n");
    }
    let s = summarize(changes);
    let classes: Vec<String> = counts(changes)
        .iter()
        .map(|(c, n)| format!("{n} {}", class_name(*c)))
        .collect();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut out = format!(
        "API changes since `{base}`: {} ({}, {}, {} changed).\n",
        classes.join(", "),
        plural(s.categories, "category", "categories"),
        plural(s.actions, "action", "actions"),
        plural(s.models, "model", "models"),
    );
    for (class, n) in counts(changes) {
        if n == 0 {
            continue;
        }
        out.push_str(&format!("\n### {}\n\n", class.heading()));
        for c in changes.iter().filter(|c| c.class == class) {
            out.push_str(&format!("- `{}`: {}", c.item, c.what));
            if !c.what.ends_with('.') {
                out.push('.');
            }
            if let Some(instead) = &c.instead {
                out.push_str(&format!("\n  Instead: {instead}"));
                if !instead.ends_with('.') {
                    out.push('.');
                }
            }
            out.push('\n');
        }
    }
    out
}

fn class_name(c: Class) -> &'static str {
    match c {
        Class::Breaking => "breaking",
        Class::Wire => "wire",
        Class::Deprecated => "deprecated",
        Class::Additive => "additive",
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    base: &'a str,
    summary: JsonSummary,
    changes: Vec<JsonChange<'a>>,
}

#[derive(Serialize)]
struct JsonSummary {
    breaking: usize,
    wire: usize,
    deprecated: usize,
    additive: usize,
    categories: usize,
    actions: usize,
    models: usize,
}

#[derive(Serialize)]
struct JsonChange<'a> {
    class: Class,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<&'a str>,
    item: &'a str,
    change: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    instead: Option<&'a str>,
}

/// JSON, pretty-printed, with a final newline.
pub fn json(base: &str, changes: &[Change]) -> String {
    let s = summarize(changes);
    let [b, w, d, a] = counts(changes).map(|(_, n)| n);
    let report = JsonReport {
        base,
        summary: JsonSummary {
            breaking: b,
            wire: w,
            deprecated: d,
            additive: a,
            categories: s.categories,
            actions: s.actions,
            models: s.models,
        },
        changes: changes
            .iter()
            .map(|c| {
                let (category, action, model) = match &c.scope {
                    Scope::Category(acc) => (Some(acc.as_str()), None, None),
                    Scope::Action(acc, m) => (Some(acc.as_str()), Some(m.as_str()), None),
                    Scope::Model(m) => (None, None, Some(m.as_str())),
                };
                JsonChange {
                    class: c.class,
                    kind: c.kind.name(),
                    category,
                    action,
                    model,
                    item: &c.item,
                    change: &c.what,
                    instead: c.instead.as_deref(),
                }
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}
