//! Generated actions of the User, User Factor, Group and Application categories making real
//! calls against a local mock Okta (wiremock): what goes over the wire, and what comes back typed.

use futures::TryStreamExt;
use okta_generated::models::{self, Application};
use okta_generated::{Client, Error, FilePart};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "00test-token";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_token(TOKEN)
        .build()
        .expect("client")
}

fn user_json(id: &str) -> serde_json::Value {
    json!({
        "id": id,
        "status": "ACTIVE",
        "created": "2013-06-24T16:39:18.000Z",
        "profile": {
            "firstName": "Isaac",
            "login": format!("{id}@example.com"),
            "employeeBadge": "B-1138",
        },
        "_links": {"self": {"href": format!("https://acme.okta.com/api/v1/users/{id}")}},
    })
}

#[tokio::test]
async fn user_create_sends_activate_false_and_the_body_with_the_ssws_token() {
    let server = MockServer::start().await;
    let body = json!({"profile": {"login": "dana@example.com", "costCenter": "R&D-7"}});
    Mock::given(method("POST"))
        .and(path("/api/v1/users"))
        .and(query_param("activate", "false"))
        .and(header("authorization", format!("SSWS {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(&body))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_json("00u1")))
        .expect(1)
        .mount(&server)
        .await;
    let request: models::CreateUserRequest = serde_json::from_value(body).unwrap();
    let user = client(&server)
        .user()
        .create_user(request)
        .activate(false)
        .send()
        .await
        .unwrap();
    assert_eq!(user.id.as_deref(), Some("00u1"));
    assert_eq!(user.status, Some(models::UserStatus::Active));
    // The custom profile attribute survives in additional_properties.
    let profile = user.profile.unwrap();
    assert_eq!(profile.first_name.as_deref(), Some("Isaac"));
    assert_eq!(profile.additional_properties["employeeBadge"], "B-1138");
}

#[tokio::test]
async fn user_get_percent_encodes_a_login_as_one_path_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/users/dana%2Btest%40example.com"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_json("00u2")))
        .expect(1)
        .mount(&server)
        .await;
    let user = client(&server)
        .user()
        .get_user("dana+test@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(user.id.as_deref(), Some("00u2"));
}

#[tokio::test]
async fn user_list_pages_follow_link_headers_and_stream_every_user() {
    let server = MockServer::start().await;
    let next = format!("{}/api/v1/users?after=00u2&limit=2", server.uri());
    Mock::given(method("GET"))
        .and(path("/api/v1/users"))
        .and(query_param("search", "status eq \"ACTIVE\""))
        .and(query_param("limit", "2"))
        .and(query_param_is_missing("after"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", format!("<{next}>; rel=\"next\"").as_str())
                .set_body_json(json!([user_json("00u1"), user_json("00u2")])),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/users"))
        .and(query_param("after", "00u2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([user_json("00u3")])))
        .mount(&server)
        .await;

    let users = client(&server).user();
    let page = users
        .list_users()
        .search("status eq \"ACTIVE\"")
        .limit(2)
        .send()
        .await
        .unwrap();
    assert_eq!(page.items().len(), 2);
    assert!(page.has_next());

    let all: Vec<models::User> = users
        .list_users()
        .search("status eq \"ACTIVE\"")
        .limit(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = all.iter().map(|u| u.id.clone().unwrap()).collect();
    assert_eq!(ids, ["00u1", "00u2", "00u3"]);
}

#[tokio::test]
async fn user_expire_password_and_its_temp_password_form_call_their_own_paths() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/users/00u1/lifecycle/expire_password"))
        .respond_with(|req: &Request| {
            // Okta's current API has no `tempPassword` switch on this path any more.
            let status = if req.url.query().is_none() { 200 } else { 400 };
            ResponseTemplate::new(status).set_body_json(user_json("00u1"))
        })
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(
            "/api/v1/users/00u1/lifecycle/expire_password_with_temp_password",
        ))
        .and(query_param("revokeSessions", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"tempPassword": "Hx3!a9"})))
        .expect(1)
        .mount(&server)
        .await;
    let users = client(&server).user();
    let user = users.expire_password("00u1").send().await.unwrap();
    assert_eq!(user.id.as_deref(), Some("00u1"));
    let temp = users
        .expire_password_with_temp_password("00u1")
        .revoke_sessions(true)
        .send()
        .await
        .unwrap();
    assert_eq!(temp.temp_password.as_deref(), Some("Hx3!a9"));
}

#[tokio::test]
async fn user_api_error_reaches_the_caller_with_okta_code_summary_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/users/missing"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-okta-request-id", "req-42")
                .set_body_json(json!({
                    "errorCode": "E0000007",
                    "errorSummary": "Not found: Resource not found: missing (User)",
                    "errorLink": "E0000007",
                    "errorId": "oaeXYZ",
                    "errorCauses": []
                })),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .user()
        .get_user("missing")
        .send()
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err:?}")
    };
    assert_eq!(api.status().as_u16(), 404);
    assert_eq!(api.error_code(), Some("E0000007"));
    assert_eq!(api.error_id(), Some("oaeXYZ"));
    assert_eq!(api.operation(), "getUser");
    let shown = err.to_string();
    assert!(
        shown.contains("E0000007") && shown.contains("req-42"),
        "{shown}"
    );
    assert!(!format!("{err:?}").contains(TOKEN));
}

