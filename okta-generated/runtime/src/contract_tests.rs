//! Tests of the crate-internal API that the generated code calls (`Request`, `Client::send_*`,
//! `Client::stream`, `Page::next_page`), driven by a hand-written `Operation` like the
//! generator's.

use std::collections::HashMap;

use futures::StreamExt;
use reqwest::Method;
use serde::Deserialize;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;

/// An operation of the org URL that takes either kind of credentials, as most are.
const fn op(id: &'static str, method: Method, path: &'static str) -> Operation {
    Operation {
        id,
        method,
        path,
        host_prefix: None,
        auth: AuthKinds::ANY,
        scopes: &[],
    }
}

static LIST_USERS: Operation = op("listUsers", Method::GET, "/api/v1/users");
static GET_USER: Operation = op("getUser", Method::GET, "/api/v1/users/{userId}");
static UPLOAD_LOGO: Operation = op(
    "uploadBrandThemeLogo",
    Method::POST,
    "/api/v1/brands/{brandId}/themes/{themeId}/logo",
);
static UPLOAD_CERT: Operation = op(
    "publishCsrFromApplication",
    Method::POST,
    "/api/v1/apps/{appId}/credentials/csrs/{csrId}/lifecycle/publish",
);
static GET_METADATA: Operation = op(
    "previewSAMLmetadataForApplication",
    Method::GET,
    "/api/v1/apps/{appId}/sso/saml/metadata",
);
static DEACTIVATE_USER: Operation = op(
    "deactivateUser",
    Method::POST,
    "/api/v1/users/{userId}/lifecycle/deactivate",
);

#[derive(Debug, Deserialize, PartialEq)]
struct User {
    id: String,
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_token("test-token")
        .build()
        .unwrap()
}

fn users(ids: &[&str]) -> serde_json::Value {
    serde_json::Value::Array(
        ids.iter()
            .map(|id| serde_json::json!({ "id": id }))
            .collect(),
    )
}

