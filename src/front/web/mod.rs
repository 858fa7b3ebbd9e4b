//! The web front end: `signpost serve`. Server-rendered pages over the same core page, session
//! and summary as the other front ends, with no JavaScript. Answers live only in this process's
//! memory (see `sessions`); every page carries the headers in `security`.
//!
//! - `routes`: the URLs and what each does;
//! - `form`: reading a submitted form into a reply, and a page into what its template shows;
//! - `sessions`: the store of visits, with their ends (exit, finish, idle) and a cap;
//! - `security`: ids, the cookie, the CSRF check, the headers;
//! - `templates`: the minijinja environment (HTML escaping on) and the page templates;
//! - `assets`: the stylesheet;
//! - `conn`: a connection that gives hyper's own error answers the security headers;
//! - `preview`: the version of the trees each request is answered with, and with `--watch`
//!   reloading them when their files change (answers carried over, errors shown as a page).

mod assets;
mod conn;
mod form;
mod preview;
mod routes;
mod security;
mod sessions;
mod templates;

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use jiff::civil::Date;

use crate::core::compile::Library;
use crate::core::glossary::Glossary;
use crate::core::session::Session;

/// How the server behaves. `Config::default()` is what `signpost serve` uses.
#[derive(Debug, Clone)]
pub struct Config {
    /// Answer as if today were this date (tests and reproducing a case); otherwise the server's
    /// date when each session starts.
    pub today: Option<Date>,
    /// Mark the cookie `Secure` (serve behind HTTPS).
    pub secure_cookies: bool,
    /// Most live sessions that have answered something; when full, one that has just answered
    /// pushes out the answered session unused for longest.
    pub max_sessions: usize,
    /// Most live sessions that have answered nothing yet (started, no answer taken); when full,
    /// a new one pushes out the one of these unused for longest, never a session with answers.
    pub max_new_sessions: usize,
    /// A session ends after this long without a request.
    pub idle: Duration,
    /// A session ends this long after its summary is first shown.
    pub grace: Duration,
    /// Largest request body, in bytes.
    pub body_limit: usize,
    /// Time a client has to send a request's headers, from the moment the server waits for
    /// them; on a kept-alive connection that is also how long it may sit idle between requests
    /// (hyper's `header_read_timeout`).
    pub header_timeout: Duration,
    /// Longest wait for each piece of a request's body (tower-http's `RequestBodyTimeoutLayer`).
    pub body_timeout: Duration,
    /// Longest time for a whole request once its headers are in, body included: a 408 after
    /// it (tower-http's `TimeoutLayer`).
    pub request_timeout: Duration,
    /// Most connections open at once; more wait to be accepted until one closes.
    pub max_connections: usize,
    /// Most requests being handled at once (tower's `ConcurrencyLimit`); more wait their turn.
    pub max_requests: usize,
    /// After Ctrl+C or SIGTERM, how long requests in progress have to finish before every
    /// connection is closed.
    pub shutdown_grace: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            today: None,
            secure_cookies: false,
            max_sessions: 10_000,
            max_new_sessions: 1_000,
            idle: Duration::from_secs(30 * 60),
            grace: Duration::from_secs(10 * 60),
            body_limit: 16 * 1024,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_connections: 1_024,
            max_requests: 256,
            shutdown_grace: Duration::from_secs(3),
        }
    }
}

/// Where "Exit this page" goes when the pack names no site of its own.
pub const EXIT_TO: &str = crate::core::pack::NEUTRAL_EXIT_URL;

/// Everything the handlers share: one version of the trees, with the words and lookups built
/// from it, and the store of sessions (shared by every version).
struct App {
    lib: &'static Library,
    root: String,
    /// The root tree's title: the start page's heading.
    title: String,
    /// The service's name on every page: the pack's, or the root tree's title when the folder
    /// has no pack.json.
    service: String,
    glossary: Glossary<'static>,
    templates: templates::Templates,
    store: Arc<sessions::Store>,
    config: Config,
    /// A random id for this run of the server, in every session cookie it gives: a cookie from
    /// another run tells that the server has restarted since.
    instance: String,
    /// Which version of the trees this is: 0, then one more for each reload (`--watch`). A
    /// session made over another version is carried over to this one when it is next used.
    version: u64,
}

// Sessions live in a store shared by the server's threads.
const _: () = {
    const fn shared<T: Send + Sync>() {}
    shared::<Session<'static>>();
    shared::<App>();
};

impl App {
    fn new(lib: &'static Library, root: &str, config: Config) -> Result<App, String> {
        let limits = sessions::Limits {
            idle: config.idle,
            grace: config.grace,
            max: config.max_sessions.max(1),
            max_new: config.max_new_sessions.max(1),
        };
        let store = Arc::new(sessions::Store::new(limits));
        App::build(lib, root, config, store, security::random_id()?, 0)
    }

    /// The next version of the trees, with the same sessions, cookie and settings.
    fn next(&self, lib: &'static Library, root: &str) -> Result<App, String> {
        App::build(
            lib,
            root,
            self.config.clone(),
            Arc::clone(&self.store),
            self.instance.clone(),
            self.version + 1,
        )
    }

    fn build(
        lib: &'static Library,
        root: &str,
        config: Config,
        store: Arc<sessions::Store>,
        instance: String,
        version: u64,
    ) -> Result<App, String> {
        // Starting a session now reports a tree that cannot be run before anyone visits.
        Session::new(
            lib,
            root,
            config.today.unwrap_or(Date::constant(2025, 1, 1)),
        )
        .map_err(String::from)?;
        let title = lib
            .flow(root)
            .map(|f| f.tree().title.clone())
            .unwrap_or_else(|| "Signpost".to_string());
        let service = match lib.pack().id {
            Some(_) => lib.pack().service.clone(),
            None => title.clone(),
        };
        Ok(App {
            lib,
            root: root.to_string(),
            title,
            service,
            glossary: Glossary::of(lib),
            templates: templates::Templates::new(lib.pack())?,
            store,
            config,
            instance,
            version,
        })
    }

