//! Purpose-bound keys derived from the one app secret, so that a key used to
//! sign media URLs can never verify a session token, and so on.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::config::Secret;

/// Derives the 32-byte key for `purpose` (e.g. `"framewright/otp/v1"`).
pub fn derive_key(secret: &Secret, purpose: &str) -> [u8; 32] {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()).expect("any key length");
    mac.update(purpose.as_bytes());
    mac.finalize().into_bytes().into()
}

/// HMAC-SHA256 of `message` under `key`, hex-encoded.
pub fn keyed_hash_hex(key: &[u8], message: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_get_different_keys() {
        let secret = Secret::new("s".repeat(32));
        assert_ne!(derive_key(&secret, "a"), derive_key(&secret, "b"));
        assert_eq!(derive_key(&secret, "a"), derive_key(&secret, "a"));
    }
}
