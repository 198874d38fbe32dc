//! Value types that several layers share: checked once where they enter,
//! trusted everywhere after. They sit below `platform`, so configuration can
//! use them without importing a feature.

pub mod email;

pub use email::Email;
