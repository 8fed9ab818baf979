//! `cargo xtask list`: every action of the manifest, as JSON (for tools and tests) or text.

use std::path::Path;
use std::process::ExitCode;

use okta_codegen::ir::{Api, BodyDef, ResponseDef, Type};
use serde_json::{json, Value};

/// One JSON object per action, with the keys documented in the README.
pub fn actions_json(api: &Api) -> Value {
    let mut out = Vec::new();
    for cat in &api.categories {
        for a in &cat.actions {
            let (response, is_list) = match &a.response {
                ResponseDef::Json(Type::List(item)) => (Some(item.to_string()), true),
                ResponseDef::Page { item, .. } => (Some(item.to_string()), true),
                ResponseDef::Json(t) => (Some(t.to_string()), false),
                ResponseDef::Empty | ResponseDef::Text(_) => (None, false),
            };
            let body = match &a.body {
                Some(BodyDef::Json { ty, .. }) => Some(ty.to_string()),
                _ => None,
            };
            let fixed_query = if a.fixed_query.is_empty() {
                Value::Null
            } else {
                Value::Object(
                    a.fixed_query
                        .iter()
                        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                        .collect(),
                )
            };
            out.push(json!({
                "category": cat.name,
                "name": a.display_name,
                "operation_id": a.operation_id,
                "rust": format!("{}().{}", cat.accessor, a.method_name),
                "method": a.http_method,
                "path": a.path,
                "fixed_query": fixed_query,
                "path_params": a.path_params.iter().map(|p| &p.wire_name).collect::<Vec<_>>(),
                "query_params": a.query_params.iter().map(|p| &p.wire_name).collect::<Vec<_>>(),
                "body": body,
                "body_content_type": a.body.as_ref().map(|b| b.content_type()),
                "response": response,
                "response_is_list": is_list,
                "paginated": matches!(a.response, ResponseDef::Page { .. }),
            }));
        }
    }
    Value::Array(out)
}

/// The README's table of categories: accessor, feature and number of actions, plus the generic
/// request, which is a method of the client rather than a manifest action.
pub fn categories_markdown(api: &Api) -> String {
    let mut out =
        String::from("| category | accessor and cargo feature | actions |\n| --- | --- | --- |\n");
    for cat in &api.categories {
        out.push_str(&format!(
            "| {} | `client.{}()` | {} |\n",
            cat.name,
            cat.accessor,
            cat.actions.len()
        ));
    }
    out.push_str(
        "| Okta Generic Request | `client.generic_request(method, path)` (always built) | any method, any path under the org |\n",
    );
    out
}

pub fn run(manifest: &Path, format: &str) -> Result<ExitCode, String> {
    let api = match okta_codegen::load_api(manifest) {
        Ok(api) => api,
        Err(d) => {
            eprintln!("{d}");
            return Ok(ExitCode::FAILURE);
        }
    };
    match format {
        "json" => {
            let text =
                serde_json::to_string_pretty(&actions_json(&api)).map_err(|e| e.to_string())?;
            outln!("{text}");
        }
        "markdown" => out!("{}", categories_markdown(&api)),
        "text" => {
            for cat in &api.categories {
                for a in &cat.actions {
                    outln!(
                        "{:<22} {:<7} {:<90} {}().{}",
                        cat.name,
                        a.http_method,
                        a.path,
                        cat.accessor,
                        a.method_name
                    );
                }
            }
        }
        other => return Err(format!("unknown format `{other}` (json, text or markdown)")),
    }
    Ok(ExitCode::SUCCESS)
}
