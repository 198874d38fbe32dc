//! Test support, used by the integration tests and the benchmarks: start the
//! real app on a free port against a fresh database (SQLite or PostgreSQL, per
//! `FW_TEST_DB`), and start the real peers it talks to (an S3-compatible
//! server, an SMTP sink).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use app::platform::clock::{Clock, SystemClock};
use app::platform::config::Config;
use app::platform::state::AppState;
use sea_orm::{ConnectionTrait, Database};

use crate::RunningServer;

/// The secret every test app signs with.
pub const TEST_SECRET: &str = "test-secret-0123456789abcdef0123456789abcdef";

/// Which database engine the tests run against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestDb {
    Sqlite,
    Postgres,
}

impl TestDb {
    /// Reads `FW_TEST_DB` (`sqlite`, the default, or `postgres`).
    pub fn from_env() -> Self {
        match std::env::var("FW_TEST_DB").as_deref() {
            Ok("postgres") => TestDb::Postgres,
            _ => TestDb::Sqlite,
        }
    }
}

/// A folder removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// A new empty folder under the system temp dir.
    pub fn new(prefix: &str) -> Self {
        let path = std::env::temp_dir().join(format!("{prefix}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }
    /// The folder.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A PostgreSQL database created for one test and dropped after it.
pub struct PgTestDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl PgTestDatabase {
    /// Creates `fw_test_<random>` through the admin URL (`FW_TEST_PG_ADMIN_URL`).
    pub async fn create() -> Self {
        let admin_url = std::env::var("FW_TEST_PG_ADMIN_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let name = format!("fw_test_{}", uuid::Uuid::new_v4().simple());
        let admin = Database::connect(&admin_url)
            .await
            .expect("connect to PostgreSQL (is it running?)");
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .expect("create test database");
        let _ = admin.close().await;
        let base = admin_url
            .rsplit_once('/')
            .map(|(b, _)| b)
            .unwrap_or(&admin_url);
        let url = format!("{base}/{name}");
        PgTestDatabase {
            admin_url,
            name,
            url,
        }
    }
}

impl Drop for PgTestDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // Drop runs outside any async context we could borrow: use a small runtime on its own thread.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let admin = Database::connect(&admin_url).await.ok()?;
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await;
                let _ = admin.close().await;
                Some(())
            })
        })
        .join();
    }
}

/// Builds a [`TestApp`].
#[derive(Default)]
pub struct TestAppBuilder {
    vars: HashMap<String, String>,
    clock: Option<Arc<dyn Clock>>,
    all_interfaces: bool,
}

impl TestAppBuilder {
    /// Sets a configuration variable.
    pub fn var(mut self, name: &str, value: impl Into<String>) -> Self {
        self.vars.insert(name.to_string(), value.into());
        self
    }

    /// Listens on every interface (`0.0.0.0`) instead of 127.0.0.1 only, so a
    /// test can call from a non-loopback address of this machine.
    pub fn on_all_interfaces(mut self) -> Self {
        self.all_interfaces = true;
        self
    }

