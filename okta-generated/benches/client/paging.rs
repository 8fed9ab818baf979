//! Part 5, paging memory: peak live heap while streaming 100,000 users through
//! `list_users().stream()`, versus 1,000.

use std::sync::atomic::Ordering::Relaxed;
use std::sync::{Arc, Mutex};

use futures::StreamExt;

use crate::alloc::{LIVE, PEAK};
use crate::server::{
    client_for, http_response, okta_headers, spawn_server, unix_now, user_json, Handler, USER_JSON,
};
use crate::{current_thread_runtime, median, verdict};

const PAGE_SIZE: usize = 200;

fn paging_handler(addr_cell: Arc<Mutex<String>>, total: usize) -> Handler {
    let template = USER_JSON.to_owned();
    Arc::new(move |target: &str| {
        let after: usize = target
            .split(['?', '&'])
            .find_map(|p| p.strip_prefix("after="))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let end = (after + PAGE_SIZE).min(total);
        let mut body = String::with_capacity((end - after) * (template.len() + 40) + 2);
        body.push('[');
        for i in after..end {
            if i > after {
                body.push(',');
            }
            body.push_str(&template.replace("{ID}", &format!("00u{i:017}")));
        }
        body.push(']');
        let now = unix_now().as_secs();
        let mut headers = okta_headers(now, 1_000_000, 999_999, (now / 60 + 1) * 60);
        if end < total {
            let base = addr_cell.lock().unwrap().clone();
            headers.push((
                "link",
                format!("<{base}/api/v1/users?after={end}&limit={PAGE_SIZE}>; rel=\"next\""),
            ));
        }
        http_response("200 OK", &headers, body.as_bytes())
    })
}

/// Peak live heap bytes (above the level before the stream started) while streaming `total`
/// users, and the size of one page's body.
fn bench_paging(total: usize) -> (i64, usize) {
    let base = Arc::new(Mutex::new(String::new()));
    let addr = spawn_server(paging_handler(base.clone(), total));
    *base.lock().unwrap() = format!("http://{addr}");
    let rt = current_thread_runtime();
    let client = client_for(addr).build().expect("client");
    rt.block_on(async {
        // Warm the connection pool, so the peak is the stream's alone.
        client
            .user()
            .list_users()
            .limit(1)
            .send()
            .await
            .expect("warm-up");
        let before = LIVE.load(Relaxed);
        PEAK.store(before, Relaxed);
        let mut stream = client.user().list_users().limit(PAGE_SIZE as i32).stream();
        let mut seen = 0;
        while let Some(user) = stream.next().await {
            let user = user.expect("user");
            assert!(user.id.is_some());
            seen += 1;
        }
        assert_eq!(seen, total, "every user streamed");
        let peak = PEAK.load(Relaxed) - before;
        let page_bytes = PAGE_SIZE * (user_json("00u00000000000000000").len() + 1);
        (peak, page_bytes)
    })
}

fn mib(bytes: i64) -> String {
    format!("{:.2} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Measures the paging memory and adds its row to the table.
pub(crate) fn rows(quick: bool, rows: &mut Vec<[String; 6]>) {
    let (small, large, runs) = if quick {
        (1_000, 20_000, 1)
    } else {
        (1_000, 100_000, 3)
    };
    let peaks = |total: usize| {
        let mut values = Vec::new();
        let mut page = 0;
        for run in 0..runs {
            eprintln!("paging memory, {total} users, run {}/{runs}...", run + 1);
            let (peak, page_bytes) = bench_paging(total);
            values.push(peak as f64);
            page = page_bytes;
        }
        (median(&mut values) as i64, page)
    };
    let (small_peak, page_bytes) = peaks(small);
    let (large_peak, _) = peaks(large);
    rows.push([
        "5".into(),
        format!(
            "paging memory: peak live heap streaming {large} vs {small} users ({PAGE_SIZE} per page, one page ≈ {})",
            mib(page_bytes as i64)
        ),
        mib(large_peak),
        mib(small_peak),
        format!("{:.3}", large_peak as f64 / small_peak as f64),
        format!(
            "≤ small + one page: {}",
            verdict(large_peak <= small_peak + page_bytes as i64)
        ),
    ]);
}