/// Three pages of users at `/api/v1/users`, linked with absolute `http://127.0.0.1:port` URLs.
async fn mount_three_pages(server: &MockServer) {
    let base = format!("{}/api/v1/users", server.uri());
    Mock::given(method("GET"))
        .and(path("/api/v1/users"))
        .and(query_param_is_missing("after"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(users(&["u1", "u2"]))
                .append_header("link", format!("<{base}?limit=2>; rel=\"self\"").as_str())
                .append_header(
                    "link",
                    format!("<{base}?after=u2&limit=2>; rel=\"next\"").as_str(),
                ),
        )
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/users"))
        .and(query_param("after", "u2"))
        .and(header("authorization", "SSWS test-token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(users(&["u3", "u4"]))
                // self and next in one header, rel unquoted
                .insert_header(
                    "link",
                    format!(
                        "<{base}?after=u2&limit=2>; rel=self, <{base}?after=u4&limit=2>; rel=next"
                    )
                    .as_str(),
                ),
        )
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/users"))
        .and(query_param("after", "u4"))
        .and(header("authorization", "SSWS test-token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(users(&["u5"]))
                .insert_header(
                    "link",
                    format!("<{base}?after=u4&limit=2>; rel=\"self\"").as_str(),
                ),
        )
        .mount(server)
        .await;
}

fn list_users_request() -> Request {
    let mut r = Request::new(&LIST_USERS, "/api/v1/users".to_owned());
    r.query("limit", "2".to_owned());
    r
}

#[tokio::test]
async fn send_page_and_next_page_walk_three_pages_via_absolute_links() {
    let server = MockServer::start().await;
    mount_three_pages(&server).await;
    let client = client(&server);

    let page1 = client
        .send_page::<User>(list_users_request())
        .await
        .unwrap();
    assert_eq!(
        page1.items(),
        [User { id: "u1".into() }, User { id: "u2".into() }]
    );
    assert_eq!(
        page1.next_url(),
        Some(format!("{}/api/v1/users?after=u2&limit=2", server.uri()).as_str())
    );
    let page2 = page1.next_page().await.unwrap().expect("page 2");
    let ids: Vec<String> = page2.items().iter().map(|u| u.id.clone()).collect();
    assert_eq!(ids, ["u3", "u4"]);
    let page3 = page2.next_page().await.unwrap().expect("page 3");
    assert!(!page3.has_next());
    assert_eq!(page3.into_items(), [User { id: "u5".into() }]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn stream_yields_every_item_of_every_page_in_order() {
    let server = MockServer::start().await;
    mount_three_pages(&server).await;
    let items: Vec<User> = client(&server)
        .stream::<User>(list_users_request())
        .map(|r| r.unwrap())
        .collect()
        .await;
    let ids: Vec<&str> = items.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["u1", "u2", "u3", "u4", "u5"]);
}

#[tokio::test]
async fn stream_fetches_the_next_page_only_after_draining_the_current_one() {
    let server = MockServer::start().await;
    mount_three_pages(&server).await;
    let mut stream = client(&server).stream::<User>(list_users_request());
    assert_eq!(server.received_requests().await.unwrap().len(), 0, "lazy");

    assert_eq!(stream.next().await.unwrap().unwrap().id, "u1");
    assert_eq!(stream.next().await.unwrap().unwrap().id, "u2");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    assert_eq!(stream.next().await.unwrap().unwrap().id, "u3");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn next_page_errors_carry_the_list_operation_id_and_end_the_stream() {
    let server = MockServer::start().await;
    let next = format!("{}/api/v1/users?after=u1", server.uri());
    Mock::given(query_param_is_missing("after"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(users(&["u1"]))
                .insert_header("link", format!("<{next}>; rel=\"next\"").as_str()),
        )
        .mount(&server)
        .await;
    Mock::given(query_param("after", "u1"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;

    let page1 = client(&server)
        .send_page::<User>(list_users_request())
        .await
        .unwrap();
    match page1.next_page().await {
        Err(Error::Api(e)) => {
            assert_eq!(e.operation(), "listUsers");
            assert_eq!(e.status(), 404);
        }
        other => panic!("expected Api error, got {other:?}"),
    }

    let results: Vec<Result<User, Error>> =
        client(&server).stream(list_users_request()).collect().await;
    assert_eq!(results.len(), 2, "one item, then the error, then the end");
    assert!(results[0].is_ok());
    assert!(matches!(&results[1], Err(Error::Api(e)) if e.operation() == "listUsers"));
}

#[tokio::test]
async fn next_link_to_another_host_is_refused_without_sending_the_token() {
    let server = MockServer::start().await;
    let foreign = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(users(&["u1"]))
                .insert_header(
                    "link",
                    format!("<{}/api/v1/users?after=u1>; rel=\"next\"", foreign.uri()).as_str(),
                ),
        )
        .mount(&server)
        .await;
    let page1 = client(&server)
        .send_page::<User>(list_users_request())
        .await
        .unwrap();
    assert!(matches!(page1.next_page().await, Err(Error::Config(_))));
    assert!(foreign.received_requests().await.unwrap().is_empty());
}

static LIST_ROLE_USERS: Operation = op(
    "listUsersWithRoleAssignments",
    Method::GET,
    "/api/v1/iam/assignees/users",
);

/// A list paged in the body, as Okta's IAM lists are: `{"value": [...], "_links": {"next":
/// {"href": ...}}}`.
fn role_users_request() -> Request {
    let mut r = Request::new(&LIST_ROLE_USERS, "/api/v1/iam/assignees/users".to_owned());
    r.query("limit", "2".to_owned());
    r.page_in_body("value");
    r
}

fn body_page(ids: &[&str], next: Option<&str>) -> serde_json::Value {
    let mut page = serde_json::json!({ "value": users(ids), "other": {"kept": "aside"} });
    if let Some(next) = next {
        page["_links"] = serde_json::json!({ "next": { "href": next } });
    }
    page
}

/// Three pages: the second link absolute, the third relative to the page it came with.
async fn mount_three_body_pages(server: &MockServer) {
    let second = format!(
        "{}/api/v1/iam/assignees/users?after=u2&limit=2",
        server.uri()
    );
    Mock::given(query_param_is_missing("after"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(body_page(&["u1", "u2"], Some(&second))),
        )
        .mount(server)
        .await;
    Mock::given(query_param("after", "u2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body_page(
            &["u3", "u4"],
            Some("/api/v1/iam/assignees/users?after=u4&limit=2"),
        )))
        .mount(server)
        .await;
    Mock::given(query_param("after", "u4"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body_page(&["u5"], None)))
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_list_paged_in_the_body_walks_its_links_next_href() {
    let server = MockServer::start().await;
    mount_three_body_pages(&server).await;
    let client = client(&server);
    let page1 = client
        .clone()
        .send_page::<User>(role_users_request())
        .await
        .unwrap();
    assert_eq!(
        page1.items(),
        [User { id: "u1".into() }, User { id: "u2".into() }]
    );
    let page2 = page1.next_page().await.unwrap().expect("page 2");
    assert_eq!(page2.items().len(), 2);
    assert_eq!(
        page2.next_url(),
        Some(
            format!(
                "{}/api/v1/iam/assignees/users?after=u4&limit=2",
                server.uri()
            )
            .as_str()
        ),
        "a relative href is resolved against the page it came with"
    );
    let page3 = page2.next_page().await.unwrap().expect("page 3");
    assert!(!page3.has_next());
    let items: Vec<User> = client
        .stream::<User>(role_users_request())
        .map(|r| r.unwrap())
        .collect()
        .await;
    let ids: Vec<&str> = items.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["u1", "u2", "u3", "u4", "u5"]);
}

#[tokio::test]
async fn a_body_page_without_items_or_links_is_an_empty_last_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"_links": {}})))
        .mount(&server)
        .await;
    let page = client(&server)
        .send_page::<User>(role_users_request())
        .await
        .unwrap();
    assert!(page.items().is_empty());
    assert!(!page.has_next());
}

#[tokio::test]
async fn a_body_page_whose_items_do_not_decode_names_the_field_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"value": [{"id": "u1"}, {"id": 7}]})),
        )
        .mount(&server)
        .await;
    match client(&server)
        .send_page::<User>(role_users_request())
        .await
    {
        Err(Error::Decode {
            operation, path, ..
        }) => {
            assert_eq!(operation, "listUsersWithRoleAssignments");
            assert_eq!(path, "value[1].id");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_next_href_to_another_host_is_refused_without_sending_the_token() {
    let server = MockServer::start().await;
    let foreign = MockServer::start().await;
    let next = format!("{}/api/v1/iam/assignees/users?after=u1", foreign.uri());
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body_page(&["u1"], Some(&next))))
        .mount(&server)
        .await;
    let page1 = client(&server)
        .send_page::<User>(role_users_request())
        .await
        .unwrap();
    assert!(matches!(page1.next_page().await, Err(Error::Config(_))));
    assert!(foreign.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn path_segments_are_percent_encoded_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "x"})))
        .mount(&server)
        .await;
    let client = client(&server);
    let cases = [
        ("dana+test@example.com", "dana%2Btest%40example.com"),
        ("a/b", "a%2Fb"),
        ("x y", "x%20y"),
        ("100%", "100%25"),
        ("jürgen", "j%C3%BCrgen"),
    ];
    for (raw, _) in cases {
        let req = Request::new(
            &GET_USER,
            format!("/api/v1/users/{}", encode_path_segment(raw)),
        );
        client.clone().send_json::<User>(req).await.unwrap();
    }
    let received = server.received_requests().await.unwrap();
    for ((_, encoded), request) in cases.iter().zip(&received) {
        assert_eq!(request.url.path(), format!("/api/v1/users/{encoded}"));
    }
}

