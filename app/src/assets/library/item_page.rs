//! `/library/items/:id`: one item large, how it was made, where it came from
//! and what was made from it; download, remix, animate, rename, move or
//! copy, delete.

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::Scope;
use super::dialogs::{
    ConfirmDialog, InlineRename, TransferDialog, deleted_notice, transfer_notice,
};
use super::grid::Preview;
use crate::assets::items::{delete_items, get_item, rename_item};
use crate::assets::view::{ItemDetails, ItemView};
use crate::auth::gate::RequireApproved;
use crate::error::AppError;
use crate::i18n::tr_dynamic;
use crate::ui::button::{ButtonVariant, button_classes};
use crate::ui::error::ErrorNotice;
use crate::ui::format::{format_bytes, format_duration};
use crate::ui::settings::GenerationSettings;
use crate::ui::time::Time;
use crate::ui::toast::{ToastKind, use_toasts};
use crate::ui::{Button, Card};

/// `/library/items/:id`.
#[component]
pub fn ItemPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let version = RwSignal::new(0u32);
    let data = Resource::new(move || (id(), version.get()), |(id, _)| get_item(id));
    view! {
        <Title text=move_tr!("library-item-title")/>
        <RequireApproved>
            <Transition fallback=move || view! { <p class="text-muted">{move_tr!("loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                        Ok(details) => view! { <ItemDetailsView details on_change=Callback::new(move |_| version.update(|v| *v += 1))/> }.into_any(),
                    }
                })}
            </Transition>
        </RequireApproved>
    }
}

/// The media at full size: image, video player or audio player.
#[component]
fn Player(item: ItemView) -> impl IntoView {
    let media = item.media;
    match item.kind.as_str() {
        "video" => view! { <video data-testid="item-video" controls playsinline src=media.url poster=media.thumbnail_url class="w-full rounded-lg bg-black"></video> }.into_any(),
        "audio" => view! { <audio data-testid="item-audio" controls src=media.url class="w-full"></audio> }.into_any(),
        _ => view! { <img data-testid="item-image" src=media.url alt=item.name class="w-full rounded-lg bg-surface-2"/> }.into_any(),
    }
}

