//! Typed configuration, read once at boot from environment variables (and an
//! optional `.env`). Every value has an embedded default for the zero-config
//! run except the ones production must set; an invalid value stops startup
//! with a message naming the variable.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use url::Url;

mod auth;
mod database;
mod http;
mod jobs;
mod mail;
mod providers;
mod storage;
mod uploads;

pub use auth::AuthConfig;
pub use database::DatabaseConfig;
pub use http::HttpConfig;
pub use jobs::JobsConfig;
pub use mail::MailConfig;
pub use providers::{ProviderAccess, ProvidersConfig};
pub use storage::StorageConfig;
pub use uploads::UploadsConfig;

/// Why the configuration could not be loaded. Always names the variable.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{var}: {problem} (got `{value}`)")]
    Invalid {
        var: &'static str,
        value: String,
        problem: String,
    },
    #[error("{var} must be set when {why}")]
    Missing {
        var: &'static str,
        why: &'static str,
    },
    #[error("{var}: could not read or create {path}: {reason}")]
    Io {
        var: &'static str,
        path: String,
        reason: String,
    },
}

impl ConfigError {
    /// The environment variable this error is about.
    pub fn var(&self) -> &'static str {
        match self {
            ConfigError::Invalid { var, .. }
            | ConfigError::Missing { var, .. }
            | ConfigError::Io { var, .. } => var,
        }
    }
}

/// A secret value whose `Debug` output never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret string.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The secret itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Where the app runs: `local` fills in safe conveniences, `production`
/// demands every secret explicitly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnv {
    Local,
    Production,
}

/// Everything the app needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    pub env: AppEnv,
    pub data_dir: PathBuf,
    pub http: HttpConfig,
    pub database: DatabaseConfig,
    pub storage: StorageConfig,
    pub mail: MailConfig,
    pub mail_from: String,
    /// Signs media URLs and (later) session tokens. At least 32 bytes.
    pub secret_key: Secret,
    pub auth: AuthConfig,
    pub providers: ProvidersConfig,
    pub jobs: JobsConfig,
    pub uploads: UploadsConfig,
    pub log_json: bool,
}

/// A source of variables: the process environment, or a map in tests.
pub trait VarSource {
    fn get(&self, name: &str) -> Option<String>;
}

impl VarSource for HashMap<String, String> {
    fn get(&self, name: &str) -> Option<String> {
        HashMap::get(self, name).cloned()
    }
}

/// The real process environment (after `.env` was loaded).
pub struct ProcessEnv;

impl VarSource for ProcessEnv {
    fn get(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

struct Vars<'a>(&'a dyn VarSource);

impl Vars<'_> {
    /// A set, non-blank value.
    fn get(&self, var: &str) -> Option<String> {
        self.0
            .get(var)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    fn parse<T>(
        &self,
        var: &'static str,
        default: T,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<T, ConfigError> {
        match self.get(var) {
            None => Ok(default),
            Some(value) => parse(&value).map_err(|problem| ConfigError::Invalid {
                var,
                value,
                problem,
            }),
        }
    }

    fn bool(&self, var: &'static str, default: bool) -> Result<bool, ConfigError> {
        self.parse(var, default, |v| match v.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            _ => Err("expected true or false".into()),
        })
    }

    fn required(&self, var: &'static str, why: &'static str) -> Result<String, ConfigError> {
        self.get(var).ok_or(ConfigError::Missing { var, why })
    }
}

impl Config {
    /// Loads `.env` (if present) and then reads the process environment.
    pub fn from_process_env() -> Result<Self, ConfigError> {
        // A missing .env is normal; a broken one is reported by the variables it leaves unset.
        let _ = dotenvy::dotenv();
        Self::from_vars(&ProcessEnv)
    }

