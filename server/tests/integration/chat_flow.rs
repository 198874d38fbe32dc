//! The creative agent end to end over HTTP: a reply is stored while it
//! streams, a reader that leaves and comes back replays without gaps or
//! duplicates, Stop closes the model's request, failures keep what was
//! written with their kind, and branches and forks follow the tree.

use std::time::Duration;

use app::chat::view::{ChatList, ChatSummary, ChatView};
use app::error::AppError;
use serde_json::json;

use super::chat_support::{ChatRoom, FakeChat, SseReader, Step};

const THINK: [Step; 3] = [
    Step::Text("<thi"),
    Step::Text("nk>belief_prompt: a light"),
    Step::Text("house</think>He"),
];

#[tokio::test]
async fn a_reply_is_stored_as_it_streams_and_a_reader_resumes_without_gaps_or_duplicates() {
    let mut script = THINK.to_vec();
    script.extend([
        Step::Text("re are "),
        Step::Gate,
        Step::Text("two ideas.<images>[{\"title\": \"Storm\", \"prompt\": \"a light"),
        Step::Gate,
        Step::Text("house in a storm\", \"aspect_ratio\": \"16:9\"}]</images>"),
    ]);
    let fake = FakeChat::start(script).await;
    let room = ChatRoom::start(&fake).await;
    let view = room.send(None, "A lighthouse, please").await;
    assert_eq!(
        view.chat.title, "A lighthouse, please",
        "proposed from the first message"
    );
    let reply = view.streaming().expect("the reply streams").clone();
    assert_eq!(reply.role, "assistant");

    // A reader takes what there is, then leaves mid-reply.
    let mut first = SseReader::new(SseReader::open(&room.user, &reply.id, None).await);
    let mut seen = Vec::new();
    let mut text = String::new();
    while !text.ends_with("re are ") {
        let event = first.next().await.expect("deltas");
        assert_eq!(event.event, "delta");
        seen.push(event.id.clone().unwrap().parse::<i32>().unwrap());
        text.push_str(event.data["text"].as_str().unwrap());
    }
    drop(first);
    // What was written stays stored while nobody reads.
    let stored = room.until(|m| m.content.ends_with("re are ")).await;
    assert_eq!(stored.messages[1].content, text);
    assert!(stored.messages[1].is_streaming());

    fake.release();
    room.until(|m| m.content.contains("a light") && m.content.ends_with("light"))
        .await;
    let last = seen.last().unwrap().to_string();
    let mut second = SseReader::new(SseReader::open(&room.user, &reply.id, Some(&last)).await);
    fake.release();
    let end = loop {
        let event = second.next().await.expect("events until the end");
        if event.event == "end" {
            break event;
        }
        seen.push(event.id.clone().unwrap().parse::<i32>().unwrap());
        text.push_str(event.data["text"].as_str().unwrap());
    };
    assert_eq!(end.data["status"], "done");
    assert!(
        second.next().await.is_none(),
        "the stream closes after its end"
    );
    let expected: Vec<i32> = (1..=seen.len() as i32).collect();
    assert_eq!(seen, expected, "every delta once, in order");

    let done = room.settled().await;
    let reply = &done.messages[1];
    assert_eq!(reply.status, "done");
    assert_eq!(reply.content, text);
    let parsed = app::chat::reply::parse_reply(&reply.content, true);
    assert_eq!(parsed.text, "Here are two ideas.");
    assert_eq!(parsed.suggestions.len(), 1);
    // The model saw the system prompt and the message.
    let request = &fake.requests()[0];
    assert_eq!(request["model"], "fake-model");
    assert_eq!(request["messages"][0]["role"], "system");
    assert_eq!(
        request["messages"][1],
        json!({"role": "user", "content": "A lighthouse, please"})
    );
    assert_eq!(request["tools"][0]["function"]["name"], "propose_images");

    // A reader arriving after the end replays it all at once.
    let mut late = SseReader::new(SseReader::open(&room.user, &reply.id, None).await);
    let mut replay = String::new();
    while let Some(event) = late.next().await {
        if event.event == "delta" {
            replay.push_str(event.data["text"].as_str().unwrap());
        }
    }
    assert_eq!(replay, text);
}

