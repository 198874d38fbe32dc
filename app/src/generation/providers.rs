//! Remote provider clients (fal, OpenAI, Gemini, Runway, xAI) implementing the
//! contract in [`super::provider`], plus the HTTP plumbing they share.

pub mod fal;
pub mod gemini;
pub mod http;
pub mod openai;
pub mod runway;
pub mod xai;

#[cfg(test)]
pub(crate) mod test_support;
