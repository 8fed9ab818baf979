//! Secrets never show up in Debug output, error messages or tracing output (at TRACE level),
//! while the span carries the operation, status, request id and retry count.

use okta_generated::Client;
use reqwest::Method;
use wiremock::matchers::{header, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod runtime_support;
use runtime_support::Capture;

const TOKEN: &str = "00SuperSecretApiToken";

#[test]
fn debug_of_builder_and_client_hides_tokens_and_keys() {
    let builder = Client::builder()
        .base_url("https://acme.okta.com")
        .api_token(TOKEN);
    let shown = format!("{builder:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("***"), "{shown}");

    let client = builder.build().unwrap();
    let shown = format!("{client:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("acme.okta.com"), "{shown}");

    let bearer = Client::builder()
        .base_url("https://acme.okta.com")
        .bearer_token("eyJSecretAccessToken")
        .build()
        .unwrap();
    assert!(!format!("{bearer:?}").contains("eyJSecretAccessToken"));

    let key = "-----BEGIN PRIVATE KEY-----\nMIIEvSecretKeyMaterial\n-----END PRIVATE KEY-----";
    let oauth = Client::builder()
        .base_url("https://acme.okta.com")
        .oauth_private_key_jwt("0oa1", key, None, ["okta.users.read"]);
    let shown = format!("{oauth:?}");
    assert!(!shown.contains("SecretKeyMaterial"), "{shown}");
    assert!(shown.contains("0oa1"), "{shown}");
}

#[tokio::test]
async fn trace_output_has_the_span_fields_and_never_the_token() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/users"))
        .and(header("authorization", format!("SSWS {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/users"))
        .and(header("authorization", format!("SSWS {TOKEN}").as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!([]))
                .insert_header("x-okta-request-id", "req-traced"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/groups"))
        .respond_with(ResponseTemplate::new(403).set_body_json(serde_json::json!({
            "errorCode": "E0000006", "errorSummary": "You do not have permission"
        })))
        .mount(&server)
        .await;

    let capture = Capture::default();
    let _guard = capture.install();
    let client = Client::builder()
        .base_url(server.uri())
        .api_token(TOKEN)
        .sleeper(|_| async {})
        .build()
        .unwrap();
    client
        .generic_request(Method::GET, "/api/v1/users")
        .send()
        .await
        .unwrap();
    let err = client
        .generic_request(Method::GET, "/api/v1/groups")
        .send()
        .await
        .unwrap_err();

    let log = capture.text();
    assert!(log.contains("span INFO okta.request"), "{log}");
    assert!(log.contains("operation=\"genericRequest\""), "{log}");
    assert!(log.contains("method=GET"), "{log}");
    assert!(log.contains("path=/api/v1/users"), "{log}");
    assert!(log.contains("status=200"), "{log}");
    assert!(log.contains("request_id=\"req-traced\""), "{log}");
    assert!(log.contains("retries=1"), "{log}");
    assert!(log.contains("retrying Okta request"), "{log}");
    assert!(!log.contains(TOKEN), "{log}");
    assert!(!err.to_string().contains(TOKEN));
    assert!(!format!("{err:?}").contains(TOKEN));
}
