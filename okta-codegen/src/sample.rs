//! Realistic sample JSON for any manifest type, for tests: the contract tests send these as request
//! bodies and answer with them as responses, and the model tests round-trip one per model (and one
//! per family variant, one per union branch, and the values kept in `Other`) through the generated
//! types.
//!
//! Deterministic: the same manifest gives the same samples. Every field of an object is filled down
//! to [`FULL_DEPTH`] levels; below that only required fields and non-model fields, so samples of
//! deep or self-referencing models stay small and finite.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::ir::{Api, FamilyVariant, FieldDef, ModelDef, ModelKind, Type, UnionBranch};

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

    /// One sample per way a model can be decoded: the model itself; for a family each of its
    /// variants plus a value with an unknown discriminator; for a union each of its branches, in
    /// order, plus (when one exists) a value that no branch takes. Labels name the case.
    pub fn cases(&self, model: &str) -> Vec<(String, Value)> {
        let Some(def) = self.models.get(model) else {
            return Vec::new();
        };
        let ty = Type::Model(model.to_owned());
        if let ModelKind::Union {
            branches,
            discriminator,
        } = &def.kind
        {
            let mut out = Vec::new();
            for b in branches {
                let mut sample = self.branch(discriminator.as_deref(), b, 0, model);
                self.add_unknown_field(&b.ty, &mut sample);
                out.push((format!("{model}::{} ({})", b.ident, b.ty), sample));
            }
            if let Some(other) = self.unmatched(branches, discriminator.as_deref()) {
                out.push((format!("{model}::Other"), other));
            }
            return out;
        }
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
        let kind = ty.model().and_then(|m| self.models.get(m)).map(|d| &d.kind);
        let is_struct = match kind {
            Some(ModelKind::Object { .. } | ModelKind::Family { .. }) => true,
            // A union's sample is its first branch's.
            Some(ModelKind::Union { branches, .. }) => {
                if let Some(first) = branches.first() {
                    self.add_unknown_field(&first.ty, v);
                }
                false
            }
            _ => false,
        };
        if let (true, Value::Object(map)) = (is_struct, v) {
            map.insert(UNKNOWN_FIELD.into(), json!({"kept": [1, "two", true]}));
        }
    }

    /// A sample of one branch of a union; with a discriminator, set to the branch's first value.
    fn branch(
        &self,
        discriminator: Option<&str>,
        b: &UnionBranch,
        depth: usize,
        name: &str,
    ) -> Value {
        let mut value = self.value(&b.ty, depth, name);
        if let (Some(d), Some(tag), Value::Object(map)) =
            (discriminator, b.values.first(), &mut value)
        {
            map.insert(d.to_owned(), json!(tag));
        }
        value
    }

    /// A value of a union that no branch takes, if there is one: with a discriminator, the first
    /// branch's sample with a discriminator no branch has; without, a value of a JSON kind no
    /// branch decodes (`null` when every other kind has one). A `json` branch, or one that is a
    /// union itself, takes every value: then there is none.
    fn unmatched(&self, branches: &[UnionBranch], discriminator: Option<&str>) -> Option<Value> {
        if let Some(d) = discriminator {
            let first = branches.first()?;
            let mut value = self.branch(Some(d), first, 0, "value");
            if let Value::Object(map) = &mut value {
                map.insert(d.to_owned(), json!(UNKNOWN_DISCRIMINATOR));
            }
            return Some(value);
        }
        let kinds: Vec<JsonKinds> = branches.iter().map(|b| self.kinds(&b.ty)).collect();
        if kinds.contains(&JsonKinds::Any) {
            return None;
        }
        let candidates = [
            (JsonKinds::Boolean, json!(true)),
            (JsonKinds::String, json!("sample text no branch takes")),
            (JsonKinds::Number, json!(1.5)),
            (JsonKinds::Array, json!(["sample"])),
            (JsonKinds::Object, json!({"sample": true})),
        ];
        let free = candidates
            .into_iter()
            .find(|(kind, _)| !kinds.iter().any(|k| k.takes(*kind)));
        Some(free.map_or(Value::Null, |(_, v)| v))
    }

    /// The JSON kinds a value of `ty` may be.
    fn kinds(&self, ty: &Type) -> JsonKinds {
        match ty {
            Type::String | Type::DateTime => JsonKinds::String,
            Type::I32 | Type::I64 => JsonKinds::Integer,
            Type::F64 => JsonKinds::Number,
            Type::Bool => JsonKinds::Boolean,
            Type::Json => JsonKinds::Any,
            Type::List(_) => JsonKinds::Array,
            Type::Map(_) => JsonKinds::Object,
            Type::Model(m) => match self.models.get(m.as_str()).map(|d| &d.kind) {
                Some(ModelKind::Enum { .. }) => JsonKinds::String,
                Some(ModelKind::Union { .. }) | None => JsonKinds::Any,
                Some(_) => JsonKinds::Object,
            },
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
            // Past the depth limit, an empty list (a union that is a list of itself ends).
            Type::List(_) if depth >= MAX_DEPTH => json!([]),
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
            // The first branch, a level deeper (a union of lists of itself ends).
            ModelKind::Union {
                branches,
                discriminator,
            } => match branches.first() {
                Some(b) => self.branch(discriminator.as_deref(), b, depth + 1, name),
                None => Value::Null,
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

/// The JSON kinds of value a type decodes from (as far as a union's fallback sample goes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JsonKinds {
    String,
    /// Whole numbers only.
    Integer,
    /// Any number.
    Number,
    Boolean,
    Array,
    Object,
    /// Every value.
    Any,
}

impl JsonKinds {
    /// Whether a type of these kinds takes a value of kind `kind`.
    fn takes(self, kind: JsonKinds) -> bool {
        self == JsonKinds::Any
            || self == kind
            || (self == JsonKinds::Number && kind == JsonKinds::Integer)
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
