//! `/generations` (my generations: status, progress, queue position, filters)
//! and `/generations/:id` (parameters, cost, timings, error and refund; play,
//! download, cancel, retry). Both follow live events.

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::job_updates::{JobUpdates, use_live_jobs};
use super::jobs::JobView;
use super::jobs::api::{cancel_generation, get_generation, list_generations, retry_generation};
use crate::auth::gate::RequireApproved;
use crate::error::AppError;
use crate::i18n::tr_dynamic;
use crate::ui::Pager;
use crate::ui::button::ButtonVariant;
use crate::ui::error::ErrorNotice;
use crate::ui::progress::ProgressBar;
use crate::ui::settings::GenerationSettings;
use crate::ui::time::Time;
use crate::ui::{Button, Card, EmptyState};

const STATUSES: [&str; 6] = [
    "queued",
    "running",
    "succeeded",
    "failed",
    "cancelled",
    "dead",
];

fn status_label(status: &str) -> String {
    tr_dynamic(&format!("job-status-{status}"), &[])
}

/// The job's status in words; "Cancelling…" while a provider stops it.
fn job_label(job: &JobView) -> String {
    if job.cancel_requested && is_active(&job.status) {
        status_label("cancelling")
    } else {
        status_label(&job.status)
    }
}

/// What kind of failure it was, in words (unknown kinds read as "unknown").
fn error_kind_text(kind: Option<&str>) -> String {
    const KNOWN: [&str; 7] = [
        "transient",
        "rejected_input",
        "moderation",
        "quota",
        "auth",
        "timeout",
        "unknown",
    ];
    let kind = kind.filter(|k| KNOWN.contains(k)).unwrap_or("unknown");
    tr_dynamic(&format!("job-error-{}", kind.replace('_', "-")), &[])
}

fn is_active(status: &str) -> bool {
    matches!(status, "queued" | "running")
}

/// Progress, queue position and ETA of an unfinished job.
#[component]
fn JobProgress(job: Signal<JobView>) -> impl IntoView {
    view! {
        <Show when=move || is_active(&job.get().status)>
            <div class="flex flex-col gap-1">
                <ProgressBar value=Signal::derive(move || f64::from(job.get().progress)) label=move_tr!("job-progress")/>
                <p class="text-xs text-muted">
                    {move || {
                        let j = job.get();
                        match (j.queue_position, j.eta_seconds) {
                            // The server counts the jobs ahead; people count places in the line.
                            (Some(ahead), Some(eta)) => tr_dynamic("job-queue-eta", &[("position", (ahead + 1).to_string()), ("seconds", eta.to_string())]),
                            (Some(ahead), None) => tr_dynamic("job-queue", &[("position", (ahead + 1).to_string())]),
                            _ => tr_dynamic("job-percent", &[("percent", format!("{:.0}", j.progress * 100.0))]),
                        }
                    }}
                </p>
            </div>
        </Show>
    }
}

/// `/generations`.
#[component]
pub fn GenerationsPage() -> impl IntoView {
    view! {
        <Title text=move_tr!("generations-title")/>
        <div class="mb-6 flex flex-wrap items-center gap-3">
            <h1 class="flex-1 text-2xl font-bold tracking-tight text-fg">{move_tr!("generations-title")}</h1>
            <a href="/studio" class="rounded-lg bg-accent px-4 py-2 text-sm font-medium text-accent-fg">{move_tr!("studio-open")}</a>
        </div>
        <RequireApproved>
            <GenerationsList/>
        </RequireApproved>
    }
}

