//! A service that answers two of Okta's inline hooks with the crate's types: Okta's request is
//! decoded into the generated model of the hook (`x-webhooks` in Okta's spec), the service
//! decides, and the answer is built from the generated models and sent as JSON.
//!
//! - Token inline hook (`POST /token`, `TokenRequest` -> `TokenHookResponse`): adds the
//!   employee number of a known user to the access token; refuses the token to anyone else.
//! - Password import inline hook (`POST /password-import`, `CreatePasswordImportInlineHookRequest`
//!   -> `PasswordImportResponse`): checks the password a user signs in with against the old user
//!   store, so Okta keeps it.
//!
//! `cargo run -p okta-generated --example inline_hook_service` answers two sample requests and
//! prints the answers; `... -- --listen 127.0.0.1:8080` serves HTTP/1.1 (behind a TLS proxy: Okta
//! calls hooks over HTTPS only), checking the `Authorization` header Okta was configured to send
//! against `HOOK_SECRET`.

use okta_generated::models::{
    CreatePasswordImportInlineHookRequest, PasswordImportResponse, PasswordImportResponseCommands,
    PasswordImportResponseCommandsValue,
    PasswordImportResponseCommandsValueCredential as Credential, TokenHookResponse,
    TokenHookResponseCommands, TokenHookResponseCommandsValue,
    TokenHookResponseCommandsValueValue as ClaimValue, TokenHookResponseError, TokenRequest,
};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Largest request read: Okta's hook payloads are a few KB.
const MAX_BODY: usize = 256 * 1024;

/// The answer to one hook call: `200` with a JSON body, or an error status with a message for
/// the service's log.
#[derive(Debug, PartialEq)]
pub enum Answer {
    Json(Value),
    Error(u16, String),
}

/// One hook call: the path it came to and its body.
pub fn handle(path: &str, body: &[u8]) -> Answer {
    match path {
        "/token" => decode(body).map_or_else(|e| e, |r| encode(token_hook(&r))),
        "/password-import" => decode(body).map_or_else(|e| e, |r| encode(password_import(&r))),
        _ => Answer::Error(404, format!("no hook at {path}")),
    }
}

/// The token inline hook: a known user's access token gets their employee number.
pub fn token_hook(request: &TokenRequest) -> TokenHookResponse {
    let user = request
        .data
        .as_ref()
        .and_then(|d| d.context.as_ref()?.user.as_ref());
    let login = user.and_then(|u| u.profile.as_ref()?.login.as_deref());
    match login.and_then(employee_number) {
        Some(number) => TokenHookResponse {
            commands: Some(vec![TokenHookResponseCommands {
                type_: Some("com.okta.access.patch".into()),
                value: Some(vec![TokenHookResponseCommandsValue {
                    op: Some("add".into()),
                    path: Some("/claims/employeeNumber".into()),
                    value: Some(ClaimValue::String(number.into())),
                    ..Default::default()
                }]),
                ..Default::default()
            }]),
            ..Default::default()
        },
        // An error fails the whole token request: Okta answers the client with an OAuth error.
        None => TokenHookResponse {
            error: Some(TokenHookResponseError {
                error_summary: Some("Not an employee".into()),
                ..Default::default()
            }),
            ..Default::default()
        },
    }
}

/// The password import inline hook: `VERIFIED` when the old store has this password.
pub fn password_import(request: &CreatePasswordImportInlineHookRequest) -> PasswordImportResponse {
    let credential = request
        .data
        .as_ref()
        .and_then(|d| d.context.as_ref()?.credential.as_ref());
    let verified = credential.is_some_and(|c| {
        let (Some(user), Some(password)) = (&c.username, &c.password) else {
            return false;
        };
        old_store_accepts(user, password)
    });
    let credential = if verified {
        Credential::Verified
    } else {
        Credential::Unverified
    };
    PasswordImportResponse {
        commands: Some(vec![PasswordImportResponseCommands {
            type_: Some(json!("com.okta.action.update")),
            value: Some(PasswordImportResponseCommandsValue {
                credential: Some(credential),
                ..Default::default()
            }),
            ..Default::default()
        }]),
        ..Default::default()
    }
}

