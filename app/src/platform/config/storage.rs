//! Where media bytes live: the local disk, or an S3 bucket (optionally behind a
//! signed CloudFront distribution).

use std::path::{Path, PathBuf};

use url::Url;

use super::{ConfigError, Secret, Vars};

/// Where media bytes live.
#[derive(Debug, Clone)]
pub enum StorageConfig {
    Disk {
        root: PathBuf,
    },
    S3 {
        endpoint: Option<Url>,
        region: String,
        bucket: String,
        access_key_id: String,
        secret_access_key: Secret,
        path_style: bool,
        /// A CloudFront distribution in front of the bucket: media links are
        /// then CDN links signed with its key pair.
        cdn: Option<std::sync::Arc<crate::platform::storage::cdn::CdnSigner>>,
    },
}

impl StorageConfig {
    pub(super) fn from_vars(vars: &Vars<'_>, data_dir: &Path) -> Result<Self, ConfigError> {
        let storage = match vars.get("STORAGE").as_deref().unwrap_or("disk") {
            "disk" => StorageConfig::Disk {
                root: vars
                    .get("STORAGE_DISK_ROOT")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| data_dir.join("media")),
            },
            "s3" => StorageConfig::S3 {
                endpoint: match vars.get("S3_ENDPOINT") {
                    None => None,
                    Some(v) => Some(Url::parse(&v).map_err(|e| ConfigError::Invalid {
                        var: "S3_ENDPOINT",
                        value: v.clone(),
                        problem: format!("not a URL: {e}"),
                    })?),
                },
                region: vars.get("S3_REGION").unwrap_or_else(|| "us-east-1".into()),
                bucket: vars.required("S3_BUCKET", "STORAGE=s3")?,
                access_key_id: vars.required("S3_ACCESS_KEY_ID", "STORAGE=s3")?,
                secret_access_key: Secret::new(
                    vars.required("S3_SECRET_ACCESS_KEY", "STORAGE=s3")?,
                ),
                path_style: vars.bool("S3_PATH_STYLE", false)?,
                cdn: cdn_signer(vars)?,
            },
            other => {
                return Err(ConfigError::Invalid {
                    var: "STORAGE",
                    value: other.into(),
                    problem: "expected `disk` or `s3`".into(),
                });
            }
        };

        if matches!(storage, StorageConfig::Disk { .. }) && vars.get("CDN_URL").is_some() {
            return Err(ConfigError::Missing {
                var: "STORAGE",
                why: "CDN_URL (signed CDN links front an S3 bucket: set STORAGE=s3)",
            });
        }
        Ok(storage)
    }
}

/// The CDN signer, when `CDN_URL` is set: it then needs the key pair id and
/// its private key (`CDN_PRIVATE_KEY`, PEM, `\n` allowed for new lines, or
/// `CDN_PRIVATE_KEY_FILE`).
fn cdn_signer(
    vars: &Vars<'_>,
) -> Result<Option<std::sync::Arc<crate::platform::storage::cdn::CdnSigner>>, ConfigError> {
    let Some(base) = vars.get("CDN_URL") else {
        return Ok(None);
    };
    let invalid = |var: &'static str, value: String, problem: String| ConfigError::Invalid {
        var,
        value,
        problem,
    };
    let url = Url::parse(&base)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .ok_or_else(|| invalid("CDN_URL", base.clone(), "expected an http(s) URL".into()))?;
    let key_pair_id = vars.required("CDN_KEY_PAIR_ID", "CDN_URL")?;
    let pem = match (
        vars.get("CDN_PRIVATE_KEY"),
        vars.get("CDN_PRIVATE_KEY_FILE"),
    ) {
        (Some(pem), _) => pem.replace("\\n", "\n"),
        (None, Some(path)) => std::fs::read_to_string(&path).map_err(|e| ConfigError::Io {
            var: "CDN_PRIVATE_KEY_FILE",
            path: path.clone(),
            reason: e.to_string(),
        })?,
        (None, None) => {
            return Err(ConfigError::Missing {
                var: "CDN_PRIVATE_KEY",
                why: "CDN_URL",
            });
        }
    };
    crate::platform::storage::cdn::CdnSigner::new(url, &key_pair_id, &pem)
        .map(|signer| Some(std::sync::Arc::new(signer)))
        .map_err(|problem| invalid("CDN_PRIVATE_KEY", "***".into(), problem))
}