#[tokio::test]
async fn group_add_user_puts_to_the_membership_path_and_returns_unit_on_204() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/api/v1/groups/00g1/users/00u1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let () = client(&server)
        .group()
        .assign_user_to_group("00g1", "00u1")
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn group_list_keeps_custom_profile_attributes_and_unknown_types() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/groups"))
        .and(query_param("q", "eng"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{
            "id": "00g1",
            "type": "OKTA_GROUP",
            "profile": {"name": "Engineering", "description": "Builders", "costCode": 7},
            "objectClass": ["okta:user_group"]
        }, {
            "id": "00g2",
            "type": "BRAND_NEW_GROUP_TYPE",
            "profile": {"name": "Future"}
        }])))
        .mount(&server)
        .await;
    let page = client(&server)
        .group()
        .list_groups()
        .q("eng")
        .send()
        .await
        .unwrap();
    let groups = page.into_items();
    let profile = groups[0].profile.as_ref().unwrap();
    let models::GroupProfile::OktaUserGroupProfile(profile) = profile else {
        panic!("expected an Okta group's profile, got {profile:?}");
    };
    assert_eq!(profile.name.as_deref(), Some("Engineering"));
    assert_eq!(profile.additional_properties["costCode"], 7);
    assert_eq!(groups[0].type_, Some(models::GroupType::OktaGroup));
    assert_eq!(
        groups[1].type_,
        Some(models::GroupType::Unrecognized(
            "BRAND_NEW_GROUP_TYPE".into()
        ))
    );
    // Written back unchanged.
    assert_eq!(
        serde_json::to_value(&groups[1]).unwrap()["type"],
        "BRAND_NEW_GROUP_TYPE"
    );
}

#[tokio::test]
async fn application_get_decodes_the_variant_its_sign_on_mode_names() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/apps/0oa1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "0oa1", "name": "acme_saml", "label": "Acme", "signOnMode": "SAML_2_0",
            "settings": {"signOn": {
                "ssoAcsUrl": "https://acme.example/sso", "audience": "acme",
                "allowMultipleAcsEndpoints": false, "assertionSigned": true,
                "honorForceAuthn": true, "requestCompressed": false, "responseSigned": true
            }}
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/apps/0oa2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "0oa2", "name": "future", "label": "Future", "signOnMode": "PASSKEY_MAGIC",
            "newField": {"x": 1}
        })))
        .mount(&server)
        .await;
    let apps = client(&server).application();
    match apps.get_application("0oa1").send().await.unwrap() {
        Application::Saml(saml) => {
            assert_eq!(saml.label, "Acme");
            let sign_on = saml.settings.unwrap().sign_on.unwrap();
            assert_eq!(
                sign_on.sso_acs_url.as_deref(),
                Some("https://acme.example/sso")
            );
        }
        other => panic!("expected a SAML 2.0 app, got {other:?}"),
    }
    let future = apps.get_application("0oa2").send().await.unwrap();
    let Application::Other(base) = &future else {
        panic!("expected the fallback variant, got {future:?}")
    };
    assert_eq!(base.label, "Future");
    assert_eq!(
        serde_json::to_value(&future).unwrap(),
        json!({"id": "0oa2", "name": "future", "label": "Future", "signOnMode": "PASSKEY_MAGIC", "newField": {"x": 1}})
    );
}

