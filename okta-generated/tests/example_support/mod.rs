//! What the tests of Okta's example payloads share (`spec_examples.rs`, `okta_examples.rs`,
//! `webhook_payloads.rs`): reading the examples of the spec, what makes an example fail, and
//! the examples that are Okta's mistakes.

use serde_json::Value;

/// `v`, or what its `$ref` (a local JSON pointer into `root`) points at, following references.
#[allow(dead_code)] // okta_examples.rs reads no spec
pub fn resolve<'a>(root: &'a Value, mut v: &'a Value) -> &'a Value {
    for _ in 0..16 {
        let Some(reference) = v.get("$ref").and_then(Value::as_str) else {
            return v;
        };
        let pointer = reference
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("`$ref: {reference}` is not local"));
        v = root
            .pointer(pointer)
            .unwrap_or_else(|| panic!("`$ref: {reference}` points at nothing"));
    }
    panic!("`$ref`s nested more than 16 deep")
}

/// The examples of one media type object, by name: its `example` (named `example`), then the
/// `value` of each of its `examples`, inline or a `$ref` to `#/components/examples` (`None` for
/// one without a `value`: an `externalValue`).
#[allow(dead_code)] // okta_examples.rs reads no spec
pub fn named_examples(root: &Value, media: &Value) -> Vec<(String, Option<Value>)> {
    let mut out = Vec::new();
    if let Some(value) = media.get("example") {
        out.push(("example".to_owned(), Some(value.clone())));
    }
    for (name, example) in media
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        out.push((name.clone(), resolve(root, example).get("value").cloned()));
    }
    out
}

/// What is wrong with an example, given what decoding it through its action's type gave (see
/// `generated::response_decode`): it does not decode, it decodes into a family's or a union's
/// `Other` (the model has no variant or branch for a value Okta documents; a round trip cannot
/// tell, as `Other` keeps the value as sent), or it encodes back to other JSON. `None` when it
/// round trips.
pub fn problem(example: &Value, decoded: Result<(Value, String), String>) -> Option<String> {
    match decoded {
        Err(e) => Some(format!("does not decode: {e}")),
        Ok((_, debug)) if others_in_debug(&debug) > 0 => Some(format!(
            "decodes into `Other` (no variant or branch takes it): {}",
            shorten(&debug, 600)
        )),
        Ok((back, _)) if normalize(&back) != normalize(example) => Some(format!(
            "changed in the round trip:\n  example: {example}\n  back:    {back}"
        )),
        Ok(_) => None,
    }
}

/// How many `Other(` variants the `Debug` text of a decoded value shows, outside its string
/// literals: a family's (`Other(ApplicationBase { .. })`) or a union's (`Other(Object {..})`).
/// A name that merely ends in `Other` does not count.
pub fn others_in_debug(debug: &str) -> usize {
    let bytes = debug.as_bytes();
    let (mut count, mut in_string, mut i) = (0, false, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'O' if !in_string
                && debug[i..].starts_with("Other(")
                && !(i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_')) =>
            {
                count += 1;
            }
            _ => {}
        }
        i += 1;
    }
    count
}

fn shorten(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_owned(),
    }
}

/// What a round trip may change without changing meaning: `null` members (an unset optional
/// field is left out) and the spelling of numbers (`1` vs `1.0`).
pub fn normalize(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), normalize(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalize).collect()),
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| v.clone(), Value::Number),
        other => other.clone(),
    }
}

