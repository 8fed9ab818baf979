//! The local HTTP/1.1 server (keep-alive, GET only) on its own thread and runtime, the headers
//! Okta sends, the user it serves, and a client of it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use okta_generated::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::alloc::UNCOUNTED;

/// Builds the whole HTTP response to `GET target`.
pub(crate) type Handler = Arc<dyn Fn(&str) -> Bytes + Send + Sync>;

pub(crate) fn spawn_server(handler: Handler) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("local addr");
    listener.set_nonblocking(true).expect("nonblocking");
    std::thread::spawn(move || {
        UNCOUNTED.with(|u| u.set(true));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(serve_connection(socket, handler.clone()));
            }
        });
    });
    addr
}

async fn serve_connection(mut socket: tokio::net::TcpStream, handler: Handler) {
    let _ = socket.set_nodelay(true);
    let mut buf = Vec::with_capacity(8192);
    loop {
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            match socket.read_buf(&mut buf).await {
                Ok(n) if n > 0 => {}
                _ => return,
            }
        };
        let response = {
            let head = std::str::from_utf8(&buf[..head_end]).unwrap_or("");
            let target = head.split(' ').nth(1).unwrap_or("/");
            handler(target)
        };
        buf.drain(..head_end);
        if socket.write_all(&response).await.is_err() {
            return;
        }
    }
}

pub(crate) fn http_response(status: &str, headers: &[(&str, String)], body: &[u8]) -> Bytes {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        out.push_str(name);
        out.push_str(": ");
        out.push_str(value);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes.into()
}

pub(crate) fn unix_now() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// The headers Okta sends on every response.
pub(crate) fn okta_headers(
    now_secs: u64,
    limit: u64,
    remaining: u64,
    reset: u64,
) -> Vec<(&'static str, String)> {
    vec![
        (
            "date",
            httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(now_secs)),
        ),
        ("x-okta-request-id", format!("bench-{now_secs}-{remaining}")),
        ("x-rate-limit-limit", limit.to_string()),
        ("x-rate-limit-remaining", remaining.to_string()),
        ("x-rate-limit-reset", reset.to_string()),
    ]
}

/// A realistic Okta user (about 3 KB), with `{ID}` where the id goes.
pub(crate) const USER_JSON: &str = r#"{"id":"{ID}","status":"ACTIVE","created":"2023-04-11T18:02:36.000Z","activated":"2023-04-11T18:02:37.000Z","statusChanged":"2023-04-11T18:02:37.000Z","lastLogin":"2024-11-02T09:14:51.000Z","lastUpdated":"2024-10-30T16:40:12.000Z","passwordChanged":"2024-06-18T07:55:03.000Z","type":{"id":"oty1a2b3c4d5e6f7g8h9"},"profile":{"firstName":"Isaac","lastName":"Brock","middleName":"Dale","honorificPrefix":"Dr.","displayName":"Isaac Brock","nickName":"izzy","title":"Director of Platform Engineering","department":"Engineering","division":"R&D","organization":"Acme Corporation","employeeNumber":"E-104233","costCenter":"CC-7781","userType":"Employee","login":"isaac.brock@example.com","email":"isaac.brock@example.com","secondEmail":"ibrock.personal@example.org","mobilePhone":"+1-555-415-1337","primaryPhone":"+1-555-415-2000","streetAddress":"301 Brannan Street, Suite 400","city":"San Francisco","state":"CA","zipCode":"94107","countryCode":"US","postalAddress":"301 Brannan Street\nSuite 400\nSan Francisco, CA 94107","preferredLanguage":"en-US","locale":"en_US","timezone":"America/Los_Angeles","profileUrl":"https://intranet.example.com/people/isaac.brock","manager":"Ruth Porat","managerId":"00u0manager0001abcd","githubUsername":"ibrock","startDate":"2019-09-03","badgeNumber":48213,"accessGroups":["platform","oncall","vpn-admins"]},"credentials":{"password":{},"emails":[{"value":"isaac.brock@example.com","status":"VERIFIED","type":"PRIMARY"},{"value":"ibrock.personal@example.org","status":"VERIFIED","type":"SECONDARY"}],"recovery_question":{"question":"Who's a major player in the cowboy scene?"},"provider":{"type":"OKTA","name":"OKTA"}},"_links":{"suspend":{"href":"https://acme.okta.com/api/v1/users/{ID}/lifecycle/suspend","method":"POST"},"schema":{"href":"https://acme.okta.com/api/v1/meta/schemas/user/osc1a2b3c4d5e6f7g8h9"},"resetPassword":{"href":"https://acme.okta.com/api/v1/users/{ID}/lifecycle/reset_password","method":"POST"},"forgotPassword":{"href":"https://acme.okta.com/api/v1/users/{ID}/credentials/forgot_password","method":"POST"},"expirePassword":{"href":"https://acme.okta.com/api/v1/users/{ID}/lifecycle/expire_password","method":"POST"},"changeRecoveryQuestion":{"href":"https://acme.okta.com/api/v1/users/{ID}/credentials/change_recovery_question","method":"POST"},"self":{"href":"https://acme.okta.com/api/v1/users/{ID}"},"type":{"href":"https://acme.okta.com/api/v1/meta/types/user/oty1a2b3c4d5e6f7g8h9"},"changePassword":{"href":"https://acme.okta.com/api/v1/users/{ID}/credentials/change_password","method":"POST"},"deactivate":{"href":"https://acme.okta.com/api/v1/users/{ID}/lifecycle/deactivate","method":"POST"}}}"#;

pub(crate) const TOKEN: &str = "00bench-api-token-0123456789abcdefghijklmn";
pub(crate) const USER_ID: &str = "00ub0oNGTSWTBKOLGLNR";

pub(crate) fn user_json(id: &str) -> String {
    USER_JSON.replace("{ID}", id)
}

pub(crate) fn client_for(addr: SocketAddr) -> okta_generated::ClientBuilder {
    Client::builder()
        .base_url(format!("http://{addr}"))
        .api_token(TOKEN)
}
