//! `/admin/models`: every model, grouped by what it makes and filtered by
//! provider and state, with its state (on, off, needs a key) and formula in
//! its row; opened, the switch that offers it to users and the formula with a
//! test box. A formula is checked on save and on test; the error says what
//! and where.

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_meta::Title;

use crate::catalog::CatalogEntry;
use crate::catalog::{ConnectionCheck, ModelKind, ProviderId};
use crate::error::AppError;
use crate::generation::models::{
    admin_check_provider, admin_list_models, admin_save_model, admin_test_price,
};
use crate::generation::param_form::{ParamForm, default_values, values_json};
use crate::generation::params::formula_variable_names;
use crate::i18n::tr_dynamic;
use crate::ui::button::ButtonVariant;
use crate::ui::error::ErrorNotice;
use crate::ui::{Button, Card};

/// The groups of the list, in order, with their headings' translation keys.
const GROUPS: [(ModelKind, &str); 4] = [
    (ModelKind::Video, "admin-models-kind-video"),
    (ModelKind::Image, "admin-models-kind-image"),
    (ModelKind::ImageEdit, "admin-models-kind-image-edit"),
    (ModelKind::Chat, "admin-models-kind-chat"),
];

/// The states a model can be in, as the state filter names them.
const STATES: [&str; 3] = ["on", "off", "needs_key"];

/// One model's row state: `needs_key` while its provider has no key, else on or off.
fn state_of(entry: &CatalogEntry, enabled: bool) -> &'static str {
    match (&entry.missing_key, enabled) {
        (Some(_), _) => "needs_key",
        (None, true) => "on",
        (None, false) => "off",
    }
}

/// The list's filters: a provider (`""`: all) and a state (`""`: all).
#[derive(Clone, Copy)]
struct ModelFilters {
    provider: RwSignal<String>,
    state: RwSignal<String>,
}

impl ModelFilters {
    fn shows(&self, entry: &CatalogEntry, enabled: bool) -> bool {
        let (provider, state) = (self.provider.get(), self.state.get());
        (provider.is_empty() || provider == entry.model.provider.as_str())
            && (state.is_empty() || state == state_of(entry, enabled))
    }
}