/// Example payloads of Okta's spec that do not round trip, each group with the reason: Okta's
/// documentation mistakes (an example that contradicts its own schema, or a schema that
/// contradicts Okta's examples). A test fails when one of them starts to pass (take it off the
/// list) or any other payload fails. Ids are `<operationId> request <example>` and
/// `<operationId> response <status> <example>` (`example` for a media type's `example`).
pub const KNOWN_FAILURES: &[(&str, &[&str])] = &[
    (
        "Okta's example is a list where the operation takes or returns one object",
        &[
            "createInterclientTrustMapping response 201 createInterclientTrustMappingResponse",
            "createAssociatedServers request CreateAssocAuthServer",
            "createOAuth2Claim request CreateCustomTokenClaim",
            "createOAuth2Claim response 201 CreateCustomTokenClaim",
            "getOAuth2Claim response 200 RetrieveCustomTokenClaim",
            "replaceOAuth2Claim request ReplaceCustomTokenClaim",
            "replaceOAuth2Claim response 200 ReplaceCustomTokenClaim",
            "getRefreshTokenForAuthorizationServerAndClient response 200 RetrieveRefreshTokenClient",
            "startImportFromIdentitySource response 200 triggeredSession",
            "listOktaSupportCases response 200 OktaSupportCasesEx",
            "createRealm response 200 Realm Lists",
            "listAuthenticatorEnrollments response 200 AuthenticatorEnrollmentsListAllEx",
            "assignRoleToClient response 200 IAM-based role assignment",
        ],
    ),
    (
        "Okta's example is one object where the operation takes or returns a list",
        &[
            "listJwk response 200 OAuthClientJsonWebKeyListResponseExample",
            "listAuthenticatorMethods response 200 TAC",
            "listAuthenticatorMethods response 200 WebAuthn",
            "listAuthenticatorMethods response 200 WebAuthnWithRebrandSettings",
            "listAuthenticatorMethods response 200 WebAuthnWithRpId",
            "listEmailDomains response 200 List email domain response",
            "listLogEvents response 200 ListLogsWithAdditionalSecurityContext",
            "listLogEvents response 200 LogTargetChangeDetails",
            "createPolicySimulation request SimulatePolicy",
            "createPolicySimulation response 200 SimulatePolicy",
        ],
    ),
    (
        "Okta's `example` holds `{value: [...]}`, the form of an entry of `examples`, so the \
         example is an object where the operation returns a list",
        &["listPushProviders response 200 example"],
    ),
    (
        "a field the schema types as a list is one object in Okta's example (policy rule \
         `constraints`, agent pool `agents`, governance bundle `entitlements`)",
        &[
            "listAgentPools response 200 ListAllAgentPoolsResponse",
            "listAgentPoolsUpdates response 200 ListAllAgentPoolUpdatesResponse",
            "createPolicyRule request CreateAuthPolicyRule2FADisablePostAuthKmsi",
            "createPolicyRule request Enable2FAPreciseAuth",
            "createPolicyRule response 200 CreateAuthPolicyRule2FADisablePostAuthKmsi",
            "createPolicyRule response 200 CreateAuthPolicyRule2FAEnablePostAuthKmsi",
            "createPolicyRule response 200 CreateAuthPolicyRuleDevicePlatformCondition",
            "createPolicyRule response 200 Enable2FAPreciseAuth",
            "getPolicyRule response 200 AuthPolicyRule2FADisablePostAuthKmsi",
            "getPolicyRule response 200 AuthPolicyRule2FAEnablePostAuthKmsi",
            "replacePolicyRule request UpdateAuthPolicyRule2FADisablePostAuthKmsi",
            "replacePolicyRule response 200 UpdateAuthPolicyRule2FADisablePostAuthKmsi",
            "replacePolicyRule response 200 UpdateAuthPolicyRule2FAEnablePostAuthKmsi",
            "createGovernanceBundle request GovernanceBundleCreateRequestCustomRole",
            "createGovernanceBundle request GovernanceBundleCreateRequestScopedStandardRole",
            "createGovernanceBundle request GovernanceBundleCreateRequestStandardRole",
            "replaceGovernanceBundle request GovernanceBundleUpdateRequestCustomRole",
            "replaceGovernanceBundle request GovernanceBundleUpdateRequestScopedStandardRole",
            "replaceGovernanceBundle request GovernanceBundleUpdateRequestStandardRole",
        ],
    ),
    (
        "Okta's example writes a link as its URL where the schema has a link object (`{href}`)",
        &[
            "listGovernanceBundles response 200 GovernanceBundlesResponse",
            "createGovernanceBundle response 200 GovernanceBundleCreateRequestStandardRole",
            "getGovernanceBundle response 200 GovernanceBundle",
            "replaceGovernanceBundle response 200 GovernanceBundle",
            "listBundleEntitlements response 200 BundleEntitlementsResponse",
            "listBundleEntitlementValues response 200 EntitlementValuesResponse",
        ],
    ),
    (
        "a value of another JSON type than the schema's: `\"true\"` for a boolean \
         (`pkce_required`), a number for a string (`postalCode`, `ttl`, `phoneNumber`, an \
         inline hook's `cloudEventVersion`), app \
         property values as strings where the schema has `{name, value}` objects",
        &[
            "createIdentityProvider request CreateGenericOidcIdPRequest",
            "createIdentityProvider response 200 CreateGenericOidcIdpResponse",
            "getIdentityProvider response 200 GenericOidcIdpResponse",
            "listLogEvents response 200 ListLogs",
            "createTacAuthenticatorEnrollment request TacEx",
            "getAuthenticatorEnrollment response 200 PhoneDisclosedEx",
            "createApiServiceIntegrationInstance request postAPIServiceWithPropertiesIntegrationRequestExample",
            "createApiServiceIntegrationInstance response 201 APIServiceWithPropertiesIntegrationResponseExample",
            "getApiServiceIntegrationInstance response 200 APIServiceWithPropertiesIntegrationResponseExample",
            "executeInlineHook request ProfileEnrollmentRequest",
        ],
    ),
    (
        "text left in values by editing: a value written with its trailing comma inside the \
         quotes (`\"99,\"` for an integer, `\"false,\"` for a boolean), a list written as text \
         (`\"[]\"`, `\"null\"`)",
        &[
            "createBrand response 201 Create brand response",
            "replacePolicyRule request UpdateAllowedIdentifiersInUserProfilePolicy",
            "replacePolicyRule response 200 UpdateAllowedIdentifiersInUserProfilePolicy",
            "replacesOrgCaptchaSettings request Disable",
            "replacesOrgCaptchaSettings response 200 Disable",
        ],
    ),
    (
        "Okta's request example leaves out a field the schema requires (`name` and `credentials` \
         of a replaced app, `authType` of a patched email server, `condition` of an empty \
         `elCondition`)",
        &[
            "replaceApplication request BASIC_AUTH",
            "replaceApplication request OPENID_CONNECT",
            "updateEmailServer request BasicSMTP",
            "createPolicyRule request DeviceConditionWithOamp",
            "createPolicyRule response 200 DeviceConditionWithOamp",
        ],
    ),
    (
        "Okta's example of a policy rule leaves out `type`, the discriminator that says which \
         kind of rule it is, so it is a rule of no known kind (`Other`)",
        &[
            "createPolicyRule request CreateAuthPolicyRule2FAEnablePostAuthKmsi",
            "createPolicyRule request EnableIdProofingForOamp",
            "createPolicyRule response 200 EnableIdProofingForOamp",
            "getPolicyRule response 200 AuthenticationPolicyRuleWithPlatformDeviceConstraints",
            "replacePolicyRule request UpdateAuthPolicyRule2FAEnablePostAuthKmsi",
            "replacePolicyRule response 200 UpdateAuthenticationPolicyRuleWithPlatformDeviceConstraints",
        ],
    ),
    (
        "Okta's example value is an entry of `examples` (`{question: {summary, value}}`) rather \
         than the factor, so it is a factor of no known kind (`Other`)",
        &["enrollFactor request question"],
    ),
    (
        "Okta's example misspells or misplaces a key the schema requires: `userNameFormat` for \
         `usernameFormat`, `href\"` for `href`, a session's `href` beside `_links.self` instead of \
         in it",
        &[
            "updateFeatureForApplication response 200 UpdateInboundProvisioningFeatureEx",
            "listAssignedRolesForUser response 200 Custom roles",
            "assignRoleToUser response 201 Custom roles",
            "getUserAssignedRole response 200 Custom roles",
            "getSession response 200 SessionsRetrieve",
            "refreshSession response 200 SessionsRefresh",
        ],
    ),
];