    /// Reads configuration from any variable source.
    pub fn from_vars(source: &dyn VarSource) -> Result<Self, ConfigError> {
        let vars = Vars(source);
        let env = vars.parse("APP_ENV", AppEnv::Local, |v| match v {
            "local" | "development" | "dev" => Ok(AppEnv::Local),
            "production" | "prod" => Ok(AppEnv::Production),
            _ => Err("expected `local` or `production`".into()),
        })?;
        let production = env == AppEnv::Production;
        let data_dir = PathBuf::from(vars.get("DATA_DIR").unwrap_or_else(|| "./data".into()));
        let http = HttpConfig::from_vars(&vars)?;
        let database = DatabaseConfig::from_vars(&vars, &data_dir)?;
        let storage = StorageConfig::from_vars(&vars, &data_dir)?;
        let (mail, mail_from) = MailConfig::from_vars(&vars, production)?;
        let secret_key = auth::secret_key(&vars, production, &data_dir)?;
        let auth = AuthConfig::from_vars(&vars, production)?;
        let providers = ProvidersConfig::from_vars(&vars)?;
        let uploads = UploadsConfig::from_vars(&vars)?;
        let jobs = JobsConfig::from_vars(&vars)?;

        let log_json = vars.parse("LOG_FORMAT", production, |v| match v {
            "json" => Ok(true),
            "text" => Ok(false),
            _ => Err("expected `text` or `json`".into()),
        })?;

        Ok(Config {
            env,
            data_dir,
            http,
            database,
            storage,
            mail,
            mail_from,
            secret_key,
            auth,
            providers,
            jobs,
            uploads,
            log_json,
        })
    }

    /// True when the app is served only to this machine (loopback public URL,
    /// not production): the conditions for local conveniences such as the
    /// readable mail outbox.
    pub fn is_local_loopback(&self) -> bool {
        if self.env == AppEnv::Production {
            return false;
        }
        match self.http.public_url.host() {
            Some(url::Host::Domain(d)) => d == "localhost",
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        }
    }

    /// Whether cookies must carry `Secure` (the public address is https).
    pub fn secure_cookies(&self) -> bool {
        self.http.public_url.scheme() == "https"
    }

    /// The origin (`scheme://host[:port]`) browsers send for same-site requests.
    pub fn public_origin(&self) -> String {
        self.http.public_url.origin().ascii_serialization()
    }

