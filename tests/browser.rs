//! In a real browser: the real binary (`signpost serve`) driven through headless Chromium over
//! WebDriver (chromedriver). Each scenario is its own test: a full walk by keyboard alone, changing
//! an answer from "Check your answers", downloading the summary, "Exit this page" then Back, and
//! axe-core run inside every page type (no serious or critical violations). Screenshots of each
//! page type at 320 px and 1280 px wide go to target/screenshots/ for review.
//!
//! Needs /usr/bin/chromium and /usr/bin/chromedriver (Debian's `chromium` and `chromium-driver`;
//! `CHROMIUM` and `CHROMEDRIVER` override the paths) and axe-core in tests/browser/node_modules
//! (`npm ci` in tests/browser). `.ci/run` installs all three. When any is missing the tests fail
//! if `CI` is set, and otherwise are reported as ignored (never as passed): this file runs under
//! the harness in tests/tools (`harness = false` in Cargo.toml), which decides at run time.

mod tools;

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

/// The browser, its driver and axe-core, or what is missing (each with how to install it).
fn find_tools() -> Result<Tools, Vec<String>> {
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
        Ok(tools)
    } else {
        Err(missing)
    }
}

/// The tools, for a test that runs; a test only runs without them when asked to with
/// `--include-ignored`, and then fails saying what is missing.
fn tools() -> Tools {
    find_tools().unwrap_or_else(|missing| panic!("the browser tests need: {}", missing.join(", ")))
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
        self.client.perform_actions(seq).await.expect("key actions");
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
        let check = format!(
            "const el = document.activeElement; return !!(el && el !== document.body && ({test}));"
        );
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

    /// Fails unless the focused element shows that it has focus (an outline or a box shadow).
    async fn assert_focus_visible(&self, what: &str) {
        let shown = self
            .js("const s = getComputedStyle(document.activeElement);
                 return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
                         && s.outlineColor !== 'rgba(0, 0, 0, 0)') || s.boxShadow !== 'none';")
            .await;
        assert_eq!(shown, json!(true), "{what} has no visible focus indicator");
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
        // The window is larger than the page's viewport by the browser's own bars.
        let bars = self
            .js("return Math.max(0, window.outerHeight - window.innerHeight)")
            .await
            .as_u64()
            .unwrap_or(0) as u32;
        self.client
            .set_window_size(width, height + bars)
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
                eprintln!(
                    "  note: axe on {page}: [{impact}] {}: {} ({} nodes)",
                    v["id"].as_str().unwrap_or(""),
                    v["help"].as_str().unwrap_or(""),
                    v["nodes"].as_array().map_or(0, Vec::len)
                );
                continue;
            }
            let targets: Vec<String> = v["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|n| {
                    format!(
                        "{} {}",
                        n["target"],
                        n["failureSummary"].as_str().unwrap_or("")
                    )
                })
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
// The site: the real binary serving the fixture tree, and one browser looking at it.
// ---------------------------------------------------------------------------------------------

