//! A model's parameter form, built from its schema: a select for listed
//! values, a switch for yes/no, a number field for ranges, a text field for
//! text. Values are kept as typed (strings), so nothing a person entered is
//! lost when the server refuses one; the server validates them all.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::catalog::{ModelSpec, ParamSpec, ParamType};
use crate::i18n::{current_language, param_label};
use crate::ui::settings::choice_name_in;

/// The values of a parameter form, by parameter name, as typed.
pub type ParamValues = BTreeMap<String, String>;

/// The schema's defaults as form values.
pub fn default_values(model: &ModelSpec) -> ParamValues {
    model
        .visible_params()
        .filter_map(|p| {
            let text = match p.default.as_ref()? {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Some((p.name.clone(), text))
        })
        .collect()
}

/// Form values from saved settings (a JSON object, e.g. a library item's):
/// the defaults, overridden by every saved value the form can show.
pub fn values_from_json(model: &ModelSpec, params: &str) -> ParamValues {
    let mut values = default_values(model);
    let Ok(serde_json::Value::Object(saved)) = serde_json::from_str::<serde_json::Value>(params)
    else {
        return values;
    };
    for spec in model.visible_params() {
        let text = match saved.get(&spec.name) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Null) | None => continue,
            Some(other) => other.to_string(),
        };
        values.insert(spec.name.clone(), text);
    }
    values
}

/// The form values as the JSON object the server functions take; blank fields
/// are left out so they take their defaults.
pub fn values_json(values: &ParamValues) -> String {
    let object: serde_json::Map<String, serde_json::Value> = values
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.trim().to_string())))
        .collect();
    serde_json::Value::Object(object).to_string()
}

/// How a model's notice looks: a warning for an unverified model, a quiet
/// note otherwise (the offline sketch).
pub fn notice_class(key: &str) -> &'static str {
    if key == crate::catalog::NOTICE_UNVERIFIED {
        "text-xs text-danger"
    } else {
        "text-xs text-muted"
    }
}

/// The form for `model`'s settable parameters, bound to `values`.
#[component]
pub fn ParamForm(model: ModelSpec, values: RwSignal<ParamValues>) -> impl IntoView {
    let fields = model
        .visible_params()
        .cloned()
        .map(|spec| view! { <ParamField spec values/> })
        .collect_view();
    view! { <div class="grid gap-3 sm:grid-cols-2" data-testid="param-form">{fields}</div> }
}

#[component]
fn ParamField(spec: ParamSpec, values: RwSignal<ParamValues>) -> impl IntoView {
    let name = spec.name.clone();
    let id = format!("param-{name}");
    let label = param_label(&name);
    let value = {
        let name = name.clone();
        move || values.with(|v| v.get(&name).cloned().unwrap_or_default())
    };
    let set = {
        let name = name.clone();
        move |text: String| {
            values.update(|v| {
                v.insert(name.clone(), text);
            })
        }
    };
    let input_class = "min-h-10 rounded-lg border border-line bg-bg px-3 text-sm text-fg";
    let control = match spec.ty.clone() {
        ParamType::Choice { values: options } => {
            select(id.clone(), spec.clone(), options, value, set).into_any()
        }
        ParamType::IntChoice { values: options } => select(
            id.clone(),
            spec.clone(),
            options.iter().map(ToString::to_string).collect(),
            value,
            set,
        )
        .into_any(),
        ParamType::Bool => view! {
            <input
                id=id.clone()
                type="checkbox"
                class="h-5 w-5 accent-[var(--color-accent)]"
                prop:checked=move || value() == "true"
                on:change=move |ev| set(event_target_checked(&ev).to_string())
            />
        }
        .into_any(),
        ParamType::Int { min, max } => view! {
            <input id=id.clone() type="number" step="1" min=min max=max class=input_class
                prop:value=value on:input=move |ev| set(event_target_value(&ev))/>
        }
        .into_any(),
        ParamType::Number { min, max } => view! {
            <input id=id.clone() type="number" step="any" min=min max=max class=input_class
                prop:value=value on:input=move |ev| set(event_target_value(&ev))/>
        }
        .into_any(),
        ParamType::Text { max_len } => view! {
            <input id=id.clone() type="text" maxlength=max_len class=input_class
                prop:value=value on:input=move |ev| set(event_target_value(&ev))/>
        }
        .into_any(),
    };
    let inline = matches!(spec.ty, ParamType::Bool);
    view! {
        // A switch reads best before its label; the markup keeps label-then-control.
        <div class=if inline { "flex flex-row-reverse items-center justify-end gap-2" } else { "flex flex-col gap-1" }>
            <label for=id class="text-sm font-medium text-fg">{label}</label>
            {control}
        </div>
    }
}

/// A select of listed values, each shown by its name (the value is sent as listed).
fn select(
    id: String,
    spec: ParamSpec,
    options: Vec<String>,
    value: impl Fn() -> String + Clone + Send + Sync + 'static,
    set: impl Fn(String) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let current = value.clone();
    view! {
        <select
            id=id
            class="min-h-10 rounded-lg border border-line bg-bg px-2 text-sm text-fg"
            on:change=move |ev| set(event_target_value(&ev))
        >
            {options
                .into_iter()
                .map(|o| {
                    let selected = {
                        let current = current.clone();
                        let o = o.clone();
                        move || current() == o
                    };
                    let (spec, value) = (spec.clone(), o.clone());
                    let name = move || choice_name_in(current_language(), &spec.name, &spec.ty, &value);
                    view! { <option value=o.clone() selected=selected>{name}</option> }
                })
                .collect_view()}
        </select>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_settings_fill_the_form_over_the_defaults() {
        let model = crate::catalog::find_model("local-video").unwrap();
        let defaults = default_values(&model);
        let values = values_from_json(
            &model,
            r#"{"resolution":"480p","duration":6,"unknown":"x"}"#,
        );
        assert_eq!(values.get("resolution").map(String::as_str), Some("480p"));
        assert_eq!(values.get("duration").map(String::as_str), Some("6"));
        assert!(!values.contains_key("unknown"), "only what the form shows");
        assert_eq!(values.get("aspect_ratio"), defaults.get("aspect_ratio"));
        assert_eq!(values_from_json(&model, "not json"), defaults);
    }
}
