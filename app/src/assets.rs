//! Assets: projects, collections, items, sharing, uploads and the library.
//!
//! Layout: [`view`] (what the browser sees), [`access`] (who may do what),
//! [`store`] (rows and views), [`media`] (stored bytes, thumbnails, signed
//! links), [`inspect`] (what a file really is), [`thumbnail`]; server
//! functions by subject in [`projects`], [`collections`], [`items`],
//! [`sharing`] and [`uploads`]; the `/library` pages in [`library`].

#[cfg(feature = "ssr")]
pub mod access;
pub mod collections;
pub mod inspect;
pub mod items;
pub mod library;
#[cfg(feature = "ssr")]
pub mod media;
pub mod projects;
pub mod sharing;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod thumbnail;
pub mod uploads;
pub mod view;

pub use library::{ItemPage, LibraryPage};
pub use view::MediaView;

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use super::access::Actor;
    use crate::error::AppError;
    use crate::platform::state::AppState;

    /// The state and the approved account behind a library server function.
    pub fn context() -> Result<(AppState, Actor), AppError> {
        let session = crate::auth::current::require_approved()?;
        let state = leptos::prelude::expect_context::<AppState>();
        Ok((state, Actor::of(&session)))
    }

    pub use crate::error::fail as refuse;
}
