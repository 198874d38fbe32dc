//! The offline agent: a deterministic reply to the last user message,
//! streamed word by word like a real model, with a short `<think>` block and
//! image ideas (title, prompt, aspect ratio) the chat can generate.

use std::time::Duration;

use async_trait::async_trait;
use futures::StreamExt;

use super::seed::Rng;
use crate::generation::provider::{
    ChatMessage, ChatProvider, ChatStream, ProviderError, ProviderErrorKind,
};

const STYLES: [&str; 8] = [
    "golden-hour light, soft film grain",
    "bold flat colours, graphic poster",
    "misty morning, muted palette",
    "neon night, reflections on wet streets",
    "watercolour, loose brush strokes",
    "high-contrast black and white",
    "pastel dreamscape, gentle gradients",
    "cinematic wide shot, dramatic sky",
];
const RATIOS: [&str; 4] = ["16:9", "1:1", "9:16", "4:3"];

/// The offline chat model.
#[derive(Debug, Clone)]
pub struct LocalChat {
    /// Pause between streamed words (zero in tests).
    pub word_delay: Duration,
}

impl Default for LocalChat {
    fn default() -> Self {
        Self {
            word_delay: Duration::from_millis(20),
        }
    }
}

/// The full reply the offline agent gives to `subject` (deterministic): a
/// `<think>` block with its reading of the person, a short answer, and 3 or 4
/// image ideas as the tagged JSON list the chat parses.
pub fn reply_for(subject: &str) -> String {
    let subject = subject.trim();
    let mut rng = Rng::from_text("local-chat", subject);
    let count = 3 + rng.below(2) as usize;
    let mut text = format!(
        "<think>\nbelief_prompt: {subject}\nuser_intention: images about “{subject}”\nuser_preference: {count} distinct directions that vary light, style and framing\nuser_persona: someone exploring a visual idea\n</think>\nHere are **{count} ideas** for “{subject}”. Pick one to generate, or edit its prompt first.\n<images>["
    );
    let first = rng.below(STYLES.len() as u32) as usize;
    for i in 0..count {
        let style = STYLES[(first + i * 3) % STYLES.len()];
        let ratio = RATIOS[rng.below(RATIOS.len() as u32) as usize];
        let idea = serde_json::json!({
            "title": format!(
                "{} — {}",
                capitalise(subject),
                style.split(',').next().unwrap_or(style)
            ),
            "prompt": format!("{subject}, {style}"),
            "aspect_ratio": ratio,
        });
        if i > 0 {
            text.push_str(", ");
        }
        text.push_str(&idea.to_string());
    }
    text.push_str("]</images>\n");
    text
}

/// The reply, acknowledging `images` attached images (the offline agent
/// cannot look at them) right after its `<think>` block.
fn with_attachments(reply: &str, images: usize) -> String {
    let note = match images {
        0 => return reply.to_string(),
        1 => "I have your attached image; I cannot look at it offline, so these ideas come from your words.\n".to_string(),
        n => format!("I have your {n} attached images; I cannot look at them offline, so these ideas come from your words.\n"),
    };
    match reply.split_once("</think>\n") {
        Some((think, rest)) => format!("{think}</think>\n{note}{rest}"),
        None => format!("{note}{reply}"),
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[async_trait]
impl ChatProvider for LocalChat {
    async fn stream_chat(
        &self,
        _model: &str,
        messages: &[ChatMessage],
    ) -> Result<ChatStream, ProviderError> {
        let last = messages
            .iter()
            .rev()
            .find(|m| m.role == "user")
            .filter(|m| !m.content.trim().is_empty())
            .ok_or_else(|| {
                ProviderError::new(
                    ProviderErrorKind::RejectedInput,
                    "there is no user message to answer",
                )
            })?;
        let reply = with_attachments(&reply_for(&last.content), last.images.len());
        // Words keep their trailing whitespace so the pieces join back exactly.
        let pieces: Vec<String> = reply
            .split_inclusive(char::is_whitespace)
            .map(str::to_string)
            .collect();
        let delay = self.word_delay;
        Ok(futures::stream::iter(pieces)
            .then(move |piece| async move {
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                Ok(piece)
            })
            .boxed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(text: &str) -> Vec<ChatMessage> {
        vec![ChatMessage {
            role: "user".into(),
            content: text.into(),
            images: Vec::new(),
        }]
    }

    #[tokio::test]
    async fn streams_a_deterministic_reply_piece_by_piece() {
        let chat = LocalChat {
            word_delay: Duration::ZERO,
        };
        let pieces: Vec<String> = chat
            .stream_chat("local-chat", &user("a lighthouse in a storm"))
            .await
            .unwrap()
            .map(Result::unwrap)
            .collect()
            .await;
        assert!(pieces.len() > 20, "streamed in many pieces");
        let text = pieces.concat();
        assert_eq!(text, reply_for("a lighthouse in a storm"));
        assert!(text.starts_with("<think>") && text.contains("</think>"));
        assert!(text.contains("\"prompt\":\"a lighthouse in a storm, "));
        assert_ne!(
            reply_for("a lighthouse in a storm"),
            reply_for("a cat on a sofa")
        );
    }

    #[test]
    fn the_reply_reads_as_think_text_and_three_or_four_suggestions() {
        let reply = crate::chat::reply::parse_reply(&reply_for("a cat on a sofa"), true);
        let think = reply.think.clone().expect("a think block");
        assert_eq!(think.belief_prompt, "a cat on a sofa");
        assert!(!think.user_persona.is_empty());
        assert!(reply.text.contains("ideas"), "{}", reply.text);
        assert!((3..=4).contains(&reply.suggestions.len()), "{reply:?}");
        assert_eq!(reply.malformed, 0);
        for s in &reply.suggestions {
            assert!(s.prompt.starts_with("a cat on a sofa, "));
        }
    }

    #[tokio::test]
    async fn attached_images_are_acknowledged_after_the_think_block() {
        let chat = LocalChat {
            word_delay: Duration::ZERO,
        };
        let mut messages = user("a cat on a sofa");
        messages[0].images = vec!["data:image/png;base64,AAAA".into(); 2];
        let text: String = chat
            .stream_chat("local-chat", &messages)
            .await
            .unwrap()
            .map(Result::unwrap)
            .collect::<Vec<_>>()
            .await
            .concat();
        let reply = crate::chat::reply::parse_reply(&text, true);
        assert!(
            reply.text.starts_with("I have your 2 attached images"),
            "{}",
            reply.text
        );
        assert!(reply.think.is_some_and(|t| t.complete));
        assert!((3..=4).contains(&reply.suggestions.len()));
    }

    #[tokio::test]
    async fn without_a_user_message_it_refuses() {
        let chat = LocalChat::default();
        let error = chat.stream_chat("local-chat", &[]).await.err().unwrap();
        assert_eq!(error.kind, ProviderErrorKind::RejectedInput);
    }
}
