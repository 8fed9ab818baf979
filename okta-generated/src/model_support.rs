//! Hand-written helpers that the generated models call.

use std::fmt;

use serde::de::{DeserializeOwned, Error, Visitor};
use serde::{ser, Deserialize, Deserializer, Serialize, Serializer};

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

/// An object key as the generated decoders read it: borrowed from the input when it can be
/// (no escapes in it), so matching it against the known field names does not allocate.
// Unused when the enabled categories reach no model.
#[allow(dead_code)]
pub(crate) enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

#[allow(dead_code)]
impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(key) => key,
            Key::Owned(key) => key,
        }
    }

    /// The key of a field this version of the client does not know, to keep it.
    pub(crate) fn into_owned(self) -> String {
        match self {
            Key::Borrowed(key) => key.to_owned(),
            Key::Owned(key) => key,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(key))
            }
            fn visit_str<E: Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(key.to_owned()))
            }
            fn visit_string<E: Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(key))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}
