//! What the browser learns about a stored image or video.

use serde::{Deserialize, Serialize};

/// A stored image or video with signed, expiring links to view and download it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MediaView {
    pub id: String,
    /// Shows the media inline.
    pub url: String,
    /// Downloads it as a file.
    pub download_url: String,
    pub content_type: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub duration_ms: Option<u64>,
}
