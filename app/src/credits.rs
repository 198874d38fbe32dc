//! Credits: the ledger and the balance pages (pricing lives in `generation::pricing`).

pub mod api;
pub mod spending;

#[cfg(feature = "ssr")]
pub mod ledger;

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_meta::Title;

use crate::auth::gate::RequireApproved;
use crate::i18n::tr_dynamic;
use crate::ui::Pager;
use crate::ui::error::ErrorNotice;
use crate::ui::time::Time;
use crate::ui::{Card, EmptyState};
use api::{KINDS, my_credits};

/// `/credits`: balance and history.
#[component]
pub fn CreditsPage() -> impl IntoView {
    view! {
        <Title text=move_tr!("nav-credits")/>
        <h1 class="mb-6 text-2xl font-bold tracking-tight text-fg">{move_tr!("nav-credits")}</h1>
        <RequireApproved>
            <CreditsView/>
        </RequireApproved>
    }
}

#[component]
fn CreditsView() -> impl IntoView {
    let page = RwSignal::new(0u64);
    let kind = RwSignal::new(String::new());
    let data = Resource::new(
        move || (page.get(), kind.get()),
        |(page, kind)| my_credits(page, (!kind.is_empty()).then_some(kind)),
    );
    view! {
        <Transition fallback=move || view! { <p class="text-muted">{move_tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    Ok(credits) => {
                        let pages = credits.pages;
                        let current = credits.page;
                        view! {
                            <Card class="mb-6">
                                <p class="text-sm text-muted">{move_tr!("credits-balance")}</p>
                                <p class="mt-1 text-4xl font-bold tabular-nums text-fg" data-testid="balance">{credits.balance}</p>
                            </Card>
                            <div class="mb-3 flex flex-wrap items-center justify-between gap-3">
                                <h2 class="text-lg font-semibold text-fg">{move_tr!("credits-history")}</h2>
                                <label class="flex items-center gap-2 text-sm text-muted">
                                    {move_tr!("credits-filter")}
                                    <select
                                        class="min-h-10 rounded-lg border border-line bg-bg px-2 text-fg"
                                        on:change=move |ev| {
                                            kind.set(event_target_value(&ev));
                                            page.set(0);
                                        }
                                    >
                                        <option value="" selected=move || kind.get().is_empty()>{move_tr!("credits-kind-all")}</option>
                                        {KINDS.iter().map(|k| view! {
                                            <option value=*k selected=move || kind.get() == *k>{move || tr_dynamic(&format!("credits-kind-{k}"), &[])}</option>
                                        }).collect_view()}
                                    </select>
                                </label>
                            </div>
                            {if credits.rows.is_empty() {
                                view! { <EmptyState title=move_tr!("credits-empty-title") body=move_tr!("credits-empty-body")/> }.into_any()
                            } else {
                                view! {
                                    <ul class="flex flex-col divide-y divide-line rounded-2xl border border-line bg-surface" aria-label=move_tr!("credits-history")>
                                        {credits.rows.into_iter().map(|row| {
                                            let positive = row.amount > 0;
                                            let kind_key = format!("credits-kind-{}", row.kind);
                                            // Welcome credits are described in the reader's language.
                                            let description = {
                                                let (kind, stored) = (row.kind.clone(), row.description.clone());
                                                move || if kind == "welcome" { tr_dynamic("credits-welcome-description", &[]) } else { stored.clone() }
                                            };
                                            view! {
                                                <li class="flex flex-wrap items-center gap-3 px-4 py-3" data-testid="credit-row">
                                                    <div class="min-w-0 flex-1">
                                                        <p class="truncate text-sm font-medium text-fg">
                                                            {match row.link.clone() {
                                                                Some(href) => view! { <a href=href class="hover:underline">{description}</a> }.into_any(),
                                                                None => view! { <span>{description}</span> }.into_any(),
                                                            }}
                                                        </p>
                                                        <p class="text-xs text-muted">{move || tr_dynamic(&kind_key, &[])} " · " <Time at=row.when.clone()/></p>
                                                    </div>
                                                    <div class="text-right tabular-nums">
                                                        <p class=if positive { "font-semibold text-success" } else { "font-semibold text-danger" }>
                                                            {if positive { format!("+{}", row.amount) } else { row.amount.to_string() }}
                                                        </p>
                                                        <p class="text-xs text-muted">{move_tr!("credits-balance-after", {"balance" => row.balance_after})}</p>
                                                    </div>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <Pager current pages page/>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
