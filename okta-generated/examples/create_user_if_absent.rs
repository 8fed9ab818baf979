//! Create a user, or carry on when one with that login already exists: the most common Okta
//! error handling. Okta answers HTTP 400 with `errorCode` `E0000001` ("Api validation failed")
//! and a cause naming the field; `Error::error_code()` and `error_causes()` reach them without
//! a `match` on the error's variant.
//!
//! `OKTA_ORG_URL=... OKTA_API_TOKEN=... cargo run --example create_user_if_absent -- dana@example.com`

use okta_generated::{models, Client, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let login = std::env::args()
        .nth(1)
        .ok_or("usage: create_user_if_absent LOGIN")?;
    let client = Client::builder()
        .base_url(std::env::var("OKTA_ORG_URL")?)
        .api_token(std::env::var("OKTA_API_TOKEN")?)
        .build()?;

    let request = models::CreateUserRequest::new(models::UserProfile {
        login: Some(login.clone()),
        email: Some(login.clone()),
        first_name: Some("Dana".into()),
        last_name: Some("Scully".into()),
        ..Default::default()
    });
    match client.user().create_user(request).send().await {
        Ok(user) => println!("created {}", user.id.as_deref().unwrap_or("?")),
        Err(e) if already_exists(&e) => {
            let user = client.user().get_user(&login).send().await?;
            println!(
                "{login} already exists: {}",
                user.id.as_deref().unwrap_or("?")
            );
        }
        Err(e) => {
            // Everything else: Okta's code and summary when it answered, and the request id to
            // quote to Okta support.
            eprintln!(
                "create_user failed: {e} (code {:?}, request id {:?})",
                e.error_code(),
                e.request_id()
            );
            return Err(e.into());
        }
    }
    Ok(())
}

/// E0000001 is every validation failure; the cause says which field and why.
fn already_exists(e: &Error) -> bool {
    e.error_code() == Some("E0000001")
        && e.error_causes()
            .iter()
            .any(|cause| cause.starts_with("login:") && cause.contains("already exists"))
}