#[tokio::test]
async fn application_list_keeps_catalog_swa_apps_and_unknown_features_that_the_spec_does_not_describe(
) {
    // Two kinds of app that Okta's answers have and its schemas do not describe (other Okta
    // SDKs fail a whole list on them): a catalog SWA app, named by its catalog template rather
    // than `template_swa`, without the SWA form selectors; and an app with a feature value the
    // spec's enum lacks. Both decode, and encode back as sent.
    let swa = json!({
        "id": "0oa1", "name": "docusign", "label": "DocuSign", "signOnMode": "BROWSER_PLUGIN",
        "features": ["AUTO_CONFIRM_IMPORTS"],
        "settings": {"app": {"siteURL": "https://account.docusign.com"}},
    });
    let saml = json!({
        "id": "0oa2", "name": "acme_saml", "label": "Acme", "signOnMode": "SAML_2_0",
        "features": ["PUSH_NEW_USERS", "AUTO_CONFIRM_IMPORTS"],
        "settings": {"signOn": {"ssoAcsUrl": "https://acme.example/sso"}},
    });
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/apps"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([swa, saml])))
        .mount(&server)
        .await;
    let page = client(&server)
        .application()
        .list_applications()
        .send()
        .await
        .expect("the list decodes");
    let apps = page.items();
    let Application::BrowserPlugin(catalog) = &apps[0] else {
        panic!("a BROWSER_PLUGIN app decodes as one: {:?}", apps[0]);
    };
    assert_eq!(
        catalog.name,
        models::BrowserPluginApplicationName::Unrecognized("docusign".into())
    );
    assert_eq!(
        catalog.features.as_deref(),
        Some(
            &[models::ApplicationFeatures::Unrecognized(
                "AUTO_CONFIRM_IMPORTS".into()
            )][..]
        )
    );
    assert!(matches!(apps[1], Application::Saml(_)), "{:?}", apps[1]);
    assert_eq!(serde_json::to_value(&apps[0]).unwrap(), swa);
    assert_eq!(serde_json::to_value(&apps[1]).unwrap(), saml);
}

