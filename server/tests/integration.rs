//! Integration tests: the real router on a free port, against SQLite or
//! PostgreSQL (`FW_TEST_DB`), with real peers (s3s-fs, aiosmtpd).
//! One test binary keeps link time down.

mod integration {
    mod auth_admin;
    mod auth_otp;
    mod auth_passkeys;
    mod auth_sessions;
    mod auth_support;
    mod chat_admin;
    mod chat_attachments;
    mod chat_compare;
    mod chat_flow;
    mod chat_images;
    mod chat_support;
    mod chat_variants;
    mod config;
    mod credits_admin;
    mod credits_api;
    mod credits_cap;
    mod credits_ledger;
    mod credits_welcome;
    mod delivery;
    mod hardening;
    mod health;
    mod hostile;
    mod jobs_errors;
    mod jobs_events;
    mod jobs_fal;
    mod jobs_flow;
    mod jobs_processes;
    mod jobs_support;
    mod jobs_workers;
    mod library_access;
    mod library_items;
    mod library_support;
    mod mail;
    mod migration_adopt;
    mod models_api;
    mod pages;
    mod person;
    mod providers_check;
    mod soft_authenticator;
    mod storage_disk;
    mod storage_s3;
    mod uploads;
}
