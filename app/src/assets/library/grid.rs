//! What the library shows for the open scope: its header (rename, share,
//! delete), the uploader, filters and search, and the items as a grid with
//! multi-select to move, copy or delete.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_router::hooks::use_navigate;

use super::dialogs::{
    ConfirmDialog, InlineRename, ShareDialog, TransferDialog, deleted_notice, transfer_notice,
};
use super::{AccessBadge, LibraryContext, Scope, all_collections, find_project};
use crate::assets::collections::{delete_collection, rename_collection};
use crate::assets::items::{delete_items, list_items};
use crate::assets::projects::{delete_project, rename_project};
use crate::assets::sharing::ShareTarget;
use crate::assets::uploads::picker::FileUpload;
use crate::assets::view::{Access, ItemQuery, ItemView, LibraryTree};
use crate::error::AppError;
use crate::i18n::tr_dynamic;
use crate::ui::Pager;
use crate::ui::button::ButtonVariant;
use crate::ui::error::ErrorNotice;
use crate::ui::format::format_duration;
use crate::ui::toast::{ToastKind, use_toasts};
use crate::ui::{Button, EmptyState};

/// Everything a library upload may be.
pub const ACCEPTED_FILES: &str = "image/png,image/jpeg,image/webp,image/gif,video/mp4,video/quicktime,video/webm,audio/mpeg,audio/aac,audio/mp4,audio/wav,.mp3,.m4a,.wav,.aac,.mov";

/// The header and items of the open scope. Made once per scope: the tree
/// reloading after a change re-renders the header only, so uploads in
/// progress, filters and the selection stay.
#[component]
pub fn ScopeView(scope: Scope) -> impl IntoView {
    let context = expect_context::<LibraryContext>();
    let tree = context.tree;
    let header_scope = scope.clone();
    let header = move || {
        let scope = header_scope.clone();
        Suspend::new(async move {
            match tree.await {
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
                Ok(tree) => header_for(&tree, &scope),
            }
        })
    };
    let (uploads, base) = match &scope {
        Scope::All => (
            view! { <Uploads collection=None/> }.into_any(),
            ItemQuery::default(),
        ),
        Scope::Project(id) => (
            ().into_any(),
            ItemQuery {
                project_id: Some(id.clone()),
                ..ItemQuery::default()
            },
        ),
        Scope::Collection(id) => {
            let id = id.clone();
            let lookup = id.clone();
            let writable = Memo::new(move |_| {
                tree.get()
                    .and_then(Result::ok)
                    .and_then(|t| {
                        all_collections(&t)
                            .find(|c| c.id == lookup)
                            .map(|c| c.access.can_write())
                    })
                    .unwrap_or(false)
            });
            let target = id.clone();
            (
                view! {
                    <Show when=move || writable.get()>
                        <Uploads collection=Some(target.clone())/>
                    </Show>
                }
                .into_any(),
                ItemQuery {
                    collection_id: Some(id),
                    ..ItemQuery::default()
                },
            )
        }
    };
    view! {
        <Transition fallback=|| ()>{header}</Transition>
        <Transition fallback=|| ()>{uploads}</Transition>
        <ItemBrowser base/>
    }
}

/// The heading and actions of a scope, from the tree.
fn header_for(tree: &LibraryTree, scope: &Scope) -> AnyView {
    match scope {
        Scope::All => view! {
            <div class="mb-4 flex flex-wrap items-center gap-3">
                <h2 class="flex-1 text-xl font-semibold text-fg" data-testid="scope-name">{move_tr!("library-all-items")}</h2>
            </div>
        }
        .into_any(),
        Scope::Project(id) => match find_project(tree, id) {
            None => view! { <ErrorNotice error=AppError::NotFound/> }.into_any(),
            Some(project) => {
                let empty = project.collections.is_empty();
                view! {
                    <ScopeHeader target=ShareTarget::Project id=project.id.clone() name=project.name.clone() owner_email=project.owner_email.clone() access=project.access/>
                    {empty.then(|| view! { <p class="mb-4 text-sm text-muted">{move_tr!("library-project-empty")}</p> })}
                }
                .into_any()
            }
        },
        Scope::Collection(id) => match all_collections(tree).find(|c| &c.id == id) {
            None => view! { <ErrorNotice error=AppError::NotFound/> }.into_any(),
            Some(c) => view! {
                <ScopeHeader
                    target=ShareTarget::Collection
                    id=c.id.clone()
                    name=c.name.clone()
                    owner_email=c.owner_email.clone()
                    access=c.access
                    parent=(Scope::Project(c.project_id.clone()).href(), c.project_name.clone())
                />
            }
            .into_any(),
        },
    }
}

