//! The command line as a whole: output that nobody reads any more, the top-level `--resume`,
//! and `signpost test`'s messages about scenario files.

use crate::common;

use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_signpost"))
}

/// Runs a command whose reader goes away at once, as `signpost ... | head -c 5` does once it has
/// its five bytes. Returns the exit code and what went to standard error.
fn with_reader_gone(args: &[&str]) -> (Option<i32>, String) {
    let mut child = bin()
        .args(args)
        .current_dir(common::root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("signpost starts");
    // Closing the only read end makes every write fail with a broken pipe.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("signpost ends");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn broken_pipes_end_quietly_for_every_subcommand() {
    let commands: &[&[&str]] = &[
        &["generate", "--nodes", "5000"],
        &["schema"],
        &["check", "--today", "2026-11-23"],
        &[
            "check",
            "trees",
            "--format",
            "json",
            "--today",
            "2026-11-23",
        ],
        // A small tree: `paths` on the whole start tree takes minutes before it prints (issue 19).
        &["paths", "trees/advocacy.json", "--today", "2025-02-28"],
        &["paths", "trees/start.json", "--count"],
        &[
            "paths",
            "trees/complaints.json",
            "--coverage",
            "--today",
            "2025-02-28",
        ],
        &["graph", "trees/start.json"],
        &["graph", "trees/complaints.json", "--format", "mermaid"],
        &[
            "walk",
            "tests/fixtures/folders/broken-sibling/housing.json",
            "-a",
            "written=no",
            "--today",
            "2025-02-28",
        ],
        &["test", "tests/scenarios/wales-gets-its-own-route.json"],
        &["fmt", "--check", "tests/fixtures/valid"],
        &["explain", "frg_advice_line"],
        &["contacts"],
        &["run", "--plain", "--today", "2025-02-28"],
    ];
    for args in commands {
        let (code, stderr) = with_reader_gone(args);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "signpost {}: {stderr}",
            args.join(" ")
        );
        // fmt --check says "would reformat" with exit 1 when a file needs it; the rest succeed.
        assert!(
            matches!(code, Some(0)) || (args[0] == "fmt" && code == Some(1)),
            "signpost {} ended with {code:?}: {stderr}",
            args.join(" ")
        );
    }
}

#[test]
fn the_exit_codes_stay_0_1_and_2() {
    let ok = bin().args(["check"]).output().unwrap();
    assert_eq!(ok.status.code(), Some(0));
    let wrong = bin()
        .args(["check", "tests/fixtures/invalid/E001-malformed-json"])
        .current_dir(common::root())
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(1));
    let usage = bin().args(["check", "--no-such-flag"]).output().unwrap();
    assert_eq!(usage.status.code(), Some(2));
    let both = bin()
        .args(["--resume", "x.signpost", "check"])
        .output()
        .unwrap();
    assert_eq!(both.status.code(), Some(2));
}

fn scenario(dir: &std::path::Path, tree: &str, answers: &str) -> std::path::PathBuf {
    let path = dir.join("s.json");
    std::fs::write(
        &path,
        format!(
            r#"{{"description": "d", "tree": "{tree}", "today": "2025-02-28",
                "answers": {answers}, "expect": {{}}}}"#
        ),
    )
    .unwrap();
    path
}

#[test]
fn a_misspelt_answer_key_in_a_scenario_is_an_error_naming_the_nearest_question() {
    let dir = tempfile::tempdir().unwrap();
    let path = scenario(
        dir.path(),
        "support",
        r#"{"relationshp": "parent_pr", "support_needs": "none"}"#,
    );
    let out = bin().arg("test").arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("the answer `relationshp` names no question in `support`")
            && stdout.contains("did you mean `relationship`?"),
        "{stdout}"
    );
    // tree.node keys are checked the same way.
    let path = scenario(
        dir.path(),
        "start",
        r#"{"nation": "england", "support.relationshp": "parent_pr"}"#,
    );
    let out = bin().arg("test").arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("did you mean `support.relationship`?"),
        "{stdout}"
    );
}

