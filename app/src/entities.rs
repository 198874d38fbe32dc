//! SeaORM entities, one file per table. The schema itself is defined by the
//! `migration` crate.

pub mod event;
pub mod outbox_message;
pub mod user;
