//! `/healthz` (the process is alive) and `/readyz` (it can serve: database and storage answer).

use std::time::Duration;

use app::platform::db;
use app::platform::state::AppState;
use axum::Json;
use axum::extract::State;
use http::StatusCode;
use serde_json::{Value, json};

/// Liveness: answers as long as the process runs.
pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// Readiness: the database takes a query and the storage backend answers, each within 3 seconds.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let limit = Duration::from_secs(3);
    let database = match tokio::time::timeout(limit, db::ping(&state.db)).await {
        Ok(Ok(())) => "ok".to_string(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: database check failed");
            "unavailable".to_string()
        }
        Err(_) => "timeout".to_string(),
    };
    let storage = match tokio::time::timeout(limit, state.storage.check()).await {
        Ok(Ok(())) => "ok".to_string(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: storage check failed");
            "unavailable".to_string()
        }
        Err(_) => "timeout".to_string(),
    };
    let ready = database == "ok" && storage == "ok";
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(json!({
            "status": if ready { "ready" } else { "not_ready" },
            "database": database,
            "storage": storage,
        })),
    )
}
