//! What keeps a visit private and safe: random ids, the session cookie, the CSRF check and the
//! headers every response carries.

use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::response::Response;

/// The cookie that names a person's session. It holds a random id and nothing else.
pub const COOKIE: &str = "signpost";

/// Every page: no script at all, styles only from this site, forms only to this site (and to the
/// neutral site "Exit this page" leaves for: browsers check `form-action` on every redirect of a
/// form's submission, so without it the exit form's redirect is blocked and the page, answers
/// and all, stays on screen), and never inside a frame.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' https://www.bbc.co.uk; frame-ancestors 'none'; base-uri 'none'";

/// The CSP with the exit site's origin as the form action besides this site: "Exit this page"
/// posts here and is redirected there.
pub fn csp(exit_url: &str) -> String {
    let origin = origin_of(exit_url);
    CSP.replace("https://www.bbc.co.uk", &origin)
}

/// "https://host/path" -> "https://host" (only characters a header value can hold).
fn origin_of(url: &str) -> String {
    url.splitn(4, '/')
        .take(3)
        .collect::<Vec<_>>()
        .join("/")
        .chars()
        .filter(|c| c.is_ascii_graphic() && *c != ';' && *c != '\'')
        .collect()
}

/// A new random id, 128 bits as 32 hex digits (session ids and CSRF tokens).
pub fn random_id() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| format!("no random numbers: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// True when two tokens are equal, taking the same time wherever they differ (so a guess learns
/// nothing from how long the answer took).
pub fn same_token(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What the request's `signpost` cookie says.
#[derive(Debug, PartialEq, Eq)]
pub enum Cookie {
    /// No `signpost` cookie.
    None,
    /// A session id given by this process.
    Ours(String),
    /// A well-formed session id given by an earlier run of the server (another instance id, or
    /// an id from before instance ids were in the cookie): the server has restarted since.
    Earlier,
    /// Something that is not a session cookie Signpost gives.
    Garbled,
}

fn is_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Reads the request's `signpost` cookie: `INSTANCE.ID`, where `INSTANCE` names the process
/// that gave it (a random id made when the server starts) and `ID` the session.
pub fn read_cookie(headers: &HeaderMap, instance: &str) -> Cookie {
    let found = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .map(|pair| pair.trim())
        .find(|pair| pair.split('=').next() == Some(COOKIE));
    let Some(pair) = found else {
        return Cookie::None;
    };
    let value = pair.split_once('=').map(|(_, v)| v.trim()).unwrap_or("");
    match value.split_once('.') {
        Some((from, id)) if is_id(from) && is_id(id) => {
            if from == instance {
                Cookie::Ours(id.to_string())
            } else {
                Cookie::Earlier
            }
        }
        None if is_id(value) => Cookie::Earlier,
        _ => Cookie::Garbled,
    }
}

/// Whether the browser says this request came from another site. Browsers since 2023 send
/// `Sec-Fetch-Site`, which a proxy does not change; only without it is `Origin` compared with
/// the host the request was sent to (`X-Forwarded-Host` when a proxy set it, else `Host`). A
/// request that says neither (curl, a script) is not refused.
pub fn cross_site(headers: &HeaderMap) -> bool {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if let Some(site) = text("sec-fetch-site") {
        return site == "cross-site";
    }
    let Some(origin) = text("origin") else {
        return false;
    };
    // "Origin: null" is a sandboxed frame or a file, never our own page.
    let from = origin.split_once("://").map(|(_, rest)| rest);
    let to = text("x-forwarded-host").or(text("host"));
    match (from, to) {
        (Some(from), Some(to)) => !from.eq_ignore_ascii_case(to),
        (None, _) => true,
        (Some(_), None) => false,
    }
}

pub fn set_cookie(instance: &str, id: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}={instance}.{id}; HttpOnly; SameSite=Strict; Path=/{secure}")
}

/// The `Set-Cookie` value that makes the browser forget the session id.
pub fn clear_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{secure}")
}

/// The headers every response carries, whatever made it.
pub const HEADERS: [(&str, &str); 6] = [
    ("cache-control", "no-store"),
    ("content-security-policy", CSP),
    ("referrer-policy", "no-referrer"),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
];

/// Adds the headers every response carries, whatever made it (a page, a redirect, a download,
/// an error from the framework itself). The answers hyper writes itself to a request it cannot
/// read get them from `conn::Headed`.
pub async fn headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    for (name, value) in HEADERS {
        h.insert(
            header::HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exit_redirect_is_an_allowed_form_action() {
        let form_action = CSP
            .split(';')
            .map(str::trim)
            .find_map(|d| d.strip_prefix("form-action "))
            .unwrap();
        let origin = origin_of(crate::core::pack::NEUTRAL_EXIT_URL);
        assert!(
            form_action.split(' ').any(|s| s == origin),
            "form-action {form_action:?} must allow {origin}"
        );
    }

    #[test]
    fn the_csp_allows_the_packs_exit_site_only() {
        let c = csp("https://example.org/away?x=1");
        assert!(c.contains("form-action 'self' https://example.org;"), "{c}");
        assert!(!c.contains("bbc"), "{c}");
        assert_eq!(csp(crate::core::pack::NEUTRAL_EXIT_URL), CSP);
    }

    #[test]
    fn ids_are_long_random_hex() {
        let a = random_id().unwrap();
        let b = random_id().unwrap();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "ab"));
        assert!(!same_token("", ""));
    }

    #[test]
    fn reads_only_a_well_formed_session_cookie_of_this_instance() {
        let me = "00000000000000000000000000000001";
        let id = "0123456789abcdef0123456789abcdef";
        let read = |value: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::COOKIE, HeaderValue::from_str(value).unwrap());
            read_cookie(&h, me)
        };
        assert_eq!(
            read(&format!("other=1; signpost={me}.{id}")),
            Cookie::Ours(id.into())
        );
        assert_eq!(
            read(&format!("signpost=ffffffffffffffffffffffffffffffff.{id}")),
            Cookie::Earlier
        );
        assert_eq!(read(&format!("signpost={id}")), Cookie::Earlier);
        assert_eq!(read("signpost=<script>"), Cookie::Garbled);
        assert_eq!(read(&format!("signpost={me}.{id}x")), Cookie::Garbled);
        assert_eq!(read("other=1"), Cookie::None);
        assert_eq!(read_cookie(&HeaderMap::new(), me), Cookie::None);
    }
}
