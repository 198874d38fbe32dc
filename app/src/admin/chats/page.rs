//! The `/admin/chats` page: the list with its search, and (`?c=<id>`) one
//! chat read-only, every branch of its tree indented under its message.

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{AdminChatDetail, AdminChatMessage, admin_get_chat, admin_list_chats};
use crate::i18n::tr_dynamic;
use crate::ui::error::ErrorNotice;
use crate::ui::time::Time;
use crate::ui::{Card, Pager};

fn title_or_untitled(title: &str) -> String {
    if title.is_empty() {
        tr_dynamic("chat-untitled", &[])
    } else {
        title.to_string()
    }
}

/// `/admin/chats`.
#[component]
pub fn AdminChatsPage() -> impl IntoView {
    crate::admin::refuse_non_admins();
    let query = use_query_map();
    let open = Memo::new(move |_| query.with(|q| q.get("c")).filter(|c| !c.is_empty()));
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(0u64);
    let list = Resource::new(
        move || (search.get(), page.get()),
        |(search, page)| admin_list_chats(search, page),
    );
    view! {
        <Title text=move_tr!("admin-chats-title")/>
        <h1 class="mb-6 text-2xl font-bold tracking-tight text-fg">{move_tr!("admin-chats-title")}</h1>
        <div class="grid gap-6 lg:grid-cols-[20rem_minmax(0,1fr)]">
            <section class="flex flex-col gap-3" aria-label=move_tr!("admin-chats-list")>
                <label class="flex flex-col gap-1.5">
                    <span class="text-sm font-medium text-fg">{move_tr!("admin-chats-search")}</span>
                    <input
                        type="search"
                        name="query"
                        class="min-h-10 rounded-lg border border-line bg-bg px-3 text-fg"
                        prop:value=move || search.get()
                        on:input=move |ev| {
                            page.set(0);
                            search.set(event_target_value(&ev));
                        }
                    />
                </label>
                <Transition fallback=move || view! { <p class="text-muted">{move_tr!("loading")}</p> }>
                    {move || Suspend::new(async move {
                        match list.await {
                            Err(error) => view! { <ErrorNotice error/> }.into_any(),
                            Ok(found) if found.chats.is_empty() => view! {
                                <p class="text-sm text-muted">{move_tr!("admin-chats-none")}</p>
                            }.into_any(),
                            Ok(found) => view! {
                                <ul class="flex flex-col divide-y divide-line" data-testid="admin-chats">
                                    {found.chats.into_iter().map(|c| {
                                        let id = c.id.clone();
                                        let current = move || open.get().as_deref() == Some(id.as_str());
                                        view! {
                                            <li>
                                                <a href=format!("/admin/chats?c={}", c.id)
                                                    class="block py-2 hover:bg-surface-2 aria-[current=page]:font-semibold"
                                                    aria-current=move || current().then_some("page")>
                                                    <span class="block truncate text-fg">{title_or_untitled(&c.title)}</span>
                                                    <span class="block truncate text-xs text-muted">
                                                        {c.owner_email.clone()} " · " <Time at=c.updated_at.clone() in_link=true/>
                                                    </span>
                                                </a>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                                <Pager current=found.page pages=found.pages page/>
                            }.into_any(),
                        }
                    })}
                </Transition>
            </section>
            <section class="min-w-0" aria-label=move_tr!("admin-chats-open")>
                {move || match open.get() {
                    Some(id) => view! { <OpenChat id/> }.into_any(),
                    None => view! { <p class="text-sm text-muted">{move_tr!("admin-chats-pick")}</p> }.into_any(),
                }}
            </section>
        </div>
    }
}

#[component]
fn OpenChat(id: String) -> impl IntoView {
    let detail = Resource::new(move || id.clone(), admin_get_chat);
    view! {
        <Transition fallback=move || view! { <p class="text-muted">{move_tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    Ok(detail) => view! { <ChatTree detail/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ChatTree(detail: AdminChatDetail) -> impl IntoView {
    view! {
        <Card>
            <h2 class="text-lg font-semibold text-fg" data-testid="admin-chat-title">{title_or_untitled(&detail.chat.title)}</h2>
            <p class="mt-1 text-sm text-muted">
                {move_tr!("admin-chats-owner", {"email" => detail.chat.owner_email.clone(), "model" => detail.chat.model_id.clone()})}
            </p>
            {detail.forked_from.clone().map(|source| view! {
                <a href=format!("/admin/chats?c={source}") class="text-sm text-accent underline">{move_tr!("chat-forked-from")}</a>
            })}
            <p class="mt-1 text-xs text-muted">{move_tr!("admin-chats-read-only")}</p>
            <ol class="mt-4 flex flex-col gap-2" data-testid="admin-chat-messages">
                {detail.messages.into_iter().map(|m| view! { <TreeMessage message=m/> }).collect_view()}
            </ol>
        </Card>
    }
}

#[component]
fn TreeMessage(message: AdminChatMessage) -> impl IntoView {
    // Indented by depth, capped so deep trees stay readable on a phone.
    let indent = format!("margin-inline-start: {}rem", message.depth.min(12));
    let who = if message.role == "user" {
        move_tr!("admin-chats-role-user")
    } else {
        move_tr!("admin-chats-role-agent")
    };
    let border = if message.shown {
        "rounded-lg border border-accent bg-surface px-3 py-2"
    } else {
        "rounded-lg border border-line bg-surface px-3 py-2"
    };
    let status = message.status.clone();
    view! {
        <li style=indent class=border data-testid="admin-chat-message" data-role=message.role.clone()>
            <p class="flex flex-wrap gap-2 text-xs text-muted">
                <span class="font-medium text-fg">{who}</span>
                {(message.siblings > 1).then(|| view! {
                    <span data-testid="admin-branch">{format!("{}/{}", message.position, message.siblings)}</span>
                })}
                {(status != "done").then(|| view! { <span>{tr_dynamic(&format!("admin-chats-status-{status}"), &[])}</span> })}
                {message.shown.then(|| view! { <span>{move_tr!("admin-chats-shown")}</span> })}
                <Time at=message.created_at.clone()/>
            </p>
            // Plain text: an admin reads exactly what was stored, and no markup runs.
            <p class="mt-1 whitespace-pre-wrap break-words text-sm text-fg">{message.content.clone()}</p>
        </li>
    }
}
