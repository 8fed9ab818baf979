//! Hand-written helpers that the generated models call.

use serde::de::{DeserializeOwned, Error};

/// Decode one variant of a polymorphic family from the JSON value its discriminator picked.
/// The error keeps the JSON path inside the variant (`settings.app.url: invalid type ...`), which
/// the outer decoder then prefixes with the path to the family value itself.
// Unused when the enabled categories reach no polymorphic family.
#[allow(dead_code)]
pub(crate) fn decode_variant<T: DeserializeOwned, E: Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = crate::runtime::json_path(err.path());
        let inner = err.into_inner();
        if path == "." {
            E::custom(inner)
        } else {
            E::custom(format_args!("{path}: {inner}"))
        }
    })
}
