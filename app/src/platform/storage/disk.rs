//! Local-disk storage: files under a root folder, served by our own
//! `/media/{key}` route through signed, expiring URLs.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;

use super::{
    DownloadOptions, MediaSigner, MediaStorage, ObjectInfo, PartInfo, SignatureError,
    SignedRequest, StorageError, StorageKey,
};
use crate::platform::clock::Clock;

/// The route prefix that serves disk media.
pub const MEDIA_ROUTE: &str = "/media/";

/// Stores media as files and signs URLs for the media route.
pub struct DiskStorage {
    root: PathBuf,
    signer: MediaSigner,
    clock: Arc<dyn Clock>,
}

/// The query parameters of a signed media URL.
#[derive(Debug, Default, serde::Deserialize)]
pub struct SignedQuery {
    pub exp: Option<i64>,
    pub sig: Option<String>,
    #[serde(default)]
    pub ct: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub max: u64,
    /// A part of a multipart upload: its upload id and number.
    #[serde(default)]
    pub up: String,
    #[serde(default)]
    pub part: u32,
}

fn io(e: std::io::Error) -> StorageError {
    if e.kind() == std::io::ErrorKind::NotFound {
        StorageError::NotFound
    } else {
        StorageError::Backend(e.to_string())
    }
}

impl DiskStorage {
    /// Opens (and creates) the storage root.
    pub async fn new(
        root: PathBuf,
        signer: MediaSigner,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StorageError> {
        tokio::fs::create_dir_all(&root).await.map_err(io)?;
        Ok(DiskStorage {
            root,
            signer,
            clock,
        })
    }

    /// The file that holds `key`.
    pub fn path_for(&self, key: &StorageKey) -> PathBuf {
        self.root.join(key.as_str())
    }

    /// Checks a request to the media route; returns what was signed.
    pub fn verify(
        &self,
        method: &str,
        key: &StorageKey,
        query: &SignedQuery,
    ) -> Result<SignedRequest, SignatureError> {
        let (Some(expires), Some(sig)) = (query.exp, query.sig.as_deref()) else {
            return Err(SignatureError::BadSignature);
        };
        let request = SignedRequest {
            method: method.to_string(),
            key: key.as_str().to_string(),
            expires,
            content_type: query.ct.clone(),
            file_name: query.name.clone(),
            max_bytes: query.max,
            upload_id: query.up.clone(),
            part: query.part,
        };
        self.signer
            .verify(&request, sig, self.clock.now().timestamp())?;
        Ok(request)
    }

    fn signed_url(&self, request: &SignedRequest) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("exp", &request.expires.to_string());
        if !request.content_type.is_empty() {
            query.append_pair("ct", &request.content_type);
        }
        if !request.file_name.is_empty() {
            query.append_pair("name", &request.file_name);
        }
        if request.max_bytes > 0 {
            query.append_pair("max", &request.max_bytes.to_string());
        }
        if request.part > 0 {
            query.append_pair("up", &request.upload_id);
            query.append_pair("part", &request.part.to_string());
        }
        query.append_pair("sig", &self.signer.sign(request));
        format!("{MEDIA_ROUTE}{}?{}", request.key, query.finish())
    }

    /// The folder that collects the parts of a multipart upload. Keys cannot
    /// start with a dot, so no key ever reaches it.
    fn parts_dir(&self, upload_id: &str) -> Result<PathBuf, StorageError> {
        let valid = !upload_id.is_empty()
            && upload_id.len() <= 64
            && upload_id.bytes().all(|b| b.is_ascii_alphanumeric());
        if !valid {
            return Err(StorageError::InvalidKey(
                upload_id.chars().take(80).collect(),
            ));
        }
        Ok(self.root.join(".multipart").join(upload_id))
    }

    /// Stores one part of a multipart upload (the media route's signed PUT).
    pub async fn put_part(
        &self,
        upload_id: &str,
        number: u32,
        bytes: &[u8],
    ) -> Result<(), StorageError> {
        let dir = self.parts_dir(upload_id)?;
        if !tokio::fs::try_exists(&dir).await.map_err(io)? {
            // Finished or aborted: there is nothing to add a part to.
            return Err(StorageError::NotFound);
        }
        write_atomically(&dir.join(number.to_string()), bytes)
            .await
            .map_err(io)
    }

    fn expiry(&self, ttl: Duration) -> i64 {
        self.clock.now().timestamp() + i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 2)
    }
}

/// Writes through a temporary file and a rename, so readers never see half a file.
async fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        tokio::fs::create_dir_all(parent).await?;
    }
    let tmp = path.with_extension(format!("partial-{}", uuid::Uuid::new_v4().simple()));
    tokio::fs::write(&tmp, bytes).await?;
    match tokio::fs::rename(&tmp, path).await {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = tokio::fs::remove_file(&tmp).await;
            Err(e)
        }
    }
}

#[async_trait]
impl MediaStorage for DiskStorage {
    async fn put(
        &self,
        key: &StorageKey,
        bytes: Bytes,
        _content_type: &str,
    ) -> Result<(), StorageError> {
        write_atomically(&self.path_for(key), &bytes)
            .await
            .map_err(io)
    }

    async fn get(&self, key: &StorageKey) -> Result<Bytes, StorageError> {
        tokio::fs::read(self.path_for(key))
            .await
            .map(Bytes::from)
            .map_err(io)
    }

