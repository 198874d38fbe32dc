//! Media storage: one trait, two real backends. Local disk serves bytes through
//! our own signed, expiring route (`/media/…`); S3 (or any S3-compatible store)
//! hands out presigned URLs.

pub mod cdn;
pub mod disk;
pub mod s3;
mod signing;

use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;

pub use signing::{MediaSigner, SignatureError, SignedRequest};

/// A validated object key: relative, made of `[A-Za-z0-9._-]` segments separated by `/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StorageKey(String);

impl StorageKey {
    /// Checks a key; refuses absolute paths, `..`, empty segments and odd characters.
    pub fn parse(raw: &str) -> Result<Self, StorageError> {
        let valid = !raw.is_empty()
            && raw.len() <= 512
            && raw.split('/').all(|seg| {
                !seg.is_empty()
                    && seg != "."
                    && seg != ".."
                    && !seg.starts_with('.')
                    && seg
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
            });
        if valid {
            Ok(StorageKey(raw.to_string()))
        } else {
            Err(StorageError::InvalidKey(raw.chars().take(80).collect()))
        }
    }

    /// The key as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for StorageKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a signed download should look like to the browser.
#[derive(Debug, Clone, Default)]
pub struct DownloadOptions {
    /// Served as `Content-Type`.
    pub content_type: Option<String>,
    /// When set, served as an attachment with this file name.
    pub file_name: Option<String>,
}

/// Size and type of a stored object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectInfo {
    pub size: u64,
}

/// A part of a multipart upload the storage holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartInfo {
    /// 1-based.
    pub number: u32,
    pub size: u64,
    /// The storage's tag for the part (S3's ETag; empty on disk).
    pub etag: String,
}

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("invalid storage key `{0}`")]
    InvalidKey(String),
    #[error("object not found")]
    NotFound,
    #[error("storage backend error: {0}")]
    Backend(String),
}

/// Where media bytes live. Implemented by [`disk::DiskStorage`] and [`s3::S3Storage`].
#[async_trait]
pub trait MediaStorage: Send + Sync + 'static {
    /// Stores `bytes` under `key`, replacing what was there.
    async fn put(
        &self,
        key: &StorageKey,
        bytes: Bytes,
        content_type: &str,
    ) -> Result<(), StorageError>;
    /// Reads a whole object.
    async fn get(&self, key: &StorageKey) -> Result<Bytes, StorageError>;
    /// Size of an object, or `None` when it does not exist.
    async fn head(&self, key: &StorageKey) -> Result<Option<ObjectInfo>, StorageError>;
    /// Removes an object; removing a missing object is not an error.
    async fn delete(&self, key: &StorageKey) -> Result<(), StorageError>;
    /// Moves the object at `from` to `to` (replacing it), so bytes that were
    /// checked sit where no upload URL ever pointed.
    async fn promote(&self, from: &StorageKey, to: &StorageKey) -> Result<(), StorageError>;
    /// A URL that lets its holder download the object until `ttl` has passed.
    async fn signed_get_url(
        &self,
        key: &StorageKey,
        ttl: Duration,
        options: &DownloadOptions,
    ) -> Result<String, StorageError>;
    /// A URL that lets its holder upload `size` bytes of `content_type` to `key` until `ttl` has passed.
    async fn signed_put_url(
        &self,
        key: &StorageKey,
        ttl: Duration,
        content_type: &str,
        size: u64,
    ) -> Result<String, StorageError>;
    /// Reads up to `len` bytes from `offset` (fewer at the end of the object).
    async fn get_range(
        &self,
        key: &StorageKey,
        offset: u64,
        len: u64,
    ) -> Result<Bytes, StorageError>;
    /// Starts an upload in parts to `key`; returns its id.
    async fn start_multipart(
        &self,
        key: &StorageKey,
        content_type: &str,
    ) -> Result<String, StorageError>;
    /// A URL that lets its holder upload part `number` (exactly `size` bytes)
    /// of multipart upload `upload_id` until `ttl` has passed.
    async fn signed_part_url(
        &self,
        key: &StorageKey,
        upload_id: &str,
        number: u32,
        size: u64,
        ttl: Duration,
    ) -> Result<String, StorageError>;
    /// The parts received so far, by number.
    async fn uploaded_parts(
        &self,
        key: &StorageKey,
        upload_id: &str,
    ) -> Result<Vec<PartInfo>, StorageError>;
    /// Joins `parts` (in order) into the object at `key`.
    async fn finish_multipart(
        &self,
        key: &StorageKey,
        upload_id: &str,
        parts: &[PartInfo],
    ) -> Result<(), StorageError>;
    /// Drops an unfinished multipart upload and its parts; a missing one is not an error.
    async fn abort_multipart(&self, key: &StorageKey, upload_id: &str) -> Result<(), StorageError>;
    /// Whether the backend answers, for readiness checks.
    async fn check(&self) -> Result<(), StorageError>;
    /// A short name for logs: `disk` or `s3`.
    fn kind(&self) -> &'static str;
}

/// A `Content-Disposition` value for an attachment: an ASCII fallback plus the
/// UTF-8 name (RFC 6266), with quotes and control characters removed.
pub fn attachment_disposition(file_name: &str) -> String {
    let cleaned: String = file_name
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\\' | '/'))
        .collect();
    let cleaned = if cleaned.trim().is_empty() {
        "download".to_string()
    } else {
        cleaned
    };
    let ascii: String = cleaned
        .chars()
        .map(|c| if c.is_ascii() { c } else { '_' })
        .collect();
    let encoded: String = cleaned
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_confined_to_safe_relative_paths() {
        for good in ["a.png", "u/123/img-1.webp", "x_y/z.mp4"] {
            assert!(StorageKey::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "", "/abs", "../up", "a/../b", "a//b", ".hidden", "a b", "a\\b", "é.png",
        ] {
            assert!(StorageKey::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn disposition_keeps_utf8_names_and_drops_quotes() {
        assert_eq!(
            attachment_disposition("猫 \"cat\".png"),
            "attachment; filename=\"_ cat.png\"; filename*=UTF-8''%E7%8C%AB%20cat.png"
        );
        assert_eq!(
            attachment_disposition("\"/"),
            "attachment; filename=\"download\"; filename*=UTF-8''download"
        );
    }
}
