//! `/library`: projects and collections in a sidebar (own, then shared with
//! me), and the items of what is open as a grid with filters, search,
//! multi-select to move, copy or delete, and uploads. `?c=<collection>` opens
//! a collection, `?p=<project>` a project; neither shows everything.
//! `/library/items/:id` is one item with its details and lineage.

mod dialogs;
mod grid;
mod item_page;
mod sidebar;

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::view::{Access, CollectionView, LibraryTree, ProjectView};
use crate::auth::gate::RequireApproved;
use crate::error::AppError;
use crate::ui::error::ErrorNotice;
use crate::ui::format::format_bytes;

pub use item_page::ItemPage;

/// What the page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Project(String),
    Collection(String),
}

impl Scope {
    /// The page address of this scope.
    pub fn href(&self) -> String {
        match self {
            Scope::All => "/library".into(),
            Scope::Project(id) => format!("/library?p={id}"),
            Scope::Collection(id) => format!("/library?c={id}"),
        }
    }
}

/// Shared by the parts of the page: the tree, and a way to say "something changed".
#[derive(Clone, Copy)]
pub struct LibraryContext {
    pub tree: Resource<Result<LibraryTree, AppError>>,
    /// Bumped after every change; listings follow it.
    pub version: RwSignal<u64>,
}

impl LibraryContext {
    /// Reloads the tree and the listings.
    pub fn changed(&self) {
        self.version.update(|v| *v += 1);
    }
}

/// Every collection in the tree (own first, then shared).
pub fn all_collections(tree: &LibraryTree) -> impl Iterator<Item = &CollectionView> {
    tree.projects
        .iter()
        .chain(&tree.shared)
        .flat_map(|p| p.collections.iter())
}

/// The project with this id in the tree.
pub fn find_project<'a>(tree: &'a LibraryTree, id: &str) -> Option<&'a ProjectView> {
    tree.projects
        .iter()
        .chain(&tree.shared)
        .find(|p| p.id == id)
}

/// `/library`.
#[component]
pub fn LibraryPage() -> impl IntoView {
    view! {
        <Title text=move_tr!("nav-library")/>
        <h1 class="mb-6 text-2xl font-bold tracking-tight text-fg">{move_tr!("nav-library")}</h1>
        <RequireApproved>
            <Library/>
        </RequireApproved>
    }
}

#[component]
fn Library() -> impl IntoView {
    let query = use_query_map();
    let scope = Memo::new(move |_| {
        query.with(|q| match (q.get("c"), q.get("p")) {
            (Some(c), _) if !c.is_empty() => Scope::Collection(c),
            (_, Some(p)) if !p.is_empty() => Scope::Project(p),
            _ => Scope::All,
        })
    });
    let version = RwSignal::new(0u64);
    let tree = Resource::new(move || version.get(), |_| super::projects::get_library());
    let context = LibraryContext { tree, version };
    provide_context(context);
    // Below 1024 px the tree and the storage meter wait in a drawer, so the grid comes first.
    let drawer = RwSignal::new(false);
    Effect::new(move |_| {
        scope.track();
        drawer.set(false);
    });
    let aside_class = move || {
        if drawer.get() {
            "fixed inset-y-0 left-0 z-50 flex w-80 max-w-[85vw] flex-col gap-4 overflow-y-auto bg-bg p-4 shadow-xl lg:static lg:z-auto lg:w-auto lg:max-w-none lg:overflow-visible lg:bg-transparent lg:p-0 lg:shadow-none"
        } else {
            "hidden flex-col gap-4 lg:flex"
        }
    };
    view! {
        <button
            type="button"
            class="mb-4 inline-flex min-h-10 items-center gap-2 rounded-lg border border-line px-3 text-sm font-medium text-fg hover:bg-surface-2 lg:hidden"
            aria-expanded=move || drawer.get().to_string()
            aria-controls="browse-drawer"
            on:click=move |_| drawer.set(true)
        >
            <span aria-hidden="true">"☰"</span>
            {move_tr!("library-browse")}
        </button>
        <Show when=move || drawer.get()>
            <div class="fixed inset-0 z-40 bg-black/40 lg:hidden" aria-hidden="true" on:click=move |_| drawer.set(false)></div>
        </Show>
        <div class="grid grid-cols-1 gap-6 lg:grid-cols-[16rem_1fr]">
            <aside
                id="browse-drawer"
                class=aside_class
                aria-label=move_tr!("library-sidebar")
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        drawer.set(false);
                    }
                }
            >
                <div class="flex items-center justify-between lg:hidden">
                    <h2 class="text-lg font-semibold text-fg">{move_tr!("library-browse")}</h2>
                    <button
                        type="button"
                        class="grid size-10 place-items-center rounded-lg text-fg hover:bg-surface-2"
                        aria-label=move_tr!("action-close")
                        on:click=move |_| drawer.set(false)
                    >
                        <span aria-hidden="true">"✕"</span>
                    </button>
                </div>
                <Transition fallback=move || view! { <p class="text-muted">{move_tr!("loading")}</p> }>
                    {move || Suspend::new(async move {
                        match tree.await {
                            Err(error) => view! { <ErrorNotice error/> }.into_any(),
                            Ok(tree) => view! {
                                <sidebar::Sidebar tree=tree.clone() scope=scope/>
                                <StorageMeter used=tree.used_bytes quota=tree.quota_bytes/>
                            }.into_any(),
                        }
                    })}
                </Transition>
            </aside>
            <section class="min-w-0">
                {move || view! { <grid::ScopeView scope=scope.get()/> }}
            </section>
        </div>
    }
}

/// How much of the storage quota is used.
#[component]
fn StorageMeter(used: u64, quota: Option<u64>) -> impl IntoView {
    let text = move || match quota {
        Some(q) => crate::i18n::tr_dynamic(
            "library-storage-of",
            &[("used", format_bytes(used)), ("quota", format_bytes(q))],
        ),
        None => crate::i18n::tr_dynamic("library-storage", &[("used", format_bytes(used))]),
    };
    let share = quota.map(|q| (used as f64 / q.max(1) as f64).min(1.0));
    view! {
        <div class="rounded-xl border border-line p-3 text-xs text-muted" data-testid="storage-meter">
            <p>{text}</p>
            {share.map(|s| view! {
                <div class="mt-2 h-1.5 w-full overflow-hidden rounded-full bg-surface-2" aria-hidden="true">
                    <div class="h-full rounded-full bg-accent" style:width=format!("{:.1}%", s * 100.0)></div>
                </div>
            })}
        </div>
    }
}

/// A small badge saying what the caller may do here (viewers and collaborators only).
#[component]
pub fn AccessBadge(access: Access) -> impl IntoView {
    let key = match access {
        Access::Viewer => Some("library-view-only"),
        Access::Collaborator => Some("library-collaborator"),
        Access::Owner => None,
    };
    key.map(|key| {
        view! {
            <span class="rounded-full border border-line px-2 py-0.5 text-xs text-muted" data-testid="access-badge">
                {move || crate::i18n::tr_dynamic(key, &[])}
            </span>
        }
    })
}
