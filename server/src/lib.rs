//! The Framewright server: wires configuration, state and routes together.
//! `main.rs` is the CLI; integration tests use [`spawn`] directly.

#[cfg(feature = "test-support")]
pub mod bench;
mod chat_stream;
pub mod cli;
mod error_status;
mod health;
mod job_events;
mod media;
mod origin_check;
#[cfg(feature = "test-support")]
pub mod sample;
mod security;
mod serve;
mod session_layer;
mod static_files;
mod telemetry;
#[cfg(feature = "test-support")]
pub mod testing;
mod thumbnails;
mod webhooks;

use std::net::SocketAddr;
use std::sync::Arc;

use app::error::AppError;
use app::platform::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post, put};
use axum::{Extension, Router};
use http::HeaderValue;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

pub use telemetry::init_tracing;

/// The whole HTTP surface: plain endpoints first, then the Leptos pages and server
/// functions, then static files.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(app::App);
    let policies = Arc::new(security::Policies::new(&state.config));
    let context_state = state.clone();
    let page_policies = policies.clone();
    let provide_state = move || {
        provide_context(context_state.clone());
        // Pages get a CSP that allows the nonce Leptos put on their inline scripts.
        if let (Some(nonce), Some(response)) = (
            leptos::nonce::use_nonce(),
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        ) && let Ok(value) = HeaderValue::from_str(&page_policies.page(&nonce.to_string()))
        {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    };
    let shell_options = state.leptos_options.clone();
    let streams = job_events::Streams::new(state.config.http.max_streams_per_account);
    let body_limit = state.config.http.request_body_limit;
    // Pages, server-function answers and JSON errors are compressed on the fly
    // (brotli or gzip, by `Accept-Encoding`); the event stream, media and static
    // files are not (the static files come precompressed).
    let dynamic = Router::new()
        .route("/api/{*rest}", any(api_not_found))
        .leptos_routes_with_context(&state, routes, provide_state.clone(), move || {
            app::shell(shell_options.clone())
        })
        .layer(
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Default),
        );
    let not_found = axum::handler::Handler::with_state(
        leptos_axum::file_and_error_handler_with_context::<AppState, _>(provide_state, app::shell),
        state.clone(),
    );
    let files = tower::ServiceBuilder::new()
        .layer(axum::middleware::from_fn(static_files::static_headers))
        .service(static_files::service(
            &state.config.http.site_root,
            not_found,
        ));
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/webhooks/fal", post(webhooks::fal))
        .route("/events", get(job_events::events))
        .route("/events/chat/{message}", get(chat_stream::reply_stream))
        .route("/thumbnails/{item}", put(thumbnails::put_thumbnail))
        .route(
            "/media/{*key}",
            get(media::download)
                .head(media::download)
                .put(media::upload),
        )
        .merge(dynamic)
        .fallback_service(files)
        .layer(axum::middleware::from_fn(static_files::dynamic_headers))
        .layer(axum::middleware::from_fn(error_status::from_app_error))
        .layer(axum::middleware::from_fn_with_state(body_limit, limit_body))
        .layer(Extension(streams))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session_layer::resolve_session,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            origin_check::same_origin_only,
        ))
        .layer(axum::middleware::from_fn_with_state(
            policies,
            security::headers,
        ))
        .layer(telemetry::trace_layer())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// A running server (for tests): its address and its task.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// An unknown `/api/...` path: a JSON 404, without rendering a page.
async fn api_not_found() -> Response {
    AppError::NotFound.into_response()
}

/// Refuses request bodies over `limit` bytes with 413 (a declared length at
/// once, a streamed one when it gets there). Uploads and preview frames have
/// limits of their own.
async fn limit_body(State(limit): State<usize>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path.starts_with("/media/") || path.starts_with("/thumbnails/") {
        return next.run(request).await;
    }
    let declared = request
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return AppError::PayloadTooLarge {
            limit: limit as u64,
        }
        .into_response();
    }
    let (parts, body) = request.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}

fn limits(state: &AppState) -> serve::Limits {
    serve::Limits {
        header_timeout: state.config.http.header_timeout,
        per_peer: state.config.http.max_connections_per_peer,
    }
}

/// Serves on an already bound listener in the background.
pub fn spawn(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<RunningServer> {
    let addr = listener.local_addr()?;
    let limits = limits(&state);
    let task = tokio::spawn(serve::serve(
        listener,
        router(state),
        limits,
        std::future::pending(),
    ));
    Ok(RunningServer { addr, task })
}

/// Serves until SIGINT or SIGTERM, then finishes the requests in flight.
pub async fn serve(state: AppState) -> anyhow::Result<()> {
    let addr = state.config.http.listen;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("LISTEN_ADDR: cannot listen on {addr}: {e}"))?;
    tracing::info!(
        listen = %addr,
        public_url = %state.config.http.public_url,
        storage = state.storage.kind(),
        mail = state.mailer.kind(),
        "Framewright is serving"
    );
    if state.mailer.kind() == "outbox" {
        if state.config.is_local_loopback() {
            tracing::info!(
                outbox = %format!("{}outbox", state.config.http.public_url),
                "mail is kept in the outbox, readable only from this machine (a loopback address)"
            );
        } else {
            tracing::warn!(
                "mail is kept in the outbox and is not readable over the network: set SMTP_URL to send it"
            );
        }
    }
    let workers = (state.config.jobs.workers > 0).then(|| {
        app::generation::jobs::worker::spawn(
            state.clone(),
            app::generation::jobs::worker::WorkerOptions {
                lease: state.config.jobs.lease,
                ..app::generation::jobs::worker::WorkerOptions::new(state.config.jobs.workers)
            },
        )
    });
    let limits = limits(&state);
    serve::serve(listener, router(state), limits, shutdown_signal()).await?;
    if let Some(workers) = workers {
        // A job in flight is taken over by another process after its lease.
        workers.stop();
    }
    tracing::info!("Framewright stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested; finishing requests in flight");
}
