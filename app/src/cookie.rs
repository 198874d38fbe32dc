//! Reading and writing plain (non-secret) preference cookies on both sides:
//! from the request on the server, from `document.cookie` in the browser.

/// The value of cookie `name` in a `Cookie:` header string.
pub fn find_cookie(header: &str, name: &str) -> Option<String> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

/// Reads a cookie of the current request (server) or document (browser).
pub fn read_cookie(name: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        let parts = leptos::prelude::use_context::<http::request::Parts>()?;
        let header = parts.headers.get(http::header::COOKIE)?.to_str().ok()?;
        find_cookie(header, name)
    }
    #[cfg(not(feature = "ssr"))]
    {
        use wasm_bindgen::JsCast;
        let document = web_sys::window()?.document()?;
        let header = document
            .dyn_into::<web_sys::HtmlDocument>()
            .ok()?
            .cookie()
            .ok()?;
        find_cookie(&header, name)
    }
}

/// Stores a preference cookie for a year (browser only; a no-op on the server).
pub fn write_cookie(name: &str, value: &str) {
    #[cfg(not(feature = "ssr"))]
    {
        use wasm_bindgen::JsCast;
        if let Some(document) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        {
            let _ = document.set_cookie(&format!(
                "{name}={value}; Path=/; Max-Age=31536000; SameSite=Lax"
            ));
        }
    }
    #[cfg(feature = "ssr")]
    let _ = (name, value);
}

#[cfg(test)]
mod tests {
    use super::find_cookie;

    #[test]
    fn finds_cookies_by_exact_name() {
        let header = "a=1; theme=dark; xtheme=light";
        assert_eq!(find_cookie(header, "theme").as_deref(), Some("dark"));
        assert_eq!(find_cookie(header, "heme"), None);
    }
}
