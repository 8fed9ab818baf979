//! `Error`'s accessors reach Okta's error fields without a `match` on the variant: the common
//! "the user already exists (E0000001)" check is `e.error_code() == Some("E0000001")`, for an
//! `Api` error and for a `RateLimited` one alike; other errors answer `None` (and no causes).
#![cfg(feature = "user")]

use okta_generated::{models, Client, Error};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ALREADY_EXISTS: &str = r#"{
    "errorCode": "E0000001",
    "errorSummary": "Api validation failed: login",
    "errorLink": "E0000001",
    "errorId": "oaeXyZ123",
    "errorCauses": [{"errorSummary": "login: An object with this field already exists in the current organization"}]
}"#;

async fn create_user_answering(status: u16, body: &str) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/users"))
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("content-type", "application/json")
                .insert_header("x-okta-request-id", "req-42")
                .set_body_string(body),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_token("00-test-token")
        .max_retries(0)
        .build()
        .unwrap();
    client
        .user()
        .create_user(models::CreateUserRequest::new(
            models::UserProfile::default(),
        ))
        .send()
        .await
        .expect_err("the mock answers an error")
}

#[tokio::test]
async fn an_existing_user_is_recognised_by_error_code_without_matching_the_variant() {
    let err = create_user_answering(400, ALREADY_EXISTS).await;
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(err.error_code(), Some("E0000001"));
    assert_eq!(err.error_summary(), Some("Api validation failed: login"));
    assert_eq!(err.error_id(), Some("oaeXyZ123"));
    assert_eq!(
        err.error_causes(),
        ["login: An object with this field already exists in the current organization"]
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(err.request_id(), Some("req-42"));
    assert_eq!(err.operation(), Some("createUser"));
    let api = err.api().expect("an Api error has Okta's response");
    assert_eq!(api.error_code(), Some("E0000001"));
    assert_eq!(api.error_link(), Some("E0000001"));
}

#[tokio::test]
async fn a_rate_limited_error_gives_the_same_accessors() {
    let body = r#"{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}"#;
    let err = create_user_answering(429, body).await;
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    assert_eq!(err.error_code(), Some("E0000047"));
    assert_eq!(
        err.error_summary(),
        Some("API call exceeded rate limit due to too many requests.")
    );
    assert!(err.error_causes().is_empty());
    assert_eq!(err.api().map(|e| e.status().as_u16()), Some(429));
    assert_eq!(err.operation(), Some("createUser"));
}

#[tokio::test]
async fn a_body_that_is_not_oktas_json_has_no_code_but_keeps_the_response() {
    let err = create_user_answering(502, "<html>Bad gateway</html>").await;
    assert_eq!(err.error_code(), None);
    assert_eq!(err.error_summary(), None);
    assert!(err.error_causes().is_empty());
    assert_eq!(
        err.api().and_then(|e| e.body_snippet()),
        Some("<html>Bad gateway</html>")
    );
}

#[test]
fn errors_without_an_okta_response_answer_none() {
    let err = Client::builder()
        .base_url("not a url")
        .api_token("t")
        .build()
        .expect_err("a bad base URL");
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(err.api().is_none());
    assert_eq!(err.error_code(), None);
    assert_eq!(err.error_summary(), None);
    assert_eq!(err.error_id(), None);
    assert!(err.error_causes().is_empty());
    assert_eq!(err.operation(), None);
}
