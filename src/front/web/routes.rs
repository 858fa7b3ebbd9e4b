//! The URLs. Reading pages is GET; everything that changes a session is a POST carrying the
//! session's CSRF token, and answers with a 303 redirect to the page to show next. Every failure
//! is a plain page with a 4xx status and a way back; a panic in a handler becomes a 500 page,
//! and the person's session is left as it was.
//!
//! - `GET /` and `GET /start` the start page; `POST /start` (its button) starts a session, or
//!   carries on the one the cookie names. Nothing a GET does makes a session;
//! - `GET /question`, `POST /answer`, `POST /back`: one question at a time;
//! - `GET /check`, `GET|POST /change?key=`: check your answers and change one;
//! - `GET /summary`, `/summary.txt`, `/summary.md`: the next steps and their downloads;
//! - `POST /restart`, `POST|GET /exit`: end the session (exit then leaves for a neutral site);
//! - `GET /assets/signpost.css`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use minijinja::context;
use serde::Serialize;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

use super::form::{self, Form, Unreadable};
use super::preview::{carry_over, Here, Last, Site};
use super::security::Cookie;
use super::sessions::{lock, Ended, Found, Visit};
use super::templates::Rendered;
use super::{assets, security, App};
use crate::core::changes::{Changes, Snapshot};
use crate::core::page::{check_rows, screens_done, Page};
use crate::core::session::{NodeKey, Position, Session};
use crate::core::{render, summary};

type Shared = Here;
type Body = Result<Bytes, BytesRejection>;

pub fn router(site: Arc<Site>) -> Router {
    let config = site.last().config.clone();
    let limit = config.body_limit;
    let (body_timeout, request_timeout) = (config.body_timeout, config.request_timeout);
    let pages = Router::new()
        .route("/", get(start_page))
        .route("/start", get(start_page).post(start))
        .route("/question", get(question))
        .route("/answer", axum::routing::post(answer))
        .route("/back", axum::routing::post(back))
        .route("/check", get(check))
        .route("/change", get(change_form).post(change))
        .route("/summary", get(summary_page))
        .route("/summary.txt", get(download_text))
        .route("/summary.md", get(download_markdown))
        .route("/restart", axum::routing::post(restart))
        .route("/exit", get(exit).post(exit))
        .route("/assets/signpost.css", get(assets::stylesheet))
        .fallback(not_found)
        .method_not_allowed_fallback(not_allowed)
        .layer(DefaultBodyLimit::max(limit))
        .with_state(Arc::clone(&site));
    // The site is the fallback of an empty router, so these layers wrap every request whatever
    // answers it: a page, a redirect, axum's own rejections, the timeouts' 408. The headers
    // are outermost, so every response gets them.
    Router::new()
        .fallback_service(pages)
        .layer(RequestBodyTimeoutLayer::new(body_timeout))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        .layer(axum::middleware::map_response(explain_timeout))
        .layer(axum::middleware::map_response(security::headers))
        // The pack's exit site is the one place besides this site a form may lead to (read for
        // each response: `serve --watch` may have reloaded the pack).
        .layer(axum::middleware::map_response(move |mut res: Response| {
            let csp =
                header::HeaderValue::from_str(&security::csp(&site.last().lib.pack().exit.url))
                    .unwrap_or(header::HeaderValue::from_static(security::CSP));
            async move {
                res.headers_mut()
                    .insert(header::CONTENT_SECURITY_POLICY, csp);
                res
            }
        }))
}

/// The timeout layer's 408 has no body; a person whose connection stalled mid-form reads why
/// and what to do (the body is plain text: the request may have ended before any page state).
async fn explain_timeout(res: Response) -> Response {
    if res.status() != StatusCode::REQUEST_TIMEOUT {
        return res;
    }
    (
        StatusCode::REQUEST_TIMEOUT,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "That took too long to arrive, so nothing was changed. Please go back and try again.\n",
    )
        .into_response()
}

/// Why a request could not be served. Each is a page with a 4xx status (or 500) and a way back.
#[derive(Debug)]
enum Fail {
    /// No session cookie at all.
    NoSession,
    /// A session cookie the server no longer knows, with what the server knows of why.
    Ended(Gone),
    /// A form without this session's token.
    Forged,
    /// A start button pressed on another site's page.
    CrossSite,
    TooBig,
    BadForm,
    /// An answer that is not one of the page's options.
    NotAnOption,
    NotFound,
    NotAllowed,
    Broken,
}

