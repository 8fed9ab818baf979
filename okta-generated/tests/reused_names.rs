//! Okta gave four operation ids of its 2.16.0 API to other calls in its current API (`getRole`,
//! `updateUser`, `updateSmsTemplate`, `updateInlineHook`). Code written against the previous
//! generation of this crate calls the old method names; each must still make the call it made
//! then (same method, same path), never the operation that took over the id. Those names are
//! deprecated aliases of the renamed actions; the operations that now own the ids have other
//! Rust names (or live on another accessor). Each test below is old code, compiled as written
//! (with the body types of the current API), against a mock Okta that answers only the old
//! call.

#![allow(deprecated)] // the point: old names, still compiled

use okta_generated::Client;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_token("00test-token")
        .build()
        .expect("client")
}

/// Mounts the one call the old code made; any other request gets wiremock's 404.
async fn only(server: &MockServer, verb: &str, route: &str, answer: serde_json::Value) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn update_user_still_replaces_the_user_with_put() {
    // 2.16.0 `updateUser` was `PUT /api/v1/users/{userId}`; Okta's `updateUser` is now the
    // partial update (POST), which this crate calls `partial_update_user`.
    let server = MockServer::start().await;
    only(
        &server,
        "PUT",
        "/api/v1/users/00u1",
        json!({"id": "00u1", "profile": {}}),
    )
    .await;
    let body = serde_json::from_value(json!({"profile": {"firstName": "Dana"}})).unwrap();
    let user = client(&server)
        .user()
        .update_user("00u1", body)
        .send()
        .await
        .expect("the old call, PUT");
    assert_eq!(user.id.as_deref(), Some("00u1"));
}

#[tokio::test]
async fn update_sms_template_still_replaces_the_template_with_put() {
    let server = MockServer::start().await;
    let template = json!({"id": "cstk1", "name": "Custom", "template": "Code: ${code}", "type": "SMS_VERIFY_CODE"});
    only(
        &server,
        "PUT",
        "/api/v1/templates/sms/cstk1",
        template.clone(),
    )
    .await;
    let body = serde_json::from_value(template).unwrap();
    let back = client(&server)
        .template()
        .update_sms_template("cstk1", body)
        .send()
        .await
        .expect("the old call, PUT");
    assert_eq!(back.id.as_deref(), Some("cstk1"));
}

#[tokio::test]
async fn update_inline_hook_still_replaces_the_hook_with_put() {
    let server = MockServer::start().await;
    let hook = json!({"id": "cal1", "name": "Hook", "type": "com.okta.oauth2.tokens.transform", "version": "1.0.0"});
    only(&server, "PUT", "/api/v1/inlineHooks/cal1", hook.clone()).await;
    let body = serde_json::from_value(hook).unwrap();
    client(&server)
        .inline_hook()
        .update_inline_hook("cal1", body)
        .send()
        .await
        .expect("the old call, PUT");
}

#[tokio::test]
async fn get_role_on_a_group_still_reads_the_groups_role_assignment() {
    // 2.16.0 `getRole` read a role assigned to a group; Okta's `getRole` now reads a custom
    // role (`client.custom_roles().get_role(id)`), another accessor and another signature.
    let server = MockServer::start().await;
    let role = json!({"id": "ra1", "type": "USER_ADMIN", "assignmentType": "GROUP", "label": "User Administrator", "status": "ACTIVE"});
    only(&server, "GET", "/api/v1/groups/00g1/roles/ra1", role).await;
    client(&server)
        .group()
        .get_role("00g1", "ra1")
        .send()
        .await
        .expect("the old call, on the group");
}