#[tokio::test]
async fn query_parameters_keep_call_order_and_repeated_names() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(users(&[])))
        .mount(&server)
        .await;
    let mut req = list_users_request();
    req.query("expand", "a b".to_owned());
    req.query("expand", "c+d".to_owned());
    client(&server).send_page::<User>(req).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received[0].url.query(),
        Some("limit=2&expand=a%20b&expand=c%2Bd")
    );
    let expand: Vec<String> = received[0]
        .url
        .query_pairs()
        .filter(|(k, _)| k == "expand")
        .map(|(_, v)| v.into_owned())
        .collect();
    assert_eq!(expand, ["a b", "c+d"]);
}

#[tokio::test]
async fn multipart_file_sends_part_name_file_name_content_type_and_bytes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "logo"})))
        .mount(&server)
        .await;
    let png: Vec<u8> = vec![0x89, b'P', b'N', b'G', 0, 1, 2, 0xff];
    let mut req = Request::new(&UPLOAD_LOGO, "/api/v1/brands/b1/themes/t1/logo".to_owned());
    req.multipart_file("file", FilePart::new(png.clone(), "logo.png", "image/png"));
    let created: User = client(&server).send_json(req).await.unwrap();
    assert_eq!(created.id, "logo");

    let received = server.received_requests().await.unwrap();
    let content_type = received[0].headers["content-type"].to_str().unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect(content_type);
    let mut expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"logo.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    expected.extend_from_slice(&png);
    expected.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    assert_eq!(received[0].body, expected);
}

