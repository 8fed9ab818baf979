//! What each kind of change means for a user of `okta-generated`: the one table of
//! classification rules, with the reason for each.
//!
//! The generated API, as a user sees it (see `okta-codegen/src/emit/`):
//! - a category is an accessor on `Client` and a cargo feature; an action is a method on the
//!   category struct whose arguments are the required path params, required query params and a
//!   required body, in that order, returning a request builder (`api::<accessor>::<Builder>`)
//!   with one setter per optional param and `send()` (plus `stream()` when paged);
//! - a model struct has only `pub` fields, no `#[non_exhaustive]`, and derives `Default` when
//!   every field is optional: users build it with a struct literal and destructure it with
//!   patterns, so adding a field breaks exhaustive literals and patterns (Rust's semver rules
//!   call this a major change; `..Default::default()` literals survive an optional field);
//! - a string enum is exhaustive with an `Unrecognized(String)` catch-all: a new value is a new
//!   variant (exhaustive `match`es stop compiling) and values that arrived as
//!   `Unrecognized("X")` now arrive as the new variant (same code, other meaning);
//! - a family is an exhaustive enum of variants plus `Other(<Family>Base)`: the same holds;
//! - a union is a `#[non_exhaustive]` enum of its branches plus `Other(serde_json::Value)`:
//!   every `match` on it already has a wildcard arm, so a new branch breaks no code; what changes
//!   is which variant a value arrives as (the new branch, not `Other` or a later branch).

use serde::Serialize;

/// How a change affects users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Code that compiled before no longer compiles, or compiles and now means something else.
    Breaking,
    /// The same Rust API; another request on the wire (or another reading of the response).
    Wire,
    /// Still compiles, with a deprecation warning naming the replacement (a rename with the old
    /// name kept by `previous_names`).
    Deprecated,
    /// New API; existing code is unaffected.
    Additive,
}

impl Class {
    pub const ALL: [Class; 4] = [
        Class::Breaking,
        Class::Wire,
        Class::Deprecated,
        Class::Additive,
    ];

    pub fn heading(self) -> &'static str {
        match self {
            Class::Breaking => "Breaking changes",
            Class::Wire => "Wire changes (same Rust API)",
            Class::Deprecated => "Deprecated",
            Class::Additive => "Additions",
        }
    }
}

