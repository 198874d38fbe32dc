//! A reply's suggestion cards. Each shows its title, an editable prompt, the
//! aspect ratio, the image model and the price, and Generate runs it as an
//! ordinary generation job; cards generate side by side, each following its
//! job live (queued, generating with progress, the image, or the failure
//! with its reason and refund).

use leptos::prelude::*;
use leptos_fluent::move_tr;

use super::compare_panel::ComparePanel;
use super::conversation::ChatCtx;
use super::images::{generate_suggestion, suggestion_params};
use super::reply::{ASPECT_RATIOS, ParsedReply, Suggestion};
use super::view::MessageView;
use crate::catalog::CatalogEntry;
use crate::error::AppError;
use crate::generation::jobs::JobView;
use crate::generation::jobs::api::get_generation;
use crate::generation::models::{list_models, price_generation};
use crate::i18n::tr_dynamic;
use crate::ui::error::ErrorNotice;
use crate::ui::{Button, ProgressBar};

#[component]
pub(super) fn SuggestionCards(
    message: Memo<Option<MessageView>>,
    parsed: Memo<ParsedReply>,
) -> impl IntoView {
    let models = Resource::new(|| (), |_| list_models(Some("image".into())));
    let count = Memo::new(move |_| parsed.with(|p| p.suggestions.len()));
    view! {
        <Show when=move || { count.get() > 0 }>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let models = models.await.unwrap_or_default();
                    let models = StoredValue::new(models);
                    view! {
                        <ul class="grid gap-3 sm:grid-cols-2" data-testid="suggestions">
                            <For each=move || 0..count.get() key=|i| *i let:index>
                                {
                                    let suggestion = parsed.with_untracked(|p| p.suggestions[index].clone());
                                    view! { <SuggestionCard message index suggestion models/> }
                                }
                            </For>
                        </ul>
                    }
                })}
            </Transition>
        </Show>
    }
}

