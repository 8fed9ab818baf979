//! The spec side of `verify-spec` for an OpenAPI 3.0 document (Okta's specs since 2023): the
//! document converted exactly as `import-spec` converts it (`import_spec::convert`), each
//! operation then reduced to the same [`Shape`] as a manifest action. One reading of the spec
//! serves both commands, so a manifest that `import-spec` wrote verifies clean.

use serde_yaml::Value;

use super::{manifest_shape, unions_of, EnumValues, SpecModels, SpecOp};
use crate::import_spec::convert;

/// Every operation of an OpenAPI 3.0 document, with the values of the enums its converted
/// models define (by model name), for comparing enum-typed parameters by their values, and the
/// converted models themselves, for comparing the manifest's fields with them.
pub(super) fn spec_ops(spec: &Value) -> Result<(Vec<SpecOp>, EnumValues, SpecModels), String> {
    let converted = convert::convert(spec).map_err(|e| e.to_string())?;
    let enums = converted
        .models
        .iter()
        .filter_map(|(name, m)| {
            let values = m.enum_values.as_ref()?;
            Some((
                name.clone(),
                values.iter().map(|v| format!("{v:?}")).collect(),
            ))
        })
        .collect();
    let unions = unions_of(converted.models.iter());
    let ops = converted
        .actions
        .iter()
        .map(|sa| SpecOp {
            key: sa.key(),
            operation_id: sa.action.operation_id.clone(),
            shape: manifest_shape(&sa.action, &unions),
        })
        .collect();
    Ok((ops, enums, converted.models))
}