/// The service's own records (a directory, a database).
fn employee_number(login: &str) -> Option<&'static str> {
    [("dana.scully@example.com", "E-1013")]
        .into_iter()
        .find_map(|(l, n)| (l == login).then_some(n))
}

/// The user store being migrated away from (which would compare password hashes).
fn old_store_accepts(username: &str, password: &str) -> bool {
    username == "dana.scully@example.com" && password == "trust-no-1"
}

fn decode<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Answer> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    // Only where it failed (`data.context.user`), never the value: it may be a password.
    serde_path_to_error::deserialize(de)
        .map_err(|e| Answer::Error(400, format!("the body does not decode at `{}`", e.path())))
}

fn encode<T: serde::Serialize>(answer: T) -> Answer {
    serde_json::to_value(answer).map_or_else(|e| Answer::Error(500, e.to_string()), Answer::Json)
}

/// Serve hook calls on `listener`: one HTTP/1.1 request per connection, refused unless its
/// `Authorization` header is `secret`.
pub async fn serve(listener: tokio::net::TcpListener, secret: String) -> std::io::Result<()> {
    loop {
        let (mut stream, _) = listener.accept().await?;
        let secret = secret.clone();
        tokio::spawn(async move {
            let answer = match read_request(&mut stream).await {
                Ok((path, auth, _)) if auth.as_deref() != Some(secret.as_str()) => {
                    Answer::Error(401, format!("{path}: wrong or no Authorization header"))
                }
                Ok((path, _, body)) => handle(&path, &body),
                Err(e) => Answer::Error(400, e),
            };
            let response = match answer {
                Answer::Json(v) => {
                    let body = v.to_string();
                    format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())
                }
                Answer::Error(status, message) => {
                    eprintln!("{status}: {message}");
                    format!("HTTP/1.1 {status} Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                }
            };
            let _ = stream.write_all(response.as_bytes()).await;
        });
    }
}

/// The path, `Authorization` header and body of one request.
async fn read_request(
    stream: &mut tokio::net::TcpStream,
) -> Result<(String, Option<String>, Vec<u8>), String> {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > MAX_BODY {
            return Err("headers too long".into());
        }
        let mut chunk = [0; 4096];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return Err("connection closed in the headers".into()),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let request_line: Vec<&str> = head.lines().next().unwrap_or_default().split(' ').collect();
    let ["POST", path, _] = request_line.as_slice() else {
        return Err("not a POST request".into());
    };
    let path = path.to_string();
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    };
    let length: usize = header("content-length")
        .and_then(|n| n.parse().ok())
        .filter(|n| *n <= MAX_BODY)
        .ok_or("no Content-Length, or past the limit")?;
    // The bytes read past the head, then the rest.
    let mut body = buf.split_off(head_end);
    if body.len() < length {
        let start = body.len();
        body.resize(length, 0);
        stream
            .read_exact(&mut body[start..])
            .await
            .map_err(|e| format!("body cut short: {e}"))?;
    }
    body.truncate(length);
    Ok((path, header("authorization"), body))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, address] = args.as_slice() {
        if flag == "--listen" {
            let secret = std::env::var("HOOK_SECRET").map_err(|_| "set HOOK_SECRET")?;
            let listener = tokio::net::TcpListener::bind(address).await?;
            println!("inline hooks on http://{}", listener.local_addr()?);
            return Ok(serve(listener, secret).await?);
        }
    }
    // What Okta sends (abridged from its reference), and what the service answers.
    let token = json!({
        "eventType": "com.okta.oauth2.tokens.transform",
        "eventId": "3OWo4oo-QQ-rBWfRyTmQYw",
        "data": {"context": {"user": {"id": "00uq8tMo3zV0OfJON0g3",
            "profile": {"login": "dana.scully@example.com", "firstName": "Dana"}}}}
    });
    let import = json!({
        "eventType": "com.okta.user.credential.password.import",
        "data": {"action": {"credential": "UNVERIFIED"}, "context": {"credential":
            {"username": "dana.scully@example.com", "password": "not-her-password"}}}
    });
    for (path, request) in [("/token", token), ("/password-import", import)] {
        match handle(path, request.to_string().as_bytes()) {
            Answer::Json(body) => println!("POST {path} -> 200 {body}"),
            Answer::Error(status, message) => println!("POST {path} -> {status} {message}"),
        }
    }
    Ok(())
}
