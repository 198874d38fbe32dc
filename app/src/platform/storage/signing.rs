//! HMAC signatures for our own media route: a URL carries its method, key,
//! expiry and response headers, and any change to them breaks the signature.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::platform::config::Secret;
use crate::platform::keys::derive_key;

type HmacSha256 = Hmac<Sha256>;

/// The parts of a media request that are signed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignedRequest {
    pub method: String,
    pub key: String,
    /// Unix seconds after which the URL is refused.
    pub expires: i64,
    pub content_type: String,
    pub file_name: String,
    /// For uploads: the most bytes accepted.
    pub max_bytes: u64,
    /// For a part of a multipart upload: the upload's id and the part's number (1-based).
    pub upload_id: String,
    pub part: u32,
}

impl SignedRequest {
    fn canonical(&self) -> String {
        format!(
            "{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
            self.method,
            self.key,
            self.expires,
            self.content_type,
            self.file_name,
            self.max_bytes,
            self.upload_id,
            self.part
        )
    }
}

/// Why a signed request was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignatureError {
    #[error("the link has expired")]
    Expired,
    #[error("the link signature is not valid")]
    BadSignature,
}

/// Signs and verifies media URLs with a key derived from the app secret.
#[derive(Clone)]
pub struct MediaSigner {
    key: Vec<u8>,
}

impl MediaSigner {
    /// Derives the media-URL key from the app secret, so that this key signs nothing else.
    pub fn new(secret: &Secret) -> Self {
        MediaSigner {
            key: derive_key(secret, "framewright/media-url/v1").to_vec(),
        }
    }

    /// The signature for a request, URL-safe base64.
    pub fn sign(&self, request: &SignedRequest) -> String {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("any key length");
        mac.update(request.canonical().as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// Checks the signature (in constant time) and then the expiry against `now` (unix seconds).
    pub fn verify(
        &self,
        request: &SignedRequest,
        signature: &str,
        now: i64,
    ) -> Result<(), SignatureError> {
        let given = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| SignatureError::BadSignature)?;
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("any key length");
        mac.update(request.canonical().as_bytes());
        mac.verify_slice(&given)
            .map_err(|_| SignatureError::BadSignature)?;
        if now > request.expires {
            return Err(SignatureError::Expired);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> SignedRequest {
        SignedRequest {
            method: "GET".into(),
            key: "u/1/a.png".into(),
            expires: 1_000,
            content_type: "image/png".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_signature_verifies_until_it_expires() {
        let signer = MediaSigner::new(&Secret::new("k".repeat(32)));
        let sig = signer.sign(&request());
        assert_eq!(signer.verify(&request(), &sig, 1_000), Ok(()));
        assert_eq!(
            signer.verify(&request(), &sig, 1_001),
            Err(SignatureError::Expired)
        );
    }

    #[test]
    fn any_changed_part_breaks_the_signature() {
        let signer = MediaSigner::new(&Secret::new("k".repeat(32)));
        let sig = signer.sign(&request());
        let mut other = request();
        other.key = "u/2/a.png".into();
        assert_eq!(
            signer.verify(&other, &sig, 0),
            Err(SignatureError::BadSignature)
        );
        let mut other_part = request();
        other_part.part = 2;
        assert_eq!(
            signer.verify(&other_part, &sig, 0),
            Err(SignatureError::BadSignature)
        );
        let mut longer = request();
        longer.expires += 1;
        assert_eq!(
            signer.verify(&longer, &sig, 0),
            Err(SignatureError::BadSignature)
        );
        let another_secret = MediaSigner::new(&Secret::new("j".repeat(32)));
        assert_eq!(
            another_secret.verify(&request(), &sig, 0),
            Err(SignatureError::BadSignature)
        );
        assert_eq!(
            signer.verify(&request(), "not base64!", 0),
            Err(SignatureError::BadSignature)
        );
    }
}
