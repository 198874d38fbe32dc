//! The library's small interactions: renaming in place, confirming a
//! delete, moving or copying to another collection, and sharing.

use leptos::prelude::*;
use leptos_fluent::move_tr;

use crate::assets::items::transfer_items;
use crate::assets::projects::get_library;
use crate::assets::sharing::{ShareTarget, add_share, list_shares, revoke_share};
use crate::assets::view::ShareView;
use crate::error::AppError;
use crate::i18n::tr_dynamic;
use crate::ui::button::ButtonVariant;
use crate::ui::error::{ErrorNotice, error_text};
use crate::ui::{Button, Dialog, TextField};

/// "Moved 3 items." / "Copied 1 item." (counts are numbers, so the plural fits).
pub fn transfer_notice(count: usize, copy: bool) -> String {
    if copy {
        leptos_fluent::tr!("library-copied", { "count" => count })
    } else {
        leptos_fluent::tr!("library-moved", { "count" => count })
    }
}

/// "Deleted 2 items."
pub fn deleted_notice(count: u64) -> String {
    leptos_fluent::tr!("library-deleted", { "count" => count })
}

/// A name shown as a heading, with "Rename" turning it into a field
/// (when `editable`). `save` stores a new name and answers with the name kept.
#[component]
pub fn InlineRename(
    value: String,
    #[prop(into)] label: Signal<String>,
    editable: bool,
    save: Action<String, Result<String, AppError>>,
    #[prop(optional)] on_saved: Option<Callback<String>>,
) -> impl IntoView {
    let shown = RwSignal::new(value.clone());
    let typed = RwSignal::new(value);
    let editing = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    Effect::new(move |_| match save.value().get() {
        Some(Ok(name)) => {
            shown.set(name.clone());
            typed.set(name.clone());
            editing.set(false);
            error.set(None);
            if let Some(on_saved) = on_saved {
                on_saved.run(name);
            }
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let field_error = Signal::derive(move || error.get().as_ref().map(error_text));
    view! {
        <Show
            when=move || editing.get()
            fallback=move || view! {
                <div class="flex min-w-0 items-center gap-2">
                    <h2 class="truncate text-xl font-semibold text-fg" data-testid="scope-name">{move || shown.get()}</h2>
                    {editable.then(|| view! {
                        <button type="button" class="text-xs font-medium text-accent hover:underline" on:click=move |_| editing.set(true)>{move_tr!("action-rename")}</button>
                    })}
                </div>
            }
        >
            <form class="flex flex-col gap-2 sm:flex-row sm:items-end" on:submit=move |ev| { ev.prevent_default(); save.dispatch(typed.get_untracked()); }>
                <div class="flex-1">
                    <TextField label=label name="rename" value=typed error=field_error/>
                </div>
                <Button submit=true busy=save.pending()>{move_tr!("action-save")}</Button>
                <Button variant=ButtonVariant::Ghost on_click=Callback::new(move |_| { editing.set(false); error.set(None); typed.set(shown.get_untracked()); })>{move_tr!("action-cancel")}</Button>
            </form>
        </Show>
    }
}

/// "Are you sure?" before something is deleted.
#[component]
pub fn ConfirmDialog(
    open: RwSignal<bool>,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] body: Signal<String>,
    #[prop(into)] busy: Signal<bool>,
    on_confirm: Callback<()>,
) -> impl IntoView {
    view! {
        <Dialog open title close_label=move_tr!("action-cancel")>
            <p class="mb-4 text-sm text-muted">{body}</p>
            <div class="flex justify-end gap-2">
                <Button variant=ButtonVariant::Ghost on_click=Callback::new(move |_| open.set(false))>{move_tr!("action-cancel")}</Button>
                <Button variant=ButtonVariant::Danger busy on_click=Callback::new(move |_| on_confirm.run(()))>{move_tr!("action-delete")}</Button>
            </div>
        </Dialog>
    }
}

/// Moves or copies `items` into a collection the caller may add to;
/// `on_done` gets how many and whether they were copied.
#[component]
pub fn TransferDialog(
    open: RwSignal<bool>,
    copy: bool,
    #[prop(into)] items: Signal<Vec<String>>,
    on_done: Callback<(usize, bool)>,
) -> impl IntoView {
    // Asked for when the dialog opens, in the browser.
    let tree = LocalResource::new(move || {
        let _ = open.get();
        get_library()
    });
    let destination = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let transfer = Action::new(move |(ids, to): &(Vec<String>, String)| {
        transfer_items(ids.clone(), to.clone(), copy)
    });
    Effect::new(move |_| match transfer.value().get() {
        Some(Ok(moved)) => {
            open.set(false);
            error.set(None);
            on_done.run((moved.len(), copy));
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let title = if copy {
        move_tr!("library-copy-title")
    } else {
        move_tr!("library-move-title")
    };
    view! {
        <Dialog open title close_label=move_tr!("action-cancel")>
            <form class="flex flex-col gap-4" on:submit=move |ev| {
                ev.prevent_default();
                error.set(None);
                let to = destination.get_untracked();
                if to.is_empty() {
                    error.set(Some(AppError::invalid("collection_id", "error-reason-required")));
                    return;
                }
                transfer.dispatch((items.get_untracked(), to));
            }>
                <label class="flex flex-col gap-1">
                    <span class="text-sm font-medium text-fg">{move_tr!("library-destination")}</span>
                    <select class="min-h-10 rounded-lg border border-line bg-bg px-2 text-sm text-fg" on:change=move |ev| destination.set(event_target_value(&ev))>
                        <option value="">{move_tr!("library-choose-collection")}</option>
                        {move || tree.get().and_then(Result::ok).map(|tree| {
                            super::all_collections(&tree).filter(|c| c.access.can_write()).map(|c| {
                                let id = c.id.clone();
                                let selected = { let id = id.clone(); move || destination.get() == id };
                                view! { <option value=id selected=selected>{format!("{} / {}", c.project_name, c.name)}</option> }
                            }).collect_view()
                        })}
                    </select>
                </label>
                {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
                <div class="flex justify-end gap-2">
                    <Button variant=ButtonVariant::Ghost on_click=Callback::new(move |_| open.set(false))>{move_tr!("action-cancel")}</Button>
                    <Button submit=true busy=transfer.pending()>
                        {if copy { move_tr!("library-copy-here") } else { move_tr!("library-move-here") }}
                    </Button>
                </div>
            </form>
        </Dialog>
    }
}

/// Who a project or collection is shared with; add an address as viewer
/// or collaborator, change a role, or revoke.
#[component]
pub fn ShareDialog(open: RwSignal<bool>, target: ShareTarget, target_id: String) -> impl IntoView {
    let target_id = StoredValue::new(target_id);
    let version = RwSignal::new(0u32);
    let shares = LocalResource::new(move || {
        let _ = (open.get(), version.get());
        list_shares(target, target_id.get_value())
    });
    let email = RwSignal::new(String::new());
    let role = RwSignal::new("viewer".to_string());
    let error = RwSignal::new(None::<AppError>);
    let add = Action::new(move |(email, role): &(String, String)| {
        add_share(target, target_id.get_value(), email.clone(), role.clone())
    });
    Effect::new(move |_| match add.value().get() {
        Some(Ok(_)) => {
            email.set(String::new());
            error.set(None);
            version.update(|v| *v += 1);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let field_error = Signal::derive(move || match error.get() {
        Some(e @ AppError::Invalid { .. }) => Some(error_text(&e)),
        _ => None,
    });
    let other_error = Signal::derive(move || match error.get() {
        Some(AppError::Invalid { .. }) | None => None,
        other => other,
    });
    let title = match target {
        ShareTarget::Project => move_tr!("library-share-project"),
        ShareTarget::Collection => move_tr!("library-share-collection"),
    };
    view! {
        <Dialog open title close_label=move_tr!("action-cancel")>
            <form class="flex flex-col gap-3" on:submit=move |ev| { ev.prevent_default(); add.dispatch((email.get_untracked(), role.get_untracked())); }>
                <TextField label=move_tr!("library-share-email") name="share_email" input_type="email" value=email error=field_error placeholder="name@example.com"/>
                <label class="flex flex-col gap-1">
                    <span class="text-sm font-medium text-fg">{move_tr!("library-share-role")}</span>
                    <select class="min-h-10 rounded-lg border border-line bg-bg px-2 text-sm text-fg" on:change=move |ev| role.set(event_target_value(&ev))>
                        <option value="viewer" selected=move || role.get() == "viewer">{move_tr!("share-role-viewer")}</option>
                        <option value="collaborator" selected=move || role.get() == "collaborator">{move_tr!("share-role-collaborator")}</option>
                    </select>
                </label>
                {move || other_error.get().map(|e| view! { <ErrorNotice error=e/> })}
                <div class="flex justify-end">
                    <Button submit=true busy=add.pending()>{move_tr!("library-share-add")}</Button>
                </div>
            </form>
            <h3 class="mb-2 mt-5 text-sm font-semibold text-fg">{move_tr!("library-shared-with")}</h3>
            {move || match shares.get() {
                None => view! { <p class="text-sm text-muted">{move_tr!("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="text-sm text-muted">{move_tr!("library-shared-nobody")}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="flex flex-col divide-y divide-line" aria-label=move_tr!("library-shared-with")>
                        {list.into_iter().map(|share| view! { <ShareRow share on_change=Callback::new(move |_| version.update(|v| *v += 1))/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </Dialog>
    }
}

#[component]
fn ShareRow(share: ShareView, on_change: Callback<()>) -> impl IntoView {
    let id = StoredValue::new(share.id.clone());
    let revoke = Action::new(move |_: &()| revoke_share(id.get_value()));
    let error = RwSignal::new(None::<AppError>);
    Effect::new(move |_| match revoke.value().get() {
        Some(Ok(())) => on_change.run(()),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let role_key = format!("share-role-{}", share.role.as_str());
    let label = tr_dynamic(
        "library-share-revoke-label",
        &[("email", share.email.clone())],
    );
    view! {
        <li class="flex flex-wrap items-center gap-2 py-2 text-sm" data-testid="share-row">
            <span class="min-w-0 flex-1 truncate text-fg">{share.email.clone()}</span>
            <span class="text-xs text-muted">{move || tr_dynamic(&role_key, &[])}</span>
            {(!share.has_account).then(|| view! { <span class="text-xs text-muted">{move_tr!("library-share-pending")}</span> })}
            <Button variant=ButtonVariant::Ghost aria_label=label busy=revoke.pending() on_click=Callback::new(move |_| { revoke.dispatch(()); })>{move_tr!("library-share-remove")}</Button>
            {move || error.get().map(|e| view! { <p role="alert" class="w-full text-xs text-danger">{error_text(&e)}</p> })}
        </li>
    }
}
