//! In a real browser: the real binary (`signpost serve`) driven through headless Chromium over
//! WebDriver (chromedriver). Each scenario is its own test: a full walk by keyboard alone, changing
//! an answer from "Check your answers", downloading the summary, "Exit this page" then Back, and
//! axe-core run inside every page type (no serious or critical violations). Screenshots of each
//! page type at 320 px and 1280 px wide go to target/screenshots/ for review.
//!
//! Needs /usr/bin/chromium and /usr/bin/chromedriver (Debian's `chromium` and `chromium-driver`;
//! `CHROMIUM` and `CHROMEDRIVER` override the paths) and axe-core in tests/browser/node_modules
//! (`npm ci` in tests/browser). `.ci/run` installs all three. When any is missing the tests fail
//! if `CI` is set, and otherwise print a note and return.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_signpost");
const WAIT: Duration = Duration::from_secs(20);
/// The fixture tree: a choice, a date, a checkbox question with an exclusive "None", a number, an
/// optional text question, and an info page, in a few questions.
const FIXTURE: &str = "tests/fixtures/tui";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------------------------------------
// What the tests need, and what happens when it is missing.
// ---------------------------------------------------------------------------------------------

struct Tools {
    chromium: PathBuf,
    chromedriver: PathBuf,
    axe: PathBuf,
}

/// The browser, its driver and axe-core; `None` (after a note) when one is missing outside CI.
/// In CI (`CI` set) a missing tool is a failure, never a skip.
fn tools() -> Option<Tools> {
    let path = |var: &str, default: &str| {
        PathBuf::from(std::env::var_os(var).unwrap_or_else(|| default.into()))
    };
    let tools = Tools {
        chromium: path("CHROMIUM", "/usr/bin/chromium"),
        chromedriver: path("CHROMEDRIVER", "/usr/bin/chromedriver"),
        axe: root().join("tests/browser/node_modules/axe-core/axe.min.js"),
    };
    let mut missing = Vec::new();
    for (what, p, fix) in [
        (
            "chromium",
            &tools.chromium,
            "apt-get install chromium (or set CHROMIUM)",
        ),
        (
            "chromedriver",
            &tools.chromedriver,
            "apt-get install chromium-driver (or set CHROMEDRIVER)",
        ),
        ("axe-core", &tools.axe, "cd tests/browser && npm ci"),
    ] {
        if !p.is_file() {
            missing.push(format!("{what} ({} not found; {fix})", p.display()));
        }
    }
    if missing.is_empty() {
        return Some(tools);
    }
    let msg = format!(
        "the browser tests need: {}. .ci/run installs them.",
        missing.join(", ")
    );
    if std::env::var_os("CI").is_some() {
        panic!("CI is set, so the browser tests must run, but {msg}");
    }
    eprintln!("SKIPPED: {msg}");
    None
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port on loopback")
        .port()
}

/// A child process (and its whole process group) that is killed when dropped, so chromedriver,
/// the Chromium it starts, and the server never outlive a test, even one that fails.
struct Guard {
    child: Child,
    what: &'static str,
}

impl Guard {
    fn spawn(what: &'static str, cmd: &mut Command) -> Guard {
        use std::os::unix::process::CommandExt;
        let child = cmd
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {what}: {e}"));
        Guard { child, what }
    }

