//! Helpers for the job tests: a signed-in user with credits and an uploaded
//! start image, server-function calls, and a worker state whose local
//! provider renders without its artificial minimum time.

use std::sync::Arc;
use std::time::Duration;

use app::assets::rows;
use app::catalog::ProviderId;
use app::credits::ledger::{self, Kind};
use app::entities::{credit_transaction, generation_job, media as media_entity};
use app::generation::local::{LocalProvider, SizeClass, render_image};
use app::platform::state::AppState;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;
use server::testing::{TestApp, TestAppBuilder};
use uuid::Uuid;

use super::auth_support::{me, post_as, sign_in};

/// A signed-in user of a running app.
pub struct Studio {
    pub app: TestApp,
    pub token: String,
    pub user: Uuid,
}

impl Studio {
    /// Starts `builder`'s app, signs a user in and grants `credits`.
    pub async fn start(builder: TestAppBuilder, credits: i64) -> Studio {
        let app = builder.spawn().await;
        let (token, _) = sign_in(&app, "maker@example.com").await;
        let user = signed_in_id(&app, &token).await;
        if credits > 0 {
            ledger::grant(
                &app.state.db,
                user,
                credits,
                Kind::Grant,
                "test",
                None,
                app.state.clock.now(),
            )
            .await
            .unwrap();
        }
        Studio { app, token, user }
    }

    /// Calls a server function; returns status and JSON body.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> (u16, Value) {
        call(&self.app, &self.token, endpoint, form).await
    }

    /// Creates a generation; returns status and body.
    pub async fn create(
        &self,
        model: &str,
        prompt: &str,
        params: &str,
        start: Option<&str>,
    ) -> (u16, Value) {
        let mut form = vec![("model_id", model), ("prompt", prompt), ("params", params)];
        if let Some(start) = start {
            form.push(("start_media_id", start));
        }
        self.call("/api/generations/create", &form).await
    }

    /// An image of this user's, stored as an upload.
    pub async fn upload_image(&self) -> media_entity::Model {
        upload_image(&self.app.state, self.user).await
    }

    /// The user's balance.
    pub async fn balance(&self) -> i64 {
        ledger::balance(&self.app.state.db, self.user)
            .await
            .unwrap()
    }

    /// The state a test worker runs with (fast local provider).
    pub fn worker_state(&self) -> AppState {
        fast_worker_state(&self.app.state)
    }
}

/// The id of the user behind `token`.
pub async fn signed_in_id(app: &TestApp, token: &str) -> Uuid {
    me(app, &format!("fw_at={token}"))
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// Calls a server function; returns status and JSON body.
pub async fn call(
    app: &TestApp,
    token: &str,
    endpoint: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let response = post_as(app, token, endpoint, form).await;
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Stores a small rendered 16:9 PNG as `owner`'s upload, kept in their inbox.
pub async fn upload_image(state: &AppState, owner: Uuid) -> media_entity::Model {
    let png = render_image("a lighthouse at dusk", "16:9", SizeClass::Small).unwrap();
    rows::keep_in_inbox(state, owner, png.into(), "image/png", "lighthouse")
        .await
        .unwrap()
        .0
}

/// `state` with a local provider that takes no artificial minimum time.
pub fn fast_worker_state(state: &AppState) -> AppState {
    let mut providers = (*state.providers).clone();
    providers.add_media(
        ProviderId::Local,
        Arc::new(
            LocalProvider::new()
                .with_min_video_time(Duration::ZERO)
                .with_moderation_words(state.config.providers.local_moderation_words.clone()),
        ),
    );
    let mut state = state.clone();
    state.providers = Arc::new(providers);
    state
}

/// A job row by id.
pub async fn job(state: &AppState, id: &str) -> generation_job::Model {
    generation_job::Entity::find_by_id(id.parse::<Uuid>().unwrap())
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
}

/// Ledger rows of `kind` for a job.
pub async fn ledger_rows(state: &AppState, job_id: &str, kind: &str) -> u64 {
    credit_transaction::Entity::find()
        .filter(credit_transaction::Column::EntityType.eq("job"))
        .filter(credit_transaction::Column::EntityId.eq(job_id))
        .filter(credit_transaction::Column::Kind.eq(kind))
        .count(&state.db)
        .await
        .unwrap()
}

/// How many media rows came from generations.
pub async fn generated_media(state: &AppState) -> u64 {
    media_entity::Entity::find()
        .filter(media_entity::Column::Source.eq("generation"))
        .count(&state.db)
        .await
        .unwrap()
}

/// Small, quick local clip settings.
pub const QUICK_CLIP: &str = r#"{"duration":2,"resolution":"270p"}"#;
