//! Accounts and roles. Sign-in (email codes, passkeys, sessions) builds on these.

pub mod email;
pub mod profile;
pub mod roles;
