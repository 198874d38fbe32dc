//! A personal per-day spending cap: each person may limit what their account
//! spends per UTC day (empty: no cap). The ledger honours it for every charge
//! (jobs, chat images, agent turns); this is where it is read and set, and
//! the profile card that shows it with what is left today.

use leptos::prelude::*;
use leptos_fluent::move_tr;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::ui::error::error_text;
use crate::ui::{Button, Card, TextField, ToastKind, use_toasts};

/// The caller's spending today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spending {
    pub balance: i64,
    /// Credits the account may spend per UTC day (`None`: no cap).
    pub daily_cap: Option<i64>,
    /// Spent since the start of today (UTC), refunds counted back.
    pub spent_today: i64,
    /// What the cap still allows today (`None`: no cap).
    pub left_today: Option<i64>,
}

/// A cap as typed: empty is no cap, else a whole number of credits, 0 or more.
pub fn parse_cap(text: &str) -> Result<Option<i64>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<i64>() {
        Ok(cap) if (0..=1_000_000_000).contains(&cap) => Ok(Some(cap)),
        _ => Err(AppError::invalid("daily_cap", "error-reason-daily-cap")),
    }
}

/// The caller's balance, daily cap and spending today.
#[server(prefix = "/api", endpoint = "credits/spending")]
pub async fn my_spending() -> Result<Spending, AppError> {
    use crate::platform::state::AppState;

    let session = crate::auth::current::require_session()?;
    let state = expect_context::<AppState>();
    ssr::spending(&state, session.user_id).await
}

/// Sets the caller's daily spending cap (`daily_cap` empty removes it).
#[server(prefix = "/api", endpoint = "credits/spending-cap")]
pub async fn set_spending_cap(daily_cap: String) -> Result<Spending, AppError> {
    use crate::platform::state::AppState;

    let session = crate::auth::current::require_session()?;
    let state = expect_context::<AppState>();
    let cap = parse_cap(&daily_cap)?;
    super::ledger::set_daily_cap(&state.db, session.user_id, cap, state.clock.now()).await?;
    tracing::info!(user.id = %session.user_id, cap = ?cap, "daily spending cap set");
    ssr::spending(&state, session.user_id).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use uuid::Uuid;

    use super::Spending;
    use crate::error::AppError;
    use crate::platform::state::AppState;

    pub async fn spending(state: &AppState, user: Uuid) -> Result<Spending, AppError> {
        let now = state.clock.now();
        let spendable = crate::credits::ledger::spendable(&state.db, user, now).await?;
        Ok(Spending {
            balance: spendable.balance,
            daily_cap: spendable.cap,
            spent_today: crate::credits::ledger::spent_today(&state.db, user, now).await?,
            left_today: spendable.left_today,
        })
    }
}

/// The profile's card: the cap (empty: none) and what is spent and left today.
#[component]
pub fn SpendingCapCard() -> impl IntoView {
    let toasts = use_toasts();
    let spending = Resource::new(|| (), |_| my_spending());
    let cap = RwSignal::new(String::new());
    let shown = RwSignal::new(None::<Spending>);
    let error = RwSignal::new(None::<AppError>);
    Effect::new(move |_| {
        if let Some(Ok(now)) = spending.get() {
            cap.set(now.daily_cap.map(|c| c.to_string()).unwrap_or_default());
            shown.set(Some(now));
        }
    });
    let save = Action::new(move |text: &String| set_spending_cap(text.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(now)) => {
            error.set(None);
            shown.set(Some(now));
            toasts.push(ToastKind::Success, leptos_fluent::tr!("spending-cap-saved"));
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let cap_error = Signal::derive(move || error.get().as_ref().map(error_text));
    view! {
        <Card>
            <h2 class="text-lg font-semibold text-fg">{move_tr!("spending-cap-title")}</h2>
            <p class="mb-4 mt-1 text-sm text-muted">{move_tr!("spending-cap-lead")}</p>
            <form
                class="flex flex-col gap-4"
                on:submit=move |ev| {
                    ev.prevent_default();
                    // Checked here first, so a typo is named before the round trip.
                    match parse_cap(&cap.get_untracked()) {
                        Ok(_) => {
                            save.dispatch(cap.get_untracked());
                        }
                        Err(e) => error.set(Some(e)),
                    }
                }
            >
                <TextField label=move_tr!("spending-cap-label") name="daily_cap" value=cap error=cap_error placeholder=move_tr!("spending-cap-none").get_untracked()/>
                <p class="text-sm text-muted" data-testid="spending-today">
                    {move || shown.get().map(|s| match s.left_today {
                        Some(left) => move_tr!("spending-cap-left", {"spent" => s.spent_today, "left" => left}).get(),
                        None => move_tr!("spending-cap-spent", {"spent" => s.spent_today}).get(),
                    })}
                </p>
                <div>
                    <Button submit=true busy=save.pending()>{move_tr!("action-save")}</Button>
                </div>
            </form>
        </Card>
    }
}