    /// Waits until something listens on `port`; fails if the process exits first.
    fn wait_for_port(&mut self, port: u16) {
        let start = Instant::now();
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("{} exited before listening on {port}: {status}", self.what);
            }
            assert!(
                start.elapsed() < WAIT,
                "{} did not listen on {port} within {WAIT:?}",
                self.what
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let pgid = self.child.id() as libc::pid_t;
        // SAFETY: kill(2) on our own child's process group; no memory is involved.
        unsafe {
            libc::kill(-pgid, libc::SIGTERM);
        }
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(2) {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        // SAFETY: as above; whatever is left of the group (Chromium's helpers) goes too.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// The browser.
// ---------------------------------------------------------------------------------------------

/// One headless Chromium behind its own chromedriver. Dropped last-in-first-out: the WebDriver
/// session is closed by `finish`, and the driver (with the browser) is killed by its guard.
struct Browser {
    client: Client,
    tools: Tools,
    _driver: Guard,
    _profile: tempfile::TempDir,
}

impl Browser {
    async fn start(tools: Tools, width: u32) -> Browser {
        let port = free_port();
        let mut driver = Guard::spawn(
            "chromedriver",
            Command::new(&tools.chromedriver).arg(format!("--port={port}")),
        );
        driver.wait_for_port(port);
        let profile = tempfile::tempdir().expect("profile dir");
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": tools.chromium,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--hide-scrollbars",
                    "--no-first-run",
                    "--no-default-browser-check",
                    "--disable-extensions",
                    "--disable-background-networking",
                    "--disable-sync",
                    "--disable-component-update",
                    // Nothing leaves the machine: the neutral site "Exit this page" goes to
                    // does not resolve, so the browser shows its own error page at once.
                    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                    format!("--user-data-dir={}", profile.path().display()),
                    format!("--window-size={width},900"),
                ],
            },
        });
        let caps = match caps {
            Value::Object(map) => map,
            _ => unreachable!(),
        };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session with headless Chromium");
        Browser {
            client,
            tools,
            _driver: driver,
            _profile: profile,
        }
    }

    async fn finish(self) {
        let _ = self.client.clone().close().await;
    }

    async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    async fn text(&self) -> String {
        self.js("return document.body ? document.body.innerText : ''")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    async fn url(&self) -> String {
        self.client.current_url().await.expect("url").to_string()
    }

    /// Presses keys one after another, each down then up, as a person at a keyboard would.
    async fn keys(&self, keys: &[char]) {
        let mut seq = KeyActions::new("keyboard".to_string());
        for &k in keys {
            seq = seq
                .then(KeyAction::Down { value: k })
                .then(KeyAction::Up { value: k });
        }
        self.client
            .perform_actions(seq)
            .await
            .expect("key actions");
        self.client.release_actions().await.expect("release keys");
    }

    async fn press(&self, key: Key) {
        self.keys(&[key.into()]).await;
    }

    async fn type_text(&self, text: &str) {
        let chars: Vec<char> = text.chars().collect();
        self.keys(&chars).await;
    }

    /// Tabs forward until the focused element passes `test` (JavaScript over `el`, the focused
    /// element); fails after a page's worth of Tabs. Returns how many Tabs it took.
    async fn tab_to(&self, what: &str, test: &str) -> usize {
        let check = format!("const el = document.activeElement; return !!(el && ({test}));");
        for n in 0..60 {
            if n > 0 || self.js(&check).await != json!(true) {
                self.press(Key::Tab).await;
            }
            if self.js(&check).await == json!(true) {
                return n + 1;
            }
        }
        panic!(
            "Tab never reached {what} on {}:\n{}",
            self.url().await,
            self.text().await
        );
    }

    /// Waits until the page's URL or content differs from `before` (a navigation happened).
    async fn wait_for_new_page(&self, before: &str) {
        let start = Instant::now();
        loop {
            let now = self
                .js("return document.readyState === 'complete' ? location.href + '\\n' + document.body.innerText : ''")
                .await;
            let now = now.as_str().unwrap_or_default();
            if !now.is_empty() && now != before {
                return;
            }
            assert!(start.elapsed() < WAIT, "no new page after {WAIT:?}");
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    async fn page_key(&self) -> String {
        self.js("return location.href + '\\n' + document.body.innerText")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Saves a full-page screenshot at `width` px wide to target/screenshots/<name>-<width>.png.
    async fn screenshot(&self, name: &str, width: u32) {
        let dir = root().join("target/screenshots");
        std::fs::create_dir_all(&dir).expect("screenshots dir");
        self.client
            .set_window_size(width, 900)
            .await
            .expect("window size");
        let height = self
            .js("return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)")
            .await
            .as_u64()
            .unwrap_or(900)
            .clamp(300, 8000) as u32;
        self.client
            .set_window_size(width, height)
            .await
            .expect("window size");
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(dir.join(format!("{name}-{width}.png")), png).expect("write screenshot");
    }

    /// Screenshots at 320 px and 1280 px wide, then back to the usual size.
    async fn screenshots(&self, name: &str) {
        self.screenshot(name, 320).await;
        self.screenshot(name, 1280).await;
        self.client
            .set_window_size(1024, 900)
            .await
            .expect("window size");
    }

    /// Runs axe-core in the page; returns a description of every serious or critical violation.
    async fn axe(&self, page: &str) -> Vec<String> {
        let source = std::fs::read_to_string(&self.tools.axe).expect("read axe.min.js");
        // WebDriver's scripts are not subject to the page's Content-Security-Policy in Chromium.
        self.client
            .execute(&source, vec![])
            .await
            .expect("inject axe-core");
        assert_eq!(
            self.js("return typeof window.axe").await,
            json!("object"),
            "axe-core did not load in {page}"
        );
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                    .then(r => done({ ok: r.violations }))
                    .catch(e => done({ error: String(e) }));",
                vec![],
            )
            .await
            .expect("axe.run");
        if let Some(e) = result.get("error") {
            panic!("axe.run failed in {page}: {e}");
        }
        let mut out = Vec::new();
        for v in result["ok"].as_array().expect("violations") {
            let impact = v["impact"].as_str().unwrap_or("");
            if impact != "serious" && impact != "critical" {
                continue;
            }
            let targets: Vec<String> = v["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|n| format!("{} {}", n["target"], n["failureSummary"].as_str().unwrap_or("")))
                .collect();
            out.push(format!(
                "{page}: [{impact}] {}: {} ({})\n    {}",
                v["id"].as_str().unwrap_or(""),
                v["help"].as_str().unwrap_or(""),
                v["helpUrl"].as_str().unwrap_or(""),
                targets.join("\n    ")
            ));
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// The harness itself, on a page that needs no server.
// ---------------------------------------------------------------------------------------------

/// The harness works: the driver starts, keys type into a field, axe-core loads and finds a
/// missing label, and screenshots are written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn harness_drives_a_page_and_runs_axe() {
    let Some(tools) = tools() else { return };
    let browser = Browser::start(tools, 1024).await;
    browser
        .client
        .goto("data:text/html,<!doctype html><html lang=en><title>t</title><main><h1>Hi</h1><input id=a><label for=b>B</label><input id=b></main>")
        .await
        .expect("goto");
    browser.tab_to("the first field", "el.id === 'a'").await;
    browser.type_text("hello").await;
    browser.press(Key::Tab).await;
    assert_eq!(
        browser
            .js("return [document.getElementById('a').value, document.activeElement.id]")
            .await,
        json!(["hello", "b"])
    );
    let found = browser.axe("data page").await;
    assert!(
        found.iter().any(|v| v.contains("label")),
        "axe should flag the unlabelled field: {found:?}"
    );
    browser.screenshots("harness").await;
    assert!(root().join("target/screenshots/harness-320.png").is_file());
    browser.finish().await;
}

/// A plain HTTP/1.0 GET on loopback with the browser's session cookie (HTTP/1.0, so the body is
/// never chunked). Returns the status line and headers, and the body.
#[allow(dead_code)]
fn http_get(port: u16, path: &str, cookie: &str) -> (String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to the server");
    stream.set_read_timeout(Some(WAIT)).expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n\r\n"
    )
    .expect("send request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    (
        String::from_utf8_lossy(&raw[..split]).to_string(),
        raw[split + 4..].to_vec(),
    )
}