#[component]
fn Uploads(collection: Option<String>) -> impl IntoView {
    let context = expect_context::<LibraryContext>();
    let hint = collection.is_none();
    view! {
        <div class="mb-6">
            <FileUpload
                label=move_tr!("library-upload")
                accept=ACCEPTED_FILES
                id="files-upload"
                multiple=true
                collection=Signal::derive(move || collection.clone())
                on_uploaded=Callback::new(move |_| context.changed())
            />
            {hint.then(|| view! { <p class="mt-1 text-xs text-muted">{move_tr!("library-upload-to-inbox")}</p> })}
        </div>
    }
}

/// The heading of a project or collection: its name (renamed in place by
/// those who may), whose it is, and the owner's Share and Delete.
#[component]
fn ScopeHeader(
    target: ShareTarget,
    id: String,
    name: String,
    owner_email: String,
    access: Access,
    /// The project above a collection: (address, name).
    #[prop(optional)]
    parent: Option<(String, String)>,
) -> impl IntoView {
    let context = expect_context::<LibraryContext>();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let id = StoredValue::new(id);
    let rename = Action::new(move |name: &String| {
        let name = name.clone();
        async move {
            match target {
                ShareTarget::Project => rename_project(id.get_value(), name).await.map(|p| p.name),
                ShareTarget::Collection => rename_collection(id.get_value(), name)
                    .await
                    .map(|c| c.name),
            }
        }
    });
    let remove = Action::new(move |_: &()| async move {
        match target {
            ShareTarget::Project => delete_project(id.get_value()).await,
            ShareTarget::Collection => delete_collection(id.get_value()).await,
        }
    });
    let confirm = RwSignal::new(false);
    let share = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    // After a delete: a collection's project, or everything.
    let after_delete = parent
        .as_ref()
        .map_or_else(|| "/library".to_string(), |(href, _)| href.clone());
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => {
            confirm.set(false);
            let done = match target {
                ShareTarget::Project => tr_dynamic("library-project-deleted", &[]),
                ShareTarget::Collection => tr_dynamic("library-collection-deleted", &[]),
            };
            toasts.push(ToastKind::Success, done);
            context.changed();
            navigate(&after_delete, Default::default());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let on_renamed = Callback::new(move |_: String| context.changed());
    let (name_label, delete_label, delete_body) = match target {
        ShareTarget::Project => (
            move_tr!("library-project-name"),
            move_tr!("library-delete-project"),
            move_tr!("library-delete-project-body"),
        ),
        ShareTarget::Collection => (
            move_tr!("library-collection-name"),
            move_tr!("library-delete-collection"),
            move_tr!("library-delete-collection-body"),
        ),
    };
    view! {
        <div class="mb-4 flex flex-wrap items-center gap-3" data-testid="scope-header">
            <div class="min-w-0 flex-1">
                {parent.map(|(href, name)| view! { <a href=href class="text-xs text-muted hover:underline">{name}</a> })}
                <InlineRename value=name label=name_label editable=access.can_write() save=rename on_saved=on_renamed/>
                {(access != Access::Owner).then(|| view! { <p class="text-xs text-muted">{move_tr!("library-owned-by", {"email" => owner_email.clone()})}</p> })}
            </div>
            <AccessBadge access/>
            {(access == Access::Owner).then(|| view! {
                <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |_| share.set(true))>{move_tr!("library-share")}</Button>
                <Button variant=ButtonVariant::Danger on_click=Callback::new(move |_| confirm.set(true))>{delete_label}</Button>
            })}
        </div>
        {move || error.get().map(|e| view! { <div class="mb-3"><ErrorNotice error=e/></div> })}
        <ShareDialog open=share target target_id=id.get_value()/>
        <ConfirmDialog open=confirm title=delete_label body=delete_body busy=remove.pending() on_confirm=Callback::new(move |_| { remove.dispatch(()); })/>
    }
}

