//! The chat screen: the sidebar beside the open chat (or a blank one that
//! becomes a chat with its first message).

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::chats::{create_chat, get_chat};
use super::composer::Composer;
use super::conversation::Conversation;
use super::cost::estimate_message;
use super::sidebar::Sidebar;
use super::turns::send_message;
use super::view::ChatView;
use crate::error::AppError;
use crate::generation::models::list_models;
use crate::ui::error::ErrorNotice;

/// The address of a chat.
pub(super) fn chat_href(id: &str) -> String {
    format!("/chat?c={id}")
}

#[component]
pub(super) fn ChatScreen() -> impl IntoView {
    let query = use_query_map();
    let chat_id = Memo::new(move |_| query.with(|q| q.get("c")).filter(|c| !c.is_empty()));
    // Bumped whenever the sidebar may be out of date.
    let list_version = RwSignal::new(0u32);
    view! {
        <div class="grid gap-6 md:grid-cols-[16rem_minmax(0,1fr)]">
            <Sidebar selected=chat_id version=list_version/>
            <section class="min-w-0" aria-label=move_tr!("chat-conversation")>
                {move || match chat_id.get() {
                    Some(id) => view! { <OpenChat id list_version/> }.into_any(),
                    None => view! { <BlankChat list_version/> }.into_any(),
                }}
            </section>
        </div>
    }
}

/// An open chat. It is drawn in the browser only: a reply that streams on
/// changes between the server's render and hydration, so the page shows
/// "Loading…" until the app runs and then reads the chat as it is now.
#[component]
fn OpenChat(id: String, list_version: RwSignal<u32>) -> impl IntoView {
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    let loading = move || view! { <p class="text-muted">{move_tr!("loading")}</p> };
    view! {
        <Show when=move || mounted.get() fallback=loading>
            <LoadedChat id=id.clone() list_version/>
        </Show>
    }
}

#[component]
fn LoadedChat(id: String, list_version: RwSignal<u32>) -> impl IntoView {
    let chat = LocalResource::new(move || get_chat(id.clone()));
    view! {
        <Suspense fallback=move || view! { <p class="text-muted">{move_tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match chat.await {
                    Ok(view) => view! { <Conversation initial=view list_version/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// No chat open: the first message creates one.
#[component]
fn BlankChat(list_version: RwSignal<u32>) -> impl IntoView {
    let navigate = use_navigate();
    let text = RwSignal::new(String::new());
    let variants = RwSignal::new(1u32);
    let error = RwSignal::new(None::<AppError>);
    // Empty: the first chat model the installation offers.
    let model = RwSignal::new(String::new());
    let models = Resource::new(|| (), |_| list_models(Some("chat".into())));
    let attachments = RwSignal::new(Vec::new());
    let start = Action::new(
        move |(body, count, attached): &(String, u32, Vec<String>)| {
            let (body, count, attached) = (body.clone(), *count, attached.clone());
            let model = model.get_untracked();
            async move {
                let summary = create_chat(model).await?;
                send_message(summary.id, None, body, Some(count), Some(attached)).await
            }
        },
    );
    Effect::new(move |_| match start.value().get() {
        Some(Ok(view)) => {
            let view: ChatView = view;
            text.set(String::new());
            attachments.set(Vec::new());
            list_version.update(|n| *n += 1);
            navigate(&chat_href(&view.chat.id), Default::default());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let cost = LocalResource::new(move || {
        let (model, count) = (model.get(), variants.get());
        async move { estimate_message(None, model, count).await }
    });
    let cost = Signal::derive(move || cost.get().and_then(Result::ok));
    let send = Callback::new(move |()| {
        error.set(None);
        let checked = attachments.with_untracked(|attached| {
            super::composer::check_new_message(
                &text.get_untracked(),
                variants.get_untracked(),
                attached,
            )
        });
        match checked {
            Ok(body) => {
                start.dispatch(body);
            }
            Err(e) => error.set(Some(e)),
        }
    });
    view! {
        <div class="flex min-h-[60vh] flex-col justify-end gap-6">
            <div class="text-center">
                <h1 class="text-2xl font-bold tracking-tight text-fg">{move_tr!("chat-title")}</h1>
                <p class="mt-2 text-muted">{move_tr!("chat-blank-body")}</p>
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let models = models.await.unwrap_or_default();
                    (models.len() > 1).then(|| view! {
                        <label class="flex items-center gap-2 self-end text-sm text-muted">
                            {move_tr!("chat-model")}
                            <select class="rounded-lg border border-line bg-bg px-2 py-1 text-sm text-fg"
                                on:change=move |ev| model.set(event_target_value(&ev))>
                                {models.into_iter().map(|e| view! { <option value=e.model.id>{e.model.name}</option> }).collect_view()}
                            </select>
                        </label>
                    })
                })}
            </Transition>
            {move || error.get().map(|error| view! { <ErrorNotice error/> })}
            <Composer text variants attachments busy=start.pending() streaming=Signal::derive(|| false) on_send=send cost/>
        </div>
    }
}