/// A scenario's base answers that are missing are named with the bases there are; a base that is
/// there but cannot be read says why (the read error's kind tells the two apart).
#[test]
fn a_base_that_cannot_be_read_is_not_called_missing() {
    let dir = tempfile::tempdir().unwrap();
    let bases = dir.path().join("bases");
    std::fs::create_dir(&bases).unwrap();
    std::fs::write(bases.join("parent.json"), r#"{"answers": {}}"#).unwrap();
    let path = dir.path().join("s.json");
    let write = |from: &str| {
        std::fs::write(
            &path,
            format!(
                r#"{{"description": "d", "tree": "support", "today": "2025-02-28",
                    "from": "{from}", "answers": {{}}, "expect": {{}}}}"#
            ),
        )
        .unwrap();
    };
    write("parnet");
    let out = bin().arg("test").arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("there are no base answers `parnet`")
            && stdout.contains("did you mean `parent`?"),
        "{stdout}"
    );
    // A folder where the base file should be is there, but cannot be read as one.
    std::fs::create_dir(bases.join("folder.json")).unwrap();
    write("folder");
    let out = bin().arg("test").arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("folder.json: it is a folder")
            && !stdout.contains("there are no base answers"),
        "{stdout}"
    );
}

#[test]
fn test_suggests_trees_when_the_tree_is_not_built_in() {
    let dir = tempfile::tempdir().unwrap();
    let path = scenario(dir.path(), "housing-help", r#"{"first_question": "no"}"#);
    let out = bin().arg("test").arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("there is no tree `housing-help`"),
        "{stdout}"
    );
    assert!(stdout.contains("--trees"), "{stdout}");
}

// ---------------------------------------------------------------------------------------------
// The smaller items of issue 19.
// ---------------------------------------------------------------------------------------------

/// Every `signpost walk` example in README.md and docs/authoring.md (with its `\` continuation
/// lines) runs as written: a summary, exit 0, and no answer the tree does not use.
#[test]
fn the_walk_examples_in_the_docs_run_as_written() {
    let mut found = 0;
    for doc in ["README.md", "docs/authoring.md"] {
        let text = std::fs::read_to_string(common::root().join(doc)).unwrap();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            let Some(start) = line.trim_start().strip_prefix("signpost walk ") else {
                continue;
            };
            let mut command = start.to_string();
            while command.trim_end().ends_with('\\') {
                command = command.trim_end().trim_end_matches('\\').to_string();
                command.push(' ');
                command.push_str(lines.next().unwrap_or_default().trim());
            }
            let command = command.split('#').next().unwrap_or_default();
            let mut args = vec!["walk"];
            args.extend(command.split_whitespace());
            let out = bin()
                .args(&args)
                .current_dir(common::root())
                .output()
                .unwrap();
            let (stdout, stderr) = (
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
            );
            assert_eq!(out.status.code(), Some(0), "{doc}: {args:?}: {stderr}");
            assert!(stdout.contains("YOUR NEXT STEPS"), "{doc}: {stdout}");
            assert!(
                !stderr.contains("was not used"),
                "{doc}: an answer names a question the walk does not have: {stderr}"
            );
            found += 1;
        }
    }
    assert!(found >= 2, "the walk examples were not found");
}

#[test]
fn today_outside_the_supported_years_is_refused_like_any_bad_date() {
    for (today, says) in [
        (
            "0000-01-01",
            "outside the dates Signpost works with (the years 1900 to 2200)",
        ),
        ("2201-01-01", "outside the dates Signpost works with"),
        ("2025-02-30", "is not a real date"),
    ] {
        let out = bin()
            .args(["walk", "trees/complaints.json", "--today", today])
            .current_dir(common::root())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{today}: {stderr}");
        assert!(stderr.contains(says), "{today}: {stderr}");
    }
}