/// Why a session cookie names no live session, as far as the server knows.
#[derive(Debug, Clone, Copy)]
enum Gone {
    /// The cookie was given by an earlier run of the server.
    Restarted,
    /// The store ended it: to make room, after a time without use, or after the summary.
    Store(Ended),
    /// Ended by the person (Exit this page, Start again), forgotten, or never was.
    Unknown,
}

type Outcome = Result<Response, Fail>;

/// Runs a handler's work, turning a failure or a panic into its page.
fn respond(app: &App, work: impl FnOnce() -> Outcome) -> Response {
    match catch_unwind(AssertUnwindSafe(work)) {
        Ok(Ok(res)) => res,
        Ok(Err(fail)) => fail_page(app, fail),
        Err(_) => fail_page(app, Fail::Broken),
    }
}

fn fail_page(app: &App, fail: Fail) -> Response {
    let again = [("/start", "Start again")];
    let to_question = [("/question", "Go back to your questions")];
    let why: String;
    let (status, heading, text, links): (_, _, &str, &[(&str, &str)]) = match fail {
        Fail::NoSession => (
            StatusCode::FORBIDDEN,
            "We could not find your answers",
            "Signpost keeps your answers only while you use it, with one cookie. If your browser blocks cookies, allow them for this site, then start again.",
            &again,
        ),
        Fail::Ended(gone) => {
            why = ended_text(&app.config, gone);
            (StatusCode::GONE, "Your session has ended", why.as_str(), &again)
        }
        Fail::Forged => (
            StatusCode::FORBIDDEN,
            "This form could not be used",
            "It was out of date or did not come from this site, so nothing was changed. Your answers are still here.",
            &to_question,
        ),
        Fail::CrossSite => (
            StatusCode::FORBIDDEN,
            "Please start from this service's own page",
            "That button was on another website, so nothing was started.",
            &[("/", "Go to the start page")],
        ),
        Fail::TooBig => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "That was too much to send",
            "The form sent more than this site accepts, so nothing was changed. Your answers are still here.",
            &to_question,
        ),
        Fail::BadForm => (
            StatusCode::BAD_REQUEST,
            "This form could not be read",
            "Nothing was changed. Your answers are still here.",
            &to_question,
        ),
        Fail::NotAnOption => (
            StatusCode::BAD_REQUEST,
            "That answer is not one of the options",
            "Nothing was changed. Go back to the question and choose one of its options.",
            &to_question,
        ),
        Fail::NotFound => (
            StatusCode::NOT_FOUND,
            "Page not found",
            "There is no page at this address.",
            &[("/", "Go to the start page"), ("/question", "Go back to your questions")],
        ),
        Fail::NotAllowed => (
            StatusCode::METHOD_NOT_ALLOWED,
            "This page cannot be used that way",
            "Nothing was changed.",
            &to_question,
        ),
        Fail::Broken => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "Sorry, something went wrong",
            "This is a fault in Signpost, not something you did. Try again.",
            &to_question,
        ),
    };
    let links: Vec<_> = links
        .iter()
        .map(|(href, text)| context! { href => href, text => text })
        .collect();
    let ctx = context! { heading => heading, paras => [text], links => links };
    let mut res = match page(app, "message.html", heading, ctx, true, None) {
        Ok(html) => (status, html).into_response(),
        // The templates are built in and tested; this is the last resort, with no markup.
        Err(_) => (status, heading.to_string()).into_response(),
    };
    if matches!(fail, Fail::Ended(_) | Fail::NoSession) {
        set_cookie(&mut res, &security::clear_cookie(app.config.secure_cookies));
    }
    res
}

/// "30 minutes", "1 minute", "a few seconds": how long a limit is, in words.
fn minutes(d: std::time::Duration) -> String {
    match d.as_secs() / 60 {
        0 => "a few seconds".to_string(),
        1 => "1 minute".to_string(),
        n => format!("{n} minutes"),
    }
}

