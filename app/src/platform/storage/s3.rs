//! S3 storage through aws-sdk-s3: objects in one bucket, presigned URLs for
//! downloads and uploads. Works with AWS and S3-compatible servers.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use aws_sdk_s3::Client;
use aws_sdk_s3::config::{
    BehaviorVersion, Credentials, Region, RequestChecksumCalculation, ResponseChecksumValidation,
};
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use bytes::Bytes;

use super::{
    DownloadOptions, MediaStorage, ObjectInfo, PartInfo, StorageError, StorageKey,
    attachment_disposition,
};
use crate::platform::clock::Clock;
use crate::platform::config::StorageConfig;

/// Media in an S3 bucket.
pub struct S3Storage {
    client: Client,
    bucket: String,
    clock: Arc<dyn Clock>,
    /// When set, downloads are signed CDN links instead of presigned S3 ones.
    cdn: Option<Arc<super::cdn::CdnSigner>>,
}

fn backend(e: impl std::fmt::Display) -> StorageError {
    StorageError::Backend(e.to_string())
}

/// An SDK error with its whole chain of causes, for the log.
fn sdk<E: std::error::Error + 'static, R: std::fmt::Debug>(
    e: aws_sdk_s3::error::SdkError<E, R>,
) -> StorageError {
    backend(aws_sdk_s3::error::DisplayErrorContext(e))
}

impl S3Storage {
    /// Builds a client from the S3 part of the configuration.
    pub fn new(config: &StorageConfig, clock: Arc<dyn Clock>) -> Result<Self, StorageError> {
        let StorageConfig::S3 {
            endpoint,
            region,
            bucket,
            access_key_id,
            secret_access_key,
            path_style,
            cdn,
        } = config
        else {
            return Err(StorageError::Backend("not an S3 configuration".into()));
        };
        let credentials = Credentials::new(
            access_key_id,
            secret_access_key.expose(),
            None,
            None,
            "framewright-config",
        );
        let mut builder = aws_sdk_s3::config::Builder::new()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(region.clone()))
            .credentials_provider(credentials)
            .force_path_style(*path_style)
            // S3-compatible servers differ in checksum support; only send what a request needs.
            .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
            .response_checksum_validation(ResponseChecksumValidation::WhenRequired);
        if let Some(endpoint) = endpoint {
            builder = builder.endpoint_url(endpoint.as_str().trim_end_matches('/'));
        }
        Ok(S3Storage {
            client: Client::from_conf(builder.build()),
            bucket: bucket.clone(),
            clock,
            cdn: cdn.clone(),
        })
    }

    /// The underlying client, for operations beyond the trait (e.g. creating a bucket in tests).
    pub fn client(&self) -> &Client {
        &self.client
    }

    fn presigning(&self, ttl: Duration) -> Result<PresigningConfig, StorageError> {
        let now: SystemTime = self.clock.now().into();
        PresigningConfig::builder()
            .start_time(now)
            .expires_in(ttl)
            .build()
            .map_err(backend)
    }
}

