//! The offline `local` provider: procedural images, edits and AV1/WebM clips
//! made in-process with no network and no model weights, so the studio works
//! (and its tests run) without any API key. Output is deterministic: the same
//! request always yields the same bytes.
//!
//! Layout: [`image`] renders prompts, [`edit`] grades existing images,
//! [`clip`] animates stills into video muxed by [`crate::media::webm`], and [`provider`]
//! exposes them as a [`MediaProvider`](super::provider::MediaProvider).

pub mod av1;
pub mod chat;
pub mod clip;
pub mod edit;
pub mod image;
pub mod provider;
pub mod seed;

#[cfg(test)]
mod tests;

pub use clip::{CLIP_CONTENT_TYPE, encode_clip};
pub use edit::edit_image;
pub use image::{SizeClass, image_dimensions, render_image};
pub use provider::LocalProvider;
