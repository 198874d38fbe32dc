//! The `/admin/credits` page.

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_meta::Title;

use super::{LedgerFilter, admin_credit_summary, admin_ledger, admin_reconcile};
use crate::credits::api::KINDS;
use crate::i18n::tr_dynamic;
use crate::ui::Pager;
use crate::ui::button::ButtonVariant;
use crate::ui::error::ErrorNotice;
use crate::ui::time::Time;
use crate::ui::{Button, Card};

const INPUT: &str = "min-h-10 rounded-lg border border-line bg-bg px-2 text-sm text-fg";

/// `/admin/credits`.
#[component]
pub fn AdminCreditsPage() -> impl IntoView {
    crate::admin::refuse_non_admins();
    // The form edits a draft; Apply makes it the filter the data follows.
    let draft = RwSignal::new(LedgerFilter::default());
    let filter = RwSignal::new(LedgerFilter::default());
    let period = RwSignal::new("day".to_string());
    let page = RwSignal::new(0u64);
    let ledger = Resource::new(
        move || (filter.get(), page.get()),
        |(f, p)| admin_ledger(f, p),
    );
    let summary = Resource::new(
        move || (filter.get(), period.get()),
        |(f, p)| admin_credit_summary(f, p),
    );
    let field = |label: Signal<String>, input: AnyView| {
        view! { <label class="flex flex-col gap-1 text-xs text-muted">{label}{input}</label> }
    };
    view! {
        <Title text=move_tr!("admin-credits-title")/>
        <h1 class="mb-6 text-2xl font-bold tracking-tight text-fg">{move_tr!("admin-credits-title")}</h1>
        <Reconciliation/>
        <form
            class="my-6 flex flex-wrap items-end gap-3"
            on:submit=move |ev| {
                ev.prevent_default();
                page.set(0);
                filter.set(draft.get_untracked());
            }
        >
            {field(move_tr!("admin-credits-filter-email"), view! {
                <input type="search" class=INPUT prop:value=move || draft.with(|d| d.email.clone())
                    on:input=move |ev| draft.update(|d| d.email = event_target_value(&ev))/>
            }.into_any())}
            {field(move_tr!("credits-filter"), view! {
                <select class=INPUT on:change=move |ev| draft.update(|d| d.kind = event_target_value(&ev))>
                    <option value="">{move_tr!("credits-kind-all")}</option>
                    {KINDS.iter().map(|k| view! { <option value=*k>{move || tr_dynamic(&format!("credits-kind-{k}"), &[])}</option> }).collect_view()}
                </select>
            }.into_any())}
            {field(move_tr!("admin-credits-filter-from"), view! {
                <input type="date" class=INPUT prop:value=move || draft.with(|d| d.from.clone())
                    on:input=move |ev| draft.update(|d| d.from = event_target_value(&ev))/>
            }.into_any())}
            {field(move_tr!("admin-credits-filter-to"), view! {
                <input type="date" class=INPUT prop:value=move || draft.with(|d| d.to.clone())
                    on:input=move |ev| draft.update(|d| d.to = event_target_value(&ev))/>
            }.into_any())}
            <Button submit=true variant=ButtonVariant::Secondary>{move_tr!("admin-credits-apply-filter")}</Button>
        </form>
        <Card>
            <div class="mb-3 flex flex-wrap items-center gap-3">
                <h2 class="font-semibold text-fg">{move_tr!("admin-credits-summary")}</h2>
                <label class="flex items-center gap-2 text-xs text-muted">
                    {move_tr!("admin-credits-period")}
                    <select class=INPUT on:change=move |ev| period.set(event_target_value(&ev))>
                        <option value="day">{move_tr!("admin-credits-period-day")}</option>
                        <option value="week">{move_tr!("admin-credits-period-week")}</option>
                        <option value="month">{move_tr!("admin-credits-period-month")}</option>
                    </select>
                </label>
            </div>
            <Transition fallback=move || view! { <p class="text-muted">{move_tr!("loading")}</p> }>
                {move || Suspend::new(async move {
                    match summary.await {
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                        Ok(rows) if rows.is_empty() => view! { <p class="text-sm text-muted">{move_tr!("admin-credits-none")}</p> }.into_any(),
                        Ok(rows) => view! {
                            <div class="overflow-x-auto">
                                <table class="w-full text-right text-sm" data-testid="credit-summary">
                                    <thead class="text-xs text-muted">
                                        <tr>
                                            <th class="py-1 text-left">{move_tr!("admin-credits-period")}</th>
                                            <th>{move_tr!("admin-credits-granted")}</th>
                                            <th>{move_tr!("admin-credits-deducted")}</th>
                                            <th>{move_tr!("admin-credits-charged")}</th>
                                            <th>{move_tr!("admin-credits-refunded")}</th>
                                            <th>{move_tr!("admin-credits-net")}</th>
                                        </tr>
                                    </thead>
                                    <tbody class="tabular-nums text-fg">
                                        {rows.into_iter().map(|r| view! {
                                            <tr class="border-t border-line">
                                                <td class="py-1 text-left">{r.period}</td>
                                                <td>{r.granted}</td>
                                                <td>{r.deducted}</td>
                                                <td>{r.charged}</td>
                                                <td>{r.refunded}</td>
                                                <td class="font-medium">{r.net}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                    }
                })}
            </Transition>
        </Card>
        <Transition fallback=move || view! { <p class="text-muted">{move_tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match ledger.await {
                    Err(error) => view! { <div class="mt-6"><ErrorNotice error/></div> }.into_any(),
                    Ok(data) => {
                        let (current, pages, total) = (data.page, data.pages, data.total);
                        view! {
                            <p class="mt-6 mb-2 text-sm text-muted">{move_tr!("admin-credits-count", {"count" => total})}</p>
                            <ul class="flex flex-col divide-y divide-line rounded-xl border border-line" data-testid="admin-ledger">
                                {data.rows.into_iter().map(|r| {
                                    let positive = r.row.amount > 0;
                                    let kind = r.row.kind.clone();
                                    view! {
                                        <li class="flex flex-wrap items-center gap-3 px-4 py-2 text-sm">
                                            <span class="min-w-40 flex-1 truncate text-fg">{r.email}</span>
                                            <span class="text-muted">{move || tr_dynamic(&format!("credits-kind-{kind}"), &[])}</span>
                                            <span class="min-w-40 flex-1 truncate text-muted">{r.row.description}</span>
                                            <span class=if positive { "tabular-nums text-success" } else { "tabular-nums text-danger" }>
                                                {if positive { format!("+{}", r.row.amount) } else { r.row.amount.to_string() }}
                                            </span>
                                            <span class="text-xs text-muted"><Time at=r.row.when/></span>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            <Pager current pages page/>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The reconciliation check: run on demand, shows every account that differs.
#[component]
fn Reconciliation() -> impl IntoView {
    let check = Action::new(|_: &()| admin_reconcile());
    view! {
        <Card>
            <div class="flex flex-wrap items-center gap-3">
                <div class="min-w-0 flex-1">
                    <h2 class="font-semibold text-fg">{move_tr!("admin-reconcile-title")}</h2>
                    <p class="text-sm text-muted">{move_tr!("admin-reconcile-blurb")}</p>
                </div>
                <Button variant=ButtonVariant::Secondary busy=check.pending() on_click=Callback::new(move |_| { check.dispatch(()); })>
                    {move_tr!("admin-reconcile-run")}
                </Button>
            </div>
            {move || check.value().get().map(|result| match result {
                Err(error) => view! { <div class="mt-3"><ErrorNotice error/></div> }.into_any(),
                Ok(report) if report.mismatches.is_empty() => view! {
                    <p role="status" class="mt-3 text-sm text-success" data-testid="reconcile-result">
                        {move_tr!("admin-reconcile-ok", {"accounts" => report.accounts})}
                    </p>
                }.into_any(),
                Ok(report) => {
                    let count = report.mismatches.len();
                    view! {
                    <div role="alert" class="mt-3 text-sm text-danger" data-testid="reconcile-result">
                        <p>{move_tr!("admin-reconcile-bad", {"count" => count})}</p>
                        <ul class="mt-1 list-disc pl-5">
                            {report.mismatches.into_iter().map(|(email, balance, sum)| view! {
                                <li>{move_tr!("admin-reconcile-row", {"email" => email.clone(), "balance" => balance, "sum" => sum})}</li>
                            }).collect_view()}
                        </ul>
                    </div>
                }.into_any()
                }
            })}
        </Card>
    }
}
