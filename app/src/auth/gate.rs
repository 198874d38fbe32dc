//! Pages that need an approved account: signed-out people are asked to sign
//! in, `new_user` accounts see that they are waiting for approval.

use leptos::prelude::*;
use leptos_fluent::move_tr;

use super::roles::Role;
use super::use_session;
use crate::ui::EmptyState;

/// Shows `children` only to a signed-in `user` or `admin`.
#[component]
pub fn RequireApproved(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=move || view! { <p class="text-muted">{move_tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(user)) if user.role != Role::NewUser => children.with_value(|c| c()).into_any(),
                    Ok(Some(_)) => view! {
                        <div data-testid="awaiting-approval">
                            <EmptyState title=move_tr!("approval-title") body=move_tr!("approval-body")/>
                        </div>
                    }.into_any(),
                    _ => view! {
                        <EmptyState title=move_tr!("gate-signed-out-title") body=move_tr!("gate-signed-out-body")>
                            <a href="/sign-in" class="text-sm font-medium text-accent hover:underline">{move_tr!("action-sign-in")}</a>
                        </EmptyState>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
