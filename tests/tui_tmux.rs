//! End to end: the real binary in a real terminal (tmux), driven with keys. Checks a full walk
//! with a saved summary, the quick exit, and that SIGTERM leaves the terminal as it was.
//!
//! When tmux is not installed the tests are reported as ignored (with a note on stderr), and in
//! CI (`CI` set) they fail: this file runs under the harness in tests/tools (`harness = false`
//! in Cargo.toml), which decides at run time. Each test uses its own tmux server
//! (`tmux -L <unique name>`), so they can run in parallel and never touch a user's tmux.

mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_signpost");
const PROMPT: &str = "READY$";
const WAIT: Duration = Duration::from_secs(20);

/// What is missing for these tests (nothing, or tmux with how to install it).
fn missing() -> Vec<String> {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        Vec::new()
    } else {
        vec!["tmux (not found on PATH; apt-get install tmux)".to_string()]
    }
}

/// The test tree and the shared data it needs, written to a temp folder. Shared data from the
/// shipped trees/ folder is merged in, because a folder run also compiles the built-in trees.
fn tree_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("trees");
    std::fs::copy(fixtures.join("tui_demo.json"), dir.path().join("tree.json")).expect("copy tree");
    for (name, key) in [("contacts.json", "contacts"), ("glossary.json", "terms")] {
        let mut ours: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(fixtures.join(name)).expect("read"))
                .expect("json");
        if let Ok(text) = std::fs::read_to_string(shipped.join(name)) {
            if let Ok(theirs) = serde_json::from_str::<serde_json::Value>(&text) {
                if let (Some(map), Some(extra)) = (
                    ours[key].as_object_mut(),
                    theirs.get(key).and_then(|v| v.as_object()),
                ) {
                    for (k, v) in extra {
                        map.entry(k.clone()).or_insert(v.clone());
                    }
                }
            }
        }
        std::fs::write(dir.path().join(name), ours.to_string()).expect("write");
    }
    let holidays = if shipped.join("bank-holidays.json").exists() {
        shipped.join("bank-holidays.json")
    } else {
        fixtures.join("bank-holidays.json")
    };
    std::fs::copy(holidays, dir.path().join("bank-holidays.json")).expect("copy holidays");
    let letters = dir.path().join("letters");
    std::fs::create_dir(&letters).expect("letters dir");
    for src in [fixtures.join("letters"), shipped.join("letters")] {
        if let Ok(entries) = std::fs::read_dir(src) {
            for e in entries.flatten() {
                let target = letters.join(e.file_name());
                if !target.exists() {
                    std::fs::copy(e.path(), target).expect("copy letter");
                }
            }
        }
    }
    dir
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    v.sort();
    v
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A tmux server of our own with one 80x24 pane running a plain bash in `dir`.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(dir: &Path) -> Tmux {
        let socket = format!(
            "signpost-test-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let t = Tmux { socket };
        let status = t
            .cmd()
            .args([
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "t",
                "-x",
                "80",
                "-y",
                "24",
            ])
            .arg("-c")
            .arg(dir)
            .args(["env", "-i"])
            .arg(format!(
                "PATH={}",
                std::env::var("PATH").unwrap_or_default()
            ))
            .arg("TERM=xterm-256color")
            .arg(format!("PS1={PROMPT} "))
            .args(["bash", "--norc", "--noprofile"])
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux new-session failed");
        t.wait_for(PROMPT);
        t
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket]);
        c
    }

    /// Sends tmux key names (Enter, Escape, Down, C-q ...).
    fn keys(&self, keys: &[&str]) {
        let status = self
            .cmd()
            .args(["send-keys", "-t", "t"])
            .args(keys)
            .status()
            .expect("send-keys");
        assert!(status.success());
    }

    /// Types text literally.
    fn text(&self, text: &str) {
        let status = self
            .cmd()
            .args(["send-keys", "-t", "t", "-l", text])
            .status()
            .expect("send-keys");
        assert!(status.success());
    }

    fn capture(&self) -> String {
        let out = self
            .cmd()
            .args(["capture-pane", "-p", "-t", "t"])
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    fn display(&self, format: &str) -> String {
        let out = self
            .cmd()
            .args(["display-message", "-p", "-t", "t", format])
            .output()
            .expect("display-message");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Polls the screen until `needle` shows, or fails with what the screen says.
    fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.capture();
            if screen.contains(needle) {
                return screen;
            }
            if start.elapsed() > WAIT {
                panic!("waited for {needle:?}; the screen shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Runs the wizard on the tree in `dir`, and after it the exit status.
    fn run_wizard(&self, dir: &Path) {
        self.text(&format!(
            "{BIN} run {} --today 2025-02-28; echo \"EXITED=$?\"",
            dir.join("tree.json").display()
        ));
        self.keys(&["Enter"]);
        self.wait_for("Press Enter to start.");
    }

    /// The process id of the wizard: the `signpost` process under the pane's shell.
    fn wizard_pid(&self) -> u32 {
        let shell: u32 = self.display("#{pane_pid}").parse().expect("pane pid");
        let mut todo = vec![shell];
        while let Some(pid) = todo.pop() {
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            if comm.trim() == "signpost" {
                return pid;
            }
            let out = Command::new("pgrep")
                .args(["-P", &pid.to_string()])
                .output()
                .expect("pgrep runs");
            todo.extend(
                String::from_utf8_lossy(&out.stdout)
                    .split_whitespace()
                    .filter_map(|p| p.parse::<u32>().ok()),
            );
        }
        panic!("the wizard is not running");
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").status();
    }
}

fn full_walk_then_save_the_summary() {
    let dir = tree_dir();
    let t = Tmux::start(dir.path());
    t.run_wizard(dir.path());
    assert_eq!(
        t.display("#{alternate_on}"),
        "1",
        "the wizard uses the alternate screen"
    );
    t.keys(&["Enter"]);
    t.wait_for("Where did you send your complaint?");
    t.keys(&["Down", "Enter"]);
    t.wait_for("When did you send it?");
    t.text("31/2/2025");
    t.keys(&["Enter"]);
    t.wait_for("is not a real date");
    t.keys(&["C-u"]);
    t.text("3/2/2025");
    t.keys(&["Enter"]);
    t.wait_for("Is any of these happening too?");
    t.keys(&["Space", "Enter"]);
    t.wait_for("How many children");
    t.text("2");
    t.keys(&["Enter"]);
    t.wait_for("What name should we put on your letter?");
    t.text("Sam Smith");
    t.keys(&["Enter"]);
    t.wait_for("Your reply is late");
    t.keys(&["Enter"]);
    t.wait_for("Check your answers");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Your next steps");
    assert!(
        screen.contains("1. Ask for your complaint to go to stage 2"),
        "{screen}"
    );
    t.keys(&["t"]);
    t.wait_for("Save your next steps (plain text)");
    t.keys(&["Enter"]);
    t.wait_for("Saved to");
    // Saving a second time asks before replacing the file; Enter alone does not.
    t.keys(&["t"]);
    t.wait_for("Save your next steps (plain text)");
    t.keys(&["Enter"]);
    t.wait_for("Replace it?");
    t.keys(&["Enter"]);
    t.wait_for("y Yes, replace it   n No, choose another name");
    t.keys(&["y"]);
    t.wait_for("Saved to");
    t.keys(&["q"]);
    t.wait_for("EXITED=0");
    assert_eq!(
        t.display("#{alternate_on}"),
        "0",
        "the alternate screen is left"
    );

    let saved = dir.path().join("my-next-steps.txt");
    let text = std::fs::read_to_string(&saved).expect("the summary was saved");
    for needle in [
        "YOUR NEXT STEPS",
        "Complain about children's services",
        "Ask for your complaint to go to stage 2",
        "Monday 17 February 2025",
        "From: Sam Smith",
        "Family Rights Group advice line: 0808 801 0366",
    ] {
        assert!(text.contains(needle), "{needle:?} is not in:\n{text}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&saved)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "only the owner can read it");
    }
}

fn quick_exit_writes_nothing_and_clears_the_screen() {
    let dir = tree_dir();
    let before = files_in(dir.path());
    let t = Tmux::start(dir.path());
    t.run_wizard(dir.path());
    t.keys(&["Enter"]);
    t.wait_for("Where did you send your complaint?");
    t.keys(&["1", "Enter"]);
    t.wait_for("When did you send it?");
    t.text("3/2/2025");
    t.keys(&["Enter"]);
    t.wait_for("Is any of these happening too?");
    // Esc once asks; Esc again leaves.
    t.keys(&["Escape"]);
    t.wait_for("Press Esc again to leave now");
    t.keys(&["Escape"]);
    let screen = t.wait_for("EXITED=0");
    assert!(
        !screen.contains("signpost"),
        "the screen was cleared:\n{screen}"
    );
    assert!(!screen.contains("happening"), "{screen}");
    assert_eq!(
        t.display("#{history_size}"),
        "0",
        "the scrollback was cleared"
    );
    assert_eq!(t.display("#{alternate_on}"), "0");
    assert_eq!(files_in(dir.path()), before, "nothing was written");

    // Ctrl-Q leaves at once too.
    t.run_wizard(dir.path());
    t.keys(&["C-q"]);
    t.wait_for("EXITED=0");
    assert_eq!(files_in(dir.path()), before, "nothing was written");
}

fn sigterm_restores_the_terminal() {
    let dir = tree_dir();
    let t = Tmux::start(dir.path());
    // A non-interactive sh runs the wizard and then reports the terminal's mode. (An
    // interactive bash would put the terminal right itself after a killed job and hide a
    // failure to restore it; sh -c does not.)
    t.text(&format!(
        "sh -c '{BIN} run {} --today 2025-02-28; echo EXITED=$?; \
         stty -a | tr \" \" \"\\n\" | grep -E -x -e \"-?icanon\" -e \"-?echo\" | tr \"\\n\" ,; echo'",
        dir.path().join("tree.json").display()
    ));
    t.keys(&["Enter"]);
    t.wait_for("Press Enter to start.");
    t.keys(&["Enter"]);
    t.wait_for("Where did you send your complaint?");
    let pid = t.wizard_pid();
    let status = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    // 128 + 15: ended by SIGTERM, having put the terminal back first.
    let screen = t.wait_for("EXITED=143");
    assert!(!screen.contains("Where did you send"), "{screen}");
    // Canonical mode with echo, as before the wizard (raw mode would show -icanon,-echo).
    let screen = t.wait_for("icanon,");
    assert!(screen.contains("\nicanon,echo,"), "{screen}");
    assert_eq!(
        t.display("#{alternate_on}"),
        "0",
        "the alternate screen is left"
    );
    assert_eq!(t.display("#{cursor_flag}"), "1", "the cursor is visible");
    // What is typed shows.
    t.wait_for(PROMPT);
    t.text("echo typed-and-echoed");
    t.keys(&["Enter"]);
    let screen = t.wait_for("\ntyped-and-echoed");
    assert!(screen.contains("echo typed-and-echoed"), "{screen}");
}

/// Closing the window (here: the whole tmux server going away) ends the wizard; it does not
/// keep running unseen, spinning on a terminal that is gone.
fn closing_the_window_ends_the_wizard() {
    let dir = tree_dir();
    let t = Tmux::start(dir.path());
    t.text(&format!(
        "{BIN} run {} --today 2025-02-28",
        dir.path().join("tree.json").display()
    ));
    t.keys(&["Enter"]);
    t.wait_for("Press Enter to start.");
    let pid = t.wizard_pid();
    let _ = t.cmd().arg("kill-server").status();
    let gone = (0..40).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        !std::path::Path::new(&format!("/proc/{pid}")).exists()
            || std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .is_ok_and(|s| s.contains(") Z "))
    });
    assert!(
        gone,
        "the wizard (pid {pid}) is still running after its window closed"
    );
}

/// `run --watch`: a broken edit shows the problem and keeps the last good version; fixing it
/// reloads the tree and keeps the answers.
fn watch_reloads_a_changed_tree_and_survives_a_broken_one() {
    let dir = tree_dir();
    let tree = dir.path().join("tree.json");
    let good = std::fs::read_to_string(&tree).unwrap();
    let t = Tmux::start(dir.path());
    t.text(&format!(
        "{BIN} run {} --watch --today 2025-02-28",
        tree.display()
    ));
    t.keys(&["Enter"]);
    t.wait_for("Press Enter to start.");
    t.keys(&["Enter"]);
    t.wait_for("Where did you send your complaint?");
    std::fs::write(&tree, format!("{good}}}")).unwrap();
    t.wait_for("still the last good version");
    t.wait_for("E001");
    std::fs::write(
        &tree,
        good.replace(
            "Where did you send your complaint?",
            "Where did you send it?",
        ),
    )
    .unwrap();
    t.wait_for("was reloaded");
    t.wait_for("Where did you send it?");
    t.keys(&["C-q"]);
}

/// In a 40x12 window a question shows whole or the wizard asks for a bigger window; made
/// bigger, the whole question shows.
fn a_small_window_asks_for_room_then_shows_the_whole_question() {
    let dir = tree_dir();
    let t = Tmux::start(dir.path());
    t.run_wizard(dir.path());
    t.keys(&["Enter"]);
    t.wait_for("Where did you send your complaint?");
    let resize = |w: &str, h: &str| {
        let status = t
            .cmd()
            .args(["resize-window", "-t", "t", "-x", w, "-y", h])
            .status()
            .expect("resize-window");
        assert!(status.success());
    };
    resize("40", "12");
    let screen = t.wait_for("Please make this window bigger.");
    assert!(!screen.contains("Where did you send"), "{screen}");
    resize("40", "17");
    let screen = t.wait_for("3. I have not sent it yet");
    assert!(
        screen.contains("Where did you send your complaint?"),
        "{screen}"
    );
    // Esc once: the window says how to finish leaving, even when that leaves no room for
    // the question.
    t.keys(&["Escape"]);
    t.wait_for("Press Esc again");
    t.keys(&["Escape"]);
    t.wait_for("EXITED=0");
}

/// The harness itself, on this suite: with tmux missing (an empty PATH) the tests are reported
/// as ignored, not passed, and with `CI` set they fail. It needs no tmux, so it always runs.
fn a_missing_tool_is_ignored_outside_ci_and_fails_in_ci() {
    let me = std::env::current_exe().expect("this test binary");
    let run = |ci: bool| {
        let mut cmd = Command::new(&me);
        cmd.args(["--exact", "quick_exit_writes_nothing_and_clears_the_screen"])
            .env("PATH", "/nonexistent")
            .env_remove("CI");
        if ci {
            cmd.env("CI", "true");
        }
        let out = cmd.output().expect("run this test binary again");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (ok, stdout, stderr) = run(false);
    assert!(
        ok,
        "outside CI a missing tmux is no failure:\n{stdout}{stderr}"
    );
    assert!(
        stdout.contains("0 passed; 0 failed; 1 ignored"),
        "outside CI a missing tmux must show as ignored, not passed:\n{stdout}"
    );
    assert!(stderr.contains("apt-get install tmux"), "{stderr}");
    let (ok, stdout, stderr) = run(true);
    assert!(!ok, "in CI a missing tmux must fail:\n{stdout}{stderr}");
    assert!(
        stdout.contains("0 passed; 1 failed; 0 ignored"),
        "in CI a missing tmux must fail the test:\n{stdout}"
    );
}

fn main() -> std::process::ExitCode {
    tools::run_with(
        "end-to-end terminal",
        missing(),
        vec![
            (
                "full_walk_then_save_the_summary",
                full_walk_then_save_the_summary as fn(),
            ),
            (
                "quick_exit_writes_nothing_and_clears_the_screen",
                quick_exit_writes_nothing_and_clears_the_screen as fn(),
            ),
            (
                "sigterm_restores_the_terminal",
                sigterm_restores_the_terminal as fn(),
            ),
            (
                "closing_the_window_ends_the_wizard",
                closing_the_window_ends_the_wizard as fn(),
            ),
            (
                "watch_reloads_a_changed_tree_and_survives_a_broken_one",
                watch_reloads_a_changed_tree_and_survives_a_broken_one as fn(),
            ),
            (
                "a_small_window_asks_for_room_then_shows_the_whole_question",
                a_small_window_asks_for_room_then_shows_the_whole_question as fn(),
            ),
        ],
        vec![(
            "a_missing_tool_is_ignored_outside_ci_and_fails_in_ci",
            a_missing_tool_is_ignored_outside_ci_and_fails_in_ci as fn(),
        )],
    )
}
