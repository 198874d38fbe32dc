//! Images attached to a message: at most four, images only, the person's
//! own (or shared with them); stored with the message, shown on it, copied
//! by a fork, and sent to the OpenAI-compatible model as `image_url`
//! content parts.

use app::assets::media::{Dimensions, MediaSource};
use app::chat::view::ChatView;
use app::error::AppError;
use serde_json::{Value, json};

use super::chat_support::{ChatRoom, FakeChat, Step};
use super::jobs_support::upload_image;
use super::person::TestUser;

#[tokio::test]
async fn attachments_are_limited_stored_shown_and_sent_as_image_parts() {
    let fake = FakeChat::start(vec![Step::Text("Nice pictures")]).await;
    let room = ChatRoom::start(&fake).await;
    let state = room.app.state.clone();
    let mut images = Vec::new();
    for _ in 0..5 {
        images.push(upload_image(&state, room.user.id).await.id.to_string());
    }
    let clip = app::assets::media::store(
        &state,
        room.user.id,
        bytes::Bytes::from_static(b"not really a video"),
        "video/mp4",
        MediaSource::Upload,
        Dimensions::default(),
    )
    .await
    .unwrap()
    .id
    .to_string();
    let stranger = TestUser::sign_in(&room.app, "stranger@example.com").await;
    let theirs = upload_image(&state, stranger.id).await.id.to_string();

    let send = |attachments: Vec<String>| {
        room.user.json(
            "/api/chats/send",
            json!({"chat_id": room.chat.id, "parent_id": null, "text": "look", "attachments": attachments}),
        )
    };
    assert_eq!(
        send(images.clone()).await.err(),
        AppError::invalid("attachments", "error-reason-too-many-attachments")
    );
    assert_eq!(
        send(vec![images[0].clone(), clip]).await.err(),
        AppError::invalid("attachments", "error-reason-attachment-not-an-image")
    );
    assert_eq!(
        send(vec![theirs]).await.err(),
        AppError::invalid("attachments", "error-reason-media-not-found")
    );
    assert_eq!(
        send(vec![images[0].clone(), images[0].clone()]).await.err(),
        AppError::invalid("attachments", "error-reason-attachment-repeated")
    );
    assert!(room.get().await.messages.is_empty(), "nothing was stored");
    assert!(fake.requests().is_empty(), "nothing reached the model");

    let sent: ChatView = send(vec![images[1].clone(), images[0].clone()])
        .await
        .view();
    let shown: Vec<&str> = sent.messages[0]
        .attachments
        .iter()
        .map(|a| a.media_id.as_str())
        .collect();
    assert_eq!(shown, [images[1].as_str(), images[0].as_str()], "in order");
    assert!(sent.messages[0].attachments[0].url.contains("/media/"));
    let view = room.settled().await;
    assert_eq!(view.messages[0].attachments.len(), 2);

    // The model got the text and both images as content parts (a loopback
    // install sends the bytes as data URIs).
    let request = fake.requests().pop().unwrap();
    let user_parts = |request: &Value, i: usize| request["messages"][i]["content"].clone();
    let parts = user_parts(&request, 1);
    assert_eq!(parts[0], json!({"type": "text", "text": "look"}));
    for part in [&parts[1], &parts[2]] {
        assert_eq!(part["type"], "image_url");
        let url = part["image_url"]["url"].as_str().unwrap();
        assert!(url.starts_with("data:image/png;base64,iVBOR"), "{url}");
    }
    assert_eq!(parts.as_array().unwrap().len(), 3);
    assert!(
        request["messages"][0]["content"].is_string(),
        "the system prompt stays text"
    );

    // The next turn still sends the earlier message's images; a plain
    // message stays plain text.
    let reply = view.messages[1].id.clone();
    room.send(Some(&reply), "more like the first").await;
    room.settled().await;
    let request = fake.requests().pop().unwrap();
    assert_eq!(user_parts(&request, 1).as_array().unwrap().len(), 3);
    assert_eq!(user_parts(&request, 3), json!("more like the first"));

    // A fork keeps the attachments of the path it copies.
    let fork: app::chat::view::ChatSummary = room
        .user
        .call("/api/chats/fork", json!({"message_id": reply}))
        .await;
    let forked: ChatView = room
        .user
        .call("/api/chats/get", json!({"chat_id": fork.id}))
        .await;
    assert_eq!(forked.messages[0].attachments.len(), 2);
}
