//! Software WebAuthn authenticator + client ("browser") for tests.
//!
//! Emulates a platform passkey: ES256 (P-256) key, "none" attestation, discoverable
//! credential (returns userHandle), UP+UV set. Output is the JSON a browser would POST
//! (PublicKeyCredential.toJSON() shape, base64url without padding), so it can be sent
//! straight to the server's HTTP endpoints or deserialised into webauthn-rs types.
//!
//! Every field of [`Faults`] corrupts one part of the ceremony, for negative tests.
//!
//! dev-dependencies: p256 = { version = "0.14", features = ["ecdsa"] }, sha2,
//! serde_cbor_2 = "0.13", base64 = "0.22", serde_json = "1", uuid = { version = "1", features = ["v4"] }
#![allow(dead_code)]

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use p256::ecdsa::{Signature, SigningKey, signature::Signer};
use serde_cbor_2::Value as Cbor;
use serde_json::{Value as Json, json};
use sha2::{Digest, Sha256};
use webauthn_rs::prelude::{
    CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse,
};

pub const FLAG_UP: u8 = 0x01; // user present
pub const FLAG_UV: u8 = 0x04; // user verified
pub const FLAG_BE: u8 = 0x08; // backup eligible
pub const FLAG_BS: u8 = 0x10; // backup state
pub const FLAG_AT: u8 = 0x40; // attested credential data included

/// COSE: kty=EC2(2), alg=ES256(-7), crv=P-256(1)
const COSE_ALG_ES256: i64 = -7;

/// Knobs to break one thing at a time. `Faults::default()` = an honest authenticator.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// clientDataJSON.origin (default: the origin given to register/assert)
    pub origin: Option<String>,
    /// hash this RP ID into authenticatorData.rpIdHash instead of the requested one
    pub rp_id: Option<String>,
    /// put this challenge into clientDataJSON instead of the requested one
    pub challenge: Option<Vec<u8>>,
    /// clientDataJSON.type (default "webauthn.create" / "webauthn.get")
    pub client_data_type: Option<String>,
    /// clear the UP flag
    pub no_user_present: bool,
    /// clear the UV flag
    pub no_user_verified: bool,
    /// use exactly this signCount (and store it) instead of the authenticator's counter logic
    pub sign_count: Option<u32>,
    /// flip the lowest bit of the last signature byte (DER stays well-formed)
    pub flip_signature_bit: bool,
    /// send this userHandle instead of the stored one (assertion only)
    pub user_handle: Option<Vec<u8>>,
    /// omit userHandle (assertion only; like a non-discoverable credential)
    pub omit_user_handle: bool,
}

/// One credential held by the software authenticator.
#[derive(Clone)]
pub struct SoftPasskey {
    pub cred_id: Vec<u8>,
    /// user.id from the creation options (webauthn-rs: the user's Uuid bytes)
    pub user_handle: Vec<u8>,
    pub rp_id: String,
    pub sign_count: u32,
    /// true: hardware-key style counter (+1 per assertion); false: synced-passkey style (always 0)
    pub increment_counter: bool,
    /// set BE|BS (like iCloud / Google Password Manager passkeys)
    pub backup_eligible: bool,
    key: SigningKey,
}

impl Default for SoftPasskey {
    fn default() -> Self {
        Self::new()
    }
}

fn random_bytes(n: usize) -> Vec<u8> {
    // uuid v4 = 122 random bits from the OS RNG; good enough for test keys/ids.
    let mut out = Vec::with_capacity(n + 16);
    while out.len() < n {
        out.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    }
    out.truncate(n);
    out
}

fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

fn client_data_json(ty: &str, challenge: &[u8], origin: &str) -> Vec<u8> {
    // serde_json sorts keys (browsers put "type" first); webauthn-rs parses it as JSON, order is irrelevant.
    json!({
        "type": ty,
        "challenge": B64URL.encode(challenge),
        "origin": origin,
        "crossOrigin": false,
    })
    .to_string()
    .into_bytes()
}

impl SoftPasskey {
    /// Fresh credential: random P-256 key and 32-byte id, counter 0, +1 per assertion, no BE/BS.
    pub fn new() -> Self {
        let key = loop {
            // from_slice rejects 0 / >= n (negligible probability) -> retry
            if let Ok(k) = SigningKey::from_slice(&random_bytes(32)) {
                break k;
            }
        };
        SoftPasskey {
            cred_id: random_bytes(32),
            user_handle: Vec::new(),
            rp_id: String::new(),
            sign_count: 0,
            increment_counter: true,
            backup_eligible: false,
            key,
        }
    }

    /// Like an iCloud Keychain / Google Password Manager passkey: BE|BS set, counter always 0.
    pub fn synced() -> Self {
        SoftPasskey {
            increment_counter: false,
            backup_eligible: true,
            ..Self::new()
        }
    }

    fn cose_public_key(&self) -> Vec<u8> {
        let point = self.key.verifying_key().to_sec1_point(false); // 0x04 || X || Y
        let bytes = point.as_bytes();
        let (x, y) = (bytes[1..33].to_vec(), bytes[33..65].to_vec());
        let mut m = BTreeMap::new();
        m.insert(Cbor::Integer(1), Cbor::Integer(2)); // kty: EC2
        m.insert(Cbor::Integer(3), Cbor::Integer(COSE_ALG_ES256 as i128)); // alg
        m.insert(Cbor::Integer(-1), Cbor::Integer(1)); // crv: P-256
        m.insert(Cbor::Integer(-2), Cbor::Bytes(x));
        m.insert(Cbor::Integer(-3), Cbor::Bytes(y));
        serde_cbor_2::to_vec(&Cbor::Map(m)).expect("cbor")
    }

