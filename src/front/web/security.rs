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

/// The session id in the request's cookie, if it has one that looks like an id.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_string())
        .filter(|v| v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// True when the request carried a `signpost` cookie at all (even one that is not an id).
pub fn has_cookie(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|pair| pair.trim().split('=').next() == Some(COOKIE))
}

/// The `Set-Cookie` value that gives the browser a session id.
pub fn set_cookie(id: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}={id}; HttpOnly; SameSite=Strict; Path=/{secure}")
}

/// The `Set-Cookie` value that makes the browser forget the session id.
pub fn clear_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{secure}")
}

/// Adds the headers every response carries, whatever made it (a page, a redirect, a download,
/// an error from the framework itself).
pub async fn headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    let fixed = [
        (header::CACHE_CONTROL, "no-store"),
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    for (name, value) in fixed {
        h.insert(name, HeaderValue::from_static(value));
    }
    h.insert(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
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
        let origin = super::super::EXIT_TO
            .splitn(4, '/')
            .take(3)
            .collect::<Vec<_>>()
            .join("/");
        assert!(
            form_action.split(' ').any(|s| s == origin),
            "form-action {form_action:?} must allow {origin}"
        );
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
    fn reads_only_a_well_formed_session_cookie() {
        let mut h = HeaderMap::new();
        let id = "0123456789abcdef0123456789abcdef";
        h.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("other=1; signpost={id}")).unwrap(),
        );
        assert_eq!(session_cookie(&h).as_deref(), Some(id));
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("signpost=<script>"),
        );
        assert_eq!(session_cookie(&h), None);
        assert!(has_cookie(&h));
    }
}
