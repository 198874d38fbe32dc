//! Assets: projects, collections, items, sharing, uploads and the library.
//!
//! Layout: [`view`] (what the browser sees), [`access`] (who may do what),
//! [`rows`] (the library's rows), [`presenter`] (their views), [`media`] (stored bytes, thumbnails, signed
//! links; file formats live in [`crate::media`]); server
//! functions by subject in [`projects`], [`collections`], [`items`],
//! [`sharing`] and [`uploads`]; the `/library` pages in [`library`].

#[cfg(feature = "ssr")]
pub mod access;
pub mod collections;
pub mod items;
pub mod library;
#[cfg(feature = "ssr")]
pub mod media;
#[cfg(feature = "ssr")]
pub mod presenter;
pub mod projects;
#[cfg(feature = "ssr")]
pub mod rows;
pub mod sharing;
pub mod uploads;
pub mod view;

pub use library::{ItemPage, LibraryPage};
pub use view::MediaView;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::access::Actor;
    use crate::error::AppError;
    use crate::platform::state::AppState;

    /// The state and the approved account behind a library server function.
    pub fn context() -> Result<(AppState, Actor), AppError> {
        let session = crate::auth::current::require_approved()?;
        let state = leptos::prelude::expect_context::<AppState>();
        Ok((state, Actor::of(&session)))
    }
}
