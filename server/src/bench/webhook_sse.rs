//! `server bench webhook-sse`: how long from a provider webhook arriving to
//! the job's new state reaching the owner's browser stream. A real server on
//! a free port, a signed fal webhook over HTTP (verified against a local JWKS
//! endpoint), the real transition, the event bus (LISTEN/NOTIFY on
//! PostgreSQL), and an SSE client reading `/events`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use app::assets::rows::keep_in_inbox;
use app::auth::session::{AccessTokens, start_family};
use app::credits::ledger::{self, Kind};
use app::entities::{generation_job, user};
use app::generation::jobs::create::{NewJob, create};
use app::generation::local::{SizeClass, render_image};
use app::generation::providers::fal::webhook::signed_message;
use base64::Engine as _;
use ed25519_dalek::{Signer, SigningKey};
use futures::StreamExt;
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
use tokio::sync::oneshot;

use crate::testing::TestApp;

/// What the benchmark does.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct WebhookSseBench {
    /// Webhooks sent, one after another.
    #[arg(long, default_value_t = 200)]
    pub webhooks: u32,
}

type Waiting = Arc<Mutex<HashMap<String, oneshot::Sender<Instant>>>>;

/// Serves the one signing key as fal's JWKS would.
async fn jwks_server(key: &SigningKey) -> anyhow::Result<String> {
    let x = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key.verifying_key().to_bytes());
    let body =
        serde_json::json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": x, "kid": "bench"}]});
    let app = axum::Router::new().route(
        "/.well-known/jwks.json",
        axum::routing::get(move || {
            let body = body.clone();
            async move { axum::Json(body) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/.well-known/jwks.json", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(url)
}

/// Reads `/events` and stamps the moment each awaited job arrives failed.
async fn sse_reader(response: reqwest::Response, waiting: Waiting) {
    let mut stream = response.bytes_stream();
    let mut buffer = String::new();
    while let Some(Ok(chunk)) = stream.next().await {
        let now = Instant::now();
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let message: String = buffer.drain(..end + 2).collect();
            let Some(data) = message.lines().find_map(|l| l.strip_prefix("data:")) else {
                continue;
            };
            let Ok(job) = serde_json::from_str::<serde_json::Value>(data.trim()) else {
                continue;
            };
            if job["status"] == "failed"
                && let Some(id) = job["id"].as_str()
                && let Some(tx) = waiting.lock().expect("not poisoned").remove(id)
            {
                let _ = tx.send(now);
            }
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// Runs the benchmark and prints one Markdown row.
pub async fn webhook_sse(bench: WebhookSseBench) -> anyhow::Result<()> {
    let key = SigningKey::from_bytes(&[7u8; 32]);
    let jwks = jwks_server(&key).await?;
    let app = TestApp::builder()
        .var("FAL_KEY", "bench")
        .var("FAL_JWKS_URL", jwks)
        .var("JOB_WORKERS", "0")
        .spawn()
        .await;
    let state = &app.state;
    let now = state.clock.now();
    let owner = user::ActiveModel::new_account("bench@bench.invalid", "user", None, now)
        .insert(&state.db)
        .await?;
    ledger::grant(
        &state.db,
        owner.id,
        1_000_000_000,
        Kind::Grant,
        "bench",
        None,
        now,
    )
    .await?;
    let png = render_image("a bench frame", "16:9", SizeClass::Small).context("frame")?;
    let (frame, _) = keep_in_inbox(state, owner.id, png.into(), "image/png", "bench frame")
        .await
        .map_err(|e| anyhow::anyhow!("frame: {e}"))?;
    let (family, _) = start_family(
        &state.db,
        owner.id,
        app::auth::session::ClientInfo {
            user_agent: Some("bench".into()),
            ip: None,
        },
        now,
    )
    .await?;
    let token = AccessTokens::from_secret(&state.config.secret_key).issue(owner.id, family, now);

    let http = reqwest::Client::new();
    let events = http
        .get(app.url("/events"))
        .header("cookie", format!("fw_at={token}"))
        .send()
        .await?;
    if !events.status().is_success() {
        bail!("/events answered {}", events.status());
    }
    let waiting: Waiting = Arc::default();
    tokio::spawn(sse_reader(events, waiting.clone()));

    let mut latencies = Vec::new();
    for n in 0..bench.webhooks {
        let job = create(
            state,
            NewJob {
                owner: owner.id,
                model_id: "veo-3.1".into(),
                prompt: format!("bench clip {n}"),
                params: String::new(),
                start_media_id: Some(frame.id.to_string()),
                end_media_id: None,
                collection_id: None,
                parent_item_id: None,
                retry_of: None,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("create: {e}"))?;
        // As if a worker had submitted it to fal.
        let request_id = format!("bench-{n}-{}", job.id.simple());
        let mut running = job.clone().into_active_model();
        running.status = Set("running".into());
        running.provider_request_id = Set(Some(request_id.clone()));
        running.started_at = Set(Some(state.clock.now()));
        let job: generation_job::Model = running.update(&state.db).await?;

        let body = serde_json::json!({
            "request_id": request_id, "gateway_request_id": request_id,
            "status": "ERROR", "error": "bench failure", "payload": null
        })
        .to_string();
        let timestamp = state.clock.now().timestamp().to_string();
        let signature = key.sign(&signed_message(
            &request_id,
            "bench",
            &timestamp,
            body.as_bytes(),
        ));
        let (tx, rx) = oneshot::channel();
        waiting
            .lock()
            .expect("not poisoned")
            .insert(job.id.to_string(), tx);
        let sent = Instant::now();
        let answer = http
            .post(app.url("/webhooks/fal"))
            .header("content-type", "application/json")
            .header("X-Fal-Webhook-Request-Id", &request_id)
            .header("X-Fal-Webhook-User-Id", "bench")
            .header("X-Fal-Webhook-Timestamp", &timestamp)
            .header("X-Fal-Webhook-Signature", hex(&signature.to_bytes()))
            .body(body)
            .send()
            .await?;
        if !answer.status().is_success() {
            bail!("webhook answered {}", answer.status());
        }
        let arrived = tokio::time::timeout(Duration::from_secs(10), rx)
            .await
            .context("the event never reached the stream")??;
        latencies.push(arrived.duration_since(sent));
    }
    latencies.sort();
    println!(
        "| {:?} | {} | {:.2} ms | {:.2} ms | {:.2} ms |",
        state.db.get_database_backend(),
        bench.webhooks,
        percentile(&latencies, 0.5).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
        latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
    );
    Ok(())
}
