//! Suggestions to generations: eight cards generated at once are eight
//! ordinary jobs, each charged once, remembered on the reply; one the
//! provider refuses is refunded once.

use app::chat::images::suggestion_params;
use app::chat::reply::parse_reply;
use app::chat::view::ChatView;
use app::credits::ledger::{self, Kind};
use app::error::AppError;
use app::generation::jobs::JobView;
use app::generation::jobs::worker::run_due_jobs_once;
use serde_json::json;

use super::chat_support::{ChatRoom, FakeChat, Step};
use super::jobs_support::{fast_worker_state, ledger_rows};

const EIGHT: &str = r#"Eight ideas.<images>[
{"title": "1", "prompt": "a lighthouse, one", "aspect_ratio": "1:1"},
{"title": "2", "prompt": "a lighthouse, two", "aspect_ratio": "16:9"},
{"title": "3", "prompt": "a lighthouse, three", "aspect_ratio": "9:16"},
{"title": "4", "prompt": "a forbidden lighthouse", "aspect_ratio": "4:3"},
{"title": "5", "prompt": "a lighthouse, five", "aspect_ratio": "3:4"},
{"title": "6", "prompt": "a lighthouse, six", "aspect_ratio": "21:9"},
{"title": "7", "prompt": "a lighthouse, seven", "aspect_ratio": "2:3"},
{"title": "8", "prompt": "a lighthouse, eight", "aspect_ratio": "5:4"}]</images>"#;

#[tokio::test]
async fn eight_cards_generate_at_once_each_charged_once_and_a_refused_one_refunded_once() {
    let fake = FakeChat::start(vec![Step::Text(EIGHT)]).await;
    let room = ChatRoom::start_with(&fake, &[("LOCAL_MODERATION_WORDS", "forbidden")]).await;
    let state = room.app.state.clone();
    ledger::grant(
        &state.db,
        room.user.id,
        100,
        Kind::Grant,
        "test",
        None,
        state.clock.now(),
    )
    .await
    .unwrap();
    room.send(None, "lighthouses").await;
    let view = room.settled().await;
    let reply = view.messages[1].clone();
    let suggestions = parse_reply(&reply.content, true).suggestions;
    assert_eq!(suggestions.len(), 8);

    let local = app::catalog::find_model("local-image").unwrap();
    let calls = suggestions.iter().enumerate().map(|(i, s)| {
        room.user.call::<JobView>(
            "/api/chats/generate",
            json!({
                "message_id": reply.id,
                "suggestion_index": i,
                "model_id": "local-image",
                "prompt": s.prompt,
                "params": suggestion_params(&local, &s.aspect_ratio),
            }),
        )
    });
    let jobs: Vec<JobView> = futures::future::join_all(calls).await;
    assert_eq!(jobs.len(), 8);
    assert!(jobs.iter().all(|j| j.status == "queued" && j.price == 1));
    assert_eq!(ledger::balance(&state.db, room.user.id).await.unwrap(), 92);
    for job in &jobs {
        assert_eq!(ledger_rows(&state, &job.id, "charge").await, 1);
    }
    // The reply remembers which card started which job.
    let shown: ChatView = room.get().await;
    let mut indices: Vec<u32> = shown.messages[1]
        .images
        .iter()
        .map(|i| i.suggestion_index)
        .collect();
    indices.sort();
    assert_eq!(indices, (0..8).collect::<Vec<u32>>());
    let params: serde_json::Value = serde_json::from_str(&jobs[1].params).unwrap();
    assert_eq!(
        params["aspect_ratio"], "16:9",
        "the card's shape reached the job"
    );

    // A card the reply does not have is refused by name.
    let missing = room
        .user
        .json(
            "/api/chats/generate",
            json!({"message_id": reply.id, "suggestion_index": 8, "model_id": "local-image", "prompt": "x", "params": "{}"}),
        )
        .await
        .err();
    assert_eq!(
        missing,
        AppError::invalid("suggestion_index", "error-reason-unknown-suggestion")
    );

    run_due_jobs_once(&fast_worker_state(&state), "test-worker")
        .await
        .unwrap();
    for (i, job) in jobs.iter().enumerate() {
        let now: JobView = room
            .user
            .form("/api/generations/get", &[("id", job.id.as_str())])
            .await
            .view();
        if i == 3 {
            assert_eq!(now.status, "failed");
            assert!(now.refunded);
            assert_eq!(ledger_rows(&state, &job.id, "refund").await, 1);
        } else {
            assert_eq!(now.status, "succeeded", "{now:?}");
        }
    }
    assert_eq!(ledger::balance(&state.db, room.user.id).await.unwrap(), 93);
}

#[tokio::test]
async fn auto_generation_is_a_chat_switch_and_starts_each_card_once() {
    let fake = FakeChat::start(vec![Step::Text(EIGHT)]).await;
    let room = ChatRoom::start(&fake).await;
    let state = room.app.state.clone();
    ledger::grant(
        &state.db,
        room.user.id,
        20,
        Kind::Grant,
        "test",
        None,
        state.clock.now(),
    )
    .await
    .unwrap();
    assert!(!room.chat.auto_generate, "off for a new chat");
    let on: app::chat::view::ChatSummary = room
        .user
        .call(
            "/api/chats/auto-generate",
            json!({"chat_id": room.chat.id, "on": true}),
        )
        .await;
    assert!(on.auto_generate);
    assert!(room.get().await.chat.auto_generate, "stored on the chat");
    let stranger = super::person::TestUser::sign_in(&room.app, "stranger@example.com").await;
    assert_eq!(
        stranger
            .json(
                "/api/chats/auto-generate",
                json!({"chat_id": room.chat.id, "on": false}),
            )
            .await
            .err(),
        AppError::NotFound
    );

    room.send(None, "lighthouses").await;
    let reply = room.settled().await.messages[1].clone();
    let local = app::catalog::find_model("local-image").unwrap();
    let generate = |auto: bool| {
        room.user.call::<JobView>(
            "/api/chats/generate",
            json!({
                "message_id": reply.id,
                "suggestion_index": 2,
                "model_id": "local-image",
                "prompt": "a lighthouse, three",
                "params": suggestion_params(&local, "9:16"),
                "auto": auto,
            }),
        )
    };
    // Two tabs auto-generating the same card: one job, charged once.
    let first = generate(true).await;
    let again = generate(true).await;
    assert_eq!(first.id, again.id);
    assert_eq!(ledger_rows(&state, &first.id, "charge").await, 1);
    assert_eq!(ledger::balance(&state.db, room.user.id).await.unwrap(), 19);
    // Generate (not auto) always starts a new one.
    let manual = generate(false).await;
    assert_ne!(manual.id, first.id);
    assert_eq!(ledger::balance(&state.db, room.user.id).await.unwrap(), 18);

    // A fork keeps the switch.
    let fork: app::chat::view::ChatSummary = room
        .user
        .call("/api/chats/fork", json!({"message_id": reply.id}))
        .await;
    assert!(fork.auto_generate);
}
