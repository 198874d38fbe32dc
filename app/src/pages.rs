//! Pages that belong to no single feature: not found, and the placeholder for
//! features still being built.

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use leptos_meta::Title;

use crate::auth::gate::RequireApproved;
use crate::ui::EmptyState;

/// Shown for any path the router does not know; answered with HTTP 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    // Rendered outside the app (a request no route and no file answers), there
    // are no translations to read: a plain page, never a panic.
    if use_context::<leptos_fluent::I18n>().is_none() {
        return view! {
            <h1>"Not found"</h1>
            <p><a href="/">"Home"</a></p>
        }
        .into_any();
    }
    view! {
        // Read now: leptos_meta renders the title outside this owner, where the
        // translations context cannot be found.
        <Title text=tr!("not-found-title")/>
        <EmptyState title=move_tr!("not-found-title") body=move_tr!("not-found-body")>
            <a href="/" class="text-sm font-medium text-accent hover:underline">{move_tr!("not-found-home")}</a>
        </EmptyState>
    }
    .into_any()
}

/// A real page of the shell whose feature has not landed yet; like every
/// feature page it needs an approved account.
#[component]
pub fn ComingSoon(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] body: Signal<String>,
) -> impl IntoView {
    view! {
        <Title text=title/>
        <h1 class="mb-6 text-2xl font-bold tracking-tight text-fg">{title}</h1>
        <RequireApproved>
            <EmptyState title=move_tr!("coming-soon-title") body=body/>
        </RequireApproved>
    }
}
