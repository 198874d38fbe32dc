//! The site's static files (the wasm, its chunks, the JS glue, the CSS, the
//! favicon) and the cache policy of everything else.
//!
//! - Files are served from the site root with the brotli or gzip variant
//!   `cargo leptos build --release --precompress` made beside each file, chosen
//!   by `Accept-Encoding` (never compressed again on the fly), with
//!   `Vary: Accept-Encoding`.
//! - A file whose name carries its content hash (`name.<hash>.ext`, what
//!   `hash-files` produces) never changes: `public, max-age=31536000, immutable`.
//!   Other files are revalidated (`no-cache`; `Last-Modified` makes that a 304).
//! - Pages and server-function answers are per person and per request (the page
//!   CSP nonce alone differs every time, so an ETag would never match):
//!   `private, no-cache`, unless the handler set its own policy. Media and
//!   thumbnails keep their own headers.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};

const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");
const PRIVATE: HeaderValue = HeaderValue::from_static("private, no-cache");

/// The file the build writes the content hashes to, in the site root; only the
/// server reads it.
pub const HASH_FILE: &str = "hash.txt";

/// The static file service over `site_root`, with `not_found` answering what
/// is not a file there.
pub fn service<F>(site_root: &std::path::Path, not_found: F) -> tower_http::services::ServeDir<F> {
    tower_http::services::ServeDir::new(site_root)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .fallback(not_found)
}

/// Cache headers for static files (wrapped around [`service`] only).
pub async fn static_headers(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if path.trim_start_matches('/') == HASH_FILE {
        // Build bookkeeping, not part of the site.
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut response = next.run(request).await;
    let served = matches!(
        response.status(),
        StatusCode::OK | StatusCode::PARTIAL_CONTENT | StatusCode::NOT_MODIFIED
    );
    if served {
        let headers = response.headers_mut();
        let policy = if is_hashed_name(&path) {
            IMMUTABLE
        } else {
            REVALIDATE
        };
        headers.insert(header::CACHE_CONTROL, policy);
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// `private, no-cache` on dynamic answers that did not choose a policy.
pub async fn dynamic_headers(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let own_policy = path.starts_with("/media/") || path.starts_with("/thumbnails/");
    let mut response = next.run(request).await;
    if !own_policy && !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, PRIVATE);
    }
    response
}

/// Whether the last segment of `path` is `stem.<hash>.ext`, the hash being the
/// 22 URL-safe base64 characters of an MD5 (cargo-leptos's `hash-files`).
fn is_hashed_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let mut parts = name.rsplit('.');
    let (Some(_ext), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    // The unhashed split loader is `__wasm_split.<22 underscores>.js`.
    !stem.is_empty()
        && hash.len() == 22
        && hash.bytes().any(|b| b != b'_')
        && hash
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::is_hashed_name;

    #[test]
    fn hashed_names_are_recognised() {
        assert!(is_hashed_name(
            "/pkg/framewright.Xx6cK1d4F3Hd-2_bQ0aZ9w.wasm"
        ));
        assert!(is_hashed_name(
            "/pkg/__wasm_split.Xx6cK1d4F3Hd-2_bQ0aZ9w.js"
        ));
        assert!(!is_hashed_name("/pkg/framewright.wasm"));
        assert!(!is_hashed_name("/favicon.svg"));
        assert!(!is_hashed_name(
            "/pkg/__wasm_split.______________________.js"
        ));
        assert!(!is_hashed_name("/pkg/framewright.short.wasm"));
        assert!(!is_hashed_name("/pkg/.Xx6cK1d4F3Hd-2_bQ0aZ9w.wasm"));
        assert!(!is_hashed_name(
            "/pkg/framewright.Xx6cK1d4F3Hd+2_bQ0aZ9w.wasm"
        ));
    }
}
