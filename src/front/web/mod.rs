//! The web front end: `signpost serve`. Server-rendered pages over the same core page, session
//! and summary as the other front ends, with no JavaScript. Answers live only in this process's
//! memory (see `sessions`); every page carries the headers in `security`.
//!
//! - `routes`: the URLs and what each does;
//! - `form`: reading a submitted form into a reply, and a page into what its template shows;
//! - `sessions`: the store of visits, with their ends (exit, finish, idle) and a cap;
//! - `security`: ids, the cookie, the CSRF check, the headers;
//! - `templates`: the minijinja environment (HTML escaping on) and the page templates;
//! - `assets`: the stylesheet.

mod assets;
mod form;
mod routes;
mod security;
mod sessions;
mod templates;

use std::net::SocketAddr;
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
    /// Most live sessions; a new one pushes out the session unused for longest.
    pub max_sessions: usize,
    /// A session ends after this long without a request.
    pub idle: Duration,
    /// A session ends this long after its summary is first shown.
    pub grace: Duration,
    /// Largest request body, in bytes.
    pub body_limit: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            today: None,
            secure_cookies: false,
            max_sessions: 10_000,
            idle: Duration::from_secs(30 * 60),
            grace: Duration::from_secs(10 * 60),
            body_limit: 16 * 1024,
        }
    }
}

/// Where a neutral site is: "Exit this page" goes there.
pub const EXIT_TO: &str = "https://www.bbc.co.uk/weather";

/// Everything the handlers share.
struct App {
    lib: &'static Library,
    root: String,
    /// The root tree's title: the service's name on every page.
    title: String,
    glossary: Glossary<'static>,
    templates: templates::Templates,
    store: sessions::Store,
    config: Config,
}

// Sessions live in a store shared by the server's threads.
const _: () = {
    const fn shared<T: Send + Sync>() {}
    shared::<Session<'static>>();
    shared::<App>();
};

impl App {
    fn new(lib: &'static Library, root: &str, config: Config) -> Result<App, String> {
        // Starting a session now reports a tree that cannot be run before anyone visits.
        Session::new(
            lib,
            root,
            config.today.unwrap_or(Date::constant(2025, 1, 1)),
        )
        .map_err(String::from)?;
        let title = lib
            .flow(root)
            .map(|f| f.tree.title.clone())
            .unwrap_or_else(|| "Signpost".to_string());
        let limits = sessions::Limits {
            idle: config.idle,
            grace: config.grace,
            max: config.max_sessions.max(1),
        };
        Ok(App {
            lib,
            root: root.to_string(),
            title,
            glossary: Glossary::of(lib),
            templates: templates::Templates::new()?,
            store: sessions::Store::new(limits),
            config,
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
    Ok(routes::router(Arc::new(App::new(lib, root, config)?)))
}

/// Serves the site until Ctrl+C.
pub fn serve(lib: &'static Library, root: &str, addr: SocketAddr, config: Config) -> ExitCode {
    let app = match App::new(lib, root, config) {
        Ok(app) => Arc::new(app),
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
    runtime.block_on(run(app, addr))
}

async fn run(app: Arc<App>, addr: SocketAddr) -> ExitCode {
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
    let sweeper = tokio::spawn(sweep(Arc::clone(&app)));
    let served = axum::serve(listener, routes::router(app))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
    sweeper.abort();
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("signpost: the server stopped: {e}");
            ExitCode::from(1)
        }
    }
}

/// Forgets ended sessions every half minute, so answers do not wait in memory for a visit.
async fn sweep(app: Arc<App>) {
    let mut every = tokio::time::interval(Duration::from_secs(30));
    loop {
        every.tick().await;
        app.store.sweep();
    }
}
