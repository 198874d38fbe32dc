//! The account corner of the header: "Sign in", or the user's name and "Sign out".

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_router::components::A;

use crate::auth::sign_out::sign_out;
use crate::auth::use_session;

/// The account links.
#[component]
pub fn AccountMenu() -> impl IntoView {
    let session = use_session();
    let sign_out_action = Action::new(|_: &()| sign_out());
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out_action.value().get() {
            let _ = window().location().assign("/");
        }
    });
    view! {
        <Transition>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(user)) => {
                        view! {
                            <div class="flex items-center gap-1">
                                <A href="/profile" attr:class="hidden max-w-40 truncate rounded-lg px-3 py-2 text-sm font-medium text-fg hover:bg-surface-2 sm:inline-flex" attr:data-testid="account-name">{user.label().to_string()}</A>
                                <button
                                    type="button"
                                    class="inline-flex min-h-10 items-center rounded-lg px-3 text-sm text-muted hover:bg-surface-2 hover:text-fg"
                                    on:click=move |_| { sign_out_action.dispatch(()); }
                                >
                                    {move_tr!("action-sign-out")}
                                </button>
                            </div>
                        }.into_any()
                    }
                    _ => view! {
                        <A href="/sign-in" attr:class="inline-flex min-h-10 items-center rounded-lg px-3 text-sm font-medium text-accent hover:bg-surface-2">{move_tr!("action-sign-in")}</A>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
