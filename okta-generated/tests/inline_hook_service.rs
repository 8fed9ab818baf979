//! The inline hook service example (`examples/inline_hook_service.rs`) decides as it says, on
//! Okta's payloads, over HTTP too.

#[allow(dead_code)]
#[path = "../examples/inline_hook_service.rs"]
mod service;

use serde_json::{json, Value};
use service::{handle, Answer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn token_request(login: &str) -> Vec<u8> {
    json!({
        "eventType": "com.okta.oauth2.tokens.transform",
        "source": "https://example.okta.com/oauth2/default/v1/authorize",
        "data": {
            "context": {"user": {"id": "00uq8tMo3zV0OfJON0g3", "profile": {"login": login}}},
            "access": {"claims": {"ver": 1}, "token": {"lifetime": {"expiration": 3600}}}
        }
    })
    .to_string()
    .into_bytes()
}

fn import_request(username: &str, password: &str) -> Vec<u8> {
    json!({
        "eventType": "com.okta.user.credential.password.import",
        "data": {
            "action": {"credential": "UNVERIFIED"},
            "context": {"credential": {"username": username, "password": password}}
        }
    })
    .to_string()
    .into_bytes()
}

fn json_answer(answer: Answer) -> Value {
    match answer {
        Answer::Json(v) => v,
        other => panic!("not a JSON answer: {other:?}"),
    }
}

#[test]
fn a_known_user_s_access_token_gets_the_employee_number_claim() {
    let answer = json_answer(handle("/token", &token_request("dana.scully@example.com")));
    assert_eq!(
        answer,
        json!({"commands": [{
            "type": "com.okta.access.patch",
            "value": [{"op": "add", "path": "/claims/employeeNumber", "value": "E-1013"}]
        }]})
    );
}

#[test]
fn an_unknown_user_gets_an_error_that_fails_the_token_request() {
    let answer = json_answer(handle("/token", &token_request("fox.mulder@example.com")));
    assert_eq!(
        answer,
        json!({"error": {"errorSummary": "Not an employee"}})
    );
}

#[test]
fn the_password_import_hook_verifies_only_the_old_store_s_password() {
    let verdict = |password: &str| {
        let answer = json_answer(handle(
            "/password-import",
            &import_request("dana.scully@example.com", password),
        ));
        assert_eq!(answer["commands"][0]["type"], "com.okta.action.update");
        answer["commands"][0]["value"]["credential"].clone()
    };
    assert_eq!(verdict("trust-no-1"), "VERIFIED");
    assert_eq!(verdict("trust-no-2"), "UNVERIFIED");
}

#[test]
fn a_body_that_is_not_the_hook_s_payload_is_a_400_naming_the_field_not_its_value() {
    let body = json!({"data": {"context": {"credential": {"password": 12345678}}}}).to_string();
    let Answer::Error(400, message) = handle("/password-import", body.as_bytes()) else {
        panic!("not a 400");
    };
    assert!(
        message.contains("data.context.credential.password"),
        "{message}"
    );
    assert!(
        !message.contains("12345678"),
        "the value is in the message: {message}"
    );
    assert!(matches!(
        handle("/token", b"not json"),
        Answer::Error(400, _)
    ));
    assert!(matches!(handle("/nope", b"{}"), Answer::Error(404, _)));
}

/// One raw HTTP/1.1 request to the example's server; the response as text.
async fn post(addr: std::net::SocketAddr, path: &str, auth: &str, body: &[u8]) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: hooks\r\nAuthorization: {auth}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).await.unwrap();
    out
}

#[tokio::test]
async fn the_server_answers_an_authorized_call_and_refuses_others() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(service::serve(listener, "Bearer s3cret".into()));

    let ok = post(
        addr,
        "/token",
        "Bearer s3cret",
        &token_request("dana.scully@example.com"),
    )
    .await;
    assert!(ok.starts_with("HTTP/1.1 200 OK\r\n"), "{ok}");
    let body = ok.split("\r\n\r\n").nth(1).unwrap();
    let answer: Value = serde_json::from_str(body).unwrap();
    assert_eq!(answer["commands"][0]["value"][0]["value"], "E-1013");

    let refused = post(
        addr,
        "/token",
        "Bearer guess",
        &token_request("dana.scully@example.com"),
    )
    .await;
    assert!(refused.starts_with("HTTP/1.1 401 "), "{refused}");
    assert!(!refused.contains("s3cret"), "{refused}");
    server.abort();
}
