//! The profile page: email, display name and language; passkeys; the devices
//! that are signed in, with revoke and "sign out everywhere".

mod passkeys_card;
mod sessions_card;

use leptos::prelude::*;
use leptos_fluent::{I18n, move_tr};
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::current::SessionUser;
use super::use_session;
use crate::error::AppError;
use crate::ui::error::error_text;
use crate::ui::{Button, Card, EmptyState, TextField, ToastKind, use_toasts};

/// One signed-in device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub id: String,
    /// "Browser · system", or empty when the browser did not say.
    pub device: String,
    /// The browser's User-Agent, as sent.
    pub user_agent: String,
    pub ip: Option<String>,
    /// RFC 3339.
    pub last_used: String,
    /// This browser's own session.
    pub current: bool,
}

/// Saves the display name (empty clears it) and preferred language (`en` or `zh-CN`).
#[server(prefix = "/api", endpoint = "profile/update")]
pub async fn update_profile(display_name: String, locale: String) -> Result<SessionUser, AppError> {
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};

    use crate::entities::user;
    use crate::platform::state::AppState;
    let state = expect_context::<AppState>();
    let session = super::current::require_session()?;
    let display_name = display_name.trim().to_string();
    if display_name.chars().count() > 100 {
        return Err(AppError::invalid("display_name", "error-reason-too-long"));
    }
    if !crate::i18n::LANGUAGES.iter().any(|(id, _)| *id == locale) {
        return Err(AppError::invalid("locale", "error-reason-unknown-language"));
    }
    let account = user::Entity::find_by_id(session.user_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let mut update: user::ActiveModel = account.into();
    update.display_name = Set((!display_name.is_empty()).then_some(display_name));
    update.locale = Set(Some(locale));
    update.updated_at = Set(state.clock.now());
    let saved = update.update(&state.db).await?;
    super::current::RequestSession::new(&saved, session.family)
        .map(|s| s.user)
        .ok_or_else(|| AppError::internal("account with an unknown role"))
}

/// The devices signed in to the caller's account, most recently used first.
#[server(prefix = "/api", endpoint = "profile/sessions")]
pub async fn list_sessions() -> Result<Vec<SessionInfo>, AppError> {
    use crate::platform::state::AppState;
    let state = expect_context::<AppState>();
    let session = super::current::require_session()?;
    let rows = super::session::list_sessions(&state.db, session.user_id, state.clock.now()).await?;
    Ok(rows
        .into_iter()
        .map(|row| SessionInfo {
            id: row.family.to_string(),
            device: row
                .user_agent
                .as_deref()
                .map(describe_user_agent)
                .unwrap_or_default(),
            user_agent: row.user_agent.unwrap_or_default(),
            ip: row.ip,
            last_used: row
                .last_used_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            current: row.family == session.family,
        })
        .collect())
}

/// A short, readable name for a User-Agent: "Firefox · macOS".
pub fn describe_user_agent(user_agent: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("Version/", "Safari"),
    ]
    .iter()
    .find(|(token, _)| user_agent.contains(token))
    .map(|(_, name)| *name);
    let system = [
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(token, _)| user_agent.contains(token))
    .map(|(_, name)| *name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} · {s}"),
        (Some(one), None) | (None, Some(one)) => one.to_string(),
        (None, None) => user_agent.chars().take(60).collect(),
    }
}

/// Signs one of the caller's devices out.
#[server(prefix = "/api", endpoint = "profile/sessions/revoke")]
pub async fn revoke_session(id: String) -> Result<(), AppError> {
    use crate::platform::state::AppState;
    let state = expect_context::<AppState>();
    let session = super::current::require_session()?;
    let family: uuid::Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let mine = super::session::list_sessions(&state.db, session.user_id, state.clock.now())
        .await?
        .iter()
        .any(|s| s.family == family);
    if !mine {
        return Err(AppError::NotFound);
    }
    super::session::revoke_family(&state.db, family, state.clock.now()).await?;
    Ok(())
}

