//! The user crate that `cargo xtask bench` compiles (ten calls through the client,
//! `xtask/src/bench/callers/ours.rs`), compiled and run here against a local mock Okta: the bench
//! cannot drift from the client unnoticed, and the calls make the requests they claim to.

use okta_generated::{models, Client};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod bench_caller {
    include!("../../xtask/src/bench/callers/ours.rs");
}

#[tokio::test]
async fn the_bench_s_ten_calls_compile_and_each_reaches_its_route_once() {
    let server = MockServer::start().await;
    let user = json!({"id": "00u1", "status": "ACTIVE", "profile": {"login": "a@example.com"}, "extra": 1});
    let group = json!({"id": "00g1", "profile": {"name": "Staff"}});
    // (method, path, answer); `expect(1)`: each call is made exactly once.
    let routes: [(&str, &str, ResponseTemplate); 10] = [
        (
            "GET",
            "/api/v1/users/00u1",
            ResponseTemplate::new(200).set_body_json(&user),
        ),
        (
            "GET",
            "/api/v1/users",
            ResponseTemplate::new(200).set_body_json(json!([user])),
        ),
        (
            "POST",
            "/api/v1/users",
            ResponseTemplate::new(200).set_body_json(&user),
        ),
        (
            "PUT",
            "/api/v1/users/00u1",
            ResponseTemplate::new(200).set_body_json(&user),
        ),
        (
            "POST",
            "/api/v1/users/00u1/lifecycle/deactivate",
            ResponseTemplate::new(200),
        ),
        (
            "GET",
            "/api/v1/groups",
            ResponseTemplate::new(200).set_body_json(json!([group])),
        ),
        (
            "PUT",
            "/api/v1/groups/00g1/users/00u1",
            ResponseTemplate::new(204),
        ),
        (
            "GET",
            "/api/v1/groups/00g1/users",
            ResponseTemplate::new(200).set_body_json(json!([user, user])),
        ),
        (
            "GET",
            "/api/v1/apps",
            ResponseTemplate::new(200).set_body_json(json!([])),
        ),
        (
            "GET",
            "/api/v1/apps/0oa1",
            ResponseTemplate::new(200).set_body_json(json!({
                "id": "0oa1",
                "name": "bookmark",
                "label": "Docs",
                "signOnMode": "BOOKMARK",
                "settings": {"app": {"url": "https://example.com/docs"}},
            })),
        ),
    ];
    for (verb, route, answer) in routes {
        let mock = Mock::given(method(verb)).and(path(route));
        let mock = if verb == "POST" && route == "/api/v1/users" {
            mock.and(query_param("activate", "false"))
        } else {
            mock
        };
        mock.respond_with(answer).expect(1).mount(&server).await;
    }
    let client = Client::builder()
        .base_url(server.uri())
        .api_token("00test-token")
        .build()
        .expect("client");

    let new_user: models::CreateUserRequest =
        serde_json::from_value(json!({"profile": {"login": "a@example.com"}})).expect("a request");
    let n = bench_caller::calls(&client, new_user, models::UpdateUserRequest::default())
        .await
        .expect("the ten calls succeed");
    // What `calls` counts: the unknown keys of the three users it gets back (one each), and the
    // items of the three lists (1 user, 1 group, 2 members, 0 apps).
    assert_eq!(n, 3 + 1 + 1 + 2);
    server.verify().await;
}
