//! OAuth 2.0 client credentials with a `private_key_jwt` client assertion.

use std::collections::HashMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use okta_generated::{Client, Error};
use reqwest::Method;
use ring::signature::{KeyPair, RsaKeyPair, UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::PrivatePkcs8KeyDer;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

mod runtime_support;
use runtime_support::{
    call, mount, mount_first_then, Capture, TEST_ONLY_KEY_PKCS1, TEST_ONLY_KEY_PKCS8,
};

const CLIENT_ID: &str = "0oa-service-app";
const SCOPES: [&str; 2] = ["okta.users.read", "okta.groups.read"];
const TOKEN_PATH: &str = "/oauth2/v1/token";
const USERS: &str = "/api/v1/users";

fn oauth_client(server: &MockServer, key_pem: &str) -> Client {
    Client::builder()
        .base_url(server.uri())
        .oauth_private_key_jwt(CLIENT_ID, key_pem, Some("kid-1"), SCOPES)
        .build()
        .unwrap()
}

fn token_response(token: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "token_type": "Bearer",
        "expires_in": expires_in,
        "access_token": token,
        "scope": "okta.users.read okta.groups.read"
    }))
}

/// Answers token requests with `response`, and expects exactly `times` of them.
async fn expect_token_requests(server: &MockServer, response: ResponseTemplate, times: u64) {
    Mock::given(path(TOKEN_PATH))
        .respond_with(response)
        .expect(times)
        .mount(server)
        .await;
}

/// Answers `/api/v1/users` with 200, and expects exactly `times` requests there, each with
/// `Authorization: Bearer <access_token>`.
async fn expect_user_calls_bearing(server: &MockServer, access_token: &str, times: u64) {
    Mock::given(path(USERS))
        .and(header(
            "authorization",
            format!("Bearer {access_token}").as_str(),
        ))
        .respond_with(ResponseTemplate::new(200))
        .expect(times)
        .mount(server)
        .await;
}

/// Decodes an `application/x-www-form-urlencoded` body.
fn form(request: &Request) -> HashMap<String, String> {
    let body = std::str::from_utf8(&request.body).unwrap();
    body.split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap();
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8()
                    .unwrap()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect()
}

fn b64_json(part: &str) -> serde_json::Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

async fn token_requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() == TOKEN_PATH)
        .collect()
}

#[tokio::test]
async fn private_key_jwt_fetches_a_token_with_a_signed_rs256_client_assertion() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(token_response("access-1", 3600))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(USERS))
        .and(header("authorization", "Bearer access-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .expect(1)
        .mount(&server)
        .await;

    let client = oauth_client(&server, TEST_ONLY_KEY_PKCS8);
    call(&client, Method::GET, USERS).await.unwrap();

    let token_request = &token_requests(&server).await[0];
    let form = form(token_request);
    assert_eq!(form["grant_type"], "client_credentials");
    assert_eq!(form["scope"], "okta.users.read okta.groups.read");
    assert_eq!(
        form["client_assertion_type"],
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    );

    let jwt = &form["client_assertion"];
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3, "{jwt}");
    let header = b64_json(parts[0]);
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["kid"], "kid-1");
    let claims = b64_json(parts[1]);
    assert_eq!(claims["iss"], CLIENT_ID);
    assert_eq!(claims["sub"], CLIENT_ID);
    assert_eq!(claims["aud"], format!("{}/oauth2/v1/token", server.uri()));
    let iat = claims["iat"].as_u64().unwrap();
    assert_eq!(claims["exp"].as_u64().unwrap(), iat + 300);
    assert!(claims["jti"].as_str().unwrap().len() >= 16);

    // The signature verifies with the key's public half.
    let der = PrivatePkcs8KeyDer::from_pem_slice(TEST_ONLY_KEY_PKCS8.as_bytes()).unwrap();
    let key = RsaKeyPair::from_pkcs8(der.secret_pkcs8_der()).unwrap();
    let public = UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, key.public_key().as_ref());
    let signed = format!("{}.{}", parts[0], parts[1]);
    public
        .verify(
            signed.as_bytes(),
            &URL_SAFE_NO_PAD.decode(parts[2]).unwrap(),
        )
        .expect("valid RS256 signature");
}

#[tokio::test]
async fn access_token_is_cached_and_shared_by_clones() {
    let server = MockServer::start().await;
    expect_token_requests(&server, token_response("access-1", 3600), 1).await;
    expect_user_calls_bearing(&server, "access-1", 2).await;
    let client = oauth_client(&server, TEST_ONLY_KEY_PKCS1);
    let clone = client.clone();
    for c in [&client, &clone] {
        call(c, Method::GET, USERS).await.unwrap();
    }
}

#[tokio::test]
async fn token_near_expiry_is_renewed_with_a_fresh_assertion() {
    let server = MockServer::start().await;
    // Expires in 30 s: inside the renewal margin, so the next request fetches another token.
    mount_first_then(
        &server,
        || path(TOKEN_PATH),
        token_response("access-1", 30),
        token_response("access-2", 3600),
    )
    .await;
    mount(&server, path(USERS), ResponseTemplate::new(200)).await;

    let client = oauth_client(&server, TEST_ONLY_KEY_PKCS8);
    for _ in 0..3 {
        call(&client, Method::GET, USERS).await.unwrap();
    }
    let auth: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == USERS)
        .map(|r| r.headers["authorization"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        auth,
        ["Bearer access-1", "Bearer access-2", "Bearer access-2"]
    );

    let tokens = token_requests(&server).await;
    assert_eq!(tokens.len(), 2);
    let jti = |r: &Request| {
        b64_json(form(r)["client_assertion"].split('.').nth(1).unwrap())["jti"].clone()
    };
    assert_ne!(
        jti(&tokens[0]),
        jti(&tokens[1]),
        "each assertion has a unique jti"
    );
}

