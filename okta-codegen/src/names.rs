//! Every rule that turns a manifest name into a Rust name, and the names and limits the stages
//! share. Validation, lowering, the emitters and `xtask` all call these functions, so what
//! validation checks is what the generator emits: a rule that can fail returns the message that
//! validation reports, and lowering never gets that far.
//!
//! Case conversion is heck's. What heck leaves illegal is fixed here: keywords get a trailing `_`
//! (`type` -> `type_`), names that do not start with a letter get a prefix (`2fa` -> `n2fa`).
//! Identifiers are ASCII: heck keeps any Unicode letter or digit (`a²` -> `A²`), which is not
//! always a Rust identifier, so the rest is dropped. A name with nothing left (`$`, `é`) has no
//! Rust name: the manifest must give one (`rust_name`); no placeholder is ever made up.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

use crate::manifest::{self, BodyContent};
use crate::types::Type;

/// Every Rust keyword, strict and reserved, in all editions, plus names that cannot be raw.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "try",
    "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "union",
];

// ------------------------------------------------------------------------- shared names

/// The field that keeps unknown JSON fields on every generated struct. `okta-generated`'s
/// `model_support::object_serde!` names it too (the kitchen-sink client test fails if the two
/// differ).
pub const EXTRA_FIELD: &str = "additional_properties";
/// The catch-all variant of every generated string enum (Okta's enums use `OTHER` and `UNKNOWN`
/// as real values, so neither can be the catch-all). `okta-generated`'s
/// `model_support::string_enum!` names it too (the client's tests that match on it fail to
/// compile if the two differ).
pub const UNRECOGNIZED_VARIANT: &str = "Unrecognized";
/// The variant of a string enum for the empty string value.
pub const EMPTY_VALUE_VARIANT: &str = "Empty";
/// The fallback variant of every polymorphic family (any other discriminator value) and of every
/// union (a value no branch matches, kept as JSON). No family variant and no union branch may
/// take the name. `okta-generated`'s `model_support::union_enum!` names it too (the kitchen-sink
/// client test fails to compile if the two differ).
pub const OTHER_VARIANT: &str = "Other";

/// Methods of the client users hold, `okta_generated::Client` (inherent, of any visibility, and
/// of the traits it implements): a category accessor, a method of the same `Client`, would clash
/// with one. `okta-codegen/tests/runtime_source.rs` reads the client's hand-written source
/// (`okta-generated/src/`, but for `src/generated/`) and fails when this list and the methods it
/// defines differ.
pub const CLIENT_METHODS: &[&str] = &[
    "base_url",
    "builder",
    "clone",
    "fmt",
    "generic_request",
    "last_rate_limit",
    "wrap",
];
/// Names the generated code uses unqualified: no model or request builder may take them.
pub const PRELUDE_NAMES: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "Into", "From",
];
/// Names a generated category file imports: no request builder may take them.
pub const API_FILE_NAMES: &[&str] = &[
    "Client",
    "Error",
    "Operation",
    "Page",
    "Request",
    "ResponseFuture",
    "BoxStream",
    "AuthKinds",
    "TextBody",
];
/// Crates generated code names by path: no model file's module may take the name.
pub const CRATE_NAMES: &[&str] = &[
    "std",
    "core",
    "alloc",
    "serde",
    "serde_json",
    "serde_path_to_error",
    "reqwest",
    "futures_util",
];
/// Names every request builder already has (methods, its `client` field, the `request` local
/// of `into_request`): no argument or setter may take them.
pub const BUILDER_NAMES: &[&str] = &["send", "stream", "request", "client", "into_request"];
/// Headers the client itself sets (credentials, content negotiation, framing): no header
/// parameter may name one, so no setter can replace what the client sends.
pub const CLIENT_HEADERS: &[&str] = &[
    "authorization",
    "host",
    "content-type",
    "content-length",
    "accept",
    "user-agent",
    "transfer-encoding",
    "connection",
    "cookie",
    "proxy-authorization",
];
/// Headers a header parameter may name although the client sets them when it is absent: Okta's
/// `verifyFactor` forwards the end user's User-Agent for its risk checks.
pub const FORWARDED_HEADERS: &[&str] = &["user-agent"];

