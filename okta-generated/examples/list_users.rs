//! List every active user whose last name starts with a prefix, page by page behind the scenes.
//!
//! `OKTA_ORG_URL=https://acme.okta.com OKTA_API_TOKEN=... cargo run --example list_users -- Sm`

use futures::TryStreamExt;
use okta_generated::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let prefix = std::env::args().nth(1).unwrap_or_else(|| "S".to_owned());
    let client = Client::builder()
        .base_url(std::env::var("OKTA_ORG_URL")?)
        .api_token(std::env::var("OKTA_API_TOKEN")?)
        .build()?;
    let search = format!("status eq \"ACTIVE\" and profile.lastName sw \"{prefix}\"");
    let mut users = client
        .user()
        .list_users()
        .search(search)
        .limit(200)
        .stream();
    while let Some(user) = users.try_next().await? {
        let profile = user.profile.unwrap_or_default();
        println!(
            "{}\t{}",
            user.id.unwrap_or_default(),
            profile.login.unwrap_or_default()
        );
    }
    Ok(())
}