/// What happened to a session the server no longer has, as truly as the server knows it, and
/// never as the person's fault.
fn ended_text(config: &super::Config, gone: Gone) -> String {
    let idle = minutes(config.idle);
    let grace = minutes(config.grace);
    let kept = "Nothing was kept, and nothing was written down. You can start again.";
    match gone {
        Gone::Restarted => format!(
            "This service restarted since your last page. It keeps answers only in its memory, so the answers given before it restarted are gone. {kept}"
        ),
        Gone::Store(Ended::MadeRoom) => format!(
            "This service was very busy, and your answers were removed to make room for other people: when it is full, the answers that have gone unused for longest are removed first. {kept}"
        ),
        Gone::Store(Ended::Idle) => format!(
            "Your answers were deleted because this site was not used for {idle}, to keep them private. {kept}"
        ),
        Gone::Store(Ended::Finished) => format!(
            "Your answers were deleted {grace} after your next steps were shown, to keep them private. {kept}"
        ),
        Gone::Unknown => format!(
            "This service no longer has your answers. Answers are deleted when Exit this page or Start again is pressed, after {idle} without use, {grace} after the next steps are shown, when the service is very busy, and when it restarts. {kept}"
        ),
    }
}

/// A whole page as HTML.
fn page(
    app: &App,
    template: &str,
    title: &str,
    ctx: minijinja::Value,
    error: bool,
    notice: Option<&[String]>,
) -> Result<axum::response::Html<String>, Fail> {
    let html = app
        .templates
        .content(template, ctx)
        .map_err(|_| Fail::Broken)?;
    let rendered = Rendered {
        title: title.to_string(),
        html,
    };
    app.templates
        .page(rendered, &app.service, error, notice)
        .map(axum::response::Html)
        .map_err(|_| Fail::Broken)
}

fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

fn set_cookie(res: &mut Response, value: &str) {
    if let Ok(v) = header::HeaderValue::from_str(value) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// The visit named by the request's cookie.
fn visit(app: &App, headers: &HeaderMap) -> Result<(String, Arc<Mutex<Visit>>), Fail> {
    let id = match security::read_cookie(headers, &app.instance) {
        Cookie::Ours(id) => id,
        Cookie::None => return Err(Fail::NoSession),
        Cookie::Earlier => return Err(Fail::Ended(Gone::Restarted)),
        Cookie::Garbled => return Err(Fail::Ended(Gone::Unknown)),
    };
    match app.store.find(&id) {
        Found::Live(v) => {
            carry_over(app, &v);
            Ok((id, v))
        }
        Found::Gone(Some(why)) => Err(Fail::Ended(Gone::Store(why))),
        Found::Gone(None) => Err(Fail::Ended(Gone::Unknown)),
    }
}

/// A submitted form and its visit, with the CSRF token checked.
fn posted(
    app: &App,
    headers: &HeaderMap,
    body: Body,
) -> Result<(String, Arc<Mutex<Visit>>, Form), Fail> {
    let bytes = body.map_err(|rej| {
        if rej.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Fail::TooBig
        } else {
            Fail::BadForm
        }
    })?;
    let (id, v) = visit(app, headers)?;
    let form = Form::parse(&bytes).map_err(|e| match e {
        Unreadable::TooBig => Fail::TooBig,
        Unreadable::Garbled => Fail::BadForm,
    })?;
    let sent = form.one("csrf").unwrap_or_default();
    if !security::same_token(sent, &lock(&v).csrf) {
        return Err(Fail::Forged);
    }
    Ok((id, v, form))
}

async fn start_page(Here(app): Shared, headers: HeaderMap) -> Response {
    respond(&app, || {
        let carrying_on = match security::read_cookie(&headers, &app.instance) {
            Cookie::Ours(id) => app.store.get(&id).is_some(),
            _ => false,
        };
        let ctx = context! { title => &app.title, carrying_on => carrying_on };
        Ok(page(&app, "start.html", &app.title, ctx, false, None)?.into_response())
    })
}

/// The start page's button: starts a session (a POST, so that no link, prefetch or crawler
/// makes one), or carries on the live one the cookie names.
async fn start(Here(app): Shared, headers: HeaderMap) -> Response {
    respond(&app, || {
        if let Ok((_, _)) = visit(&app, &headers) {
            return Ok(see_other("/question"));
        }
        // Another site's page must not be able to start (and fill the store with) sessions.
        if security::cross_site(&headers) {
            return Err(Fail::CrossSite);
        }
        let session = Session::new(app.lib, &app.root, app.today()).map_err(|_| Fail::Broken)?;
        let visit = Visit {
            session,
            csrf: security::random_id().map_err(|_| Fail::Broken)?,
            baseline: None,
            note: None,
            version: app.version,
            notice: Default::default(),
        };
        let id = app.store.insert(visit).map_err(|_| Fail::Broken)?;
        let mut res = see_other("/question");
        set_cookie(
            &mut res,
            &security::set_cookie(&app.instance, &id, app.config.secure_cookies),
        );
        Ok(res)
    })
}

