//! CloudFront signed URLs: when a CDN sits in front of the S3 bucket, media
//! links point at the CDN and carry a canned policy signed with the
//! distribution's key pair (RSA-SHA1, as CloudFront requires), so the CDN
//! serves only links we issued, until they expire.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use sha1::{Digest, Sha1};
use url::Url;

/// Signs CloudFront URLs for one distribution.
pub struct CdnSigner {
    base: Url,
    key_pair_id: String,
    key: RsaPrivateKey,
}

impl std::fmt::Debug for CdnSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CdnSigner")
            .field("base", &self.base.as_str())
            .field("key_pair_id", &self.key_pair_id)
            .finish_non_exhaustive()
    }
}

impl CdnSigner {
    /// The distribution's origin (`https://cdn.example.com`), for the pages'
    /// Content-Security-Policy.
    pub fn origin(&self) -> String {
        self.base.origin().ascii_serialization()
    }

    /// A signer for the distribution at `base` with the key pair's id and its
    /// private key (PEM, PKCS#1 or PKCS#8). The error says what is wrong.
    pub fn new(base: Url, key_pair_id: &str, private_key_pem: &str) -> Result<Self, String> {
        let key = RsaPrivateKey::from_pkcs1_pem(private_key_pem)
            .or_else(|_| RsaPrivateKey::from_pkcs8_pem(private_key_pem))
            .map_err(|_| "expected an RSA private key in PEM form".to_string())?;
        if key_pair_id.trim().is_empty() {
            return Err("the key pair id is empty".into());
        }
        Ok(CdnSigner {
            base,
            key_pair_id: key_pair_id.trim().to_string(),
            key,
        })
    }

    /// The canned policy CloudFront checks the signature against.
    fn policy(resource: &str, expires: i64) -> String {
        format!(
            r#"{{"Statement":[{{"Resource":"{resource}","Condition":{{"DateLessThan":{{"AWS:EpochTime":{expires}}}}}}}]}}"#
        )
    }

    /// A signed URL for object `key` (with `query`, e.g. the response
    /// headers to override) that works until `expires` (unix seconds).
    pub fn sign(&self, key: &str, query: &[(&str, &str)], expires: i64) -> String {
        let mut url = self.base.clone();
        let path = format!("{}/{key}", url.path().trim_end_matches('/'));
        url.set_path(&path);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let resource = url.to_string();
        let digest = Sha1::digest(Self::policy(&resource, expires).as_bytes());
        let signature = self
            .key
            .sign(Pkcs1v15Sign::new::<Sha1>(), &digest)
            .expect("signing with a valid RSA key");
        // CloudFront's URL-safe base64: + → -, = → _, / → ~.
        let signature: String = STANDARD
            .encode(signature)
            .chars()
            .map(|c| match c {
                '+' => '-',
                '=' => '_',
                '/' => '~',
                other => other,
            })
            .collect();
        url.query_pairs_mut()
            .append_pair("Expires", &expires.to_string())
            .append_pair("Signature", &signature)
            .append_pair("Key-Pair-Id", &self.key_pair_id);
        url.to_string()
    }
}

#[cfg(test)]
mod tests {
    use rsa::pkcs1::EncodeRsaPrivateKey;
    use rsa::{RsaPublicKey, pkcs8::LineEnding};

    use super::*;

    fn key() -> RsaPrivateKey {
        let mut rng = rsa::rand_core::OsRng;
        RsaPrivateKey::new(&mut rng, 1024).unwrap()
    }

    #[test]
    fn urls_carry_a_canned_policy_signature_cloudfront_can_check() {
        let private = key();
        let pem = private.to_pkcs1_pem(LineEnding::LF).unwrap();
        let signer = CdnSigner::new(
            Url::parse("https://media.example.com/").unwrap(),
            "K2JCJMDEHXQW5F",
            &pem,
        )
        .unwrap();
        let url = signer.sign(
            "u/1/a.png",
            &[(
                "response-content-disposition",
                "attachment; filename=\"a.png\"",
            )],
            1_900_000_000,
        );
        let parsed = Url::parse(&url).unwrap();
        assert_eq!(parsed.host_str(), Some("media.example.com"));
        assert_eq!(parsed.path(), "/u/1/a.png");
        let pairs: std::collections::HashMap<_, _> = parsed.query_pairs().into_owned().collect();
        assert_eq!(pairs["Expires"], "1900000000");
        assert_eq!(pairs["Key-Pair-Id"], "K2JCJMDEHXQW5F");
        assert_eq!(
            pairs["response-content-disposition"],
            "attachment; filename=\"a.png\""
        );

        // What CloudFront does: rebuild the resource without the three
        // signing parameters and verify against the public key.
        let signed_part = &url[..url.find("&Expires=").unwrap()];
        let policy = CdnSigner::policy(signed_part, 1_900_000_000);
        let signature: String = pairs["Signature"]
            .chars()
            .map(|c| match c {
                '-' => '+',
                '_' => '=',
                '~' => '/',
                other => other,
            })
            .collect();
        let signature = STANDARD.decode(signature).unwrap();
        let public = RsaPublicKey::from(&private);
        let digest = Sha1::digest(policy.as_bytes());
        assert!(
            public
                .verify(Pkcs1v15Sign::new::<Sha1>(), &digest, &signature)
                .is_ok()
        );
        let other = Sha1::digest(CdnSigner::policy(signed_part, 1_900_000_001).as_bytes());
        assert!(
            public
                .verify(Pkcs1v15Sign::new::<Sha1>(), &other, &signature)
                .is_err(),
            "a longer expiry breaks the signature"
        );
    }

    #[test]
    fn a_bad_key_is_refused_with_a_reason() {
        let base = Url::parse("https://media.example.com").unwrap();
        assert!(CdnSigner::new(base.clone(), "K", "not a key").is_err());
        let pem = key().to_pkcs1_pem(LineEnding::LF).unwrap();
        assert!(CdnSigner::new(base, " ", &pem).is_err());
    }
}
