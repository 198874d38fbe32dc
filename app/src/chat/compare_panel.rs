//! A suggestion card's "Compare models": choose 2 to 4 image models, generate
//! the card's prompt and shape with each at once, and see the results side
//! by side, each with its model, price and how long it took.

use leptos::prelude::*;
use leptos_fluent::move_tr;

use super::compare::{check_compare_models, compare_models};
use super::conversation::ChatCtx;
use super::suggestions::JobResult;
use super::view::{COMPARE_MODELS, MessageView};
use crate::catalog::CatalogEntry;
use crate::error::AppError;
use crate::generation::jobs::JobView;
use crate::generation::jobs::api::get_generation;
use crate::ui::Button;
use crate::ui::error::ErrorNotice;

/// Seconds from a job's creation to its end, once it has ended.
fn took_seconds(job: &JobView) -> Option<f64> {
    let start = chrono::DateTime::parse_from_rfc3339(&job.created_at).ok()?;
    let end = chrono::DateTime::parse_from_rfc3339(job.finished_at.as_deref()?).ok()?;
    Some((end - start).num_milliseconds().max(0) as f64 / 1000.0)
}

#[component]
pub(super) fn ComparePanel(
    message: Memo<Option<MessageView>>,
    index: usize,
    prompt: RwSignal<String>,
    ratio: RwSignal<String>,
    models: StoredValue<Vec<CatalogEntry>>,
) -> impl IntoView {
    let ctx = expect_context::<ChatCtx>();
    let chosen = RwSignal::new(models.with_value(|list| {
        list.iter()
            .take(*COMPARE_MODELS.start())
            .map(|e| e.model.id.clone())
            .collect::<Vec<_>>()
    }));
    let jobs = RwSignal::new(Vec::<JobView>::new());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    // The latest comparison made earlier (before a reload) is shown again.
    let earlier: Vec<String> = message.with_untracked(|m| {
        let Some(m) = m else { return Vec::new() };
        let mine = m
            .images
            .iter()
            .filter(|i| i.suggestion_index as usize == index && i.compare_group.is_some());
        let latest = mine.clone().filter_map(|i| i.compare_group.clone()).max();
        mine.filter(|i| i.compare_group == latest)
            .map(|i| i.job_id.clone())
            .collect()
    });
    if !earlier.is_empty() {
        let found = LocalResource::new(move || {
            let ids = earlier.clone();
            async move {
                let mut found = Vec::new();
                for id in ids {
                    if let Ok(job) = get_generation(id).await {
                        found.push(job);
                    }
                }
                found
            }
        });
        Effect::new(move |_| {
            if let Some(list) = found.get()
                && jobs.with_untracked(Vec::is_empty)
            {
                jobs.set(list);
            }
        });
    }
    let toggle = move |id: String, on: bool| {
        chosen.update(|list| {
            list.retain(|m| *m != id);
            if on {
                list.push(id);
            }
        });
    };
    let run = move || {
        let Some(m) = message.get_untracked() else {
            return;
        };
        let ids = chosen.get_untracked();
        if let Err(e) = check_compare_models(&ids) {
            error.set(Some(e));
            return;
        }
        busy.set(true);
        error.set(None);
        let (text, shape) = (prompt.get_untracked(), ratio.get_untracked());
        leptos::task::spawn_local(async move {
            let result = compare_models(m.id, index as u32, ids, text, shape).await;
            busy.set(false);
            match result {
                Ok(list) => jobs.set(list),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let name_of = move |id: &str| {
        models.with_value(|list| {
            list.iter()
                .find(|e| e.model.id == id)
                .map_or_else(|| id.to_string(), |e| e.model.name.clone())
        })
    };
    view! {
        <div class="flex flex-col gap-2 rounded-lg border border-line p-2" data-testid="compare">
            <fieldset class="flex flex-wrap gap-x-4 gap-y-1">
                <legend class="mb-1 text-xs text-muted">{move_tr!("chat-compare-pick")}</legend>
                {models.with_value(|list| list.iter().map(|e| {
                    let id = e.model.id.clone();
                    let checked = { let id = id.clone(); move || chosen.with(|c| c.contains(&id)) };
                    view! {
                        <label class="flex items-center gap-1 text-sm text-fg">
                            <input type="checkbox" name="model_ids" value=id.clone()
                                prop:checked=checked
                                on:change=move |ev| toggle(id.clone(), event_target_checked(&ev))/>
                            {e.model.name.clone()}
                        </label>
                    }
                }).collect_view())}
            </fieldset>
            <div>
                <Button busy disabled=Signal::derive(move || message.with(|m| m.as_ref().is_none_or(MessageView::is_streaming)))
                    on_click=Callback::new(move |()| run())>
                    {move_tr!("chat-compare-run")}
                </Button>
            </div>
            {move || error.get().map(|error| view! { <ErrorNotice error/> })}
            <Show when=move || !jobs.with(Vec::is_empty)>
                <ul class="grid grid-cols-2 gap-2" data-testid="compare-results">
                    <For each=move || jobs.get() key=|j| j.id.clone() let:job>
                        {
                            let name = name_of(&job.model_id);
                            let live = move || ctx.jobs.latest(&job);
                            view! {
                                <li class="flex flex-col gap-1" data-testid="compare-result">
                                    <p class="text-xs font-medium text-fg">{name}</p>
                                    {move || {
                                        let now = live();
                                        let took = took_seconds(&now).map(|s| format!("{s:.1}"));
                                        view! {
                                            <p class="text-xs text-muted">
                                                {move_tr!("chat-suggestion-price", {"credits" => now.price})}
                                                {took.map(|seconds| view! { " · " {move_tr!("chat-compare-took", {"seconds" => seconds.clone()})} })}
                                            </p>
                                            <JobResult job=now/>
                                        }
                                    }}
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
        </div>
    }
}
