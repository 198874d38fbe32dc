//! Assets: projects, collections, items, sharing, uploads and the library.

#[cfg(feature = "ssr")]
pub mod media;
pub mod view;

use leptos::prelude::*;
use leptos_fluent::move_tr;

use crate::pages::ComingSoon;
pub use view::MediaView;

/// `/library`.
#[component]
pub fn LibraryPage() -> impl IntoView {
    view! { <ComingSoon title=move_tr!("nav-library") body=move_tr!("library-coming-soon")/> }
}