#[tokio::test]
async fn raw_body_is_sent_verbatim_with_its_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("content-type", "application/x-x509-ca-cert"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "k1"})))
        .mount(&server)
        .await;
    let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    let mut req = Request::new(
        &UPLOAD_CERT,
        "/api/v1/apps/a/credentials/csrs/c/lifecycle/publish".into(),
    );
    req.raw(RawBody::new(pem, "application/x-x509-ca-cert"));
    let key: User = client(&server).send_json(req).await.unwrap();
    assert_eq!(key.id, "k1");
    assert_eq!(
        server.received_requests().await.unwrap()[0].body,
        pem.as_bytes()
    );
}

#[tokio::test]
async fn json_body_has_json_content_type_and_send_json_accepts_json() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("content-type", "application/json"))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "u1"})))
        .mount(&server)
        .await;
    let mut req = Request::new(
        &DEACTIVATE_USER,
        "/api/v1/users/u1/lifecycle/deactivate".into(),
    );
    req.json(&serde_json::json!({ "sendEmail": false }));
    req.header("Prefer", "respond-async".to_owned());
    let user: User = client(&server).send_json(req).await.unwrap();
    assert_eq!(user.id, "u1");
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].body, br#"{"sendEmail":false}"#);
    assert_eq!(received[0].headers["prefer"], "respond-async");
}

#[tokio::test]
async fn a_json_body_of_another_json_media_type_is_sent_as_that_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("content-type", "application/merge-patch+json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "u1"})))
        .mount(&server)
        .await;
    let mut req = Request::new(
        &DEACTIVATE_USER,
        "/api/v1/users/u1/lifecycle/deactivate".into(),
    );
    req.json_as(
        &serde_json::json!({ "profile": { "nickName": null } }),
        "application/merge-patch+json",
    );
    let user: User = client(&server).send_json(req).await.unwrap();
    assert_eq!(user.id, "u1");
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].body, br#"{"profile":{"nickName":null}}"#);
}

#[tokio::test]
async fn send_text_sends_the_given_accept_and_returns_the_body() {
    let server = MockServer::start().await;
    let xml = "<?xml version=\"1.0\"?><md:EntityDescriptor/>";
    Mock::given(method("GET"))
        .and(header("accept", "application/xml"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(xml, "application/xml"))
        .mount(&server)
        .await;
    let req = Request::new(&GET_METADATA, "/api/v1/apps/a1/sso/saml/metadata".into());
    let text = client(&server)
        .send_text(req, "application/xml")
        .await
        .unwrap();
    assert_eq!(text, xml);
}

#[tokio::test]
async fn send_empty_accepts_204_without_body_and_200_with_one() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/users/u1/lifecycle/deactivate"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/users/u2/lifecycle/deactivate"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"whatever\": true}"))
        .mount(&server)
        .await;
    let client = client(&server);
    for id in ["u1", "u2"] {
        let req = Request::new(
            &DEACTIVATE_USER,
            format!("/api/v1/users/{id}/lifecycle/deactivate"),
        );
        client.clone().send_empty(req).await.unwrap();
    }
}

