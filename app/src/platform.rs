//! Server-only infrastructure: configuration, database, storage, mail,
//! telemetry events and the clock. Features build on these.

pub mod clock;
pub mod config;
pub mod db;
pub mod event_log;
pub mod keys;
pub mod mail;
pub mod query;
pub mod rate_limit;
pub mod state;
pub mod storage;