#[tokio::test]
async fn stop_closes_the_models_request_and_keeps_what_was_written() {
    let mut script = THINK.to_vec();
    script.extend([Step::Text("llo"), Step::Gate, Step::Text(" never sent")]);
    let fake = FakeChat::start(script).await;
    let room = ChatRoom::start(&fake).await;
    let view = room.send(None, "hi").await;
    let reply = view.streaming().unwrap().id.clone();
    room.until(|m| m.content.ends_with("llo")).await;
    assert_eq!(fake.open_replies(), 1);

    let stopped: ChatView = room
        .user
        .call("/api/chats/stop", json!({"message_id": reply}))
        .await;
    let last = stopped.messages.last().unwrap();
    assert_eq!(last.status, "stopped");
    assert!(
        last.content.ends_with("Hello") || last.content.ends_with("llo"),
        "{}",
        last.content
    );
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while fake.open_replies() > 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the model's request stayed open"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Nothing arrives later.
    fake.release();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!room.get().await.messages[1].content.contains("never"));
}

#[tokio::test]
async fn failures_keep_what_was_written_with_their_kind() {
    let fake = FakeChat::start(vec![Step::Text("Half a rep"), Step::Die]).await;
    let room = ChatRoom::start(&fake).await;
    room.send(None, "go").await;
    let view = room.settled().await;
    let reply = &view.messages[1];
    assert_eq!(reply.status, "failed");
    assert_eq!(reply.content, "Half a rep");
    assert_eq!(reply.failure.as_ref().unwrap().kind, "transient");

    // A wrong key: nothing written, the kind says so.
    let wrong = server::testing::TestApp::builder()
        .var("OPENAI_API_KEY", "sk-wrong")
        .var("OPENAI_BASE_URL", format!("{}/v1", fake.base))
        .spawn()
        .await;
    let user = super::person::TestUser::sign_in(&wrong, "w@example.com").await;
    let chat: ChatSummary = user
        .call("/api/chats/create", json!({"model_id": "openai-chat"}))
        .await;
    user.call::<ChatView>(
        "/api/chats/send",
        json!({"chat_id": chat.id, "parent_id": null, "text": "hi"}),
    )
    .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let reply = loop {
        let view: ChatView = user
            .call("/api/chats/get", json!({"chat_id": chat.id}))
            .await;
        if view.streaming().is_none() {
            break view.messages[1].clone();
        }
        assert!(tokio::time::Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(30)).await;
    };
    assert_eq!(reply.status, "failed");
    assert_eq!(reply.failure.unwrap().kind, "auth");
}

