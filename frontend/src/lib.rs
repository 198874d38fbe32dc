//! The browser entry point. Everything else lives in `app`.

/// Called by the hydration script that the server page includes.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // A panic leaves the app unable to run (a route chunk that failed to load is
    // one): log it as before, and show the translated reload notice.
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        app::shell::load_failure::show_load_failure();
    }));
    // Waits for the chunk of the route being shown before hydrating it.
    leptos::mount::hydrate_lazy(app::App);
}
