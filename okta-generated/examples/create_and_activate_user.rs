//! Create a user without activating it, then activate it without sending the activation email.
//!
//! `OKTA_ORG_URL=... OKTA_API_TOKEN=... cargo run --example create_and_activate_user -- dana@example.com`

use okta_generated::{models, Client};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let login = std::env::args()
        .nth(1)
        .ok_or("usage: create_and_activate_user LOGIN")?;
    let client = Client::builder()
        .base_url(std::env::var("OKTA_ORG_URL")?)
        .api_token(std::env::var("OKTA_API_TOKEN")?)
        .build()?;

    let mut profile = models::UserProfile {
        login: Some(login.clone()),
        email: Some(login),
        first_name: Some("Dana".into()),
        last_name: Some("Scully".into()),
        ..Default::default()
    };
    // A custom attribute of your org's user schema.
    profile
        .additional_properties
        .insert("employeeBadge".into(), "B-1138".into());
    let request = models::CreateUserRequest::new(profile);

    // `activate=false` is sent explicitly: Okta's default is to activate at once.
    let user = client
        .user()
        .create_user(request)
        .activate(false)
        .send()
        .await?;
    let id = user.id.ok_or("Okta returned a user without an id")?;
    println!("created {id} ({:?})", user.status);

    let token = client
        .user()
        .activate_user(&id)
        .send_email(false)
        .send()
        .await?;
    println!("activated; activation URL: {:?}", token.activation_url);
    Ok(())
}
