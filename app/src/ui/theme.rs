//! Light, dark, or follow the system. The choice is a cookie, so the server
//! renders the right theme on the first paint (no flash).

use leptos::prelude::*;
use leptos_fluent::move_tr;

use crate::cookie::{read_cookie, write_cookie};

/// The theme preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    System,
    Light,
    Dark,
}

/// The cookie that remembers the theme.
pub const THEME_COOKIE: &str = "theme";

impl Theme {
    /// Reads the preference of the current request or document.
    pub fn current() -> Self {
        match read_cookie(THEME_COOKIE).as_deref() {
            Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            _ => Theme::System,
        }
    }

    /// The class set on `<html>`; empty means "follow the system".
    pub fn html_class(self) -> &'static str {
        match self {
            Theme::System => "",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// The value kept in the cookie.
    fn cookie_value(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn next(self) -> Self {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }
}

/// A button that cycles system → light → dark.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let theme = RwSignal::new(Theme::current());
    let label_system = move_tr!("theme-system");
    let label_light = move_tr!("theme-light");
    let label_dark = move_tr!("theme-dark");
    let label = move || match theme.get() {
        Theme::System => label_system.get(),
        Theme::Light => label_light.get(),
        Theme::Dark => label_dark.get(),
    };
    let icon = move || match theme.get() {
        Theme::System => "◐",
        Theme::Light => "☀",
        Theme::Dark => "☾",
    };
    let on_click = move |_| {
        let next = theme.get_untracked().next();
        theme.set(next);
        write_cookie(THEME_COOKIE, next.cookie_value());
        #[cfg(not(feature = "ssr"))]
        if let Some(root) = document().document_element() {
            let classes = root.class_list();
            let _ = classes.remove_2("light", "dark");
            if !next.html_class().is_empty() {
                let _ = classes.add_1(next.html_class());
            }
        }
    };
    view! {
        <button
            type="button"
            class="inline-flex min-h-10 items-center gap-2 rounded-lg px-3 text-sm text-fg hover:bg-surface-2"
            title=label
            aria-label=label
            data-theme=move || theme.get().html_class()
            on:click=on_click
        >
            <span aria-hidden="true">{icon}</span>
        </button>
    }
}
