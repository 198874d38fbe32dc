//! The browser entry point. Everything else lives in `app`.

/// Called by the hydration script that the server page includes.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
