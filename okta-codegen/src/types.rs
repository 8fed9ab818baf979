//! Manifest type expressions (`string`, `list<User>`, `map<json>`, `User`), parsed once, when the
//! manifest is loaded: every later stage gets a [`Type`], never the text.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::names;

/// A type as the manifest writes it, resolved to what it means.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Type {
    String,
    I32,
    I64,
    F64,
    Bool,
    /// An RFC 3339 timestamp, kept as text so any format Okta sends survives.
    DateTime,
    /// Any JSON value.
    Json,
    Model(String),
    List(Box<Type>),
    Map(Box<Type>),
}

/// The scalar type names, with what each means.
const SCALARS: &[(&str, Type)] = &[
    ("string", Type::String),
    ("integer", Type::I32),
    ("int64", Type::I64),
    ("number", Type::F64),
    ("boolean", Type::Bool),
    ("date-time", Type::DateTime),
    ("json", Type::Json),
];

impl Type {
    /// `string`, the default type of a path parameter.
    pub fn is_string(&self) -> bool {
        *self == Type::String
    }

    /// Parse a manifest type expression: `string`, `integer`, `int64`, `number`, `boolean`,
    /// `date-time`, `json`, `list<T>`, `map<T>` or a model name.
    pub fn parse(s: &str) -> Result<Type, String> {
        let s = s.trim();
        let inner = |prefix: &str| {
            s.strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix('>'))
                .map(Type::parse)
        };
        if let Some(t) = inner("list<") {
            return Ok(Type::List(Box::new(t?)));
        }
        if let Some(t) = inner("map<") {
            return Ok(Type::Map(Box::new(t?)));
        }
        if let Some((_, t)) = SCALARS.iter().find(|(name, _)| *name == s) {
            return Ok(t.clone());
        }
        if names::is_model_name(s) {
            return Ok(Type::Model(s.to_owned()));
        }
        Err(format!(
            "`{s}` is not a type (expected string, integer, int64, number, boolean, date-time, \
             json, list<T>, map<T> or a model name in UpperCamelCase)"
        ))
    }

    /// Every model this type names.
    pub fn models(&self, out: &mut Vec<String>) {
        match self {
            Type::Model(m) => out.push(m.clone()),
            Type::List(t) | Type::Map(t) => t.models(out),
            _ => {}
        }
    }

    /// The model this type is, if it is one (not a list or map of one).
    pub fn model(&self) -> Option<&str> {
        match self {
            Type::Model(m) => Some(m),
            _ => None,
        }
    }
}

/// The manifest spelling (`list<User>`), for docs, `xtask list` and `verify-spec`.
impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Model(m) => f.write_str(m),
            Type::List(t) => write!(f, "list<{t}>"),
            Type::Map(t) => write!(f, "map<{t}>"),
            scalar => {
                let name = SCALARS
                    .iter()
                    .find(|(_, t)| t == scalar)
                    .map_or("?", |(name, _)| name);
                f.write_str(name)
            }
        }
    }
}

/// Written back as the manifest spells it (`list<User>`).
impl Serialize for Type {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Type {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Type::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_prints_as_it_is_written() {
        for text in [
            "string",
            "integer",
            "int64",
            "number",
            "boolean",
            "date-time",
            "json",
            "User",
            "list<User>",
            "map<list<string>>",
        ] {
            assert_eq!(Type::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn malformed_type_expressions_are_refused() {
        for bad in [
            "",
            "list<string",
            "strng",
            "user",
            "list<>",
            "map<User",
            "Us er",
        ] {
            assert!(Type::parse(bad).is_err(), "{bad:?}");
        }
    }
}
