//! Buttons.

use leptos::prelude::*;

/// How much a button stands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ButtonVariant {
    /// The one main action of a view.
    #[default]
    Primary,
    Secondary,
    Ghost,
    Danger,
}

impl ButtonVariant {
    fn classes(self) -> &'static str {
        match self {
            ButtonVariant::Primary => "bg-accent text-accent-fg hover:brightness-110 shadow-sm",
            ButtonVariant::Secondary => {
                "bg-surface-2 text-fg border border-line hover:border-accent"
            }
            ButtonVariant::Ghost => "text-fg hover:bg-surface-2",
            ButtonVariant::Danger => "bg-danger text-white hover:brightness-110",
        }
    }
}

/// The classes every button shares; also used by links styled as buttons.
pub const BUTTON_BASE: &str = "inline-flex items-center justify-center gap-2 rounded-lg px-4 py-2 text-sm font-medium transition focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent disabled:opacity-50 disabled:cursor-not-allowed min-h-10";

/// The classes for a link that looks like a button of `variant`.
pub fn button_classes(variant: ButtonVariant) -> String {
    format!("{BUTTON_BASE} {}", variant.classes())
}

/// A button. `busy` disables it and shows a spinner while an action runs.
#[component]
pub fn Button(
    children: Children,
    #[prop(optional)] variant: ButtonVariant,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(optional, into)] busy: Signal<bool>,
    #[prop(optional)] submit: bool,
    #[prop(optional, into)] aria_label: Option<String>,
    #[prop(optional, into)] on_click: Option<Callback<()>>,
) -> impl IntoView {
    view! {
        <button
            type=if submit { "submit" } else { "button" }
            class=button_classes(variant)
            disabled=move || disabled.get() || busy.get()
            aria-busy=move || busy.get().then_some("true")
            aria-label=aria_label
            on:click=move |_| {
                if let Some(on_click) = on_click {
                    on_click.run(());
                }
            }
        >
            <Show when=move || busy.get()>
                <span class="size-4 animate-spin rounded-full border-2 border-current border-t-transparent" aria-hidden="true"></span>
            </Show>
            {children()}
        </button>
    }
}
