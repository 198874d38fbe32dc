//! The app shell around every page: the header with navigation, the account
//! menu (which knows about sessions) and the footer. `ui/` stays the design
//! system and knows nothing about accounts.

pub mod account;
pub mod layout;
pub mod load_failure;

pub use layout::AppLayout;
pub use load_failure::LoadFailureNotice;
