//! One message of the shown branch. A person's message can be edited (the
//! new text becomes a sibling branch); a reply shows its think block
//! (collapsed, live while it streams), its text as safe Markdown, its
//! suggestions, and how it ended; it can be regenerated (a sibling). Both
//! switch between siblings (‹ 2/3 ›) and fork into a new chat.

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_router::hooks::use_navigate;

use super::chats::select_message;
use super::composer::check_message;
use super::conversation::ChatCtx;
use super::fork::fork_chat;
use super::page::chat_href;
use super::reply::{Think, parse_reply};
use super::rich::Markdown;
use super::suggestions::SuggestionCards;
use super::turns::{regenerate_reply, send_message};
use super::view::{MessageView, status};
use crate::i18n::tr_dynamic;
use crate::ui::{Button, ButtonVariant};

#[component]
pub(super) fn MessageItem(id: String) -> impl IntoView {
    let ctx = expect_context::<ChatCtx>();
    let message = {
        let id = id.clone();
        Memo::new(move |_| {
            ctx.chat
                .with(|c| c.messages.iter().find(|m| m.id == id).cloned())
        })
    };
    // A message never changes its role: the component is chosen once, so a
    // streaming reply updates in place instead of being rebuilt per piece.
    let role = message.with_untracked(|m| m.as_ref().map(|m| m.role.clone()));
    match role.as_deref() {
        Some("user") => view! { <UserMessage message/> }.into_any(),
        Some(_) => view! { <Reply message/> }.into_any(),
        None => ().into_any(),
    }
}

/// ‹ n/m › between a message and its siblings, and Fork.
#[component]
fn Branches(message: Memo<Option<MessageView>>) -> impl IntoView {
    let ctx = expect_context::<ChatCtx>();
    let navigate = use_navigate();
    let fork = Action::new(move |id: &String| fork_chat(id.clone()));
    Effect::new(move |_| match fork.value().get() {
        Some(Ok(summary)) => {
            ctx.list_version.update(|n| *n += 1);
            navigate(&chat_href(&summary.id), Default::default());
        }
        Some(Err(e)) => ctx.error.set(Some(e)),
        None => {}
    });
    let go = move |step: isize| {
        let Some(m) = message.get_untracked() else {
            return;
        };
        let index = m.position() as isize - 1 + step;
        if let Some(target) = usize::try_from(index)
            .ok()
            .and_then(|i| m.sibling_ids.get(i))
        {
            ctx.apply(select_message(target.clone()), || {});
        }
    };
    let count = move || message.with(|m| m.as_ref().map_or(1, |m| m.sibling_ids.len()));
    let position = move || message.with(|m| m.as_ref().map_or(1, MessageView::position));
    view! {
        <div class="flex items-center gap-1 text-xs text-muted">
            <Show when=move || { count() > 1 }>
                <button type="button" class="rounded px-2 py-1 hover:bg-surface-2 disabled:opacity-40"
                    aria-label=move_tr!("chat-branch-previous")
                    disabled={move || position() <= 1 || ctx.busy.get()}
                    on:click=move |_| go(-1)>"‹"</button>
                <span data-testid="branch-position">{move || format!("{}/{}", position(), count())}</span>
                <button type="button" class="rounded px-2 py-1 hover:bg-surface-2 disabled:opacity-40"
                    aria-label=move_tr!("chat-branch-next")
                    disabled={move || position() >= count() || ctx.busy.get()}
                    on:click=move |_| go(1)>"›"</button>
            </Show>
            <button type="button" class="rounded px-2 py-1 hover:bg-surface-2"
                disabled=move || fork.pending().get()
                on:click=move |_| {
                    if let Some(m) = message.get_untracked() {
                        fork.dispatch(m.id);
                    }
                }>{move_tr!("chat-fork")}</button>
        </div>
    }
}

#[component]
fn UserMessage(message: Memo<Option<MessageView>>) -> impl IntoView {
    let ctx = expect_context::<ChatCtx>();
    let editing = RwSignal::new(None::<String>);
    let content =
        move || message.with(|m| m.as_ref().map(|m| m.content.clone()).unwrap_or_default());
    let save = move || {
        let (Some(text), Some(m)) = (editing.get_untracked(), message.get_untracked()) else {
            return;
        };
        match check_message(&text) {
            Err(e) => ctx.error.set(Some(e)),
            Ok(text) => {
                let chat_id = ctx.chat.with_untracked(|c| c.chat.id.clone());
                // The new version keeps the images of the one it replaces.
                let attached: Vec<String> =
                    m.attachments.iter().map(|a| a.media_id.clone()).collect();
                ctx.apply(
                    send_message(chat_id, m.parent_id, text, None, Some(attached)),
                    move || editing.set(None),
                );
            }
        }
    };
    view! {
        <li class="flex flex-col items-end gap-1" data-testid="user-message">
            {move || match editing.get() {
                Some(_) => view! {
                    <form class="flex w-full max-w-2xl flex-col gap-2" on:submit=move |ev| { ev.prevent_default(); save(); }>
                        <label class="sr-only" for="chat-edit">{move_tr!("chat-edit-label")}</label>
                        <textarea id="chat-edit" rows="3"
                            class="w-full rounded-lg border border-line bg-bg px-3 py-2 text-fg focus:border-accent focus:outline-none"
                            prop:value=move || editing.get().unwrap_or_default()
                            on:input=move |ev| editing.set(Some(event_target_value(&ev)))></textarea>
                        <div class="flex justify-end gap-2">
                            <Button variant=ButtonVariant::Ghost on_click=Callback::new(move |()| editing.set(None))>{move_tr!("action-cancel")}</Button>
                            <Button submit=true busy=ctx.busy>{move_tr!("chat-edit-send")}</Button>
                        </div>
                    </form>
                }.into_any(),
                None => view! {
                    <div class="max-w-2xl whitespace-pre-wrap rounded-2xl bg-accent px-4 py-2 text-accent-fg">{content}</div>
                }.into_any(),
            }}
            {move || {
                let attachments = message.with(|m| m.as_ref().map(|m| m.attachments.clone()).unwrap_or_default());
                (!attachments.is_empty()).then(|| view! {
                    <ul class="flex flex-wrap justify-end gap-2" data-testid="message-attachments" aria-label=move_tr!("chat-attachments")>
                        {attachments.into_iter().map(|a| view! {
                            <li>
                                <a href=a.url.clone() target="_blank" rel="noopener">
                                    <img src=a.thumbnail_url.clone().unwrap_or_else(|| a.url.clone()) alt=move_tr!("chat-attachment-alt") class="size-20 rounded-lg object-cover"/>
                                </a>
                            </li>
                        }).collect_view()}
                    </ul>
                })
            }}
            <div class="flex items-center gap-1">
                <button type="button" class="rounded px-2 py-1 text-xs text-muted hover:bg-surface-2"
                    on:click=move |_| editing.set(Some(content()))>{move_tr!("chat-edit")}</button>
                <Branches message/>
            </div>
        </li>
    }
}

