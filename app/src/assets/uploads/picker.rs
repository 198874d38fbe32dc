//! Uploading files with a progress bar each: pick or drop files, watch them
//! go, cancel one, retry one that failed (it resumes where it stopped). The
//! transfer itself is `assets::uploads::browser`.

use leptos::prelude::*;
use leptos_fluent::move_tr;

use crate::assets::view::ItemView;
use crate::error::AppError;
use crate::i18n::tr_dynamic;
use crate::ui::error::error_text;
use crate::ui::progress::ProgressBar;

/// Where one file's upload stands (only the browser moves it past `Sending`).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Stage {
    Sending,
    Done,
    Cancelled,
    Failed { error: AppError, resumable: bool },
}

/// One file being uploaded.
#[derive(Clone)]
struct Transfer {
    key: u64,
    name: String,
    progress: RwSignal<f64>,
    stage: RwSignal<Stage>,
    #[cfg(feature = "hydrate")]
    file: send_wrapper::SendWrapper<web_sys::File>,
    #[cfg(feature = "hydrate")]
    control: send_wrapper::SendWrapper<super::browser::UploadControl>,
}

/// A file picker (and drop zone) that uploads each chosen file into
/// `collection` (the inbox when `None`) and hands every new item to
/// `on_uploaded`.
#[component]
pub fn FileUpload(
    /// The picker's visible label.
    #[prop(into)]
    label: Signal<String>,
    /// The `accept` attribute: which files the picker offers.
    accept: &'static str,
    /// The input's id (unique on the page).
    id: &'static str,
    #[prop(optional)] multiple: bool,
    #[prop(into)] collection: Signal<Option<String>>,
    on_uploaded: Callback<ItemView>,
) -> impl IntoView {
    let transfers = RwSignal::new(Vec::<Transfer>::new());
    let dragging = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    let next_key = StoredValue::new(0u64);

    #[cfg(feature = "hydrate")]
    let run = move |transfer: Transfer| {
        use super::browser::{UploadFailure, upload_file};
        let destination = collection.get_untracked();
        transfer.stage.set(Stage::Sending);
        let progress = transfer.progress;
        let file = (*transfer.file).clone();
        let control = (*transfer.control).clone();
        leptos::task::spawn_local(async move {
            let result = upload_file(file, destination, control, move |p| progress.set(p)).await;
            match result {
                Ok(item) => {
                    transfer.stage.set(Stage::Done);
                    on_uploaded.run(item);
                }
                Err(UploadFailure::Cancelled) => transfer.stage.set(Stage::Cancelled),
                Err(UploadFailure::Error { error, resumable }) => {
                    transfer.stage.set(Stage::Failed { error, resumable })
                }
            }
        });
    };
    #[cfg(feature = "hydrate")]
    let add_files = move |files: web_sys::FileList| {
        for index in 0..files.length() {
            let Some(file) = files.get(index) else {
                continue;
            };
            let key = next_key.get_value();
            next_key.set_value(key + 1);
            let transfer = Transfer {
                key,
                name: file.name(),
                progress: RwSignal::new(0.0),
                stage: RwSignal::new(Stage::Sending),
                file: send_wrapper::SendWrapper::new(file),
                control: send_wrapper::SendWrapper::new(Default::default()),
            };
            transfers.update(|list| list.push(transfer.clone()));
            run(transfer);
            if !multiple {
                break;
            }
        }
    };
    #[cfg(feature = "hydrate")]
    let on_change = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(files) = input.files() {
            add_files(files);
        }
        input.set_value("");
    };
    #[cfg(feature = "hydrate")]
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(files) = ev.data_transfer().and_then(|d| d.files()) {
            add_files(files);
        }
    };
    #[cfg(not(feature = "hydrate"))]
    let on_change = move |_: leptos::ev::Event| {
        let _ = (on_uploaded, collection, multiple);
    };
    #[cfg(not(feature = "hydrate"))]
    let on_drop = move |_: leptos::ev::DragEvent| {};

    let retry = move |transfer: Transfer| {
        #[cfg(feature = "hydrate")]
        run(transfer);
        #[cfg(not(feature = "hydrate"))]
        let _ = transfer;
    };
    let cancel = move |transfer: Transfer| {
        #[cfg(feature = "hydrate")]
        {
            transfer.control.cancel();
            let file = (*transfer.file).clone();
            let destination = collection.get_untracked();
            leptos::task::spawn_local(async move {
                super::browser::forget_upload(&file, destination.as_deref()).await;
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = transfer;
    };
    let dismiss = move |key: u64| transfers.update(|list| list.retain(|t| t.key != key));

    view! {
        <div class="flex flex-col gap-2">
            <div
                class="flex flex-wrap items-center gap-3 rounded-xl border-2 border-dashed border-line p-3 data-[dragging=true]:border-accent"
                data-dragging=move || dragging.get().to_string()
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <label for=id class="inline-flex w-fit cursor-pointer items-center gap-2 rounded-lg border border-line bg-surface px-4 py-2 text-sm font-medium text-fg hover:bg-surface-2">
                    {label}
                </label>
                <input id=id type="file" accept=accept multiple=multiple class="sr-only" on:change=on_change/>
                <span class="text-xs text-muted">{move_tr!("upload-drop-hint")}</span>
            </div>
            <ul class="flex flex-col gap-2" aria-label=move_tr!("upload-list")>
                <For each=move || transfers.get() key=|t| t.key let:transfer>
                    {
                        let t = transfer.clone();
                        let t_retry = transfer.clone();
                        let t_cancel = transfer.clone();
                        let key = transfer.key;
                        view! {
                            <li class="rounded-lg border border-line bg-surface px-3 py-2" data-testid="transfer-row">
                                <div class="mb-1 flex items-center gap-2 text-sm">
                                    <span class="min-w-0 flex-1 truncate text-fg">{t.name.clone()}</span>
                                    <span class="text-xs text-muted" data-testid="transfer-state">
                                        {move || match t.stage.get() {
                                            Stage::Sending => tr_dynamic("upload-sending", &[("percent", format!("{:.0}", t.progress.get() * 100.0))]),
                                            Stage::Done => tr_dynamic("upload-done", &[]),
                                            Stage::Cancelled => tr_dynamic("upload-cancelled", &[]),
                                            Stage::Failed { .. } => tr_dynamic("upload-failed", &[]),
                                        }}
                                    </span>
                                    <Show when=move || t_cancel.stage.get() == Stage::Sending>
                                        {
                                            let t = t_cancel.clone();
                                            view! { <button type="button" class="text-xs text-muted underline" on:click=move |_| cancel(t.clone())>{move_tr!("upload-cancel")}</button> }
                                        }
                                    </Show>
                                    <Show when=move || matches!(t_retry.stage.get(), Stage::Failed { resumable: true, .. })>
                                        {
                                            let t = t_retry.clone();
                                            view! { <button type="button" class="text-xs font-medium text-accent underline" on:click=move |_| retry(t.clone())>{move_tr!("upload-retry")}</button> }
                                        }
                                    </Show>
                                    <Show when=move || transfer.stage.get() != Stage::Sending>
                                        <button type="button" class="text-xs text-muted" aria-label=move_tr!("action-dismiss") on:click=move |_| dismiss(key)>"✕"</button>
                                    </Show>
                                </div>
                                <ProgressBar value=t.progress label=move_tr!("upload-progress")/>
                                {move || match t.stage.get() {
                                    Stage::Failed { error, .. } => Some(view! { <p role="alert" class="mt-1 text-xs text-danger">{error_text(&error)}</p> }),
                                    _ => None,
                                }}
                            </li>
                        }
                    }
                </For>
            </ul>
        </div>
    }
}
