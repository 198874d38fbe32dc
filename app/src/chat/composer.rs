//! The message box. It never clears itself: the conversation clears it once
//! the message is stored, so a refused message keeps everything typed.

use leptos::prelude::*;
use leptos_fluent::move_tr;

use super::view::MAX_MESSAGE;
use crate::error::AppError;
use crate::ui::{Button, ButtonVariant};

/// The checks the server makes, made first in the browser (so an empty
/// message never creates an empty chat).
pub(super) fn check_message(text: &str) -> Result<String, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid("message", "error-reason-required"));
    }
    if text.chars().count() > MAX_MESSAGE {
        return Err(AppError::invalid("message", "error-reason-too-long"));
    }
    Ok(text.to_string())
}

/// The box with Send (and Stop while a reply is written). Ctrl/⌘+Enter sends.
#[component]
pub(super) fn Composer(
    text: RwSignal<String>,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] streaming: Signal<bool>,
    on_send: Callback<()>,
    #[prop(optional)] on_stop: Option<Callback<()>>,
) -> impl IntoView {
    let count = move || text.with(|t| t.chars().count());
    let count_class = move || {
        if count() > MAX_MESSAGE {
            "flex-1 text-xs text-danger"
        } else {
            "flex-1 text-xs text-muted"
        }
    };
    view! {
        <form
            class="flex flex-col gap-2 rounded-xl border border-line bg-surface p-3"
            on:submit=move |ev| {
                ev.prevent_default();
                if !busy.get_untracked() && !streaming.get_untracked() {
                    on_send.run(());
                }
            }
        >
            <label for="chat-message" class="sr-only">{move_tr!("chat-message-label")}</label>
            <textarea
                id="chat-message"
                name="message"
                rows="3"
                class="w-full resize-y rounded-lg border border-line bg-bg px-3 py-2 text-fg placeholder:text-muted focus:border-accent focus:outline-none"
                placeholder=move_tr!("chat-message-placeholder")
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                        ev.prevent_default();
                        if !busy.get_untracked() && !streaming.get_untracked() {
                            on_send.run(());
                        }
                    }
                }
            ></textarea>
            <div class="flex items-center gap-3">
                <span class=count_class>
                    {move || format!("{} / {MAX_MESSAGE}", count())}
                </span>
                {move || (streaming.get() && on_stop.is_some()).then(|| view! {
                    <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |()| {
                        if let Some(stop) = on_stop {
                            stop.run(());
                        }
                    })>
                        {move_tr!("chat-stop")}
                    </Button>
                })}
                <Button submit=true busy disabled=streaming>{move_tr!("chat-send")}</Button>
            </div>
        </form>
    }
}