/// `/admin/models`.
#[component]
pub fn AdminModelsPage() -> impl IntoView {
    super::refuse_non_admins();
    let models = Resource::new(|| (), |_| admin_list_models());
    let filters = ModelFilters {
        provider: RwSignal::new(String::new()),
        state: RwSignal::new(String::new()),
    };
    let select = "min-h-10 rounded-lg border border-line bg-bg px-2 text-sm text-fg";
    view! {
        <Title text=move_tr!("admin-models-title")/>
        <h1 class="mb-2 text-2xl font-bold tracking-tight text-fg">{move_tr!("admin-models-title")}</h1>
        <p class="mb-6 max-w-2xl text-sm text-muted">{move_tr!("admin-models-blurb")}</p>
        <ProvidersPanel/>
        <div class="mb-4 flex flex-wrap items-end gap-3">
            <label class="flex flex-col gap-1 text-xs text-muted">
                {move_tr!("admin-models-filter-provider")}
                <select class=select on:change=move |ev| filters.provider.set(event_target_value(&ev))>
                    <option value="">{move_tr!("admin-models-all")}</option>
                    {std::iter::once(ProviderId::Local).chain(ProviderId::REMOTE).map(|p| view! { <option value=p.as_str()>{p.label()}</option> }).collect_view()}
                </select>
            </label>
            <label class="flex flex-col gap-1 text-xs text-muted">
                {move_tr!("admin-models-filter-state")}
                <select class=select on:change=move |ev| filters.state.set(event_target_value(&ev))>
                    <option value="">{move_tr!("admin-models-all")}</option>
                    {STATES.map(|s| view! { <option value=s>{move || tr_dynamic(&format!("admin-models-state-{}", s.replace('_', "-")), &[])}</option> }).collect_view()}
                </select>
            </label>
        </div>
        <Transition fallback=move || view! { <p class="text-muted">{move_tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match models.await {
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    Ok(list) => view! { <ModelGroups list filters/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The models grouped by kind, each group under its heading; groups with
/// nothing left after filtering are hidden, and so is everything when
/// nothing matches (then a line says so).
#[component]
fn ModelGroups(list: Vec<CatalogEntry>, filters: ModelFilters) -> impl IntoView {
    // Each switch lives here, so the state filter follows what was saved.
    let rows: Vec<(CatalogEntry, RwSignal<bool>)> = list
        .into_iter()
        .map(|e| {
            let on = RwSignal::new(e.enabled);
            (e, on)
        })
        .collect();
    let rows = StoredValue::new(rows);
    let any_shown = move |kind: Option<ModelKind>| {
        rows.with_value(|rows| {
            rows.iter()
                .filter(|(e, _)| kind.is_none_or(|k| e.model.kind == k))
                .any(|(e, on)| filters.shows(e, on.get()))
        })
    };
    let groups = GROUPS
        .into_iter()
        .map(|(kind, heading)| {
            let entries: Vec<_> = rows.with_value(|rows| {
                rows.iter()
                    .filter(|(e, _)| e.model.kind == kind)
                    .cloned()
                    .collect()
            });
            let heading_id = format!("models-{}", kind.as_str());
            let labelled_by = heading_id.clone();
            view! {
                <section class="mb-6" aria-labelledby=labelled_by data-testid="model-group" data-kind=kind.as_str() class:hidden=move || !any_shown(Some(kind))>
                    <h2 id=heading_id class="mb-2 text-lg font-semibold text-fg">{move || tr_dynamic(heading, &[])}</h2>
                    <ul class="flex flex-col gap-3">
                        {entries.into_iter().map(|(entry, enabled)| {
                            let shown = {
                                let entry = entry.clone();
                                Signal::derive(move || filters.shows(&entry, enabled.get()))
                            };
                            view! { <ModelCard entry enabled shown/> }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view();
    view! {
        {groups}
        <Show when=move || !any_shown(None)>
            <p class="text-sm text-muted" data-testid="models-none">{move_tr!("admin-models-none")}</p>
        </Show>
    }
}

/// Every remote provider with a "Check connection" button: an admin can
/// tell a wrong key from an empty account or a provider that is down.
#[component]
fn ProvidersPanel() -> impl IntoView {
    view! {
        <section class="mb-6" aria-labelledby="providers-title">
            <Card>
                <h2 id="providers-title" class="mb-1 text-lg font-semibold text-fg">{move_tr!("admin-providers-title")}</h2>
                <p class="mb-3 max-w-2xl text-sm text-muted">{move_tr!("admin-providers-blurb")}</p>
                <ul class="flex flex-col divide-y divide-line">
                    {ProviderId::REMOTE.into_iter().map(|id| view! { <ProviderRow id/> }).collect_view()}
                </ul>
            </Card>
        </section>
    }
}

/// What a connection check found, in words.
fn check_text(check: &ConnectionCheck) -> String {
    let key = format!("provider-check-{}", check.outcome.replace('_', "-"));
    tr_dynamic(
        &key,
        &[
            ("detail", check.detail.clone().unwrap_or_default()),
            ("millis", check.millis.to_string()),
        ],
    )
}

#[component]
fn ProviderRow(id: ProviderId) -> impl IntoView {
    let check = Action::new(move |_: &()| admin_check_provider(id.as_str().to_string()));
    let label = id.label();
    view! {
        <li class="flex flex-wrap items-center gap-3 py-2" data-testid="provider-row" data-provider=id.as_str()>
            <span class="w-36 font-medium text-fg">{label}</span>
            <Button
                variant=ButtonVariant::Secondary
                busy=check.pending()
                on_click=Callback::new(move |_| { check.dispatch(()); })
            >
                {move_tr!("admin-providers-check")}
            </Button>
            {move || check.value().get().map(|answer| match answer {
                Ok(result) => {
                    let class = if result.ok() { "text-sm text-success" } else { "text-sm text-danger" };
                    let outcome = result.outcome.clone();
                    view! {
                        <output class=class data-testid="provider-check" data-outcome=outcome>
                            {move || check_text(&result)}
                        </output>
                    }.into_any()
                }
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
        </li>
    }
}

/// One model: its name, provider, state and formula; opened, its settings.
#[component]
fn ModelCard(entry: CatalogEntry, enabled: RwSignal<bool>, shown: Signal<bool>) -> impl IntoView {
    let model = StoredValue::new(entry.model.clone());
    let formula = RwSignal::new(entry.formula.clone());
    let custom = RwSignal::new(entry.custom_formula);
    let values = RwSignal::new(default_values(&entry.model));
    let error = RwSignal::new(None::<AppError>);
    let price = RwSignal::new(None::<i64>);
    let saved = RwSignal::new(false);
    let model_id = move || model.with_value(|m| m.id.clone());

    let test = Action::new(move |(formula, params): &(String, String)| {
        admin_test_price(model_id(), formula.clone(), params.clone())
    });
    let save = Action::new(move |(on, formula): &(bool, String)| {
        admin_save_model(model_id(), *on, formula.clone())
    });
    Effect::new(move |_| match test.value().get() {
        Some(Ok(credits)) => {
            error.set(None);
            price.set(Some(credits));
        }
        Some(Err(e)) => {
            price.set(None);
            error.set(Some(e));
        }
        None => {}
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved_entry)) => {
            error.set(None);
            enabled.set(saved_entry.enabled);
            formula.set(saved_entry.formula);
            custom.set(saved_entry.custom_formula);
            saved.set(true);
        }
        Some(Err(e)) => {
            saved.set(false);
            error.set(Some(e));
        }
        None => {}
    });

    let variables = formula_variable_names(&entry.model).join(", ");
    let status = match entry.missing_key.clone() {
        Some(var) => view! {
            <span class="rounded-full bg-surface-2 px-2 py-0.5 text-xs text-danger" data-testid="model-state" data-state="needs_key">
                {move_tr!("admin-models-needs-key", {"var" => var.clone()})}
            </span>
        }.into_any(),
        None => view! {
            <span
                class=move || if enabled.get() { "rounded-full bg-surface-2 px-2 py-0.5 text-xs text-success" } else { "rounded-full bg-surface-2 px-2 py-0.5 text-xs text-muted" }
                data-testid="model-state"
                data-state=move || if enabled.get() { "on" } else { "off" }
            >
                {move || if enabled.get() { move_tr!("admin-models-on").get() } else { move_tr!("admin-models-off").get() }}
            </span>
        }.into_any(),
    };
    let name = entry.model.name.clone();
    let provider = entry.model.provider.label();
    let formula_id = format!("formula-{}", entry.model.id);
    let spec = entry.model.clone();
    view! {
        <li data-testid="model-row" data-model=entry.model.id.clone() data-provider=entry.model.provider.as_str() class:hidden=move || !shown.get()>
            <Card>
                <details>
                    <summary class="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1">
                        <span class="font-medium text-fg">{name}</span>
                        <span class="text-xs text-muted">{provider}</span>
                        {status}
                        <code class="basis-full break-all font-mono text-xs text-muted" data-testid="model-formula">
                            <span class="sr-only">{move_tr!("admin-models-formula")} ": "</span>
                            {move || formula.get()}
                        </code>
                        {entry.model.notice.clone().map(|key| {
                            let class = format!("basis-full {}", crate::generation::param_form::notice_class(&key));
                            view! {
                                <span role="note" class=class data-testid="model-notice">{move || tr_dynamic(&key, &[])}</span>
                            }
                        })}
                    </summary>
                    <form
                        class="mt-4 flex flex-col gap-4"
                        on:submit=move |ev| {
                            ev.prevent_default();
                            save.dispatch((enabled.get_untracked(), formula.get_untracked()));
                        }
                    >
                        <label class="flex items-center gap-2 text-sm text-fg">
                            <input type="checkbox" class="h-5 w-5"
                                prop:checked=move || enabled.get()
                                on:change=move |ev| { saved.set(false); enabled.set(event_target_checked(&ev)); }/>
                            {move_tr!("admin-models-enabled")}
                        </label>
                        <div class="flex flex-col gap-1">
                            <label for=formula_id.clone() class="text-sm font-medium text-fg">{move_tr!("admin-models-formula")}</label>
                            <textarea
                                id=formula_id
                                rows="2"
                                spellcheck="false"
                                class="rounded-lg border border-line bg-bg px-3 py-2 font-mono text-sm text-fg"
                                prop:value=move || formula.get()
                                on:input=move |ev| { saved.set(false); formula.set(event_target_value(&ev)); }
                            ></textarea>
                            <p class="text-xs text-muted">
                                {move_tr!("admin-models-variables", {"names" => variables.clone()})}
                                {move || custom.get().then(|| view! { " · " {move_tr!("admin-models-custom")} })}
                            </p>
                        </div>
                        <fieldset class="flex flex-col gap-2 rounded-lg border border-line p-3">
                            <legend class="px-1 text-sm font-medium text-fg">{move_tr!("admin-models-test")}</legend>
                            <ParamForm model=spec values/>
                            <div class="flex flex-wrap items-center gap-3">
                                <Button
                                    variant=ButtonVariant::Secondary
                                    busy=test.pending()
                                    on_click=Callback::new(move |_| {
                                        test.dispatch((formula.get_untracked(), values.with_untracked(values_json)));
                                    })
                                >
                                    {move_tr!("admin-models-test-price")}
                                </Button>
                                {move || price.get().map(|credits| view! {
                                    <output class="text-sm font-medium text-fg" data-testid="test-price">
                                        {move_tr!("admin-models-price", {"credits" => credits})}
                                    </output>
                                })}
                            </div>
                        </fieldset>
                        <Show when=move || error.get().is_some()>
                            {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
                        </Show>
                        <div class="flex items-center gap-3">
                            <Button submit=true busy=save.pending()>{move_tr!("admin-models-save")}</Button>
                            <Show when=move || saved.get()>
                                <span role="status" class="text-sm text-muted">{move_tr!("admin-models-saved")}</span>
                            </Show>
                        </div>
                    </form>
                </details>
            </Card>
        </li>
    }
}