#[component]
fn GenerationsList() -> impl IntoView {
    let live = use_live_jobs();
    let status = RwSignal::new(String::new());
    let model = RwSignal::new(String::new());
    let page = RwSignal::new(0u64);
    let data = Resource::new(
        move || (status.get(), model.get(), page.get()),
        |(s, m, p)| {
            list_generations(
                (!s.is_empty()).then_some(s),
                (!m.is_empty()).then_some(m),
                p,
            )
        },
    );
    let select = "min-h-10 rounded-lg border border-line bg-bg px-2 text-sm text-fg";
    view! {
        <div class="mb-4 flex flex-wrap items-end gap-3">
            <label class="flex flex-col gap-1 text-xs text-muted">
                {move_tr!("generations-filter-status")}
                <select class=select on:change=move |ev| { page.set(0); status.set(event_target_value(&ev)); }>
                    <option value="">{move_tr!("generations-all")}</option>
                    {STATUSES.iter().map(|s| view! { <option value=*s>{move || status_label(s)}</option> }).collect_view()}
                </select>
            </label>
            <label class="flex flex-col gap-1 text-xs text-muted">
                {move_tr!("generations-filter-model")}
                <select class=select on:change=move |ev| { page.set(0); model.set(event_target_value(&ev)); }>
                    <option value="">{move_tr!("generations-all")}</option>
                    {crate::catalog::all_models().into_iter().filter(|m| m.kind != crate::catalog::ModelKind::Chat).map(|m| view! { <option value=m.id.clone()>{m.name.clone()}</option> }).collect_view()}
                </select>
            </label>
        </div>
        <Transition fallback=move || view! { <p class="text-muted">{move_tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    Ok(list) if list.jobs.is_empty() => view! {
                        <EmptyState title=move_tr!("generations-empty-title") body=move_tr!("generations-empty-body")/>
                    }.into_any(),
                    Ok(list) => {
                        let (current, pages) = (list.page, list.pages);
                        view! {
                            <ul class="flex flex-col gap-3" aria-label=move_tr!("generations-title")>
                                {list.jobs.into_iter().map(|job| view! { <JobRow job live/> }).collect_view()}
                            </ul>
                            <Pager current pages page/>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn JobRow(job: JobView, live: JobUpdates) -> impl IntoView {
    let job = Signal::derive(move || live.latest(&job));
    view! {
        <li data-testid="job-row">
            <a href=move || format!("/generations/{}", job.get().id) class="block">
                <Card>
                    <div class="flex items-center gap-4">
                        <div class="h-16 w-24 shrink-0 overflow-hidden rounded-lg bg-surface-2">
                            {move || job.get().thumbnail.map(|t| view! { <img src=t.url alt="" class="h-full w-full object-cover"/> })}
                        </div>
                        <div class="min-w-0 flex-1">
                            <p class="truncate font-medium text-fg">{move || job.get().model_name}</p>
                            <p class="truncate text-sm text-muted">{move || job.get().prompt}</p>
                            <GenerationSettings model_id=Signal::derive(move || Some(job.get().model_id)) params=Signal::derive(move || job.get().params) compact=true/>
                            <JobProgress job/>
                        </div>
                        <div class="text-right text-sm">
                            <p class="font-medium text-fg" data-testid="job-status">{move || job_label(&job.get())}</p>
                            <p class="text-xs text-muted">{move || tr_dynamic("job-cost", &[("credits", job.get().price.to_string())])}</p>
                            <p class="text-xs text-muted"><Time at=Signal::derive(move || job.get().created_at) in_link=true/></p>
                        </div>
                    </div>
                </Card>
            </a>
        </li>
    }
}

/// `/generations/:id`.
#[component]
pub fn GenerationPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let data = Resource::new(id, get_generation);
    view! {
        <Title text=move_tr!("generation-title")/>
        <h1 class="mb-6 text-2xl font-bold tracking-tight text-fg">{move_tr!("generation-title")}</h1>
        <RequireApproved>
            <Transition fallback=move || view! { <p class="text-muted">{move_tr!("loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                        Ok(job) => view! { <GenerationDetails job/> }.into_any(),
                    }
                })}
            </Transition>
        </RequireApproved>
    }
}

#[component]
fn GenerationDetails(job: JobView) -> impl IntoView {
    let live = use_live_jobs();
    let current = RwSignal::new(job);
    // Live events and action results both move the page to the newest state.
    Effect::new(move |_| {
        let newer = live.latest(&current.get_untracked());
        if newer != current.get_untracked() {
            current.set(newer);
        }
    });
    let job = Signal::derive(move || current.get());
    let error = RwSignal::new(None::<AppError>);
    let navigate = use_navigate();
    let cancel = Action::new(move |id: &String| cancel_generation(id.clone()));
    let retry = Action::new(move |id: &String| retry_generation(id.clone()));
    Effect::new(move |_| match cancel.value().get() {
        Some(Ok(updated)) => current.set(updated),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    Effect::new(move |_| match retry.value().get() {
        Some(Ok(new_job)) => navigate(&format!("/generations/{}", new_job.id), Default::default()),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let row = |label: Signal<String>, value: Box<dyn Fn() -> String + Send + Sync>| {
        view! {
            <div class="flex gap-3 py-1 text-sm">
                <dt class="w-32 shrink-0 text-muted">{label}</dt>
                <dd class="min-w-0 wrap-anywhere text-fg">{value}</dd>
            </div>
        }
    };
    let time_row = |label: Signal<String>, at: Signal<Option<String>>| {
        view! {
            <div class="flex gap-3 py-1 text-sm">
                <dt class="w-32 shrink-0 text-muted">{label}</dt>
                <dd class="min-w-0 wrap-anywhere text-fg">
                    {move || match at.get() {
                        Some(at) => view! { <Time at/> }.into_any(),
                        None => "—".into_any(),
                    }}
                </dd>
            </div>
        }
    };
    view! {
        <div class="grid grid-cols-1 gap-6 lg:grid-cols-[3fr_2fr]">
            <Card>
                {move || {
                    let j = job.get();
                    match j.result.clone() {
                        Some(media) if media.content_type.starts_with("video/") => view! {
                            <video data-testid="result-video" controls playsinline src=media.url.clone() poster=media.thumbnail_url.clone().or_else(|| j.thumbnail.clone().map(|t| t.url)) class="w-full rounded-lg bg-black"></video>
                            <a href=media.download_url.clone() class="mt-3 inline-block text-sm font-medium text-accent underline">{move_tr!("generation-download")}</a>
                        }.into_any(),
                        Some(media) => view! {
                            <img data-testid="result-image" src=media.url.clone() alt=j.prompt.clone() class="w-full rounded-lg"/>
                            <a href=media.download_url.clone() class="mt-3 inline-block text-sm font-medium text-accent underline">{move_tr!("generation-download")}</a>
                        }.into_any(),
                        None => view! {
                            <div class="flex aspect-video w-full items-center justify-center overflow-hidden rounded-lg bg-surface-2">
                                {j.thumbnail.clone().map(|t| view! { <img src=t.url alt="" class="h-full w-full object-cover opacity-60"/> })}
                                {(j.status == "succeeded").then(|| view! { <p class="px-4 text-sm text-muted">{move_tr!("generation-result-deleted")}</p> })}
                            </div>
                        }.into_any(),
                    }
                }}
                {move || job.get().item_id.map(|item| view! {
                    <a href=format!("/library/items/{item}") class="ml-4 mt-3 inline-block text-sm font-medium text-accent underline">{move_tr!("generation-open-in-library")}</a>
                })}
                <div class="mt-4"><JobProgress job/></div>
            </Card>
            <Card>
                <p class="mb-3 text-lg font-semibold text-fg" data-testid="job-status">{move || job_label(&job.get())}</p>
                {move || job.get().error_message.map(|message| view! {
                    <div role="alert" class="mb-3 rounded-xl border border-danger px-4 py-3 text-sm text-danger" data-testid="job-error">
                        {move || error_kind_text(job.get().error_kind.as_deref())}
                        " " {message.clone()}
                    </div>
                })}
                <Show when=move || job.get().refunded>
                    <p class="mb-3 text-sm text-success" data-testid="job-refund">{move || tr_dynamic("job-refunded", &[("credits", job.get().price.to_string())])}</p>
                </Show>
                <dl>
                    {row(move_tr!("generation-model"), Box::new(move || job.get().model_name))}
                    {row(move_tr!("studio-prompt"), Box::new(move || job.get().prompt))}
                    <div class="flex gap-3 py-1 text-sm">
                        <dt class="w-32 shrink-0 text-muted">{move_tr!("generation-settings")}</dt>
                        <dd class="min-w-0 flex-1">
                            <GenerationSettings model_id=Signal::derive(move || Some(job.get().model_id)) params=Signal::derive(move || job.get().params)/>
                        </dd>
                    </div>
                    {row(move_tr!("generation-cost"), Box::new(move || tr_dynamic("job-cost", &[("credits", job.get().price.to_string())])))}
                    {time_row(move_tr!("generation-created"), Signal::derive(move || Some(job.get().created_at)))}
                    {time_row(move_tr!("generation-started"), Signal::derive(move || job.get().started_at))}
                    {time_row(move_tr!("generation-finished"), Signal::derive(move || job.get().finished_at))}
                    {row(move_tr!("generation-attempts"), Box::new(move || job.get().attempts.to_string()))}
                </dl>
                {move || error.get().map(|e| view! { <div class="mt-3"><ErrorNotice error=e/></div> })}
                <div class="mt-4 flex flex-wrap gap-2">
                    <Show when=move || { let j = job.get(); is_active(&j.status) && !j.cancel_requested }>
                        <Button variant=ButtonVariant::Danger busy=cancel.pending() on_click=Callback::new(move |_| { cancel.dispatch(job.get_untracked().id); })>{move_tr!("generation-cancel")}</Button>
                    </Show>
                    <Show when=move || matches!(job.get().status.as_str(), "failed" | "dead" | "cancelled")>
                        <Button busy=retry.pending() on_click=Callback::new(move |_| { retry.dispatch(job.get_untracked().id); })>{move_tr!("generation-retry")}</Button>
                    </Show>
                </div>
            </Card>
        </div>
    }
}
