//! Refuses state-changing requests that a browser sent from another site, on
//! top of SameSite cookies: `Origin` (or `Sec-Fetch-Site`) must say same origin.

use app::error::AppError;
use app::platform::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::Method;

/// The middleware.
pub async fn same_origin_only(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && is_cross_site(&state, &request) {
        tracing::warn!(http.path = %request.uri().path(), "refused a cross-origin state-changing request");
        return AppError::Forbidden.into_response();
    }
    next.run(request).await
}

fn is_cross_site(state: &AppState, request: &Request) -> bool {
    let headers = request.headers();
    if let Some(origin) = headers
        .get(http::header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    {
        return origin != state.config.public_origin();
    }
    // No Origin: only browsers send Sec-Fetch-Site; non-browser clients carry no victim's cookies.
    matches!(
        headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()),
        Some("cross-site" | "same-site")
    )
}
