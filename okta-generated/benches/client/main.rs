//! Client benchmarks: `cargo bench -p okta-generated --bench client [-- --quick] [SECTION...]`,
//! SECTION one of `overhead`, `throughput`, `paging` (all when none is named).
//!
//! Prints one markdown table on stdout (progress goes to stderr):
//! - client overhead: time and heap allocations per `get_user` call against a local server,
//!   versus the same request made with plain reqwest + serde_json into the same model type;
//! - throughput of 16 concurrent tasks sharing one client against a server that enforces an
//!   Okta-style fixed-window limit, with rate-limit prevention on and off;
//! - peak live heap while streaming 100,000 users through `list_users().stream()` versus 1,000.
//!
//! `--way=okta` (or `okta-no-prevention`, `plain`, `plain-again`) instead makes 2,000 calls
//! (`--calls=N`) of that way only and prints nothing, for a profiler to compare whole runs, e.g. `valgrind
//! --tool=cachegrind target/release/deps/client-<hash> --way=okta`.
//!
//! Every figure is a median of several runs (or windows), every ratio measured in this process.
//! The local HTTP server is a few lines of raw tokio on its own thread, whose allocations are not
//! counted, so the allocator's figures are the client's alone.
//!
//! One module per part (`overhead`, `throughput`, `paging`: each measures and adds its rows),
//! on the local server (`server`) and the counting allocator (`alloc`); this file parses the
//! arguments, prints the table and holds the small helpers the parts share.

mod alloc;
mod overhead;
mod paging;
mod server;
mod throughput;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let named: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(String::as_str)
        .collect();
    if let Some(name) = args.iter().find_map(|a| a.strip_prefix("--way=")) {
        let Some(way) = overhead::way_named(name) else {
            eprintln!("unknown way {name:?}: okta, okta-no-prevention, plain or plain-again");
            std::process::exit(2);
        };
        let calls = args
            .iter()
            .find_map(|a| a.strip_prefix("--calls=")?.parse().ok())
            .unwrap_or(overhead::PROFILE_CALLS);
        overhead::profile_overhead(way, calls);
        return;
    }
    let run = |section: &str| named.is_empty() || named.contains(&section);
    let mut rows: Vec<[String; 6]> = Vec::new();

    if run("overhead") {
        overhead::rows(quick, &mut rows);
    }
    if run("throughput") {
        throughput::rows(quick, &mut rows);
    }
    if run("paging") {
        paging::rows(quick, &mut rows);
    }

    println!("| # | benchmark | okta-generated | baseline | ratio | target |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for row in rows {
        println!("| {} |", row.join(" | "));
    }
}

// Shared by the parts.

/// The median of `values` (sorted in place).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// A runtime on the calling thread, so the client's work is that thread's.
fn current_thread_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// A target's verdict, worded as in the rest of `cargo xtask bench`'s report.
fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "**not met**"
    }
}