/// Longest `parent` chain of a model (lowering walks it recursively).
pub const MAX_PARENT_DEPTH: usize = 32;
/// A struct's table in `object_serde!` comes in chunks of at most this many fields (the runtime
/// walks a chunk as one tuple; `okta-generated`'s `model_support::FIELD_CHUNK`, which a test
/// keeps equal to this).
pub const FIELD_CHUNK: usize = 12;
/// Longest display name of an action.
pub const MAX_DISPLAY_NAME_CHARS: usize = 80;

// ------------------------------------------------------------------------- identifiers

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

/// A model name: an UpperCamelCase identifier (no `_`: Rust warns on `OAUTH2_CLIENT` as a type
/// name, and a generated crate must build without warnings).
pub fn is_model_name(s: &str) -> bool {
    is_plain_ident(s) && s.starts_with(|c: char| c.is_ascii_uppercase()) && !s.contains('_')
}

/// snake_case identifier for a field, parameter or method: `x5t#S256` -> `x5t_s256`,
/// `_links` -> `links`, `type` -> `type_`, `$ref` -> `ref_`, `2fa` -> `n2fa`; `None` when
/// nothing of the name is left (`$`, `é`, `__`).
pub fn snake_ident(name: &str) -> Option<String> {
    let mut s = name.to_snake_case();
    s.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    if s.trim_matches('_').is_empty() {
        return None;
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'n');
    }
    if is_keyword(&s) {
        s.push('_');
    }
    Some(s)
}

/// UpperCamelCase identifier for a type or enum variant: `token:software:totp` ->
/// `TokenSoftwareTotp`, `SHA-512` -> `Sha512`, `2FA` -> `V2fa`; `None` when nothing of the name
/// is left (``, `²`).
pub fn camel_ident(name: &str) -> Option<String> {
    let mut s = name.to_upper_camel_case();
    s.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    if s.is_empty() {
        return None;
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    if is_keyword(&s) {
        s.push('_');
    }
    Some(s)
}

/// A name in UpperCamelCase to be joined to another (`self` -> `Self`, `x5t#S256` ->
/// `X5tS256`): [`camel_ident`] without the fixes that only a whole identifier needs (a keyword's
/// `_`, a leading digit's `V`). Empty when nothing of the name is left.
pub fn camel_part(name: &str) -> String {
    let mut s = name.to_upper_camel_case();
    s.retain(|c| c.is_ascii_alphanumeric());
    s
}

/// A Rust name given by the manifest (`rust_name`) or derived from a wire name: the given one
/// must be an identifier; a derived one must exist.
fn rust_name_of(what: &str, wire: &str, given: Option<&String>) -> Result<String, String> {
    match given {
        Some(name) if is_plain_ident(name) => Ok(name.clone()),
        Some(name) => Err(format!(
            "{what} `{wire}`: `rust_name: {name}` is not a Rust identifier"
        )),
        None => snake_ident(wire).ok_or_else(|| {
            format!("{what} `{wire}` gives no Rust name (nothing of it is a letter or digit): set `rust_name`")
        }),
    }
}

// ------------------------------------------------------------------------- categories

/// Accessor method, module and cargo feature of a category: `accessor`, or the category in
/// snake_case.
pub fn accessor_name(cat: &manifest::CategoryFile) -> Result<String, String> {
    let accessor = match &cat.accessor {
        Some(a) => a.clone(),
        None => snake_ident(&cat.category).ok_or_else(|| {
            format!(
                "category `{}` gives no accessor name: set `accessor`",
                cat.category
            )
        })?,
    };
    if !is_plain_ident(&accessor) {
        return Err(format!(
            "category accessor `{accessor}` is not a Rust identifier"
        ));
    }
    if CLIENT_METHODS.contains(&accessor.as_str()) {
        return Err(format!(
            "category accessor `{accessor}` would clash with `Client::{accessor}` (set `accessor`)"
        ));
    }
    if accessor == "default" {
        return Err("category accessor `default` would be a cargo feature, but `default` is cargo's own (set `accessor`)".to_owned());
    }
    Ok(accessor)
}

/// The struct a category's accessor returns ("UserApi").
pub fn api_struct_name(accessor: &str) -> String {
    format!("{}Api", accessor.to_upper_camel_case())
}

// ------------------------------------------------------------------------- actions

/// An operationId as Okta writes them: an ASCII identifier (`listUsers`).
pub fn check_operation_id(id: &str) -> Result<(), String> {
    let mut chars = id.chars();
    let starts_well = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    if starts_well && chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
        Ok(())
    } else {
        Err(format!(
            "operation_id `{id}` is not an operationId (ASCII letters, digits and `_`, starting with a letter)"
        ))
    }
}

