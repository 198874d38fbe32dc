//! The Framewright server: wires configuration, state and routes together.
//! `main.rs` is the CLI; integration tests use [`spawn`] directly.

#[cfg(feature = "test-support")]
pub mod bench;
pub mod cli;
mod error_status;
mod health;
mod job_events;
mod media;
mod origin_check;
#[cfg(feature = "test-support")]
pub mod sample;
mod session_layer;
mod telemetry;
#[cfg(feature = "test-support")]
pub mod testing;
mod thumbnails;
mod webhooks;

use std::net::SocketAddr;

use app::platform::state::AppState;
use axum::Router;
use axum::routing::{get, post, put};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

pub use telemetry::init_tracing;

/// The whole HTTP surface: plain endpoints first, then the Leptos pages and server
/// functions, then static files.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(app::App);
    let context_state = state.clone();
    let provide_state = move || provide_context(context_state.clone());
    let shell_options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/webhooks/fal", post(webhooks::fal))
        .route("/events", get(job_events::events))
        .route("/thumbnails/{item}", put(thumbnails::put_thumbnail))
        .route(
            "/media/{*key}",
            get(media::download)
                .head(media::download)
                .put(media::upload),
        )
        .leptos_routes_with_context(&state, routes, provide_state.clone(), move || {
            app::shell(shell_options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(provide_state, app::shell))
        .layer(axum::middleware::from_fn(error_status::from_app_error))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session_layer::resolve_session,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            origin_check::same_origin_only,
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

/// Responses go out at once: without TCP_NODELAY, Nagle's algorithm and delayed
/// ACKs hold a response split over two writes for ~40 ms.
fn no_delay(
    listener: tokio::net::TcpListener,
) -> axum::serve::TapIo<tokio::net::TcpListener, fn(&mut tokio::net::TcpStream)> {
    use axum::serve::ListenerExt;
    fn set_no_delay(stream: &mut tokio::net::TcpStream) {
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
    }
    listener.tap_io(set_no_delay as fn(&mut tokio::net::TcpStream))
}

/// Serves on an already bound listener in the background.
pub fn spawn(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<RunningServer> {
    let addr = listener.local_addr()?;
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let task = tokio::spawn(async move { axum::serve(no_delay(listener), app).await });
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
    let workers = (state.config.jobs.workers > 0).then(|| {
        app::generation::jobs::worker::spawn(
            state.clone(),
            app::generation::jobs::worker::WorkerOptions {
                lease: state.config.jobs.lease,
                ..app::generation::jobs::worker::WorkerOptions::new(state.config.jobs.workers)
            },
        )
    });
    axum::serve(
        no_delay(listener),
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
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
