//! The profile page: email, display name, language, passkeys, sessions.

use leptos::prelude::*;
use leptos_fluent::move_tr;

use crate::pages::ComingSoon;

/// `/profile`.
#[component]
pub fn ProfilePage() -> impl IntoView {
    view! { <ComingSoon title=move_tr!("nav-profile") body=move_tr!("profile-coming-soon")/> }
}
