//! The web front end over HTTP, without a browser: whole walks to the summary on the fixture
//! tree and the built-in trees, changing an answer, downloads, Exit this page, the session's
//! ends, hostile requests, and (ignored by default) a bounded load test on loopback.
//!
//! Every response any test sees is checked for `Cache-Control: no-store` and the CSP.
#![cfg(feature = "web")]

use std::path::Path;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use jiff::civil::Date;
use tower::ServiceExt;

use signpost::compile::{compile, Library};
use signpost::glossary::Glossary;
use signpost::page::{Page, Reply};
use signpost::session::Session;
use signpost::web::{self, Config};
use signpost::{files, render, summary};

use crate::common;

const TODAY: Date = Date::constant(2026, 3, 2);
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' https://www.bbc.co.uk; frame-ancestors 'none'; base-uri 'none'";

fn library(path: Option<&str>) -> (&'static Library, String) {
    let (inputs, root) = match path {
        Some(p) => {
            let loaded = files::load_tree(Path::new(env!("CARGO_MANIFEST_DIR")).join(p).as_path())
                .expect("the fixture loads");
            (loaded.inputs, loaded.root.expect("a root tree"))
        }
        None => (files::embedded(), files::DEFAULT_ROOT.to_string()),
    };
    let lib = compile(&inputs).library.expect("the trees compile");
    (Box::leak(Box::new(lib)), root)
}

fn fixture() -> (&'static Library, String) {
    library(Some("tests/fixtures/valid/main.json"))
}

fn config() -> Config {
    Config {
        today: Some(TODAY),
        ..Config::default()
    }
}

fn site(lib: &'static Library, root: &str, config: Config) -> Router {
    web::router(lib, root, config).expect("the site starts")
}

struct Resp {
    status: StatusCode,
    location: Option<String>,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Resp {
    fn csrf(&self) -> String {
        field(&self.body, "csrf").expect("the page has a CSRF token")
    }
}

/// The value of the first hidden field with this name.
fn field(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\" value=\""))?;
    let rest = &html[at + name.len() + 15..];
    Some(rest[..rest.find('"')?].to_string())
}

/// A browser without a browser: keeps the session cookie, checks every response's headers.
struct Client {
    site: Router,
    cookie: Option<String>,
    /// The CSP every response must carry (its form action names the pack's exit site).
    csp: String,
}

impl Client {
    fn new(site: &Router) -> Client {
        Client {
            site: site.clone(),
            cookie: None,
            csp: CSP.to_string(),
        }
    }

    async fn send(&mut self, req: Request<Body>) -> Resp {
        let res = self.site.clone().oneshot(req).await.expect("a response");
        let headers = res.headers().clone();
        assert_eq!(headers[header::CACHE_CONTROL], "no-store");
        assert_eq!(headers[header::CONTENT_SECURITY_POLICY], self.csp.as_str());
        assert_eq!(headers[header::REFERRER_POLICY], "no-referrer");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        for c in headers.get_all(header::SET_COOKIE) {
            let c = c.to_str().unwrap();
            assert!(
                c.contains("HttpOnly") && c.contains("SameSite=Strict"),
                "{c}"
            );
            let value = c.split(';').next().unwrap().trim_start_matches("signpost=");
            self.cookie = (!c.contains("Max-Age=0")).then(|| value.to_string());
        }
        let status = res.status();
        let location = headers
            .get(header::LOCATION)
            .map(|l| l.to_str().unwrap().to_string());
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = String::from_utf8(bytes.to_vec()).expect("UTF-8");
        let kind = headers
            .get(header::CONTENT_TYPE)
            .map(|k| k.to_str().unwrap());
        if kind.is_some_and(|k| k.starts_with("text/html")) {
            assert!(!body.contains("<script"), "a page has a script:\n{body}");
            assert!(
                body.contains("action=\"/exit\""),
                "no Exit this page:\n{body}"
            );
        }
        Resp {
            status,
            location,
            headers,
            body,
        }
    }

    fn request(&self, method: &str, path: &str) -> axum::http::request::Builder {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(c) = &self.cookie {
            b = b.header(header::COOKIE, format!("signpost={c}"));
        }
        b
    }

    async fn get(&mut self, path: &str) -> Resp {
        let req = self.request("GET", path).body(Body::empty()).unwrap();
        self.send(req).await
    }

