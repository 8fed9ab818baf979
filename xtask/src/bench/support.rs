//! What every section uses: timed samples and their formatting, and running processes.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The durations of one figure, one per run.
#[derive(Default)]
pub(super) struct Samples(pub(super) Vec<Duration>);

impl Samples {
    pub(super) fn push(&mut self, d: Duration) {
        self.0.push(d);
    }

    pub(super) fn median(&self) -> Duration {
        let mut v = self.0.clone();
        v.sort();
        match v.len() {
            0 => Duration::ZERO,
            n if n % 2 == 1 => v[n / 2],
            n => (v[n / 2 - 1] + v[n / 2]) / 2,
        }
    }

    fn min(&self) -> Duration {
        self.0.iter().copied().min().unwrap_or_default()
    }

    fn max(&self) -> Duration {
        self.0.iter().copied().max().unwrap_or_default()
    }

    /// "123 ms (118–130)", or "123 ms" for a single run.
    pub(super) fn show(&self) -> String {
        if self.0.len() < 2 {
            return secs(self.median());
        }
        format!(
            "{} ({}–{})",
            secs(self.median()),
            secs(self.min()),
            secs(self.max())
        )
    }
}

/// A duration for humans: "8.12 ms", "81.2 ms", "812 ms", "8.12 s", "81.2 s", "13 min 32 s".
pub(super) fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    let ms = s * 1e3;
    match s {
        _ if s < 0.01 => format!("{ms:.2} ms"),
        _ if s < 0.1 => format!("{ms:.1} ms"),
        _ if s < 1.0 => format!("{ms:.0} ms"),
        _ if s < 10.0 => format!("{s:.2} s"),
        _ if s < 100.0 => format!("{s:.1} s"),
        _ => format!("{} min {:02} s", d.as_secs() / 60, d.as_secs() % 60),
    }
}

/// `a / b` of two medians.
pub(super) fn ratio(a: &Samples, b: &Samples) -> f64 {
    a.median().as_secs_f64() / b.median().as_secs_f64()
}

pub(super) fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "**not met**"
    }
}

/// The cargo that runs us (`CARGO` when started by cargo), else `cargo` from `PATH`.
pub(super) fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

pub(super) fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().to_string();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Run `cmd` to completion, its output captured; `Err` (with its stderr) when it fails.
pub(super) fn run_cmd(cmd: &mut Command) -> Result<Duration, String> {
    let start = Instant::now();
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run `{}`: {e}", describe(cmd)))?;
    let elapsed = start.elapsed();
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(40).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!(
            "`{}` failed ({}):\n{}",
            describe(cmd),
            out.status,
            tail.join("\n")
        ));
    }
    Ok(elapsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: &[u64]) -> Samples {
        Samples(v.iter().map(|&m| Duration::from_millis(m)).collect())
    }

    #[test]
    fn median_is_the_middle_run_or_the_mean_of_the_two_middle_ones() {
        assert_eq!(ms(&[30, 10, 20]).median(), Duration::from_millis(20));
        assert_eq!(ms(&[40, 10, 30, 20]).median(), Duration::from_millis(25));
        assert_eq!(ms(&[7]).median(), Duration::from_millis(7));
        assert_eq!(ms(&[40, 10, 30]).show(), "30.0 ms (10.0 ms–40.0 ms)");
    }

    #[test]
    fn durations_print_with_three_significant_digits_or_minutes() {
        assert_eq!(secs(Duration::from_micros(8_123)), "8.12 ms");
        assert_eq!(secs(Duration::from_micros(81_234)), "81.2 ms");
        assert_eq!(secs(Duration::from_millis(812)), "812 ms");
        assert_eq!(secs(Duration::from_millis(8_123)), "8.12 s");
        assert_eq!(secs(Duration::from_millis(81_234)), "81.2 s");
        assert_eq!(secs(Duration::from_secs(812)), "13 min 32 s");
    }
}
