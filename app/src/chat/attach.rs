//! Choosing the images a message carries: picked from the library (the
//! newest images the person may see) or uploaded here with a progress bar
//! each (the library's upload slots); at most four. The choice stays until
//! the message is stored, so a refused message loses nothing.

use leptos::prelude::*;
use leptos_fluent::move_tr;

use super::attachments::check_attachments;
use super::view::{Attachment, MAX_ATTACHMENTS};
use crate::assets::items::list_items;
use crate::assets::uploads::picker::FileUpload;
use crate::assets::view::{ItemQuery, ItemView};
use crate::error::AppError;
use crate::ui::error::ErrorNotice;

fn attachment_of(item: &ItemView) -> Attachment {
    Attachment {
        media_id: item.media.id.clone(),
        url: item.media.url.clone(),
        thumbnail_url: item.media.thumbnail_url.clone(),
    }
}

/// The attached images (each with Remove) and, behind "Attach images", the
/// library's images to pick and an upload field.
#[component]
pub(super) fn AttachPicker(attachments: RwSignal<Vec<Attachment>>) -> impl IntoView {
    let open = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let uploaded = RwSignal::new(Vec::<ItemView>::new());
    let library = LocalResource::new(move || {
        let wanted = open.get();
        async move {
            if !wanted {
                return Ok(Vec::new());
            }
            let query = ItemQuery {
                kind: Some("image".into()),
                ..ItemQuery::default()
            };
            list_items(query).await.map(|page| page.items)
        }
    });
    let images = Signal::derive(move || {
        let mut all = uploaded.get();
        if let Some(Ok(found)) = library.get() {
            for item in found {
                if !all.iter().any(|i| i.id == item.id) {
                    all.push(item);
                }
            }
        }
        all
    });
    let is_attached =
        move |media_id: &str| attachments.with(|list| list.iter().any(|a| a.media_id == media_id));
    let toggle = move |item: &ItemView| {
        error.set(None);
        let media_id = item.media.id.clone();
        if is_attached(&media_id) {
            attachments.update(|list| list.retain(|a| a.media_id != media_id));
            return;
        }
        let mut ids: Vec<String> =
            attachments.with_untracked(|list| list.iter().map(|a| a.media_id.clone()).collect());
        ids.push(media_id);
        match check_attachments(&ids) {
            Ok(()) => attachments.update(|list| list.push(attachment_of(item))),
            Err(e) => error.set(Some(e)),
        }
    };
    let on_uploaded = Callback::new(move |item: ItemView| {
        if item.kind == "image" {
            uploaded.update(|list| list.insert(0, item.clone()));
            toggle(&item);
        }
    });
    view! {
        <div class="flex flex-col gap-2">
            <div class="flex flex-wrap items-center gap-2">
                <ul class="flex flex-wrap gap-2" data-testid="composer-attachments" aria-label=move_tr!("chat-attachments")>
                    <For each=move || attachments.get() key=|a| a.media_id.clone() let:attached>
                        {
                            let id = attached.media_id.clone();
                            view! {
                                <li class="relative">
                                    <img src=attached.thumbnail_url.clone().unwrap_or(attached.url.clone()) alt=move_tr!("chat-attachment-alt") class="size-14 rounded-lg object-cover"/>
                                    <button type="button"
                                        class="absolute -right-1 -top-1 rounded-full bg-surface px-1.5 text-xs text-fg shadow"
                                        aria-label=move_tr!("chat-attachment-remove")
                                        on:click=move |_| {
                                            error.set(None);
                                            attachments.update(|list| list.retain(|a| a.media_id != id));
                                        }>"×"</button>
                                </li>
                            }
                        }
                    </For>
                </ul>
                <button type="button" class="rounded-lg px-2 py-1 text-xs text-muted hover:bg-surface-2"
                    aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|o| *o = !*o)>
                    {move || move_tr!("chat-attach", {"count" => attachments.with(Vec::len), "max" => MAX_ATTACHMENTS}).get()}
                </button>
            </div>
            {move || error.get().map(|error| view! { <ErrorNotice error/> })}
            <Show when=move || open.get()>
                <div class="flex flex-col gap-2 rounded-lg border border-line p-2">
                    <FileUpload label=move_tr!("chat-attach-upload") accept="image/png,image/jpeg,image/webp" id="chat-attach-upload" multiple=true collection=Signal::derive(|| None::<String>) on_uploaded/>
                    <Show
                        when=move || !images.with(Vec::is_empty)
                        fallback=move || view! { <p class="text-sm text-muted">{move_tr!("chat-attach-none")}</p> }
                    >
                        <div class="grid grid-cols-4 gap-2 sm:grid-cols-6" role="group" aria-label=move_tr!("chat-attach-library")>
                            <For each=move || images.get() key=|i| i.id.clone() let:item>
                                {
                                    let media_id = item.media.id.clone();
                                    let name = item.name.clone();
                                    let src = item.media.thumbnail_url.clone().unwrap_or_else(|| item.media.url.clone());
                                    view! {
                                        <button type="button"
                                            data-testid="attach-choice"
                                            class="overflow-hidden rounded-lg border-2 border-transparent aria-pressed:border-accent"
                                            aria-pressed=move || is_attached(&media_id).to_string()
                                            aria-label=move_tr!("chat-attach-option", {"name" => name.clone()})
                                            on:click=move |_| toggle(&item)>
                                            <img src=src alt="" class="aspect-square w-full object-cover" loading="lazy"/>
                                        </button>
                                    }
                                }
                            </For>
                        </div>
                    </Show>
                </div>
            </Show>
        </div>
    }
}
