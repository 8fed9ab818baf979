//! Realistic sample JSON for any manifest type, for tests: the contract tests send these as request
//! bodies and answer with them as responses, and the model tests round-trip one per model (and one
//! per family variant) through the generated types.
//!
//! Deterministic: the same manifest gives the same samples. Every field of an object is filled down
//! to [`FULL_DEPTH`] levels; below that only required fields and non-model fields, so samples of
//! deep or self-referencing models stay small and finite.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::ir::{Api, FamilyVariant, FieldDef, ModelDef, ModelKind, Type};

/// Levels of nesting that get every field.
pub const FULL_DEPTH: usize = 3;
/// A required field chain longer than this is cut off (a required self-reference has no finite
/// value; validation lets `boxed` fields through, so do not loop forever).
const MAX_DEPTH: usize = 12;
/// A discriminator value no family knows: the sample of a family's fallback variant.
pub const UNKNOWN_DISCRIMINATOR: &str = "sample_value_unknown_to_this_client";
/// A field no model declares, added to top-level objects to prove unknown fields survive.
pub const UNKNOWN_FIELD: &str = "sampleFieldUnknownToThisClient";

pub struct Samples<'a> {
    models: BTreeMap<&'a str, &'a ModelDef>,
    /// A family variant's model -> the family's discriminator and the variant's first value, so
    /// a sample of the variant model alone is consistent with what it is.
    tags: BTreeMap<&'a str, (&'a str, &'a str)>,
}

impl<'a> Samples<'a> {
    pub fn new(api: &'a Api) -> Self {
        let mut tags = BTreeMap::new();
        for m in &api.models {
            if let ModelKind::Family {
                discriminator,
                variants,
                ..
            } = &m.kind
            {
                for v in variants {
                    tags.insert(
                        v.model.as_str(),
                        (discriminator.as_str(), v.values[0].as_str()),
                    );
                }
            }
        }
        Samples {
            models: api.models.iter().map(|m| (m.name.as_str(), m)).collect(),
            tags,
        }
    }

    /// A sample value of `ty`; a top-level object also carries [`UNKNOWN_FIELD`].
    pub fn of_type(&self, ty: &Type) -> Value {
        let mut v = self.value(ty, 0, "value");
        self.add_unknown_field(ty, &mut v);
        v
    }

    /// One sample per way a model can be decoded: the model itself, and for a family each of
    /// its variants plus a value with an unknown discriminator. Labels name the case.
    pub fn cases(&self, model: &str) -> Vec<(String, Value)> {
        let Some(def) = self.models.get(model) else {
            return Vec::new();
        };
        let ty = Type::Model(model.to_owned());
        let ModelKind::Family {
            discriminator,
            variants,
            base_fields,
            ..
        } = &def.kind
        else {
            return vec![(model.to_owned(), self.of_type(&ty))];
        };
        let mut out = Vec::new();
        for v in variants {
            let mut sample = self.variant(discriminator, v, 0);
            self.add_unknown_field(&ty, &mut sample);
            out.push((format!("{model}::{} ({})", v.ident, v.values[0]), sample));
        }
        let mut other = self.object(base_fields, 0);
        other.insert(discriminator.clone(), json!(UNKNOWN_DISCRIMINATOR));
        let mut other = Value::Object(other);
        self.add_unknown_field(&ty, &mut other);
        out.push((format!("{model}::Other"), other));
        out
    }

    fn add_unknown_field(&self, ty: &Type, v: &mut Value) {
        let is_struct = match ty {
            Type::Model(m) => matches!(
                self.models.get(m.as_str()).map(|d| &d.kind),
                Some(ModelKind::Object { .. } | ModelKind::Family { .. })
            ),
            _ => false,
        };
        if let (true, Value::Object(map)) = (is_struct, v) {
            map.insert(UNKNOWN_FIELD.into(), json!({"kept": [1, "two", true]}));
        }
    }

    fn value(&self, ty: &Type, depth: usize, name: &str) -> Value {
        match ty {
            Type::String => json!(string_for(name)),
            Type::I32 => json!(42),
            Type::I64 => json!(9_000_000_001_i64),
            Type::F64 => json!(1.5),
            Type::Bool => json!(true),
            Type::DateTime => json!("2026-01-02T03:04:05.000Z"),
            Type::Json => json!({"any": ["json", 1, false, null]}),
            Type::List(item) => json!([self.value(item, depth, name)]),
            Type::Map(value) => json!({ "key1": self.value(value, depth + 1, name) }),
            Type::Model(m) => self.model(m, depth),
        }
    }

    fn model(&self, name: &str, depth: usize) -> Value {
        let Some(def) = self.models.get(name) else {
            return Value::Null;
        };
        match &def.kind {
            ModelKind::Object { fields } => {
                let mut map = self.object(fields, depth);
                if let Some((discriminator, tag)) = self.tags.get(name) {
                    map.insert((*discriminator).to_owned(), json!(tag));
                }
                Value::Object(map)
            }
            ModelKind::Enum { variants } => {
                json!(variants.first().map_or("", |v| v.value.as_str()))
            }
            ModelKind::Map { value } => json!({ "key1": self.value(value, depth + 1, name) }),
            ModelKind::Family {
                discriminator,
                variants,
                base_fields,
                ..
            } => match variants.first() {
                Some(v) => self.variant(discriminator, v, depth),
                None => {
                    let mut map = self.object(base_fields, depth);
                    map.insert(discriminator.clone(), json!(UNKNOWN_DISCRIMINATOR));
                    Value::Object(map)
                }
            },
        }
    }

    /// The variant's model with the family's discriminator set to the variant's first value.
    fn variant(&self, discriminator: &str, v: &FamilyVariant, depth: usize) -> Value {
        let mut value = self.model(&v.model, depth);
        if let Value::Object(map) = &mut value {
            map.insert(discriminator.to_owned(), json!(v.values[0]));
        }
        value
    }

    fn object(&self, fields: &[FieldDef], depth: usize) -> Map<String, Value> {
        let mut map = Map::new();
        for f in fields {
            let nested = self.is_nested(&f.ty);
            let include = if depth >= MAX_DEPTH {
                false
            } else if depth >= FULL_DEPTH {
                f.required || !nested
            } else {
                true
            };
            if include {
                map.insert(
                    f.json_name.clone(),
                    self.value(&f.ty, depth + 1, &f.json_name),
                );
            }
        }
        map
    }

    /// Whether a value of `ty` contains objects (a model other than an enum, at any list depth).
    fn is_nested(&self, ty: &Type) -> bool {
        match ty {
            Type::List(t) | Type::Map(t) => self.is_nested(t),
            Type::Model(m) => !matches!(
                self.models.get(m.as_str()).map(|d| &d.kind),
                Some(ModelKind::Enum { .. })
            ),
            Type::Json => true,
            _ => false,
        }
    }
}

/// Text that looks like what Okta puts in a field of that name.
fn string_for(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower.contains("email") || lower == "login" || lower.ends_with("username") {
        "isaac.brock@example.com".into()
    } else if lower == "id" || lower.ends_with("id") {
        "00u1a2b3c4D5e6F7g8h9".into()
    } else if lower.contains("url") || lower.contains("uri") || lower == "href" {
        "https://acme.okta.com/api/v1/resource".into()
    } else if lower.contains("phone") {
        "+1-555-415-1337".into()
    } else {
        format!("Sample {name}")
    }
}
