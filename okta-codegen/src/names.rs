//! Turning Okta's names (JSON fields, enum values, operationIds) into legal Rust identifiers.
//!
//! Case conversion is heck's. What heck leaves illegal is fixed here, in one place: keywords get a
//! trailing `_` (`type` -> `type_`), names that do not start with a letter get a prefix, names that
//! convert to nothing get a fallback. Identifiers are ASCII: heck keeps any Unicode letter or
//! digit (`a²` -> `A²`), which is not always a Rust identifier, so the rest is dropped.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Every Rust keyword, strict and reserved, in all editions, plus names that cannot be raw.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "try",
    "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "union",
];

pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Is `s` a legal Rust identifier that is not a keyword (ASCII only, as generated code uses)?
pub fn is_plain_ident(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    s != "_" && chars.all(|c| c.is_ascii_alphanumeric() || c == '_') && !is_keyword(s)
}

/// snake_case identifier for a field, parameter or method: `x5t#S256` -> `x5t_s256`,
/// `_links` -> `links`, `type` -> `type_`, `$ref` -> `ref_`, `2fa` -> `n2fa`.
pub fn snake_ident(name: &str) -> String {
    let mut s = name.to_snake_case();
    s.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    if s.trim_matches('_').is_empty() {
        s = "value".to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'n');
    }
    if is_keyword(&s) {
        s.push('_');
    }
    s
}

/// UpperCamelCase identifier for a type or enum variant: `token:software:totp` ->
/// `TokenSoftwareTotp`, `SHA-512` -> `Sha512`, `2FA` -> `V2fa`, `` -> `Empty`.
pub fn camel_ident(name: &str) -> String {
    let mut s = name.to_upper_camel_case();
    s.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    if s.is_empty() {
        return "Empty".to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    if is_keyword(&s) {
        s.push('_');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_ident_makes_keywords_and_symbols_legal() {
        assert_eq!(snake_ident("type"), "type_");
        assert_eq!(snake_ident("use"), "use_");
        assert_eq!(snake_ident("self"), "self_");
        assert_eq!(snake_ident("enum"), "enum_");
        assert_eq!(snake_ident("$schema"), "schema");
        assert_eq!(snake_ident("$ref"), "ref_");
        assert_eq!(snake_ident("x5t#S256"), "x5t_s256");
        assert_eq!(snake_ident("_links"), "links");
        assert_eq!(snake_ident("signOnMode"), "sign_on_mode");
        assert_eq!(snake_ident("2fa"), "n2fa");
        assert_eq!(snake_ident("$"), "value");
        for name in ["type", "$ref", "x5t#S256", "2fa", "$", "use", "self"] {
            assert!(is_plain_ident(&snake_ident(name)), "{name}");
        }
    }

    #[test]
    fn camel_ident_makes_enum_values_legal() {
        assert_eq!(camel_ident("token:software:totp"), "TokenSoftwareTotp");
        assert_eq!(camel_ident("SHA-512"), "Sha512");
        assert_eq!(camel_ident("ACTIVE"), "Active");
        assert_eq!(camel_ident("2FA"), "V2fa");
        assert_eq!(camel_ident(""), "Empty");
        assert_eq!(camel_ident("self"), "Self_");
        assert!(is_plain_ident(&camel_ident("self")));
    }

    #[test]
    fn identifiers_are_ascii_whatever_the_name() {
        assert_eq!(camel_ident("a²"), "A");
        assert_eq!(camel_ident("café"), "Caf");
        assert_eq!(camel_ident("²"), "Empty");
        assert_eq!(snake_ident("a²b"), "ab");
        assert_eq!(snake_ident("é"), "value");
        assert_eq!(snake_ident("__"), "value");
        for name in ["a²", "ǅx", "é", "²", "__", "_1", "x-y", "ÿ_ÿ"] {
            assert!(is_plain_ident(&camel_ident(name)), "{name}");
            assert!(is_plain_ident(&snake_ident(name)), "{name}");
        }
    }
}
