//! `uploads`: an upload in progress. The browser puts bytes to a reserved
//! key (in one request, or in parts that can resume); confirming checks them
//! and only then creates the media and the item.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "uploads")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    /// Where the item goes; the owner's inbox when unset or gone.
    pub collection_id: Option<Uuid>,
    #[sea_orm(unique)]
    pub storage_key: String,
    pub file_name: String,
    /// As declared by the browser (normalised); checked against the bytes.
    pub content_type: String,
    pub size_bytes: i64,
    /// The storage's multipart upload id, for uploads sent in parts.
    pub multipart_id: Option<String>,
    pub part_size: i64,
    /// pending, confirming, completed, failed or aborted.
    pub status: String,
    /// The item made from it, once completed.
    pub item_id: Option<Uuid>,
    /// Why it failed (a translation key).
    pub error: Option<String>,
    pub expires_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The declared size in bytes.
    pub fn size(&self) -> u64 {
        u64::try_from(self.size_bytes).unwrap_or(0)
    }

    /// The size of each part (at least one byte).
    pub fn part_bytes(&self) -> u64 {
        u64::try_from(self.part_size).unwrap_or(0).max(1)
    }
}
