//! Framewright: the application, organised by feature. Pages and server
//! functions compile for both sides; server-only services sit behind the `ssr`
//! feature and never reach the wasm bundle.

// Nested views are deeply nested types; the release wasm build needs room to lay them out.
#![recursion_limit = "256"]

pub mod admin;
pub mod assets;
pub mod auth;
pub mod catalog;
pub mod chat;
pub mod cookie;
pub mod credits;
pub mod error;
pub mod generation;
pub mod home;
pub mod i18n;
pub mod media;
pub mod pages;
pub mod routes;
pub mod shell;
pub mod storyboard;
pub mod ui;
pub mod values;

#[cfg(feature = "ssr")]
pub mod entities;
#[cfg(feature = "ssr")]
pub mod platform;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, SsrMode, path};

use crate::i18n::I18nProvider;
use crate::routes::*;
use crate::shell::{AppLayout, LoadFailureNotice};
use crate::ui::provide_toasts;
use crate::ui::theme::Theme;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let theme_class = Theme::current().html_class();
    view! {
        <!DOCTYPE html>
        <html class=theme_class>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                // The CSS under its content-hashed name in release builds.
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body class="flex min-h-dvh flex-col bg-bg text-fg antialiased">
                <App/>
            </body>
        </html>
    }
}

/// The application: translations, layout and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_toasts();
    auth::provide_session();
    // Effects run only in the browser: this marks the page as hydrated (tests wait for it).
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <I18nProvider>
            <Title formatter=|page: String| if page.is_empty() { "Framewright".to_string() } else { format!("{page} · Framewright") }/>
            <Router>
                <AppLayout>
                    <Routes fallback=pages::NotFound>
                        <Route path=path!("/") view=home::HomePage ssr=SsrMode::InOrder/>
                        <Route path=path!("/chat") view={Lazy::<ChatRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("/storyboard") view={Lazy::<StoryboardRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("/studio") view={Lazy::<StudioRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("/generations") view={Lazy::<GenerationsRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("/generations/:id") view={Lazy::<GenerationRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("/library") view={Lazy::<LibraryRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("/library/items/:id") view={Lazy::<ItemRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("/credits") view={Lazy::<CreditsRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("/profile") view={Lazy::<ProfileRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("/admin") view={Lazy::<AdminRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("/admin/users") view={Lazy::<AdminUsersRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("/admin/models") view={Lazy::<AdminModelsRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("/admin/credits") view={Lazy::<AdminCreditsRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("/admin/chats") view={Lazy::<AdminChatsRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("/outbox") view={Lazy::<OutboxRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("/sign-in") view=auth::sign_in::SignInPage ssr=SsrMode::InOrder/>
                    </Routes>
                </AppLayout>
            </Router>
            <LoadFailureNotice/>
        </I18nProvider>
    }
}