async fn question(Here(app): Shared, headers: HeaderMap) -> Response {
    respond(&app, || {
        let (_, v) = visit(&app, &headers)?;
        let v = lock(&v);
        match v.session.position() {
            Position::Finished => Ok(see_other("/check")),
            Position::Blocked { message, .. } => {
                let ctx = context! {
                    heading => "We cannot go on from here",
                    paras => [message],
                    back_post => true,
                    csrf => &v.csrf,
                };
                Ok(page(
                    &app,
                    "message.html",
                    "We cannot go on from here",
                    ctx,
                    false,
                    v.notice.take().as_deref(),
                )?
                .into_response())
            }
            Position::Asking(_) => {
                let p = Page::current(&v.session, &app.glossary).ok_or(Fail::Broken)?;
                let first = screens_done(&v.session) == 0;
                let back = if first { Back::Link("/") } else { Back::Post };
                question_page(&app, &v, &p, Ask::Now, back, None, None)
            }
        }
    })
}

/// Where a question's form goes.
#[derive(Clone, Copy)]
enum Ask {
    /// The question being asked now: `POST /answer`.
    Now,
    /// An earlier question, from check your answers: `POST /change`.
    Change,
}

/// Where the Back link goes.
#[derive(Clone, Copy)]
enum Back {
    /// The session's `back` (a form, since it changes the session).
    Post,
    Link(&'static str),
}

/// A question page, with an error beside the field if the last answer was not accepted.
fn question_page(
    app: &App,
    v: &Visit,
    p: &Page,
    ask: Ask,
    back: Back,
    sent: Option<&Form>,
    error: Option<String>,
) -> Outcome {
    let error = error.map(|message| {
        context! { field => form::error_field(p), message => message }
    });
    let has_error = error.is_some();
    let (back_post, back_link) = match back {
        Back::Post => (true, ""),
        Back::Link(to) => (false, to),
    };
    let ctx = context! {
        page => form::view(p, sent),
        error => error,
        csrf => &v.csrf,
        action => match ask { Ask::Now => "/answer", Ask::Change => "/change" },
        back_post => back_post,
        back_link => back_link,
    };
    let notice = v.notice.take();
    let html = page(
        app,
        "question.html",
        p.heading,
        ctx,
        has_error,
        notice.as_deref(),
    )?;
    let status = if has_error {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, html).into_response())
}

async fn answer(Here(app): Shared, headers: HeaderMap, body: Body) -> Response {
    respond(&app, || {
        let (id, v, form) = posted(&app, &headers, body)?;
        let mut v = lock(&v);
        let Some(p) = Page::current(&v.session, &app.glossary) else {
            return Ok(see_other("/question"));
        };
        // A second press of Continue, or a form from an earlier page: nothing to do.
        if form.one("key") != Some(p.key.to_string().as_str()) {
            return Ok(see_other("/question"));
        }
        let back = if screens_done(&v.session) == 0 {
            Back::Link("/")
        } else {
            Back::Post
        };
        let reply = match form::reply(&p, &form).map_err(|_| Fail::NotAnOption)? {
            Ok(r) => r,
            Err(msg) => return question_page(&app, &v, &p, Ask::Now, back, Some(&form), Some(msg)),
        };
        match p.answer(&mut v.session, &reply) {
            Ok(()) => {
                v.note = None;
                app.store.answered(&id);
                app.store.not_finishing(&id);
                Ok(see_other("/question"))
            }
            Err(e) => question_page(&app, &v, &p, Ask::Now, back, Some(&form), Some(e.message)),
        }
    })
}

async fn back(Here(app): Shared, headers: HeaderMap, body: Body) -> Response {
    respond(&app, || {
        let (id, v, _) = posted(&app, &headers, body)?;
        let mut v = lock(&v);
        v.note = None;
        app.store.not_finishing(&id);
        Ok(see_other(if v.session.back() { "/question" } else { "/" }))
    })
}

#[derive(Serialize)]
struct Row {
    question: String,
    answer: String,
    href: String,
}

