//! Every row of the Rewst action table (`../shared/seeds/001_…txt`; skipped,
//! visibly, when `../shared` is absent, and failed under `CI=true`) maps to exactly
//! one action of the manifest in that category, and no action is claimed by two rows.
//!
//! A row matches an action by display name; where the table repeats a name (or the manifest
//! renamed a repeated one), the description decides: the same words, or, where Okta has since
//! reworded it, clearly the most words in common.

use std::collections::BTreeMap;

use xtask::workspace_root;

fn seed_rows() -> Option<Vec<(String, String, String)>> {
    let dir = xtask::shared_data::shared_or_skip(
        &workspace_root(),
        "seeds",
        "every_seed_row_maps_to_exactly_one_action_of_its_category",
    )?;
    // `../shared/seeds` is there: its action table must be too.
    let path = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .find_map(|e| {
            let p = e.ok()?.path();
            p.file_name()?.to_str()?.starts_with("001_").then_some(p)
        })
        .unwrap_or_else(|| panic!("{} has no 001_*.txt action table", dir.display()));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rows = text
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("| ---") && !l.starts_with("| Category"))
        .map(|l| {
            let cells: Vec<String> = l
                .trim()
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_owned())
                .collect();
            (
                cells[0].trim_matches('*').to_owned(),
                cells[1].clone(),
                cells.get(2).cloned().unwrap_or_default(),
            )
        })
        .collect();
    Some(rows)
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The share of the row's words (lower case, letters and digits only) that the description has.
fn overlap(row: &str, description: &str) -> f64 {
    let set = |s: &str| -> std::collections::BTreeSet<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() > 2)
            .map(str::to_lowercase)
            .collect()
    };
    let (row, description) = (set(row), set(description));
    if row.is_empty() {
        return 0.0;
    }
    row.intersection(&description).count() as f64 / row.len() as f64
}

#[test]
fn every_seed_row_maps_to_exactly_one_action_of_its_category() {
    let Some(rows) = seed_rows() else { return };
    let api = okta_codegen::load_api(&workspace_root().join("manifest")).unwrap();
    assert_eq!(rows.len(), 330, "the action table has 330 rows");

    let mut claimed: BTreeMap<String, String> = BTreeMap::new();
    let mut problems = Vec::new();
    for (category, name, desc) in &rows {
        if category == "Generic Request" {
            // Not a manifest action: `Client::generic_request` in the runtime.
            assert_eq!(name, "Okta Generic Request");
            continue;
        }
        let Some(cat) = api.categories.iter().find(|c| &c.name == category) else {
            problems.push(format!("no category `{category}` for row `{name}`"));
            continue;
        };
        let same_desc = |a: &&okta_codegen::ir::ActionDef| {
            a.description.as_deref().map(words) == Some(words(desc))
        };
        let by_name: Vec<_> = cat
            .actions
            .iter()
            .filter(|a| &a.display_name == name)
            .collect();
        let unclaimed_by_name: Vec<_> = by_name
            .iter()
            .filter(|a| !claimed.contains_key(&format!("{category}/{}", a.method_name)))
            .collect();
        let mut found: Vec<_> = match unclaimed_by_name.as_slice() {
            [one] if by_name.len() == 1 || same_desc(one) => vec![**one],
            _ => cat.actions.iter().filter(same_desc).collect(),
        };
        if found.is_empty() {
            // A repeated name whose description Okta has since reworded: the unclaimed action
            // of the category whose description shares the most words with the row's, when it
            // shares most of them and clearly more than any other.
            let mut scored: Vec<_> = cat
                .actions
                .iter()
                .filter(|a| !claimed.contains_key(&format!("{category}/{}", a.method_name)))
                .map(|a| (overlap(desc, a.description.as_deref().unwrap_or("")), a))
                .collect();
            scored.sort_by(|x, y| y.0.total_cmp(&x.0));
            if let [(best, action), rest @ ..] = scored.as_slice() {
                let second = rest.first().map_or(0.0, |r| r.0);
                if *best >= 0.5 && best - second > 0.1 {
                    found.push(action);
                }
            }
        }
        match found.as_slice() {
            [action] => {
                let key = format!("{category}/{}", action.method_name);
                if let Some(other) = claimed.insert(key.clone(), name.clone()) {
                    problems.push(format!("`{key}` is claimed by rows `{other}` and `{name}`"));
                }
            }
            [] => problems.push(format!("row `{category}` / `{name}` matches no action")),
            many => problems.push(format!(
                "row `{category}` / `{name}` matches {} actions",
                many.len()
            )),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(claimed.len(), 329);
}
