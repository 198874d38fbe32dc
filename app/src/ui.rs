//! The design system: every page is built from these pieces, so the app looks
//! and behaves the same everywhere (light and dark, 375 px and up).

pub mod button;
pub mod card;
pub mod dialog;
pub mod empty_state;
pub mod error;
pub mod field;
pub mod format;
pub mod language;
pub mod pager;
pub mod progress;
pub mod settings;
pub mod theme;
pub mod time;
pub mod toast;

pub use button::{Button, ButtonVariant};
pub use card::Card;
pub use dialog::Dialog;
pub use empty_state::EmptyState;
pub use field::TextField;
pub use pager::Pager;
pub use progress::ProgressBar;
pub use toast::{ToastHost, ToastKind, Toasts, provide_toasts, use_toasts};
