//! `/admin`: the pages that run the studio, and their server functions.
//! Every server function checks the caller's role on the server.

pub mod outbox;

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_meta::Title;

use crate::ui::EmptyState;

/// `/admin`. Refused (HTTP 403) unless the caller is an admin; no one is signed
/// in until accounts exist, so it is refused to everyone for now.
#[component]
pub fn AdminPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::FORBIDDEN);
    }
    view! {
        <Title text=move_tr!("admin-title")/>
        <EmptyState title=move_tr!("admin-refused-title") body=move_tr!("admin-refused-body")/>
    }
}
