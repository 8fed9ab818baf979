//! Generic requests: auth headers, user agent, encoding, error shapes, and host confinement.

use okta_generated::{Client, Error, RawBody};
use reqwest::Method;
use serde::Deserialize;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_token("00-test-token")
        .max_retries(0)
        .build()
        .unwrap()
}

#[derive(Debug, Deserialize)]
struct User {
    profile: Profile,
}
#[derive(Debug, Deserialize)]
struct Profile {
    login: String,
}

#[tokio::test]
async fn api_token_is_sent_as_ssws_with_json_accept_and_default_user_agent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/users/me"))
        .and(header("authorization", "SSWS 00-test-token"))
        .and(header("accept", "application/json"))
        .and(header(
            "user-agent",
            concat!("okta-generated/", env!("CARGO_PKG_VERSION")),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"profile": {"login": "dana@example.com"}}))
                .insert_header("x-okta-request-id", "req-1")
                .insert_header("x-rate-limit-limit", "600")
                .insert_header("x-rate-limit-remaining", "599")
                .insert_header("x-rate-limit-reset", "1700000000"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let response = client
        .generic_request(Method::GET, "/api/v1/users/me")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.request_id(), Some("req-1"));
    assert_eq!(
        response.json::<User>().unwrap().profile.login,
        "dana@example.com"
    );
    assert!(response.text().contains("dana@example.com"));
    assert_eq!(response.bytes(), response.text().as_bytes());

    let rate = client.last_rate_limit().expect("rate limit recorded");
    assert_eq!(
        (rate.limit, rate.remaining, rate.reset),
        (Some(600), Some(599), Some(1_700_000_000))
    );
}