#[component]
fn SuggestionCard(
    message: Memo<Option<MessageView>>,
    index: usize,
    suggestion: Suggestion,
    models: StoredValue<Vec<CatalogEntry>>,
) -> impl IntoView {
    let ctx = expect_context::<ChatCtx>();
    let prompt = RwSignal::new(suggestion.prompt.clone());
    let ratio = RwSignal::new(suggestion.aspect_ratio.clone());
    let model_id = RwSignal::new(
        models
            .with_value(|m| m.first().map(|e| e.model.id.clone()))
            .unwrap_or_default(),
    );
    let params = Memo::new(move |_| {
        let id = model_id.get();
        models
            .with_value(|m| {
                m.iter()
                    .find(|e| e.model.id == id)
                    .map(|e| suggestion_params(&e.model, &ratio.get()))
            })
            .unwrap_or_else(|| "{}".into())
    });
    let price = Resource::new(
        move || (model_id.get(), params.get()),
        |(model, params)| price_generation(model, params),
    );
    let job = RwSignal::new(None::<JobView>);
    // Open when a comparison was made earlier, so it shows again after a reload.
    let comparing = RwSignal::new(message.with_untracked(|m| {
        m.as_ref().is_some_and(|m| {
            m.images
                .iter()
                .any(|i| i.suggestion_index as usize == index && i.compare_group.is_some())
        })
    }));
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    // A generation started earlier (before a reload) is shown again.
    let earlier = message.with_untracked(|m| {
        m.as_ref()
            .and_then(|m| {
                m.images
                    .iter()
                    .rev()
                    .find(|i| i.suggestion_index as usize == index && i.compare_group.is_none())
            })
            .map(|i| i.job_id.clone())
    });
    // A chat that generates by itself starts a card as soon as it appears
    // while its reply is written (not the cards of replies read later).
    let auto = earlier.is_none()
        && ctx.chat.with_untracked(|c| c.chat.auto_generate)
        && message.with_untracked(|m| m.as_ref().is_some_and(MessageView::is_streaming));
    if let Some(job_id) = earlier {
        let earlier_job = Resource::new(move || job_id.clone(), get_generation);
        Effect::new(move |_| {
            if let Some(Ok(found)) = earlier_job.get() {
                job.set(Some(found));
            }
        });
    }
    let current = move || job.get().map(|j| ctx.jobs.latest(&j));
    let generate = move |auto: bool| {
        let Some(m) = message.get_untracked() else {
            return;
        };
        busy.set(true);
        error.set(None);
        let (model, text, params) = (
            model_id.get_untracked(),
            prompt.get_untracked(),
            params.get_untracked(),
        );
        leptos::task::spawn_local(async move {
            let result =
                generate_suggestion(m.id, index as u32, model, text, params, Some(auto)).await;
            busy.set(false);
            match result {
                Ok(view) => job.set(Some(view)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    if auto {
        Effect::new(move |_| generate(true));
    }
    let field = format!("suggestion-{index}");
    view! {
        <li class="flex flex-col gap-2 rounded-xl border border-line bg-surface p-3" data-testid="suggestion">
            <h3 class="font-semibold text-fg">{suggestion.title.clone()}</h3>
            <label class="text-xs text-muted" for=format!("{field}-prompt")>{move_tr!("chat-suggestion-prompt")}</label>
            <textarea id=format!("{field}-prompt") rows="3"
                class="w-full rounded-lg border border-line bg-bg px-2 py-1 text-sm text-fg focus:border-accent focus:outline-none"
                prop:value=move || prompt.get()
                on:input=move |ev| prompt.set(event_target_value(&ev))></textarea>
            <div class="flex flex-wrap gap-2">
                <label class="flex flex-col text-xs text-muted">
                    {move_tr!("chat-suggestion-ratio")}
                    <select class="mt-1 rounded-lg border border-line bg-bg px-2 py-1 text-sm text-fg"
                        on:change=move |ev| ratio.set(event_target_value(&ev))>
                        {ASPECT_RATIOS.iter().map(|r| view! {
                            <option value=*r selected=move || ratio.get() == *r>{*r}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="flex min-w-0 flex-1 flex-col text-xs text-muted">
                    {move_tr!("chat-suggestion-model")}
                    <select class="mt-1 rounded-lg border border-line bg-bg px-2 py-1 text-sm text-fg"
                        on:change=move |ev| model_id.set(event_target_value(&ev))>
                        {models.with_value(|list| list.iter().map(|e| {
                            let id = e.model.id.clone();
                            let is = id.clone();
                            view! { <option value=id selected=move || model_id.get() == is>{e.model.name.clone()}</option> }
                        }).collect_view())}
                    </select>
                </label>
            </div>
            <div class="flex items-center gap-3">
                <span class="flex-1 text-sm text-muted" data-testid="suggestion-price">
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            match price.await {
                                Ok(credits) => move_tr!("chat-suggestion-price", {"credits" => credits}).into_any(),
                                Err(error) => view! { <ErrorNotice error/> }.into_any(),
                            }
                        })}
                    </Transition>
                </span>
                <Button busy disabled=Signal::derive(move || message.with(|m| m.as_ref().is_none_or(MessageView::is_streaming)))
                    on_click=Callback::new(move |()| generate(false))>
                    {move || if job.with(Option::is_some) { move_tr!("chat-generate-again") } else { move_tr!("chat-generate") }}
                </Button>
            </div>
            {move || error.get().map(|error| view! { <ErrorNotice error/> })}
            {move || current().map(|j| view! { <JobResult job=j/> })}
            <Show when=move || { models.with_value(|m| m.len() >= 2) }>
                <button type="button" class="self-start text-xs text-accent underline"
                    aria-expanded=move || comparing.get().to_string()
                    on:click=move |_| comparing.update(|c| *c = !*c)>
                    {move_tr!("chat-compare")}
                </button>
            </Show>
            <Show when=move || comparing.get()>
                <ComparePanel message index prompt ratio models/>
            </Show>
        </li>
    }
}

/// Where a card's generation stands: progress, the image, or the failure
/// with its reason and refund.
#[component]
pub(super) fn JobResult(job: JobView) -> impl IntoView {
    let status = tr_dynamic(&format!("job-status-{}", job.status), &[]);
    match job.status.as_str() {
        "succeeded" => job
            .result
            .clone()
            .map(|media| {
                view! {
                    <figure data-testid="suggestion-image">
                        <img src=media.url alt=job.prompt.clone() class="w-full rounded-lg"/>
                        {job.item_id.clone().map(|item| view! {
                            <a href=format!("/library/items/{item}") class="mt-1 inline-block text-xs text-accent underline">{move_tr!("generation-open-in-library")}</a>
                        })}
                    </figure>
                }
                .into_any()
            })
            .unwrap_or_else(|| view! { <p class="text-sm text-muted">{status}</p> }.into_any()),
        "failed" | "dead" | "cancelled" => view! {
            <div role="alert" class="text-sm text-danger" data-testid="suggestion-failed">
                <p>{status}{job.error_message.clone().map(|m| format!(": {m}"))}</p>
                {job.refunded.then(|| view! { <p class="text-xs text-muted">{move_tr!("job-refunded", {"credits" => job.price})}</p> })}
            </div>
        }
        .into_any(),
        _ => {
            let label = status.clone();
            view! {
                <div class="flex flex-col gap-1" data-testid="suggestion-progress">
                    <span class="text-xs text-muted">{status}</span>
                    <ProgressBar value=Signal::derive(move || f64::from(job.progress)) label=label/>
                </div>
            }
            .into_any()
        }
    }
}