#[component]
fn ItemDetailsView(details: ItemDetails, on_change: Callback<()>) -> impl IntoView {
    let item = details.item.clone();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let id = StoredValue::new(item.id.clone());
    let writable = item.access.can_write();
    let rename = Action::new(move |name: &String| {
        let name = name.clone();
        async move { rename_item(id.get_value(), name).await.map(|i| i.name) }
    });
    let remove = Action::new(move |_: &()| delete_items(vec![id.get_value()]));
    let confirm = RwSignal::new(false);
    let move_open = RwSignal::new(false);
    let copy_open = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let back = Scope::Collection(item.collection_id.clone()).href();
    let back_after_delete = back.clone();
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(_)) => {
            confirm.set(false);
            toasts.push(ToastKind::Success, deleted_notice(1));
            navigate(&back_after_delete, Default::default());
        }
        Some(Err(e)) => {
            confirm.set(false);
            error.set(Some(e));
        }
        None => {}
    });
    let transferred = Callback::new(move |(count, copy): (usize, bool)| {
        toasts.push(ToastKind::Success, transfer_notice(count, copy));
        on_change.run(());
    });
    let selection = Signal::derive(move || vec![id.get_value()]);
    let row = |label: Signal<String>, value: String| {
        view! {
            <div class="flex gap-3 py-1 text-sm">
                <dt class="w-32 shrink-0 text-muted">{label}</dt>
                <dd class="min-w-0 wrap-anywhere text-fg">{value}</dd>
            </div>
        }
    };
    let media = item.media.clone();
    let dimensions = media
        .width
        .zip(media.height)
        .map(|(w, h)| format!("{w} × {h}"));
    let player = item.clone();
    let remix = item
        .model_id
        .is_some()
        .then(|| format!("/studio?remix={}", item.id));
    let animate = (item.kind == "image").then(|| format!("/studio?start={}", item.id));
    view! {
        <nav class="mb-4 text-sm text-muted" aria-label=move_tr!("library-breadcrumb")>
            <a href="/library" class="hover:underline">{move_tr!("nav-library")}</a>
            " / "
            <a href=Scope::Project(item.project_id.clone()).href() class="hover:underline">{item.project_name.clone()}</a>
            " / "
            <a href=back.clone() class="hover:underline" data-testid="item-collection">{item.collection_name.clone()}</a>
        </nav>
        <div class="mb-4">
            <InlineRename value=item.name.clone() label=move_tr!("library-item-name") editable=writable save=rename/>
        </div>
        <div class="grid grid-cols-1 gap-6 lg:grid-cols-[3fr_2fr]">
            <Card>
                <Player item=player/>
                <div class="mt-4 flex flex-wrap gap-2">
                    <a href=media.download_url class=button_classes(ButtonVariant::Secondary) data-testid="item-download">{move_tr!("generation-download")}</a>
                    {remix.map(|href| view! { <a href=href class=button_classes(ButtonVariant::Secondary)>{move_tr!("library-remix")}</a> })}
                    {animate.map(|href| view! { <a href=href class=button_classes(ButtonVariant::Secondary)>{move_tr!("library-animate")}</a> })}
                    {writable.then(|| view! { <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |_| move_open.set(true))>{move_tr!("library-move")}</Button> })}
                    <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |_| copy_open.set(true))>{move_tr!("library-copy")}</Button>
                    {writable.then(|| view! { <Button variant=ButtonVariant::Danger on_click=Callback::new(move |_| confirm.set(true))>{move_tr!("action-delete")}</Button> })}
                </div>
                {move || error.get().map(|e| view! { <div class="mt-3"><ErrorNotice error=e/></div> })}
            </Card>
            <Card>
                <dl>
                    {item.prompt.clone().map(|p| row(move_tr!("studio-prompt"), p))}
                    {item.model_name.clone().map(|m| row(move_tr!("generation-model"), m))}
                    {item.params.clone().map(|params| {
                        let model_id = item.model_id.clone();
                        view! {
                            <div class="flex gap-3 py-1 text-sm">
                                <dt class="w-32 shrink-0 text-muted">{move_tr!("generation-settings")}</dt>
                                <dd class="min-w-0 flex-1">
                                    <GenerationSettings model_id=Signal::derive(move || model_id.clone()) params=Signal::derive(move || params.clone())/>
                                </dd>
                            </div>
                        }
                    })}
                    {item.seed.map(|s| row(move_tr!("library-seed"), s.to_string()))}
                    {item.cost.map(|c| row(move_tr!("generation-cost"), tr_dynamic("job-cost", &[("credits", c.to_string())])))}
                    {item.provider_request_id.clone().map(|r| row(move_tr!("library-request-id"), r))}
                    {row(move_tr!("library-file"), format_bytes(media.size_bytes))}
                    {dimensions.map(|d| row(move_tr!("library-dimensions"), d))}
                    {media.duration_ms.map(|d| row(move_tr!("library-duration"), format_duration(d)))}
                    {media.codec.clone().map(|c| row(move_tr!("library-codec"), c))}
                    {row(move_tr!("library-added-by"), item.created_by_email.clone())}
                    <div class="flex gap-3 py-1 text-sm">
                        <dt class="w-32 shrink-0 text-muted">{move_tr!("generation-created")}</dt>
                        <dd class="min-w-0 text-fg"><Time at=item.created_at.clone()/></dd>
                    </div>
                </dl>
                {item.job_id.clone().map(|job| view! { <a href=format!("/generations/{job}") class="mt-2 inline-block text-sm text-accent underline">{move_tr!("library-open-generation")}</a> })}
            </Card>
        </div>
        <Lineage title=move_tr!("library-made-from") items=details.ancestors testid="ancestors"/>
        <Lineage title=move_tr!("library-made-from-this") items=details.children testid="children"/>
        <TransferDialog open=move_open copy=false items=selection on_done=transferred/>
        <TransferDialog open=copy_open copy=true items=selection on_done=transferred/>
        <ConfirmDialog open=confirm title=move_tr!("library-delete-items") body=move_tr!("library-delete-item-body") busy=remove.pending() on_confirm=Callback::new(move |_| { remove.dispatch(()); })/>
    }
}

/// A row of related items (what it was made from, or what was made from it).
#[component]
fn Lineage(
    #[prop(into)] title: Signal<String>,
    items: Vec<ItemView>,
    testid: &'static str,
) -> impl IntoView {
    (!items.is_empty()).then(|| {
        view! {
            <section class="mt-6" data-testid=testid>
                <h2 class="mb-2 text-sm font-semibold text-fg">{title}</h2>
                <ul class="grid grid-cols-3 gap-3 sm:grid-cols-5 lg:grid-cols-6" aria-label=title>
                    {items.into_iter().map(|item| view! {
                        <li class="overflow-hidden rounded-lg border border-line bg-surface">
                            <a href=format!("/library/items/{}", item.id) class="block">
                                <Preview item=item.clone()/>
                                <p class="truncate px-2 py-1 text-xs text-fg">{item.name.clone()}</p>
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}
