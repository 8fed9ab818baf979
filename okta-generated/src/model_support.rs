//! Hand-written helpers that the generated models call.

use serde::de::{DeserializeOwned, Error};
use serde::{ser, Serialize, Serializer};

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

/// Encode one variant of a polymorphic family, setting the discriminator to the variant's own
/// value when the caller left it unset, so `UserFactor::Sms(SmsUserFactor { .. })` is sent with
/// `"factorType": "sms"` without repeating it. A discriminator the caller did set is kept.
// Unused when the enabled categories reach no polymorphic family.
#[allow(dead_code)]
pub(crate) fn encode_variant<T: Serialize, S: Serializer>(
    value: &T,
    discriminator: &str,
    tag: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut json = serde_json::to_value(value).map_err(ser::Error::custom)?;
    if let serde_json::Value::Object(map) = &mut json {
        let entry = map.entry(discriminator).or_insert(serde_json::Value::Null);
        if entry.is_null() {
            *entry = serde_json::Value::String(tag.to_owned());
        }
    }
    json.serialize(serializer)
}
