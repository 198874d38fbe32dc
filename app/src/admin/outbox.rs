//! The mail outbox: mail the zero-config install kept instead of sending.
//! Readable on a local, loopback-only install and only from this machine (a
//! loopback peer address), so a person can read their sign-in code without
//! SMTP; refused to everyone else, whatever `PUBLIC_URL` says.

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::ui::error::ErrorNotice;
use crate::ui::time::Time;
use crate::ui::{Card, EmptyState};

/// One kept message, as shown in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// RFC 3339.
    pub created_at: String,
}

/// The 50 newest outbox messages.
#[server(prefix = "/api", endpoint = "outbox/list")]
pub async fn list_outbox() -> Result<Vec<OutboxEntry>, AppError> {
    use crate::platform::config::MailConfig;
    use crate::platform::state::AppState;
    let state = expect_context::<AppState>();
    let readable = state.config.is_local_loopback()
        && matches!(state.config.mail, MailConfig::Outbox)
        && crate::auth::current::from_this_machine();
    if !readable {
        return Err(AppError::Forbidden);
    }
    let rows = crate::platform::mail::outbox::latest(&state.db, 50).await?;
    Ok(rows
        .into_iter()
        .map(|m| OutboxEntry {
            id: m.id.to_string(),
            to: m.to_address,
            subject: m.subject,
            body: m.body_text,
            created_at: m.created_at.to_rfc3339(),
        })
        .collect())
}

/// `/outbox`.
#[component]
pub fn OutboxPage() -> impl IntoView {
    let messages = Resource::new(|| (), |_| list_outbox());
    view! {
        <Title text=move_tr!("outbox-title")/>
        <h1 class="text-2xl font-bold tracking-tight text-fg">{move_tr!("outbox-title")}</h1>
        <p class="mb-6 mt-1 text-sm text-muted">{move_tr!("outbox-lead")}</p>
        <Suspense fallback=move || view! { <p class="text-muted">{move_tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match messages.await {
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState title=move_tr!("outbox-empty-title") body=move_tr!("outbox-empty-body")/>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="flex flex-col gap-3">
                            {list.into_iter().map(|m| view! {
                                <li>
                                    <Card>
                                        <div class="flex flex-wrap items-baseline justify-between gap-2">
                                            <h2 class="font-semibold text-fg">{m.subject}</h2>
                                            <span class="text-xs text-muted"><Time at=m.created_at/></span>
                                        </div>
                                        <p class="text-sm text-muted">{m.to}</p>
                                        <pre class="mt-3 whitespace-pre-wrap wrap-anywhere font-sans text-sm text-fg" data-testid="mail-body">{m.body}</pre>
                                    </Card>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
