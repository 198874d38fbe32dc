//! The account corner of the header: "Sign in", or a compact account menu
//! (the avatar's initial and the name) that opens on the full address, the
//! account's pages and "Sign out", on phones and desktops alike.

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_router::components::A;

use crate::auth::current::SessionUser;
use crate::auth::sign_out::sign_out;
use crate::auth::use_session;

/// "Sign in", or the signed-in account's menu.
#[component]
pub fn AccountMenu() -> impl IntoView {
    let session = use_session();
    view! {
        <Transition>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(user)) => view! { <SignedIn user/> }.into_any(),
                    _ => view! {
                        <A href="/sign-in" attr:class="inline-flex min-h-10 items-center rounded-lg px-3 text-sm font-medium text-accent hover:bg-surface-2">{move_tr!("action-sign-in")}</A>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The first letter of a name, as the avatar shows it.
pub fn initial_of(name: &str) -> String {
    name.chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_else(|| "?".into())
}

/// The menu of a signed-in account: a button with the avatar and the name
/// (cut short when long), opening on the whole address and the actions.
#[component]
fn SignedIn(user: SessionUser) -> impl IntoView {
    let open = RwSignal::new(false);
    let sign_out_action = Action::new(|_: &()| sign_out());
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out_action.value().get() {
            let _ = window().location().assign("/");
        }
    });
    let label = user.label().to_string();
    let initial = initial_of(&label);
    let item = "flex min-h-10 w-full items-center rounded-lg px-3 text-left text-sm text-fg hover:bg-surface-2";
    view! {
        <div
            class="relative"
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    open.set(false);
                }
            }
        >
            <button
                type="button"
                class="inline-flex min-h-10 max-w-36 items-center gap-2 rounded-lg px-2 text-sm font-medium text-fg hover:bg-surface-2 sm:max-w-56"
                aria-expanded=move || open.get().to_string()
                aria-controls="account-panel"
                data-testid="account-button"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <span class="grid size-7 shrink-0 place-items-center rounded-full bg-accent text-xs font-semibold text-accent-fg" aria-hidden="true">{initial}</span>
                <span class="min-w-0 truncate" data-testid="account-name">{label}</span>
            </button>
            <Show when=move || open.get()>
                // A click anywhere else closes the menu.
                <div class="fixed inset-0 z-40" aria-hidden="true" on:click=move |_| open.set(false)></div>
                <div
                    id="account-panel"
                    class="absolute right-0 top-full z-50 mt-2 flex w-72 max-w-[calc(100vw-2rem)] flex-col gap-1 rounded-xl border border-line bg-surface p-2 shadow-lg"
                    // Following a link closes the menu.
                    on:click=move |_| open.set(false)
                >
                    <div class="px-3 py-2">
                        <p class="text-xs text-muted">{move_tr!("account-signed-in-as")}</p>
                        <p class="break-all text-sm font-medium text-fg" data-testid="account-email">{user.email.clone()}</p>
                    </div>
                    <A href="/profile" attr:class=item>{move_tr!("nav-profile")}</A>
                    <A href="/credits" attr:class=item>{move_tr!("nav-credits")}</A>
                    <button type="button" class=item on:click=move |_| { sign_out_action.dispatch(()); }>
                        {move_tr!("action-sign-out")}
                    </button>
                </div>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::initial_of;

    #[test]
    fn the_avatar_shows_the_first_letter() {
        assert_eq!(initial_of("ada@example.com"), "A");
        assert_eq!(initial_of("  émile"), "É");
        assert_eq!(initial_of("小明"), "小");
        assert_eq!(initial_of(""), "?");
    }
}
