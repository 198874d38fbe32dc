//! `generation_jobs`: one row per image, edit or video generation, from the
//! click to its result or refund. The row is the job's whole state: workers
//! hold it only through a lease.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "generation_jobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    pub model_id: String,
    pub prompt: String,
    /// The validated parameters, as a JSON object.
    pub params: String,
    /// Credits charged (key `job:<id>`).
    pub price: i64,
    /// queued, running, succeeded, failed, cancelled or dead.
    pub status: String,
    /// 0 high, 1 medium, 2 low.
    pub priority: i16,
    pub attempts: i32,
    pub max_attempts: i32,
    /// When a queued job may be claimed, or a running remote job is next polled.
    pub next_run_at: DateTimeUtc,
    pub lease_owner: Option<String>,
    pub lease_expires_at: Option<DateTimeUtc>,
    /// The provider's id for a pending remote request.
    pub provider_request_id: Option<String>,
    /// 0.0..=1.0.
    pub progress: f32,
    pub start_media_id: Option<Uuid>,
    pub end_media_id: Option<Uuid>,
    pub result_media_id: Option<Uuid>,
    pub thumbnail_media_id: Option<Uuid>,
    pub error_kind: Option<String>,
    pub error_message: Option<String>,
    pub refunded: bool,
    /// The failed job this one retries.
    pub retry_of: Option<Uuid>,
    /// Where the result goes (the owner's inbox when unset or gone).
    pub collection_id: Option<Uuid>,
    /// The library item the generation started from (lineage).
    pub parent_item_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
    /// When the owner asked to cancel and the provider only passed the
    /// request on: the job runs until the provider says how it ended.
    pub cancel_requested_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