/// One step of the walk through the fixture tree, and how a person answers it.
#[derive(Clone, Copy)]
enum Step {
    /// A radio question: choose the option with this label.
    One(&'static str),
    /// A date question: day, month, year.
    Date(&'static str, &'static str, &'static str),
    /// A checkbox question: tick these options.
    Several(&'static [&'static str]),
    /// A text or number question: type this.
    Type(&'static str),
    /// An info page: just continue.
    Info,
}

/// A name no page shows unless the person typed it: the Exit test looks for it after leaving.
const NAME: &str = "Zebedee Quill";

/// The fixture tree from its first question to "Check your answers", through every page type.
const WALK: &[(&str, Step)] = &[
    ("radio", Step::One("To the council's complaints team")),
    ("date", Step::Date("6", "1", "2025")),
    (
        "checkboxes",
        Step::Several(&["A child protection conference is coming up"]),
    ),
    ("number", Step::Type("2")),
    ("text", Step::Type(NAME)),
    ("info", Step::Info),
];

struct Site {
    browser: Browser,
    port: u16,
    // Declared after the browser, so the server outlives the browser session.
    _server: Guard,
}

impl Site {
    async fn open(tools: Tools) -> Site {
        let port = free_port();
        let mut server = Guard::spawn(
            "signpost serve",
            Command::new(BIN)
                .current_dir(root())
                .args(["serve", FIXTURE, "--listen"])
                .arg(format!("127.0.0.1:{port}")),
        );
        server.wait_for_port(port);
        let browser = Browser::start(tools, 1024).await;
        Site {
            browser,
            port,
            _server: server,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    async fn goto(&self, path: &str) {
        self.browser
            .client
            .goto(&self.url(path))
            .await
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    async fn finish(self) {
        self.browser.finish().await;
    }

    /// The path of the page on show (no host).
    async fn path(&self) -> String {
        self.browser
            .js("return location.pathname + location.search")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    async fn heading(&self) -> String {
        self.browser
            .js("const h = document.querySelector('h1'); return h ? h.innerText.trim() : ''")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    // --- By mouse (clicks), for the tests that are not about the keyboard. ---

    async fn click(&self, what: &str, xpath: &str) {
        let el = self
            .browser
            .client
            .find(fantoccini::Locator::XPath(xpath))
            .await;
        let el = match el {
            Ok(el) => el,
            Err(e) => panic!("no {what} on {}: {e}", self.path().await),
        };
        el.click()
            .await
            .unwrap_or_else(|e| panic!("click {what}: {e}"));
    }

    async fn click_and_wait(&self, what: &str, xpath: &str) {
        let before = self.browser.page_key().await;
        self.click(what, xpath).await;
        self.browser.wait_for_new_page(&before).await;
    }

    async fn fill(&self, id: &str, value: &str) {
        let el = self.browser.client.find(fantoccini::Locator::Id(id)).await;
        let el = match el {
            Ok(el) => el,
            Err(e) => panic!("no #{id} on {}: {e}", self.path().await),
        };
        el.clear().await.expect("clear field");
        el.send_keys(value).await.expect("type into field");
    }

    /// Answers the page on show as `step` says, by clicking, then presses Continue.
    async fn answer(&self, step: Step) {
        match step {
            Step::One(label) => self.click(label, &label_xpath(label)).await,
            Step::Several(labels) => {
                for label in labels {
                    self.click(label, &label_xpath(label)).await;
                }
            }
            Step::Date(d, m, y) => {
                self.fill("answer-day", d).await;
                self.fill("answer-month", m).await;
                self.fill("answer-year", y).await;
            }
            Step::Type(text) => self.fill("answer", text).await,
            Step::Info => {}
        }
        self.click_and_wait("Continue", &button_xpath("Continue"))
            .await;
    }

    /// From a fresh start to "Check your answers", calling `each` on every page on the way
    /// (with the page type's name) before it is answered.
    async fn walk_to_check(&self, mut each: impl AsyncFnMut(&Site, &str)) {
        self.goto("/").await;
        each(self, "start").await;
        self.click_and_wait("Start now", "//button[contains(., 'Start now')]")
            .await;
        for (i, &(kind, step)) in WALK.iter().enumerate() {
            each(self, kind).await;
            if i == 0 {
                // The error summary: Continue without choosing.
                self.click_and_wait("Continue", &button_xpath("Continue"))
                    .await;
                // Without JavaScript, `autofocus` brings focus to the error summary, so a screen
                // reader starts from what went wrong.
                let focused = self
                    .browser
                    .js("return document.activeElement ? document.activeElement.className : ''")
                    .await;
                assert_eq!(
                    focused, "error-summary",
                    "focus should be on the error summary"
                );
                each(self, "error").await;
            }
            self.answer(step).await;
        }
        assert_eq!(
            self.path().await,
            "/check",
            "the walk should end at check your answers"
        );
        each(self, "check").await;
    }

    async fn walk_to_summary(&self) {
        self.walk_to_check(async |_: &Site, _: &str| {}).await;
        self.click_and_wait(
            "See your next steps",
            "//a[contains(., 'See your next steps')]",
        )
        .await;
        assert_eq!(self.path().await, "/summary");
    }

    /// The session cookie as a `Cookie:` header value.
    async fn cookie(&self) -> String {
        self.browser
            .client
            .get_all_cookies()
            .await
            .expect("cookies")
            .iter()
            .map(|c| format!("{}={}", c.name(), c.value()))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn xpath_string(s: &str) -> String {
    if s.contains('"') {
        format!("'{s}'")
    } else {
        format!("\"{s}\"")
    }
}

fn label_xpath(label: &str) -> String {
    format!("//label[normalize-space(.)={}]", xpath_string(label))
}

fn button_xpath(text: &str) -> String {
    format!("//button[normalize-space(.)={}]", xpath_string(text))
}

/// A JavaScript string literal.
fn js_str(s: &str) -> String {
    serde_json::to_string(s).expect("string")
}

// ---------------------------------------------------------------------------------------------
// The scenarios.
// ---------------------------------------------------------------------------------------------

/// From the start page to the summary with the keyboard alone: Tab to move, Space to choose,
/// typing into fields, Enter to continue. No clicks. Focus must reach every control it needs.
async fn keyboard_alone_walks_from_start_to_summary() {
    let tools = tools();
    let site = Site::open(tools).await;
    let b = &site.browser;
    site.goto("/").await;
    b.tab_to("the Start now button", "el.innerText.includes('Start now')")
        .await;
    b.assert_focus_visible("Start now").await;
    let before = b.page_key().await;
    b.press(Key::Enter).await;
    b.wait_for_new_page(&before).await;
    for &(kind, step) in WALK {
        match step {
            Step::One(label) => {
                b.tab_to("a radio", "el.type === 'radio'").await;
                b.assert_focus_visible("a radio").await;
                // Arrow keys move through a radio group and choose as they go; Space chooses
                // the first one, which Tab lands on when none is chosen.
                let mut found = false;
                for _ in 0..10 {
                    let on = b
                        .js(&format!(
                            "const el = document.activeElement; return el.labels[0].innerText.trim() === {};",
                            js_str(label)
                        ))
                        .await;
                    if on == json!(true) {
                        b.press(Key::Space).await;
                        found = true;
                        break;
                    }
                    b.press(Key::Down).await;
                }
                assert!(found, "the arrow keys never reached {label:?}");
            }
            Step::Several(labels) => {
                for label in labels {
                    b.tab_to(
                        label,
                        &format!(
                            "el.type === 'checkbox' && el.labels[0].innerText.trim() === {}",
                            js_str(label)
                        ),
                    )
                    .await;
                    b.assert_focus_visible(label).await;
                    b.press(Key::Space).await;
                }
            }
            Step::Date(d, m, y) => {
                b.tab_to("the day field", "el.id === 'answer-day'").await;
                b.assert_focus_visible("the day field").await;
                b.type_text(d).await;
                b.press(Key::Tab).await;
                b.type_text(m).await;
                b.press(Key::Tab).await;
                b.type_text(y).await;
            }
            Step::Type(text) => {
                b.tab_to("the answer field", "el.id === 'answer'").await;
                b.assert_focus_visible("the answer field").await;
                b.type_text(text).await;
            }
            Step::Info => {}
        }
        b.tab_to(
            "the Continue button",
            "el.tagName === 'BUTTON' && el.innerText.trim() === 'Continue'",
        )
        .await;
        b.assert_focus_visible("Continue").await;
        let before = b.page_key().await;
        b.press(Key::Enter).await;
        b.wait_for_new_page(&before).await;
        assert_ne!(
            site.path().await,
            "/answer",
            "the {kind} page was not accepted:\n{}",
            b.text().await
        );
    }
    assert_eq!(site.heading().await, "Check your answers");
    let text = b.text().await;
    for expected in [
        "To the council's complaints team",
        "6 January 2025",
        "A child protection conference is coming up",
        NAME,
    ] {
        assert!(
            text.contains(expected),
            "check your answers lacks {expected:?}:\n{text}"
        );
    }
    b.tab_to(
        "See your next steps",
        "el.innerText.includes('See your next steps')",
    )
    .await;
    let before = b.page_key().await;
    b.press(Key::Enter).await;
    b.wait_for_new_page(&before).await;
    assert_eq!(site.path().await, "/summary");
    assert_eq!(site.heading().await, "Your next steps");
    site.finish().await;
}

/// Change an answer from "Check your answers": the Change link opens the question with the
/// answer filled in, and after Continue the check page says what the change did.
async fn changing_an_answer_says_what_changed() {
    let tools = tools();
    let site = Site::open(tools).await;
    site.walk_to_check(async |_: &Site, _: &str| {}).await;
    site.click_and_wait(
        "the Change link for the first question",
        "//a[contains(., 'Change') and contains(., 'Where did you send your complaint?')]",
    )
    .await;
    let chosen = site
        .browser
        .js("const c = document.querySelector('input[type=radio]:checked'); return c ? c.labels[0].innerText.trim() : null")
        .await;
    assert_eq!(
        chosen,
        json!("To the council's complaints team"),
        "the earlier answer should be filled in"
    );
    site.answer(Step::One("Only to my social worker or their manager"))
        .await;
    // A change may replay questions already answered (filled in); Continue through them.
    for _ in 0..WALK.len() {
        if site.path().await == "/check" {
            break;
        }
        site.click_and_wait("Continue", &button_xpath("Continue"))
            .await;
    }
    assert_eq!(site.path().await, "/check", "{}", site.browser.text().await);
    let banner = site
        .browser
        .js("const b = document.querySelector('.banner'); return b ? b.innerText : null")
        .await;
    let banner = banner
        .as_str()
        .unwrap_or_else(|| panic!("no note about the change on check your answers"));
    assert!(banner.contains("What your change did"), "{banner}");
    assert!(
        banner.lines().count() > 1,
        "the note says nothing: {banner}"
    );
    let text = site.browser.text().await;
    assert!(
        text.contains("Only to my social worker or their manager"),
        "{text}"
    );
    eprintln!("change note:\n{banner}");
    site.finish().await;
}

/// The summary's download links give files (as attachments, never cached) to the browser's
/// session, and nothing to a request without it.
async fn the_summary_downloads_as_text_and_markdown() {
    let tools = tools();
    let site = Site::open(tools).await;
    site.walk_to_summary().await;
    let links = site
        .browser
        .js("return Array.from(document.querySelectorAll('a[download]')).map(a => [a.getAttribute('href'), a.innerText.trim()])")
        .await;
    assert_eq!(
        links,
        json!([
            ["/summary.txt", "Download as a text file"],
            ["/summary.md", "Download as a Markdown file"]
        ])
    );
    let cookie = site.cookie().await;
    for (href, kind) in [
        ("/summary.txt", "text/plain"),
        ("/summary.md", "text/markdown"),
    ] {
        let (head, body) = http_get(site.port, href, &cookie);
        let lower = head.to_ascii_lowercase();
        assert!(
            head.starts_with("HTTP/1.0 200") || head.starts_with("HTTP/1.1 200"),
            "{href}: {head}"
        );
        assert!(
            lower.contains(&format!("content-type: {kind}")),
            "{href}: {head}"
        );
        assert!(
            lower.contains("content-disposition: attachment"),
            "{href}: {head}"
        );
        assert!(lower.contains("cache-control: no-store"), "{href}: {head}");
        let body = String::from_utf8(body).expect("utf-8 download");
        assert!(
            body.contains(NAME),
            "{href} should carry the name for the letter:\n{body}"
        );
        let (head, body) = http_get(site.port, href, "");
        assert!(!head.contains(" 200 "), "{href} without the cookie: {head}");
        assert!(!String::from_utf8_lossy(&body).contains(NAME));
    }
    site.finish().await;
}

/// On a 360 px phone the first screen of the summary already shows the person's first answer
/// or first step (at least the first line of its heading), and "Exit this page" can be seen and pressed at the bottom of the long page
/// (it stays on screen without any script).
async fn the_summary_starts_with_advice_and_exit_stays_reachable_on_a_phone() {
    let tools = tools();
    let site = Site::open(tools).await;
    site.walk_to_summary().await;
    let b = &site.browser;
    b.client
        .set_window_size(360, 640)
        .await
        .expect("window size");
    // The window is larger than the page's viewport by the browser's own bars.
    let bars = b
        .js("return Math.max(0, window.outerHeight - window.innerHeight)")
        .await
        .as_u64()
        .unwrap_or(0) as u32;
    b.client
        .set_window_size(360, 640 + bars)
        .await
        .expect("window size");
    b.js("window.scrollTo(0, 0); return 0").await;
    let first = b
        .js("const el = document.querySelector('#your-questions ~ .item h3, #do-these-first ~ .steps .step h3'); \
             if (!el) return 'none'; const r = el.getBoundingClientRect(); \
             return (r.top >= 0 && r.top + (parseFloat(getComputedStyle(el).lineHeight) || 30) <= window.innerHeight) ? 'seen' : ('at ' + r.top + ' of ' + window.innerHeight)")
        .await;
    assert_eq!(
        first.as_str(),
        Some("seen"),
        "the first answer or step is not on the first 360 px screen"
    );
    let long = b
        .js("return document.documentElement.scrollHeight > 2 * window.innerHeight")
        .await;
    assert_eq!(
        long,
        Value::Bool(true),
        "the summary should be a long page here"
    );
    b.js("window.scrollTo(0, document.documentElement.scrollHeight); return 0")
        .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let reachable = b
        .js("const btn = [...document.querySelectorAll('button')].find(e => e.innerText.trim() === 'Exit this page'); \
             if (!btn) return 'no button'; const r = btn.getBoundingClientRect(); \
             if (window.scrollY === 0) return 'did not scroll'; \
             if (r.top < 0 || r.bottom > window.innerHeight || r.width === 0) return 'off screen at ' + r.top; \
             const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); \
             return (hit === btn || btn.contains(hit)) ? 'reachable' : 'covered by ' + (hit ? hit.outerHTML.slice(0, 80) : 'nothing')")
        .await;
    assert_eq!(
        reachable.as_str(),
        Some("reachable"),
        "Exit this page at the bottom of the summary"
    );
    // And pressing it there leaves.
    b.js("[...document.querySelectorAll('button')].find(e => e.innerText.trim() === 'Exit this page').click(); return 0")
        .await;
    let start = Instant::now();
    while b.url().await.starts_with(&site.url("/")) {
        assert!(start.elapsed() < WAIT, "Exit this page did not leave");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    site.finish().await;
}

/// "Exit this page" leaves at once, ends the session, and Back shows nothing of the answers:
/// the pages were no-store and the session is gone.
async fn exit_this_page_then_back_shows_nothing() {
    let tools = tools();
    let site = Site::open(tools).await;
    site.walk_to_check(async |_: &Site, _: &str| {}).await;
    assert!(site.browser.text().await.contains(NAME));
    let cookie = site.cookie().await;
    assert!(
        cookie.contains("signpost="),
        "no session cookie: {cookie:?}"
    );
    let b = &site.browser;
    // By keyboard, as someone in a hurry might: it is the first thing after the skip link.
    b.tab_to("Exit this page", "el.innerText.trim() === 'Exit this page'")
        .await;
    b.press(Key::Enter).await;
    let start = Instant::now();
    loop {
        let url = b.url().await;
        if !url.starts_with(&site.url("/")) {
            break;
        }
        if start.elapsed() > WAIT {
            let (head, _) = http_get(site.port, "/check", &cookie);
            panic!(
                "Exit this page did not leave the site: still on {url} (the session {}):\n{}",
                if head.contains(" 200 ") {
                    "is still there"
                } else {
                    "was ended"
                },
                b.text().await
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let left_to = b.url().await;
    assert!(
        !b.text().await.contains(NAME),
        "the page after Exit shows the name"
    );
    // The session is gone on the server, and the browser no longer has its cookie.
    let (head, body) = http_get(site.port, "/check", &cookie);
    assert!(
        !head.contains(" 200 "),
        "the old session still answers: {head}"
    );
    assert!(!String::from_utf8_lossy(&body).contains(NAME));
    b.client.back().await.expect("back");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let back_url = b.url().await;
    let text = b.text().await;
    let source = b.client.source().await.expect("source");
    for answer in [
        NAME,
        "6 January 2025",
        "A child protection conference is coming up",
    ] {
        assert!(
            !text.contains(answer) && !source.contains(answer),
            "Back after Exit (from {left_to} to {back_url}) shows {answer:?}:\n{text}"
        );
    }
    assert!(
        !site.cookie().await.contains("signpost="),
        "the browser still holds the session cookie"
    );
    eprintln!(
        "after Exit: {left_to}; Back: {back_url}: {}",
        site.heading().await
    );
    site.finish().await;
}

/// Every page type has a title and a level-1 heading, and axe-core finds no serious or
/// critical problem in any of them.
async fn axe_finds_no_serious_problems_on_any_page_type() {
    let tools = tools();
    let site = Site::open(tools).await;
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    let mut check = async |site: &Site, kind: &str| {
        seen.push(kind.to_string());
        let title = site.browser.js("return document.title").await;
        assert!(
            title.as_str().is_some_and(|t| !t.is_empty()),
            "{kind} has no title"
        );
        assert!(!site.heading().await.is_empty(), "{kind} has no h1");
        let found = site.browser.axe(kind).await;
        eprintln!(
            "axe on {kind} ({}): {} serious or critical",
            site.path().await,
            found.len()
        );
        problems.extend(found);
    };
    site.walk_to_check(&mut check).await;
    site.click_and_wait(
        "See your next steps",
        "//a[contains(., 'See your next steps')]",
    )
    .await;
    check(&site, "summary").await;
    site.goto("/no-such-page").await;
    check(&site, "not found").await;
    assert_eq!(
        seen,
        [
            "start",
            "radio",
            "error",
            "date",
            "checkboxes",
            "number",
            "text",
            "info",
            "check",
            "summary",
            "not found"
        ]
    );
    assert!(
        problems.is_empty(),
        "axe-core found serious or critical problems:\n{}",
        problems.join("\n")
    );
    site.finish().await;
}

/// Screenshots of every page type at 320 px and 1280 px wide, to target/screenshots/, for a
/// person to review. Also checks nothing is wider than a 320 px screen.
async fn screenshots_of_every_page_type_at_320_and_1280() {
    let tools = tools();
    let site = Site::open(tools).await;
    let mut wide = Vec::new();
    let mut shoot = async |site: &Site, kind: &str| {
        site.browser
            .client
            .set_window_size(320, 900)
            .await
            .expect("window size");
        let overflow = site
            .browser
            .js("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            .await;
        if overflow.as_i64().unwrap_or(0) > 0 {
            wide.push(format!("{kind}: {overflow} px too wide at 320 px"));
        }
        site.browser.screenshots(&kind.replace(' ', "-")).await;
    };
    site.walk_to_check(&mut shoot).await;
    site.click_and_wait(
        "See your next steps",
        "//a[contains(., 'See your next steps')]",
    )
    .await;
    shoot(&site, "summary").await;
    site.goto("/no-such-page").await;
    shoot(&site, "not found").await;
    assert!(
        wide.is_empty(),
        "pages scroll sideways on a small phone:\n{}",
        wide.join("\n")
    );
    eprintln!(
        "screenshots in {}",
        root().join("target/screenshots").display()
    );
    site.finish().await;
}

// ---------------------------------------------------------------------------------------------
// The harness itself, on a page that needs no server.
// ---------------------------------------------------------------------------------------------

/// The harness works: the driver starts, keys type into a field, axe-core loads and finds a
/// missing label, and screenshots are written.
async fn harness_drives_a_page_and_runs_axe() {
    let tools = tools();
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

// ---------------------------------------------------------------------------------------------
// The harness: each scenario on a tokio runtime of its own, as `#[tokio::test]` gave it.
// ---------------------------------------------------------------------------------------------

fn block_on(test: impl std::future::Future<Output = ()>) {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(test)
}

macro_rules! scenarios {
    ($($name:ident),* $(,)?) => {
        vec![$((stringify!($name), (|| block_on($name())) as fn())),*]
    };
}

fn main() -> std::process::ExitCode {
    let missing = find_tools().err().unwrap_or_default();
    tools::run(
        "browser",
        missing,
        scenarios![
            keyboard_alone_walks_from_start_to_summary,
            changing_an_answer_says_what_changed,
            the_summary_downloads_as_text_and_markdown,
            the_summary_starts_with_advice_and_exit_stays_reachable_on_a_phone,
            exit_this_page_then_back_shows_nothing,
            axe_finds_no_serious_problems_on_any_page_type,
            screenshots_of_every_page_type_at_320_and_1280,
            harness_drives_a_page_and_runs_axe,
        ],
    )
}
