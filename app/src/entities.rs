//! SeaORM entities, one file per table. The schema itself is defined by the
//! `migration` crate.

pub mod chat;
pub mod chat_attachment;
pub mod chat_delta;
pub mod chat_image;
pub mod chat_message;
pub mod collection;
pub mod credit_account;
pub mod credit_transaction;
pub mod event;
pub mod generation_job;
pub mod item;
pub mod media;
pub mod model_setting;
pub mod otp_code;
pub mod outbox_message;
pub mod passkey;
pub mod project;
pub mod rate_limit_bucket;
pub mod refresh_token;
pub mod share;
pub mod upload;
pub mod user;
pub mod webauthn_ceremony;
