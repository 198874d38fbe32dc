//! Storyboards: story -> frames -> clips -> one film merged in the browser.

use leptos::prelude::*;
use leptos_fluent::move_tr;

use crate::pages::ComingSoon;

/// `/storyboard`.
#[component]
pub fn StoryboardPage() -> impl IntoView {
    view! { <ComingSoon title=move_tr!("nav-storyboard") body=move_tr!("storyboard-coming-soon")/> }
}