fn think_rows(think: &Think) -> Vec<(&'static str, String)> {
    [
        ("chat-think-belief", &think.belief_prompt),
        ("chat-think-intention", &think.user_intention),
        ("chat-think-preference", &think.user_preference),
        ("chat-think-persona", &think.user_persona),
        ("chat-think-other", &think.other),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| (k, v.clone()))
    .collect()
}

#[component]
fn Reply(message: Memo<Option<MessageView>>) -> impl IntoView {
    let ctx = expect_context::<ChatCtx>();
    let streaming =
        Memo::new(move |_| message.with(|m| m.as_ref().is_some_and(MessageView::is_streaming)));
    let parsed = Memo::new(move |_| {
        message.with(|m| {
            m.as_ref()
                .map(|m| parse_reply(&m.content, !m.is_streaming()))
                .unwrap_or_default()
        })
    });
    let text = Signal::derive(move || parsed.with(|p| p.text.clone()));
    let regenerate = move || {
        if let Some(m) = message.get_untracked() {
            ctx.apply(regenerate_reply(m.id), || {});
        }
    };
    view! {
        <li class="flex flex-col gap-2" data-testid="reply" aria-busy=move || streaming.get().to_string()>
            {move || parsed.with(|p| p.think.clone()).map(|think| view! {
                <details class="rounded-lg border border-line bg-surface px-3 py-2 text-sm" data-testid="think">
                    <summary class="cursor-pointer text-muted">
                        {if think.complete { move_tr!("chat-thought") } else { move_tr!("chat-thinking") }}
                    </summary>
                    <dl class="mt-2 space-y-1">
                        {think_rows(&think).into_iter().map(|(key, value)| view! {
                            <div><dt class="font-medium text-fg">{tr_dynamic(key, &[])}</dt><dd class="whitespace-pre-wrap text-muted">{value}</dd></div>
                        }).collect_view()}
                    </dl>
                </details>
            })}
            <Markdown text/>
            {move || parsed.with(|p| (p.malformed > 0).then_some(p.malformed)).map(|n| view! {
                <p class="text-sm text-muted" data-testid="suggestions-malformed">{move_tr!("chat-suggestions-malformed", {"count" => n})}</p>
            })}
            {move || parsed.with(|p| (p.cut > 0).then_some(p.cut)).map(|n| view! {
                <p class="text-sm text-muted">{move_tr!("chat-suggestions-cut", {"count" => n})}</p>
            })}
            <SuggestionCards message parsed/>
            {move || {
                let m = message.get()?;
                match m.status.as_str() {
                    status::STREAMING => Some(view! {
                        <p class="flex items-center gap-2 text-sm text-muted" role="status">
                            <span class="size-3 animate-spin rounded-full border-2 border-current border-t-transparent" aria-hidden="true"></span>
                            {move_tr!("chat-writing")}
                        </p>
                    }.into_any()),
                    status::STOPPED => Some(view! { <p class="text-sm text-muted" data-testid="reply-stopped">{move_tr!("chat-stopped")}</p> }.into_any()),
                    status::FAILED => {
                        let failure = m.failure.clone();
                        let kind = failure.as_ref().map_or("unknown".to_string(), |f| f.kind.replace('_', "-"));
                        let detail = failure.map(|f| f.detail).unwrap_or_default();
                        Some(view! {
                            <div role="alert" class="rounded-xl border border-danger bg-surface px-4 py-3 text-sm text-danger">
                                <p>{tr_dynamic(&format!("chat-failure-{kind}"), &[])}</p>
                                {(!detail.is_empty()).then(|| view! { <p class="mt-1 text-xs text-muted">{detail}</p> })}
                                <button type="button" class="mt-2 font-medium underline" on:click=move |_| regenerate()>{move_tr!("chat-retry")}</button>
                            </div>
                        }.into_any())
                    }
                    _ => None,
                }
            }}
            <div class="flex items-center gap-1">
                <Show when=move || !streaming.get()>
                    <button type="button" class="rounded px-2 py-1 text-xs text-muted hover:bg-surface-2"
                        disabled=move || ctx.busy.get()
                        on:click=move |_| regenerate()>{move_tr!("chat-regenerate")}</button>
                </Show>
                <Branches message/>
            </div>
        </li>
    }
}
