//! Security headers. Every response gets `nosniff`, a referrer policy, a
//! permissions policy, `X-Frame-Options: DENY`, HSTS when `PUBLIC_URL` is
//! https, and a Content-Security-Policy: pages get one that allows exactly
//! their own scripts (the per-response nonce Leptos puts on its inline
//! hydration scripts) and the media origins of the storage in use; everything
//! else (JSON, media, events, static files) gets `default-src 'none'`.

use app::platform::config::{Config, StorageConfig};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderName, HeaderValue, header};

/// The policy of responses that are not pages: nothing may load or run, and
/// nothing may frame them.
const NOT_A_PAGE: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The page policy up to the nonce.
const PAGE_HEAD: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'nonce-";

const PERMISSIONS: &str =
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()";

/// The headers this installation sends, worked out once from its configuration.
#[derive(Debug, Clone)]
pub struct Policies {
    /// The page policy after the nonce (before it: [`PAGE_HEAD`]).
    page_tail: String,
    hsts: bool,
}

impl Policies {
    pub fn new(config: &Config) -> Self {
        let media = media_origins(config).join(" ");
        let media = if media.is_empty() {
            String::new()
        } else {
            format!(" {media}")
        };
        Policies {
            page_tail: format!(
                "'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:{media}; \
                 media-src 'self' blob:{media}; connect-src 'self'{media}; font-src 'self'; \
                 object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
            ),
            hsts: config.http.public_url.scheme() == "https",
        }
    }

    /// The Content-Security-Policy of a page whose inline scripts carry `nonce`.
    pub fn page(&self, nonce: &str) -> String {
        format!("{PAGE_HEAD}{nonce}{}", self.page_tail)
    }
}

/// Where media links and upload URLs of this installation point, besides this
/// origin: the S3 endpoint (and its bucket host) and the CDN.
fn media_origins(config: &Config) -> Vec<String> {
    let StorageConfig::S3 {
        endpoint,
        region,
        bucket,
        path_style,
        cdn,
        ..
    } = &config.storage
    else {
        return Vec::new();
    };
    let mut origins = Vec::new();
    match endpoint {
        Some(url) => {
            origins.push(url.origin().ascii_serialization());
            if !path_style && let Some(host) = url.host_str() {
                let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
                origins.push(format!("{}://{bucket}.{host}{port}", url.scheme()));
            }
        }
        None => {
            origins.push(format!("https://{bucket}.s3.{region}.amazonaws.com"));
            origins.push(format!("https://s3.{region}.amazonaws.com"));
        }
    }
    if let Some(cdn) = cdn {
        origins.push(cdn.origin());
    }
    origins
}

/// Adds the headers to every response (a page's own CSP is kept).
pub async fn headers(
    State(policies): State<std::sync::Arc<Policies>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let mut set = |name: HeaderName, value: &'static str| {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    };
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "strict-origin-when-cross-origin");
    set(HeaderName::from_static("permissions-policy"), PERMISSIONS);
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::CONTENT_SECURITY_POLICY, NOT_A_PAGE);
    if policies.hsts {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Config {
        let dir = std::env::temp_dir().join(format!("fw-policy-{}", uuid::Uuid::new_v4()));
        let mut map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        map.insert("DATA_DIR".into(), dir.display().to_string());
        map.insert("SECRET_KEY".into(), "x".repeat(40));
        Config::from_vars(&map).unwrap()
    }

    #[test]
    fn pages_allow_their_nonce_and_the_storage_origins_only() {
        let local = Policies::new(&config(&[]));
        let policy = local.page("abc123");
        assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval' 'nonce-abc123';"));
        assert!(policy.contains("frame-ancestors 'none'"));
        let scripts = policy
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(!scripts.contains("'unsafe-inline'") && !scripts.contains("'unsafe-eval'"));
        assert!(!local.hsts);

        let s3 = Policies::new(&config(&[
            ("STORAGE", "s3"),
            ("S3_BUCKET", "media"),
            ("S3_ACCESS_KEY_ID", "k"),
            ("S3_SECRET_ACCESS_KEY", "s"),
            ("S3_ENDPOINT", "http://127.0.0.1:9000"),
            ("PUBLIC_URL", "https://studio.example.com"),
        ]));
        let policy = s3.page("n");
        assert!(
            policy.contains(
                "img-src 'self' data: blob: http://127.0.0.1:9000 http://media.127.0.0.1:9000;"
            ),
            "{policy}"
        );
        assert!(
            policy.contains("connect-src 'self' http://127.0.0.1:9000"),
            "{policy}"
        );
        assert!(s3.hsts);
    }
}