    async fn post(&mut self, path: &str, body: &str) -> Resp {
        let req = self
            .request("POST", path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(req).await
    }

    /// Starts a session with the start page's button; returns the first question.
    async fn start(&mut self) -> Resp {
        let r = self.post("/start", "").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(self.cookie.is_some());
        self.get("/question").await
    }

    /// Answers the question shown now with these fields; returns the response to the POST.
    async fn answer(&mut self, fields: &str) -> Resp {
        let q = self.get("/question").await;
        assert_eq!(q.status, StatusCode::OK, "{}", q.body);
        let key = field(&q.body, "key").expect("a question");
        self.post("/answer", &format!("csrf={}&key={key}&{fields}", q.csrf()))
            .await
    }

    /// Answers and expects the answer to be taken.
    async fn answer_ok(&mut self, fields: &str) {
        let r = self.answer(fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{fields}: {}", r.body);
    }
}

fn escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The fixture's path without the sub-flow: England, read the page, Support, 2 children, Sefton.
async fn walk_fixture(c: &mut Client) {
    let first = c.start().await;
    assert!(first.body.contains("Where do you live?"), "{}", first.body);
    assert!(first.body.contains("<legend"));
    assert!(first.body.contains("question 1"));
    c.answer_ok("answer=1").await;
    let info = c.get("/question").await;
    assert!(
        info.body.contains("Today is Monday 2 March 2026."),
        "{}",
        info.body
    );
    c.answer_ok("").await;
    c.answer_ok("answer=2").await;
    c.answer_ok("answer=2").await;
    c.answer_ok("answer=Sefton").await;
    let done = c.get("/question").await;
    assert_eq!(done.location.as_deref(), Some("/check"));
}

/// The same answers given to a session directly, through the same page API.
fn fixture_session(lib: &'static Library, root: &str) -> Session<'static> {
    let mut s = Session::new(lib, root, TODAY).unwrap();
    let g = Glossary::of(lib);
    for reply in [
        Reply::Pick(1),
        Reply::Continue,
        Reply::Tick(vec![2]),
        Reply::Typed("2".into()),
        Reply::Typed("Sefton".into()),
    ] {
        let page = Page::current(&s, &g).unwrap();
        page.answer(&mut s, &reply).unwrap();
    }
    assert!(s.is_finished());
    s
}

#[tokio::test]
async fn a_whole_walk_reaches_the_summary_and_its_downloads_match_walk() {
    let (lib, root) = fixture();
    let site = site(lib, &root, config());
    let mut c = Client::new(&site);
    assert!(c
        .get("/")
        .await
        .body
        .contains("If a child is in immediate danger, call 999."));
    walk_fixture(&mut c).await;
    let check = c.get("/check").await;
    assert!(check.body.contains("Check your answers"));
    assert!(check.body.contains("Complaining") || check.body.contains("Support"));
    assert!(
        check.body.contains("&#x2f;change?key=main.wants"),
        "{}",
        check.body
    );
    let page = c.get("/summary").await;
    assert_eq!(page.status, StatusCode::OK);
    for part in [
        "Your next steps",
        "Call a helpline",
        "Keep a record",
        "Who can help",
        "Sources",
        "0800 000 000",
    ] {
        assert!(page.body.contains(part), "{part}:\n{}", page.body);
    }
    let session = fixture_session(lib, &root);
    let want = summary::build(&session);
    let text = c.get("/summary.txt").await;
    assert_eq!(
        text.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"next-steps.txt\""
    );
    assert_eq!(text.body, render::text(&want));
    let md = c.get("/summary.md").await;
    assert_eq!(
        md.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"next-steps.md\""
    );
    assert!(md.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/markdown"));
    assert_eq!(md.body, render::markdown(&want));
    // The stylesheet is served from the site itself, with a print style.
    let css = c.get("/assets/signpost.css").await;
    assert!(css.body.contains("@media print"));
}

/// A start button on another site's page starts nothing: the browser's `Sec-Fetch-Site` or an
/// `Origin` that is not this host is refused with a page that says why. The same button on our
/// own page (same origin, or a client that sends neither header) starts a session.
#[tokio::test]
async fn a_start_button_on_another_site_starts_nothing() {
    let (lib, root) = fixture();
    let site = site(lib, &root, config());
    let mut c = Client::new(&site);
    for (name, value) in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://evil.example"),
        ("origin", "null"),
    ] {
        // Without Sec-Fetch-Site (an older browser) the Origin is compared with the host.
        let req = c
            .request("POST", "/start")
            .header("host", "signpost.example")
            .header(name, value)
            .body(Body::empty())
            .unwrap();
        let r = c.send(req).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{name}: {value}");
        assert!(r.body.contains("another website"), "{}", r.body);
        assert!(c.cookie.is_none(), "{name}: {value} started a session");
    }
    // A browser that sends Sec-Fetch-Site is believed, whatever host a proxy passed on.
    let req = c
        .request("POST", "/start")
        .header("host", "127.0.0.1:8080")
        .header("origin", "https://signpost.example")
        .header("sec-fetch-site", "same-origin")
        .body(Body::empty())
        .unwrap();
    assert_eq!(c.send(req).await.status, StatusCode::SEE_OTHER);
    assert!(c.cookie.is_some());
    // An older browser behind a proxy that passes the host it was asked for.
    let mut c = Client::new(&site);
    let req = c
        .request("POST", "/start")
        .header("host", "127.0.0.1:8080")
        .header("x-forwarded-host", "signpost.example")
        .header("origin", "https://signpost.example")
        .body(Body::empty())
        .unwrap();
    assert_eq!(c.send(req).await.status, StatusCode::SEE_OTHER);
    assert!(c.cookie.is_some());
}

#[tokio::test]
async fn back_goes_to_the_previous_question_with_the_answer_kept() {
    let (lib, root) = fixture();
    let site = site(lib, &root, config());
    let mut c = Client::new(&site);
    c.start().await;
    c.answer_ok("answer=2").await;
    let info = c.get("/question").await;
    let r = c.post("/back", &format!("csrf={}", info.csrf())).await;
    assert_eq!(r.location.as_deref(), Some("/question"));
    let again = c.get("/question").await;
    assert!(again.body.contains("Where do you live?"));
    assert!(again.body.contains("value=\"2\" checked"), "{}", again.body);
}

#[tokio::test]
async fn a_change_from_check_your_answers_says_what_it_did() {
    let (lib, root) = fixture();
    let site = site(lib, &root, config());
    let mut c = Client::new(&site);
    walk_fixture(&mut c).await;
    let check = c.get("/check").await;
    let form = c.get("/change?key=main.wants").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("action=\"&#x2f;change\"") || form.body.contains("action=\"/change\"")
    );
    assert!(form.body.contains("value=\"2\" checked"), "{}", form.body);
    // Complaining as well as support: the sub-flow asks a new question (its date).
    let r = c
        .post(
            "/change",
            &format!("csrf={}&key=main.wants&answer=1&answer=2", check.csrf()),
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/question"));
    let date = c.get("/question").await;
    assert!(date.body.contains("name=\"day\""), "{}", date.body);
    c.answer_ok("day=2&month=2&year=2026").await;
    let check = c.get("/check").await;
    assert!(
        check.body.contains("What your change did"),
        "{}",
        check.body
    );
    assert!(
        check.body.contains("New steps: Ask for stage 2."),
        "{}",
        check.body
    );
    let summary = c.get("/summary").await;
    assert!(summary.body.contains("What your change did"));
    assert!(summary.body.contains("Letter:"), "{}", summary.body);
    // Changing back removes the step.
    let r = c
        .post(
            "/change",
            &format!("csrf={}&key=main.wants&answer=2", check.csrf()),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let check = c.get("/check").await;
    assert!(
        check
            .body
            .contains("Steps that no longer apply: Ask for stage 2."),
        "{}",
        check.body
    );
    // A question not on the path cannot be changed.
    assert_eq!(
        c.get("/change?key=sub.sent_on").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get("/change?key=nonsense").await.status,
        StatusCode::NOT_FOUND
    );
}

/// A number's bounds, as the wizard and plain mode show them, with the box described by them.
#[tokio::test]
async fn a_number_question_says_its_allowed_range() {
    let (lib, root) = fixture();
    let site = site(lib, &root, config());
    let mut c = Client::new(&site);
    c.start().await;
    c.answer_ok("answer=1").await;
    c.answer_ok("").await;
    c.answer_ok("answer=2").await;
    let q = c.get("/question").await;
    assert!(
        q.body.contains("How many children live with you?"),
        "{}",
        q.body
    );
    assert!(
        q.body
            .contains("<div class=\"hint\" id=\"answer-range\">It must be from 0 to 20.</div>"),
        "{}",
        q.body
    );
    assert!(
        q.body.contains("aria-describedby=\"answer-range\""),
        "{}",
        q.body
    );
}

#[tokio::test]
async fn the_form_errors_show_at_the_top_and_beside_the_field() {
    let (lib, root) = fixture();
    let site = site(lib, &root, config());
    let mut c = Client::new(&site);
    c.start().await;
    let r = c.answer("").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("role=\"alert\""));
    assert!(r.body.contains("href=\"#answer-1\""), "{}", r.body);
    assert!(r.body.contains("id=\"answer-error\""));
    assert!(r.body.contains("<title>Error: "));
    c.answer_ok("answer=1").await;
    c.answer_ok("").await;
    // "None of these" can't be ticked with another option: the session says so.
    let r = c.answer("answer=1&answer=3").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("can&#x27;t be ticked together"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"1\" checked") && r.body.contains("value=\"3\" checked"));
    c.answer_ok("answer=1").await;
    let r = c.answer("answer=many").await;
    assert!(r.body.contains("Enter a whole number"), "{}", r.body);
    let r = c.answer("answer=99").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    c.answer_ok("answer=1").await;
    c.answer_ok("answer=Sefton").await;
    // The sub-flow's date: half a date, both a date and "I don't know", a date that is not real.
    for (fields, says) in [
        ("day=2&month=2", "Enter a day, a month and a year."),
        ("day=2&month=2&year=2026&unknown=yes", "not both"),
        ("day=31&month=2&year=2026", "is not a real date"),
        ("", "Enter the date"),
    ] {
        let r = c.answer(fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields}");
        assert!(r.body.contains(says), "{fields}: {}", r.body);
        assert!(r.body.contains("href=\"#answer-day\""));
        // The page has a box to tick; nothing tells the person to type.
        assert!(!r.body.contains("type: I don"), "{fields}: {}", r.body);
    }
    c.answer_ok("unknown=yes").await;
    assert_eq!(c.get("/question").await.location.as_deref(), Some("/check"));
    let check = c.get("/check").await;
    assert!(check.body.contains("I don&#x27;t know"), "{}", check.body);
}

#[tokio::test]
async fn exit_ends_the_session_and_leaves_nothing_to_come_back_to() {
    let (lib, root) = fixture();
    let site = site(lib, &root, config());
    let mut c = Client::new(&site);
    walk_fixture(&mut c).await;
    assert_eq!(c.get("/summary").await.status, StatusCode::OK);
    let old = c.cookie.clone();
    let r = c.post("/exit", "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location.as_deref(), Some(web::EXIT_TO));
    assert!(c.cookie.is_none(), "exit clears the cookie");
    for path in ["/question", "/check", "/summary", "/summary.txt"] {
        c.cookie = old.clone();
        let r = c.get(path).await;
        assert_eq!(r.status, StatusCode::GONE, "{path}");
        assert!(r.body.contains("Your session has ended"), "{}", r.body);
        // Exit this page is not remembered: the message lists what ends a session, and
        // claims none of them.
        assert!(
            r.body.contains("This service no longer has your answers"),
            "{}",
            r.body
        );
        assert!(r.body.contains("href=\"&#x2f;start\"") || r.body.contains("href=\"/start\""));
    }
}

#[tokio::test]
async fn restart_clears_the_answers() {
    let (lib, root) = fixture();
    let site = site(lib, &root, config());
    let mut c = Client::new(&site);
    walk_fixture(&mut c).await;
    let s = c.get("/summary").await;
    let old = c.cookie.clone();
    let r = c.post("/restart", &format!("csrf={}", s.csrf())).await;
    assert_eq!(r.location.as_deref(), Some("/"));
    c.cookie = old;
    assert_eq!(c.get("/question").await.status, StatusCode::GONE);
}

#[tokio::test]
async fn hostile_requests_get_a_4xx_page_and_the_session_survives() {
    let (lib, root) = fixture();
    let site = site(lib, &root, config());
    let mut c = Client::new(&site);
    let q = c.start().await;
    let (csrf, key) = (q.csrf(), field(&q.body, "key").unwrap());
    let cases: Vec<(String, StatusCode)> = vec![
        (
            format!("csrf={csrf}&key={key}&answer={}", "1".repeat(20_000)),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
        (
            format!("csrf={csrf}&key={key}&answer={}", "1".repeat(9_000)),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
        (format!("key={key}&answer=1"), StatusCode::FORBIDDEN),
        (
            format!("csrf={}&key={key}&answer=1", "0".repeat(32)),
            StatusCode::FORBIDDEN,
        ),
        (format!("csrf=&key={key}&answer=1"), StatusCode::FORBIDDEN),
        (
            format!("csrf={csrf}&key={key}&answer=99"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("csrf={csrf}&key={key}&answer=0"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("csrf={csrf}&key={key}&answer=england"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("csrf={csrf}&key={key}&answer=1&answer=2"),
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (body, status) in cases {
        let r = c.post("/answer", &body).await;
        assert_eq!(r.status, status, "{}", &body[..body.len().min(80)]);
        assert!(
            r.body.contains("<h1"),
            "a page, not a bare error: {}",
            r.body
        );
        assert!(
            r.body.contains("href=\"&#x2f;question\"") || r.body.contains("href=\"/question\"")
        );
        let again = c.get("/question").await;
        assert_eq!(again.status, StatusCode::OK);
        assert!(
            again.body.contains("Where do you live?"),
            "the session survives"
        );
    }
    // Forged tokens on the other forms too.
    for path in ["/back", "/change", "/restart"] {
        let r = c.post(path, "csrf=nope&key=main.nation&answer=1").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(c.get("/question").await.status, StatusCode::OK);
    // A session the server never made, and a cookie that is not an id.
    let mut stranger = Client::new(&site);
    let instance = c.cookie.clone().unwrap();
    let instance = instance.split('.').next().unwrap();
    stranger.cookie = Some(format!("{instance}.0123456789abcdef0123456789abcdef"));
    let r = stranger
        .post("/answer", &format!("csrf={csrf}&key={key}&answer=1"))
        .await;
    assert_eq!(r.status, StatusCode::GONE);
    stranger.cookie = Some("<script>alert(1)</script>".into());
    assert_eq!(stranger.get("/question").await.status, StatusCode::GONE);
    let mut nobody = Client::new(&site);
    assert_eq!(nobody.get("/question").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        nobody.post("/answer", "answer=1").await.status,
        StatusCode::FORBIDDEN
    );
    // Pages that do not exist, and a method a page does not take.
    assert_eq!(
        c.get("/../../etc/passwd").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get("/assets/../Cargo.toml").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get("/answer").await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
    // The first session is still there, at the same question.
    let again = c.get("/question").await;
    assert!(again.body.contains("Where do you live?"));
}

#[tokio::test]
async fn typed_text_is_cleaned_and_shown_as_text() {
    let (lib, root) = fixture();
    let site = site(lib, &root, config());
    let mut c = Client::new(&site);
    c.start().await;
    c.answer_ok("answer=1").await;
    c.answer_ok("").await;
    c.answer_ok("answer=2").await;
    c.answer_ok("answer=1").await;
    let hostile = "<script>alert(1)</script>\u{7}\u{1b}[2J<b onmouseover=x>Sefton</b>";
    c.answer_ok(&format!("answer={}", escape(hostile))).await;
    for path in ["/check", "/summary"] {
        let page = c.get(path).await;
        assert!(
            page.body
                .contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("<b onmouseover"));
        assert!(!page.body.contains('\u{7}') && !page.body.contains('\u{1b}'));
    }
    let text = c.get("/summary.txt").await;
    assert!(!text.body.contains('\u{1b}'));
    // Too long for the question: the session says so, beside the field.
    let r = c.get("/change?key=main.name").await;
    let long = "a".repeat(300);
    let r = c
        .post(
            "/change",
            &format!("csrf={}&key=main.name&answer={long}", r.csrf()),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
}

#[tokio::test]
async fn sessions_end_when_idle_after_the_summary_and_when_the_store_is_full() {
    let (lib, root) = fixture();
    let idle = site(
        lib,
        &root,
        Config {
            idle: Duration::from_millis(100),
            ..config()
        },
    );
    let mut c = Client::new(&idle);
    c.start().await;
    tokio::time::sleep(Duration::from_millis(250)).await;
    let r = c.get("/question").await;
    assert_eq!(r.status, StatusCode::GONE);
    assert!(r.body.contains("Your session has ended"));
    assert!(
        r.body
            .contains("deleted because this site was not used for"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("restarted") && !r.body.contains("make room"));

    let grace = site(
        lib,
        &root,
        Config {
            grace: Duration::from_millis(100),
            ..config()
        },
    );
    let mut c = Client::new(&grace);
    walk_fixture(&mut c).await;
    assert_eq!(c.get("/summary").await.status, StatusCode::OK);
    assert_eq!(c.get("/summary.txt").await.status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(250)).await;
    let r = c.get("/summary").await;
    assert_eq!(r.status, StatusCode::GONE);
    assert!(
        r.body.contains("after your next steps were shown"),
        "{}",
        r.body
    );

    let small = site(
        lib,
        &root,
        Config {
            max_sessions: 2,
            ..config()
        },
    );
    // Two sessions with answers fit; a third that answers pushes out the one unused longest.
    let mut a = Client::new(&small);
    let mut b = Client::new(&small);
    let mut third = Client::new(&small);
    a.start().await;
    a.answer_ok("answer=1").await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    b.start().await;
    b.answer_ok("answer=1").await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    a.get("/question").await; // a was used last: b is now the oldest idle
    third.start().await;
    third.answer_ok("answer=1").await;
    assert_eq!(a.get("/question").await.status, StatusCode::OK);
    assert_eq!(third.get("/question").await.status, StatusCode::OK);
    let r = b.get("/question").await;
    assert_eq!(r.status, StatusCode::GONE);
    assert!(
        r.body.contains("your answers were removed to make room"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn a_get_never_makes_a_session_only_the_start_pages_post() {
    let (lib, root) = fixture();
    let site = site(lib, &root, config());
    let mut c = Client::new(&site);
    for path in ["/", "/start"] {
        let r = c.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(
            r.headers.get(header::SET_COOKIE).is_none(),
            "GET {path} gave a cookie"
        );
        assert!(
            r.body.contains("<form method=\"post\" action=\"/start\">")
                || r.body
                    .contains("<form method=\"post\" action=\"&#x2f;start\">"),
            "{}",
            r.body
        );
        assert!(r.body.contains("Start now"));
    }
    assert!(c.cookie.is_none());
    assert_eq!(c.get("/question").await.status, StatusCode::FORBIDDEN);
    let r = c.post("/start", "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location.as_deref(), Some("/question"));
    assert!(c.cookie.is_some());
    // The start page now carries on, and its button goes back to the same session.
    assert!(c.get("/start").await.body.contains("Carry on"));
    let before = c.cookie.clone();
    c.post("/start", "").await;
    assert_eq!(c.cookie, before);
}

#[tokio::test]
async fn an_anonymous_flood_of_starts_cannot_push_out_a_person_who_has_answered() {
    let (lib, root) = fixture();
    let site = site(
        lib,
        &root,
        Config {
            max_sessions: 2,
            max_new_sessions: 5,
            ..config()
        },
    );
    let mut person = Client::new(&site);
    person.start().await;
    person.answer_ok("answer=1").await;
    let mut waiting = Client::new(&site);
    waiting.start().await;
    // 2,000 starts from nobody in particular: far more than either cap.
    for _ in 0..2_000 {
        let mut anyone = Client::new(&site);
        let r = anyone.post("/start", "").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let r = person.get("/question").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        !r.body.contains("Where do you live?"),
        "the person is past the first question: {}",
        r.body
    );
    // A session with no answers made way for the flood, and is told so.
    let r = waiting.get("/question").await;
    assert_eq!(r.status, StatusCode::GONE);
    assert!(
        r.body.contains("your answers were removed to make room"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn after_a_restart_the_message_says_the_service_restarted() {
    let (lib, root) = fixture();
    let before = site(lib, &root, config());
    let after = site(lib, &root, config());
    let mut c = Client::new(&before);
    c.start().await;
    c.answer_ok("answer=1").await;
    // The same browser, the same cookie, a new run of the server.
    c.site = after.clone();
    let cookie = c.cookie.clone();
    for path in ["/question", "/check", "/summary"] {
        // The 410 page clears the cookie; a second tab would still send it.
        c.cookie = cookie.clone();
        let r = c.get(path).await;
        assert_eq!(r.status, StatusCode::GONE, "{path}");
        assert!(r.body.contains("This service restarted"), "{}", r.body);
        assert!(!r.body.contains("make room") && !r.body.contains("not used for"));
    }
    // A cookie from before instance ids were in the cookie: also a restart.
    let mut old = Client::new(&after);
    old.cookie = Some("0123456789abcdef0123456789abcdef".into());
    assert!(old
        .get("/question")
        .await
        .body
        .contains("This service restarted"));
    // The new run's own sessions are not affected.
    let mut fresh = Client::new(&after);
    assert!(fresh.start().await.body.contains("Where do you live?"));
}

/// Answers any question page: option 1, tick option 1, "I don't know" for dates, 1 for numbers,
/// "x" for text; returns the reply given, for replaying into a session.
async fn answer_anything(c: &mut Client, q: &Resp) -> Reply {
    let body = &q.body;
    let (fields, reply) = if body.contains("type=\"radio\"") {
        ("answer=1", Reply::Pick(1))
    } else if body.contains("type=\"checkbox\" value=\"1\"") {
        ("answer=1", Reply::Tick(vec![1]))
    } else if body.contains("name=\"day\"") {
        ("unknown=yes", Reply::Typed("I don't know".into()))
    } else if body.contains("inputmode=\"numeric\" spellcheck") {
        ("answer=1", Reply::Typed("1".into()))
    } else if body.contains("id=\"answer\"") {
        ("answer=x", Reply::Typed("x".into()))
    } else {
        ("", Reply::Continue)
    };
    let key = field(body, "key").unwrap();
    let r = c
        .post("/answer", &format!("csrf={}&key={key}&{fields}", q.csrf()))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{fields}: {}", r.body);
    reply
}

#[tokio::test]
async fn the_built_in_trees_walk_to_the_same_summary_as_a_session() {
    let (lib, root) = library(None);
    let site = site(lib, &root, config());
    let mut c = Client::new(&site);
    c.start().await;
    let mut replies = Vec::new();
    for _ in 0..200 {
        let q = c.get("/question").await;
        if q.status == StatusCode::SEE_OTHER {
            assert_eq!(q.location.as_deref(), Some("/check"));
            break;
        }
        assert_eq!(q.status, StatusCode::OK, "{}", q.body);
        replies.push(answer_anything(&mut c, &q).await);
    }
    assert!(replies.len() > 3, "a real walk: {} screens", replies.len());
    let check = c.get("/check").await;
    assert!(check.body.contains("Check your answers"));
    let page = c.get("/summary").await;
    assert!(page.body.contains("Do these first"), "{}", page.body);
    // The same replies through the page API give the same summary.
    let mut s = Session::new(lib, &root, TODAY).unwrap();
    let g = Glossary::of(lib);
    for reply in &replies {
        Page::current(&s, &g)
            .unwrap()
            .answer(&mut s, reply)
            .unwrap();
    }
    assert!(s.is_finished());
    let want = summary::build(&s);
    assert_eq!(c.get("/summary.txt").await.body, render::text(&want));
    assert_eq!(c.get("/summary.md").await.body, render::markdown(&want));
}

/// The glossary's words on a page are explained there, in `<details>`.
#[tokio::test]
async fn glossary_words_are_explained_on_the_page() {
    let (lib, root) = library(None);
    let site = site(lib, &root, config());
    let mut c = Client::new(&site);
    c.start().await;
    for _ in 0..200 {
        let q = c.get("/question").await;
        if q.status != StatusCode::OK {
            break;
        }
        if q.body.contains("<details") {
            assert!(q.body.contains("class=\"details-summary\""));
            assert!(q.body.contains("means"));
            return;
        }
        answer_anything(&mut c, &q).await;
    }
    panic!("no page on the walk explained a word");
}

// ---------------------------------------------------------------------------------------------
// Over TCP: the server's own timeouts and the answers hyper writes itself.
// ---------------------------------------------------------------------------------------------

mod net {
    use super::*;
    use std::time::Instant;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    /// Longer than any timeout here by far: a connection still open after this was never going
    /// to be closed. (No test asserts how fast anything is.)
    const NEVER: Duration = Duration::from_secs(60);

    /// The fixture served on a loopback port with these settings, until the test ends.
    async fn server(config: Config) -> std::net::SocketAddr {
        let (lib, root) = fixture();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            web::serve_on(lib, &root, listener, config, std::future::pending())
                .await
                .expect("the site starts")
        });
        addr
    }

    /// Sends `request` and reads until the server closes or `NEVER` passes: what came back.
    async fn exchange(addr: std::net::SocketAddr, request: &[u8]) -> String {
        let mut s = TcpStream::connect(addr).await.unwrap();
        // The server may answer and close before reading all of a request it refuses.
        let _ = s.write_all(request).await;
        let mut out = Vec::new();
        let _ = tokio::time::timeout(NEVER, s.read_to_end(&mut out)).await;
        String::from_utf8_lossy(&out).into_owned()
    }

    fn assert_headed(response: &str, status: &str) {
        let head = response
            .split("\r\n\r\n")
            .next()
            .unwrap()
            .to_ascii_lowercase();
        assert!(
            head.starts_with(&format!("http/1.1 {status}")),
            "expected {status}: {head}"
        );
        for line in [
            "cache-control: no-store".to_string(),
            format!("content-security-policy: {}", CSP.to_ascii_lowercase()),
            "referrer-policy: no-referrer".to_string(),
            "x-content-type-options: nosniff".to_string(),
            "x-frame-options: deny".to_string(),
        ] {
            assert!(
                head.split("\r\n").any(|l| l == line),
                "{status} without {line:?}: {head}"
            );
        }
    }

    /// Writes `byte` every `every` until the server closes the connection (true) or `NEVER`
    /// passes (false).
    async fn drip_until_closed(s: &mut TcpStream, every: Duration) -> bool {
        let started = Instant::now();
        let mut buf = [0u8; 4096];
        while started.elapsed() < NEVER {
            if s.write_all(b"x").await.is_err() {
                return true;
            }
            match tokio::time::timeout(every, s.read(&mut buf)).await {
                Ok(Ok(0)) | Ok(Err(_)) => return true,
                Ok(Ok(_)) | Err(_) => {}
            }
        }
        false
    }

    #[tokio::test]
    async fn a_slow_client_is_disconnected_by_the_header_timeout() {
        let addr = server(Config {
            header_timeout: Duration::from_secs(1),
            ..config()
        })
        .await;
        // Headers that never end: a byte at a time, every half second.
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .await
            .unwrap();
        assert!(
            drip_until_closed(&mut s, Duration::from_millis(500)).await,
            "a client sending its headers a byte at a time was kept for {NEVER:?}"
        );
        // An idle kept-alive connection: one request answered, then nothing.
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /assets/signpost.css HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut out = Vec::new();
        let read = tokio::time::timeout(NEVER, s.read_to_end(&mut out)).await;
        assert!(read.is_ok(), "an idle connection was kept for {NEVER:?}");
        assert!(String::from_utf8_lossy(&out).starts_with("HTTP/1.1 200"));
    }

    #[tokio::test]
    async fn a_slow_body_gets_a_408_with_the_headers() {
        let addr = server(Config {
            request_timeout: Duration::from_secs(1),
            ..config()
        })
        .await;
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"POST /answer HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n")
            .await
            .unwrap();
        let started = Instant::now();
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while started.elapsed() < NEVER && !got.windows(4).any(|w| w == b"\r\n\r\n") {
            if s.write_all(b"a").await.is_err() {
                break;
            }
            if let Ok(Ok(n)) =
                tokio::time::timeout(Duration::from_millis(500), s.read(&mut buf)).await
            {
                if n == 0 {
                    break;
                }
                got.extend_from_slice(&buf[..n]);
            }
        }
        let got = String::from_utf8_lossy(&got).into_owned();
        assert_headed(&got, "408");
        // Read on to the end of the short body if it came in a later packet.
        let mut rest = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(2), s.read_to_end(&mut rest)).await;
        let all = got + &String::from_utf8_lossy(&rest);
        assert!(all.contains("took too long to arrive"), "{all}");
    }

    #[tokio::test]
    async fn the_answers_hyper_writes_itself_carry_the_security_headers() {
        let addr = server(config()).await;
        // A request line with a control character: hyper's 400.
        let r = exchange(addr, b"GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n").await;
        assert_headed(&r, "400");
        // A header line with no colon: hyper's 400.
        let r = exchange(addr, b"GET / HTTP/1.1\r\nHost: x\r\nno colon\r\n\r\n").await;
        assert_headed(&r, "400");
        // A URI over hyper's limit: 414.
        let long = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70_000));
        assert_headed(&exchange(addr, long.as_bytes()).await, "414");
        // A Content-Length that is not a number: hyper's 400.
        let r = exchange(
            addr,
            b"POST /start HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        )
        .await;
        assert_headed(&r, "400");
        // axum's own answers: a method a page does not take (405), a path it does not know.
        let r = exchange(
            addr,
            b"GET /answer HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .await;
        assert_headed(&r, "405");
        let r = exchange(
            addr,
            b"GET /%ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .await;
        assert_headed(&r, "404");
        // And an ordinary page, over the same connection code.
        let r = exchange(
            addr,
            b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .await;
        assert_headed(&r, "200");
        assert!(r.contains("Start now"));
    }

    #[tokio::test]
    async fn connections_past_the_limit_wait_until_one_closes() {
        let addr = server(Config {
            max_connections: 2,
            ..config()
        })
        .await;
        let get = b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        // Two connections hold both places, sending nothing.
        let a = TcpStream::connect(addr).await.unwrap();
        let b = TcpStream::connect(addr).await.unwrap();
        // A third is not served while they are open ...
        let mut third = TcpStream::connect(addr).await.unwrap();
        third.write_all(get).await.unwrap();
        let mut buf = [0u8; 64];
        let early = tokio::time::timeout(Duration::from_millis(500), third.read(&mut buf)).await;
        assert!(
            early.is_err(),
            "a third connection was served while two were open"
        );
        // ... and is served once one of them goes.
        drop(a);
        let mut out = Vec::new();
        tokio::time::timeout(NEVER, third.read_to_end(&mut out))
            .await
            .expect("served once a place was free")
            .unwrap();
        assert!(String::from_utf8_lossy(&out).starts_with("HTTP/1.1 200"));
        drop(b);
    }
}

// ---------------------------------------------------------------------------------------------
// Load test: `cargo test --release --test suite -- --ignored --nocapture web::load`
// ---------------------------------------------------------------------------------------------

mod load {
    use super::*;
    use std::time::Instant;
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    /// One person's connection, kept open between requests as a browser keeps it.
    struct Conn {
        stream: tokio::io::BufReader<TcpStream>,
    }

    impl Conn {
        async fn open(addr: std::net::SocketAddr) -> Conn {
            let stream = TcpStream::connect(addr).await.expect("connect");
            stream.set_nodelay(true).unwrap();
            Conn {
                stream: tokio::io::BufReader::new(stream),
            }
        }

        /// One HTTP/1.1 request: (status, set-cookie value, body).
        async fn http(
            &mut self,
            method: &str,
            path: &str,
            cookie: &str,
            body: &str,
        ) -> (u16, String, String) {
            let req = format!(
                "{method} {path} HTTP/1.1\r\nHost: localhost\r\nCookie: signpost={cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            self.stream
                .get_mut()
                .write_all(req.as_bytes())
                .await
                .unwrap();
            let (mut status, mut length, mut set_cookie) = (0u16, 0usize, String::new());
            let mut line = String::new();
            loop {
                line.clear();
                self.stream.read_line(&mut line).await.unwrap();
                let l = line.trim_end();
                if l.is_empty() {
                    break;
                }
                let lower = l.to_ascii_lowercase();
                if lower.starts_with("http/1.1 ") {
                    status = l[9..12].parse().unwrap_or(0);
                } else if let Some(v) = lower.strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                } else if lower.starts_with("set-cookie:") {
                    set_cookie = l[11..]
                        .split(';')
                        .next()
                        .unwrap_or_default()
                        .trim()
                        .trim_start_matches("signpost=")
                        .to_string();
                }
            }
            let mut body = vec![0u8; length];
            self.stream.read_exact(&mut body).await.unwrap();
            (
                status,
                set_cookie,
                String::from_utf8_lossy(&body).into_owned(),
            )
        }
    }

    /// One person's whole walk on the fixture; returns each request's latency. With `think`, a
    /// pause after each page, as a person reads it: 100 to 300 ms here (people take seconds),
    /// spread by the seed so that the 200 do not keep step.
    async fn person(addr: std::net::SocketAddr, think: Option<u64>) -> Vec<Duration> {
        let mut times = Vec::new();
        let mut conn = Conn::open(addr).await;
        let timed = |started: Instant, times: &mut Vec<Duration>| {
            times.push(started.elapsed());
            think.map(|seed| {
                let n = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(times.len() as u64 * 1442695040888963407);
                Duration::from_millis(100 + (n >> 33) % 200)
            })
        };
        macro_rules! request {
            ($($arg:expr),*) => {{
                let started = Instant::now();
                let out = conn.http($($arg),*).await;
                if let Some(pause) = timed(started, &mut times) {
                    tokio::time::sleep(pause).await;
                }
                out
            }};
        }
        let (_, cookie, _) = request!("POST", "/start", "", "");
        for fields in [
            "answer=1",
            "",
            "answer=1&answer=2",
            "answer=2",
            "answer=Sefton",
            "day=2&month=2&year=2026",
        ] {
            let (status, _, page) = request!("GET", "/question", &cookie, "");
            assert_eq!(status, 200, "{page}");
            let body = format!(
                "csrf={}&key={}&{fields}",
                field(&page, "csrf").unwrap(),
                field(&page, "key").unwrap()
            );
            let (status, _, page) = request!("POST", "/answer", &cookie, &body);
            assert_eq!(status, 303, "{fields}: {page}");
        }
        for path in ["/check", "/summary", "/summary.txt"] {
            let (status, _, _) = request!("GET", path, &cookie, "");
            assert_eq!(status, 200, "{path}");
        }
        times
    }

    /// This process's CPU time so far (user + system), which the other jobs on a shared machine
    /// do not inflate the way they inflate wall time.
    fn cpu_time() -> Duration {
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
        // SAFETY: getrusage fills the struct it is given; RUSAGE_SELF is always valid.
        let usage = unsafe {
            libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr());
            usage.assume_init()
        };
        let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
        tv(usage.ru_utime) + tv(usage.ru_stime)
    }

    fn rss_kb() -> usize {
        let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
        let pages: usize = statm
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        pages * 4
    }

    /// 200 walks at once: (requests, wall time, p99), and the sorted latencies.
    async fn crowd(addr: std::net::SocketAddr, paced: bool) -> (Vec<Duration>, Duration, Duration) {
        let started = Instant::now();
        let people: Vec<_> = (0..200u64)
            .map(|i| tokio::spawn(person(addr, paced.then_some(i + 1))))
            .collect();
        let mut all = Vec::new();
        for p in people {
            all.extend(p.await.expect("a walk"));
        }
        let wall = started.elapsed();
        all.sort();
        let p99 = all[(all.len() * 99 / 100).min(all.len() - 1)];
        (all, wall, p99)
    }

    fn report(what: &str, (all, wall, _): &(Vec<Duration>, Duration, Duration)) {
        let at =
            |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)].as_secs_f64() * 1e3;
        println!(
            "{what}: {} requests in {:.2} s ({:.0}/s); latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            all.len(),
            wall.as_secs_f64(),
            all.len() as f64 / wall.as_secs_f64(),
            at(0.50),
            at(0.99),
            at(1.0),
        );
    }

    /// Clients that hold connections without finishing a request: `drippers` send a request's
    /// headers a byte a second (reconnecting when the header timeout cuts them), `idle` connect
    /// and send nothing. They run until `stop`.
    struct SlowClients {
        tasks: Vec<tokio::task::JoinHandle<()>>,
        dripped: std::sync::Arc<std::sync::atomic::AtomicUsize>,
        cut: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    }

    impl SlowClients {
        async fn start(addr: std::net::SocketAddr, drippers: usize, idle: usize) -> SlowClients {
            use std::sync::atomic::{AtomicUsize, Ordering};
            use std::sync::Arc;
            let dripped = Arc::new(AtomicUsize::new(0));
            let cut = Arc::new(AtomicUsize::new(0));
            let mut tasks = Vec::new();
            for _ in 0..drippers {
                let (dripped, cut) = (dripped.clone(), cut.clone());
                tasks.push(tokio::spawn(async move {
                    loop {
                        let Ok(mut s) = TcpStream::connect(addr).await else {
                            tokio::time::sleep(Duration::from_millis(100)).await;
                            continue;
                        };
                        let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ").await;
                        while s.write_all(b"x").await.is_ok() {
                            dripped.fetch_add(1, Ordering::Relaxed);
                            let mut buf = [0u8; 512];
                            match tokio::time::timeout(Duration::from_secs(1), s.read(&mut buf))
                                .await
                            {
                                Ok(Ok(0)) | Ok(Err(_)) => break,
                                _ => {}
                            }
                        }
                        cut.fetch_add(1, Ordering::Relaxed);
                    }
                }));
            }
            for _ in 0..idle {
                tasks.push(tokio::spawn(async move {
                    loop {
                        if let Ok(mut s) = TcpStream::connect(addr).await {
                            let mut buf = [0u8; 512];
                            let _ = s.read(&mut buf).await; // until the server closes it
                        } else {
                            tokio::time::sleep(Duration::from_millis(100)).await;
                        }
                    }
                }));
            }
            // Let them connect before the walks begin.
            tokio::time::sleep(Duration::from_millis(500)).await;
            SlowClients {
                tasks,
                dripped,
                cut,
            }
        }

        /// Stops them: (bytes dripped, connections the server cut).
        fn stop(self) -> (usize, usize) {
            for t in &self.tasks {
                t.abort();
            }
            use std::sync::atomic::Ordering;
            (
                self.dripped.load(Ordering::Relaxed),
                self.cut.load(Ordering::Relaxed),
            )
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "a load test: cargo test --release --test suite -- --ignored --nocapture web::load"]
    async fn load() {
        // The server `signpost serve` runs: its accept loop, connection limit and timeouts.
        let (lib, root) = fixture();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            web::serve_on(lib, &root, listener, config(), async {
                let _ = stopped.await;
            })
            .await
        });
        let run = async {
            person(addr, None).await; // warm up
                                      // Slow and idle clients stay connected for the whole run, as on the internet.
            let slow = SlowClients::start(addr, 100, 200).await;
            // 200 people at once, each reading each page for 100-300 ms before going on.
            let paced = crowd(addr, true).await;
            report(
                "200 concurrent walks, paced (100-300 ms between pages)",
                &paced,
            );
            // 200 people at once with no pause at all: the server saturated.
            let cpu = cpu_time();
            let flat_out = crowd(addr, false).await;
            let cpu = cpu_time() - cpu;
            report("200 concurrent walks, no pause (saturated)", &flat_out);
            println!(
                "CPU time (user + system, server and load generator together): {:.0} us per request",
                cpu.as_secs_f64() * 1e6 / flat_out.0.len() as f64
            );
            // Memory: 2,000 more finished sessions, kept live, measured by resident size.
            let before = rss_kb();
            for _ in 0..10 {
                crowd(addr, false).await;
            }
            let after = rss_kb();
            println!(
                "memory: {} KB resident before, {} KB after 2,000 more live sessions: about {:.1} KB per session",
                before,
                after,
                (after.saturating_sub(before)) as f64 / 2000.0
            );
            let (dripped, cut) = slow.stop();
            println!(
                "alongside: 100 clients sending headers a byte a second ({dripped} bytes sent, {cut} connections cut by the header timeout and reopened) and 200 idle connections"
            );
            paced.2
        };
        let p99 = tokio::time::timeout(Duration::from_secs(90), run)
            .await
            .expect("the load test finishes within 90 s");
        let _ = stop.send(());
        let _ = server.await;
        assert!(p99 < Duration::from_secs(1), "p99 {p99:?}");
    }
}

/// The second pack (an example "can I return this?" flow): every page, the summary and its
/// downloads speak with the pack's words, never the family-rights pack's; "Exit this page"
/// leaves for the pack's own exit site, which the CSP allows.
#[tokio::test]
async fn the_returns_pack_shows_only_its_own_words_on_every_page() {
    let (lib, root) = library(Some("tests/fixtures/packs/returns/returns.json"));
    let site = site(lib, &root, config());
    let mut c = Client::new(&site);
    c.csp = CSP.replace("https://www.bbc.co.uk", "https://example.org");
    let mut pages = Vec::new();
    let start = c.get("/").await;
    for part in [
        "lang=\"en-GB\"",
        "<span class=\"service-name\">Can I return it? (example)</span>",
        "An example pack for testing Signpost, not advice.",
        "This is an example for testing, not consumer advice.",
        "If you were sold something dangerous, stop using it.",
        "nobody sees your answers",
        "opens an example site",
    ] {
        assert!(start.body.contains(part), "{part}:\n{}", start.body);
    }
    pages.push(start.body);
    pages.push(c.start().await.body);
    c.answer_ok("answer=a+kettle").await;
    pages.push(c.get("/question").await.body);
    c.answer_ok("day=1&month=2&year=2026").await;
    pages.push(c.get("/question").await.body);
    c.answer_ok("answer=1").await;
    pages.push(c.get("/check").await.body);
    let summary = c.get("/summary").await;
    assert!(
        summary.body.contains("Ask the seller for a refund"),
        "{}",
        summary.body
    );
    pages.push(summary.body);
    pages.push(c.get("/summary.txt").await.body);
    pages.push(c.get("/summary.md").await.body);
    for p in &pages {
        let found = common::family_words_in(p);
        assert!(found.is_empty(), "family-rights words {found:?} on:\n{p}");
    }
    let exit = c.post("/exit", "").await;
    assert_eq!(exit.location.as_deref(), Some("https://example.org/"));
}

/// A two-question tree for `serve --watch`: `second` is the second question's text, `yes` the
/// value (and label) of the first question's first option.
fn watched_tree(second: &str, yes: &str) -> String {
    let tree = serde_json::json!({
        "format": 1, "id": "preview", "title": "A preview", "description": "A tree being written.",
        "jurisdictions": ["any"], "reviewed": "2026-01-05", "start": "asked",
        "nodes": [
            {"type": "choice", "id": "asked", "question": "Have you asked in writing?",
             "options": [
                {"label": format!("{yes}!"), "value": yes, "next": "colour"},
                {"label": "No", "value": "no", "next": "colour"}]},
            {"type": "choice", "id": "colour", "question": second,
             "options": [
                {"label": "Red", "value": "red", "next": "done"},
                {"label": "Blue", "value": "blue", "next": "done"}]},
            {"type": "outcome", "id": "done", "advice": ["keep"]}
        ],
        "advice": {"keep": {"for": ["everyone"], "title": "Keep a record",
            "body": "Write it down.", "priority": 4, "sources": ["s"]}},
        "sources": {"s": {"title": "A source", "url": "https://example.org/", "checked": "2026-01-05"}}
    });
    serde_json::to_string_pretty(&tree).unwrap()
}

/// `serve PATH --watch` (the same router the command serves): a change to the tree shows on the
/// next request with the answers kept; a broken tree makes every page the list of its errors
/// (escaped, at file:line:column) while Exit this page still works; fixed, the walk carries on
/// with the answers kept; a change that makes an answer no longer fit says which was removed.
#[tokio::test]
async fn serve_watch_reloads_the_pack_keeps_answers_and_shows_its_errors() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree.json");
    std::fs::write(&tree, watched_tree("What colour is it?", "yes")).unwrap();
    let site = web::watch_router(dir.path(), config()).expect("the site starts");
    let mut c = Client::new(&site);
    let first = c.start().await;
    assert!(
        first.body.contains("Have you asked in writing?"),
        "{}",
        first.body
    );
    c.answer_ok("answer=1").await;
    assert!(c.get("/question").await.body.contains("What colour is it?"));

    // A change: the new text on the next request, the answer kept.
    std::fs::write(&tree, watched_tree("Which colour is the thing?", "yes")).unwrap();
    let q = c.get("/question").await;
    assert_eq!(q.status, StatusCode::OK, "{}", q.body);
    assert!(q.body.contains("Which colour is the thing?"), "{}", q.body);
    assert!(q.body.contains("This preview was reloaded"), "{}", q.body);
    assert!(q.body.contains("Your answers still apply"), "{}", q.body);
    // Shown once.
    assert!(!c
        .get("/question")
        .await
        .body
        .contains("This preview was reloaded"));

    // Broken: a dangling `next` whose name would be markup.
    let broken = watched_tree("Which colour is the thing?", "yes").replacen(
        "\"next\": \"done\"",
        "\"next\": \"<b>gone</b>\"",
        1,
    );
    let at = broken.find("<b>gone</b>").unwrap();
    let line = 1 + broken[..at].matches('\n').count();
    // The diagnostic points at the `next` key of that line.
    let column = 1 + broken
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("\"next\"")
        .unwrap();
    std::fs::write(&tree, &broken).unwrap();
    let e = c.get("/question").await;
    assert_eq!(e.status, StatusCode::SERVICE_UNAVAILABLE, "{}", e.body);
    assert!(e.body.contains("This preview has errors"), "{}", e.body);
    assert!(
        e.body
            .contains(&format!("{}:{line}:{column}", tree.display()).replace('/', "&#x2f;")),
        "the error at its file, line {line} and column {column}: {}",
        e.body
    );
    assert!(e.body.contains("E005"), "{}", e.body);
    assert!(
        e.body.contains("&lt;b&gt;gone&lt;&#x2f;b&gt;"),
        "{}",
        e.body
    );
    assert!(!e.body.contains("<b>gone"), "{}", e.body);
    // Every page, for everyone, says so; a newcomer cannot start either.
    let mut other = Client::new(&site);
    let start = other.get("/").await;
    assert_eq!(start.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(start.body.contains("This preview has errors"));
    assert_eq!(
        other.post("/start", "").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );

    // Fixed: the walk carries on where it was.
    std::fs::write(&tree, watched_tree("Which colour is it now?", "yes")).unwrap();
    let q = c.get("/question").await;
    assert_eq!(q.status, StatusCode::OK, "{}", q.body);
    assert!(q.body.contains("Which colour is it now?"), "{}", q.body);
    c.answer_ok("answer=2").await;
    assert_eq!(c.get("/question").await.location.as_deref(), Some("/check"));

    // An answer that no longer fits is dropped, and the person is told which.
    std::fs::write(&tree, watched_tree("Which colour is it now?", "ja")).unwrap();
    let q = c.get("/question").await;
    assert_eq!(q.status, StatusCode::OK, "{}", q.body);
    assert!(q.body.contains("Have you asked in writing?"), "{}", q.body);
    assert!(
        q.body
            .contains("Answers that no longer apply and were removed: Have you asked in writing?"),
        "{}",
        q.body
    );

    // Exit this page works even while the pack is broken.
    std::fs::write(&tree, &broken).unwrap();
    let exit = c.post("/exit", "").await;
    assert_eq!(exit.status, StatusCode::SEE_OTHER);
    assert_eq!(exit.location.as_deref(), Some(signpost::web::EXIT_TO));
}

/// `serve --watch` needs a first version that compiles, and says what is wrong with it.
#[test]
fn serve_watch_refuses_a_pack_that_does_not_compile_at_first() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tree.json"), "{").unwrap();
    let Err(err) = web::watch_router(dir.path(), config()) else {
        panic!("a pack that does not compile is refused");
    };
    assert!(err.contains("E001"), "{err}");
}
