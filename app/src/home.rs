//! The landing page: what Framewright does, where to start, and a spark of an idea.

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use leptos_meta::Title;

use crate::ui::button::{ButtonVariant, button_classes};
use crate::ui::{Button, Card};

/// How many sample ideas the locales carry (`home-idea-1` …).
const IDEA_COUNT: usize = 6;

/// The home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let idea = RwSignal::new(1usize);
    let idea_text = move || {
        let n = idea.get();
        match n {
            1 => tr!("home-idea-1"),
            2 => tr!("home-idea-2"),
            3 => tr!("home-idea-3"),
            4 => tr!("home-idea-4"),
            5 => tr!("home-idea-5"),
            _ => tr!("home-idea-6"),
        }
    };
    view! {
        <Title text=move_tr!("home-title")/>
        <section class="flex flex-col items-start gap-6 py-6 sm:py-12">
            <p class="rounded-full border border-line px-3 py-1 text-xs font-medium text-muted">{move_tr!("home-eyebrow")}</p>
            <h1 class="max-w-3xl text-4xl font-bold tracking-tight text-fg sm:text-5xl">{move_tr!("home-headline")}</h1>
            <p class="max-w-2xl text-lg text-muted">{move_tr!("home-lead")}</p>
            <div class="flex flex-wrap gap-3">
                <a href="/chat" class=button_classes(ButtonVariant::Primary)>{move_tr!("home-cta-chat")}</a>
                <a href="/storyboard" class=button_classes(ButtonVariant::Secondary)>{move_tr!("home-cta-storyboard")}</a>
            </div>
        </section>

        <Card class="my-8">
            <div class="flex flex-col gap-4 sm:flex-row sm:items-center">
                <div class="flex-1">
                    <h2 class="text-sm font-semibold uppercase tracking-wide text-muted">{move_tr!("home-idea-heading")}</h2>
                    <p class="mt-2 text-lg text-fg" data-testid="idea" aria-live="polite">{idea_text}</p>
                </div>
                <Button
                    variant=ButtonVariant::Secondary
                    on_click=Callback::new(move |_| idea.update(|n| *n = *n % IDEA_COUNT + 1))
                >
                    {move_tr!("home-idea-next")}
                </Button>
            </div>
        </Card>

        <section class="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label=move_tr!("home-features-label")>
            <Feature title=move_tr!("home-feature-chat-title") body=move_tr!("home-feature-chat-body")/>
            <Feature title=move_tr!("home-feature-video-title") body=move_tr!("home-feature-video-body")/>
            <Feature title=move_tr!("home-feature-storyboard-title") body=move_tr!("home-feature-storyboard-body")/>
            <Feature title=move_tr!("home-feature-library-title") body=move_tr!("home-feature-library-body")/>
            <Feature title=move_tr!("home-feature-credits-title") body=move_tr!("home-feature-credits-body")/>
            <Feature title=move_tr!("home-feature-selfhost-title") body=move_tr!("home-feature-selfhost-body")/>
        </section>
    }
}

#[component]
fn Feature(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] body: Signal<String>,
) -> impl IntoView {
    view! {
        <Card>
            <h3 class="font-semibold text-fg">{title}</h3>
            <p class="mt-2 text-sm text-muted">{body}</p>
        </Card>
    }
}