/// Method on the category struct: `rust_name`, or the operationId in snake_case.
pub fn method_name(action: &manifest::Action) -> Result<String, String> {
    if let Some(id) = &action.operation_id {
        check_operation_id(id)?;
    }
    let method =
        match (&action.rust_name, &action.operation_id) {
            (Some(name), _) => name.clone(),
            (None, Some(id)) => snake_ident(id).ok_or_else(|| {
                format!("operation_id `{id}` gives no Rust method name: set `rust_name`")
            })?,
            (None, None) => return Err(
                "needs `operation_id` or `rust_name` (the Rust method name comes from one of them)"
                    .to_owned(),
            ),
        };
    if !is_plain_ident(&method) {
        return Err(format!(
            "Rust method name `{method}` is not a Rust identifier"
        ));
    }
    if method == "new" {
        return Err(
            "Rust method `new` is taken by the category's constructor (set `rust_name`)".to_owned(),
        );
    }
    Ok(method)
}

/// Checks a previous Rust method name of an action (`previous_names`), which the category struct
/// keeps as a deprecated alias: an identifier that names nothing else the struct or a request
/// builder has. Uniqueness within the category is checked by validation, which sees them all.
pub fn check_previous_name(name: &str, method_name: &str) -> Result<(), String> {
    if !is_plain_ident(name) {
        return Err(format!("previous name `{name}` is not a Rust identifier"));
    }
    if name == method_name {
        return Err(format!(
            "previous name `{name}` is the action's current Rust method name"
        ));
    }
    if name == "new" {
        return Err("previous name `new` is taken by the category's constructor".to_owned());
    }
    if CLIENT_METHODS.contains(&name) || BUILDER_NAMES.contains(&name) {
        return Err(format!(
            "previous name `{name}` is a name the generated client uses itself"
        ));
    }
    Ok(())
}

/// What errors, tracing spans and the generated `Operation` call an action: Okta's operationId,
/// or the Rust method name of an action Okta has none for.
pub fn operation_name(action: &manifest::Action, method_name: &str) -> String {
    action
        .operation_id
        .clone()
        .unwrap_or_else(|| method_name.to_owned())
}

/// The root of Okta's API reference, `OKTA_API_DOCS`, as a literal `concat!` can use.
macro_rules! okta_api_docs {
    () => {
        "https://developer.okta.com/docs/api"
    };
}

/// Okta's developer site: where its descriptions' links to `/docs/...` pages lead.
pub const OKTA_SITE: &str = "https://developer.okta.com";

/// The root of Okta's API reference: where its descriptions' other relative links
/// (`/openapi/...`, `/#pagination`) lead.
pub const OKTA_API_DOCS: &str = okta_api_docs!();

/// Okta's API reference for the Management API; a tag is a page of it.
pub const OKTA_REFERENCE: &str =
    concat!(okta_api_docs!(), "/openapi/okta-management/management/tag");

/// An Okta tag as the reference's URLs spell it: ASCII letters and digits (`UserLifecycle`).
pub fn check_okta_tag(tag: &str) -> Result<(), String> {
    if !tag.is_empty() && tag.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(format!(
            "okta_tag `{tag}` is not an Okta tag (ASCII letters and digits, as in `UserLifecycle`)"
        ))
    }
}

/// The page of Okta's API reference that documents an action: its tag's page, at the
/// operation's anchor when the action has an operationId (`okta_operation`, else
/// `operation_id`). `None` without a tag.
pub fn reference_url(
    cat: &manifest::CategoryFile,
    action: &manifest::Action,
) -> Result<Option<String>, String> {
    // The category's own tag is checked with the category.
    if let Some(tag) = &action.okta_tag {
        check_okta_tag(tag)?;
    }
    let Some(tag) = action.okta_tag.as_ref().or(cat.okta_tag.as_ref()) else {
        return Ok(None);
    };
    if let Some(op) = &action.okta_operation {
        check_operation_id(op).map_err(|msg| msg.replacen("operation_id", "okta_operation", 1))?;
    }
    let page = format!("{OKTA_REFERENCE}/{tag}/");
    Ok(Some(
        match action
            .okta_operation
            .as_ref()
            .or(action.operation_id.as_ref())
        {
            Some(op) => format!("{page}#tag/{tag}/operation/{op}"),
            None => page,
        },
    ))
}

