//! The one asset: the stylesheet, built into the binary (no route reads a file).

use axum::http::header;
use axum::response::{IntoResponse, Response};

const CSS: &str = include_str!("signpost.css");

pub async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS).into_response()
}
