//! Modal dialogs.

use leptos::prelude::*;

/// A modal dialog shown while `open` is true. Escape or the backdrop closes it.
#[component]
pub fn Dialog(
    open: RwSignal<bool>,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] close_label: Signal<String>,
    children: ChildrenFn,
) -> impl IntoView {
    let children = StoredValue::new(children);
    view! {
        <Show when=move || open.get()>
            <div
                class="fixed inset-0 z-40 grid place-items-center bg-black/50 p-4"
                on:click=move |_| open.set(false)
                on:keydown=move |ev| if ev.key() == "Escape" { open.set(false) }
            >
                <div
                    role="dialog"
                    aria-modal="true"
                    aria-label=title
                    tabindex="-1"
                    class="w-full max-w-md rounded-2xl border border-line bg-surface p-6 shadow-xl"
                    on:click=|ev| ev.stop_propagation()
                >
                    <div class="mb-4 flex items-start justify-between gap-4">
                        <h2 class="text-lg font-semibold text-fg">{title}</h2>
                        <button
                            type="button"
                            class="rounded-md px-2 text-muted hover:text-fg"
                            aria-label=close_label
                            on:click=move |_| open.set(false)
                        >
                            "✕"
                        </button>
                    </div>
                    {children.with_value(|c| c())}
                </div>
            </div>
        </Show>
    }
}