/// The request builder type of an action ("ListUsers").
pub fn builder_name(method_name: &str) -> String {
    method_name.to_upper_camel_case()
}

/// The static holding an action's `Operation` ("LIST_USERS").
pub fn static_name(method_name: &str) -> String {
    method_name.to_shouty_snake_case()
}

/// Characters of sentences and markup, which a display name has none of.
const NOT_IN_DISPLAY_NAMES: &[char] = &[
    '.', ',', ';', ':', '!', '?', '`', '*', '<', '>', '[', ']', '|', '"',
];

/// Checks a display name: a name as the action table writes one ("List Users"), not a sentence.
pub fn check_display_name(name: &str) -> Result<(), String> {
    let fail = |problem: String| Err(format!("display name `{name}` {problem}"));
    let chars = name.chars().count();
    if name.trim().is_empty() {
        return fail("is empty".to_owned());
    }
    if chars > MAX_DISPLAY_NAME_CHARS {
        return fail(format!(
            "is {chars} characters long (at most {MAX_DISPLAY_NAME_CHARS}): a display name is a name, not a description"
        ));
    }
    if name != name.trim() || name.contains("  ") {
        return fail("has leading, trailing or doubled spaces".to_owned());
    }
    if name.chars().any(char::is_control) {
        return fail("has a control character or a line break".to_owned());
    }
    if !name.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()) {
        return fail(
            "must start with a capital letter or a digit, as the action table's names do"
                .to_owned(),
        );
    }
    if let Some(c) = name.chars().find(|c| NOT_IN_DISPLAY_NAMES.contains(c)) {
        return fail(format!(
            "has `{c}`: a display name is a few words, not a sentence or markup"
        ));
    }
    Ok(())
}

/// Rust name of a query or header parameter: `rust_name`, or the wire name in snake_case.
pub fn param_rust_name(wire: &str, given: Option<&String>) -> Result<String, String> {
    rust_name_of("param", wire, given)
}

/// Rust name of a path parameter: the wire name in snake_case (a path param has no `rust_name`).
pub fn path_param_rust_name(wire: &str) -> Result<String, String> {
    rust_name_of("path param", wire, None)
}

/// The argument (or setter) that holds an action's request body.
pub fn body_arg_name(content: BodyContent) -> &'static str {
    match content {
        BodyContent::Json | BodyContent::Raw | BodyContent::Text => "body",
        BodyContent::Multipart => "file",
    }
}

/// The request builder's method that sends the request accepting one of the response's text
/// alternatives instead of JSON: `send_` and the media type's subtype in snake_case
/// (`application/pkcs10` -> `send_pkcs10`, `application/x-pem-file` -> `send_x_pem_file`);
/// parameters (`; charset=...`) do not count.
pub fn text_alternative_method(media_type: &str) -> Result<String, String> {
    let base = media_type.split(';').next().unwrap_or_default().trim();
    let subtype = base.split_once('/').map_or(base, |(_, sub)| sub);
    // Behind `send_`, the words need none of `snake_ident`'s fixes for keywords and digits.
    let mut words = subtype.to_snake_case();
    words.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    let words = words.trim_matches('_');
    if words.is_empty() {
        return Err(format!(
            "text alternative `{media_type}` gives no method name (its subtype has no letter or digit)"
        ));
    }
    Ok(format!("send_{words}"))
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart<'a> {
    Literal(&'a str),
    /// A `{placeholder}`, by name.
    Param(&'a str),
}

/// Splits a path template into literal text and `{param}` names; `Err` on unbalanced, empty or
/// nested braces.
pub fn split_path(path: &str) -> Result<Vec<PathPart<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        if rest[..open].contains('}') {
            return Err("unbalanced `}` in path".into());
        }
        if open > 0 {
            out.push(PathPart::Literal(&rest[..open]));
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or("unclosed `{` in path")?;
        let name = &after[..close];
        if name.is_empty() || name.contains('{') {
            return Err("empty or nested `{}` in path".into());
        }
        out.push(PathPart::Param(name));
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err("unbalanced `}` in path".into());
    }
    if !rest.is_empty() {
        out.push(PathPart::Literal(rest));
    }
    Ok(out)
}

/// The `{placeholder}` names of a path template, in order (empty for a malformed template).
pub fn path_placeholders(path: &str) -> Vec<&str> {
    split_path(path)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| match p {
            PathPart::Param(name) => Some(name),
            PathPart::Literal(_) => None,
        })
        .collect()
}