    fn auth_data(&self, rp_id: &str, mut flags: u8, count: u32, f: &Faults) -> Vec<u8> {
        if f.no_user_present {
            flags &= !FLAG_UP;
        }
        if f.no_user_verified {
            flags &= !FLAG_UV;
        }
        if self.backup_eligible {
            flags |= FLAG_BE | FLAG_BS;
        }
        let rp = f.rp_id.as_deref().unwrap_or(rp_id);
        let mut ad = sha256(rp.as_bytes()).to_vec(); // rpIdHash
        ad.push(flags);
        ad.extend_from_slice(&count.to_be_bytes()); // signCount, big endian
        ad
    }

    fn sign(&self, auth_data: &[u8], cdj: &[u8], f: &Faults) -> Vec<u8> {
        let mut msg = auth_data.to_vec();
        msg.extend_from_slice(&sha256(cdj));
        let sig: Signature = self.key.sign(&msg); // ECDSA P-256 over SHA-256(msg)
        let mut der = sig.to_der().as_bytes().to_vec();
        if f.flip_signature_bit {
            *der.last_mut().unwrap() ^= 0x01;
        }
        der
    }

    /// navigator.credentials.create(): stores rp id + user handle, returns the browser's JSON.
    pub fn create_json(
        &mut self,
        ccr: &CreationChallengeResponse,
        origin: &str,
        f: &Faults,
    ) -> Json {
        let opts = &ccr.public_key;
        assert!(
            opts.pub_key_cred_params
                .iter()
                .any(|p| p.alg == COSE_ALG_ES256),
            "RP does not accept ES256"
        );
        let pk = self;
        pk.rp_id = opts.rp.id.clone();
        pk.user_handle = opts.user.id.clone();
        if let Some(c) = f.sign_count {
            pk.sign_count = c;
        }
        let challenge = f.challenge.as_deref().unwrap_or(&opts.challenge);
        let ty = f.client_data_type.as_deref().unwrap_or("webauthn.create");
        let cdj = client_data_json(ty, challenge, f.origin.as_deref().unwrap_or(origin));

        let mut ad = pk.auth_data(&opts.rp.id, FLAG_UP | FLAG_UV | FLAG_AT, pk.sign_count, f);
        ad.extend_from_slice(&[0u8; 16]); // AAGUID (zero, as with "none" attestation)
        ad.extend_from_slice(&(pk.cred_id.len() as u16).to_be_bytes());
        ad.extend_from_slice(&pk.cred_id);
        ad.extend_from_slice(&pk.cose_public_key());

        let mut att = BTreeMap::new();
        att.insert(Cbor::Text("fmt".into()), Cbor::Text("none".into()));
        att.insert(Cbor::Text("attStmt".into()), Cbor::Map(BTreeMap::new()));
        att.insert(Cbor::Text("authData".into()), Cbor::Bytes(ad));
        let att_obj = serde_cbor_2::to_vec(&Cbor::Map(att)).expect("cbor");

        let id = B64URL.encode(&pk.cred_id);
        json!({
            "id": id,
            "rawId": id,
            "type": "public-key",
            "response": {
                "clientDataJSON": B64URL.encode(&cdj),
                "attestationObject": B64URL.encode(&att_obj),
                "transports": ["internal", "hybrid"],
            },
            "clientExtensionResults": {},
        })
    }

    pub fn create(
        &mut self,
        ccr: &CreationChallengeResponse,
        origin: &str,
        f: &Faults,
    ) -> RegisterPublicKeyCredential {
        serde_json::from_value(self.create_json(ccr, origin, f))
            .expect("RegisterPublicKeyCredential")
    }

    /// navigator.credentials.get(): assertion JSON for `rcr` (discoverable: ignores allowCredentials).
    pub fn get_json(&mut self, rcr: &RequestChallengeResponse, origin: &str, f: &Faults) -> Json {
        let opts = &rcr.public_key;
        if let Some(c) = f.sign_count {
            self.sign_count = c;
        } else if self.increment_counter {
            self.sign_count += 1;
        }
        let challenge = f.challenge.as_deref().unwrap_or(&opts.challenge);
        let ty = f.client_data_type.as_deref().unwrap_or("webauthn.get");
        let cdj = client_data_json(ty, challenge, f.origin.as_deref().unwrap_or(origin));
        let ad = self.auth_data(&opts.rp_id, FLAG_UP | FLAG_UV, self.sign_count, f);
        let sig = self.sign(&ad, &cdj, f);

        let user_handle = if f.omit_user_handle {
            Json::Null
        } else {
            Json::String(B64URL.encode(f.user_handle.as_deref().unwrap_or(&self.user_handle)))
        };
        let id = B64URL.encode(&self.cred_id);
        json!({
            "id": id,
            "rawId": id,
            "type": "public-key",
            "response": {
                "clientDataJSON": B64URL.encode(&cdj),
                "authenticatorData": B64URL.encode(&ad),
                "signature": B64URL.encode(&sig),
                "userHandle": user_handle,
            },
            "clientExtensionResults": {},
        })
    }

    pub fn get(
        &mut self,
        rcr: &RequestChallengeResponse,
        origin: &str,
        f: &Faults,
    ) -> PublicKeyCredential {
        serde_json::from_value(self.get_json(rcr, origin, f)).expect("PublicKeyCredential")
    }
}
