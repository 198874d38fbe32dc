//! Paging through a long list: Previous, "page x of y", Next.

use leptos::prelude::*;
use leptos_fluent::move_tr;

use super::Button;
use super::button::ButtonVariant;

/// Previous/Next for `current` (0-based) of `pages`; nothing when one page holds all.
#[component]
pub fn Pager(current: u64, pages: u64, page: RwSignal<u64>) -> impl IntoView {
    (pages > 1).then(|| {
        view! {
            <div class="mt-4 flex items-center gap-3 text-sm">
                <Button variant=ButtonVariant::Secondary disabled=Signal::derive(move || current == 0) on_click=Callback::new(move |_| page.set(current.saturating_sub(1)))>
                    {move_tr!("action-previous")}
                </Button>
                <span class="text-muted">{move_tr!("credits-page", {"page" => current + 1, "pages" => pages})}</span>
                <Button variant=ButtonVariant::Secondary disabled=Signal::derive(move || current + 1 >= pages) on_click=Callback::new(move |_| page.set(current + 1))>
                    {move_tr!("action-next")}
                </Button>
            </div>
        }
    })
}
