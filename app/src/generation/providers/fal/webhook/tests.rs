use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use base64::Engine as _;
use ed25519_dalek::{Signer, SigningKey};
use serde_json::json;

use super::*;
use crate::generation::provider::OutputMedia;
use crate::generation::providers::test_support::{Fake, Reply, fast_http};

const NOW: i64 = 1_752_019_770;

/// A deterministic test keypair (seeded, so no RNG dependency is needed).
fn key(seed: u8) -> SigningKey {
    let seed: [u8; 32] = Sha256::digest([seed; 8]).into();
    SigningKey::from_bytes(&seed)
}

fn jwk(key: &SigningKey) -> serde_json::Value {
    let x = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key.verifying_key().to_bytes());
    json!({"kty": "OKP", "crv": "Ed25519", "x": x, "kid": "k1"})
}

/// A JWKS fake that serves `keys` (changeable) and counts fetches.
async fn jwks(keys: Arc<std::sync::Mutex<Vec<serde_json::Value>>>) -> (Fake, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let fake = Fake::start({
        let count = count.clone();
        move |req| {
            assert_eq!(req.path, "/.well-known/jwks.json");
            count.fetch_add(1, Ordering::SeqCst);
            Reply::json(200, json!({"keys": keys.lock().unwrap().clone()}))
        }
    })
    .await;
    (fake, count)
}

fn verifier(fake: &Fake, min_refetch: Duration) -> FalWebhookVerifier {
    FalWebhookVerifier::new(
        format!("{}/.well-known/jwks.json", fake.base),
        fast_http(),
        Duration::from_secs(3600),
        min_refetch,
    )
    .unwrap()
}

fn body() -> Vec<u8> {
    json!({
        "request_id": "req-9",
        "gateway_request_id": "req-9",
        "status": "OK",
        "payload": {"images": [{"url": "https://v3.fal.media/x.jpeg", "content_type": "image/jpeg"}], "seed": 1}
    })
    .to_string()
    .into_bytes()
}

fn headers(key: &SigningKey, body: &[u8], timestamp: i64) -> http_crate::HeaderMap {
    let ts = timestamp.to_string();
    let sig = key.sign(&signed_message("req-9", "user-1", &ts, body));
    let mut h = http_crate::HeaderMap::new();
    h.insert("X-Fal-Webhook-Request-Id", "req-9".parse().unwrap());
    h.insert("X-Fal-Webhook-User-Id", "user-1".parse().unwrap());
    h.insert("X-Fal-Webhook-Timestamp", ts.parse().unwrap());
    h.insert(
        "X-Fal-Webhook-Signature",
        encode_hex(&sig.to_bytes()).parse().unwrap(),
    );
    h
}

#[tokio::test]
async fn valid_webhook_is_accepted_and_keys_are_cached() {
    let good = key(1);
    let keys = Arc::new(std::sync::Mutex::new(vec![jwk(&key(2)), jwk(&good)]));
    let (fake, fetches) = jwks(keys).await;
    let v = verifier(&fake, Duration::from_secs(60));
    let body = body();

    let hook = v
        .verify(&headers(&good, &body, NOW), &body, NOW + 10)
        .await
        .unwrap();
    assert_eq!(hook.request_id, "req-9");
    assert_eq!(hook.status, FalWebhookStatus::Ok);
    assert_eq!(
        hook.to_poll_status(),
        PollStatus::Done(vec![OutputMedia::Url {
            url: "https://v3.fal.media/x.jpeg".into(),
            content_type: Some("image/jpeg".into())
        }])
    );
    v.verify(&headers(&good, &body, NOW), &body, NOW)
        .await
        .unwrap();
    assert_eq!(
        fetches.load(Ordering::SeqCst),
        1,
        "keys must be fetched once"
    );
}

