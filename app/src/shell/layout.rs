//! The app frame: header with navigation, language and theme switches, the
//! page, and the toast host. Collapses to a menu button below 768 px.

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_router::components::A;

use super::account::AccountMenu;
use crate::auth::roles::Role;
use crate::auth::use_session;
use crate::ui::language::LanguageSwitch;
use crate::ui::theme::ThemeToggle;
use crate::ui::toast::ToastHost;

const NAV_LINK: &str = "rounded-lg px-3 py-2 text-sm font-medium text-muted hover:bg-surface-2 hover:text-fg aria-[current=page]:bg-surface-2 aria-[current=page]:text-fg";

/// The navigation entries, in order.
#[component]
fn NavLinks() -> impl IntoView {
    view! {
        <NavLink href="/chat" label=move_tr!("nav-chat")/>
        <NavLink href="/studio" label=move_tr!("nav-studio")/>
        <NavLink href="/storyboard" label=move_tr!("nav-storyboard")/>
        <NavLink href="/library" label=move_tr!("nav-library")/>
        <NavLink href="/credits" label=move_tr!("nav-credits")/>
        <NavLink href="/profile" label=move_tr!("nav-profile")/>
        <AdminLink/>
    }
}

/// One navigation entry. Pointing at it or focusing it starts loading its
/// page's code, so the page is usually there by the time it is chosen.
#[component]
fn NavLink(href: &'static str, #[prop(into)] label: Signal<String>) -> impl IntoView {
    view! {
        <A
            href=href
            attr:class=NAV_LINK
            on:pointerenter=move |_| crate::routes::prefetch(href)
            on:focus=move |_| crate::routes::prefetch(href)
        >
            {label}
        </A>
    }
}

/// "Admin", for admins only.
#[component]
fn AdminLink() -> impl IntoView {
    let session = use_session();
    view! {
        <Transition>
            {move || Suspend::new(async move {
                matches!(session.await, Ok(Some(user)) if user.role == Role::Admin)
                    .then(|| view! { <NavLink href="/admin" label=move_tr!("nav-admin")/> })
            })}
        </Transition>
    }
}

/// Wraps every page.
#[component]
pub fn AppLayout(children: Children) -> impl IntoView {
    let menu_open = RwSignal::new(false);
    view! {
        <a href="#main" class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-surface focus:px-3 focus:py-2">
            {move_tr!("skip-to-content")}
        </a>
        <header class="sticky top-0 z-30 border-b border-line bg-bg/85 backdrop-blur">
            <div class="mx-auto flex h-14 max-w-6xl items-center gap-2 px-4">
                // The name is the link's text (hidden on phones, still read out), so
                // what is seen and what is announced agree.
                <A href="/" attr:class="mr-2 flex items-center gap-2 font-semibold tracking-tight text-fg">
                    <span class="grid size-7 place-items-center rounded-lg bg-accent text-accent-fg" aria-hidden="true">"F"</span>
                    <span class="sr-only sm:not-sr-only">"Framewright"</span>
                </A>
                <nav class="hidden items-center gap-1 md:flex" aria-label=move_tr!("nav-label")>
                    <NavLinks/>
                </nav>
                <div class="ml-auto flex min-w-0 items-center gap-1">
                    <AccountMenu/>
                    // On phones these two live in the menu, so the account fits beside it.
                    <div class="hidden items-center gap-1 md:flex">
                        <LanguageSwitch/>
                        <ThemeToggle/>
                    </div>
                    <button
                        type="button"
                        class="inline-flex min-h-10 items-center rounded-lg px-3 text-fg hover:bg-surface-2 md:hidden"
                        aria-label=move_tr!("nav-menu")
                        aria-expanded=move || if menu_open.get() { "true" } else { "false" }
                        aria-controls="mobile-nav"
                        on:click=move |_| menu_open.update(|open| *open = !*open)
                    >
                        <span aria-hidden="true">"☰"</span>
                    </button>
                </div>
            </div>
            <Show when=move || menu_open.get()>
                <nav
                    id="mobile-nav"
                    class="flex flex-col gap-1 border-t border-line px-4 py-3 md:hidden"
                    aria-label=move_tr!("nav-label")
                    // Following a link closes the menu.
                    on:click=move |_| menu_open.set(false)
                >
                    <NavLinks/>
                    <div class="mt-2 flex items-center gap-2 border-t border-line pt-3" on:click=|ev| ev.stop_propagation()>
                        <LanguageSwitch id="language-switch-menu"/>
                        <ThemeToggle/>
                    </div>
                </nav>
            </Show>
        </header>
        <main id="main" class="mx-auto w-full max-w-6xl flex-1 px-4 py-8">
            {children()}
        </main>
        <footer class="border-t border-line py-6 text-center text-xs text-muted">
            {move_tr!("footer-tagline")}
        </footer>
        <ToastHost dismiss_label=move_tr!("action-dismiss")/>
    }
}