/// Filters, search, the grid, paging, and what can be done with a selection.
#[component]
fn ItemBrowser(base: ItemQuery) -> impl IntoView {
    let context = expect_context::<LibraryContext>();
    let toasts = use_toasts();
    let kind = RwSignal::new(String::new());
    let model = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let typed = RwSignal::new(String::new());
    let page = RwSignal::new(0u64);
    let base = StoredValue::new(base);
    let optional = |s: String| (!s.trim().is_empty()).then_some(s);
    let items = Resource::new(
        move || {
            (
                kind.get(),
                model.get(),
                from.get(),
                to.get(),
                text.get(),
                page.get(),
                context.version.get(),
            )
        },
        move |(kind, model, from, to, text, page, _)| {
            list_items(ItemQuery {
                kind: optional(kind),
                model_id: optional(model),
                from: optional(from),
                to: optional(to),
                text: optional(text),
                page,
                ..base.get_value()
            })
        },
    );
    let selected = RwSignal::new(BTreeSet::<String>::new());
    // What is on screen, for the selection's permissions (selecting happens in the browser).
    let shown = RwSignal::new(Vec::<ItemView>::new());
    Effect::new(move |_| {
        if let Some(Ok(list)) = items.get() {
            shown.set(list.items);
        }
    });
    let selection = Signal::derive(move || selected.get().into_iter().collect::<Vec<_>>());
    let all_writable = Signal::derive(move || {
        let chosen = selected.get();
        shown.with(|items| {
            items
                .iter()
                .filter(|i| chosen.contains(&i.id))
                .all(|i| i.access.can_write())
        })
    });
    let move_open = RwSignal::new(false);
    let copy_open = RwSignal::new(false);
    let delete_open = RwSignal::new(false);
    let remove = Action::new(move |ids: &Vec<String>| delete_items(ids.clone()));
    let error = RwSignal::new(None::<AppError>);
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(n)) => {
            delete_open.set(false);
            selected.set(BTreeSet::new());
            toasts.push(ToastKind::Success, deleted_notice(n));
            context.changed();
        }
        Some(Err(e)) => {
            delete_open.set(false);
            error.set(Some(e));
        }
        None => {}
    });
    let transferred = Callback::new(move |(count, copy): (usize, bool)| {
        selected.set(BTreeSet::new());
        toasts.push(ToastKind::Success, transfer_notice(count, copy));
        context.changed();
    });
    let reset_page = move || {
        page.set(0);
        selected.set(BTreeSet::new());
    };
    let select = "min-h-10 rounded-lg border border-line bg-bg px-2 text-sm text-fg";
    view! {
        // The search and its button on one line, the filters below; the two
        // dates stay together, so "To" never ends up alone.
        <form
            class="mb-4 flex flex-col gap-3"
            role="search"
            on:submit=move |ev| { ev.prevent_default(); reset_page(); text.set(typed.get_untracked()); }
        >
            <div class="flex items-end gap-3">
            <label class="flex min-w-0 flex-1 flex-col gap-1 text-xs text-muted">
                {move_tr!("library-search")}
                <input
                    type="search"
                    class="min-h-10 rounded-lg border border-line bg-bg px-3 text-sm text-fg"
                    placeholder=move_tr!("library-search-placeholder")
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))
                />
            </label>
            <Button submit=true variant=ButtonVariant::Secondary>{move_tr!("library-search-go")}</Button>
            </div>
            <div class="flex flex-wrap items-end gap-3">
            <label class="flex flex-col gap-1 text-xs text-muted">
                {move_tr!("library-filter-kind")}
                <select class=select on:change=move |ev| { reset_page(); kind.set(event_target_value(&ev)); }>
                    <option value="">{move_tr!("library-kind-all")}</option>
                    <option value="image">{move_tr!("library-kind-image")}</option>
                    <option value="video">{move_tr!("library-kind-video")}</option>
                    <option value="audio">{move_tr!("library-kind-audio")}</option>
                </select>
            </label>
            <label class="flex flex-col gap-1 text-xs text-muted">
                {move_tr!("library-filter-model")}
                <select class=format!("{select} max-w-full") on:change=move |ev| { reset_page(); model.set(event_target_value(&ev)); }>
                    <option value="">{move_tr!("library-model-all")}</option>
                    {crate::catalog::all_models().into_iter().filter(|m| m.kind != crate::catalog::ModelKind::Chat).map(|m| view! { <option value=m.id.clone()>{m.name.clone()}</option> }).collect_view()}
                </select>
            </label>
            <div class="flex items-end gap-2" role="group" aria-label=move_tr!("library-dates") data-testid="date-filters">
                <label class="flex min-w-0 flex-col gap-1 text-xs text-muted">
                    {move_tr!("library-from")}
                    <input type="date" class=format!("{select} min-w-0") prop:value=move || from.get() on:change=move |ev| { reset_page(); from.set(event_target_value(&ev)); }/>
                </label>
                <label class="flex min-w-0 flex-col gap-1 text-xs text-muted">
                    {move_tr!("library-to")}
                    <input type="date" class=format!("{select} min-w-0") prop:value=move || to.get() on:change=move |ev| { reset_page(); to.set(event_target_value(&ev)); }/>
                </label>
            </div>
            </div>
        </form>
        <Show when=move || !selected.with(BTreeSet::is_empty)>
            <div class="sticky top-16 z-20 mb-4 flex flex-wrap items-center gap-2 rounded-xl border border-line bg-surface p-2 shadow-sm" role="toolbar" aria-label=move_tr!("library-selection")>
                <span class="px-2 text-sm font-medium text-fg" data-testid="selection-count">{move || tr_dynamic("library-selected", &[("count", selected.with(BTreeSet::len).to_string())])}</span>
                <Show when=move || all_writable.get()>
                    <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |_| move_open.set(true))>{move_tr!("library-move")}</Button>
                </Show>
                <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |_| copy_open.set(true))>{move_tr!("library-copy")}</Button>
                <Show when=move || all_writable.get()>
                    <Button variant=ButtonVariant::Danger on_click=Callback::new(move |_| delete_open.set(true))>{move_tr!("action-delete")}</Button>
                </Show>
                <Button variant=ButtonVariant::Ghost on_click=Callback::new(move |_| selected.set(BTreeSet::new()))>{move_tr!("library-clear-selection")}</Button>
            </div>
        </Show>
        {move || error.get().map(|e| view! { <div class="mb-3"><ErrorNotice error=e/></div> })}
        <Transition fallback=move || view! { <p class="text-muted">{move_tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match items.await {
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    Ok(list) if list.items.is_empty() => {
                        view! { <EmptyState title=move_tr!("library-empty-title") body=move_tr!("library-empty-body")/> }.into_any()
                    }
                    Ok(list) => {
                        let (current, pages) = (list.page, list.pages);
                        view! {
                            <p class="mb-2 text-xs text-muted">{move_tr!("library-count", {"count" => list.total})}</p>
                            <ul class="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4" aria-label=move_tr!("library-items")>
                                {list.items.into_iter().map(|item| view! { <ItemCard item selected/> }).collect_view()}
                            </ul>
                            <Pager current pages page/>
                        }.into_any()
                    }
                }
            })}
        </Transition>
        <TransferDialog open=move_open copy=false items=selection on_done=transferred/>
        <TransferDialog open=copy_open copy=true items=selection on_done=transferred/>
        <ConfirmDialog
            open=delete_open
            title=move_tr!("library-delete-items")
            body=Signal::derive(move || tr_dynamic("library-delete-items-body", &[("count", selected.with(BTreeSet::len).to_string())]))
            busy=remove.pending()
            on_confirm=Callback::new(move |_| { remove.dispatch(selection.get_untracked()); })
        />
    }
}

