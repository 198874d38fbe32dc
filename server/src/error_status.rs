//! The HTTP status of a failed server function, derived once from its error.
//! Server functions return `Err(AppError::…)`; Leptos answers those with a 500
//! and the error's JSON (marked by the `serverfnerror` header). This layer reads
//! that JSON back and sets the status (and `Retry-After`) the error stands
//! for, so no call site has to.

use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderValue, StatusCode};

/// Error bodies are a few hundred bytes; anything larger is left alone.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn from_app_error(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if !response
        .headers()
        .contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let AppError::RateLimited { retry_after_secs } = error {
            parts.headers.insert(
                http::header::RETRY_AFTER,
                HeaderValue::from(retry_after_secs),
            );
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::routing::get;
    use tower::ServiceExt;

    fn error_response(error: &AppError) -> Response {
        Response::builder()
            .status(500)
            .header(leptos::server_fn::error::SERVER_FN_ERROR_HEADER, "/api/x")
            .body(Body::from(serde_json::to_vec(error).unwrap()))
            .unwrap()
    }

    async fn through_layer(response: fn() -> Response) -> Response {
        Router::new()
            .route("/", get(move || async move { response() }))
            .layer(axum::middleware::from_fn(from_app_error))
            .oneshot(Request::get("/").body(Body::empty()).unwrap())
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn server_function_errors_get_their_own_status() {
        let res = through_layer(|| {
            error_response(&AppError::InsufficientCredits {
                needed: 5,
                balance: 1,
            })
        })
        .await;
        assert_eq!(res.status(), StatusCode::PAYMENT_REQUIRED);
        let res = through_layer(|| {
            error_response(&AppError::RateLimited {
                retry_after_secs: 7,
            })
        })
        .await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(res.headers()[http::header::RETRY_AFTER], "7");
        let body = axum::body::to_bytes(res.into_body(), 1024).await.unwrap();
        assert_eq!(
            serde_json::from_slice::<AppError>(&body).unwrap(),
            AppError::RateLimited {
                retry_after_secs: 7
            }
        );
    }

    #[tokio::test]
    async fn other_responses_pass_untouched() {
        let res = through_layer(|| {
            Response::builder()
                .status(500)
                .body(Body::from("boom"))
                .unwrap()
        })
        .await;
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let res = through_layer(|| Response::new(Body::from("ok"))).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
}
