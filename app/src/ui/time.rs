//! Times as people read them, one way everywhere: relative when recent
//! ("3 minutes ago", "3 分钟前"), else the date and time in the reader's
//! language and time zone; the exact moment on hover and on keyboard focus.
//!
//! The server cannot know the reader's time zone, so it renders the time in
//! UTC; once the page runs in the browser the same element is refined (the
//! first render in the browser matches the server's, so hydration agrees).

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::i18n::{current_language, tr_in};

/// A time as the server renders it: `2026-12-03 07:38 UTC`.
pub fn absolute_utc(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// How long ago `seconds` is, in `language`, when it is recent (under a
/// week); `None` for older times and for times ahead (a clock a little
/// fast reads as "just now").
pub fn relative_text(language: &str, seconds: i64) -> Option<String> {
    const MINUTE: i64 = 60;
    const HOUR: i64 = 60 * MINUTE;
    const DAY: i64 = 24 * HOUR;
    let (key, count) = match seconds {
        s if s < -MINUTE => return None,
        s if s < MINUTE => return Some(tr_in(language, "time-just-now", &[])),
        s if s < HOUR => ("time-minutes-ago", s / MINUTE),
        s if s < DAY => ("time-hours-ago", s / HOUR),
        s if s < 7 * DAY => ("time-days-ago", s / DAY),
        _ => return None,
    };
    Some(tr_in(language, key, &[("count", count.to_string())]))
}

/// The date and time in the browser's time zone and `language`; `long` adds
/// the weekday, seconds and the zone's name (what hover and focus show).
#[cfg(feature = "hydrate")]
fn local_absolute(language: &str, at: DateTime<Utc>, long: bool) -> String {
    use wasm_bindgen::JsValue;
    let options = js_sys::Object::new();
    let set = |key: &str, value: &str| {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    };
    if long {
        set("dateStyle", "full");
        set("timeStyle", "long");
    } else {
        set("dateStyle", "medium");
        set("timeStyle", "short");
    }
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    date.to_locale_string(language, &options).into()
}

#[cfg(not(feature = "hydrate"))]
fn local_absolute(_language: &str, at: DateTime<Utc>, _long: bool) -> String {
    absolute_utc(at)
}

/// The browser's clock in milliseconds (never called on the server).
#[cfg(feature = "hydrate")]
fn browser_now() -> f64 {
    js_sys::Date::now()
}

/// A moment (`at`: RFC 3339), relative when recent, with the exact time in
/// the reader's zone on hover and focus. Text that is not a time is shown as it is.
/// `in_link`: the time sits inside a link, which takes the focus itself (a
/// focusable element inside a link would be a second, nested stop).
#[component]
pub fn Time(#[prop(into)] at: Signal<String>, #[prop(optional)] in_link: bool) -> impl IntoView {
    // The browser's clock; `None` while rendering on the server and hydrating.
    let now = RwSignal::new(None::<f64>);
    #[cfg(feature = "hydrate")]
    {
        Effect::new(move |_| now.set(Some(browser_now())));
        // "just now" becomes "1 minute ago" while the page stays open.
        if let Ok(ticker) = set_interval_with_handle(
            move || now.set(Some(browser_now())),
            std::time::Duration::from_secs(30),
        ) {
            on_cleanup(move || ticker.clear());
        }
    }
    let parsed = move || {
        DateTime::parse_from_rfc3339(&at.get())
            .ok()
            .map(|t| t.with_timezone(&Utc))
    };
    let text = move || {
        let Some(t) = parsed() else { return at.get() };
        match now.get() {
            None => absolute_utc(t),
            Some(now_ms) => {
                let language = current_language();
                let seconds = ((now_ms as i64) - t.timestamp_millis()).div_euclid(1000);
                relative_text(language, seconds)
                    .unwrap_or_else(|| local_absolute(language, t, false))
            }
        }
    };
    let title = move || {
        let t = parsed()?;
        Some(match now.get() {
            None => absolute_utc(t),
            Some(_) => local_absolute(current_language(), t, true),
        })
    };
    let tooltip = "relative cursor-help underline decoration-dotted underline-offset-2 focus-visible:after:absolute focus-visible:after:left-0 focus-visible:after:top-full focus-visible:after:z-30 focus-visible:after:mt-1 focus-visible:after:w-max focus-visible:after:max-w-64 focus-visible:after:rounded-md focus-visible:after:bg-fg focus-visible:after:px-2 focus-visible:after:py-1 focus-visible:after:text-xs focus-visible:after:text-bg focus-visible:after:content-[attr(title)]";
    view! {
        <time datetime=move || at.get() title=title tabindex=(!in_link).then_some("0") class=tooltip data-testid="time">{text}</time>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_times_read_relative_in_both_languages() {
        assert_eq!(relative_text("en", 5).as_deref(), Some("just now"));
        assert_eq!(relative_text("en", 60).as_deref(), Some("1 minute ago"));
        assert_eq!(
            relative_text("en", 3 * 60 + 59).as_deref(),
            Some("3 minutes ago")
        );
        assert_eq!(relative_text("zh-CN", 3 * 60).as_deref(), Some("3 分钟前"));
        assert_eq!(relative_text("en", 3600).as_deref(), Some("1 hour ago"));
        assert_eq!(
            relative_text("en", 5 * 3600).as_deref(),
            Some("5 hours ago")
        );
        assert_eq!(
            relative_text("zh-CN", 5 * 3600).as_deref(),
            Some("5 小时前")
        );
        assert_eq!(relative_text("en", 86_400).as_deref(), Some("yesterday"));
        assert_eq!(
            relative_text("en", 2 * 86_400).as_deref(),
            Some("2 days ago")
        );
        assert_eq!(
            relative_text("zh-CN", 2 * 86_400).as_deref(),
            Some("2 天前")
        );
        // A week and more, or well ahead: the date itself.
        assert_eq!(relative_text("en", 7 * 86_400), None);
        assert_eq!(relative_text("en", -120), None);
    }

    #[test]
    fn the_server_renders_utc() {
        let t = DateTime::parse_from_rfc3339("2026-12-03T07:38:27.808Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(absolute_utc(t), "2026-12-03 07:38 UTC");
    }
}