    /// Uses this clock instead of the system clock.
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Starts the app on a free port of 127.0.0.1.
    pub async fn spawn(self) -> TestApp {
        let dir = TempDir::new("fw-test");
        let (database_url, pg) = match TestDb::from_env() {
            TestDb::Sqlite => (
                format!("sqlite://{}/app.db?mode=rwc", dir.path().display()),
                None,
            ),
            TestDb::Postgres => {
                let db = PgTestDatabase::create().await;
                (db.url.clone(), Some(db))
            }
        };
        let host = if self.all_interfaces {
            "0.0.0.0:0"
        } else {
            "127.0.0.1:0"
        };
        let listener = tokio::net::TcpListener::bind(host)
            .await
            .expect("bind port 0");
        let addr = listener.local_addr().expect("local addr");
        let mut vars: HashMap<String, String> = [
            ("DATA_DIR", dir.path().display().to_string()),
            ("DATABASE_URL", database_url),
            ("DATABASE_MAX_CONNECTIONS", "5".to_string()),
            ("SECRET_KEY", TEST_SECRET.to_string()),
            ("LISTEN_ADDR", addr.to_string()),
            ("PUBLIC_URL", format!("http://localhost:{}", addr.port())),
            // Balances in tests start at 0; the welcome credits' own tests set it.
            ("WELCOME_CREDITS", "0".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        vars.extend(self.vars);
        let config = Config::from_vars(&vars).expect("test configuration");
        let clock = self.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let state = AppState::build_with_clock(config, clock)
            .await
            .expect("build app state");
        let server = crate::spawn(state.clone(), listener).expect("serve");
        TestApp {
            addr,
            base_url: format!("http://localhost:{}", addr.port()),
            state,
            server,
            _pg: pg,
            dir,
        }
    }
}

/// The real app, running on a free port against its own database.
pub struct TestApp {
    pub addr: SocketAddr,
    /// `http://localhost:PORT`.
    pub base_url: String,
    pub state: AppState,
    server: RunningServer,
    // Field order matters: the database is dropped after the server stops.
    _pg: Option<PgTestDatabase>,
    dir: TempDir,
}

impl TestApp {
    /// A builder with the test defaults.
    pub fn builder() -> TestAppBuilder {
        TestAppBuilder::default()
    }

    /// Starts an app with the test defaults.
    pub async fn spawn() -> TestApp {
        Self::builder().spawn().await
    }

    /// An absolute URL for a path of this app.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The app's data folder.
    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// Creates the bucket of an app configured for S3 storage.
    pub async fn create_s3_bucket(&self) {
        let app::platform::config::StorageConfig::S3 { bucket, .. } = &self.state.config.storage
        else {
            panic!("the app does not use S3 storage");
        };
        let storage = app::platform::storage::s3::S3Storage::new(
            &self.state.config.storage,
            self.state.clock.clone(),
        )
        .expect("S3 client");
        storage
            .client()
            .create_bucket()
            .bucket(bucket)
            .send()
            .await
            .expect("create the bucket");
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.task.abort();
    }
}

/// A free TCP port on 127.0.0.1 (free when asked; good enough for tests).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// Waits until something listens on `port`.
pub async fn wait_for_port(port: u16, what: &str) {
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what} did not start listening on port {port}");
}

/// A real S3-compatible server (`s3s-fs`, which checks SigV4 signatures and
/// presigned expiry), stopped when dropped.
pub struct S3TestServer {
    pub endpoint: String,
    pub access_key: String,
    pub secret_key: String,
    _process: tokio::process::Child,
    _dir: TempDir,
}

impl S3TestServer {
    /// Starts `s3s-fs` on a free port (install it with `make test-tools`).
    pub async fn start() -> Self {
        let dir = TempDir::new("fw-s3");
        let port = free_port();
        let (access_key, secret_key) = (
            "FWTESTACCESSKEY".to_string(),
            "fw-test-secret-key-0123456789".to_string(),
        );
        let process = tokio::process::Command::new("s3s-fs")
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", &access_key, "--secret-key", &secret_key])
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start s3s-fs (run `make test-tools` to install it)");
        wait_for_port(port, "s3s-fs").await;
        S3TestServer {
            endpoint: format!("http://127.0.0.1:{port}"),
            access_key,
            secret_key,
            _process: process,
            _dir: dir,
        }
    }

    /// The configuration variables that point the app at this server and `bucket`.
    pub fn vars(&self, bucket: &str) -> Vec<(&'static str, String)> {
        vec![
            ("STORAGE", "s3".into()),
            ("S3_ENDPOINT", self.endpoint.clone()),
            ("S3_REGION", "us-east-1".into()),
            ("S3_BUCKET", bucket.into()),
            ("S3_ACCESS_KEY_ID", self.access_key.clone()),
            ("S3_SECRET_ACCESS_KEY", self.secret_key.clone()),
            ("S3_PATH_STYLE", "true".into()),
        ]
    }
}

/// A real SMTP server (Python's aiosmtpd) that keeps every message in a Maildir.
pub struct SmtpSink {
    pub port: u16,
    maildir: TempDir,
    _process: tokio::process::Child,
}

impl SmtpSink {
    /// Starts the sink on a free port (install it with `make test-tools`).
    pub async fn start() -> Self {
        let maildir = TempDir::new("fw-maildir");
        let port = free_port();
        let process = tokio::process::Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path().join("box"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start aiosmtpd (run `make test-tools` to install it)");
        wait_for_port(port, "aiosmtpd").await;
        SmtpSink {
            port,
            maildir,
            _process: process,
        }
    }

    /// Every delivered message, raw.
    pub fn messages(&self) -> Vec<String> {
        let new = self.maildir.path().join("box").join("new");
        let Ok(entries) = std::fs::read_dir(new) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
            .collect()
    }
}
