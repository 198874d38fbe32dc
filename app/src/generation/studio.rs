//! `/studio`: make a video from an image, or an image from a prompt. Pick a
//! start image (upload one or take one from the library), a model; the form
//! comes from the model's schema and the price follows the settings; choose
//! where the result is kept; Generate. `?remix=<item>` starts from a library
//! item's model, prompt and settings; `?start=<item>` from its image. Errors
//! keep everything entered.

mod form;

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::models::list_models;
use crate::assets::view::{ItemDetails, ItemView};
use crate::auth::gate::RequireApproved;
use crate::catalog::CatalogEntry;
use crate::catalog::ModelKind;
use crate::error::AppError;
use crate::ui::error::ErrorNotice;
use form::StudioForm;

/// `/studio`.
#[component]
pub fn StudioPage() -> impl IntoView {
    view! {
        <Title text=move_tr!("studio-title")/>
        <div class="mb-6 flex flex-wrap items-center gap-3">
            <h1 class="flex-1 text-2xl font-bold tracking-tight text-fg">{move_tr!("studio-title")}</h1>
            <a href="/generations" class="text-sm font-medium text-accent underline">{move_tr!("nav-generations")}</a>
        </div>
        <RequireApproved>
            <Studio/>
        </RequireApproved>
    }
}

/// What a remix or an "animate this" link starts from.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct Start {
    mode: String,
    model_id: Option<String>,
    prompt: String,
    params: Option<String>,
    start: Option<ItemView>,
    collection_id: Option<String>,
}

async fn starting_point(remix: Option<String>, start: Option<String>) -> Result<Start, AppError> {
    use crate::assets::items::get_item;
    let writable = |d: &ItemDetails| {
        d.item
            .access
            .can_write()
            .then(|| d.item.collection_id.clone())
    };
    if let Some(id) = remix {
        let details = get_item(id).await?;
        let item = &details.item;
        // A clip is remade from the image it was made from, when that is still there.
        let source = details
            .ancestors
            .first()
            .filter(|a| a.kind == "image")
            .cloned();
        return Ok(Start {
            mode: if item.kind == "video" {
                "video"
            } else {
                "image"
            }
            .into(),
            model_id: item.model_id.clone(),
            prompt: item.prompt.clone().unwrap_or_default(),
            params: item.params.clone(),
            start: source,
            collection_id: writable(&details),
        });
    }
    if let Some(id) = start {
        let details = get_item(id).await?;
        return Ok(Start {
            mode: "video".into(),
            start: (details.item.kind == "image").then(|| details.item.clone()),
            collection_id: writable(&details),
            ..Start::default()
        });
    }
    Ok(Start {
        mode: "video".into(),
        ..Start::default()
    })
}

#[component]
fn Studio() -> impl IntoView {
    let query = use_query_map();
    let models = Resource::new(|| (), |_| list_models(None));
    let begin = Resource::new(
        move || query.with(|q| (q.get("remix"), q.get("start"))),
        |(remix, start)| starting_point(remix, start),
    );
    view! {
        <Transition fallback=move || view! { <p class="text-muted">{move_tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                let begin = begin.await;
                match (models.await, begin) {
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorNotice error/> }.into_any(),
                    (Ok(list), Ok(begin)) => {
                        let list: Vec<CatalogEntry> = list.into_iter().filter(|e| e.model.kind != ModelKind::Chat).collect();
                        view! { <StudioForm models=list begin/> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
