//! Toasts: short notices that appear in a corner and go away by themselves.

use leptos::prelude::*;

/// What kind of notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Info,
    Success,
    Error,
}

#[derive(Debug, Clone)]
struct Toast {
    id: u64,
    kind: ToastKind,
    message: String,
}

/// The toast queue, provided once at the root.
#[derive(Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

impl Toasts {
    /// Shows a notice for a few seconds.
    pub fn push(&self, kind: ToastKind, message: impl Into<String>) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.items.update(|items| {
            items.push(Toast {
                id,
                kind,
                message: message.into(),
            })
        });
        let items = self.items;
        set_timeout(
            move || items.update(|items| items.retain(|t| t.id != id)),
            std::time::Duration::from_secs(5),
        );
    }

    fn dismiss(&self, id: u64) {
        self.items.update(|items| items.retain(|t| t.id != id));
    }
}

/// Provides the toast queue to the tree below.
pub fn provide_toasts() -> Toasts {
    let toasts = Toasts {
        items: RwSignal::new(Vec::new()),
        next_id: StoredValue::new(0),
    };
    provide_context(toasts);
    toasts
}

/// The toast queue provided at the root.
pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}

/// Renders the queue; placed once in the layout.
#[component]
pub fn ToastHost(#[prop(into)] dismiss_label: Signal<String>) -> impl IntoView {
    let toasts = use_toasts();
    view! {
        <div class="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex flex-col items-center gap-2 px-4 sm:items-end" aria-live="polite">
            <For each=move || toasts.items.get() key=|t| t.id let:toast>
                <div
                    role="status"
                    class=match toast.kind {
                        ToastKind::Info => "pointer-events-auto flex max-w-sm items-center gap-3 rounded-xl border border-line bg-surface px-4 py-3 text-sm text-fg shadow-lg",
                        ToastKind::Success => "pointer-events-auto flex max-w-sm items-center gap-3 rounded-xl border border-success bg-surface px-4 py-3 text-sm text-fg shadow-lg",
                        ToastKind::Error => "pointer-events-auto flex max-w-sm items-center gap-3 rounded-xl border border-danger bg-surface px-4 py-3 text-sm text-fg shadow-lg",
                    }
                >
                    <span class="flex-1">{toast.message.clone()}</span>
                    <button type="button" class="text-muted hover:text-fg" aria-label=dismiss_label on:click=move |_| toasts.dismiss(toast.id)>"✕"</button>
                </div>
            </For>
        </div>
    }
}