// ------------------------------------------------------------------------- models

/// Rust name of a model field: `rust_name`, or the JSON name in snake_case.
pub fn field_rust_name(json: &str, field: &manifest::Field) -> Result<String, String> {
    rust_name_of("field", json, field.rust_name.as_ref())
}

/// Variant of a string enum for a wire value (`ACTIVE` -> `Active`). The empty string, which
/// Okta uses as a value of its own in a few enums, is `Empty`.
pub fn enum_variant_ident(value: &str) -> Result<String, String> {
    if value.is_empty() {
        return Ok(EMPTY_VALUE_VARIANT.to_owned());
    }
    let ident = camel_ident(value).ok_or_else(|| {
        format!("value `{value}` gives no Rust variant name (nothing of it is a letter or digit)")
    })?;
    if ident == UNRECOGNIZED_VARIANT {
        return Err(format!(
            "value `{value}` would be variant `{UNRECOGNIZED_VARIANT}`, which holds unknown values"
        ));
    }
    Ok(ident)
}

/// The fallback struct of a family, for values with a discriminator it does not know.
pub fn family_base_name(family: &str) -> String {
    format!("{family}Base")
}

/// Variant name of `model` inside `family`: the model name less the words it shares at the end
/// with the family name (`AutoLoginApplication` in `Application` -> `AutoLogin`) or, when it
/// shares none there, at the start (`UserFactorSMS` in `UserFactor` -> `Sms`).
pub fn family_variant_ident(family: &str, model: &str) -> String {
    let words = |s: &str| -> Vec<String> {
        s.to_snake_case()
            .split('_')
            .map(|w| w.to_upper_camel_case())
            .collect()
    };
    let (fw, mut mw) = (words(family), words(model));
    let mut fi = fw.len();
    while fi > 0 && mw.len() > 1 && mw.last() == Some(&fw[fi - 1]) {
        mw.pop();
        fi -= 1;
    }
    if fi == fw.len() {
        let shared = fw.iter().zip(&mw).take_while(|(f, m)| f == m).count();
        if shared < mw.len() {
            mw.drain(..shared);
        }
    }
    let ident = mw.concat();
    // `SelfFactor` in `Factor` would be `Self`, a keyword: keep the model's name then.
    if ident == OTHER_VARIANT || !is_plain_ident(&ident) {
        model.to_owned()
    } else {
        ident
    }
}

/// Variant of a union for one of its branches. A model is its name (`StandardRole`); a list is
/// its item's variant followed by `List` (`list<Group>` -> `GroupList`), a map its value's
/// followed by `Map` (`map<string>` -> `StringMap`); a scalar is its manifest name in
/// UpperCamelCase (`string` -> `String`, `integer` -> `Integer`, `int64` -> `Int64`, `number`
/// -> `Number`, `boolean` -> `Boolean`, `date-time` -> `DateTime`, `json` -> `Json`). A model
/// named `Other` cannot be a branch: the variant of that name holds the values no branch matches.
pub fn union_variant_ident(branch: &Type) -> Result<String, String> {
    let ident = union_variant_base(branch);
    if ident == OTHER_VARIANT {
        return Err(format!(
            "branch `{branch}` would be variant `{OTHER_VARIANT}`, which holds the values no branch matches (rename the model)"
        ));
    }
    Ok(ident)
}

