//! The studio's form: the start image, the model, its settings and price, and
//! where the result is kept.

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_router::hooks::use_navigate;

use crate::assets::items::list_items;
use crate::assets::projects::get_library;
use crate::assets::uploads::picker::FileUpload;
use crate::assets::view::{ItemQuery, ItemView};
use crate::catalog::CatalogEntry;
use crate::catalog::{ModelKind, ModelSpec};
use crate::credits::api::my_credits;
use crate::error::AppError;
use crate::generation::jobs::api::create_generation;
use crate::generation::models::price_generation;
use crate::generation::param_form::{
    ParamForm, ParamValues, default_values, values_from_json, values_json,
};
use crate::ui::error::ErrorNotice;
use crate::ui::{Button, Card};

use super::Start;

/// An image chosen from the library: the item and its media.
#[derive(Debug, Clone, PartialEq)]
struct Picked {
    item_id: String,
    media_id: String,
}

impl Picked {
    fn of(item: &ItemView) -> Self {
        Picked {
            item_id: item.id.clone(),
            media_id: item.media.id.clone(),
        }
    }
}

/// Video or image.
fn is_video(kind: &str) -> bool {
    kind == "video"
}

fn in_mode(model: &ModelSpec, mode: &str) -> bool {
    match model.kind {
        ModelKind::Video => is_video(mode),
        ModelKind::Image | ModelKind::ImageEdit => !is_video(mode),
        ModelKind::Chat => false,
    }
}

/// Whether the model takes a start image, and whether it must have one.
fn start_image(model: &ModelSpec) -> (bool, bool) {
    match model.kind {
        ModelKind::Video => (
            model.capabilities.first_frame,
            model.capabilities.first_frame,
        ),
        ModelKind::ImageEdit => (true, true),
        _ => (model.capabilities.max_reference_images > 0, false),
    }
}

/// The image picker for one frame (`name`: `start` or `end`): library images
/// (and this visit's uploads), newest first. The group and each option say
/// which frame they choose, so the two pickers never sound alike.
#[component]
fn ImagePicker(
    images: Signal<Vec<ItemView>>,
    selected: RwSignal<Option<Picked>>,
    name: &'static str,
) -> impl IntoView {
    view! {
        <Show
            when=move || !images.with(Vec::is_empty)
            fallback=move || view! { <p class="mt-3 text-sm text-muted">{move_tr!("studio-no-images")}</p> }
        >
            <div class="mt-3 grid grid-cols-3 gap-2 sm:grid-cols-4" role="radiogroup" aria-label=move || crate::i18n::tr_dynamic(&format!("studio-pick-{name}"), &[])>
                <For each=move || images.get() key=|m| m.id.clone() let:item>
                    {
                        let picked = Picked::of(&item);
                        let is_selected = { let id = item.id.clone(); move || selected.get().is_some_and(|p| p.item_id == id) };
                        let src = item.media.thumbnail_url.clone().unwrap_or_else(|| item.media.url.clone());
                        view! {
                            <button
                                type="button"
                                role="radio"
                                data-testid=format!("{name}-choice")
                                aria-checked=move || is_selected().to_string()
                                aria-label={
                                    let item_name = item.name.clone();
                                    move || crate::i18n::tr_dynamic(&format!("studio-pick-{name}-option"), &[("name", item_name.clone())])
                                }
                                class="overflow-hidden rounded-lg border-2 border-transparent aria-checked:border-accent"
                                on:click=move |_| selected.set(Some(picked.clone()))
                            >
                                <img src=src alt="" class="aspect-square w-full object-cover" loading="lazy"/>
                            </button>
                        }
                    }
                </For>
            </div>
        </Show>
    }
}