    /// Today, for a new session: the configured date, or the server's.
    fn today(&self) -> Date {
        self.config
            .today
            .unwrap_or_else(|| jiff::Zoned::now().date())
    }
}

/// The whole site as a router (tests drive it without a network).
pub fn router(lib: &'static Library, root: &str, config: Config) -> Result<axum::Router, String> {
    let site = preview::Site::fixed(App::new(lib, root, config)?);
    Ok(routes::router(Arc::new(site)))
}

/// The site over the pack at `path` (a folder with pack.json, a folder of trees, or one tree),
/// read again whenever one of its files changes (`signpost serve PATH --watch`): what
/// `serve_watch` serves, for tests. Fails when the first version does not compile.
pub fn watch_router(path: &Path, config: Config) -> Result<axum::Router, String> {
    Ok(routes::router(Arc::new(preview::Site::watching(
        path, config,
    )?)))
}

/// Serves the site until Ctrl+C or SIGTERM.
pub fn serve(lib: &'static Library, root: &str, addr: SocketAddr, config: Config) -> ExitCode {
    let site = App::new(lib, root, config).map(preview::Site::fixed);
    serve_site(site, addr)
}

/// `signpost serve PATH --watch`: serves the pack at `path` for its author to preview,
/// reloading it when a file changes (see `watch_router`).
pub fn serve_watch(path: &Path, addr: SocketAddr, config: Config) -> ExitCode {
    if !addr.ip().is_loopback() {
        eprintln!("signpost: warning: --watch is for previewing a pack on this computer, but {addr} can be reached from other computers");
    }
    serve_site(preview::Site::watching(path, config), addr)
}

fn serve_site(site: Result<preview::Site, String>, addr: SocketAddr) -> ExitCode {
    let site = match site {
        Ok(site) => Arc::new(site),
        Err(e) => {
            eprintln!("signpost: {e}");
            return ExitCode::from(1);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("signpost: cannot start the server: {e}");
            return ExitCode::from(1);
        }
    };
    let code = runtime.block_on(run(site, addr));
    // Connections still open after the grace time are dropped here, without waiting for them.
    runtime.shutdown_timeout(Duration::from_millis(500));
    code
}

async fn run(site: Arc<preview::Site>, addr: SocketAddr) -> ExitCode {
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("signpost: cannot listen on {addr}: {e}");
            return ExitCode::from(1);
        }
    };
    let shown = listener.local_addr().unwrap_or(addr);
    // Nothing a person answers is logged: this line and errors starting up are all it prints.
    eprintln!("Signpost is at http://{shown}/ (press Ctrl+C to stop)");
    if site.is_watching() {
        eprintln!("It reloads the pack when its files change. It is for previewing a pack on this computer: to put a service on the internet, serve it without --watch.");
    }
    accept(site, listener, stop_signal()).await;
    ExitCode::SUCCESS
}

/// Serves the site on `listener` until `stop` completes, then stops as `signpost serve` does on
/// Ctrl+C: no new connection is accepted, requests in progress have `shutdown_grace` to finish,
/// and the future ends (connections still open are closed when their tasks' runtime stops).
pub async fn serve_on(
    lib: &'static Library,
    root: &str,
    listener: tokio::net::TcpListener,
    config: Config,
    stop: impl std::future::Future<Output = ()>,
) -> Result<(), String> {
    let site = Arc::new(preview::Site::fixed(App::new(lib, root, config)?));
    accept(site, listener, stop).await;
    Ok(())
}

/// Ctrl+C, or SIGTERM (what a service manager or a container runtime sends).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// The accept loop: hyper's HTTP/1 connections with a header-read timeout, at most
/// `max_connections` at once, each watched for a graceful shutdown.
async fn accept(
    site: Arc<preview::Site>,
    listener: tokio::net::TcpListener,
    stop: impl std::future::Future<Output = ()>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::server::graceful::GracefulShutdown;
    use hyper_util::service::TowerToHyperService;

    let (config, store) = {
        let app = site.last();
        (app.config.clone(), Arc::clone(&app.store))
    };
    let sweeper = tokio::spawn(sweep(store));
    // One limit shared by every connection (clones of a `ConcurrencyLimit` share its permits).
    let service = tower::ServiceBuilder::new()
        .concurrency_limit(config.max_requests.max(1))
        .service(routes::router(site));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(config.header_timeout);
    let open = Arc::new(tokio::sync::Semaphore::new(config.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    tokio::pin!(stop);
    loop {
        // A connection is accepted only with a free place; the others wait in the backlog.
        let place = tokio::select! {
            place = Arc::clone(&open).acquire_owned() => match place {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut stop => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Out of file handles, or a connection reset before it was accepted: wait
                    // a moment rather than spin.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        let conn = http.serve_connection(
            conn::Headed::new(TokioIo::new(stream)),
            TowerToHyperService::new(service.clone()),
        );
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // A client that goes away or breaks the protocol only ends its own connection.
            let _ = conn.await;
            drop(place);
        });
    }
    drop(listener);
    sweeper.abort();
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(config.shutdown_grace) => {}
    }
}

/// Forgets ended sessions every half minute, so answers do not wait in memory for a visit.
async fn sweep(store: Arc<sessions::Store>) {
    let mut every = tokio::time::interval(Duration::from_secs(30));
    loop {
        every.tick().await;
        store.sweep();
    }
}