fn union_variant_base(branch: &Type) -> String {
    match branch {
        Type::Model(m) => m.clone(),
        Type::List(item) => format!("{}List", union_variant_base(item)),
        Type::Map(value) => format!("{}Map", union_variant_base(value)),
        Type::String => "String".to_owned(),
        Type::I32 => "Integer".to_owned(),
        Type::I64 => "Int64".to_owned(),
        Type::F64 => "Number".to_owned(),
        Type::Bool => "Boolean".to_owned(),
        Type::DateTime => "DateTime".to_owned(),
        Type::Json => "Json".to_owned(),
    }
}

/// The accessor of a union's variant, which borrows the branch's value if the union holds that
/// branch: `as_` and the variant in snake_case (`GroupList` -> `as_group_list`).
pub fn union_accessor_name(variant: &str) -> String {
    format!("as_{}", variant.to_snake_case())
}

/// The generated module of a model file (its file stem in snake_case).
pub fn model_module(file_stem: &str) -> Result<String, String> {
    let module = snake_ident(file_stem)
        .ok_or_else(|| format!("model file name `{file_stem}` gives no module name"))?;
    if CRATE_NAMES.contains(&module.as_str()) {
        return Err(format!("model file name `{file_stem}` gives module `{module}`, the name of a crate the generated code uses (rename the file)"));
    }
    Ok(module)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_family_variant_drops_the_family_words_at_the_end_or_else_at_the_start() {
        let cases = [
            ("Application", "AutoLoginApplication", "AutoLogin"),
            ("UserFactor", "SmsUserFactor", "Sms"),
            ("UserFactor", "UserFactorSMS", "Sms"),
            ("UserFactor", "UserFactorTokenHOTP", "TokenHotp"),
            // Nothing shared: the whole name; all shared: the model keeps a word.
            ("Policy", "Rule", "Rule"),
            ("UserFactor", "UserFactor", "User"),
            // A keyword or the fallback's name: the model's own name.
            ("Factor", "SelfFactor", "SelfFactor"),
        ];
        for (family, model, want) in cases {
            assert_eq!(
                family_variant_ident(family, model),
                want,
                "{model} in {family}"
            );
        }
    }

    fn snake(s: &str) -> String {
        snake_ident(s).unwrap()
    }

    #[test]
    fn snake_ident_makes_keywords_and_symbols_legal() {
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("use"), "use_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("enum"), "enum_");
        assert_eq!(snake("$schema"), "schema");
        assert_eq!(snake("$ref"), "ref_");
        assert_eq!(snake("x5t#S256"), "x5t_s256");
        assert_eq!(snake("_links"), "links");
        assert_eq!(snake("signOnMode"), "sign_on_mode");
        assert_eq!(snake("2fa"), "n2fa");
        for name in ["type", "$ref", "x5t#S256", "2fa", "use", "self"] {
            assert!(is_plain_ident(&snake(name)), "{name}");
        }
    }

    #[test]
    fn camel_ident_makes_enum_values_legal() {
        let camel = |s: &str| camel_ident(s).unwrap();
        assert_eq!(camel("token:software:totp"), "TokenSoftwareTotp");
        assert_eq!(camel("SHA-512"), "Sha512");
        assert_eq!(camel("ACTIVE"), "Active");
        assert_eq!(camel("2FA"), "V2fa");
        assert_eq!(camel("self"), "Self_");
        assert!(is_plain_ident(&camel("self")));
    }

    #[test]
    fn names_with_nothing_left_get_no_identifier_rather_than_a_placeholder() {
        for name in ["", "$", "é", "²", "__", " ", "-", "ÿ_ÿ"] {
            assert_eq!(snake_ident(name), None, "{name:?}");
            assert_eq!(camel_ident(name), None, "{name:?}");
        }
        assert!(enum_variant_ident("²").is_err());
        assert_eq!(enum_variant_ident("").unwrap(), EMPTY_VALUE_VARIANT);
        assert!(param_rust_name("$", None).is_err());
        assert_eq!(
            param_rust_name("$", Some(&"dollar".into())).unwrap(),
            "dollar"
        );
    }

    #[test]
    fn identifiers_are_ascii_whatever_the_name() {
        assert_eq!(camel_ident("a²").unwrap(), "A");
        assert_eq!(camel_ident("café").unwrap(), "Caf");
        assert_eq!(snake_ident("a²b").unwrap(), "ab");
        for name in ["a²", "ǅx", "_1", "x-y"] {
            assert!(is_plain_ident(&camel_ident(name).unwrap()), "{name}");
            assert!(is_plain_ident(&snake_ident(name).unwrap()), "{name}");
        }
    }

    #[test]
    fn operation_ids_are_identifiers() {
        for good in ["listUsers", "getUser_v2", "a1"] {
            assert!(check_operation_id(good).is_ok(), "{good}");
        }
        for bad in ["", " ", "list users", "1list", "list-users", "_x", "é"] {
            assert!(check_operation_id(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn display_names_are_names_not_sentences() {
        for good in [
            "List Users",
            "Get Session",
            "Opt out all users from Okta Communication emails",
            "Link A User To A Social IDP Without A Transaction",
        ] {
            assert!(check_display_name(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "null",
            " List Users",
            "List  Users",
            "List Users.",
            "The file must be in PNG, JPG, or GIF format",
            "List\nUsers",
            "Get `user`",
            &"Word ".repeat(20),
        ] {
            assert!(check_display_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn previous_names_are_free_identifiers() {
        assert!(check_previous_name("update_application", "replace_application").is_ok());
        for bad in [
            "",
            "update-app",
            "type",
            "new",
            "send",
            "clone",
            "replace_application",
        ] {
            assert!(
                check_previous_name(bad, "replace_application").is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn union_variants_are_named_after_their_branch_types() {
        let variant = |t: &str| union_variant_ident(&Type::parse(t).unwrap());
        for (branch, ident) in [
            ("StandardRole", "StandardRole"),
            ("list<Group>", "GroupList"),
            ("map<string>", "StringMap"),
            ("list<map<int64>>", "Int64MapList"),
            ("string", "String"),
            ("integer", "Integer"),
            ("int64", "Int64"),
            ("number", "Number"),
            ("boolean", "Boolean"),
            ("date-time", "DateTime"),
            ("json", "Json"),
            ("list<Other>", "OtherList"),
        ] {
            assert_eq!(variant(branch).unwrap(), ident, "{branch}");
            assert!(is_plain_ident(ident), "{ident}");
        }
        let err = variant("Other").unwrap_err();
        assert!(err.contains("holds the values no branch matches"), "{err}");
        assert_eq!(union_accessor_name("GroupList"), "as_group_list");
        assert_eq!(union_accessor_name("Int64"), "as_int64");
        assert_eq!(union_accessor_name("HTTPServer"), "as_http_server");
    }

    #[test]
    fn a_text_alternative_is_sent_by_a_method_named_for_its_subtype() {
        let method = |m: &str| text_alternative_method(m).unwrap();
        assert_eq!(method("application/pkcs10"), "send_pkcs10");
        assert_eq!(method("application/x-pem-file"), "send_x_pem_file");
        assert_eq!(method("application/secevent+jwt"), "send_secevent_jwt");
        assert_eq!(method("text/xml; charset=utf-8"), "send_xml");
        assert_eq!(method("application/3gpp"), "send_3gpp");
        assert_eq!(method("text/type"), "send_type");
        for m in ["send_pkcs10", "send_3gpp", "send_type"] {
            assert!(is_plain_ident(m), "{m}");
        }
        assert!(text_alternative_method("application/+").is_err());
    }

    #[test]
    fn camel_parts_join_without_identifier_fixes() {
        assert_eq!(camel_part("self"), "Self");
        assert_eq!(camel_part("x5t#S256"), "X5tS256");
        assert_eq!(camel_part("2fa"), "2fa");
        assert_eq!(
            camel_part("OAUTH2_CLIENT_CREDENTIALS"),
            "Oauth2ClientCredentials"
        );
        assert_eq!(camel_part("$"), "");
        assert_eq!(camel_ident("self").as_deref(), Some("Self_"));
    }

    #[test]
    fn split_path_names_each_placeholder() {
        assert_eq!(
            split_path("/api/v1/users/{userId}/roles").unwrap(),
            vec![
                PathPart::Literal("/api/v1/users/"),
                PathPart::Param("userId"),
                PathPart::Literal("/roles"),
            ]
        );
        for bad in ["/a/{", "/a/}", "/a/{}", "/a/{{b}}"] {
            assert!(split_path(bad).is_err(), "{bad}");
        }
        assert_eq!(path_placeholders("/a/{x}/{y}"), vec!["x", "y"]);
    }
}