/// One item in the grid: a preview, its name, and a box to select it.
#[component]
fn ItemCard(item: ItemView, selected: RwSignal<BTreeSet<String>>) -> impl IntoView {
    let id = item.id.clone();
    let is_selected = Signal::derive({
        let id = id.clone();
        move || selected.with(|s| s.contains(&id))
    });
    let toggle = {
        let id = id.clone();
        move |_| {
            selected.update(|s| {
                if !s.remove(&id) {
                    s.insert(id.clone());
                }
            })
        }
    };
    let href = format!("/library/items/{}", item.id);
    let select_label = {
        let name = item.name.clone();
        move || tr_dynamic("library-select-item", &[("name", name.clone())])
    };
    // A video card plays a muted preview while pointed at or focused.
    let is_video = item.kind == "video";
    let previewing = RwSignal::new(false);
    let preview = move |on: bool| {
        if is_video {
            previewing.set(on);
        }
    };
    let clip = item.media.url.clone();
    view! {
        <li
            class="group relative overflow-hidden rounded-xl border border-line bg-surface data-[selected=true]:border-accent"
            data-testid="item-card"
            data-selected=move || is_selected.get().to_string()
            on:mouseenter=move |_| preview(true)
            on:mouseleave=move |_| preview(false)
            on:focusin=move |_| preview(true)
            on:focusout=move |_| preview(false)
        >
            <a href=href class="block">
                <div class="relative">
                    <Preview item=item.clone()/>
                    {is_video.then(|| view! {
                        <Show when=move || previewing.get()>
                            <video
                                src=clip.clone()
                                muted
                                prop:muted=true
                                autoplay
                                loop
                                playsinline
                                aria-hidden="true"
                                data-testid="card-preview"
                                class="absolute inset-0 h-full w-full bg-black object-cover"
                            ></video>
                        </Show>
                        <span class="pointer-events-none absolute inset-0 grid place-items-center" aria-hidden="true">
                            <span class="grid size-10 place-items-center rounded-full bg-black/60 pl-0.5 text-lg text-white shadow transition-opacity group-hover:opacity-0 group-focus-within:opacity-0" data-testid="play-badge">"▶"</span>
                        </span>
                        {item.media.duration_ms.map(|d| view! {
                            <span class="pointer-events-none absolute bottom-2 right-2 rounded bg-black/70 px-1.5 py-0.5 text-xs font-medium tabular-nums text-white" data-testid="card-duration">{format_duration(d)}</span>
                        })}
                    })}
                </div>
                <div class="px-3 py-2">
                    <p class="truncate text-sm font-medium text-fg" data-testid="item-name">{item.name.clone()}</p>
                    <p class="truncate text-xs text-muted">
                        {move || tr_dynamic(&format!("library-kind-{}", item.kind), &[])}
                        {item.media.duration_ms.map(|d| format!(" · {}", format_duration(d)))}
                    </p>
                </div>
            </a>
            <label class="absolute left-2 top-2 grid size-8 cursor-pointer place-items-center rounded-lg bg-bg/80 backdrop-blur">
                <input type="checkbox" class="size-4 accent-[var(--color-accent)]" aria-label=select_label prop:checked=is_selected on:change=toggle/>
            </label>
        </li>
    }
}

/// A thumbnail: the preview image, else the video's first frame, else a symbol.
#[component]
pub fn Preview(item: ItemView) -> impl IntoView {
    let media = item.media;
    match (item.kind.as_str(), media.thumbnail_url) {
        (_, Some(thumb)) => view! { <img src=thumb alt="" loading="lazy" class="aspect-square w-full bg-surface-2 object-cover"/> }.into_any(),
        ("image", None) => view! { <img src=media.url alt="" loading="lazy" class="aspect-square w-full bg-surface-2 object-cover"/> }.into_any(),
        ("video", None) => view! { <video src=format!("{}#t=0.1", media.url) preload="metadata" muted playsinline class="aspect-square w-full bg-black object-cover"></video> }.into_any(),
        _ => view! { <div class="grid aspect-square w-full place-items-center bg-surface-2 text-4xl text-muted" aria-hidden="true">"♪"</div> }.into_any(),
    }
}
