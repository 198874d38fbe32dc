//! Admin › Users: find accounts, approve waiting ones, change roles, disable
//! (which signs the account out everywhere and refuses its sign-ins).

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::auth::roles::Role;
use crate::error::AppError;
use crate::ui::button::ButtonVariant;
use crate::ui::error::ErrorNotice;
use crate::ui::time::Time;
use crate::ui::{Button, Card};

/// One account as the admin list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub display_name: Option<String>,
    pub role: Role,
    /// RFC 3339.
    pub created: String,
    /// RFC 3339.
    pub last_sign_in: Option<String>,
    pub disabled: bool,
    pub credits: i64,
}

#[cfg(feature = "ssr")]
mod ssr {
    use sea_orm::EntityTrait;
    use uuid::Uuid;

    use super::UserRow;
    use crate::auth::roles::Role;
    use crate::entities::user;
    use crate::error::AppError;
    use crate::platform::state::AppState;

    pub fn row(account: &user::Model, credits: i64) -> UserRow {
        UserRow {
            id: account.id.to_string(),
            email: account.email.clone(),
            display_name: account.display_name.clone(),
            role: Role::parse(&account.role).unwrap_or(Role::NewUser),
            created: account
                .created_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            last_sign_in: account
                .last_sign_in_at
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            disabled: account.disabled_at.is_some(),
            credits,
        }
    }

    /// A row with the account's current balance.
    pub async fn row_with_balance(
        state: &AppState,
        account: &user::Model,
    ) -> Result<UserRow, AppError> {
        Ok(row(
            account,
            crate::credits::ledger::balance(&state.db, account.id).await?,
        ))
    }

    /// Another account than the admin's own (an admin cannot lock themselves out).
    pub async fn other_account(
        state: &AppState,
        admin: Uuid,
        id: &str,
    ) -> Result<user::Model, AppError> {
        let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
        if id == admin {
            return Err(AppError::invalid("user", "error-reason-not-yourself"));
        }
        user::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)
    }
}

/// Accounts whose email or name contains `query`, newest first (at most 200).
#[server(prefix = "/api", endpoint = "admin/users/list")]
pub async fn admin_list_users(query: String) -> Result<Vec<UserRow>, AppError> {
    use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

    use crate::entities::user;
    use crate::platform::state::AppState;

    crate::auth::current::require_admin()?;
    let state = expect_context::<AppState>();
    let mut find = user::Entity::find()
        .order_by_desc(user::Column::CreatedAt)
        .limit(200);
    if let Some(query) = crate::platform::query::search_text("query", &query)? {
        use crate::platform::query::contains_text;
        find = find.filter(
            Condition::any()
                .add(contains_text(user::Column::Email, &query))
                .add(contains_text(user::Column::DisplayName, &query)),
        );
    }
    let accounts = find.all(&state.db).await?;
    let balances: std::collections::HashMap<uuid::Uuid, i64> =
        crate::entities::credit_account::Entity::find()
            .filter(
                crate::entities::credit_account::Column::UserId
                    .is_in(accounts.iter().map(|a| a.id)),
            )
            .all(&state.db)
            .await?
            .into_iter()
            .map(|a| (a.user_id, a.balance))
            .collect();
    Ok(accounts
        .iter()
        .map(|a| ssr::row(a, balances.get(&a.id).copied().unwrap_or(0)))
        .collect())
}

