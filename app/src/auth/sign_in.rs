//! The sign-in page and its server functions: ask for a code, enter it.

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::current::SessionUser;
use crate::error::AppError;
use crate::ui::button::ButtonVariant;
use crate::ui::error::error_text;
use crate::ui::{Button, Card, TextField};

/// What the client needs to know after a code was requested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeRequested {
    /// Seconds until another code may be requested.
    pub resend_after_secs: u64,
    /// Seconds the code stays valid.
    pub valid_for_secs: u64,
}

/// What the sign-in page may offer on this install.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInChoices {
    /// Mail goes to the outbox of a local install: link to it.
    pub outbox_link: bool,
}

/// Mails a six-digit code to `email`. Answers the same for known and unknown addresses.
#[server(prefix = "/api", endpoint = "auth/request-code")]
pub async fn request_sign_in_code(email: String) -> Result<CodeRequested, AppError> {
    use super::otp::{self, CODE_TTL, OtpError, RESEND_AFTER};
    use crate::platform::keys::derive_key;
    use crate::platform::mail::OutgoingMail;
    use crate::platform::rate_limit::{self, Limit};
    use crate::platform::state::AppState;
    use crate::values::Email;

    let state = expect_context::<AppState>();
    let email = Email::parse(&email).map_err(|reason| AppError::invalid("email", reason))?;
    let now = state.clock.now();
    let ip = super::current::client_ip().unwrap_or_else(|| "unknown".into());
    rate_limit::enforce(
        &state.db,
        &format!("otp-send:ip:{ip}"),
        Limit::per_hour(30),
        now,
    )
    .await?;
    // Per address, whatever the IP: stops mail bombing from many addresses.
    let per_address = format!("otp-send:email:{}", email.as_str());
    rate_limit::enforce(&state.db, &per_address, Limit::per_hour(6), now).await?;
    let key = derive_key(&state.config.secret_key, "framewright/otp/v1");
    let code = match otp::issue(&state.db, &key, &email, now).await {
        Ok(code) => code,
        Err(OtpError::TooSoon { retry_after_secs }) => {
            return Err(AppError::RateLimited { retry_after_secs });
        }
        Err(e) => return Err(AppError::internal(e)),
    };
    // The account's chosen language, else the language of this request.
    let stored = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        crate::entities::user::Entity::find()
            .filter(crate::entities::user::Column::Email.eq(email.as_str()))
            .one(&state.db)
            .await?
            .and_then(|account| account.locale)
    };
    let language = stored
        .as_deref()
        .and_then(|l| {
            crate::i18n::LANGUAGES
                .iter()
                .find(|(id, _)| *id == l)
                .map(|(id, _)| *id)
        })
        .unwrap_or_else(crate::i18n::request_language);
    let minutes = (CODE_TTL.num_seconds() / 60).to_string();
    let args = [("code", code), ("minutes", minutes)];
    let mail = OutgoingMail {
        to: email.as_str().to_string(),
        subject: crate::i18n::tr_in(language, "email-code-subject", &args),
        text: crate::i18n::tr_in(language, "email-code-body", &args),
        html: None,
    };
    state.mailer.send(&mail).await.map_err(AppError::internal)?;
    Ok(CodeRequested {
        resend_after_secs: RESEND_AFTER.num_seconds() as u64,
        valid_for_secs: CODE_TTL.num_seconds() as u64,
    })
}

/// Checks the code; on success signs in (creating the account on first sign-in) and sets the session cookies.
#[server(prefix = "/api", endpoint = "auth/verify-code")]
pub async fn verify_sign_in_code(email: String, code: String) -> Result<SessionUser, AppError> {
    use super::accounts;
    use super::otp;
    use crate::platform::keys::derive_key;
    use crate::platform::rate_limit::{self, Limit};
    use crate::platform::state::AppState;
    use crate::values::Email;

    let state = expect_context::<AppState>();
    let email = Email::parse(&email).map_err(|reason| AppError::invalid("email", reason))?;
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::invalid("code", "error-reason-code-format"));
    }
    let now = state.clock.now();
    let ip = super::current::client_ip().unwrap_or_else(|| "unknown".into());
    // Guesses across many addresses from one place.
    rate_limit::enforce(
        &state.db,
        &format!("otp-verify:ip:{ip}"),
        Limit::per_hour(60),
        now,
    )
    .await?;
    let key = derive_key(&state.config.secret_key, "framewright/otp/v1");
    otp::verify(&state.db, &key, &email, code, now)
        .await
        .map_err(|_| AppError::invalid("code", "error-reason-code-rejected"))?;
    let account = accounts::sign_in(
        &state.db,
        &state.config,
        &email,
        Some(crate::i18n::request_language()),
        now,
    )
    .await?;
    super::complete_sign_in(&state, &account, now).await
}