#[tokio::test]
async fn bearer_token_and_user_agent_suffix() {
    let server = MockServer::start().await;
    Mock::given(header("authorization", "Bearer eyJ-access"))
        .and(header(
            "user-agent",
            concat!("okta-generated/", env!("CARGO_PKG_VERSION"), " my-app/1.2"),
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("eyJ-access")
        .user_agent_suffix("my-app/1.2")
        .build()
        .unwrap();
    let response = client
        .generic_request(Method::DELETE, "/api/v1/groups/g1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert!(response.bytes().is_empty());
}

#[tokio::test]
async fn query_values_round_trip_plus_space_percent_and_unicode() {
    let server = MockServer::start().await;
    Mock::given(query_param("q", "dana+test@example.com"))
        .and(query_param("filter", "profile.lastName eq \"x y\""))
        .and(query_param("pct", "100%"))
        .and(query_param("name", "日本 ü"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .generic_request(Method::GET, "/api/v1/users")
        .query("q", "dana+test@example.com")
        .query("filter", "profile.lastName eq \"x y\"")
        .query("pct", "100%")
        .query("name", "日本 ü")
        .send()
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    let raw = received[0].url.query().unwrap();
    assert!(
        raw.starts_with(
            "q=dana%2Btest%40example.com&filter=profile.lastName%20eq%20%22x%20y%22&pct=100%25&"
        ),
        "{raw}"
    );
}

#[tokio::test]
async fn query_in_the_path_is_kept_and_extended() {
    let server = MockServer::start().await;
    Mock::given(query_param("limit", "2"))
        .and(query_param("after", "a b"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .generic_request(Method::GET, "/api/v1/users?limit=2")
        .query("after", "a b")
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn json_body_custom_headers_and_raw_body_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/groups"))
        .and(header("content-type", "application/json"))
        .and(header("x-custom", "1"))
        .and(body_json(
            serde_json::json!({"profile": {"name": "Admins"}}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "g1"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/v1/idps/credentials/keys"))
        .and(header("content-type", "application/pkix-cert"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    client
        .generic_request(Method::POST, "/api/v1/groups")
        .header("X-Custom", "1")
        .json(&serde_json::json!({"profile": {"name": "Admins"}}))
        .send()
        .await
        .unwrap();
    client
        .generic_request(Method::PUT, "/api/v1/idps/credentials/keys")
        .raw_body(RawBody::new(
            vec![0x30, 0x82, 0x01],
            "application/pkix-cert",
        ))
        .send()
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[1].body, [0x30, 0x82, 0x01]);
}

#[tokio::test]
async fn okta_json_error_with_causes_is_an_api_error_with_every_field() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(serde_json::json!({
                    "errorCode": "E0000001",
                    "errorSummary": "Api validation failed: login",
                    "errorLink": "E0000001",
                    "errorId": "oaeABC",
                    "errorCauses": [
                        {"errorSummary": "login: An object with this field already exists"},
                        {"errorSummary": "email: Does not match required pattern"}
                    ]
                }))
                .insert_header("x-okta-request-id", "req-400"),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .generic_request(Method::POST, "/api/v1/users")
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("expected Api, got {err:?}")
    };
    assert_eq!(api.status(), 400);
    assert_eq!(api.error_code(), Some("E0000001"));
    assert_eq!(api.error_summary(), Some("Api validation failed: login"));
    assert_eq!(api.error_link(), Some("E0000001"));
    assert_eq!(api.error_id(), Some("oaeABC"));
    assert_eq!(
        api.error_causes(),
        [
            "login: An object with this field already exists",
            "email: Does not match required pattern"
        ]
    );
    assert_eq!(api.request_id(), Some("req-400"));
    assert_eq!(api.operation(), "genericRequest");
    assert_eq!(api.body_snippet(), None);
    assert_eq!(err.status(), Some(reqwest::StatusCode::BAD_REQUEST));
    assert_eq!(err.request_id(), Some("req-400"));

    let shown = err.to_string();
    for part in [
        "genericRequest",
        "400",
        "E0000001",
        "Api validation failed: login",
        "already exists",
        "req-400",
    ] {
        assert!(shown.contains(part), "{part:?} missing from {shown:?}");
    }
}

#[tokio::test]
async fn html_error_body_gives_an_api_error_with_a_capped_snippet() {
    let server = MockServer::start().await;
    let html = format!(
        "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>{}</body></html>",
        "x".repeat(5000)
    );
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(html, "text/html"))
        .mount(&server)
        .await;
    let err = client(&server)
        .generic_request(Method::GET, "/api/v1/users")
        .send()
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("expected Api, got {err:?}")
    };
    assert_eq!(api.status(), 502);
    assert_eq!(api.error_code(), None);
    let snippet = api.body_snippet().unwrap();
    assert!(
        snippet.starts_with("<html> <head><title>502 Bad Gateway</title>"),
        "{snippet}"
    );
    assert!(snippet.chars().count() <= 201, "{}", snippet.len());
    assert!(err.to_string().contains("502 Bad Gateway"));
    assert!(err.to_string().len() < 400);
}

#[tokio::test]
async fn empty_error_body_gives_an_api_error_with_the_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).insert_header("x-okta-request-id", "req-404"))
        .mount(&server)
        .await;
    let err = client(&server)
        .generic_request(Method::GET, "/api/v1/users/nobody")
        .send()
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("expected Api, got {err:?}")
    };
    assert_eq!(api.status(), 404);
    assert_eq!((api.error_code(), api.body_snippet()), (None, None));
    assert_eq!(api.request_id(), Some("req-404"));
    assert!(err.to_string().contains("404 Not Found"), "{err}");
}

#[tokio::test]
async fn bad_json_is_a_decode_error_naming_the_field_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"profile": {"login": 5}}))
                .insert_header("x-okta-request-id", "req-200"),
        )
        .mount(&server)
        .await;
    let response = client(&server)
        .generic_request(Method::GET, "/api/v1/users/me")
        .send()
        .await
        .unwrap();
    let err = response.json::<User>().unwrap_err();
    match &err {
        Error::Decode {
            path, request_id, ..
        } => {
            assert_eq!(path, "profile.login");
            assert_eq!(request_id.as_deref(), Some("req-200"));
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(err.to_string().contains("profile.login"), "{err}");
}

#[tokio::test]
async fn absolute_url_to_another_host_is_refused_and_never_contacted() {
    let server = MockServer::start().await;
    let foreign = MockServer::start().await;
    let client = client(&server);
    for target in [
        format!("{}/api/v1/users", foreign.uri()),
        "https://evil.example.com/api/v1/users".to_owned(),
        "//evil.example.com/api/v1/users".to_owned(),
        "api/v1/users".to_owned(),
    ] {
        let err = client
            .generic_request(Method::GET, target.as_str())
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{target}: {err:?}");
    }
    assert!(foreign.received_requests().await.unwrap().is_empty());
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn invalid_header_value_is_a_config_error_not_a_panic() {
    let server = MockServer::start().await;
    let err = client(&server)
        .generic_request(Method::GET, "/api/v1/users")
        .header("X-Bad", "line\nbreak")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}

#[test]
fn builder_rejects_missing_url_missing_auth_and_bad_urls() {
    let no_url = Client::builder().api_token("t").build().unwrap_err();
    assert!(matches!(no_url, Error::Config(_)), "{no_url:?}");
    let no_auth = Client::builder()
        .base_url("https://acme.okta.com")
        .build()
        .unwrap_err();
    assert!(matches!(no_auth, Error::Config(_)), "{no_auth:?}");
    for url in [
        "not a url",
        "http://acme.okta.com",
        "https://acme-admin.okta.com",
    ] {
        let err = Client::builder()
            .base_url(url)
            .api_token("t")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{url}: {err:?}");
    }
    let proxy_and_client = Client::builder()
        .base_url("https://acme.okta.com")
        .api_token("t")
        .http_client(reqwest::Client::new())
        .proxy(reqwest::Proxy::all("http://proxy.local:3128").unwrap())
        .build()
        .unwrap_err();
    assert!(matches!(proxy_and_client, Error::Config(_)));
}

#[tokio::test]
async fn own_http_client_is_used_with_the_same_auth() {
    let server = MockServer::start().await;
    Mock::given(header("authorization", "SSWS 00-test-token"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_token("00-test-token")
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();
    client
        .generic_request(Method::GET, "/api/v1/org")
        .send()
        .await
        .unwrap();
}

/// Serves one request on a raw socket: `head`, then each of `pieces` in its own write with a
/// pause between them, so the client reads the body in several chunks.
async fn serve_in_pieces(head: String, pieces: Vec<Vec<u8>>) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        sock.set_nodelay(true).unwrap();
        let mut request = Vec::new();
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let mut buf = [0u8; 1024];
            let n = sock.read(&mut buf).await.unwrap();
            assert!(n > 0, "request head");
            request.extend_from_slice(&buf[..n]);
        }
        sock.write_all(head.as_bytes()).await.unwrap();
        for piece in pieces {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            sock.write_all(&piece).await.unwrap();
            sock.flush().await.unwrap();
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_body_that_arrives_in_several_chunks_is_read_whole() {
    let body =
        serde_json::json!({"profile": {"login": "dana@example.com"}, "pad": "x".repeat(5000)})
            .to_string()
            .into_bytes();
    let thirds: Vec<Vec<u8>> = body
        .chunks(body.len() / 3 + 1)
        .map(<[u8]>::to_vec)
        .collect();
    assert_eq!(thirds.len(), 3);

    // Chunked transfer encoding, one HTTP chunk per write.
    let chunked = thirds
        .iter()
        .map(|c| {
            [
                format!("{:x}\r\n", c.len()).into_bytes(),
                c.clone(),
                b"\r\n".to_vec(),
            ]
            .concat()
        })
        .chain([b"0\r\n\r\n".to_vec()])
        .collect();
    let head =
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
    // And a Content-Length body written in three pieces.
    let sized_head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    for (head, pieces) in [(head.to_owned(), chunked), (sized_head, thirds.clone())] {
        let base = serve_in_pieces(head.clone(), pieces).await;
        let client = Client::builder()
            .base_url(base)
            .api_token("00-test-token")
            .build()
            .unwrap();
        let response = client
            .generic_request(Method::GET, "/api/v1/users/me")
            .send()
            .await
            .unwrap();
        assert_eq!(response.bytes(), &body[..], "{head}");
        let user: User = response.json().unwrap();
        assert_eq!(user.profile.login, "dana@example.com");
    }
}

#[tokio::test]
async fn a_generic_request_cannot_replace_the_credentials_or_the_host() {
    let server = MockServer::start().await;
    let client = client(&server);
    for (name, value) in [
        ("Authorization", "SSWS someone-elses-token"),
        ("authorization", "Bearer x"),
        ("Proxy-Authorization", "Basic x"),
        ("Host", "evil.example.com"),
        ("Content-Length", "0"),
        ("Transfer-Encoding", "chunked"),
        ("Cookie", "sid=x"),
    ] {
        let err = client
            .generic_request(Method::GET, "/api/v1/users")
            .header(name, value)
            .send()
            .await
            .unwrap_err();
        match &err {
            Error::Config(msg) => assert!(!msg.contains(value), "{name}: the value leaked: {msg}"),
            other => panic!("{name}: expected Error::Config, got {other:?}"),
        }
    }
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing was sent"
    );
}