#[tokio::test]
async fn body_that_fails_to_serialize_is_an_error_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let mut req = Request::new(
        &DEACTIVATE_USER,
        "/api/v1/users/u1/lifecycle/deactivate".into(),
    );
    // JSON object keys must be strings.
    req.json(&HashMap::from([((1, 2), 3)]));
    match client(&server).send_empty(req).await {
        Err(Error::Serialize { operation, .. }) => assert_eq!(operation, "deactivateUser"),
        other => panic!("expected Serialize, got {other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn decode_error_of_a_generated_call_names_operation_path_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({ "id": 42 }))
                .insert_header("x-okta-request-id", "req-123"),
        )
        .mount(&server)
        .await;
    let req = Request::new(&GET_USER, "/api/v1/users/u1".into());
    match client(&server).send_json::<User>(req).await {
        Err(Error::Decode {
            operation,
            path,
            request_id,
            ..
        }) => {
            assert_eq!(operation, "getUser");
            assert_eq!(path, "id");
            assert_eq!(request_id.as_deref(), Some("req-123"));
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[test]
fn client_errors_pages_and_call_futures_are_send_and_sync() {
    fn send_sync<T: Send + Sync + 'static>() {}
    fn send<T: Send>(_: &T) {}
    send_sync::<Client>();
    send_sync::<Error>();
    send_sync::<Page<User>>();
    send_sync::<GenericResponse>();

    let client = Client::builder()
        .base_url("https://acme.okta.com")
        .api_token("t")
        .build()
        .unwrap();
    // The futures of generated calls must be spawnable on a multi-threaded runtime.
    send(
        &client
            .clone()
            .send_json::<User>(Request::new(&GET_USER, "/api/v1/users/u1".into())),
    );
    send(&client.clone().send_page::<User>(list_users_request()));
    send(&client.generic_request(Method::GET, "/api/v1/users").send());
}

// --------------------------------------------------------------------------- hosts, credentials

/// Served on `drapp.<the org's host>`, OAuth 2.0 only (Okta's disaster-recovery operations).
static START_FAILBACK: Operation = Operation {
    id: "startOrgFailback",
    method: Method::POST,
    path: "/api/v1/dr/failback",
    host_prefix: Some("drapp"),
    auth: AuthKinds::OAUTH2,
    scopes: &["okta.dr.manage"],
};
static LIST_DR_STATUS: Operation = Operation {
    id: "getDRStatus",
    method: Method::GET,
    path: "/api/v1/dr/status",
    host_prefix: Some("drapp"),
    auth: AuthKinds::OAUTH2,
    scopes: &["okta.dr.read"],
};
/// An API token only.
static LIST_QUESTIONS: Operation = Operation {
    id: "listSupportedSecurityQuestions",
    method: Method::GET,
    path: "/api/v1/users/{userId}/factors/questions",
    host_prefix: None,
    auth: AuthKinds::API_TOKEN,
    scopes: &[],
};
/// No credentials: the body, a signed security event token, is its own.
static PUBLISH_SET: Operation = Operation {
    id: "publishSecurityEventTokens",
    method: Method::POST,
    path: "/security/api/v1/security-events",
    host_prefix: None,
    auth: AuthKinds::NONE,
    scopes: &[],
};

/// What a security event token looks like (header.payload.signature).
const SET: &str =
    "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlIn0.c2lnbmF0dXJlLWxlYWtjaGVjaw";
const BEARER: &str = "oauth-access-token";

/// A client builder whose org URL is `http://localhost:<port>` of `server`, with
/// `drapp.localhost` resolving to the same server.
fn localhost_builder(server: &MockServer) -> ClientBuilder {
    let address = *server.address();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .resolve("drapp.localhost", address)
        .build()
        .unwrap();
    Client::builder()
        .base_url(format!("http://localhost:{}", address.port()))
        .http_client(http)
}

/// [`localhost_builder`] with a bearer token.
fn localhost_client(server: &MockServer) -> Client {
    localhost_builder(server)
        .bearer_token(BEARER)
        .build()
        .unwrap()
}

fn host_of(request: &wiremock::Request) -> String {
    request.headers["host"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_operation_on_a_host_of_its_own_goes_there_and_others_to_the_org_url() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/dr/failback"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "dr"})))
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/users/u1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "u1"})))
        .mount(&server)
        .await;
    let client = localhost_client(&server);
    let req = Request::new(&START_FAILBACK, "/api/v1/dr/failback".into());
    let answer: User = client.clone().send_json(req).await.unwrap();
    assert_eq!(answer.id, "dr");
    let req = Request::new(&GET_USER, "/api/v1/users/u1".into());
    client.send_json::<User>(req).await.unwrap();

    let port = server.address().port();
    let received = server.received_requests().await.unwrap();
    assert_eq!(host_of(&received[0]), format!("drapp.localhost:{port}"));
    assert_eq!(
        received[0].headers["authorization"],
        "Bearer oauth-access-token"
    );
    assert_eq!(host_of(&received[1]), format!("localhost:{port}"));
}

