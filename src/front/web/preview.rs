//! The version of the trees each request is answered with. `signpost serve` has one version for
//! its whole run. With `--watch` (an author previewing a pack on their own computer) each
//! request first looks whether a file of the pack has changed (`io::watch`, as `run --watch`
//! does); if so the pack is compiled again and, when it compiles, the new version replaces the
//! old one at once for every later request. A person's session moves to the new version the
//! next time they use it, with the answers that still apply (`Session::restore`, as the wizard
//! does), and is told what was dropped. While the pack does not compile, every page is a list of
//! its errors; the last good version and everyone's answers wait until it is fixed.

use std::sync::{Arc, Mutex, RwLock};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::Serialize;

use super::sessions::{lock, Visit};
use super::templates::Rendered;
use super::{App, Config};
use crate::core::changes::{Changes, Snapshot};
use crate::core::session::Session;
use crate::io::watch::{Problem, Watched};

/// What the router serves: the current version of the trees, and the pack being watched.
pub(super) struct Site {
    current: RwLock<Arc<App>>,
    watch: Option<Mutex<Watching>>,
}

/// The pack being watched, and why its files as they are now cannot be used, if they cannot.
struct Watching {
    watched: Watched,
    broken: Option<Problem>,
}

impl Site {
    /// One version for the whole run.
    pub(super) fn fixed(app: App) -> Site {
        Site {
            current: RwLock::new(Arc::new(app)),
            watch: None,
        }
    }

    /// The pack at `path`, read again when its files change. The first version must compile.
    pub(super) fn watching(path: &std::path::Path, config: Config) -> Result<Site, String> {
        let mut watched = Watched::new(path);
        let first = watched.load().map_err(|p| match p {
            Problem::Load(message) => message,
            Problem::Check(errors) => errors
                .iter()
                .map(|d| {
                    format!(
                        "{}:{}:{} {} {}",
                        d.file, d.line, d.column, d.code, d.message
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
        })?;
        let app = App::new(first.lib, &first.root, config)?;
        Ok(Site {
            current: RwLock::new(Arc::new(app)),
            watch: Some(Mutex::new(Watching {
                watched,
                broken: None,
            })),
        })
    }

    pub(super) fn is_watching(&self) -> bool {
        self.watch.is_some()
    }

    /// The last version that compiled, without looking at the files (Exit this page must
    /// always work).
    pub(super) fn last(&self) -> Arc<App> {
        Arc::clone(&self.current.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// The version to answer a request with: with `--watch`, the pack is read again first if a
    /// file changed. Err while the files as they are now do not compile.
    fn now(&self) -> Result<Arc<App>, (Arc<App>, Problem)> {
        let Some(watch) = &self.watch else {
            return Ok(self.last());
        };
        // One request at a time looks and reloads; the others wait for its answer.
        let mut w = lock(watch);
        if w.watched.changed() {
            w.broken = match w.watched.load() {
                Ok(v) => match self.last().next(v.lib, &v.root) {
                    Ok(app) => {
                        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(app);
                        None
                    }
                    Err(e) => Some(Problem::Load(e)),
                },
                Err(problem) => Some(problem),
            };
        }
        match &w.broken {
            None => Ok(self.last()),
            Some(problem) => Err((self.last(), problem.clone())),
        }
    }
}

/// The current version of the trees, for a handler; while a watched pack has errors, the
/// request is answered with the list of them instead.
pub(super) struct Here(pub Arc<App>);

impl FromRequestParts<Arc<Site>> for Here {
    type Rejection = Response;

    async fn from_request_parts(_: &mut Parts, site: &Arc<Site>) -> Result<Here, Response> {
        site.now()
            .map(Here)
            .map_err(|(app, problem)| errors_page(&app, &problem))
    }
}

/// The last good version, for Exit this page, which works even while the pack has errors.
pub(super) struct Last(pub Arc<App>);

impl FromRequestParts<Arc<Site>> for Last {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        _: &mut Parts,
        site: &Arc<Site>,
    ) -> Result<Last, std::convert::Infallible> {
        Ok(Last(site.last()))
    }
}

/// One error as the page lists it.
#[derive(Serialize)]
struct Shown {
    at: String,
    code: &'static str,
    message: String,
    help: Option<String>,
}

/// "This preview has errors", with each at its file:line:column (503: the service is there,
/// but cannot serve this version).
fn errors_page(app: &App, problem: &Problem) -> Response {
    let errors: Vec<Shown> = match problem {
        Problem::Load(message) => vec![Shown {
            at: String::new(),
            code: "",
            message: message.clone(),
            help: None,
        }],
        Problem::Check(errors) => errors
            .iter()
            .map(|d| Shown {
                at: format!("{}:{}:{}", d.file, d.line, d.column),
                code: d.code,
                message: d.message.clone(),
                help: d.help.clone(),
            })
            .collect(),
    };
    let title = "This preview has errors";
    let html = app
        .templates
        .content("preview_errors.html", context! { errors => errors })
        .and_then(|html| {
            let page = Rendered {
                title: title.to_string(),
                html,
            };
            app.templates.page(page, &app.service, true, None)
        })
        // The templates are built in and tested; this is the last resort, with no markup.
        .unwrap_or_else(|_| format!("{title}: {}", problem.line()).replace('<', "&lt;"));
    (StatusCode::SERVICE_UNAVAILABLE, axum::response::Html(html)).into_response()
}

/// Moves a visit made over an earlier version of the trees to this one: a new session over
/// this version given the old one's answers (those that no longer fit are dropped), and a
/// notice for the next page that says what changed.
pub(super) fn carry_over(app: &App, visit: &Mutex<Visit>) {
    let mut v = lock(visit);
    if v.version == app.version {
        return;
    }
    let Ok(mut session) = Session::new(app.lib, &app.root, v.session.today()) else {
        // `App::next` started a session over this version, so this does not happen; the old
        // session is kept rather than the answers lost.
        return;
    };
    let before = Snapshot::of(&v.session);
    session.restore(v.session.canonical_answers());
    let changes = Changes::between(&before, &Snapshot::of(&session));
    let mut notice = vec!["The pack's files changed, so this preview was reloaded.".to_string()];
    if changes.is_empty() {
        notice.push("Your answers still apply and your next steps did not change.".to_string());
    } else {
        if changes.dropped.is_empty() {
            notice.push("Your answers still apply.".to_string());
        }
        notice.extend(changes.sentences());
    }
    v.session = session;
    v.version = app.version;
    v.baseline = None;
    v.note = None;
    v.notice = std::cell::Cell::new(Some(notice));
}
