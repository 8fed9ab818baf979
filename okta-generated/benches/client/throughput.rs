//! Part 4, throughput under a rate limit: 16 tasks sharing one client against a server that
//! enforces an Okta-style fixed-window limit, with rate-limit prevention on and off.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::server::{
    client_for, http_response, okta_headers, spawn_server, unix_now, user_json, Handler, USER_ID,
};
use crate::{median, verdict};

/// An Okta-style limit: `limit` requests per fixed window of `window` whole seconds, windows
/// aligned to the Unix clock, so `X-Rate-Limit-Reset` is exact and `Date`'s one-second
/// resolution is the only imprecision a client has to live with (as with Okta).
struct LimitConfig {
    limit: u64,
    window: u64,
}

#[derive(Default)]
struct LimitStats {
    window: u64,
    used: u64,
    /// Window index → (answered 200, answered 429).
    per_window: BTreeMap<u64, (u64, u64)>,
}

struct Throughput {
    /// Median over the measured windows of (answered 200 / limit).
    rate_fraction: f64,
    /// Answered 429 / all answered, over the measured windows.
    throttled_share: f64,
    windows: usize,
}

fn limited_handler(config: &LimitConfig, stats: Arc<Mutex<LimitStats>>) -> Handler {
    let (limit, window_secs) = (config.limit, config.window);
    let user = user_json(USER_ID);
    let error = br#"{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oaeBench","errorCauses":[]}"#;
    Arc::new(move |_target: &str| {
        let now = unix_now().as_secs();
        let window = now / window_secs;
        let reset = (window + 1) * window_secs;
        let mut s = stats.lock().unwrap();
        if s.window != window {
            s.window = window;
            s.used = 0;
        }
        let allowed = s.used < limit;
        if allowed {
            s.used += 1;
        }
        let remaining = limit - s.used;
        let counts = s.per_window.entry(window).or_default();
        if allowed {
            counts.0 += 1;
        } else {
            counts.1 += 1;
        }
        drop(s);
        let headers = okta_headers(now, limit, remaining, reset);
        if allowed {
            http_response("200 OK", &headers, user.as_bytes())
        } else {
            http_response("429 Too Many Requests", &headers, error)
        }
    })
}

fn bench_throughput(config: &LimitConfig, measured_windows: u64, prevention: bool) -> Throughput {
    let stats = Arc::new(Mutex::new(LimitStats::default()));
    let addr = spawn_server(limited_handler(config, stats.clone()));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let client = client_for(addr)
        .rate_limit_prevention(prevention)
        .build()
        .expect("client");

    // Measure whole windows only: the first one starts after the (partial) window we start in.
    let first = unix_now().as_secs() / config.window + 1;
    let end = (first + measured_windows) * config.window;
    let stop = Arc::new(AtomicBool::new(false));
    rt.block_on(async {
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let (client, stop) = (client.clone(), stop.clone());
                tokio::spawn(async move {
                    while !stop.load(Relaxed) {
                        // Errors (a 429 after the retries) are counted by the server.
                        let _ = client.user().get_user(USER_ID).send().await;
                    }
                })
            })
            .collect();
        let until_end = Duration::from_secs(end).saturating_sub(unix_now());
        tokio::time::sleep(until_end + Duration::from_millis(50)).await;
        stop.store(true, Relaxed);
        for task in tasks {
            task.abort();
        }
    });
    drop(rt);

    let stats = stats.lock().unwrap();
    let mut fractions = Vec::new();
    let (mut ok, mut throttled) = (0, 0);
    for window in first..first + measured_windows {
        let (o, t) = stats.per_window.get(&window).copied().unwrap_or_default();
        fractions.push(o as f64 / config.limit as f64);
        ok += o;
        throttled += t;
    }
    Throughput {
        rate_fraction: median(&mut fractions),
        throttled_share: throttled as f64 / (ok + throttled).max(1) as f64,
        windows: fractions.len(),
    }
}

/// Measures the throughput with prevention on and off and adds its rows to the table.
pub(crate) fn rows(quick: bool, rows: &mut Vec<[String; 6]>) {
    let (config, windows) = if quick {
        (
            LimitConfig {
                limit: 100,
                window: 2,
            },
            2,
        )
    } else {
        (
            LimitConfig {
                limit: 600,
                window: 5,
            },
            4,
        )
    };
    eprintln!(
        "throughput, prevention on ({} windows of {} s)...",
        windows + 1,
        config.window
    );
    let on = bench_throughput(&config, windows, true);
    eprintln!("throughput, prevention off...");
    let off = bench_throughput(&config, windows, false);
    let setting = format!(
        "16 tasks, `get_user`, {} requests per {} s window",
        config.limit, config.window
    );
    rows.push([
        "4".into(),
        format!("throughput under a rate limit: share of the allowed rate ({setting}; median of {} windows)", on.windows),
        format!("{:.1}% (prevention on)", on.rate_fraction * 100.0),
        format!("{:.1}% (prevention off)", off.rate_fraction * 100.0),
        format!("{:.3}", on.rate_fraction / off.rate_fraction),
        format!("≥ 90%: {}", verdict(on.rate_fraction >= 0.9)),
    ]);
    rows.push([
        "4".into(),
        format!(
            "throughput under a rate limit: share of requests answered 429 ({} windows)",
            off.windows
        ),
        format!("{:.2}% (prevention on)", on.throttled_share * 100.0),
        format!("{:.2}% (prevention off)", off.throttled_share * 100.0),
        "—".into(),
        format!("< 2%: {}", verdict(on.throttled_share < 0.02)),
    ]);
}