#[async_trait]
impl MediaStorage for S3Storage {
    async fn put(
        &self,
        key: &StorageKey,
        bytes: Bytes,
        content_type: &str,
    ) -> Result<(), StorageError> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .content_type(content_type)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(|e| backend(aws_sdk_s3::error::DisplayErrorContext(e)))?;
        Ok(())
    }

    async fn get(&self, key: &StorageKey) -> Result<Bytes, StorageError> {
        let output = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .send()
            .await
            .map_err(|e| match e.as_service_error() {
                Some(se) if se.is_no_such_key() => StorageError::NotFound,
                _ => backend(aws_sdk_s3::error::DisplayErrorContext(e)),
            })?;
        let data = output.body.collect().await.map_err(backend)?;
        Ok(data.into_bytes())
    }

    async fn head(&self, key: &StorageKey) -> Result<Option<ObjectInfo>, StorageError> {
        match self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .send()
            .await
        {
            Ok(output) => Ok(Some(ObjectInfo {
                size: output.content_length().unwrap_or(0).max(0) as u64,
            })),
            Err(e) if e.as_service_error().is_some_and(|se| se.is_not_found()) => Ok(None),
            Err(e) => Err(backend(aws_sdk_s3::error::DisplayErrorContext(e))),
        }
    }

    async fn promote(&self, from: &StorageKey, to: &StorageKey) -> Result<(), StorageError> {
        self.client
            .copy_object()
            .bucket(&self.bucket)
            .copy_source(format!("{}/{}", self.bucket, from.as_str()))
            .key(to.as_str())
            .send()
            .await
            .map_err(|e| backend(aws_sdk_s3::error::DisplayErrorContext(e)))?;
        self.delete(from).await
    }

    async fn delete(&self, key: &StorageKey) -> Result<(), StorageError> {
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .send()
            .await
            .map_err(|e| backend(aws_sdk_s3::error::DisplayErrorContext(e)))?;
        Ok(())
    }

    async fn signed_get_url(
        &self,
        key: &StorageKey,
        ttl: Duration,
        options: &DownloadOptions,
    ) -> Result<String, StorageError> {
        if let Some(cdn) = &self.cdn {
            let disposition = options.file_name.as_deref().map(attachment_disposition);
            let mut query = Vec::new();
            if let Some(content_type) = options.content_type.as_deref() {
                query.push(("response-content-type", content_type));
            }
            if let Some(disposition) = disposition.as_deref() {
                query.push(("response-content-disposition", disposition));
            }
            let expires =
                self.clock.now().timestamp() + i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 2);
            return Ok(cdn.sign(key.as_str(), &query, expires));
        }
        let request = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .set_response_content_type(options.content_type.clone())
            .set_response_content_disposition(
                options.file_name.as_deref().map(attachment_disposition),
            )
            .presigned(self.presigning(ttl)?)
            .await
            .map_err(backend)?;
        Ok(request.uri().to_string())
    }

    async fn signed_put_url(
        &self,
        key: &StorageKey,
        ttl: Duration,
        content_type: &str,
        size: u64,
    ) -> Result<String, StorageError> {
        let request = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .content_type(content_type)
            .content_length(i64::try_from(size).unwrap_or(i64::MAX))
            .presigned(self.presigning(ttl)?)
            .await
            .map_err(backend)?;
        Ok(request.uri().to_string())
    }

    async fn get_range(
        &self,
        key: &StorageKey,
        offset: u64,
        len: u64,
    ) -> Result<Bytes, StorageError> {
        if len == 0 {
            return Ok(Bytes::new());
        }
        let output = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .range(format!("bytes={offset}-{}", offset + len - 1))
            .send()
            .await
            .map_err(|e| match e.as_service_error() {
                Some(se) if se.is_no_such_key() => StorageError::NotFound,
                _ => sdk(e),
            })?;
        let data = output.body.collect().await.map_err(backend)?;
        Ok(data.into_bytes())
    }

    async fn start_multipart(
        &self,
        key: &StorageKey,
        content_type: &str,
    ) -> Result<String, StorageError> {
        let output = self
            .client
            .create_multipart_upload()
            .bucket(&self.bucket)
            .key(key.as_str())
            .content_type(content_type)
            .send()
            .await
            .map_err(sdk)?;
        output
            .upload_id()
            .map(str::to_string)
            .ok_or_else(|| backend("the store returned no upload id"))
    }

    async fn signed_part_url(
        &self,
        key: &StorageKey,
        upload_id: &str,
        number: u32,
        size: u64,
        ttl: Duration,
    ) -> Result<String, StorageError> {
        let request = self
            .client
            .upload_part()
            .bucket(&self.bucket)
            .key(key.as_str())
            .upload_id(upload_id)
            .part_number(i32::try_from(number).map_err(backend)?)
            .content_length(i64::try_from(size).unwrap_or(i64::MAX))
            .presigned(self.presigning(ttl)?)
            .await
            .map_err(backend)?;
        Ok(request.uri().to_string())
    }

    async fn uploaded_parts(
        &self,
        key: &StorageKey,
        upload_id: &str,
    ) -> Result<Vec<PartInfo>, StorageError> {
        let mut parts = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let output = self
                .client
                .list_parts()
                .bucket(&self.bucket)
                .key(key.as_str())
                .upload_id(upload_id)
                .set_part_number_marker(marker.clone())
                .send()
                .await
                .map_err(|e| match e.as_service_error() {
                    Some(se) if se.meta().code() == Some("NoSuchUpload") => StorageError::NotFound,
                    _ => sdk(e),
                })?;
            for part in output.parts() {
                parts.push(PartInfo {
                    number: part.part_number().unwrap_or(0).max(0) as u32,
                    size: part.size().unwrap_or(0).max(0) as u64,
                    etag: part.e_tag().unwrap_or_default().to_string(),
                });
            }
            match output.next_part_number_marker() {
                Some(next) if output.is_truncated() == Some(true) => marker = Some(next.into()),
                _ => break,
            }
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
        use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
        let completed = CompletedMultipartUpload::builder()
            .set_parts(Some(
                parts
                    .iter()
                    .map(|p| {
                        CompletedPart::builder()
                            .part_number(p.number as i32)
                            .e_tag(&p.etag)
                            .build()
                    })
                    .collect(),
            ))
            .build();
        self.client
            .complete_multipart_upload()
            .bucket(&self.bucket)
            .key(key.as_str())
            .upload_id(upload_id)
            .multipart_upload(completed)
            .send()
            .await
            .map_err(sdk)?;
        Ok(())
    }

    async fn abort_multipart(&self, key: &StorageKey, upload_id: &str) -> Result<(), StorageError> {
        match self
            .client
            .abort_multipart_upload()
            .bucket(&self.bucket)
            .key(key.as_str())
            .upload_id(upload_id)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|se| se.meta().code() == Some("NoSuchUpload")) =>
            {
                Ok(())
            }
            Err(e) => Err(sdk(e)),
        }
    }

    async fn check(&self) -> Result<(), StorageError> {
        self.client
            .head_bucket()
            .bucket(&self.bucket)
            .send()
            .await
            .map_err(|e| backend(aws_sdk_s3::error::DisplayErrorContext(e)))?;
        Ok(())
    }

    fn kind(&self) -> &'static str {
        "s3"
    }
}