/// What this install offers on the sign-in page.
#[server(prefix = "/api", endpoint = "auth/options")]
pub async fn sign_in_options() -> Result<SignInChoices, AppError> {
    use crate::platform::config::MailConfig;
    use crate::platform::state::AppState;
    let state = expect_context::<AppState>();
    Ok(SignInChoices {
        outbox_link: state.config.is_local_loopback()
            && matches!(state.config.mail, MailConfig::Outbox)
            && super::current::from_this_machine(),
    })
}

/// `/sign-in`: email, then the code.
#[component]
pub fn SignInPage() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let code_sent = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let email_error = Signal::derive(move || match error.get() {
        Some(e @ AppError::Invalid { .. }) if matches!(&e, AppError::Invalid { field, .. } if field == "email") => {
            Some(error_text(&e))
        }
        _ => None,
    });
    let code_error = Signal::derive(move || match error.get() {
        Some(e @ AppError::Invalid { .. }) if matches!(&e, AppError::Invalid { field, .. } if field == "code") => {
            Some(error_text(&e))
        }
        _ => None,
    });
    let other_error = Signal::derive(move || match error.get() {
        Some(AppError::Invalid { .. }) | None => None,
        Some(e) => Some(error_text(&e)),
    });
    // Seconds until a new code may be requested; counts down once a second.
    let countdown = RwSignal::new(0u64);
    // One ticking interval at a time: a second one would make the countdown run fast.
    #[cfg(not(feature = "ssr"))]
    let ticker = StoredValue::new_local(None::<leptos::prelude::IntervalHandle>);
    let start_countdown = move |secs: u64| {
        countdown.set(secs);
        #[cfg(not(feature = "ssr"))]
        {
            if let Some(previous) = ticker.get_value() {
                previous.clear();
            }
            let handle = set_interval_with_handle(
                move || countdown.update(|s| *s = s.saturating_sub(1)),
                std::time::Duration::from_secs(1),
            )
            .ok();
            ticker.set_value(handle);
        }
    };
    let request = Action::new(move |email: &String| {
        let email = email.clone();
        async move { request_sign_in_code(email).await }
    });
    let verify = Action::new(move |(email, code): &(String, String)| {
        let (email, code) = (email.clone(), code.clone());
        async move { verify_sign_in_code(email, code).await }
    });
    Effect::new(move |_| {
        if let Some(result) = request.value().get() {
            match result {
                Ok(sent) => {
                    error.set(None);
                    code_sent.set(true);
                    start_countdown(sent.resend_after_secs);
                }
                Err(e) => {
                    if let AppError::RateLimited { retry_after_secs } = &e {
                        start_countdown(*retry_after_secs);
                    }
                    error.set(Some(e));
                }
            }
        }
    });
    Effect::new(move |_| {
        if let Some(result) = verify.value().get() {
            match result {
                Ok(_) => {
                    error.set(None);
                    // A full load picks up the new session everywhere.
                    let _ = window().location().assign("/");
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let options = Resource::new(|| (), |_| sign_in_options());
    let passkey_busy = RwSignal::new(false);
    // The pending autofill request, aborted before a dialog is opened.
    #[cfg(not(feature = "ssr"))]
    let autofill = StoredValue::new_local(None::<web_sys::AbortController>);
    #[cfg(not(feature = "ssr"))]
    let finish = move |result: Result<SessionUser, AppError>| match result {
        Ok(_) => {
            let _ = window().location().assign("/");
        }
        // Aborting the autofill request to open a dialog is not an error.
        Err(AppError::Invalid { reason, .. }) if reason == "error-reason-passkey-cancelled" => {}
        Err(e) => error.set(Some(e)),
    };
    #[cfg(not(feature = "ssr"))]
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            if !super::passkeys::browser::conditional_mediation_available().await {
                return;
            }
            let Ok(controller) = web_sys::AbortController::new() else {
                return;
            };
            let signal = controller.signal();
            autofill.set_value(Some(controller));
            finish(super::passkeys::flows::sign_in_with_passkey(false, Some(signal)).await);
        });
    });
    let passkey_sign_in = move |_| {
        #[cfg(not(feature = "ssr"))]
        {
            if let Some(controller) = autofill.get_value() {
                controller.abort();
            }
            passkey_busy.set(true);
            error.set(None);
            leptos::task::spawn_local(async move {
                let result = super::passkeys::flows::sign_in_with_passkey(true, None).await;
                passkey_busy.set(false);
                finish(result);
            });
        }
    };
    let send = move || {
        request.dispatch(email.get_untracked());
    };
    view! {
        <Title text=move_tr!("sign-in-title")/>
        <div class="mx-auto flex max-w-md flex-col gap-6">
            <div>
                <h1 class="text-2xl font-bold tracking-tight text-fg">{move_tr!("sign-in-title")}</h1>
                <p class="mt-1 text-sm text-muted">{move_tr!("sign-in-lead")}</p>
            </div>
            <Card>
                <form
                    class="flex flex-col gap-4"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        if code_sent.get_untracked() {
                            verify.dispatch((email.get_untracked(), code.get_untracked()));
                        } else {
                            send();
                        }
                    }
                >
                    <TextField
                        label=move_tr!("field-email-label")
                        name="email"
                        value=email
                        error=email_error
                        input_type="email"
                        autocomplete="username webauthn"
                        placeholder="you@example.com"
                        required=true
                    />
                    <Show when=move || code_sent.get()>
                        <p class="text-sm text-muted" role="status">{move_tr!("sign-in-code-sent", {"email" => email.get()})}</p>
                        <TextField
                            label=move_tr!("field-code-label")
                            name="code"
                            value=code
                            error=code_error
                            input_type="text"
                            autocomplete="one-time-code"
                            placeholder="123456"
                            required=true
                        />
                    </Show>
                    <Show when=move || other_error.get().is_some()>
                        <p class="text-sm text-danger" role="alert">{move || other_error.get()}</p>
                    </Show>
                    <Show
                        when=move || code_sent.get()
                        fallback=move || view! {
                            <Button submit=true busy=request.pending() disabled=Signal::derive(move || countdown.get() > 0)>
                                {move_tr!("sign-in-send-code")}
                            </Button>
                        }
                    >
                        <Button submit=true busy=verify.pending()>{move_tr!("sign-in-verify")}</Button>
                        <Button
                            variant=ButtonVariant::Ghost
                            disabled=Signal::derive(move || countdown.get() > 0 || request.pending().get())
                            on_click=Callback::new(move |_| {
                                send();
                            })
                        >
                            {move || if countdown.get() > 0 {
                                leptos_fluent::tr!("sign-in-resend-in", {"seconds" => countdown.get()})
                            } else {
                                leptos_fluent::tr!("sign-in-resend")
                            }}
                        </Button>
                    </Show>
                </form>
                <div class="my-4 flex items-center gap-3 text-xs uppercase tracking-wide text-muted" aria-hidden="true">
                    <span class="h-px flex-1 bg-line"></span>{move_tr!("sign-in-or")}<span class="h-px flex-1 bg-line"></span>
                </div>
                <Button variant=ButtonVariant::Secondary busy=passkey_busy on_click=Callback::new(passkey_sign_in)>
                    {move_tr!("sign-in-passkey")}
                </Button>
            </Card>
            <Suspense>
                {move || Suspend::new(async move {
                    options.await.ok().filter(|o| o.outbox_link).map(|_| view! {
                        <p class="text-center text-sm text-muted">
                            {move_tr!("sign-in-outbox-hint")} " "
                            <a href="/outbox" target="_blank" class="font-medium text-accent hover:underline">{move_tr!("sign-in-outbox-link")}</a>
                        </p>
                    })
                })}
            </Suspense>
        </div>
    }
}
