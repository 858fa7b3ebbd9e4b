//! Whole-process `signpost check`, measured side by side with its floor in one run
//! (docs/performance.md records the numbers). Run: `cargo bench --bench check_process`.
//!
//! - `check trees`: the shipped trees, the whole process (start, read, compile, lints, exit).
//! - `check` of a generated tree of 100,000 nodes, whole process, against the floor: reading the
//!   same bytes with `serde_json::from_slice` into a `serde_json::Value`, in this process.
//!
//! Times are CPU time (user + system) of the child process, the median of several runs, so other
//! work on a shared machine disturbs them less than wall-clock time; wall time is shown too.
//! `SIGNPOST_BIN=path` measures another build of the binary (e.g. an older one, for "before").

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    // `cargo bench` passes `--bench`; nothing here takes arguments.
    let bin: PathBuf = std::env::var_os("SIGNPOST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_signpost")));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let nodes: usize = std::env::var("NODES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    println!("binary: {}", bin.display());

    let (cpu, wall) = median_process(&bin, &[root.join("trees").as_os_str()], 21);
    println!(
        "check trees (shipped trees), whole process: {} CPU, {} wall (median of 21)",
        ms(cpu),
        ms(wall)
    );

    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("tree.json");
    std::fs::write(&file, signpost::generate::tree(nodes)).expect("writes the tree");
    let bytes = std::fs::read(&file).expect("reads the tree");
    let mut floor = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        let v: serde_json::Value = serde_json::from_slice(&bytes).expect("valid JSON");
        floor.push(t.elapsed());
        drop(std::hint::black_box(v));
    }
    floor.sort();
    let floor = floor[floor.len() / 2];
    let (cpu, wall) = median_process(&bin, &[file.as_os_str()], 7);
    println!(
        "{nodes} nodes ({:.1} MB): floor serde_json::from_slice into Value {}; check, whole process: {} CPU ({:.1}x the floor), {} wall ({:.1}x)",
        bytes.len() as f64 / 1e6,
        ms(floor),
        ms(cpu),
        cpu.as_secs_f64() / floor.as_secs_f64(),
        ms(wall),
        wall.as_secs_f64() / floor.as_secs_f64(),
    );
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// Runs `bin check ARGS --today 2026-11-23` `runs` times; the median CPU and wall time.
fn median_process(bin: &Path, args: &[&std::ffi::OsStr], runs: usize) -> (Duration, Duration) {
    let mut cpu = Vec::new();
    let mut wall = Vec::new();
    for _ in 0..runs {
        let before = children_cpu();
        let t = Instant::now();
        let out = Command::new(bin)
            .arg("check")
            .args(args)
            .args(["--today", "2026-11-23"])
            .output()
            .expect("runs signpost");
        wall.push(t.elapsed());
        cpu.push(children_cpu().saturating_sub(before));
        assert!(
            out.status.code() == Some(0),
            "check failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    cpu.sort();
    wall.sort();
    (cpu[runs / 2], wall[runs / 2])
}

/// User + system CPU time of this process's finished children (getrusage, microseconds).
fn children_cpu() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let mut r: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut r) } != 0 {
        return Duration::ZERO;
    }
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(r.ru_utime) + tv(r.ru_stime)
}