/// A date in the year 9000 is a real date, just not one Signpost works with: it says so.
#[test]
fn a_date_in_the_year_9000_is_out_of_range_not_unreal() {
    let out = bin()
        .args([
            "walk",
            "trees/complaints.json",
            "--today",
            "2025-02-28",
            "-a",
            "relationship=birth_mother",
            "-a",
            "complaint=waiting",
            "-a",
            "complaint_about=council_service",
            "-a",
            "sent_to=complaints_team",
            "-a",
            "complaint_stage=stage_1",
            "-a",
            "sent_on=3/2/9000",
        ])
        .current_dir(common::root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("outside the dates Signpost can work with"),
        "{stderr}"
    );
    assert!(!stderr.contains("not a real date"), "{stderr}");
}

/// Format 0 is older than any Signpost reads, not "newer": in a tree and in a saved file.
#[test]
fn format_0_is_called_older_not_newer() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("old.json");
    std::fs::write(&tree, r#"{"format": 0, "id": "old"}"#).unwrap();
    let out = bin().arg("check").arg(&tree).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("E002") && stdout.contains("older"),
        "{stdout}"
    );
    assert!(!stdout.contains("newer"), "{stdout}");
    // A newer format still says so.
    std::fs::write(&tree, r#"{"format": 2, "id": "old"}"#).unwrap();
    let out = bin().arg("check").arg(&tree).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("newer"));

    let save = dir.path().join("old.signpost");
    for (format, says, never) in [
        (0, "which no Signpost reads", "newer"),
        (9, "newer", "no Signpost reads"),
    ] {
        std::fs::write(
            &save,
            format!(r#"{{"signpost_progress": {format}, "tree": "main", "trees_hash": "0", "answers": {{}}}}"#),
        )
        .unwrap();
        let out = bin()
            .args([
                "run",
                "tests/fixtures/valid/main.json",
                "--plain",
                "--resume",
            ])
            .arg(&save)
            .current_dir(common::root())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(says) && !stderr.contains(never),
            "{format}: {stderr}"
        );
    }
}

/// Plain mode whose input ends before the next steps exits 1 and says why; quit exits 0.
#[test]
fn plain_mode_exits_1_when_its_input_ends_before_the_summary() {
    use std::io::Write;
    for (typed, code) in [("1\n", Some(1)), ("1\nquit\n", Some(0))] {
        let mut child = bin()
            .args(["run", "tests/fixtures/valid/main.json", "--plain"])
            .current_dir(common::root())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(typed.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), code, "{typed:?}: {stderr}");
        assert_eq!(
            stderr.contains("the input ended before the questions did"),
            code == Some(1),
            "{typed:?}: {stderr}"
        );
    }
}

/// One broken tree in a folder does not hide the warnings about the trees beside it.
#[test]
fn check_still_warns_about_the_other_trees_when_one_is_broken() {
    let dir = tempfile::tempdir().unwrap();
    let good = common::root().join("tests/fixtures/folders/broken-sibling/housing.json");
    std::fs::copy(&good, dir.path().join("housing.json")).unwrap();
    // It uses the built-in contacts: its pack extends the built-in pack.
    std::fs::write(
        dir.path().join("pack.json"),
        signpost::files::extending_manifest("housing"),
    )
    .unwrap();
    // Far enough ahead that the tree's review and source dates are stale (warnings).
    let today = ["--today", "2031-01-01"];
    let alone = bin()
        .arg("check")
        .arg(dir.path())
        .args(today)
        .output()
        .unwrap();
    let alone = String::from_utf8_lossy(&alone.stdout).to_string();
    let warnings: Vec<&str> = alone
        .lines()
        .filter(|l| l.starts_with("warning["))
        .collect();
    assert!(
        !warnings.is_empty(),
        "the fixture should have warnings then: {alone}"
    );
    std::fs::write(dir.path().join("broken.json"), "{\"format\": 1, \"id\": ").unwrap();
    let out = bin()
        .arg("check")
        .arg(dir.path())
        .args(today)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("E001"), "{stdout}");
    for w in warnings {
        assert!(
            stdout.contains(w),
            "lost {w:?} beside a broken tree:\n{stdout}"
        );
    }
}