/// `/profile`.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let session = use_session();
    view! {
        <Title text=move_tr!("nav-profile")/>
        <h1 class="mb-6 text-2xl font-bold tracking-tight text-fg">{move_tr!("nav-profile")}</h1>
        <Suspense fallback=move || view! { <p class="text-muted">{move_tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(user)) => view! {
                        <div class="flex flex-col gap-6">
                            <AccountCard user/>
                            <crate::credits::spending::SpendingCapCard/>
                            <passkeys_card::PasskeysCard/>
                            <sessions_card::SessionsCard/>
                        </div>
                    }.into_any(),
                    _ => view! {
                        <EmptyState title=move_tr!("profile-signed-out-title") body=move_tr!("profile-signed-out-body")>
                            <a href="/sign-in" class="text-sm font-medium text-accent hover:underline">{move_tr!("action-sign-in")}</a>
                        </EmptyState>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Email, display name and language.
#[component]
fn AccountCard(user: SessionUser) -> impl IntoView {
    let i18n = expect_context::<I18n>();
    let toasts = use_toasts();
    let display_name = RwSignal::new(user.display_name.clone().unwrap_or_default());
    let locale = RwSignal::new(
        user.locale
            .clone()
            .unwrap_or_else(|| i18n.language.get_untracked().id.to_string()),
    );
    let error = RwSignal::new(None::<AppError>);
    let save = Action::new(move |(name, locale): &(String, String)| {
        update_profile(name.clone(), locale.clone())
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            error.set(None);
            if let Some(lang) = i18n
                .languages
                .iter()
                .find(|l| Some(l.id) == saved.locale.as_deref())
            {
                i18n.language.set(lang);
            }
            toasts.push(ToastKind::Success, leptos_fluent::tr!("profile-saved"));
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let name_error = Signal::derive(move || error.get().as_ref().map(error_text));
    view! {
        <Card>
            <h2 class="mb-4 text-lg font-semibold text-fg">{move_tr!("profile-account")}</h2>
            <form
                class="flex flex-col gap-4"
                on:submit=move |ev| {
                    ev.prevent_default();
                    save.dispatch((display_name.get_untracked(), locale.get_untracked()));
                }
            >
                <div class="flex flex-col gap-1.5">
                    <span class="text-sm font-medium text-fg">{move_tr!("field-email-label")}</span>
                    <span class="text-sm text-muted" data-testid="profile-email">{user.email.clone()}</span>
                </div>
                <TextField label=move_tr!("profile-display-name") name="display_name" value=display_name error=name_error autocomplete="nickname"/>
                <div class="flex flex-col gap-1.5">
                    <label for="profile-locale" class="text-sm font-medium text-fg">{move_tr!("profile-language")}</label>
                    <select
                        id="profile-locale"
                        class="min-h-10 rounded-lg border border-line bg-bg px-3 text-fg"
                        on:change=move |ev| locale.set(event_target_value(&ev))
                    >
                        {crate::i18n::LANGUAGES.iter().map(|(id, name)| view! {
                            <option value=*id selected=move || locale.get() == *id>{*name}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div>
                    <Button submit=true busy=save.pending()>{move_tr!("action-save")}</Button>
                </div>
            </form>
        </Card>
    }
}

#[cfg(test)]
mod tests {
    use super::describe_user_agent;

    #[test]
    fn user_agents_read_as_browser_and_system() {
        let cases = [
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36",
                "Chrome · Linux",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
                "Safari · macOS",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
                "Firefox · Windows",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile Safari",
                "Safari · iOS",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0",
                "Edge · Windows",
            ),
            ("curl/8.5.0", "curl/8.5.0"),
        ];
        for (ua, expected) in cases {
            assert_eq!(describe_user_agent(ua), expected, "{ua}");
        }
    }
}
