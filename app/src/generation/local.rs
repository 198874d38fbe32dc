//! The offline `local` provider: procedural images, edits and AV1/WebM clips
//! made in-process with no network and no model weights, so the studio works
//! (and its tests run) without any API key. Output is deterministic: the same
//! request always yields the same bytes.
//!
//! Layout: [`image`] renders prompts, [`edit`] grades existing images,
//! [`clip`] animates stills into video muxed by [`webm`], and [`provider`]
//! exposes them as a [`MediaProvider`](super::provider::MediaProvider).

pub mod av1;
pub mod canvas;
pub mod chat;
pub mod clip;
pub mod decode;
pub mod edit;
pub mod image;
pub mod provider;
pub mod seed;
pub mod webm;

#[cfg(test)]
mod tests;

pub use canvas::RgbImage;
pub use clip::{CLIP_CONTENT_TYPE, encode_clip};
pub use decode::decode_image;
pub use edit::edit_image;
pub use image::{SizeClass, image_dimensions, render_image};
pub use provider::LocalProvider;

/// Why a local operation failed: bad input (the caller's fault, not worth
/// retrying) or an encoder failure (ours).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocalMediaError {
    /// The input cannot be used; the message names the problem.
    #[error("{0}")]
    InvalidInput(String),
    /// Encoding the output failed.
    #[error("encoding failed: {0}")]
    Encode(String),
}