#[tokio::test]
async fn token_rejected_with_401_is_refetched_on_the_next_call() {
    let server = MockServer::start().await;
    mount_first_then(
        &server,
        || path(TOKEN_PATH),
        token_response("revoked", 3600),
        token_response("fresh", 3600),
    )
    .await;
    let invalid_token = ResponseTemplate::new(401).set_body_json(serde_json::json!({
        "errorCode": "E0000011", "errorSummary": "Invalid token provided"
    }));
    mount(
        &server,
        header("authorization", "Bearer revoked"),
        invalid_token,
    )
    .await;
    mount(
        &server,
        header("authorization", "Bearer fresh"),
        ResponseTemplate::new(200),
    )
    .await;
    let client = oauth_client(&server, TEST_ONLY_KEY_PKCS8);
    let err = call(&client, Method::GET, USERS).await.unwrap_err();
    assert_eq!(err.status(), Some(reqwest::StatusCode::UNAUTHORIZED));
    call(&client, Method::GET, USERS).await.unwrap();
}

#[tokio::test]
async fn token_endpoint_error_is_an_auth_error_without_the_assertion() {
    let server = MockServer::start().await;
    let refused = ResponseTemplate::new(401).set_body_json(serde_json::json!({
        "error": "invalid_client",
        "error_description": "The client_assertion signature is invalid."
    }));
    mount(&server, path(TOKEN_PATH), refused).await;
    let client = oauth_client(&server, TEST_ONLY_KEY_PKCS8);
    let err = call(&client, Method::GET, USERS).await.unwrap_err();
    let Error::Auth(message) = &err else {
        panic!("expected Auth, got {err:?}")
    };
    assert!(message.contains("invalid_client"), "{message}");
    assert!(message.contains("signature is invalid"), "{message}");
    let assertion = &form(&token_requests(&server).await[0])["client_assertion"];
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(assertion.as_str()));
    }
    // No API request was attempted without a token.
    let api_calls = server.received_requests().await.unwrap().len() - 1;
    assert_eq!(api_calls, 0);
}

#[tokio::test]
async fn dpop_token_type_is_refused() {
    let server = MockServer::start().await;
    let dpop = ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "token_type": "DPoP", "expires_in": 3600, "access_token": "dpop-bound"
    }));
    mount(&server, path(TOKEN_PATH), dpop).await;
    let client = oauth_client(&server, TEST_ONLY_KEY_PKCS8);
    let err = call(&client, Method::GET, USERS).await.unwrap_err();
    assert!(
        matches!(&err, Error::Auth(m) if m.contains("DPoP")),
        "{err:?}"
    );
    assert!(!err.to_string().contains("dpop-bound"));
}

#[test]
fn unusable_private_key_is_a_config_error_that_does_not_echo_the_key() {
    let not_a_key = "-----BEGIN PRIVATE KEY-----\nU0VDUkVUU0VDUkVU\n-----END PRIVATE KEY-----\n";
    for pem in ["SECRETSECRET no pem here", not_a_key] {
        let err = Client::builder()
            .base_url("https://acme.okta.com")
            .oauth_private_key_jwt(CLIENT_ID, pem, None, SCOPES)
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        for shown in [err.to_string(), format!("{err:?}")] {
            assert!(
                !shown.contains("SECRETSECRET") && !shown.contains("U0VDUkVU"),
                "{shown}"
            );
        }
    }
    let no_scopes: [&str; 0] = [];
    let err = Client::builder()
        .base_url("https://acme.okta.com")
        .oauth_private_key_jwt(CLIENT_ID, TEST_ONLY_KEY_PKCS8, None, no_scopes)
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}

#[tokio::test]
async fn trace_output_never_contains_the_access_token_assertion_or_key() {
    let server = MockServer::start().await;
    mount(
        &server,
        path(TOKEN_PATH),
        token_response("access-secret-value", 3600),
    )
    .await;
    expect_user_calls_bearing(&server, "access-secret-value", 1).await;

    let capture = Capture::default();
    let _guard = capture.install();
    let client = oauth_client(&server, TEST_ONLY_KEY_PKCS8);
    call(&client, Method::GET, USERS).await.unwrap();

    let log = capture.text();
    assert!(
        log.contains("OAuth 2.0 access token"),
        "token fetch is logged: {log}"
    );
    let assertion = form(&token_requests(&server).await[0])["client_assertion"].clone();
    let key_line = TEST_ONLY_KEY_PKCS8.lines().nth(1).unwrap();
    for secret in ["access-secret-value", assertion.as_str(), key_line] {
        assert!(!log.contains(secret), "{secret} leaked into: {log}");
        assert!(!format!("{client:?}").contains(secret));
    }
}

#[tokio::test]
async fn absurd_expires_in_does_not_panic() {
    let server = MockServer::start().await;
    expect_token_requests(&server, token_response("access-1", u64::MAX), 1).await;
    mount(&server, path(USERS), ResponseTemplate::new(200)).await;
    let client = oauth_client(&server, TEST_ONLY_KEY_PKCS8);
    for _ in 0..2 {
        call(&client, Method::GET, USERS).await.unwrap();
    }
}
