//! Cards: a framed surface for one thing.

use leptos::prelude::*;

/// A framed surface.
#[component]
pub fn Card(children: Children, #[prop(optional, into)] class: String) -> impl IntoView {
    view! {
        <div class=format!("rounded-2xl border border-line bg-surface p-5 shadow-sm {class}")>
            {children()}
        </div>
    }
}