/// Changes an account's role (`new_user`, `user` or `admin`); approving is setting `user`.
#[server(prefix = "/api", endpoint = "admin/users/role")]
pub async fn admin_set_role(user_id: String, role: String) -> Result<UserRow, AppError> {
    use sea_orm::{ActiveModelTrait, Set};

    use crate::entities::user;
    use crate::platform::state::AppState;

    let admin = crate::auth::current::require_admin()?;
    let state = expect_context::<AppState>();
    let role =
        Role::parse(&role).ok_or_else(|| AppError::invalid("role", "error-reason-unknown-role"))?;
    let account = ssr::other_account(&state, admin.user_id, &user_id).await?;
    let was_waiting = account.role == Role::NewUser.as_str();
    let mut update: user::ActiveModel = account.into();
    update.role = Set(role.as_str().to_string());
    update.updated_at = Set(state.clock.now());
    let saved = update.update(&state.db).await?;
    if was_waiting {
        crate::auth::accounts::welcome_approved(
            &state.db,
            &state.config,
            &saved,
            state.clock.now(),
        )
        .await?;
    }
    tracing::info!(admin.id = %admin.user_id, user.id = %saved.id, role = role.as_str(), "role changed");
    ssr::row_with_balance(&state, &saved).await
}

/// Disables an account (signing it out everywhere) or enables it again.
#[server(prefix = "/api", endpoint = "admin/users/disabled")]
pub async fn admin_set_disabled(user_id: String, disabled: bool) -> Result<UserRow, AppError> {
    use sea_orm::{ActiveModelTrait, Set, TransactionTrait};

    use crate::entities::user;
    use crate::platform::state::AppState;

    let admin = crate::auth::current::require_admin()?;
    let state = expect_context::<AppState>();
    let account = ssr::other_account(&state, admin.user_id, &user_id).await?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let mut update: user::ActiveModel = account.into();
    update.disabled_at = Set(disabled.then_some(now));
    update.updated_at = Set(now);
    let saved = update.update(&txn).await?;
    if disabled {
        crate::auth::session::revoke_all(&txn, saved.id, now).await?;
    }
    txn.commit().await?;
    tracing::info!(admin.id = %admin.user_id, user.id = %saved.id, disabled, "account access changed");
    ssr::row_with_balance(&state, &saved).await
}

