//! Parallel variants: one message asks for up to four replies at once; they
//! are written side by side as siblings of one another, each to the end;
//! a fifth is refused naming the field, and nothing is stored.

use app::chat::view::{ChatView, status};
use app::error::AppError;
use serde_json::json;

use super::chat_support::{ChatRoom, FakeChat, Step};

#[tokio::test]
async fn four_variants_are_four_sibling_replies_that_all_complete_and_five_are_refused() {
    let fake = FakeChat::start(vec![Step::Text("An "), Step::Gate, Step::Text("answer")]).await;
    let room = ChatRoom::start(&fake).await;

    let refused = room
        .user
        .json(
            "/api/chats/send",
            json!({"chat_id": room.chat.id, "parent_id": null, "text": "lighthouses", "variants": 5}),
        )
        .await
        .err();
    assert_eq!(
        refused,
        AppError::invalid("variants", "error-reason-variants-range")
    );
    let zero = room
        .user
        .json(
            "/api/chats/send",
            json!({"chat_id": room.chat.id, "parent_id": null, "text": "lighthouses", "variants": 0}),
        )
        .await
        .err();
    assert_eq!(
        zero,
        AppError::invalid("variants", "error-reason-variants-range")
    );
    assert!(room.get().await.messages.is_empty(), "nothing was stored");

    let sent: ChatView = room
        .user
        .call(
            "/api/chats/send",
            json!({"chat_id": room.chat.id, "parent_id": null, "text": "lighthouses", "variants": 4}),
        )
        .await;
    assert_eq!(sent.messages.len(), 2);
    let replies = sent.messages[1].sibling_ids.clone();
    assert_eq!(replies.len(), 4, "four sibling replies");
    assert_eq!(sent.messages[1].position(), 1, "the first one is shown");
    assert!(sent.busy, "the chat is busy while any variant is written");

    // All four are written at the same time: each has its own request open.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while fake.requests().len() < 4 || fake.open_replies() < 4 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "four requests in flight"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    for _ in 0..4 {
        fake.release();
    }

    let mut contents = Vec::new();
    for id in &replies {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let shown: ChatView = room
                .user
                .call("/api/chats/select", json!({"message_id": id}))
                .await;
            let reply = shown.messages[1].clone();
            assert_eq!(&reply.id, id);
            if reply.status != status::STREAMING {
                assert_eq!(reply.status, status::DONE);
                contents.push(reply.content);
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "variant {id} never ended"
            );
            tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        }
    }
    assert_eq!(contents, vec!["An answer"; 4]);
    assert!(!room.get().await.busy);
    // The chosen variant is remembered, and the conversation goes on from it.
    let shown = room.get().await;
    assert_eq!(shown.messages[1].id, replies[3]);
    fake.set_script(vec![Step::Text("More")]);
    let next = room.send(Some(&replies[3]), "more").await;
    assert_eq!(next.messages.len(), 4);
    assert_eq!(next.messages[1].id, replies[3]);
    assert_eq!(room.settled().await.messages[3].content, "More");
}

#[tokio::test]
async fn stop_ends_every_variant_being_written() {
    let fake = FakeChat::start(vec![Step::Text("Half"), Step::Gate, Step::Text(" more")]).await;
    let room = ChatRoom::start(&fake).await;
    let sent: ChatView = room
        .user
        .call(
            "/api/chats/send",
            json!({"chat_id": room.chat.id, "parent_id": null, "text": "go", "variants": 3}),
        )
        .await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while fake.open_replies() < 3 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "three requests in flight"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let stopped: ChatView = room
        .user
        .call(
            "/api/chats/stop",
            json!({"message_id": sent.messages[1].id}),
        )
        .await;
    assert_eq!(stopped.messages[1].status, status::STOPPED);
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while fake.open_replies() > 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "every request closed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    for id in &sent.messages[1].sibling_ids {
        let shown: ChatView = room
            .user
            .call("/api/chats/select", json!({"message_id": id}))
            .await;
        assert_eq!(shown.messages[1].status, status::STOPPED, "{id}");
    }
}
