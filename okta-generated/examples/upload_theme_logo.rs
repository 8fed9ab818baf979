//! Upload a PNG as the logo of a brand's theme (a multipart upload).
//!
//! `OKTA_ORG_URL=... OKTA_API_TOKEN=... cargo run --example upload_theme_logo -- BRAND_ID THEME_ID logo.png`

use okta_generated::{Client, FilePart};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [brand_id, theme_id, file] = args.as_slice() else {
        return Err("usage: upload_theme_logo BRAND_ID THEME_ID FILE.png".into());
    };
    let client = Client::builder()
        .base_url(std::env::var("OKTA_ORG_URL")?)
        .api_token(std::env::var("OKTA_API_TOKEN")?)
        .build()?;
    let bytes = std::fs::read(file)?;
    let name = std::path::Path::new(file)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "logo.png".into());
    let uploaded = client
        .brand()
        .upload_brand_theme_logo(brand_id, theme_id, FilePart::new(bytes, name, "image/png"))
        .send()
        .await?;
    println!("logo at {}", uploaded.url.unwrap_or_default());
    Ok(())
}