    async fn head(&self, key: &StorageKey) -> Result<Option<ObjectInfo>, StorageError> {
        match tokio::fs::metadata(self.path_for(key)).await {
            Ok(meta) if meta.is_file() => Ok(Some(ObjectInfo { size: meta.len() })),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(e)),
        }
    }

    async fn promote(&self, from: &StorageKey, to: &StorageKey) -> Result<(), StorageError> {
        let target = self.path_for(to);
        if let Some(dir) = target.parent() {
            tokio::fs::create_dir_all(dir).await.map_err(io)?;
        }
        tokio::fs::rename(self.path_for(from), target)
            .await
            .map_err(io)
    }

    async fn delete(&self, key: &StorageKey) -> Result<(), StorageError> {
        match tokio::fs::remove_file(self.path_for(key)).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(e)),
            _ => Ok(()),
        }
    }

    async fn signed_get_url(
        &self,
        key: &StorageKey,
        ttl: Duration,
        options: &DownloadOptions,
    ) -> Result<String, StorageError> {
        Ok(self.signed_url(&SignedRequest {
            method: "GET".into(),
            key: key.as_str().into(),
            expires: self.expiry(ttl),
            content_type: options.content_type.clone().unwrap_or_default(),
            file_name: options.file_name.clone().unwrap_or_default(),
            max_bytes: 0,
            ..SignedRequest::default()
        }))
    }

    async fn signed_put_url(
        &self,
        key: &StorageKey,
        ttl: Duration,
        content_type: &str,
        size: u64,
    ) -> Result<String, StorageError> {
        Ok(self.signed_url(&SignedRequest {
            method: "PUT".into(),
            key: key.as_str().into(),
            expires: self.expiry(ttl),
            content_type: content_type.into(),
            file_name: String::new(),
            max_bytes: size,
            ..SignedRequest::default()
        }))
    }

    async fn get_range(
        &self,
        key: &StorageKey,
        offset: u64,
        len: u64,
    ) -> Result<Bytes, StorageError> {
        use tokio::io::{AsyncReadExt, AsyncSeekExt};
        let mut file = tokio::fs::File::open(self.path_for(key))
            .await
            .map_err(io)?;
        file.seek(std::io::SeekFrom::Start(offset))
            .await
            .map_err(io)?;
        let mut out = Vec::new();
        file.take(len).read_to_end(&mut out).await.map_err(io)?;
        Ok(Bytes::from(out))
    }

    async fn start_multipart(
        &self,
        _key: &StorageKey,
        _content_type: &str,
    ) -> Result<String, StorageError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        tokio::fs::create_dir_all(self.parts_dir(&id)?)
            .await
            .map_err(io)?;
        Ok(id)
    }

    async fn signed_part_url(
        &self,
        key: &StorageKey,
        upload_id: &str,
        number: u32,
        size: u64,
        ttl: Duration,
    ) -> Result<String, StorageError> {
        self.parts_dir(upload_id)?;
        Ok(self.signed_url(&SignedRequest {
            method: "PUT".into(),
            key: key.as_str().into(),
            expires: self.expiry(ttl),
            max_bytes: size,
            upload_id: upload_id.into(),
            part: number,
            ..SignedRequest::default()
        }))
    }

    async fn uploaded_parts(
        &self,
        _key: &StorageKey,
        upload_id: &str,
    ) -> Result<Vec<PartInfo>, StorageError> {
        let mut entries = tokio::fs::read_dir(self.parts_dir(upload_id)?)
            .await
            .map_err(io)?;
        let mut parts = Vec::new();
        while let Some(entry) = entries.next_entry().await.map_err(io)? {
            // Half-written parts (`N.partial-…`) are not parts yet.
            let Some(number) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            let size = entry.metadata().await.map_err(io)?.len();
            parts.push(PartInfo {
                number,
                size,
                etag: String::new(),
            });
        }
        parts.sort_by_key(|p| p.number);
        Ok(parts)
    }

    async fn finish_multipart(
        &self,
        key: &StorageKey,
        upload_id: &str,
        parts: &[PartInfo],
    ) -> Result<(), StorageError> {
        use tokio::io::AsyncWriteExt;
        let dir = self.parts_dir(upload_id)?;
        let path = self.path_for(key);
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await.map_err(io)?;
        }
        let tmp = path.with_extension(format!("partial-{upload_id}"));
        let joined = async {
            let mut out = tokio::fs::File::create(&tmp).await?;
            for part in parts {
                let mut input = tokio::fs::File::open(dir.join(part.number.to_string())).await?;
                tokio::io::copy(&mut input, &mut out).await?;
            }
            out.flush().await?;
            out.sync_all().await?;
            tokio::fs::rename(&tmp, &path).await
        }
        .await;
        if let Err(e) = joined {
            let _ = tokio::fs::remove_file(&tmp).await;
            return Err(io(e));
        }
        let _ = tokio::fs::remove_dir_all(&dir).await;
        Ok(())
    }

    async fn abort_multipart(
        &self,
        _key: &StorageKey,
        upload_id: &str,
    ) -> Result<(), StorageError> {
        match tokio::fs::remove_dir_all(self.parts_dir(upload_id)?).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(e)),
            _ => Ok(()),
        }
    }

    async fn check(&self) -> Result<(), StorageError> {
        let meta = tokio::fs::metadata(&self.root).await.map_err(io)?;
        if meta.is_dir() && !meta.permissions().readonly() {
            Ok(())
        } else {
            Err(StorageError::Backend(format!(
                "{} is not a writable folder",
                self.root.display()
            )))
        }
    }

    fn kind(&self) -> &'static str {
        "disk"
    }
}
