//! The library's sidebar: everything, my projects with their collections,
//! and what others shared with me; new projects and collections are made here.

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_router::hooks::use_navigate;

use super::{LibraryContext, Scope};
use crate::assets::collections::create_collection;
use crate::assets::projects::create_project;
use crate::assets::view::{LibraryTree, ProjectView};
use crate::error::AppError;
use crate::ui::button::ButtonVariant;
use crate::ui::error::error_text;
use crate::ui::{Button, TextField};

const LINK: &str = "block truncate rounded-lg px-3 py-1.5 text-sm text-muted hover:bg-surface-2 hover:text-fg aria-[current=page]:bg-surface-2 aria-[current=page]:font-medium aria-[current=page]:text-fg";

#[component]
pub fn Sidebar(tree: LibraryTree, scope: Memo<Scope>) -> impl IntoView {
    let current = move |s: Scope| move || (scope.get() == s).then_some("page");
    let own = tree
        .projects
        .into_iter()
        .map(|p| view! { <ProjectEntry project=p scope/> })
        .collect_view();
    let shared_empty = tree.shared.is_empty();
    let shared = tree
        .shared
        .into_iter()
        .map(|p| view! { <ProjectEntry project=p scope/> })
        .collect_view();
    view! {
        <nav class="flex flex-col gap-1" aria-label=move_tr!("library-sidebar")>
            <a href="/library" class=LINK aria-current=current(Scope::All)>{move_tr!("library-all-items")}</a>
        </nav>
        <div>
            <h2 class="mb-1 px-3 text-xs font-semibold uppercase tracking-wide text-muted">{move_tr!("library-my-projects")}</h2>
            <ul class="flex flex-col gap-2" aria-label=move_tr!("library-my-projects")>{own}</ul>
            <CreateNamed/>
        </div>
        <div>
            <h2 class="mb-1 px-3 text-xs font-semibold uppercase tracking-wide text-muted">{move_tr!("library-shared-with-me")}</h2>
            {if shared_empty {
                view! { <p class="px-3 text-xs text-muted">{move_tr!("library-shared-none")}</p> }.into_any()
            } else {
                view! { <ul class="flex flex-col gap-2" aria-label=move_tr!("library-shared-with-me")>{shared}</ul> }.into_any()
            }}
        </div>
    }
}

#[component]
fn ProjectEntry(project: ProjectView, scope: Memo<Scope>) -> impl IntoView {
    let project_scope = Scope::Project(project.id.clone());
    let current = {
        let s = project_scope.clone();
        move || (scope.get() == s).then_some("page")
    };
    let collections = project
        .collections
        .iter()
        .map(|c| {
            let s = Scope::Collection(c.id.clone());
            let href = s.href();
            let is_current = move || (scope.get() == s).then_some("page");
            view! {
                <li>
                    <a href=href class=LINK aria-current=is_current data-testid="collection-link">
                        <span class="flex items-center gap-2">
                            <span class="min-w-0 flex-1 truncate">{c.name.clone()}</span>
                            <span class="text-xs text-muted">{c.item_count}</span>
                        </span>
                    </a>
                </li>
            }
        })
        .collect_view();
    let owner =
        (project.access != crate::assets::view::Access::Owner).then(|| project.owner_email.clone());
    let can_add = project.access.can_write();
    let project_id = project.id.clone();
    view! {
        <li data-testid="project-entry">
            <a href=project_scope.href() class=format!("{LINK} font-medium text-fg") aria-current=current>
                {project.name.clone()}
            </a>
            {owner.map(|o| view! { <p class="truncate px-3 text-xs text-muted">{o}</p> })}
            <ul class="ml-3 border-l border-line pl-1" aria-label=project.name.clone()>{collections}</ul>
            {can_add.then(|| view! { <CreateNamed project_id=project_id.clone()/> })}
        </li>
    }
}

/// "New project" (without `project_id`) or "New collection" in a project:
/// a name, then what was made opens.
#[component]
fn CreateNamed(#[prop(optional)] project_id: Option<String>) -> impl IntoView {
    let context = expect_context::<LibraryContext>();
    let open = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let in_project = project_id.is_some();
    let project_id = StoredValue::new(project_id);
    let create = Action::new(move |name: &String| {
        let name = name.clone();
        async move {
            match project_id.get_value() {
                None => create_project(name).await.map(|p| Scope::Project(p.id)),
                Some(project) => create_collection(project, name)
                    .await
                    .map(|c| Scope::Collection(c.id)),
            }
        }
    });
    let navigate = use_navigate();
    Effect::new(move |_| match create.value().get() {
        Some(Ok(made)) => {
            open.set(false);
            name.set(String::new());
            context.changed();
            navigate(&made.href(), Default::default());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let field_error = Signal::derive(move || error.get().as_ref().map(error_text));
    let (field, label) = match project_id.get_value() {
        None => ("project_name".to_string(), move_tr!("library-project-name")),
        Some(id) => (
            format!("collection_name_{id}"),
            move_tr!("library-collection-name"),
        ),
    };
    let opener = move || {
        if in_project {
            view! {
                <button type="button" class="ml-4 mt-1 text-xs font-medium text-accent hover:underline" on:click=move |_| open.set(true)>
                    {move_tr!("library-new-collection")}
                </button>
            }
            .into_any()
        } else {
            view! {
                <div class="mt-2 px-3">
                    <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |_| open.set(true))>{move_tr!("library-new-project")}</Button>
                </div>
            }
            .into_any()
        }
    };
    view! {
        <Show when=move || open.get() fallback=opener>
            <form
                class=if in_project { "ml-4 mt-2 flex flex-col gap-2" } else { "mt-2 flex flex-col gap-2 px-3" }
                on:submit=move |ev| { ev.prevent_default(); error.set(None); create.dispatch(name.get_untracked()); }
            >
                <TextField label=label name=field.clone() value=name error=field_error/>
                <div class="flex gap-2">
                    <Button submit=true busy=create.pending()>{move_tr!("action-create")}</Button>
                    <Button variant=ButtonVariant::Ghost on_click=Callback::new(move |_| open.set(false))>{move_tr!("action-cancel")}</Button>
                </div>
            </form>
        </Show>
    }
}
