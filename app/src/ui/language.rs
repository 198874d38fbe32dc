//! The language switch in the header.

use leptos::prelude::*;
use leptos_fluent::{I18n, move_tr};

/// A compact select listing every language by its own name (see `i18n::LANGUAGES`).
/// `id` tells two switches on one page apart (the header's and the phone menu's).
#[component]
pub fn LanguageSwitch(#[prop(default = "language-switch")] id: &'static str) -> impl IntoView {
    let i18n = expect_context::<I18n>();
    let options = i18n
        .languages
        .iter()
        .map(|lang| {
            let id = lang.id;
            // Our own names ("简体中文"): the library's are less precise ("中文").
            let name = crate::i18n::LANGUAGES
                .iter()
                .find(|(known, _)| *known == id)
                .map_or(lang.name, |(_, name)| *name);
            view! {
                <option value=id selected=move || i18n.language.get().id == id>{name}</option>
            }
        })
        .collect_view();
    view! {
        <label class="sr-only" for=id>{move_tr!("language-label")}</label>
        <select
            id=id
            class="min-h-10 rounded-lg border border-line bg-bg px-2 text-sm text-fg"
            on:change=move |ev| {
                let chosen = event_target_value(&ev);
                if let Some(lang) = i18n.languages.iter().find(|l| l.id == chosen) {
                    i18n.language.set(lang);
                }
            }
        >
            {options}
        </select>
    }
}