async fn check(Here(app): Shared, headers: HeaderMap) -> Response {
    respond(&app, || {
        let (_, v) = visit(&app, &headers)?;
        let mut v = lock(&v);
        if !v.session.is_finished() {
            return Ok(see_other("/question"));
        }
        if let Some(before) = v.baseline.take() {
            let after = Snapshot::of(&v.session);
            v.note = Some(Changes::between(&before, &after).sentences());
        }
        let rows: Vec<Row> = check_rows(&v.session)
            .into_iter()
            .map(|r| Row {
                href: format!("/change?key={}", query_escape(&r.key.to_string())),
                question: r.question,
                answer: r.answer,
            })
            .collect();
        let note = app
            .templates
            .change_note(&v.note)
            .map_err(|_| Fail::Broken)?;
        let ctx = context! { rows => rows, note => note, csrf => &v.csrf };
        let notice = v.notice.take();
        Ok(page(
            &app,
            "check.html",
            "Check your answers",
            ctx,
            false,
            notice.as_deref(),
        )?
        .into_response())
    })
}

/// Percent-encodes everything but letters, digits and `-._~`.
fn query_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The answered question a change names (only questions on the person's path can change).
fn changeable(session: &Session, key: Option<&str>) -> Result<NodeKey, Fail> {
    let key = key.and_then(NodeKey::parse).ok_or(Fail::NotFound)?;
    check_rows(session)
        .into_iter()
        .find(|r| r.key == key)
        .map(|r| r.key)
        .ok_or(Fail::NotFound)
}

async fn change_form(Here(app): Shared, headers: HeaderMap, uri: Uri) -> Response {
    respond(&app, || {
        let (_, v) = visit(&app, &headers)?;
        let v = lock(&v);
        let query: Vec<(String, String)> =
            serde_urlencoded::from_str(uri.query().unwrap_or_default())
                .map_err(|_| Fail::NotFound)?;
        let wanted = query
            .iter()
            .find(|(k, _)| k == "key")
            .map(|(_, v)| v.as_str());
        let key = changeable(&v.session, wanted)?;
        let p = Page::for_key(&v.session, &key, &app.glossary).ok_or(Fail::NotFound)?;
        question_page(&app, &v, &p, Ask::Change, Back::Link("/check"), None, None)
    })
}

async fn change(Here(app): Shared, headers: HeaderMap, body: Body) -> Response {
    respond(&app, || {
        let (id, v, form) = posted(&app, &headers, body)?;
        let mut v = lock(&v);
        let key = changeable(&v.session, form.one("key"))?;
        let p = Page::for_key(&v.session, &key, &app.glossary).ok_or(Fail::NotFound)?;
        let again = |v: &Visit, msg: String| {
            question_page(
                &app,
                v,
                &p,
                Ask::Change,
                Back::Link("/check"),
                Some(&form),
                Some(msg),
            )
        };
        let reply = match form::reply(&p, &form).map_err(|_| Fail::NotAnOption)? {
            Ok(reply) => reply,
            Err(msg) => return again(&v, msg),
        };
        let before = Snapshot::of(&v.session);
        match p.change(&mut v.session, &reply) {
            Ok(_) => {
                // Against the advice before the first of several changes in a row.
                v.baseline.get_or_insert(before);
                v.note = None;
                app.store.not_finishing(&id);
                Ok(see_other("/question"))
            }
            Err(e) => again(&v, e.message),
        }
    })
}

/// One item of the summary as the template shows it: an answer, where you are now, a step.
#[derive(Serialize)]
struct Item {
    title: String,
    /// What the top part shows (the whole text for an item under "More that may help").
    lead: String,
    /// The rest of the text, folded under the item.
    rest: String,
    due: Option<summary::Due>,
    /// "by Monday 19 May 2025", or "now (the date was ...)".
    when: Option<String>,
    because: Option<String>,
    /// The names of the organisations (their numbers are under "Who can help", once).
    contacts: String,
    letter: Option<summary::FilledLetter>,
    sources: Vec<(usize, String)>,
}

fn item(s: &summary::Summary, st: &summary::Step, top: bool) -> Item {
    let quoted = s.asked.iter().any(|a| a.id == st.id);
    let (lead, rest) = if top {
        (st.lead.clone(), st.rest().to_string())
    } else {
        (st.body.clone(), String::new())
    };
    Item {
        title: if quoted {
            format!("\u{201c}{}\u{201d}", st.title)
        } else {
            st.title.clone()
        },
        lead,
        rest,
        due: st.due.clone(),
        when: st.due.as_ref().map(summary::when),
        because: s.because_of(st),
        contacts: s.contact_names(&st.contacts),
        letter: st
            .letter
            .as_ref()
            .and_then(|id| s.letters.iter().find(|l| &l.id == id))
            .cloned(),
        sources: st
            .sources
            .iter()
            .filter_map(|id| {
                let n = s.source_number(id)?;
                Some((n, s.sources[n - 1].title.clone()))
            })
            .collect(),
    }
}

/// The summary's parts as the template shows them, in the order of the reply.
fn parts(s: &summary::Summary) -> minijinja::Value {
    let top = |items: Vec<&summary::Step>| -> Vec<Item> {
        items.into_iter().map(|st| item(s, st, true)).collect()
    };
    let contacts = |list: Vec<&summary::ContactEntry>| -> Vec<minijinja::Value> {
        list.into_iter()
            .map(|c| minijinja::Value::from_serialize(&c.contact))
            .collect()
    };
    context! {
        asked => top(s.top_asked().collect()),
        where_now => top(s.top_where().into_iter().collect()),
        next_date => s.next_date.clone(),
        first => top(s.first_steps().collect()),
        helpers => contacts(s.helpers().collect()),
        more => s.more_items().map(|st| item(s, st, false)).collect::<Vec<_>>(),
        others => contacts(s.other_contacts().collect()),
    }
}

async fn summary_page(Here(app): Shared, headers: HeaderMap) -> Response {
    respond(&app, || {
        let (id, v) = visit(&app, &headers)?;
        let v = lock(&v);
        if !v.session.is_finished() {
            return Ok(see_other("/question"));
        }
        app.store.finishing(&id);
        let s = summary::build(&v.session);
        let note = app
            .templates
            .change_note(&v.note)
            .map_err(|_| Fail::Broken)?;
        let ctx = context! {
            parts => parts(&s),
            s => minijinja::Value::from_serialize(&s),
            note => note,
            csrf => &v.csrf,
        };
        let notice = v.notice.take();
        Ok(page(
            &app,
            "summary.html",
            "Your next steps",
            ctx,
            false,
            notice.as_deref(),
        )?
        .into_response())
    })
}

/// The summary as a file to keep.
fn download(app: &App, headers: &HeaderMap, markdown: bool) -> Outcome {
    let (_, v) = visit(app, headers)?;
    let v = lock(&v);
    if !v.session.is_finished() {
        return Ok(see_other("/question"));
    }
    let s = summary::build(&v.session);
    let (body, kind, name) = if markdown {
        (
            render::markdown(&s),
            "text/markdown; charset=utf-8",
            "next-steps.md",
        )
    } else {
        (
            render::text(&s),
            "text/plain; charset=utf-8",
            "next-steps.txt",
        )
    };
    let disposition = format!("attachment; filename=\"{name}\"");
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

async fn download_text(Here(app): Shared, headers: HeaderMap) -> Response {
    respond(&app, || download(&app, &headers, false))
}

async fn download_markdown(Here(app): Shared, headers: HeaderMap) -> Response {
    respond(&app, || download(&app, &headers, true))
}

async fn restart(Here(app): Shared, headers: HeaderMap, body: Body) -> Response {
    respond(&app, || {
        let (id, _, _) = posted(&app, &headers, body)?;
        app.store.remove(&id);
        let mut res = see_other("/");
        set_cookie(&mut res, &security::clear_cookie(app.config.secure_cookies));
        Ok(res)
    })
}

/// Exit this page: ends the session at once and leaves for a neutral site. It needs no token:
/// it can only take answers away, never show or change them, and it must never stop someone
/// leaving.
async fn exit(Last(app): Last, headers: HeaderMap) -> Response {
    respond(&app, || {
        if let Cookie::Ours(id) = security::read_cookie(&headers, &app.instance) {
            app.store.remove(&id);
        }
        let mut res = see_other(&app.lib.pack().exit.url);
        set_cookie(&mut res, &security::clear_cookie(app.config.secure_cookies));
        res.headers_mut().insert(
            header::HeaderName::from_static("clear-site-data"),
            header::HeaderValue::from_static("\"cache\", \"cookies\""),
        );
        Ok(res)
    })
}

async fn not_found(Here(app): Shared) -> Response {
    fail_page(&app, Fail::NotFound)
}

async fn not_allowed(Here(app): Shared) -> Response {
    fail_page(&app, Fail::NotAllowed)
}