#[component]
pub(super) fn StudioForm(models: Vec<CatalogEntry>, begin: Start) -> impl IntoView {
    let models = StoredValue::new(models);
    let mode = RwSignal::new(begin.mode.clone());
    let first_in = move |m: &str| {
        models.with_value(|list| {
            list.iter()
                .find(|e| in_mode(&e.model, m))
                .map(|e| e.model.id.clone())
        })
    };
    let initial_model = begin
        .model_id
        .clone()
        .filter(|id| models.with_value(|l| l.iter().any(|e| &e.model.id == id)))
        .or_else(|| first_in(&begin.mode));
    let model_id = RwSignal::new(initial_model);
    let model = Memo::new(move |_| {
        let id = model_id.get()?;
        models.with_value(|list| {
            list.iter()
                .find(|e| e.model.id == id)
                .map(|e| e.model.clone())
        })
    });
    // Starts from the remixed settings, else the defaults, on the server and in
    // the browser alike, so what the server renders is what the browser hydrates.
    let initial_values: ParamValues = match (model.get_untracked(), &begin.params) {
        (Some(m), Some(params)) => values_from_json(&m, params),
        (Some(m), None) => default_values(&m),
        (None, _) => ParamValues::new(),
    };
    let values = RwSignal::new(initial_values);
    let prompt = RwSignal::new(begin.prompt.clone());
    let start = RwSignal::new(begin.start.as_ref().map(Picked::of));
    let end = RwSignal::new(None::<Picked>);
    let collection = RwSignal::new(begin.collection_id.clone());
    let uploaded = RwSignal::new(begin.start.clone().into_iter().collect::<Vec<ItemView>>());
    // Asked for in the browser only: this form renders after the models load,
    // so lists loaded on the server inside it could not hydrate (and a
    // browser-only resource read here would hold the server's page back).
    let library_images = RwSignal::new(Vec::<ItemView>::new());
    let tree = RwSignal::new(None::<crate::assets::view::LibraryTree>);
    // What the caller can spend, so a price above it says so before the click.
    let balance = RwSignal::new(None::<i64>);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(credits) = my_credits(0, None).await {
                balance.set(Some(credits.balance));
            }
            let query = ItemQuery {
                kind: Some("image".into()),
                ..ItemQuery::default()
            };
            if let Ok(page) = list_items(query).await {
                library_images.set(page.items);
            }
            if let Ok(found) = get_library().await {
                tree.set(Some(found));
            }
        });
    });
    let all_images = Signal::derive(move || {
        let mut all = uploaded.get();
        for item in library_images.get() {
            if !all.iter().any(|i| i.id == item.id) {
                all.push(item);
            }
        }
        all
    });
    let on_uploaded = Callback::new(move |item: ItemView| {
        start.set(Some(Picked::of(&item)));
        uploaded.update(|list| list.insert(0, item));
    });
    let switch_mode = move |to: &'static str| {
        if mode.get_untracked() == to {
            return;
        }
        mode.set(to.to_string());
        model_id.set(first_in(to));
        values.set(
            model
                .get_untracked()
                .map(|m| default_values(&m))
                .unwrap_or_default(),
        );
    };

    // The price is asked for in the browser only; a sequence number drops
    // answers that arrive after a newer question.
    let price = RwSignal::new(None::<Result<i64, AppError>>);
    let asked = StoredValue::new(0u64);
    Effect::new(move |_| {
        let Some(id) = model_id.get() else { return };
        let params = values.with(values_json);
        let ticket = asked.get_value() + 1;
        asked.set_value(ticket);
        leptos::task::spawn_local(async move {
            let answer = price_generation(id, params).await;
            if asked.get_value() == ticket {
                price.set(Some(answer));
            }
        });
    });
    let error = RwSignal::new(None::<AppError>);
    let navigate = use_navigate();
    let generate = Action::new(move |form: &GenerateRequest| {
        let f = form.clone();
        create_generation(
            f.model_id,
            f.prompt,
            f.params,
            f.start,
            f.end,
            f.collection,
            f.parent,
        )
    });
    Effect::new(move |_| match generate.value().get() {
        Some(Ok(job)) => navigate(&format!("/generations/{}", job.id), Default::default()),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let takes_start = move || {
        model
            .get()
            .map(|m| start_image(&m))
            .unwrap_or((false, false))
    };
    let missing_start = Signal::derive(move || takes_start().1 && start.get().is_none());
    let tab = |active: bool| {
        if active {
            "rounded-lg bg-accent px-4 py-2 text-sm font-medium text-accent-fg"
        } else {
            "rounded-lg px-4 py-2 text-sm font-medium text-fg hover:bg-surface-2"
        }
    };
    view! {
        <div class="mb-4 flex gap-2" role="tablist" aria-label=move_tr!("studio-mode")>
            <button type="button" role="tab" aria-selected=move || is_video(&mode.get()).to_string() class=move || tab(is_video(&mode.get())) on:click=move |_| switch_mode("video")>{move_tr!("studio-mode-video")}</button>
            <button type="button" role="tab" aria-selected=move || (!is_video(&mode.get())).to_string() class=move || tab(!is_video(&mode.get())) on:click=move |_| switch_mode("image")>{move_tr!("studio-mode-image")}</button>
        </div>
        <div class="grid grid-cols-1 gap-6 lg:grid-cols-[1fr_1fr]">
            <Card>
                <h2 class="mb-3 font-semibold text-fg">
                    {move || if is_video(&mode.get()) { move_tr!("studio-start-frame").get() } else { move_tr!("studio-source-image").get() }}
                </h2>
                <Show
                    when=move || takes_start().0
                    fallback=move || view! { <p class="text-sm text-muted">{move_tr!("studio-no-source")}</p> }
                >
                    <FileUpload label=move_tr!("studio-upload") accept="image/png,image/jpeg,image/webp" id="image-upload" collection=Signal::derive(move || collection.get()) on_uploaded/>
                    <ImagePicker images=all_images selected=start name="start"/>
                    <Show when=move || start.get().is_some() && !takes_start().1>
                        <button type="button" class="mt-2 text-sm text-muted underline" on:click=move |_| start.set(None)>{move_tr!("studio-no-source-image")}</button>
                    </Show>
                </Show>
            </Card>
            <Card>
                {move || match model.get() {
                    None => view! { <p class="text-muted">{move || if is_video(&mode.get()) { move_tr!("studio-no-models").get() } else { move_tr!("studio-no-image-models").get() }}</p> }.into_any(),
                    Some(_) => view! {
                        <form
                            class="flex flex-col gap-4"
                            on:submit=move |ev| {
                                ev.prevent_default();
                                error.set(None);
                                let Some(m) = model.get_untracked() else { return };
                                let (takes, _) = start_image(&m);
                                let first = if takes { start.get_untracked() } else { None };
                                let last = if m.kind == ModelKind::Video && m.capabilities.last_frame { end.get_untracked() } else { None };
                                generate.dispatch(GenerateRequest {
                                    model_id: m.id.clone(),
                                    prompt: prompt.get_untracked(),
                                    params: values.with_untracked(values_json),
                                    parent: first.as_ref().map(|p| p.item_id.clone()),
                                    start: first.map(|p| p.media_id),
                                    end: last.map(|p| p.media_id),
                                    collection: collection.get_untracked(),
                                });
                            }
                        >
                            <label class="flex flex-col gap-1">
                                <span class="text-sm font-medium text-fg">{move_tr!("studio-model")}</span>
                                <select
                                    class="min-h-10 rounded-lg border border-line bg-bg px-2 text-sm text-fg"
                                    on:change=move |ev| {
                                        // A new model starts from its own defaults; the prompt and images stay.
                                        model_id.set(Some(event_target_value(&ev)));
                                        values.set(model.get_untracked().map(|m| default_values(&m)).unwrap_or_default());
                                    }
                                >
                                    {move || {
                                        let current = mode.get();
                                        models.with_value(|list| list.iter().filter(|e| in_mode(&e.model, &current)).map(|e| {
                                            let id = e.model.id.clone();
                                            let selected = { let id = id.clone(); move || model_id.get().as_deref() == Some(id.as_str()) };
                                            view! { <option value=id.clone() selected=selected>{e.model.name.clone()}</option> }
                                        }).collect_view())
                                    }}
                                </select>
                            </label>
                            {move || model.get().and_then(|m| m.notice).map(|key| {
                                let class = crate::generation::param_form::notice_class(&key);
                                view! {
                                    <p role="note" class=class data-testid="model-notice">{move || crate::i18n::tr_dynamic(&key, &[])}</p>
                                }
                            })}
                            <label class="flex flex-col gap-1">
                                <span class="text-sm font-medium text-fg">{move_tr!("studio-prompt")}</span>
                                <textarea
                                    rows="3"
                                    class="rounded-lg border border-line bg-bg px-3 py-2 text-sm text-fg"
                                    placeholder=move || if is_video(&mode.get()) { move_tr!("studio-prompt-placeholder").get() } else { move_tr!("studio-image-prompt-placeholder").get() }
                                    prop:value=move || prompt.get()
                                    on:input=move |ev| prompt.set(event_target_value(&ev))
                                ></textarea>
                            </label>
                            {move || model.get().map(|m| view! { <ParamForm model=m values/> })}
                            <Show when=move || model.get().is_some_and(|m| m.kind == ModelKind::Video && m.capabilities.last_frame)>
                                <fieldset class="rounded-lg border border-line p-3">
                                    <legend class="px-1 text-sm font-medium text-fg">{move_tr!("studio-end-frame")}</legend>
                                    <ImagePicker images=all_images selected=end name="end"/>
                                    <Show when=move || end.get().is_some()>
                                        <button type="button" class="mt-2 text-sm text-muted underline" on:click=move |_| end.set(None)>{move_tr!("studio-no-end-frame")}</button>
                                    </Show>
                                </fieldset>
                            </Show>
                            <SaveTo tree collection/>
                            <div class="text-sm text-fg" data-testid="price" aria-live="polite">
                                {move || match price.get() {
                                    None => view! { <span class="text-muted">{move_tr!("studio-pricing")}</span> }.into_any(),
                                    Some(Ok(credits)) => view! { <span>{move_tr!("studio-price", {"credits" => credits})}</span> }.into_any(),
                                    Some(Err(error)) => view! { <ErrorNotice error/> }.into_any(),
                                }}
                            </div>
                            {move || match (price.get(), balance.get()) {
                                (Some(Ok(credits)), Some(have)) if credits > have => Some(view! {
                                    <p role="alert" class="rounded-lg border border-danger px-3 py-2 text-sm text-danger" data-testid="credits-short">
                                        {move_tr!("studio-short", {"balance" => have, "missing" => credits - have})}
                                    </p>
                                }),
                                _ => None,
                            }}
                            {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
                            <Button submit=true busy=generate.pending() disabled=missing_start>
                                {move || if is_video(&mode.get()) { move_tr!("studio-generate").get() } else { move_tr!("studio-generate-image").get() }}
                            </Button>
                            <Show when=move || missing_start.get()>
                                <p class="text-xs text-muted">{move_tr!("studio-need-start")}</p>
                            </Show>
                        </form>
                    }.into_any(),
                }}
            </Card>
        </div>
    }
}

/// What the Generate button sends.
#[derive(Debug, Clone)]
struct GenerateRequest {
    model_id: String,
    prompt: String,
    params: String,
    start: Option<String>,
    end: Option<String>,
    collection: Option<String>,
    parent: Option<String>,
}

/// "Save to": the collections the caller may add to (the inbox by default).
#[component]
fn SaveTo(
    tree: RwSignal<Option<crate::assets::view::LibraryTree>>,
    collection: RwSignal<Option<String>>,
) -> impl IntoView {
    view! {
        <label class="flex flex-col gap-1">
            <span class="text-sm font-medium text-fg">{move_tr!("studio-save-to")}</span>
            <select
                class="min-h-10 rounded-lg border border-line bg-bg px-2 text-sm text-fg"
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    collection.set((!value.is_empty()).then_some(value));
                }
            >
                <option value="" selected=move || collection.get().is_none()>{move_tr!("studio-save-to-inbox")}</option>
                {move || tree.get().map(|tree| {
                    tree.projects.into_iter().chain(tree.shared).flat_map(|p| p.collections).filter(|c| c.access.can_write() && !c.is_inbox).map(|c| {
                        let id = c.id.clone();
                        let selected = { let id = id.clone(); move || collection.get().as_deref() == Some(id.as_str()) };
                        view! { <option value=id selected=selected>{format!("{} / {}", c.project_name, c.name)}</option> }
                    }).collect_view()
                })}
            </select>
        </label>
    }
}
