//! One open chat: its title (rename, delete, the chat it was forked from),
//! the shown branch, and the composer. A reply being written is followed on
//! `/events/chat/{id}` from the last piece the page has, so a reload or a
//! second tab continues where the stored text ends.

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_router::hooks::use_navigate;

use super::chats::{delete_chat, rename_chat, set_auto_generate};
use super::composer::{Composer, check_new_message};
use super::cost::estimate_message;
use super::message::MessageItem;
use super::page::chat_href;
use super::sidebar::title_or_new;
use super::turns::{send_message, stop_reply};
use super::view::ChatView;
use crate::error::AppError;
use crate::generation::job_updates::{JobUpdates, use_live_jobs};
use crate::ui::error::ErrorNotice;
use crate::ui::{Button, ButtonVariant};

/// What the parts of an open chat share.
#[derive(Clone, Copy)]
pub(super) struct ChatCtx {
    pub chat: RwSignal<ChatView>,
    pub error: RwSignal<Option<AppError>>,
    pub busy: RwSignal<bool>,
    pub list_version: RwSignal<u32>,
    pub jobs: JobUpdates,
}

impl ChatCtx {
    /// Runs an action that answers the chat's new state; `then` runs on success.
    pub fn apply<F>(self, action: F, then: impl FnOnce() + 'static)
    where
        F: std::future::Future<Output = Result<ChatView, AppError>> + 'static,
    {
        self.busy.set(true);
        self.error.set(None);
        leptos::task::spawn_local(async move {
            let result = action.await;
            self.busy.set(false);
            match result {
                Ok(view) => {
                    self.chat.set(view);
                    self.list_version.update(|n| *n += 1);
                    then();
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }
}

#[component]
pub(super) fn Conversation(initial: ChatView, list_version: RwSignal<u32>) -> impl IntoView {
    let ctx = ChatCtx {
        chat: RwSignal::new(initial),
        error: RwSignal::new(None),
        busy: RwSignal::new(false),
        list_version,
        jobs: use_live_jobs(),
    };
    provide_context(ctx);
    follow_reply(ctx);
    watch_variants(ctx);
    let chat = ctx.chat;
    let text = RwSignal::new(String::new());
    let variants = RwSignal::new(1u32);
    let attachments = RwSignal::new(Vec::new());
    // Busy while any reply of the chat is written, the shown one or a variant beside it.
    let streaming = Signal::derive(move || chat.with(|c| c.busy));
    let send = Callback::new(move |()| {
        let checked = attachments.with_untracked(|attached| {
            check_new_message(&text.get_untracked(), variants.get_untracked(), attached)
        });
        match checked {
            Err(e) => ctx.error.set(Some(e)),
            Ok((body, count, attached)) => {
                let (chat_id, parent) = chat.with_untracked(|c| {
                    (c.chat.id.clone(), c.messages.last().map(|m| m.id.clone()))
                });
                ctx.apply(
                    send_message(chat_id, parent, body, Some(count), Some(attached)),
                    move || {
                        text.set(String::new());
                        attachments.set(Vec::new());
                    },
                );
            }
        }
    });
    let cost = LocalResource::new(move || {
        let (id, model, _) = chat.with(|c| {
            (
                c.chat.id.clone(),
                c.chat.model_id.clone(),
                c.chat.auto_generate,
            )
        });
        let count = variants.get();
        // Asked again after each turn: the balance moved.
        ctx.list_version.track();
        async move { estimate_message(Some(id), model, count).await }
    });
    let cost = Signal::derive(move || cost.get().and_then(Result::ok));
    let stop = Callback::new(move |()| {
        // The shown reply (still streaming or not): Stop also ends the variants beside it.
        let shown = chat.with_untracked(|c| {
            c.streaming()
                .or_else(|| c.messages.iter().rfind(|m| m.role == "assistant"))
                .map(|m| m.id.clone())
        });
        if let Some(id) = shown {
            ctx.apply(stop_reply(id), || {});
        }
    });
    view! {
        <div class="flex min-h-[60vh] flex-col gap-4">
            <Header ctx/>
            <ol class="flex flex-col gap-4" data-testid="messages">
                <For
                    each={move || chat.with(|c| c.messages.iter().map(|m| m.id.clone()).collect::<Vec<_>>())}
                    key=|id| id.clone()
                    let:id
                >
                    <MessageItem id/>
                </For>
            </ol>
            {move || ctx.error.get().map(|error| view! { <ErrorNotice error/> })}
            <div class="mt-auto">
                <Composer text variants attachments busy=ctx.busy streaming on_send=send on_stop=stop cost/>
            </div>
        </div>
    }
}

#[component]
fn Header(ctx: ChatCtx) -> impl IntoView {
    let chat = ctx.chat;
    let renaming = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let navigate = use_navigate();
    let delete = Action::new(move |id: &String| delete_chat(id.clone()));
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => {
            ctx.list_version.update(|n| *n += 1);
            navigate("/chat", Default::default());
        }
        Some(Err(e)) => ctx.error.set(Some(e)),
        None => {}
    });
    let save_title = move || {
        let Some(title) = renaming.get_untracked() else {
            return;
        };
        let id = chat.with_untracked(|c| c.chat.id.clone());
        ctx.busy.set(true);
        leptos::task::spawn_local(async move {
            let result = rename_chat(id, title).await;
            ctx.busy.set(false);
            match result {
                Ok(summary) => {
                    chat.update(|c| c.chat = summary);
                    renaming.set(None);
                    ctx.error.set(None);
                    ctx.list_version.update(|n| *n += 1);
                }
                Err(e) => ctx.error.set(Some(e)),
            }
        });
    };
    let toggle_auto = move |on: bool| {
        let id = chat.with_untracked(|c| c.chat.id.clone());
        leptos::task::spawn_local(async move {
            match set_auto_generate(id, on).await {
                Ok(summary) => {
                    chat.update(|c| c.chat = summary);
                    ctx.error.set(None);
                }
                Err(e) => ctx.error.set(Some(e)),
            }
        });
    };
    view! {
        <header class="flex flex-wrap items-center gap-3 border-b border-line pb-3">
            {move || match renaming.get() {
                Some(_) => view! {
                    <form class="flex flex-1 items-center gap-2" on:submit=move |ev| { ev.prevent_default(); save_title(); }>
                        <label for="chat-title" class="sr-only">{move_tr!("chat-title-label")}</label>
                        <input
                            id="chat-title"
                            class="min-h-10 flex-1 rounded-lg border border-line bg-bg px-3 py-2 text-fg focus:border-accent focus:outline-none"
                            prop:value=move || renaming.get().unwrap_or_default()
                            on:input=move |ev| renaming.set(Some(event_target_value(&ev)))
                        />
                        <Button submit=true busy=ctx.busy>{move_tr!("action-save")}</Button>
                        <Button variant=ButtonVariant::Ghost on_click=Callback::new(move |()| renaming.set(None))>{move_tr!("action-cancel")}</Button>
                    </form>
                }.into_any(),
                None => view! {
                    <h1 class="min-w-0 flex-1 truncate text-xl font-bold tracking-tight text-fg" data-testid="chat-heading">
                        {move || chat.with(|c| title_or_new(&c.chat.title))}
                    </h1>
                    <Button variant=ButtonVariant::Ghost on_click=Callback::new(move |()| renaming.set(Some(chat.with_untracked(|c| c.chat.title.clone()))))>
                        {move_tr!("chat-rename")}
                    </Button>
                    {move || if confirming.get() {
                        view! {
                            <Button variant=ButtonVariant::Danger busy=delete.pending() on_click=Callback::new(move |()| {
                                delete.dispatch(chat.with_untracked(|c| c.chat.id.clone()));
                            })>{move_tr!("chat-delete-confirm")}</Button>
                            <Button variant=ButtonVariant::Ghost on_click=Callback::new(move |()| confirming.set(false))>{move_tr!("action-cancel")}</Button>
                        }.into_any()
                    } else {
                        view! {
                            <Button variant=ButtonVariant::Ghost on_click=Callback::new(move |()| confirming.set(true))>{move_tr!("chat-delete")}</Button>
                        }.into_any()
                    }}
                }.into_any(),
            }}
            <label class="flex w-full items-center gap-2 text-sm text-muted">
                <input type="checkbox" name="auto_generate"
                    prop:checked=move || chat.with(|c| c.chat.auto_generate)
                    on:change=move |ev| toggle_auto(event_target_checked(&ev))/>
                {move_tr!("chat-auto-generate")}
            </label>
            {move || chat.with(|c| c.forked_from.clone()).map(|source| view! {
                <a href=chat_href(&source) class="w-full text-sm text-accent underline">{move_tr!("chat-forked-from")}</a>
            })}
        </header>
    }
}

/// While variants beside the shown branch are still written (the shown reply
/// has ended), the chat is read again every second until they end.
fn watch_variants(ctx: ChatCtx) {
    let chat = ctx.chat;
    Effect::new(move |_| {
        let waiting = chat.with(|c| c.busy && c.streaming().is_none());
        if !waiting {
            return;
        }
        let id = chat.with_untracked(|c| c.chat.id.clone());
        set_timeout(
            move || {
                leptos::task::spawn_local(async move {
                    // The page may be gone by now, or busy with an action of its own.
                    if let Ok(view) = super::chats::get_chat(id).await
                        && ctx.busy.try_get_untracked() == Some(false)
                    {
                        chat.try_set(view);
                    }
                });
            },
            std::time::Duration::from_secs(1),
        );
    });
}

/// Follows the reply being written, if any, from the last piece shown.
fn follow_reply(ctx: ChatCtx) {
    #[cfg(feature = "hydrate")]
    {
        use futures::StreamExt;
        use gloo_net::eventsource::futures::EventSource;

        let chat = ctx.chat;
        let current = StoredValue::new_local(None::<(String, EventSource)>);
        let stop_following = move || {
            current.update_value(|c| {
                if let Some((_, source)) = c.take() {
                    source.close();
                }
            })
        };
        on_cleanup(stop_following);
        Effect::new(move |_| {
            let target = chat.with(|c| c.streaming().map(|m| (m.id.clone(), m.last_seq)));
            let following = current.with_value(|c| c.as_ref().map(|(id, _)| id.clone()));
            if target.as_ref().map(|(id, _)| id) == following.as_ref() {
                return;
            }
            stop_following();
            let Some((id, after)) = target else { return };
            let Ok(mut source) = EventSource::new(&format!("/events/chat/{id}?after={after}"))
            else {
                return;
            };
            let (Ok(deltas), Ok(ends)) = (source.subscribe("delta"), source.subscribe("end"))
            else {
                return;
            };
            current.set_value(Some((id.clone(), source)));
            leptos::task::spawn_local(async move {
                let mut events = futures::stream::select(deltas, ends);
                while let Some(Ok((kind, message))) = events.next().await {
                    let data = message.data().as_string().unwrap_or_default();
                    let Ok(value) = serde_json::from_str::<serde_json::Value>(&data) else {
                        continue;
                    };
                    if kind == "delta" {
                        let seq: i32 = message.last_event_id().parse().unwrap_or(0);
                        let text = value["text"].as_str().unwrap_or_default().to_string();
                        chat.update(|c| {
                            if let Some(m) = c.messages.iter_mut().find(|m| m.id == id)
                                && seq > m.last_seq
                            {
                                m.content.push_str(&text);
                                m.last_seq = seq;
                            }
                        });
                    } else {
                        let status = value["status"].as_str().unwrap_or("failed").to_string();
                        let failure = serde_json::from_value(value["failure"].clone()).ok();
                        chat.update(|c| {
                            if let Some(m) = c.messages.iter_mut().find(|m| m.id == id) {
                                m.status = status;
                                m.failure = failure;
                            }
                        });
                        break;
                    }
                }
                current.update_value(|c| {
                    if c.as_ref().is_some_and(|(following, _)| *following == id)
                        && let Some((_, source)) = c.take()
                    {
                        source.close();
                    }
                });
            });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ctx;
}
