//! The sessions section of the profile: signed-in devices.

use leptos::prelude::*;
use leptos_fluent::move_tr;

use super::{SessionInfo, list_sessions, revoke_session};
use crate::auth::sign_out::sign_out_everywhere;
use crate::ui::button::ButtonVariant;
use crate::ui::error::ErrorNotice;
use crate::ui::time::Time;
use crate::ui::{Button, Card};

/// Lists the signed-in devices, with revoke and "sign out everywhere".
#[component]
pub fn SessionsCard() -> impl IntoView {
    let sessions = Resource::new(|| (), |_| list_sessions());
    let everywhere = Action::new(|_: &()| sign_out_everywhere());
    Effect::new(move |_| {
        if let Some(Ok(())) = everywhere.value().get() {
            let _ = window().location().assign("/sign-in");
        }
    });
    view! {
        <Card>
            <h2 class="text-lg font-semibold text-fg">{move_tr!("sessions-title")}</h2>
            <p class="mb-4 mt-1 text-sm text-muted">{move_tr!("sessions-lead")}</p>
            <Transition fallback=move || view! { <p class="text-muted">{move_tr!("loading")}</p> }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        Ok(list) => view! {
                            <ul class="flex flex-col divide-y divide-line" aria-label=move_tr!("sessions-title")>
                                {list.into_iter().map(|s| view! { <SessionRow session=s on_revoked=Callback::new(move |_| sessions.refetch())/> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
            <div class="mt-4">
                <Button variant=ButtonVariant::Danger busy=everywhere.pending() on_click=Callback::new(move |_| { everywhere.dispatch(()); })>
                    {move_tr!("sessions-sign-out-everywhere")}
                </Button>
            </div>
        </Card>
    }
}

#[component]
fn SessionRow(session: SessionInfo, on_revoked: Callback<()>) -> impl IntoView {
    let id = StoredValue::new(session.id.clone());
    let revoke = Action::new(move |_: &()| revoke_session(id.get_value()));
    Effect::new(move |_| {
        if let Some(Ok(())) = revoke.value().get() {
            on_revoked.run(());
        }
    });
    let raw = session.user_agent.clone();
    let device = if session.device.is_empty() {
        None
    } else {
        Some(session.device.clone())
    };
    view! {
        <li class="flex flex-wrap items-center gap-3 py-3">
            <div class="min-w-0 flex-1">
                <p class="truncate text-sm font-medium text-fg" title=raw>
                    {device.clone().unwrap_or_default()}
                    {device.is_none().then(|| view! { {move_tr!("sessions-unknown-device")} })}
                </p>
                <p class="text-xs text-muted">
                    {move_tr!("sessions-last-used")} " " <Time at=session.last_used.clone()/>
                    {session.ip.clone().map(|ip| format!(" · {ip}"))}
                </p>
            </div>
            {if session.current {
                view! { <span class="rounded-full bg-surface-2 px-2 py-1 text-xs text-muted">{move_tr!("sessions-this-device")}</span> }.into_any()
            } else {
                view! { <Button variant=ButtonVariant::Ghost busy=revoke.pending() on_click=Callback::new(move |_| { revoke.dispatch(()); })>{move_tr!("action-revoke")}</Button> }.into_any()
            }}
        </li>
    }
}
