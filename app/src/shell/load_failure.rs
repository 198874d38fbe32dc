//! What a person sees when part of the app fails to load (a route's chunk could
//! not be fetched, say, on a dropped connection): a translated message and a
//! reload link instead of a page that silently stops responding.
//!
//! The notice is rendered hidden with every page, in the reader's language. A
//! panic in the browser (which is what a failed chunk load is) leaves the app
//! unable to run any more code, so the panic hook only unhides the notice and
//! points its link at the current address: reloading needs no app code.

use leptos::prelude::*;
use leptos_fluent::move_tr;

/// The element id the panic hook looks for.
pub const LOAD_FAILURE_ID: &str = "load-failure";

/// The hidden notice; shown by [`show_load_failure`].
#[component]
pub fn LoadFailureNotice() -> impl IntoView {
    view! {
        <div
            id=LOAD_FAILURE_ID
            hidden
            role="alert"
            class="fixed inset-x-0 top-0 z-50 border-b border-danger bg-surface px-4 py-3 text-sm text-fg shadow-lg"
        >
            <div class="mx-auto flex max-w-6xl flex-wrap items-center gap-3">
                <p class="min-w-0 flex-1">{move_tr!("load-failure-body")}</p>
                // `rel="external"`: a real page load, not the (broken) app's own navigation.
                <a
                    href="/"
                    rel="external"
                    class="inline-flex min-h-10 items-center rounded-lg bg-accent px-4 text-sm font-medium text-accent-fg hover:opacity-90"
                >
                    {move_tr!("load-failure-reload")}
                </a>
            </div>
        </div>
    }
}

/// Shows the notice, its link reloading the address the person is at. Called
/// from the browser's panic hook; does nothing when there is no page.
#[cfg(feature = "hydrate")]
pub fn show_load_failure() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(notice) = document.get_element_by_id(LOAD_FAILURE_ID) else {
        return;
    };
    if let Ok(Some(link)) = notice.query_selector("a")
        && let Ok(href) = document
            .location()
            .map_or(Ok(String::from("/")), |l| l.href())
    {
        let _ = link.set_attribute("href", &href);
    }
    let _ = notice.remove_attribute("hidden");
}
