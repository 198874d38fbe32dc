//! `media`: every stored image or video, uploaded or generated.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "media")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    /// Where the bytes are in media storage (`u/<owner>/…`).
    #[sea_orm(unique)]
    pub storage_key: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub duration_ms: Option<i64>,
    /// The codec by its common name (`H.264`, `AV1`, `PNG`), when known.
    pub codec: Option<String>,
    /// `upload` or `generation`.
    pub source: String,
    /// A small JPEG preview (`…/<id>.thumb.jpg`), when one was made.
    pub thumbnail_key: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
