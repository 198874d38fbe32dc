//! File formats, below every feature: what a file is ([`types`]), what its
//! container says ([`container`]), an image's size from its header
//! ([`image_size`]), and on the server decoding to pixels ([`decode`],
//! [`canvas`]), thumbnails ([`thumbnail`]) and the AV1/WebM writer ([`webm`]).
//! The library, the uploads and the offline provider all use these; nothing
//! here knows about accounts, jobs or storage.

pub mod container;
pub mod image_size;
pub mod types;

#[cfg(feature = "ssr")]
pub mod canvas;
#[cfg(feature = "ssr")]
pub mod decode;
#[cfg(feature = "ssr")]
pub mod thumbnail;
#[cfg(feature = "ssr")]
pub mod webm;

#[cfg(feature = "ssr")]
pub use canvas::RgbImage;
#[cfg(feature = "ssr")]
pub use decode::decode_image;
pub use image_size::image_dimensions;

/// Why pixels could not be read or written: bad input (the caller's fault, not
/// worth retrying) or an encoder failure (ours).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The input cannot be used; the message names the problem.
    #[error("{0}")]
    InvalidInput(String),
    /// Encoding the output failed.
    #[error("encoding failed: {0}")]
    Encode(String),
}
