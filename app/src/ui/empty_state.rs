//! Empty states: what a view says when it has nothing to show yet.

use leptos::prelude::*;

/// A friendly placeholder with a title, an explanation and an optional action.
#[component]
pub fn EmptyState(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] body: Signal<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="flex flex-col items-center justify-center gap-3 rounded-2xl border border-dashed border-line px-6 py-16 text-center">
            <div class="grid size-12 place-items-center rounded-full bg-surface-2 text-2xl" aria-hidden="true">"✦"</div>
            <h2 class="text-lg font-semibold text-fg">{title}</h2>
            <p class="max-w-md text-sm text-muted">{body}</p>
            {children.map(|c| c())}
        </div>
    }
}
