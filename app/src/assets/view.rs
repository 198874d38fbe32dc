//! What the browser learns about the library: media with signed links,
//! projects, collections, items, shares and uploads in progress.

use serde::{Deserialize, Serialize};

/// A stored image, video or sound with signed, expiring links to view and download it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MediaView {
    pub id: String,
    /// Shows the media inline.
    pub url: String,
    /// Downloads it as a file.
    pub download_url: String,
    /// A small JPEG preview, when one was made.
    pub thumbnail_url: Option<String>,
    pub content_type: String,
    pub size_bytes: u64,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub duration_ms: Option<u64>,
    /// The codec by its common name (`H.264`, `AV1`, `PNG`), when known.
    pub codec: Option<String>,
}

/// What someone may do with a project, collection or item. Ordered: each
/// level may do everything the ones before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Sees it.
    Viewer,
    /// Sees it, adds, renames, moves and deletes items.
    Collaborator,
    /// Everything, including deleting and sharing.
    Owner,
}

impl Access {
    /// The stored name (`viewer`, `collaborator`, `owner`).
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Viewer => "viewer",
            Access::Collaborator => "collaborator",
            Access::Owner => "owner",
        }
    }

    /// A share role: `viewer` or `collaborator` (an owner is not shared).
    pub fn parse_share_role(value: &str) -> Option<Self> {
        match value {
            "viewer" => Some(Access::Viewer),
            "collaborator" => Some(Access::Collaborator),
            _ => None,
        }
    }

    /// Whether items may be added, renamed, moved and deleted.
    pub fn can_write(self) -> bool {
        self >= Access::Collaborator
    }
}

/// A project as its list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectView {
    pub id: String,
    pub name: String,
    /// The owner's email (shown on shared projects).
    pub owner_email: String,
    pub access: Access,
    pub collections: Vec<CollectionView>,
}

/// A collection, with what the caller may do in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollectionView {
    pub id: String,
    pub project_id: String,
    pub name: String,
    pub project_name: String,
    pub owner_email: String,
    pub access: Access,
    /// The caller's inbox: where uploads and generations land by default.
    pub is_inbox: bool,
    pub item_count: u64,
}

/// Everything the caller can open: their own projects and what others shared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LibraryTree {
    pub projects: Vec<ProjectView>,
    /// Projects shared with the caller, and projects holding collections shared with them
    /// (then `collections` lists only those).
    pub shared: Vec<ProjectView>,
    /// Bytes of media the caller stores, and the most allowed (`None`: no limit).
    pub used_bytes: u64,
    pub quota_bytes: Option<u64>,
}

/// One item: the media and how it was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    pub id: String,
    pub collection_id: String,
    pub collection_name: String,
    pub project_id: String,
    pub project_name: String,
    pub name: String,
    /// `image`, `video` or `audio`.
    pub kind: String,
    pub media: MediaView,
    pub prompt: Option<String>,
    pub model_id: Option<String>,
    pub model_name: Option<String>,
    /// The validated generation parameters as JSON text.
    pub params: Option<String>,
    pub seed: Option<i64>,
    pub cost: Option<i64>,
    pub provider_request_id: Option<String>,
    /// The generation that made it, when it is the caller's own.
    pub job_id: Option<String>,
    pub parent_item_id: Option<String>,
    pub created_by_email: String,
    /// RFC 3339.
    pub created_at: String,
    pub access: Access,
}

/// An item with the items it was made from and the ones made from it (only
/// those the caller may see).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemDetails {
    pub item: ItemView,
    /// Nearest first: the parent, its parent, …
    pub ancestors: Vec<ItemView>,
    pub children: Vec<ItemView>,
}

/// Which items a listing covers and how they are narrowed down.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemQuery {
    /// One collection, one project, or (neither) everything the caller may see.
    pub collection_id: Option<String>,
    pub project_id: Option<String>,
    /// `image`, `video` or `audio`.
    pub kind: Option<String>,
    pub model_id: Option<String>,
    /// `YYYY-MM-DD`, inclusive, UTC.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Words found in the prompt or the name (case-insensitive).
    pub text: Option<String>,
    /// 0-based.
    pub page: u64,
}

/// One page of items, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemsPage {
    pub items: Vec<ItemView>,
    pub page: u64,
    pub pages: u64,
    pub total: u64,
}

/// Someone a project or collection is shared with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareView {
    pub id: String,
    pub email: String,
    /// `viewer` or `collaborator`.
    pub role: Access,
    /// Whether an account with that address exists yet.
    pub has_account: bool,
}

/// Where an upload's bytes go: one URL per part still to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartUrl {
    /// 1-based.
    pub number: u32,
    pub url: String,
    /// Bytes this part must carry.
    pub size: u64,
}

/// An upload slot: the parts already received and where to send the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadTicket {
    pub id: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: u64,
    pub part_size: u64,
    pub part_count: u32,
    /// Parts the storage already holds (resume skips them).
    pub done: Vec<u32>,
    /// Signed URLs for the missing parts; they expire after an hour (ask again).
    pub urls: Vec<PartUrl>,
    /// pending, confirming, completed, failed or aborted.
    pub status: String,
    /// The item made from it, once completed.
    pub item_id: Option<String>,
}