#[tokio::test]
async fn a_host_prefix_on_an_org_url_with_an_ip_address_is_a_config_error_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token(BEARER)
        .build()
        .unwrap();
    let req = Request::new(&START_FAILBACK, "/api/v1/dr/failback".into());
    match client.send_empty(req).await {
        Err(Error::Config(message)) => {
            assert!(message.contains("startOrgFailback"), "{message}");
            assert!(message.contains("`drapp.`"), "{message}");
            assert!(message.contains("IP address"), "{message}");
        }
        other => panic!("expected Error::Config, got {other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn next_page_links_of_an_operation_on_its_own_host_stay_on_that_host() {
    let server = MockServer::start().await;
    let port = server.address().port();
    let own = format!("http://drapp.localhost:{port}/api/v1/dr/status?after=2");
    let org = format!("http://localhost:{port}/api/v1/dr/status?after=3");
    Mock::given(query_param_is_missing("after"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(users(&["d1"]))
                .insert_header("link", format!("<{own}>; rel=\"next\"").as_str()),
        )
        .mount(&server)
        .await;
    Mock::given(query_param("after", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(users(&["d2"]))
                .insert_header("link", format!("<{org}>; rel=\"next\"").as_str()),
        )
        .mount(&server)
        .await;
    let req = Request::new(&LIST_DR_STATUS, "/api/v1/dr/status".into());
    let page1 = localhost_client(&server)
        .send_page::<User>(req)
        .await
        .unwrap();
    let page2 = page1
        .next_page()
        .await
        .unwrap()
        .expect("page 2, on its host");
    assert_eq!(page2.items(), [User { id: "d2".into() }]);
    // The org URL is another origin than the operation's: its credentials do not go there.
    match page2.next_page().await {
        Err(Error::Config(message)) => {
            assert!(
                message.contains("the host of operation getDRStatus"),
                "{message}"
            );
        }
        other => panic!("expected Error::Config, got {other:?}"),
    }
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    for request in &received {
        assert_eq!(host_of(request), format!("drapp.localhost:{port}"));
    }
}

#[tokio::test]
async fn the_prefixed_host_is_refused_to_operations_that_do_not_declare_it() {
    let server = MockServer::start().await;
    let port = server.address().port();
    let next = format!("http://drapp.localhost:{port}/api/v1/users?after=u1");
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(users(&["u1"]))
                .insert_header("link", format!("<{next}>; rel=\"next\"").as_str()),
        )
        .mount(&server)
        .await;
    let page1 = localhost_client(&server)
        .send_page::<User>(list_users_request())
        .await
        .unwrap();
    match page1.next_page().await {
        Err(Error::Config(message)) => assert!(message.contains("not the org URL"), "{message}"),
        other => panic!("expected Error::Config, got {other:?}"),
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn credentials_an_operation_does_not_take_are_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    // An API token to an OAuth-only operation.
    let with_token = localhost_builder(&server)
        .api_token("00ssws-token")
        .build()
        .unwrap();
    let req = Request::new(&START_FAILBACK, "/api/v1/dr/failback".into());
    match with_token.clone().send_empty(req).await {
        Err(Error::Config(message)) => {
            assert!(message.contains("startOrgFailback"), "{message}");
            assert!(
                message.contains("only an OAuth 2.0 access token"),
                "{message}"
            );
            assert!(message.contains("okta.dr.manage"), "{message}");
            assert!(
                message.contains("this client has an API token"),
                "{message}"
            );
        }
        other => panic!("expected Error::Config, got {other:?}"),
    }
    // OAuth 2.0 credentials to an operation that takes an API token only.
    let with_bearer = Client::builder()
        .base_url(server.uri())
        .bearer_token(BEARER)
        .build()
        .unwrap();
    let req = Request::new(&LIST_QUESTIONS, "/api/v1/users/u1/factors/questions".into());
    match with_bearer.send_json::<Vec<User>>(req).await {
        Err(Error::Config(message)) => {
            assert!(
                message.contains("listSupportedSecurityQuestions"),
                "{message}"
            );
            assert!(message.contains("only an API token"), "{message}");
            assert!(message.contains("OAuth 2.0 credentials"), "{message}");
        }
        other => panic!("expected Error::Config, got {other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty());
    // Each kind is sent where it is taken.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(users(&[])))
        .mount(&server)
        .await;
    let req = Request::new(&LIST_QUESTIONS, "/api/v1/users/u1/factors/questions".into());
    with_token.send_json::<Vec<User>>(req).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].headers["authorization"], "SSWS 00ssws-token");
}

/// The TEST-ONLY RSA key of the integration tests (`tests/runtime_support`).
const TEST_ONLY_KEY: &str = include_str!("../../tests/runtime_support/test_only_key_pkcs8.pem");

#[tokio::test]
async fn an_operation_that_takes_no_credentials_sends_none_and_fetches_no_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/security/api/v1/security-events"))
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    Mock::given(path("/oauth2/v1/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "token_type": "Bearer", "expires_in": 3600, "access_token": "issued"
        })))
        .mount(&server)
        .await;
    let clients = [
        client(&server),
        Client::builder()
            .base_url(server.uri())
            .oauth_private_key_jwt("0oa-app", TEST_ONLY_KEY, None, ["okta.users.read"])
            .build()
            .unwrap(),
    ];
    for client in clients {
        let mut req = Request::new(&PUBLISH_SET, "/security/api/v1/security-events".into());
        req.text(TextBody::new(SET), "application/secevent+jwt");
        client.send_empty(req).await.unwrap();
    }
    let received = server.received_requests().await.unwrap();
    let paths: Vec<&str> = received.iter().map(|r| r.url.path()).collect();
    assert_eq!(
        paths, ["/security/api/v1/security-events"; 2],
        "no token request"
    );
    for request in &received {
        assert!(!request.headers.contains_key("authorization"));
        assert_eq!(request.headers["content-type"], "application/secevent+jwt");
        assert_eq!(request.body, SET.as_bytes());
    }
}

#[tokio::test]
async fn a_text_body_stays_out_of_debug_output_and_of_the_error_bodies_kept() {
    let body = TextBody::new(SET);
    assert_eq!(
        format!("{body:?}"),
        format!("TextBody {{ len: {} }}", SET.len())
    );
    // An error page that echoes the request, body included, as some gateways do.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(|request: &wiremock::Request| {
            let echo = format!(
                "<html><pre>{}</pre></html>",
                String::from_utf8_lossy(&request.body)
            );
            ResponseTemplate::new(400).set_body_raw(echo, "text/html")
        })
        .mount(&server)
        .await;
    let mut req = Request::new(&PUBLISH_SET, "/security/api/v1/security-events".into());
    req.text(body, "application/secevent+jwt");
    let err = client(&server).send_empty(req).await.unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("***"), "the echo is kept, scrubbed: {shown}");
    let signature = SET.rsplit('.').next().unwrap();
    for window in signature.as_bytes().windows(12) {
        let fragment = std::str::from_utf8(window).unwrap();
        assert!(!shown.contains(fragment), "{fragment:?} in {shown}");
    }
}
