//! `server bench seed-pages`: fills an empty database with one account that
//! has a real history (generations run through the job engine, so each left
//! its library item and its ledger rows), then prints a session cookie for it.
//! `bench/http.sh` serves that database and measures the signed-in pages.

use std::sync::Arc;

use anyhow::{Context, bail};
use app::auth::session::{AccessTokens, ClientInfo, start_family};
use app::catalog::ProviderId;
use app::credits::ledger::{self, Kind};
use app::entities::{generation_job, item, user};
use app::generation::jobs::create::{NewJob, create};
use app::generation::jobs::worker::run_due_jobs_once;
use app::generation::local::LocalProvider;
use app::platform::state::AppState;
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait};

/// What to seed.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct SeedPages {
    /// Generations run for the account; each leaves a library item.
    #[arg(long, default_value_t = 500)]
    pub generations: u64,
}

/// Seeds the account and prints `fw_at=<access token>` (valid for the access
/// token lifetime) on stdout.
pub async fn seed_pages(mut state: AppState, seed: SeedPages) -> anyhow::Result<()> {
    super::require_empty_database(&state.db).await?;
    // The offline provider without its pacing: the history matters, not the wait.
    let mut providers = (*state.providers).clone();
    providers.add_media(ProviderId::Local, Arc::new(LocalProvider::new().instant()));
    state.providers = Arc::new(providers);
    let db = &state.db.clone();
    let now = state.clock.now();
    let owner = user::ActiveModel::new_account("pages@bench.invalid", "user", None, now)
        .insert(db)
        .await?;
    ledger::grant(db, owner.id, 1_000_000, Kind::Grant, "bench", None, now)
        .await
        .context("grant")?;
    for n in 0..seed.generations {
        create(
            &state,
            NewJob {
                owner: owner.id,
                model_id: "local-image".into(),
                prompt: format!("a lighthouse on a cliff at dusk, study {n}"),
                params: r#"{"size":"small","aspect_ratio":"1:1"}"#.into(),
                start_media_id: None,
                end_media_id: None,
                collection_id: None,
                parent_item_id: None,
                retry_of: None,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("create: {e}"))?;
    }
    run_due_jobs_once(&state, "bench-seed").await?;
    let jobs = generation_job::Entity::find().count(db).await?;
    let items = item::Entity::find().count(db).await?;
    if jobs != seed.generations || items != seed.generations {
        bail!(
            "seeded {jobs} generations and {items} items, wanted {}",
            seed.generations
        );
    }
    let client = ClientInfo {
        user_agent: Some("bench".into()),
        ip: None,
    };
    let (family, _refresh) = start_family(db, owner.id, client, now).await?;
    let access = AccessTokens::from_secret(&state.config.secret_key).issue(owner.id, family, now);
    println!("fw_at={access}");
    Ok(())
}
