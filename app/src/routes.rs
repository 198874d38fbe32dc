//! The routes whose code loads on first visit. Each page beyond the home and
//! sign-in pages is a lazy route: with `cargo leptos build --split` its code is
//! a separate wasm chunk, fetched when the route is first shown (or earlier, when
//! a link to it is hovered or focused: [`prefetch`]). The server renders every
//! route as before and tells the browser which chunks the page needs.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

/// Declares a lazy route that shows one page component for a path pattern
/// (`:name` matches one segment), and [`prefetch`] over those patterns.
macro_rules! lazy_pages {
    ($($route:ident => $page:path, $pattern:literal;)*) => {
        $(
            #[doc = concat!("The lazily loaded route showing `", stringify!($page), "`.")]
            pub struct $route;

            #[lazy_route]
            impl LazyRoute for $route {
                fn data() -> Self {
                    Self
                }

                fn view(_this: Self) -> AnyView {
                    $page().into_any()
                }
            }
        )*

        /// Starts loading the chunk of the page at `path` (a no-op on the server,
        /// for pages in the main bundle, and for chunks already loaded).
        pub fn prefetch(path: &str) {
            $(
                if matches_pattern($pattern, path) {
                    #[cfg(feature = "hydrate")]
                    leptos::task::spawn_local(<$route as LazyRoute>::preload());
                    return;
                }
            )*
        }
    };
}

lazy_pages! {
    ChatRoute => crate::chat::ChatPage, "/chat";
    StoryboardRoute => crate::storyboard::StoryboardPage, "/storyboard";
    StudioRoute => crate::generation::studio::StudioPage, "/studio";
    GenerationRoute => crate::generation::generations::GenerationPage, "/generations/:id";
    GenerationsRoute => crate::generation::generations::GenerationsPage, "/generations";
    ItemRoute => crate::assets::ItemPage, "/library/items/:id";
    LibraryRoute => crate::assets::LibraryPage, "/library";
    CreditsRoute => crate::credits::CreditsPage, "/credits";
    ProfileRoute => crate::auth::profile::ProfilePage, "/profile";
    AdminUsersRoute => crate::admin::users::AdminUsersPage, "/admin/users";
    AdminModelsRoute => crate::admin::models::AdminModelsPage, "/admin/models";
    AdminCreditsRoute => crate::admin::credits::AdminCreditsPage, "/admin/credits";
    AdminChatsRoute => crate::admin::chats::AdminChatsPage, "/admin/chats";
    AdminRoute => crate::admin::AdminPage, "/admin";
    OutboxRoute => crate::admin::outbox::OutboxPage, "/outbox";
}

/// Whether `path` (without query or fragment) matches `pattern`, where a
/// `:name` segment matches any one non-empty segment.
fn matches_pattern(pattern: &str, path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let mut wanted = pattern.trim_end_matches('/').split('/');
    let mut given = path.trim_end_matches('/').split('/');
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return true,
            (Some(w), Some(g)) if w.starts_with(':') && !g.is_empty() => {}
            (Some(w), Some(g)) if w == g => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::matches_pattern;

    #[test]
    fn patterns_match_whole_segments() {
        assert!(matches_pattern("/library", "/library"));
        assert!(matches_pattern("/library", "/library/?q=cat"));
        assert!(matches_pattern("/library/items/:id", "/library/items/42"));
        assert!(!matches_pattern("/library/items/:id", "/library/items/"));
        assert!(!matches_pattern("/library", "/library/items/42"));
        assert!(!matches_pattern("/admin", "/admin/users"));
        assert!(!matches_pattern("/library", "/librarything"));
    }
}
