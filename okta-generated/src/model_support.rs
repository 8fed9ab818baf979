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

/// `Serialize` and `Deserialize` for a generated struct, from its table of fields: each field's
/// Rust name, JSON name, and whether it is `optional` (an `Option`, left out when `None`) or
/// `required` (an error when absent). Any other key is kept in `additional_properties`.
///
/// ```ignore
/// crate::model_support::object_serde!(UserProfile {
///     cost_center: "costCenter" optional,
///     login: "login" required,
/// });
/// ```
///
/// A JSON object is read key by key in one `visit_map` (a repeated key: the last one wins, as in
/// `serde_json::Value`) and written through `serialize_map`, fields in order, then the kept
/// ones. This is a fraction of what serde's derive expands to (no field enum, no sequence form,
/// no buffering for `flatten`), which was most of what the crate cost to type-check; and as a
/// table it is a fraction of the text for the generator to write and lay out.
#[allow(unused_macros)] // unused when the enabled categories reach no struct
macro_rules! object_serde {
    ($ty:ident { $($field:ident: $wire:literal $kind:ident,)* }) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                $( $crate::model_support::object_serde!(@write $kind, map, $wire, &self.$field); )*
                for (key, value) in &self.additional_properties {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct ObjectVisitor;
                impl<'de> serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a JSON object (", stringify!($ty), ")"))
                    }
                    #[allow(clippy::match_single_binding)] // a struct without declared fields
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$ty, A::Error> {
                        $( let mut $field = None; )*
                        let mut additional_properties = serde_json::Map::new();
                        while let Some(key) = map.next_key::<$crate::model_support::Key<'de>>()? {
                            match key.as_str() {
                                $( $wire => $crate::model_support::object_serde!(@read $kind, $field, map), )*
                                _ => {
                                    additional_properties.insert(key.into_owned(), map.next_value()?);
                                }
                            }
                        }
                        Ok($ty {
                            $( $field: $crate::model_support::object_serde!(@finish $kind, $field, $wire, A), )*
                            additional_properties,
                        })
                    }
                }
                deserializer.deserialize_map(ObjectVisitor)
            }
        }
    };
    (@write optional, $map:ident, $wire:literal, $value:expr) => {
        if let Some(value) = $value {
            $map.serialize_entry($wire, value)?;
        }
    };
    (@write required, $map:ident, $wire:literal, $value:expr) => {
        $map.serialize_entry($wire, $value)?;
    };
    (@read optional, $field:ident, $map:ident) => {
        $field = $map.next_value()?
    };
    (@read required, $field:ident, $map:ident) => {
        $field = Some($map.next_value()?)
    };
    (@finish optional, $field:ident, $wire:literal, $A:ident) => {
        $field
    };
    (@finish required, $field:ident, $wire:literal, $A:ident) => {
        $field.ok_or_else(|| <$A::Error as serde::de::Error>::missing_field($wire))?
    };
}
#[allow(unused_imports)] // unused when the enabled categories reach no struct
pub(crate) use object_serde;

/// The items of a generated string enum, from its table of variants: each variant's Rust name
/// and the value Okta writes. The enum itself is generated beside it, with one more variant,
/// `Unrecognized(String)`, for values this version of the client does not know. This gives it
/// `as_str`, `From<&str>`, `Display`, `Serialize` and `Deserialize`, all through the value.
///
/// ```ignore
/// crate::model_support::string_enum!(UserStatus { Active = "ACTIVE", Staged = "STAGED", });
/// ```
///
/// The same five items for every enum, written once here rather than spelled out by the
/// generator for each of them (they were a fifth of the text it wrote and laid out).
#[allow(unused_macros)] // unused when the enabled categories reach no enum
macro_rules! string_enum {
    ($ty:ident { $($variant:ident = $value:literal,)* }) => {
        impl $ty {
            /// The value as Okta writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Unrecognized(value) => value,
                }
            }
        }

        impl From<&str> for $ty {
            fn from(value: &str) -> Self {
                match value {
                    $( $value => Self::$variant, )*
                    other => Self::Unrecognized(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }
    };
}
#[allow(unused_imports)] // unused when the enabled categories reach no enum
pub(crate) use string_enum;

#[cfg(test)]
mod tests {
    use serde_json::json;

    /// A struct shaped like a generated one, with a required field (the Okta manifest has none).
    #[derive(Debug, PartialEq)]
    struct Probe {
        name: Option<String>,
        total: i64,
        additional_properties: serde_json::Map<String, serde_json::Value>,
    }
    object_serde!(Probe {
        name: "displayName" optional,
        total: "total" required,
    });

    /// An enum shaped like a generated one.
    #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
    enum Shade {
        Dark,
        LightGrey,
        Unrecognized(String),
    }
    string_enum!(Shade { Dark = "DARK", LightGrey = "light:grey", });

    #[test]
    fn string_enum_reads_and_writes_okta_values_and_keeps_unknown_ones() {
        let shades: Vec<Shade> =
            serde_json::from_str(r#"["DARK", "light:grey", "dark", "NEON"]"#).unwrap();
        assert_eq!(
            shades,
            [
                Shade::Dark,
                Shade::LightGrey,
                Shade::Unrecognized("dark".into()),
                Shade::Unrecognized("NEON".into()),
            ]
        );
        assert_eq!(
            serde_json::to_string(&shades).unwrap(),
            r#"["DARK","light:grey","dark","NEON"]"#
        );
        assert_eq!(Shade::LightGrey.to_string(), "light:grey");
        assert_eq!(Shade::from("DARK").as_str(), "DARK");
        let err = serde_json::from_str::<Shade>("7").unwrap_err();
        assert!(err.to_string().contains("expected a string"), "{err}");
    }

    #[test]
    fn object_decodes_by_wire_name_and_keeps_unknown_keys() {
        let probe: Probe =
            serde_json::from_value(json!({"displayName": "a", "total": 3, "extra": [1]})).unwrap();
        assert_eq!(probe.name.as_deref(), Some("a"));
        assert_eq!(probe.total, 3);
        assert_eq!(probe.additional_properties["extra"], json!([1]));
        assert_eq!(
            serde_json::to_value(&probe).unwrap(),
            json!({"displayName": "a", "total": 3, "extra": [1]})
        );
    }

    #[test]
    fn object_leaves_out_absent_optional_fields_and_accepts_null_for_them() {
        let probe: Probe = serde_json::from_str(r#"{"displayName": null, "total": 0}"#).unwrap();
        assert_eq!(probe.name, None);
        assert_eq!(serde_json::to_string(&probe).unwrap(), r#"{"total":0}"#);
    }

    #[test]
    fn object_without_a_required_field_is_an_error_naming_it() {
        let err = serde_json::from_str::<Probe>(r#"{"displayName": "a"}"#).unwrap_err();
        assert!(err.to_string().contains("missing field `total`"), "{err}");
    }

    #[test]
    fn object_matches_escaped_keys_and_takes_the_last_of_repeated_ones() {
        // `\u0074otal` is `total` with an escape: the key is decoded, not borrowed.
        let probe: Probe = serde_json::from_str(r#"{"\u0074otal": 1, "total": 2}"#).unwrap();
        assert_eq!(probe.total, 2);
        assert!(probe.additional_properties.is_empty());
    }

    #[test]
    fn object_refuses_what_is_not_an_object_and_says_what_it_expected() {
        let err = serde_json::from_str::<Probe>("[1]").unwrap_err();
        assert!(err.to_string().contains("a JSON object (Probe)"), "{err}");
    }
}