#[tokio::test]
async fn bad_signature_is_refused_without_hammering_jwks() {
    let keys = Arc::new(std::sync::Mutex::new(vec![jwk(&key(1))]));
    let (fake, fetches) = jwks(keys).await;
    let v = verifier(&fake, Duration::from_secs(60));
    let body = body();
    let err = v
        .verify(&headers(&key(3), &body, NOW), &body, NOW)
        .await
        .unwrap_err();
    assert!(matches!(err, WebhookError::BadSignature), "{err:?}");
    let err = v
        .verify(&headers(&key(3), &body, NOW), &body, NOW)
        .await
        .unwrap_err();
    assert!(matches!(err, WebhookError::BadSignature), "{err:?}");
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn rotated_key_triggers_one_refetch() {
    let keys = Arc::new(std::sync::Mutex::new(vec![jwk(&key(1))]));
    let (fake, fetches) = jwks(keys.clone()).await;
    let v = verifier(&fake, Duration::ZERO);
    let body = body();
    v.verify(&headers(&key(1), &body, NOW), &body, NOW)
        .await
        .unwrap();
    *keys.lock().unwrap() = vec![jwk(&key(4))];
    v.verify(&headers(&key(4), &body, NOW), &body, NOW)
        .await
        .unwrap();
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn stale_or_future_timestamp_is_refused() {
    let keys = Arc::new(std::sync::Mutex::new(vec![jwk(&key(1))]));
    let (fake, fetches) = jwks(keys).await;
    let v = verifier(&fake, Duration::from_secs(60));
    let body = body();
    for now in [NOW + 301, NOW - 301] {
        let err = v
            .verify(&headers(&key(1), &body, NOW), &body, now)
            .await
            .unwrap_err();
        assert!(matches!(err, WebhookError::StaleTimestamp), "{err:?}");
    }
    assert_eq!(
        fetches.load(Ordering::SeqCst),
        0,
        "no key fetch for stale webhooks"
    );
}

#[tokio::test]
async fn tampered_body_is_refused() {
    let keys = Arc::new(std::sync::Mutex::new(vec![jwk(&key(1))]));
    let (fake, _) = jwks(keys).await;
    let v = verifier(&fake, Duration::from_secs(60));
    let body = body();
    let h = headers(&key(1), &body, NOW);
    let tampered = String::from_utf8(body).unwrap().replace("x.jpeg", "y.jpeg");
    let err = v.verify(&h, tampered.as_bytes(), NOW).await.unwrap_err();
    assert!(matches!(err, WebhookError::BadSignature), "{err:?}");
}

#[tokio::test]
async fn missing_header_is_refused() {
    let keys = Arc::new(std::sync::Mutex::new(vec![jwk(&key(1))]));
    let (fake, _) = jwks(keys).await;
    let v = verifier(&fake, Duration::from_secs(60));
    let body = body();
    let mut h = headers(&key(1), &body, NOW);
    h.remove("X-Fal-Webhook-Signature");
    let err = v.verify(&h, &body, NOW).await.unwrap_err();
    assert!(
        matches!(err, WebhookError::MissingHeader("x-fal-webhook-signature")),
        "{err:?}"
    );
}

#[test]
fn error_webhook_becomes_failed_status() {
    let hook: FalWebhook = serde_json::from_value(json!({
        "request_id": "r", "gateway_request_id": "r", "status": "ERROR",
        "error": "Invalid status code: 422",
        "payload": {"detail": [{"loc": ["body", "prompt"], "msg": "field required", "type": "value_error.missing"}]}
    }))
    .unwrap();
    assert_eq!(
        hook.to_poll_status(),
        PollStatus::Failed(ProviderErrorDetail {
            kind: ProviderErrorKind::RejectedInput,
            message: "field required".into()
        })
    );
}

#[test]
fn signed_message_has_fal_layout() {
    let msg = String::from_utf8(signed_message("r", "u", "1", b"{}")).unwrap();
    assert_eq!(
        msg,
        "r\nu\n1\n44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    );
}