#[tokio::test]
async fn application_logo_upload_is_multipart_with_file_name_and_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/apps/0oa1/logo"))
        .respond_with(|req: &Request| {
            let content_type = req
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let body = String::from_utf8_lossy(&req.body);
            let ok = content_type.starts_with("multipart/form-data; boundary=")
                && body.contains("name=\"file\"; filename=\"logo.png\"")
                && body.contains("Content-Type: image/png")
                && body.contains("PNGDATA");
            ResponseTemplate::new(if ok { 201 } else { 400 })
        })
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .application()
        .upload_application_logo(
            "0oa1",
            FilePart::new(b"PNGDATA".to_vec(), "logo.png", "image/png"),
        )
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn application_saml_metadata_preview_returns_xml_text() {
    let server = MockServer::start().await;
    let xml = "<?xml version=\"1.0\"?><md:EntityDescriptor entityID=\"x\"/>";
    Mock::given(method("GET"))
        .and(path("/api/v1/apps/0oa1/sso/saml/metadata"))
        .and(query_param("kid", "k1"))
        .and(header("accept", "application/xml"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(xml, "application/xml"))
        .mount(&server)
        .await;
    let text = client(&server)
        .application()
        .preview_saml_metadata_for_application("0oa1", "k1")
        .send()
        .await
        .unwrap();
    assert_eq!(text, xml);
}

#[tokio::test]
async fn factor_enrollment_helper_sends_the_factor_type_the_caller_left_unset() {
    let server = MockServer::start().await;
    let sent = json!({
        "factorType": "sms",
        "provider": "OKTA",
        "profile": {"phoneNumber": "+1-555-415-1337"},
    });
    Mock::given(method("POST"))
        .and(path("/api/v1/users/00u1/factors"))
        .and(query_param("updatePhone", "true"))
        .and(body_json(&sent))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "mbl1", "factorType": "sms", "provider": "OKTA", "status": "PENDING_ACTIVATION",
            "profile": {"phoneNumber": "+1-555-415-1337"},
        })))
        .expect(1)
        .mount(&server)
        .await;
    let factor = models::UserFactorSMS {
        provider: Some(models::UserFactorSMSProvider::Okta),
        profile: Some(models::UserFactorSMSProfile {
            phone_number: Some("+1-555-415-1337".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let enrolled = client(&server)
        .user_factor()
        .enroll_sms_factor("00u1", factor)
        .update_phone(true)
        .send()
        .await
        .expect("enrolled");
    let models::UserFactor::Sms(sms) = enrolled else {
        panic!("not an SMS factor: {enrolled:?}");
    };
    assert_eq!(
        sms.status,
        Some(models::UserFactorStatus::PendingActivation)
    );
}

#[test]
fn a_family_variant_encodes_its_own_discriminator_unless_one_is_set() {
    let unset = models::UserFactor::Sms(models::UserFactorSMS::default());
    assert_eq!(
        serde_json::to_value(&unset).unwrap(),
        json!({"factorType": "sms"})
    );
    // Nested families: each level sets its own discriminator.
    let bookmark = Application::Bookmark(models::BookmarkApplication::new(
        "Links".into(),
        models::ApplicationSignOnMode::Bookmark,
        models::BookmarkApplicationName::Bookmark,
        models::BookmarkApplicationSettings {
            app: Some(models::BookmarkApplicationSettingsApplication::new(
                "https://example.com".into(),
            )),
            ..Default::default()
        },
    ));
    assert_eq!(
        serde_json::to_value(&bookmark).unwrap()["signOnMode"],
        json!("BOOKMARK")
    );
    // What the caller set is sent as set, even when it names another variant.
    let explicit = models::UserFactor::Sms(models::UserFactorSMS {
        factor_type: Some(json!("call")),
        ..Default::default()
    });
    assert_eq!(
        serde_json::to_value(&explicit).unwrap(),
        json!({"factorType": "call"})
    );
}

/// An SMS factor as Okta answers with it; `resend` is the `_links.resend` it carries.
fn sms_factor_json(resend: serde_json::Value) -> serde_json::Value {
    let factor = "https://acme.okta.com/api/v1/users/00u1/factors/mbl1";
    json!({
        "id": "mbl1",
        "factorType": "sms",
        "provider": "OKTA",
        "vendorName": "OKTA",
        "status": "PENDING_ACTIVATION",
        "profile": {"phoneNumber": "+1-555-415-1337"},
        "_links": {
            "activate": {"href": format!("{factor}/lifecycle/activate"), "hints": {"allow": ["POST"]}},
            "resend": resend,
            "self": {"href": factor, "hints": {"allow": ["GET"]}},
        },
    })
}

#[tokio::test]
async fn user_factor_answers_whose_resend_link_is_a_list_or_one_link_decode_and_keep_their_shape() {
    // Okta's spec types `_links.resend` as one link, but its answer to enrolling an SMS (call,
    // email) factor lists one link per way to resend; elsewhere it is one link. Both decode,
    // into the two branches of `UserFactorLinksResend`, and encode back as they came.
    let resend = "https://acme.okta.com/api/v1/users/00u1/factors/mbl1/resend";
    let listed =
        sms_factor_json(json!([{"name": "sms", "href": resend, "hints": {"allow": ["POST"]}}]));
    let single = sms_factor_json(json!({"href": resend}));
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/users/00u1/factors"))
        .and(body_json(
            json!({"factorType": "sms", "profile": {"phoneNumber": "+1-555-415-1337"}}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(&listed))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/users/00u1/factors/mbl1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&single))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);

    let body = models::UserFactorSMS {
        profile: Some(models::UserFactorSMSProfile {
            phone_number: Some("+1-555-415-1337".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let enrolled = client
        .user_factor()
        .enroll_sms_factor("00u1", body)
        .send()
        .await
        .expect("an enrolment answer whose resend link is a list decodes");
    let models::UserFactor::Sms(sms) = &enrolled else {
        panic!("an sms factor decodes as UserFactor::Sms: {enrolled:?}");
    };
    let links = sms.links.as_ref().and_then(|l| l.resend.as_ref());
    let listed_links = links
        .and_then(|r| r.as_href_object_list())
        .expect("a list of links");
    assert_eq!(listed_links.len(), 1);
    assert_eq!(listed_links[0].name.as_deref(), Some("sms"));
    assert_eq!(listed_links[0].href, resend);
    assert_eq!(serde_json::to_value(&enrolled).unwrap(), listed);

    let read = client
        .user_factor()
        .get_factor("00u1", "mbl1")
        .send()
        .await
        .expect("a factor whose resend link is one link decodes");
    let models::UserFactor::Sms(sms) = &read else {
        panic!("an sms factor decodes as UserFactor::Sms: {read:?}");
    };
    let link = sms.links.as_ref().and_then(|l| l.resend.as_ref());
    assert_eq!(
        link.and_then(|r| r.as_href_object())
            .map(|l| l.href.as_str()),
        Some(resend)
    );
    assert_eq!(serde_json::to_value(&read).unwrap(), single);
}
