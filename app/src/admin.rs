//! `/admin`: the pages that run the studio, and their server functions.
//! Every server function checks the caller's role on the server; the pages are
//! refused (HTTP 403) to anyone but admins, not merely hidden.

pub mod chats;
pub mod credits;
pub mod models;
pub mod outbox;
pub mod users;

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_meta::Title;

use crate::auth::roles::Role;
use crate::auth::use_session;
use crate::ui::{Card, EmptyState};

/// Answers the page with 403 unless an admin is signed in (server side, before streaming).
pub(crate) fn refuse_non_admins() {
    #[cfg(feature = "ssr")]
    {
        let admin =
            crate::auth::current::current_session().is_some_and(|s| s.user.role == Role::Admin);
        if !admin && let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::FORBIDDEN);
        }
    }
}

/// `/admin`.
#[component]
pub fn AdminPage() -> impl IntoView {
    refuse_non_admins();
    let session = use_session();
    view! {
        <Title text=move_tr!("admin-title")/>
        <Suspense>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(user)) if user.role == Role::Admin => view! {
                        <h1 class="mb-6 text-2xl font-bold tracking-tight text-fg">{move_tr!("admin-title")}</h1>
                        <div class="grid gap-4 sm:grid-cols-2">
                            <a href="/admin/users" class="block">
                                <Card>
                                    <h2 class="font-semibold text-fg">{move_tr!("admin-users-title")}</h2>
                                    <p class="mt-1 text-sm text-muted">{move_tr!("admin-users-blurb")}</p>
                                </Card>
                            </a>
                            <a href="/admin/models" class="block">
                                <Card>
                                    <h2 class="font-semibold text-fg">{move_tr!("admin-models-title")}</h2>
                                    <p class="mt-1 text-sm text-muted">{move_tr!("admin-models-card")}</p>
                                </Card>
                            </a>
                            <a href="/admin/credits" class="block">
                                <Card>
                                    <h2 class="font-semibold text-fg">{move_tr!("admin-credits-title")}</h2>
                                    <p class="mt-1 text-sm text-muted">{move_tr!("admin-credits-blurb")}</p>
                                </Card>
                            </a>
                            <a href="/admin/chats" class="block">
                                <Card>
                                    <h2 class="font-semibold text-fg">{move_tr!("admin-chats-title")}</h2>
                                    <p class="mt-1 text-sm text-muted">{move_tr!("admin-chats-blurb")}</p>
                                </Card>
                            </a>
                            <a href="/outbox" class="block">
                                <Card>
                                    <h2 class="font-semibold text-fg">{move_tr!("outbox-title")}</h2>
                                    <p class="mt-1 text-sm text-muted">{move_tr!("admin-outbox-blurb")}</p>
                                </Card>
                            </a>
                        </div>
                    }.into_any(),
                    _ => view! {
                        <EmptyState title=move_tr!("admin-refused-title") body=move_tr!("admin-refused-body")/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
