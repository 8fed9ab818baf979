//! Page through the System Log between two instants, one event per line.
//!
//! `OKTA_ORG_URL=... OKTA_API_TOKEN=... cargo run --example system_log -- 2026-11-01T00:00:00Z 2026-11-02T00:00:00Z`

use futures::TryStreamExt;
use okta_generated::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (since, until) = match (args.next(), args.next()) {
        (Some(since), Some(until)) => (since, until),
        _ => return Err("usage: system_log SINCE UNTIL (RFC 3339)".into()),
    };
    let client = Client::builder()
        .base_url(std::env::var("OKTA_ORG_URL")?)
        .api_token(std::env::var("OKTA_API_TOKEN")?)
        .build()?;
    let mut events = client
        .log()
        .list_log_events()
        .since(since)
        .until(until)
        .sort_order("ASCENDING")
        .limit(1000)
        .stream();
    let mut count = 0usize;
    while let Some(event) = events.try_next().await? {
        count += 1;
        println!(
            "{}\t{}\t{}",
            event.published.unwrap_or_default(),
            event.event_type.unwrap_or_default(),
            event.display_message.unwrap_or_default()
        );
    }
    eprintln!("{count} events");
    Ok(())
}