/// Every kind of change the comparison reports. Where a kind can be either breaking or not,
/// it carries what decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    CategoryAdded,
    CategoryRemoved,
    ActionAdded,
    ActionRemoved,
    /// Renamed, the old name kept as a deprecated alias (`previous_names`).
    ActionRenamedWithAlias,
    /// Renamed or moved to another category, the old name not kept.
    ActionRenamed,
    /// A deprecated alias appears for a name the category did not have.
    AliasAdded,
    /// Okta deprecates the operation: the method gets `#[deprecated]` (or loses it).
    ActionDeprecated {
        now: bool,
    },
    /// A deprecated alias is dropped.
    AliasRemoved,
    HttpMethodChanged,
    PathChanged,
    FixedQueryChanged,
    SuccessStatusChanged,
    /// The operationId (errors, tracing spans and the rate limiter name the operation by it).
    OperationIdChanged,
    /// `send()` returns a `Page<T>` now (or no longer), and `stream()` comes (or goes).
    PagingChanged,
    /// The response; `rust_type_same`: `send()` still returns the same Rust type.
    ResponseChanged {
        rust_type_same: bool,
    },
    /// A parameter or body; `required`: a method argument, else a builder setter.
    ParamAdded {
        required: bool,
    },
    ParamRemoved {
        required: bool,
    },
    /// Became required (an argument) or optional (a setter).
    ParamRequiredChanged,
    /// `rust_type_same`: the argument or setter still takes the same Rust type.
    ParamTypeChanged {
        rust_type_same: bool,
    },
    /// Sent under another name or in another place, same Rust name and type.
    ParamWireNameChanged,
    /// An optional parameter's setter has another name.
    SetterRenamed,
    /// The same arguments in another order.
    ArgumentsReordered,
    /// Raw body media types, a text body's media type, multipart part name, family wrapping of
    /// a body.
    BodyEncodingChanged,
    /// The host the operation is sent to (the org URL, or a host of its own).
    HostChanged,
    /// A kind of credentials the operation took is no longer taken: clients that have it get
    /// `Error::Config` where their calls went through.
    AuthNarrowed,
    /// Every client that could call the operation still can, but its credentials are now sent,
    /// or no longer sent.
    AuthSentChanged,
    /// One more kind of credentials is taken: clients that got `Error::Config` now call it.
    AuthWidened,
    /// The response in one more media type: a new `send_*()` method on the request builder.
    TextAlternativeAdded,
    /// A `send_*()` method for a media type of the response is gone.
    TextAlternativeRemoved,
    ModelAdded,
    ModelRemoved,
    /// Struct, enum, map or family: another kind of type.
    ModelKindChanged,
    /// A model is compiled with fewer cargo features than before.
    ModelFeaturesNarrowed,
    /// A struct field; `required`: the new field is not an `Option`.
    FieldAdded {
        required: bool,
    },
    FieldRemoved,
    /// `rust_type_same`: the field keeps its Rust type (e.g. `string` -> `date-time`).
    FieldTypeChanged {
        rust_type_same: bool,
    },
    /// `Option<T>` <-> `T`.
    FieldRequiredChanged,
    /// Same JSON name, another Rust name.
    FieldRenamed,
    /// Same Rust name, another JSON name.
    FieldJsonNameChanged,
    EnumValueAdded,
    EnumValueRemoved,
    /// The values a string enum keeps are in another order: it derives `PartialOrd` and `Ord`
    /// from the order of its variants.
    EnumValuesReordered,
    FamilyVariantAdded,
    FamilyVariantRemoved,
    /// Discriminator values that select a variant, or the discriminator itself.
    FamilyDispatchChanged,
    /// A map model's value type; `rust_type_same` as for fields.
    MapValueChanged {
        rust_type_same: bool,
    },
    UnionBranchAdded,
    UnionBranchRemoved,
    /// What picks a union's branch: its discriminator, the values that pick a branch, or the
    /// order branches are tried in.
    UnionDispatchChanged,
}

/// The classification table.
pub fn classify(kind: Kind) -> Class {
    use Class::*;
    use Kind::*;
    match kind {
        // A new accessor, method, builder, setter, model or alias: nothing existing changes.
        CategoryAdded | ActionAdded | AliasAdded | ModelAdded => Additive,
        ParamAdded { required: false } | TextAlternativeAdded => Additive,
        // Calls that failed before sending anything now go through; no working call changes.
        AuthWidened => Additive,

        ActionRenamedWithAlias | ActionDeprecated { now: true } => Deprecated,
        // A warning goes away.
        ActionDeprecated { now: false } => Additive,

        // Items that users name disappear.
        CategoryRemoved | ActionRemoved | ActionRenamed | AliasRemoved | ModelRemoved => Breaking,
        FieldRemoved | FieldRenamed | SetterRenamed => Breaking,
        EnumValueRemoved | FamilyVariantRemoved => Breaking,
        ParamRemoved { .. } | TextAlternativeRemoved => Breaking,
        // Calls that went through now fail with `Error::Config` (same code, another outcome).
        AuthNarrowed => Breaking,
        // A new argument: every call must pass it.
        ParamAdded { required: true } => Breaking,
        // Argument <-> setter.
        ParamRequiredChanged => Breaking,
        // Calls with the same types compile and send each value as the other parameter.
        ArgumentsReordered => Breaking,
        // `send()` returns another type; `stream()` appears or goes.
        PagingChanged
        | ResponseChanged {
            rust_type_same: false,
        } => Breaking,
        ParamTypeChanged {
            rust_type_same: false,
        }
        | FieldTypeChanged {
            rust_type_same: false,
        }
        | MapValueChanged {
            rust_type_same: false,
        }
        | FieldRequiredChanged
        | ModelKindChanged => Breaking,
        // Exhaustive struct literals and patterns no longer compile (a required field also
        // takes `Default` away, and decoding fails without it).
        FieldAdded { .. } => Breaking,
        // Exhaustive matches no longer compile, and values that arrived as the catch-all
        // (`Unrecognized`, `Other`) arrive as the new variant.
        EnumValueAdded | FamilyVariantAdded => Breaking,
        // The variant users name is gone.
        UnionBranchRemoved => Breaking,
        // Same variants; comparisons and sorting (`derive(PartialOrd, Ord)`) give other results.
        EnumValuesReordered => Breaking,
        // Same types; values decode into other variants.
        FamilyDispatchChanged => Breaking,
        // Code on the features it used no longer finds the model.
        ModelFeaturesNarrowed => Breaking,

        // Same Rust API, another request or response handling.
        HttpMethodChanged | PathChanged | FixedQueryChanged | SuccessStatusChanged => Wire,
        OperationIdChanged | ParamWireNameChanged | BodyEncodingChanged => Wire,
        HostChanged | AuthSentChanged => Wire,
        FieldJsonNameChanged => Wire,
        // A union is `#[non_exhaustive]`: matches compile as they are (their wildcard arm
        // already stands for the variants they do not name); values arrive as another variant.
        UnionBranchAdded | UnionDispatchChanged => Wire,
        ResponseChanged {
            rust_type_same: true,
        }
        | ParamTypeChanged {
            rust_type_same: true,
        }
        | FieldTypeChanged {
            rust_type_same: true,
        }
        | MapValueChanged {
            rust_type_same: true,
        } => Wire,
    }
}

