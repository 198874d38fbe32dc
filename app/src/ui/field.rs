//! Form fields with a label and an error line.

use leptos::prelude::*;

/// A labelled text input bound to `value`. `error`, when set, is shown under the
/// field and marks it invalid; the typed value is kept.
#[component]
pub fn TextField(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] name: String,
    value: RwSignal<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional, into)] input_type: Option<String>,
    #[prop(optional, into)] placeholder: Option<String>,
    #[prop(optional, into)] autocomplete: Option<String>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let described_by = error_id.clone();
    view! {
        <div class="flex flex-col gap-1.5">
            <label for=id.clone() class="text-sm font-medium text-fg">{label}</label>
            <input
                id=id
                name=name
                type=input_type.unwrap_or_else(|| "text".into())
                placeholder=placeholder
                autocomplete=autocomplete
                required=required
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || error.get().is_some().then(|| described_by.clone())
                class="min-h-10 rounded-lg border border-line bg-bg px-3 py-2 text-fg placeholder:text-muted focus:border-accent focus:outline-none aria-[invalid=true]:border-danger"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <Show when=move || error.get().is_some()>
                <p id=error_id.clone() class="text-sm text-danger" role="alert">{move || error.get()}</p>
            </Show>
        </div>
    }
}
