//! The HTTP listener and the address people reach the app at.

use std::net::SocketAddr;
use std::path::PathBuf;

use url::Url;

use super::{ConfigError, Vars};

/// HTTP listener and the address people reach the app at.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub listen: SocketAddr,
    pub public_url: Url,
    /// Where cargo-leptos put the compiled site (wasm, js, css, public assets).
    pub site_root: PathBuf,
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
        Ok(HttpConfig {
            listen,
            public_url,
            site_root,
        })
    }
}
