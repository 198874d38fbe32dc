//! Credits: the ledger, pricing formulas and the balance pages.

pub mod formula;
#[cfg(feature = "ssr")]
pub mod ledger;

use leptos::prelude::*;
use leptos_fluent::move_tr;

use crate::pages::ComingSoon;

/// `/credits`.
#[component]
pub fn CreditsPage() -> impl IntoView {
    view! { <ComingSoon title=move_tr!("nav-credits") body=move_tr!("credits-coming-soon")/> }
}
