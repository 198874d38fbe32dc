//! The app shell around every page: the header with navigation, the account
//! menu (which knows about sessions) and the footer. `ui/` stays the design
//! system and knows nothing about accounts.

pub mod account;
pub mod layout;

pub use layout::AppLayout;
