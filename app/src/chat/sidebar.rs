//! The sidebar: New chat, a search over titles and messages, and the
//! account's chats, most recently active first, a page at a time.

use leptos::prelude::*;
use leptos_fluent::move_tr;

use super::chats::list_chats;
use super::page::chat_href;
use crate::ui::Pager;
use crate::ui::error::ErrorNotice;

/// A chat's title, or "New chat" while it has none.
pub(super) fn title_or_new(title: &str) -> String {
    if title.is_empty() {
        crate::i18n::tr_dynamic("chat-untitled", &[])
    } else {
        title.to_string()
    }
}

#[component]
pub(super) fn Sidebar(selected: Memo<Option<String>>, version: RwSignal<u32>) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(0u64);
    let list = Resource::new(
        move || (search.get(), page.get(), version.get()),
        |(search, page, _)| list_chats(search, page),
    );
    view! {
        <aside class="flex flex-col gap-3" aria-label=move_tr!("chat-sidebar")>
            <a href="/chat" class="inline-flex min-h-10 items-center justify-center rounded-lg bg-accent px-4 py-2 text-sm font-medium text-accent-fg shadow-sm hover:brightness-110">
                {move_tr!("chat-new")}
            </a>
            <label for="chat-search" class="sr-only">{move_tr!("chat-search")}</label>
            <input
                id="chat-search"
                type="search"
                class="min-h-10 rounded-lg border border-line bg-bg px-3 py-2 text-sm text-fg placeholder:text-muted focus:border-accent focus:outline-none"
                placeholder=move_tr!("chat-search")
                prop:value=move || search.get()
                on:input=move |ev| {
                    search.set(event_target_value(&ev));
                    page.set(0);
                }
            />
            <Transition fallback=move || view! { <p class="text-sm text-muted">{move_tr!("loading")}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                        Ok(list) if list.chats.is_empty() => view! {
                            <p class="text-sm text-muted">{move_tr!("chat-none")}</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <nav aria-label=move_tr!("chat-list")>
                                <ul class="flex flex-col gap-1" data-testid="chat-list">
                                    {list.chats.into_iter().map(|chat| {
                                        let id = chat.id.clone();
                                        let current = move || selected.get().as_deref() == Some(id.as_str());
                                        view! {
                                            <li>
                                                <a
                                                    href=chat_href(&chat.id)
                                                    aria-current=move || current().then_some("page")
                                                    class="block truncate rounded-lg px-3 py-2 text-sm text-fg hover:bg-surface-2 aria-[current=page]:bg-surface-2 aria-[current=page]:font-semibold"
                                                >
                                                    {title_or_new(&chat.title)}
                                                </a>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </nav>
                            <Pager current=list.page pages=list.pages page/>
                        }.into_any(),
                    }
                })}
            </Transition>
        </aside>
    }
}