/// `/admin/users`.
#[component]
pub fn AdminUsersPage() -> impl IntoView {
    super::refuse_non_admins();
    let query = RwSignal::new(String::new());
    let users = Resource::new(move || query.get(), admin_list_users);
    view! {
        <Title text=move_tr!("admin-users-title")/>
        <h1 class="mb-6 text-2xl font-bold tracking-tight text-fg">{move_tr!("admin-users-title")}</h1>
        <label class="mb-4 flex max-w-md flex-col gap-1.5">
            <span class="text-sm font-medium text-fg">{move_tr!("admin-users-search")}</span>
            <input
                type="search"
                class="min-h-10 rounded-lg border border-line bg-bg px-3 text-fg"
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
            />
        </label>
        <Transition fallback=move || view! { <p class="text-muted">{move_tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="text-sm text-muted">{move_tr!("admin-users-none")}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="flex flex-col gap-3" aria-label=move_tr!("admin-users-title")>
                            {list.into_iter().map(|u| view! { <UserCard user=u on_change=Callback::new(move |_| users.refetch())/> }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn UserCard(user: UserRow, on_change: Callback<()>) -> impl IntoView {
    let id = StoredValue::new(user.id.clone());
    let error = RwSignal::new(None::<AppError>);
    let set_role =
        Action::new(move |role: &Role| admin_set_role(id.get_value(), role.as_str().to_string()));
    let set_disabled =
        Action::new(move |disabled: &bool| admin_set_disabled(id.get_value(), *disabled));
    Effect::new(move |_| {
        let results = [
            set_role.value().get().map(|r| r.map(|_| ())),
            set_disabled.value().get().map(|r| r.map(|_| ())),
        ];
        for result in results.into_iter().flatten() {
            match result {
                Ok(()) => on_change.run(()),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let role = user.role;
    let disabled = user.disabled;
    let amount = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let adjust = Action::new(move |(amount, reason): &(i64, String)| {
        crate::credits::api::admin_adjust_credits(id.get_value(), *amount, reason.clone())
    });
    Effect::new(move |_| match adjust.value().get() {
        Some(Ok(_)) => {
            amount.set(String::new());
            reason.set(String::new());
            on_change.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let submit_adjust = move || match amount.get_untracked().trim().parse::<i64>() {
        Ok(n) => {
            error.set(None);
            adjust.dispatch((n, reason.get_untracked()));
        }
        Err(_) => error.set(Some(AppError::invalid(
            "amount",
            "error-reason-whole-number",
        ))),
    };
    let role_label = match role {
        Role::NewUser => move_tr!("role-new-user"),
        Role::User => move_tr!("role-user"),
        Role::Admin => move_tr!("role-admin"),
    };
    view! {
        <li data-testid="user-row">
            <Card>
                <div class="flex flex-wrap items-start gap-3">
                    <div class="min-w-0 flex-1">
                        <p class="truncate font-medium text-fg">{user.email.clone()}</p>
                        <p class="text-xs text-muted">
                            {role_label} " · " {move_tr!("admin-users-created")} " " <Time at=user.created.clone()/>
                            {user.last_sign_in.clone().map(|d| view! { " · " {move_tr!("admin-users-last-sign-in")} " " <Time at=d/> })}
                            {disabled.then(|| view! { " · " <span class="text-danger">{move_tr!("admin-users-disabled")}</span> })}
                        </p>
                        <p class="text-xs text-muted" data-testid="user-credits">{move_tr!("admin-users-credits", {"credits" => user.credits})}</p>
                    </div>
                    <div class="flex flex-wrap gap-2">
                        {(role == Role::NewUser).then(|| view! {
                            <Button busy=set_role.pending() on_click=Callback::new(move |_| { set_role.dispatch(Role::User); })>{move_tr!("admin-users-approve")}</Button>
                        })}
                        {(role == Role::User).then(|| view! {
                            <Button variant=ButtonVariant::Secondary busy=set_role.pending() on_click=Callback::new(move |_| { set_role.dispatch(Role::Admin); })>{move_tr!("admin-users-make-admin")}</Button>
                        })}
                        {(role == Role::Admin).then(|| view! {
                            <Button variant=ButtonVariant::Secondary busy=set_role.pending() on_click=Callback::new(move |_| { set_role.dispatch(Role::User); })>{move_tr!("admin-users-make-user")}</Button>
                        })}
                        <Button
                            variant=if disabled { ButtonVariant::Secondary } else { ButtonVariant::Danger }
                            busy=set_disabled.pending()
                            on_click=Callback::new(move |_| { set_disabled.dispatch(!disabled); })
                        >
                            {if disabled { move_tr!("admin-users-enable") } else { move_tr!("admin-users-disable") }}
                        </Button>
                    </div>
                </div>
                <form
                    class="mt-3 flex flex-wrap items-end gap-2"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        submit_adjust();
                    }
                >
                    <label class="flex flex-col gap-1 text-xs text-muted">
                        {move_tr!("admin-credits-amount")}
                        <input
                            class="min-h-10 w-28 rounded-lg border border-line bg-bg px-2 text-sm text-fg"
                            inputmode="numeric"
                            placeholder="+500"
                            prop:value=move || amount.get()
                            on:input=move |ev| amount.set(event_target_value(&ev))
                        />
                    </label>
                    <label class="flex min-w-40 flex-1 flex-col gap-1 text-xs text-muted">
                        {move_tr!("admin-credits-reason")}
                        <input
                            class="min-h-10 rounded-lg border border-line bg-bg px-2 text-sm text-fg"
                            prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))
                        />
                    </label>
                    <Button submit=true variant=ButtonVariant::Secondary busy=adjust.pending()>{move_tr!("admin-credits-apply")}</Button>
                </form>
                <Show when=move || error.get().is_some()>
                    <div class="mt-3">{move || error.get().map(|e| view! { <ErrorNotice error=e/> })}</div>
                </Show>
            </Card>
        </li>
    }
}
