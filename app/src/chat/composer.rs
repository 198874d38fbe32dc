//! The message box. It never clears itself: the conversation clears it once
//! the message is stored, so a refused message keeps everything typed.

use leptos::prelude::*;
use leptos_fluent::move_tr;

use super::attach::AttachPicker;
use super::cost::MessageCost;
use super::view::{Attachment, MAX_MESSAGE, MAX_VARIANTS};
use crate::error::AppError;
use crate::ui::{Button, ButtonVariant};

/// The checks the server makes on a new message (its text, how many
/// replies, its attachments), made first in the browser; the text and the
/// attachment ids to send.
pub(super) fn check_new_message(
    text: &str,
    variants: u32,
    attachments: &[Attachment],
) -> Result<(String, u32, Vec<String>), AppError> {
    let text = check_message(text)?;
    let variants = super::turns::check_variants(variants)?;
    let ids: Vec<String> = attachments.iter().map(|a| a.media_id.clone()).collect();
    super::attachments::check_attachments(&ids)?;
    Ok((text, variants, ids))
}

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

/// The box with how many replies to ask for, what the message may cost
/// (`cost`, drawn by the caller), Send (and Stop while a reply is written).
/// Ctrl/⌘+Enter sends.
#[component]
pub(super) fn Composer(
    text: RwSignal<String>,
    /// How many replies to ask for at once (1 to [`MAX_VARIANTS`]).
    variants: RwSignal<u32>,
    /// The images the message carries.
    attachments: RwSignal<Vec<Attachment>>,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] streaming: Signal<bool>,
    on_send: Callback<()>,
    #[prop(optional)] on_stop: Option<Callback<()>>,
    /// The most the message may cost, once known.
    #[prop(into)]
    cost: Signal<Option<MessageCost>>,
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
            <AttachPicker attachments/>
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
                {move || cost.get().map(|cost| view! { <CostNote cost/> })}
                <label class="flex items-center gap-1 text-xs text-muted">
                    {move_tr!("chat-variants")}
                    <select
                        name="variants"
                        class="rounded-lg border border-line bg-bg px-2 py-1 text-sm text-fg"
                        on:change=move |ev| variants.set(event_target_value(&ev).parse().unwrap_or(1))
                    >
                        {(1..=MAX_VARIANTS).map(|n| view! {
                            <option value=n.to_string() selected=move || variants.get() == n>{n}</option>
                        }).collect_view()}
                    </select>
                </label>
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

/// "At most N credits" (agent turns and auto-generated images, as the title
/// details), and a warning when the caller cannot pay that now.
#[component]
fn CostNote(cost: MessageCost) -> impl IntoView {
    let detail = move_tr!("chat-cost-detail", {
        "agent" => cost.agent,
        "variants" => cost.variants,
        "images" => cost.images,
    });
    let short = (!cost.affordable()).then(|| {
        let available = cost
            .left_today
            .map_or(cost.balance, |left| left.min(cost.balance));
        view! {
            <span class="text-danger" role="alert">{move_tr!("chat-cost-short", {"available" => available})}</span>
        }
    });
    view! {
        <span class="flex flex-col text-xs text-muted" data-testid="message-cost" title=detail>
            <span>{move_tr!("chat-cost", {"credits" => cost.total})}</span>
            {short}
        </span>
    }
}