#[tokio::test]
async fn edits_and_regenerations_make_siblings_and_a_fork_copies_the_path() {
    let fake = FakeChat::start(vec![Step::Text("First answer")]).await;
    let room = ChatRoom::start(&fake).await;
    room.send(None, "one").await;
    let first = room.settled().await;
    let (question, answer) = (first.messages[0].clone(), first.messages[1].clone());

    // A reply cannot be sent while another is written; regenerate makes a sibling.
    fake.set_script(vec![
        Step::Text("Second "),
        Step::Gate,
        Step::Text("answer"),
    ]);
    let again: ChatView = room
        .user
        .call("/api/chats/regenerate", json!({"message_id": answer.id}))
        .await;
    assert_eq!(again.messages.len(), 2);
    assert_eq!(again.messages[1].sibling_ids.len(), 2);
    let busy = room
        .user
        .json(
            "/api/chats/send",
            json!({"chat_id": room.chat.id, "parent_id": answer.id, "text": "x"}),
        )
        .await
        .err();
    assert_eq!(
        busy,
        AppError::Conflict {
            what: "chat_busy".into()
        }
    );
    fake.release();
    let again = room.settled().await;
    assert_eq!(again.messages[1].content, "Second answer");
    assert_eq!(again.messages[1].position(), 2);

    // Switching back shows the first reply, and the choice is remembered.
    let back: ChatView = room
        .user
        .call("/api/chats/select", json!({"message_id": answer.id}))
        .await;
    assert_eq!(back.messages[1].content, "First answer");
    assert_eq!(room.get().await.messages[1].position(), 1);

    // Editing the question makes a sibling of it, with its own reply.
    fake.set_script(vec![Step::Text("Edited answer")]);
    let edited = room.send(None, "one, edited").await;
    assert_eq!(edited.messages[0].sibling_ids.len(), 2);
    assert_ne!(edited.messages[0].id, question.id);
    let edited = room.settled().await;
    assert_eq!(edited.messages.len(), 2);

    // A fork holds exactly the path down to the chosen message.
    let fork: ChatSummary = room
        .user
        .call("/api/chats/fork", json!({"message_id": answer.id}))
        .await;
    let forked: ChatView = room
        .user
        .call("/api/chats/get", json!({"chat_id": fork.id}))
        .await;
    assert_eq!(forked.forked_from.as_deref(), Some(room.chat.id.as_str()));
    let contents: Vec<&str> = forked.messages.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(contents, ["one", "First answer"]);
    assert!(forked.messages.iter().all(|m| m.sibling_ids.len() == 1));

    // Newest first in the sidebar; search finds titles and message text.
    let list: ChatList = room
        .user
        .call("/api/chats/list", json!({"query": "", "page": 0}))
        .await;
    assert_eq!(list.chats.len(), 2);
    assert_eq!(list.chats[0].id, fork.id);
    let found: ChatList = room
        .user
        .call("/api/chats/list", json!({"query": "SECOND ANS", "page": 0}))
        .await;
    assert_eq!(
        found
            .chats
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>(),
        [room.chat.id.as_str()]
    );
    let none: ChatList = room
        .user
        .call("/api/chats/list", json!({"query": "zebra", "page": 0}))
        .await;
    assert!(none.chats.is_empty());
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_strangers_get_404() {
    let fake = FakeChat::start(vec![Step::Text("ok")]).await;
    let room = ChatRoom::start(&fake).await;
    let send = |text: String, parent: Option<&str>| {
        room.user.json(
            "/api/chats/send",
            json!({"chat_id": room.chat.id, "parent_id": parent, "text": text}),
        )
    };
    assert_eq!(
        send("   ".into(), None).await.err(),
        AppError::invalid("message", "error-reason-required")
    );
    assert_eq!(
        send("x".repeat(8001), None).await.err(),
        AppError::invalid("message", "error-reason-too-long")
    );
    assert_eq!(
        send("hi".into(), Some("00000000-0000-0000-0000-000000000000"))
            .await
            .err(),
        AppError::invalid("parent_id", "error-reason-unknown-message")
    );
    let renamed = room
        .user
        .json(
            "/api/chats/rename",
            json!({"chat_id": room.chat.id, "title": " "}),
        )
        .await
        .err();
    assert_eq!(renamed, AppError::invalid("title", "error-reason-required"));
    room.send(None, "hi").await;
    let view = room.settled().await;
    let message = view.messages[1].id.clone();

    let stranger = super::person::TestUser::sign_in(&room.app, "stranger@example.com").await;
    for (endpoint, body) in [
        ("/api/chats/get", json!({"chat_id": room.chat.id})),
        (
            "/api/chats/rename",
            json!({"chat_id": room.chat.id, "title": "mine"}),
        ),
        ("/api/chats/delete", json!({"chat_id": room.chat.id})),
        (
            "/api/chats/send",
            json!({"chat_id": room.chat.id, "parent_id": null, "text": "hi"}),
        ),
        ("/api/chats/regenerate", json!({"message_id": message})),
        ("/api/chats/stop", json!({"message_id": message})),
        ("/api/chats/select", json!({"message_id": message})),
        ("/api/chats/fork", json!({"message_id": message})),
        (
            "/api/chats/generate",
            json!({"message_id": message, "suggestion_index": 0, "model_id": "local-image", "prompt": "x", "params": "{}"}),
        ),
    ] {
        assert_eq!(
            stranger.json(endpoint, body).await.err(),
            AppError::NotFound,
            "{endpoint}"
        );
    }
    let stream = SseReader::open(&stranger, &message, None).await;
    assert_eq!(stream.status(), 404);
    let theirs: ChatList = stranger
        .call("/api/chats/list", json!({"query": "", "page": 0}))
        .await;
    assert!(theirs.chats.is_empty());

    // Deleting removes the chat for its owner too.
    room.user
        .json("/api/chats/delete", json!({"chat_id": room.chat.id}))
        .await
        .ok();
    assert_eq!(
        room.user
            .json("/api/chats/get", json!({"chat_id": room.chat.id}))
            .await
            .err(),
        AppError::NotFound
    );
}
