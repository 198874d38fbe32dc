//! `/studio`: the video studio. Pick a start image (upload one or take one
//! from earlier work), optionally an end frame, a model; the form comes from
//! the model's schema and the price follows the settings; Generate. Errors
//! keep everything entered.

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use super::api::{CatalogEntry, list_models, price_generation};
use super::jobs::api::{create_generation, list_my_images};
use super::param_form::{ParamForm, default_values, values_json};
use crate::assets::MediaView;
use crate::auth::gate::RequireApproved;
use crate::error::AppError;
use crate::ui::error::ErrorNotice;
use crate::ui::upload::ImageUpload;
use crate::ui::{Button, Card};

/// `/studio`.
#[component]
pub fn StudioPage() -> impl IntoView {
    view! {
        <Title text=move_tr!("studio-title")/>
        <div class="mb-6 flex flex-wrap items-center gap-3">
            <h1 class="flex-1 text-2xl font-bold tracking-tight text-fg">{move_tr!("studio-title")}</h1>
            <a href="/generations" class="text-sm font-medium text-accent underline">{move_tr!("nav-generations")}</a>
        </div>
        <RequireApproved>
            <Studio/>
        </RequireApproved>
    }
}

#[component]
fn Studio() -> impl IntoView {
    let models = Resource::new(|| (), |_| list_models(Some("video".into())));
    let images = Resource::new(|| (), |_| list_my_images());
    let uploaded = RwSignal::new(Vec::<MediaView>::new());
    let start = RwSignal::new(None::<String>);
    let end = RwSignal::new(None::<String>);
    let on_uploaded = Callback::new(move |media: MediaView| {
        start.set(Some(media.id.clone()));
        uploaded.update(|list| list.insert(0, media));
    });
    view! {
        <div class="grid gap-6 lg:grid-cols-[1fr_1fr]">
            <Card>
                <h2 class="mb-3 font-semibold text-fg">{move_tr!("studio-start-frame")}</h2>
                <ImageUpload label=move_tr!("studio-upload") on_uploaded/>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let earlier = images.await.unwrap_or_default();
                        view! { <ImagePicker images=Signal::derive(move || { let mut all = uploaded.get(); all.extend(earlier.clone()); all }) selected=start name="start"/> }
                    })}
                </Transition>
            </Card>
            <Transition fallback=move || view! { <p class="text-muted">{move_tr!("loading")}</p> }>
                {move || Suspend::new(async move {
                    match models.await {
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="text-muted">{move_tr!("studio-no-models")}</p> }.into_any(),
                        Ok(list) => view! { <GenerateForm models=list start end images uploaded/> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

/// A grid of images to choose one from.
#[component]
fn ImagePicker(
    images: Signal<Vec<MediaView>>,
    selected: RwSignal<Option<String>>,
    name: &'static str,
) -> impl IntoView {
    view! {
        <Show
            when=move || !images.with(Vec::is_empty)
            fallback=move || view! { <p class="mt-3 text-sm text-muted">{move_tr!("studio-no-images")}</p> }
        >
            <div class="mt-3 grid grid-cols-3 gap-2 sm:grid-cols-4" role="radiogroup" aria-label=move_tr!("studio-pick-image")>
                <For each=move || images.get() key=|m| m.id.clone() let:media>
                    {
                        let id = media.id.clone();
                        let is_selected = { let id = id.clone(); move || selected.get().as_deref() == Some(id.as_str()) };
                        view! {
                            <button
                                type="button"
                                role="radio"
                                data-testid=format!("{name}-choice")
                                aria-checked=move || is_selected().to_string()
                                class="overflow-hidden rounded-lg border-2 border-transparent aria-checked:border-accent"
                                on:click=move |_| selected.set(Some(id.clone()))
                            >
                                <img src=media.url.clone() alt="" class="aspect-square w-full object-cover" loading="lazy"/>
                            </button>
                        }
                    }
                </For>
            </div>
        </Show>
    }
}

#[component]
fn GenerateForm(
    models: Vec<CatalogEntry>,
    start: RwSignal<Option<String>>,
    end: RwSignal<Option<String>>,
    images: Resource<Result<Vec<MediaView>, AppError>>,
    uploaded: RwSignal<Vec<MediaView>>,
) -> impl IntoView {
    let models = StoredValue::new(models);
    let first = models.with_value(|m| m[0].model.id.clone());
    let model_id = RwSignal::new(first);
    let model = Memo::new(move |_| {
        models.with_value(|list| {
            list.iter()
                .find(|e| e.model.id == model_id.get())
                .or(list.first())
                .map(|e| e.model.clone())
                .expect("at least one model")
        })
    });
    // Starts from the defaults on the server and in the browser alike, so the
    // price rendered on the server is the one the browser hydrates.
    let values = RwSignal::new(default_values(&model.get_untracked()));
    let prompt = RwSignal::new(String::new());
    // The price is asked for in the browser only (this form itself renders
    // after the model list loads, so a server-rendered price could not hydrate);
    // a sequence number drops answers that arrive after a newer question.
    let price = RwSignal::new(None::<Result<i64, AppError>>);
    let asked = StoredValue::new(0u64);
    Effect::new(move |_| {
        let (id, params) = (model_id.get(), values.with(values_json));
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
    let generate = Action::new(
        move |(id, prompt, params, start, end): &(
            String,
            String,
            String,
            Option<String>,
            Option<String>,
        )| {
            create_generation(
                id.clone(),
                prompt.clone(),
                params.clone(),
                start.clone(),
                end.clone(),
            )
        },
    );
    Effect::new(move |_| match generate.value().get() {
        Some(Ok(job)) => navigate(&format!("/generations/{}", job.id), Default::default()),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let all_images = Signal::derive(move || {
        let mut all = uploaded.get();
        if let Some(Ok(earlier)) = images.get() {
            all.extend(earlier);
        }
        all
    });
    view! {
        <Card>
            <form
                class="flex flex-col gap-4"
                on:submit=move |ev| {
                    ev.prevent_default();
                    error.set(None);
                    let last = model.get_untracked().capabilities.last_frame;
                    generate.dispatch((
                        model_id.get_untracked(),
                        prompt.get_untracked(),
                        values.with_untracked(values_json),
                        start.get_untracked(),
                        if last { end.get_untracked() } else { None },
                    ));
                }
            >
                <label class="flex flex-col gap-1">
                    <span class="text-sm font-medium text-fg">{move_tr!("studio-model")}</span>
                    <select
                        class="min-h-10 rounded-lg border border-line bg-bg px-2 text-sm text-fg"
                        on:change=move |ev| {
                            // A new model starts from its own defaults; the prompt and images stay.
                            model_id.set(event_target_value(&ev));
                            values.set(default_values(&model.get_untracked()));
                        }
                    >
                        {models.with_value(|list| list.iter().map(|e| {
                            let id = e.model.id.clone();
                            let selected = { let id = id.clone(); move || model_id.get() == id };
                            view! { <option value=id.clone() selected=selected>{e.model.name.clone()}</option> }
                        }).collect_view())}
                    </select>
                </label>
                <label class="flex flex-col gap-1">
                    <span class="text-sm font-medium text-fg">{move_tr!("studio-prompt")}</span>
                    <textarea
                        rows="3"
                        class="rounded-lg border border-line bg-bg px-3 py-2 text-sm text-fg"
                        placeholder=move_tr!("studio-prompt-placeholder")
                        prop:value=move || prompt.get()
                        on:input=move |ev| prompt.set(event_target_value(&ev))
                    ></textarea>
                </label>
                {move || { let m = model.get(); view! { <ParamForm model=m values/> } }}
                <Show when=move || model.get().capabilities.last_frame>
                    <fieldset class="rounded-lg border border-line p-3">
                        <legend class="px-1 text-sm font-medium text-fg">{move_tr!("studio-end-frame")}</legend>
                        <ImagePicker images=all_images selected=end name="end"/>
                        <Show when=move || end.get().is_some()>
                            <button type="button" class="mt-2 text-sm text-muted underline" on:click=move |_| end.set(None)>{move_tr!("studio-no-end-frame")}</button>
                        </Show>
                    </fieldset>
                </Show>
                <div class="text-sm text-fg" data-testid="price" aria-live="polite">
                    {move || match price.get() {
                        None => view! { <span class="text-muted">{move_tr!("studio-pricing")}</span> }.into_any(),
                        Some(Ok(credits)) => view! { <span>{move_tr!("studio-price", {"credits" => credits})}</span> }.into_any(),
                        Some(Err(error)) => view! { <ErrorNotice error/> }.into_any(),
                    }}
                </div>
                {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
                <Button submit=true busy=generate.pending() disabled=Signal::derive(move || start.get().is_none())>
                    {move_tr!("studio-generate")}
                </Button>
                <Show when=move || start.get().is_none()>
                    <p class="text-xs text-muted">{move_tr!("studio-need-start")}</p>
                </Show>
            </form>
        </Card>
    }
}
