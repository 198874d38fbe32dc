//! The shared application state: built once at startup, handed to every
//! request (as axum state and as Leptos context).

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;

use super::clock::{Clock, SystemClock};
use super::config::{Config, StorageConfig};
use super::db;
use super::mail::{self, Mailer};
use super::storage::disk::DiskStorage;
use super::storage::s3::S3Storage;
use super::storage::{MediaSigner, MediaStorage};

/// Everything a request handler may need.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: DatabaseConnection,
    pub storage: Arc<dyn MediaStorage>,
    /// Set when media lives on local disk: the media route serves it.
    pub disk: Option<Arc<DiskStorage>>,
    pub mailer: Arc<dyn Mailer>,
    pub clock: Arc<dyn Clock>,
    /// Passkeys for `PUBLIC_URL`; `None` when its host cannot be a relying party (an IP address).
    pub webauthn: Option<Arc<webauthn_rs::Webauthn>>,
    /// The generation providers this installation can reach.
    pub providers: Arc<crate::generation::registry::Providers>,
    /// Job events for live progress (across replicas on PostgreSQL).
    pub jobs_live: Arc<crate::generation::jobs::live::LiveJobs>,
    /// Wake-ups and stop switches of agent replies streaming in this process.
    pub chat_live: Arc<crate::chat::live::ChatLive>,
    /// The one HTTP client for downloads from providers (results, inputs).
    pub http: reqwest::Client,
    pub leptos_options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// Connects to the database (applying migrations), storage and mail, with the system clock.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        Self::build_with_clock(config, Arc::new(SystemClock)).await
    }

    /// As [`AppState::build`], with a given clock (tests move time by hand).
    pub async fn build_with_clock(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let db = db::connect_and_migrate(&config.database)
            .await
            .map_err(|e| anyhow::anyhow!("DATABASE_URL: cannot open the database: {e}"))?;
        let (storage, disk): (Arc<dyn MediaStorage>, _) = match &config.storage {
            StorageConfig::Disk { root } => {
                let disk = Arc::new(
                    DiskStorage::new(
                        root.clone(),
                        MediaSigner::new(&config.secret_key),
                        clock.clone(),
                    )
                    .await
                    .map_err(|e| anyhow::anyhow!("STORAGE_DISK_ROOT: {e}"))?,
                );
                (disk.clone(), Some(disk))
            }
            StorageConfig::S3 { .. } => (
                Arc::new(
                    S3Storage::new(&config.storage, clock.clone())
                        .map_err(|e| anyhow::anyhow!("STORAGE: {e}"))?,
                ),
                None,
            ),
        };
        let mailer = mail::from_config(&config.mail, &config.mail_from, db.clone(), clock.clone())
            .map_err(|e| anyhow::anyhow!("SMTP_URL: {e}"))?;
        let leptos_options = config.leptos_options();
        let webauthn = relying_party(&config);
        let providers = crate::generation::registry::Providers::from_config(&config.providers)
            .map_err(|e| anyhow::anyhow!("providers: {e}"))?;
        super::event_log::record(
            &db,
            clock.now(),
            "app_started",
            None,
            serde_json::json!({
                "version": env!("CARGO_PKG_VERSION"),
                "database": format!("{:?}", db.get_database_backend()).to_lowercase(),
                "storage": storage.kind(),
                "mail": mailer.kind(),
            }),
        )
        .await
        .map_err(|e| anyhow::anyhow!("DATABASE_URL: cannot write to the database: {e}"))?;
        let jobs_live = crate::generation::jobs::live::LiveJobs::start(&db);
        Ok(AppState {
            config: Arc::new(config),
            db,
            storage,
            disk,
            mailer,
            clock,
            webauthn,
            providers: Arc::new(providers),
            jobs_live,
            chat_live: Arc::default(),
            http: download_client(),
            leptos_options,
        })
    }
}

/// The client for provider results: a short connect timeout, a long overall
/// one (videos are large).
pub fn download_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(10))
        .timeout(std::time::Duration::from_secs(600))
        .build()
        .unwrap_or_default()
}

/// The WebAuthn relying party for `PUBLIC_URL`: its host is the RP id, the URL the origin.
fn relying_party(config: &Config) -> Option<Arc<webauthn_rs::Webauthn>> {
    let url = &config.http.public_url;
    let built = url
        .host_str()
        .ok_or(webauthn_rs::prelude::WebauthnError::Configuration)
        .and_then(|host| webauthn_rs::WebauthnBuilder::new(host, url))
        .and_then(|builder| builder.rp_name("Framewright").build());
    match built {
        Ok(webauthn) => Some(Arc::new(webauthn)),
        Err(e) => {
            tracing::warn!(public_url = %url, error = %e, "passkeys are off: PUBLIC_URL's host cannot be a WebAuthn relying party (use a domain name or localhost)");
            None
        }
    }
}