impl Kind {
    /// A stable snake_case name for the JSON report.
    pub fn name(self) -> &'static str {
        use Kind::*;
        match self {
            CategoryAdded => "category_added",
            CategoryRemoved => "category_removed",
            ActionAdded => "action_added",
            ActionRemoved => "action_removed",
            ActionRenamedWithAlias => "action_renamed_with_alias",
            ActionRenamed => "action_renamed",
            AliasAdded => "alias_added",
            ActionDeprecated { now: true } => "action_deprecated",
            ActionDeprecated { now: false } => "action_undeprecated",
            AliasRemoved => "alias_removed",
            HttpMethodChanged => "http_method_changed",
            PathChanged => "path_changed",
            FixedQueryChanged => "fixed_query_changed",
            SuccessStatusChanged => "success_status_changed",
            OperationIdChanged => "operation_id_changed",
            PagingChanged => "paging_changed",
            ResponseChanged { .. } => "response_changed",
            ParamAdded { .. } => "param_added",
            ParamRemoved { .. } => "param_removed",
            ParamRequiredChanged => "param_required_changed",
            ParamTypeChanged { .. } => "param_type_changed",
            ParamWireNameChanged => "param_wire_name_changed",
            SetterRenamed => "setter_renamed",
            ArgumentsReordered => "arguments_reordered",
            BodyEncodingChanged => "body_encoding_changed",
            HostChanged => "host_changed",
            AuthNarrowed => "auth_narrowed",
            AuthSentChanged => "auth_sent_changed",
            AuthWidened => "auth_widened",
            TextAlternativeAdded => "text_alternative_added",
            TextAlternativeRemoved => "text_alternative_removed",
            ModelAdded => "model_added",
            ModelRemoved => "model_removed",
            ModelKindChanged => "model_kind_changed",
            ModelFeaturesNarrowed => "model_features_narrowed",
            FieldAdded { .. } => "field_added",
            FieldRemoved => "field_removed",
            FieldTypeChanged { .. } => "field_type_changed",
            FieldRequiredChanged => "field_required_changed",
            FieldRenamed => "field_renamed",
            FieldJsonNameChanged => "field_json_name_changed",
            EnumValueAdded => "enum_value_added",
            EnumValueRemoved => "enum_value_removed",
            EnumValuesReordered => "enum_values_reordered",
            FamilyVariantAdded => "family_variant_added",
            FamilyVariantRemoved => "family_variant_removed",
            FamilyDispatchChanged => "family_dispatch_changed",
            MapValueChanged { .. } => "map_value_changed",
            UnionBranchAdded => "union_branch_added",
            UnionBranchRemoved => "union_branch_removed",
            UnionDispatchChanged => "union_dispatch_changed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Class::*;
    use super::Kind::*;
    use super::*;

    #[test]
    fn parameters_follow_the_method_signature() {
        // A required param is an argument, an optional one a setter.
        assert_eq!(classify(ParamAdded { required: true }), Breaking);
        assert_eq!(classify(ParamAdded { required: false }), Additive);
        assert_eq!(classify(ParamRemoved { required: true }), Breaking);
        assert_eq!(classify(ParamRemoved { required: false }), Breaking);
        assert_eq!(classify(ParamRequiredChanged), Breaking);
        assert_eq!(classify(ArgumentsReordered), Breaking);
        assert_eq!(classify(SetterRenamed), Breaking);
        assert_eq!(
            classify(ParamTypeChanged {
                rust_type_same: false
            }),
            Breaking
        );
        assert_eq!(
            classify(ParamTypeChanged {
                rust_type_same: true
            }),
            Wire
        );
        assert_eq!(classify(ParamWireNameChanged), Wire);
    }

    #[test]
    fn wire_changes_keep_the_rust_api() {
        for k in [
            HttpMethodChanged,
            PathChanged,
            FixedQueryChanged,
            SuccessStatusChanged,
            OperationIdChanged,
            BodyEncodingChanged,
            FieldJsonNameChanged,
            ResponseChanged {
                rust_type_same: true,
            },
        ] {
            assert_eq!(classify(k), Wire, "{k:?}");
        }
        assert_eq!(
            classify(ResponseChanged {
                rust_type_same: false
            }),
            Breaking
        );
        assert_eq!(classify(PagingChanged), Breaking);
    }

    #[test]
    fn hosts_credentials_and_text_alternatives_follow_what_calls_still_do() {
        // Another host, or credentials sent where none were: the same calls, another request.
        assert_eq!(classify(HostChanged), Wire);
        assert_eq!(classify(AuthSentChanged), Wire);
        // Clients whose credentials are no longer taken get `Error::Config` instead of an answer.
        assert_eq!(classify(AuthNarrowed), Breaking);
        assert_eq!(classify(AuthWidened), Additive);
        // A `send_*()` method of the builder comes or goes.
        assert_eq!(classify(TextAlternativeAdded), Additive);
        assert_eq!(classify(TextAlternativeRemoved), Breaking);
    }

    #[test]
    fn renames_break_unless_the_old_name_is_kept() {
        assert_eq!(classify(ActionRenamedWithAlias), Deprecated);
        assert_eq!(classify(ActionDeprecated { now: true }), Deprecated);
        assert_eq!(classify(ActionDeprecated { now: false }), Additive);
        assert_eq!(classify(ActionRenamed), Breaking);
        assert_eq!(classify(AliasRemoved), Breaking);
        assert_eq!(classify(AliasAdded), Additive);
        assert_eq!(classify(FieldRenamed), Breaking);
    }

    #[test]
    fn models_are_exhaustive_structs_and_enums() {
        // Struct literals and patterns list every field; enums and families are matched
        // exhaustively.
        assert_eq!(classify(FieldAdded { required: false }), Breaking);
        assert_eq!(classify(FieldAdded { required: true }), Breaking);
        assert_eq!(classify(FieldRemoved), Breaking);
        assert_eq!(classify(FieldRequiredChanged), Breaking);
        assert_eq!(
            classify(FieldTypeChanged {
                rust_type_same: true
            }),
            Wire
        );
        assert_eq!(classify(EnumValueAdded), Breaking);
        assert_eq!(classify(EnumValueRemoved), Breaking);
        assert_eq!(classify(EnumValuesReordered), Breaking);
        assert_eq!(classify(FamilyVariantAdded), Breaking);
        assert_eq!(classify(FamilyDispatchChanged), Breaking);
        assert_eq!(classify(ModelAdded), Additive);
        assert_eq!(classify(ModelRemoved), Breaking);
        assert_eq!(classify(ModelFeaturesNarrowed), Breaking);
        assert_eq!(
            classify(MapValueChanged {
                rust_type_same: false
            }),
            Breaking
        );
    }

    #[test]
    fn unions_are_non_exhaustive_so_only_a_removed_branch_breaks() {
        // Every match on a `#[non_exhaustive]` union has a wildcard arm: a new branch, or a value
        // moving to another branch, changes what arrives, not what compiles.
        assert_eq!(classify(UnionBranchAdded), Wire);
        assert_eq!(classify(UnionDispatchChanged), Wire);
        assert_eq!(classify(UnionBranchRemoved), Breaking);
    }
}
