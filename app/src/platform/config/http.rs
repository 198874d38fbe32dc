//! The HTTP listener and the address people reach the app at.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use url::Url;

use super::{ConfigError, Vars};

/// HTTP listener and the address people reach the app at.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub listen: SocketAddr,
    pub public_url: Url,
    /// Where cargo-leptos put the compiled site (wasm, js, css, public assets).
    pub site_root: PathBuf,
    /// How long a client may take to send a request's headers (`HTTP_HEADER_TIMEOUT_SECS`).
    pub header_timeout: Duration,
    /// Connections one peer address may hold open (`MAX_CONNECTIONS_PER_PEER`).
    pub max_connections_per_peer: usize,
    /// Live event streams one account may hold open (`MAX_STREAMS_PER_ACCOUNT`).
    pub max_streams_per_account: usize,
    /// Largest request body outside uploads, in bytes (`REQUEST_BODY_LIMIT_KB`).
    pub request_body_limit: usize,
}

impl HttpConfig {
    pub(super) fn from_vars(vars: &Vars<'_>) -> Result<Self, ConfigError> {
        let listen = vars.parse(
            "LISTEN_ADDR",
            SocketAddr::from(([127, 0, 0, 1], 3000)),
            |v| {
                v.parse::<SocketAddr>()
                    .map_err(|_| "expected an address like 127.0.0.1:3000".into())
            },
        )?;
        let default_public = format!("http://localhost:{}", listen.port());
        let public_url = vars.parse(
            "PUBLIC_URL",
            Url::parse(&default_public).expect("valid"),
            |v| {
                let url = Url::parse(v).map_err(|e| format!("not a URL: {e}"))?;
                if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
                    return Err("expected an http(s) URL with a host".into());
                }
                Ok(url)
            },
        )?;
        let site_root = PathBuf::from(
            vars.get("LEPTOS_SITE_ROOT")
                .unwrap_or_else(|| "target/site".into()),
        );
        let number = |var: &'static str, default: u64, min: u64, max: u64| {
            vars.parse(var, default, |v| {
                v.parse::<u64>()
                    .ok()
                    .filter(|n| (min..=max).contains(n))
                    .ok_or_else(|| format!("expected a number from {min} to {max}"))
            })
        };
        Ok(HttpConfig {
            listen,
            public_url,
            site_root,
            header_timeout: Duration::from_secs(number("HTTP_HEADER_TIMEOUT_SECS", 30, 1, 600)?),
            max_connections_per_peer: number("MAX_CONNECTIONS_PER_PEER", 256, 1, 100_000)? as usize,
            max_streams_per_account: number("MAX_STREAMS_PER_ACCOUNT", 10, 1, 1000)? as usize,
            request_body_limit: number(
                "REQUEST_BODY_LIMIT_KB",
                crate::error::DEFAULT_REQUEST_BODY_LIMIT / 1024,
                64,
                1024 * 1024,
            )? as usize
                * 1024,
        })
    }
}