/// `signpost serve` stops on SIGTERM and on Ctrl+C (SIGINT) within 10 s, with slow clients
/// connected: some sending their headers a byte at a time, one idle after a request, one halfway
/// through a body.
#[cfg(all(unix, feature = "web"))]
#[test]
fn serve_stops_within_10_seconds_with_slow_clients_connected() {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpStream;
    use std::time::{Duration, Instant};

    for signal in [libc::SIGTERM, libc::SIGINT] {
        let mut child = bin()
            .args(["serve", "--listen", "127.0.0.1:0"])
            .current_dir(common::root())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("signpost starts");
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        let mut slow: Vec<TcpStream> = (0..5)
            .map(|_| {
                let mut s = TcpStream::connect(&addr).unwrap();
                s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: a")
                    .unwrap();
                s
            })
            .collect();
        let mut idle = TcpStream::connect(&addr).unwrap();
        idle.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut body = TcpStream::connect(&addr).unwrap();
        body.write_all(b"POST /start HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab")
            .unwrap();
        std::thread::sleep(Duration::from_millis(300));
        for s in &mut slow {
            let _ = s.write_all(b"b");
        }
        // SAFETY: kill sends a signal to the child this test started and still holds.
        assert_eq!(unsafe { libc::kill(child.id() as i32, signal) }, 0);
        let asked = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if asked.elapsed() > Duration::from_secs(10) {
                break None;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let Some(status) = status else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("signal {signal}: the server was still running 10 s after it was asked to stop");
        };
        assert!(status.success(), "signal {signal}: {status:?}");
        drop((slow, idle, body));
    }
}

/// `test --summaries FOLDER` writes each scenario's whole text, the same text a walk with its
/// answers prints, so a wording change can be read (or `diff -r`-ed) for every scenario.
#[test]
fn test_writes_each_scenarios_whole_summary_when_asked() {
    let out = std::env::temp_dir().join(format!("signpost-summaries-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let scenario = "tests/scenarios/wales-gets-its-own-route.json";
    let (code, stdout, stderr) =
        common::signpost(&["test", scenario, "--summaries", out.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let written = std::fs::read_to_string(out.join("wales-gets-its-own-route.txt")).unwrap();
    let lib = common::embedded();
    let sc = common::scenarios()
        .into_iter()
        .find(|(n, _)| n == "wales-gets-its-own-route")
        .unwrap()
        .1;
    let expected = signpost::render::text(&signpost::summary::build(&common::scenario_session(
        &lib, &sc,
    )));
    assert_eq!(written, expected);
    assert!(written.contains("Public Services Ombudsman for Wales"));
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
    let _ = std::fs::remove_dir_all(&out);
}

/// `serve PATH --watch` is documented in `--help` as a local preview for authors, needs PATH,
/// refuses a pack that does not compile at first (with the error's place), and starts on one
/// that does, saying it reloads the pack and is for this computer.
#[test]
fn serve_watch_is_accepted_and_documented() {
    let (code, help, _) = common::signpost(&["serve", "--help"]);
    assert_eq!(code, Some(0));
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(help.contains("--watch"), "{help}");
    assert!(help.contains("preview a pack on this computer"), "{help}");
    assert!(help.contains("Not for a public service"), "{help}");
    assert!(help.contains("from this computer only"), "{help}");
    let (code, _, err) = common::signpost(&["serve", "--watch"]);
    assert_eq!(code, Some(2), "--watch needs PATH: {err}");

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tree.json"), "{").unwrap();
    let out = bin()
        .args(["serve", "--watch", "--listen", "127.0.0.1:0"])
        .arg(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("tree.json:1:") && err.contains("E001"),
        "{err}"
    );

    let mut child = bin()
        .args(["serve", "--watch", "--listen", "127.0.0.1:0"])
        .arg(common::root().join("tests/fixtures/packs/returns"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stderr.take().unwrap()));
    let first = lines.next().unwrap().unwrap();
    let second = lines.next().unwrap().unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        first.contains("Signpost is at http://127.0.0.1:"),
        "{first}"
    );
    assert!(
        second.contains("reloads the pack when its files change"),
        "{second}"
    );
    assert!(second.contains("on this computer"), "{second}");
}
