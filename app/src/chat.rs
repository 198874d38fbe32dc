//! The creative agent: chat that proposes image ideas and generates them.

use leptos::prelude::*;
use leptos_fluent::move_tr;

use crate::pages::ComingSoon;

/// `/chat`.
#[component]
pub fn ChatPage() -> impl IntoView {
    view! { <ComingSoon title=move_tr!("nav-chat") body=move_tr!("chat-coming-soon")/> }
}
