//! A connection that gives hyper's own answers the security headers.
//!
//! hyper answers a request it cannot read (a malformed request line or header: 400; a URI over
//! its limit: 414; headers over its limit: 431) itself, before any tower layer or axum sees a
//! request, and that answer carries only `connection`, `content-length` and `date`. hyper has
//! no setting to add headers to it, so `Headed` wraps the connection and adds them as the answer
//! is written: a response head that starts `HTTP/1.x 4` or `5`, says `connection: close` and
//! `content-length: 0` and has no `cache-control` (every response the router makes has one,
//! from `security::headers`) gets `security::HEADERS` before its blank line. Everything else
//! passes through untouched.

use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use hyper::rt::{Read, ReadBufCursor, Write};

use super::security::HEADERS;

/// A connection whose bare error answers get the security headers.
pub struct Headed<T> {
    inner: T,
    /// A rewritten answer being written: its bytes, how many are written, and how many bytes of
    /// hyper's buffer it stands for (reported as written once all of it is).
    pending: Option<(Vec<u8>, usize, usize)>,
}

impl<T> Headed<T> {
    pub fn new(inner: T) -> Headed<T> {
        Headed {
            inner,
            pending: None,
        }
    }
}

/// hyper's own error answer with the security headers added, if `buf` starts with one.
fn with_headers(buf: &[u8]) -> Option<Vec<u8>> {
    let status = buf.get(..10)?;
    if !(status.starts_with(b"HTTP/1.1 ") || status.starts_with(b"HTTP/1.0 "))
        || !matches!(status[9], b'4' | b'5')
    {
        return None;
    }
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
    let has = |line: &str| head.split("\r\n").any(|l| l.trim() == line);
    if head.contains("\r\ncache-control:") || !has("connection: close") || !has("content-length: 0")
    {
        return None;
    }
    let mut out = Vec::with_capacity(buf.len() + 512);
    out.extend_from_slice(&buf[..end + 2]);
    for (name, value) in HEADERS {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(&buf[end + 2..]);
    Some(out)
}

impl<T: Read + Unpin> Read for Headed<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: Write + Unpin> Write for Headed<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.pending.is_none() {
            match with_headers(buf) {
                Some(bytes) => this.pending = Some((bytes, 0, buf.len())),
                None => return Pin::new(&mut this.inner).poll_write(cx, buf),
            }
        }
        // hyper calls again with the same buffer until it is reported written.
        while let Some((bytes, done, stands_for)) = this.pending.as_mut() {
            if *done >= bytes.len() {
                let n = *stands_for;
                this.pending = None;
                return Poll::Ready(Ok(n));
            }
            match ready!(Pin::new(&mut this.inner).poll_write(cx, &bytes[*done..])) {
                Ok(0) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Ok(n) => *done += n,
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
        Poll::Ready(Ok(0))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    /// One buffer at a time, so a response head arrives whole in one `poll_write`.
    fn is_write_vectored(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_bare_error_answer_gets_the_headers() {
        let bare = b"HTTP/1.1 414 URI Too Long\r\nconnection: close\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        let out = String::from_utf8(with_headers(bare).unwrap()).unwrap();
        assert!(out.starts_with("HTTP/1.1 414 URI Too Long\r\n"), "{out}");
        assert!(out.ends_with("\r\n\r\n"), "{out}");
        for (name, value) in HEADERS {
            assert!(out.contains(&format!("\r\n{name}: {value}\r\n")), "{out}");
        }
        let ours = b"HTTP/1.1 404 Not Found\r\ncache-control: no-store\r\nconnection: close\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(with_headers(ours), None);
        let ok = b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(with_headers(ok), None);
        let body = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 5\r\n\r\nhello";
        assert_eq!(with_headers(body), None);
        assert_eq!(with_headers(b"HTTP/1.1 4"), None);
    }
}
