//! Renders a reply's Markdown ([`super::markdown`]) as elements with text
//! nodes only: whatever HTML a model writes shows as text.

use leptos::prelude::*;

use super::markdown::{Block, Inline, parse_markdown};

fn inlines(pieces: Vec<Inline>) -> impl IntoView {
    pieces
        .into_iter()
        .map(|piece| match piece {
            Inline::Text(text) => text.into_any(),
            Inline::Strong(text) => view! { <strong class="font-semibold">{text}</strong> }.into_any(),
            Inline::Emphasis(text) => view! { <em>{text}</em> }.into_any(),
            Inline::Code(text) => {
                view! { <code class="rounded bg-surface-2 px-1 py-0.5 text-[0.9em]">{text}</code> }
                    .into_any()
            }
            Inline::Link { text, url } => view! {
                <a href=url rel="noopener noreferrer nofollow" target="_blank" class="text-accent underline">{text}</a>
            }
            .into_any(),
        })
        .collect_view()
}

fn block(block: Block) -> AnyView {
    match block {
        Block::Heading(1 | 2, pieces) => {
            view! { <h3 class="mt-3 text-lg font-semibold text-fg">{inlines(pieces)}</h3> }.into_any()
        }
        Block::Heading(_, pieces) => {
            view! { <h4 class="mt-2 font-semibold text-fg">{inlines(pieces)}</h4> }.into_any()
        }
        Block::Paragraph(pieces) => view! { <p>{inlines(pieces)}</p> }.into_any(),
        Block::List { ordered: true, items } => view! {
            <ol class="list-decimal space-y-1 pl-6">
                {items.into_iter().map(|item| view! { <li>{inlines(item)}</li> }).collect_view()}
            </ol>
        }
        .into_any(),
        Block::List { ordered: false, items } => view! {
            <ul class="list-disc space-y-1 pl-6">
                {items.into_iter().map(|item| view! { <li>{inlines(item)}</li> }).collect_view()}
            </ul>
        }
        .into_any(),
        Block::Quote(pieces) => view! {
            <blockquote class="border-l-4 border-line pl-3 text-muted">{inlines(pieces)}</blockquote>
        }
        .into_any(),
        Block::Code(text) => view! {
            <pre class="overflow-x-auto rounded-lg bg-surface-2 p-3 text-sm"><code>{text}</code></pre>
        }
        .into_any(),
    }
}

/// `text` (Markdown) as safe elements, following the signal while it streams.
#[component]
pub(super) fn Markdown(#[prop(into)] text: Signal<String>) -> impl IntoView {
    view! {
        <div class="space-y-2 leading-relaxed text-fg" data-testid="reply-text">
            {move || parse_markdown(&text.get()).into_iter().map(block).collect_view()}
        </div>
    }
}
