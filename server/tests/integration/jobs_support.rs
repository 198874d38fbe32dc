//! Helpers for the job tests: a signed-in user with credits and an uploaded
//! start image, and a worker state whose local provider renders without its
//! artificial minimum time.

use std::sync::Arc;
use std::time::Duration;

use app::assets::rows;
use app::catalog::ProviderId;
use app::credits::ledger::{self, Kind};
use app::entities::{credit_transaction, generation_job, media as media_entity};
use app::generation::jobs::JobView;
use app::generation::local::{LocalProvider, SizeClass, render_image};
use app::platform::state::AppState;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use server::testing::{TestApp, TestAppBuilder};
use uuid::Uuid;

use super::person::{Answer, TestUser};

/// A running app and a signed-in person with credits, who acts only as a [`TestUser`].
pub struct Studio {
    pub app: TestApp,
    pub user: TestUser,
}

impl Studio {
    /// Starts `builder`'s app, signs a user in and grants `credits`.
    pub async fn start(builder: TestAppBuilder, credits: i64) -> Studio {
        let app = builder.spawn().await;
        let user = TestUser::sign_in(&app, "maker@example.com").await;
        if credits > 0 {
            ledger::grant(
                &app.state.db,
                user.id,
                credits,
                Kind::Grant,
                "test",
                None,
                app.state.clock.now(),
            )
            .await
            .unwrap();
        }
        Studio { app, user }
    }

    /// Creates a generation.
    pub async fn create(
        &self,
        model: &str,
        prompt: &str,
        params: &str,
        start: Option<&str>,
    ) -> Answer {
        let mut form = vec![("model_id", model), ("prompt", prompt), ("params", params)];
        if let Some(start) = start {
            form.push(("start_media_id", start));
        }
        self.user.form("/api/generations/create", &form).await
    }

    /// Creates a generation that must be accepted.
    pub async fn created(
        &self,
        model: &str,
        prompt: &str,
        params: &str,
        start: Option<&str>,
    ) -> JobView {
        self.create(model, prompt, params, start).await.view()
    }

    /// One of the user's generations as the browser sees it.
    pub async fn generation(&self, id: &str) -> JobView {
        self.user
            .form("/api/generations/get", &[("id", id)])
            .await
            .view()
    }

    /// An image of this user's, stored as an upload.
    pub async fn upload_image(&self) -> media_entity::Model {
        upload_image(&self.app.state, self.user.id).await
    }

    /// The user's balance.
    pub async fn balance(&self) -> i64 {
        ledger::balance(&self.app.state.db, self.user.id)
            .await
            .unwrap()
    }

    /// The state a test worker runs with (fast local provider).
    pub fn worker_state(&self) -> AppState {
        fast_worker_state(&self.app.state)
    }
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
