//! Progress bars for long tasks.

use leptos::prelude::*;

/// A determinate progress bar; `value` is from 0.0 to 1.0.
#[component]
pub fn ProgressBar(
    #[prop(into)] value: Signal<f64>,
    #[prop(into)] label: Signal<String>,
) -> impl IntoView {
    let percent = move || (value.get().clamp(0.0, 1.0) * 100.0).round() as u32;
    view! {
        <div
            role="progressbar"
            aria-label=label
            aria-valuemin="0"
            aria-valuemax="100"
            aria-valuenow=percent
            class="h-2 w-full overflow-hidden rounded-full bg-surface-2"
        >
            <div class="h-full rounded-full bg-accent transition-[width] duration-300" style:width=move || format!("{}%", percent())></div>
        </div>
    }
}