    /// The Leptos options derived from this configuration.
    ///
    /// A release build names its files by content hash and lists the hashes in
    /// `hash.txt`: in the site root when built by the Makefile, else (a plain
    /// `cargo leptos build`) beside the server binary. Without one, the
    /// unhashed names are used.
    pub fn leptos_options(&self) -> leptos::config::LeptosOptions {
        let hash_file = [
            Some(self.http.site_root.join("hash.txt")),
            std::env::current_exe()
                .ok()
                .and_then(|exe| Some(exe.parent()?.join("hash.txt"))),
        ]
        .into_iter()
        .flatten()
        .find(|path| path.is_file())
        .and_then(|path| std::path::absolute(path).ok());
        leptos::config::LeptosOptions::builder()
            .output_name("framewright")
            .site_root(self.http.site_root.to_string_lossy().to_string())
            .site_pkg_dir("pkg")
            .site_addr(self.http.listen)
            .hash_files(hash_file.is_some())
            .hash_file(
                hash_file
                    .map(|path| path.to_string_lossy().into())
                    .unwrap_or_else(|| "hash.txt".into()),
            )
            .build()
    }
}

/// Hides the password part of a URL in messages.
pub(super) fn redact_url(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

/// In local mode the secret is generated once and kept under the data dir, so
/// signed URLs and sessions survive restarts without any setup.
pub(super) fn load_or_create_local_secret(data_dir: &Path) -> Result<Secret, ConfigError> {
    use rand::RngCore;
    let path = data_dir.join("secret_key");
    let io_err = |e: std::io::Error| ConfigError::Io {
        var: "SECRET_KEY",
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    match std::fs::read_to_string(&path) {
        Ok(existing) if existing.trim().len() >= 32 => return Ok(Secret::new(existing.trim())),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_err(e)),
    }
    std::fs::create_dir_all(data_dir).map_err(io_err)?;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let key = hex::encode(bytes);
    write_private_file(&path, &key).map_err(io_err)?;
    Ok(Secret::new(key))
}

fn write_private_file(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(contents.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> (HashMap<String, String>, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let mut map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        map.entry("DATA_DIR".into())
            .or_insert_with(|| dir.path().display().to_string());
        (map, dir)
    }

    fn error_for(pairs: &[(&str, &str)]) -> ConfigError {
        let (map, _dir) = vars(pairs);
        Config::from_vars(&map).expect_err("config should be refused")
    }

    #[test]
    fn zero_config_uses_embedded_defaults_and_persists_a_secret() {
        let (map, dir) = vars(&[]);
        let config = Config::from_vars(&map).unwrap();
        assert_eq!(config.env, AppEnv::Local);
        assert!(config.database.url.expose().starts_with("sqlite://"));
        assert!(matches!(config.storage, StorageConfig::Disk { .. }));
        assert!(matches!(config.mail, MailConfig::Outbox));
        assert_eq!(config.http.public_url.as_str(), "http://localhost:3000/");
        assert!(config.is_local_loopback());
        assert!(config.auth.auto_approve, "local mode approves new accounts");
        assert!(config.auth.admin_emails.is_empty());
        assert_eq!(
            config.auth.welcome_credits, 100,
            "a local install welcomes with credits"
        );
        assert_eq!(config.uploads.max_image_bytes, 20 * 1024 * 1024);
        assert_eq!(config.uploads.part_size, 8 * 1024 * 1024);
        assert_eq!(config.uploads.quota_bytes, Some(5 * 1024 * 1024 * 1024));
        let (no_quota, _dir) = vars(&[("STORAGE_QUOTA_MB", "0")]);
        let unlimited = Config::from_vars(&no_quota).unwrap();
        assert_eq!(unlimited.uploads.quota_bytes, None);
        let again = Config::from_vars(&map).unwrap();
        assert_eq!(config.secret_key, again.secret_key, "secret is reused");
        assert!(dir.path().join("secret_key").exists());
    }

    #[test]
    fn each_invalid_value_names_its_variable() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("APP_ENV", "staging")], "APP_ENV"),
            (&[("LISTEN_ADDR", "nowhere")], "LISTEN_ADDR"),
            (&[("PUBLIC_URL", "ftp://x")], "PUBLIC_URL"),
            (&[("DATABASE_URL", "mysql://x")], "DATABASE_URL"),
            (
                &[("DATABASE_MAX_CONNECTIONS", "0")],
                "DATABASE_MAX_CONNECTIONS",
            ),
            (&[("STORAGE", "ftp")], "STORAGE"),
            (&[("STORAGE", "s3")], "S3_BUCKET"),
            (
                &[
                    ("STORAGE", "s3"),
                    ("S3_BUCKET", "b"),
                    ("S3_ACCESS_KEY_ID", "a"),
                    ("S3_SECRET_ACCESS_KEY", "s"),
                    ("S3_PATH_STYLE", "maybe"),
                ],
                "S3_PATH_STYLE",
            ),
            (&[("SMTP_URL", "http://mail")], "SMTP_URL"),
            (&[("MAIL_FROM", "not a mailbox")], "MAIL_FROM"),
            (&[("SECRET_KEY", "short")], "SECRET_KEY"),
            (&[("LOG_FORMAT", "xml")], "LOG_FORMAT"),
            (&[("JOB_WORKERS", "many")], "JOB_WORKERS"),
            (&[("JOB_LEASE_SECONDS", "1")], "JOB_LEASE_SECONDS"),
            (&[("AUTO_APPROVE", "sometimes")], "AUTO_APPROVE"),
            (&[("WELCOME_CREDITS", "-5")], "WELCOME_CREDITS"),
            (&[("WELCOME_CREDITS", "lots")], "WELCOME_CREDITS"),
            (&[("UPLOAD_MAX_IMAGE_MB", "0")], "UPLOAD_MAX_IMAGE_MB"),
            (&[("UPLOAD_MAX_VIDEO_MB", "lots")], "UPLOAD_MAX_VIDEO_MB"),
            (&[("UPLOAD_MAX_AUDIO_MB", "-1")], "UPLOAD_MAX_AUDIO_MB"),
            (&[("UPLOAD_PART_MB", "4")], "UPLOAD_PART_MB"),
            (&[("STORAGE_QUOTA_MB", "1.5")], "STORAGE_QUOTA_MB"),
            (&[("CDN_URL", "https://cdn.example.com")], "STORAGE"),
            (
                &[
                    ("STORAGE", "s3"),
                    ("S3_BUCKET", "b"),
                    ("S3_ACCESS_KEY_ID", "a"),
                    ("S3_SECRET_ACCESS_KEY", "s"),
                    ("CDN_URL", "https://cdn.example.com"),
                ],
                "CDN_KEY_PAIR_ID",
            ),
            (
                &[
                    ("STORAGE", "s3"),
                    ("S3_BUCKET", "b"),
                    ("S3_ACCESS_KEY_ID", "a"),
                    ("S3_SECRET_ACCESS_KEY", "s"),
                    ("CDN_URL", "https://cdn.example.com"),
                    ("CDN_KEY_PAIR_ID", "K1"),
                    ("CDN_PRIVATE_KEY", "-----BEGIN RSA PRIVATE KEY-----\\nnope"),
                ],
                "CDN_PRIVATE_KEY",
            ),
            (&[("ADMIN_EMAILS", "ada@example.com, nope")], "ADMIN_EMAILS"),
            (
                &[("APP_ENV", "production"), ("SMTP_URL", "smtp://localhost")],
                "SECRET_KEY",
            ),
            (
                &[
                    ("APP_ENV", "production"),
                    ("SECRET_KEY", "0123456789abcdef0123456789abcdef"),
                ],
                "SMTP_URL",
            ),
        ];
        for (pairs, var) in cases {
            let err = error_for(pairs);
            assert_eq!(err.var(), *var, "{pairs:?}");
            assert!(
                err.to_string().starts_with(var),
                "message names {var}: {err}"
            );
        }
    }

    #[test]
    fn secrets_do_not_show_in_debug_output() {
        let (map, _dir) = vars(&[("SECRET_KEY", "0123456789abcdef0123456789abcdef-very-secret")]);
        let config = Config::from_vars(&map).unwrap();
        assert!(!format!("{config:?}").contains("very-secret"));
    }

    #[test]
    fn production_gives_no_welcome_credits_unless_told() {
        let production = [
            ("APP_ENV", "production"),
            ("SECRET_KEY", "0123456789abcdef0123456789abcdef"),
            ("SMTP_URL", "smtp://localhost"),
        ];
        let (map, _dir) = vars(&production);
        assert_eq!(Config::from_vars(&map).unwrap().auth.welcome_credits, 0);
        let (map, _dir) = vars(&[production.as_slice(), &[("WELCOME_CREDITS", "25")]].concat());
        assert_eq!(Config::from_vars(&map).unwrap().auth.welcome_credits, 25);
    }

    #[test]
    fn a_public_address_is_not_loopback() {
        let (map, _dir) = vars(&[("PUBLIC_URL", "https://studio.example.com")]);
        assert!(!Config::from_vars(&map).unwrap().is_local_loopback());
    }

    #[test]
    fn passwords_in_urls_are_redacted_in_errors() {
        let err = error_for(&[("DATABASE_URL", "mysql://u:hunter2@db/x")]);
        assert!(!err.to_string().contains("hunter2"));
    }
}
