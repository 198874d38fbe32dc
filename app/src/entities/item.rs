//! `items`: an image, video or sound in a collection. It references stored
//! media (several items may share one media row) and keeps how it was made.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub collection_id: Uuid,
    pub media_id: Uuid,
    pub name: String,
    /// `image`, `video` or `audio`.
    pub kind: String,
    pub prompt: Option<String>,
    pub model_id: Option<String>,
    /// The validated generation parameters, as a JSON object.
    pub params: Option<String>,
    pub seed: Option<i64>,
    /// Credits the generation cost.
    pub cost: Option<i64>,
    pub provider_request_id: Option<String>,
    /// The generation job that made it.
    pub job_id: Option<Uuid>,
    /// The item it was made from (lineage: image -> edit -> clip -> film).
    pub parent_item_id: Option<Uuid>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
