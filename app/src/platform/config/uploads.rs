//! Upload limits: the largest file of each kind, each account's storage
//! quota, and the part size of uploads sent in parts.

use super::{ConfigError, Vars};

const MIB: u64 = 1024 * 1024;

/// What uploads may be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadsConfig {
    pub max_image_bytes: u64,
    pub max_video_bytes: u64,
    pub max_audio_bytes: u64,
    /// The most bytes of media one account may keep; `None`: no limit.
    pub quota_bytes: Option<u64>,
    /// Files larger than this are sent in parts of this size (S3 needs at least 5 MiB).
    pub part_size: u64,
}

impl UploadsConfig {
    pub(super) fn from_vars(vars: &Vars<'_>) -> Result<Self, ConfigError> {
        let mib = |var: &'static str, default: u64, min: u64, max: u64| {
            vars.parse(var, default * MIB, |v| {
                v.parse::<u64>()
                    .ok()
                    .filter(|n| (min..=max).contains(n))
                    .map(|n| n * MIB)
                    .ok_or_else(|| format!("expected a number of MiB from {min} to {max}"))
            })
        };
        let quota = mib("STORAGE_QUOTA_MB", 5 * 1024, 0, 1 << 30)?;
        Ok(UploadsConfig {
            max_image_bytes: mib("UPLOAD_MAX_IMAGE_MB", 20, 1, 1024)?,
            // 5 GiB: the largest object S3 copies in one call (checked uploads are moved).
            max_video_bytes: mib("UPLOAD_MAX_VIDEO_MB", 500, 1, 5 * 1024)?,
            max_audio_bytes: mib("UPLOAD_MAX_AUDIO_MB", 50, 1, 1024)?,
            quota_bytes: (quota > 0).then_some(quota),
            part_size: mib("UPLOAD_PART_MB", 8, 5, 512)?,
        })
    }

    /// The largest accepted file of a kind.
    pub fn max_bytes(&self, kind: crate::media::types::MediaKind) -> u64 {
        use crate::media::types::MediaKind;
        match kind {
            MediaKind::Image => self.max_image_bytes,
            MediaKind::Video => self.max_video_bytes,
            MediaKind::Audio => self.max_audio_bytes,
        }
    }
}
