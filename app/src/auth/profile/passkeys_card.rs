//! The passkeys section of the profile.

use leptos::prelude::*;
use leptos_fluent::move_tr;

use crate::auth::passkeys::{PasskeyInfo, delete_passkey, list_passkeys, rename_passkey};
use crate::error::AppError;
use crate::ui::button::ButtonVariant;
use crate::ui::error::{ErrorNotice, error_text};
use crate::ui::time::Time;
use crate::ui::{Button, Card, TextField};

/// Lists, adds, renames and deletes the user's passkeys.
#[component]
pub fn PasskeysCard() -> impl IntoView {
    let passkeys = Resource::new(|| (), |_| list_passkeys());
    let new_name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let adding = RwSignal::new(false);
    let add = move |_| {
        error.set(None);
        #[cfg(not(feature = "ssr"))]
        {
            adding.set(true);
            let name = new_name.get_untracked();
            leptos::task::spawn_local(async move {
                match crate::auth::passkeys::flows::add_passkey(name).await {
                    Ok(_) => {
                        new_name.set(String::new());
                        passkeys.refetch();
                    }
                    Err(e) => error.set(Some(e)),
                }
                adding.set(false);
            });
        }
    };
    let name_error = Signal::derive(move || error.get().as_ref().map(error_text));
    view! {
        <Card>
            <h2 class="text-lg font-semibold text-fg">{move_tr!("passkeys-title")}</h2>
            <p class="mb-4 mt-1 text-sm text-muted">{move_tr!("passkeys-lead")}</p>
            <Transition fallback=move || view! { <p class="text-muted">{move_tr!("loading")}</p> }>
                {move || Suspend::new(async move {
                    match passkeys.await {
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="text-sm text-muted">{move_tr!("passkeys-none")}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="flex flex-col divide-y divide-line" aria-label=move_tr!("passkeys-title")>
                                {list.into_iter().map(|p| view! { <PasskeyRow passkey=p on_change=Callback::new(move |_| passkeys.refetch())/> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
            <form class="mt-4 flex flex-col gap-3 sm:flex-row sm:items-end" on:submit=move |ev| { ev.prevent_default(); add(()); }>
                <div class="flex-1">
                    <TextField label=move_tr!("passkeys-new-name") name="passkey_name" value=new_name error=name_error placeholder="MacBook"/>
                </div>
                <Button submit=true busy=adding>{move_tr!("passkeys-add")}</Button>
            </form>
        </Card>
    }
}

#[component]
fn PasskeyRow(passkey: PasskeyInfo, on_change: Callback<()>) -> impl IntoView {
    let editing = RwSignal::new(false);
    let name = RwSignal::new(passkey.name.clone());
    let error = RwSignal::new(None::<AppError>);
    let id = StoredValue::new(passkey.id.clone());
    let rename = Action::new(move |name: &String| rename_passkey(id.get_value(), name.clone()));
    let remove = Action::new(move |_: &()| delete_passkey(id.get_value()));
    Effect::new(move |_| match rename.value().get() {
        Some(Ok(_)) => {
            editing.set(false);
            on_change.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => on_change.run(()),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let name_error = Signal::derive(move || error.get().as_ref().map(error_text));
    let label = passkey.name.clone();
    view! {
        <li class="flex flex-col gap-2 py-3" data-testid="passkey-row">
            <Show
                when=move || editing.get()
                fallback={
                    let label = label.clone();
                    let created = passkey.created_on.clone();
                    let used = passkey.last_used.clone();
                    move || {
                        let (created, used) = (created.clone(), used.clone());
                        view! {
                        <div class="flex flex-wrap items-center gap-3">
                            <div class="min-w-0 flex-1">
                                <p class="truncate font-medium text-fg">{label.clone()}</p>
                                <p class="text-xs text-muted">
                                    {move_tr!("passkeys-created")} " " <Time at=created.clone()/>
                                    {used.clone().map(|u| view! { " · " {move_tr!("passkeys-last-used")} " " <Time at=u/> })}
                                </p>
                            </div>
                            <Button variant=ButtonVariant::Ghost on_click=Callback::new(move |_| editing.set(true))>{move_tr!("action-rename")}</Button>
                            <Button variant=ButtonVariant::Danger busy=remove.pending() on_click=Callback::new(move |_| { remove.dispatch(()); })>{move_tr!("action-delete")}</Button>
                        </div>
                        }
                    }
                }
            >
                <form class="flex flex-col gap-2 sm:flex-row sm:items-end" on:submit=move |ev| { ev.prevent_default(); rename.dispatch(name.get_untracked()); }>
                    <div class="flex-1">
                        <TextField label=move_tr!("passkeys-rename-label") name="rename" value=name error=name_error/>
                    </div>
                    <Button submit=true busy=rename.pending()>{move_tr!("action-save")}</Button>
                    <Button variant=ButtonVariant::Ghost on_click=Callback::new(move |_| editing.set(false))>{move_tr!("action-cancel")}</Button>
                </form>
            </Show>
        </li>
    }
}
