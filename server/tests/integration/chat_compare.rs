//! Comparing models on a suggestion: 2 to 4 image models generate the same
//! prompt at once, each an ordinary job charged once, remembered on the reply
//! as one comparison; refused as a whole when the caller cannot pay for all.

use app::chat::view::ChatView;
use app::credits::ledger::{self, Kind};
use app::error::AppError;
use app::generation::jobs::JobView;
use serde_json::json;

use super::chat_support::{ChatRoom, FakeChat, Step};
use super::jobs_support::ledger_rows;

const ONE: &str = r#"One idea.<images>[{"title": "Dusk", "prompt": "a lighthouse at dusk", "aspect_ratio": "16:9"}]</images>"#;

#[tokio::test]
async fn two_to_four_models_generate_side_by_side_each_charged_once() {
    let fake = FakeChat::start(vec![Step::Text(ONE)]).await;
    let room = ChatRoom::start(&fake).await;
    let state = room.app.state.clone();
    ledger::grant(
        &state.db,
        room.user.id,
        10,
        Kind::Grant,
        "test",
        None,
        state.clock.now(),
    )
    .await
    .unwrap();
    room.send(None, "a lighthouse").await;
    let reply = room.settled().await.messages[1].id.clone();
    let compare = |models: Vec<&str>| {
        room.user.json(
            "/api/chats/compare",
            json!({"message_id": reply, "suggestion_index": 0, "model_ids": models,
                   "prompt": "a lighthouse at dusk", "aspect_ratio": "16:9"}),
        )
    };
    for (models, reason) in [
        (vec!["local-image"], "error-reason-compare-count"),
        (
            vec![
                "local-image",
                "gpt-image",
                "local-image",
                "gpt-image",
                "local-image",
            ],
            "error-reason-compare-count",
        ),
        (
            vec!["local-image", "local-image"],
            "error-reason-compare-repeated",
        ),
        (
            vec!["local-image", "local-edit"],
            "error-reason-not-an-image-model",
        ),
    ] {
        assert_eq!(
            compare(models.clone()).await.err(),
            AppError::invalid("model_ids", reason),
            "{models:?}"
        );
    }
    assert_eq!(ledger::balance(&state.db, room.user.id).await.unwrap(), 10);

    // local-image (1) and gpt-image (7), each asked for 16:9 in its own terms.
    let jobs: Vec<JobView> = compare(vec!["local-image", "gpt-image"]).await.view();
    let models: Vec<&str> = jobs.iter().map(|j| j.model_id.as_str()).collect();
    assert_eq!(models, ["local-image", "gpt-image"]);
    assert_eq!(jobs.iter().map(|j| j.price).collect::<Vec<_>>(), [1, 7]);
    assert!(jobs.iter().all(|j| j.prompt == "a lighthouse at dusk"));
    let gpt: serde_json::Value = serde_json::from_str(&jobs[1].params).unwrap();
    assert_eq!(gpt["size"], "1536x1024");
    for job in &jobs {
        assert_eq!(ledger_rows(&state, &job.id, "charge").await, 1);
    }
    assert_eq!(ledger::balance(&state.db, room.user.id).await.unwrap(), 2);

    // Remembered as one comparison, apart from the card's own generation.
    let shown: ChatView = room.get().await;
    let images = &shown.messages[1].images;
    assert_eq!(images.len(), 2);
    assert!(images[0].compare_group.is_some());
    assert_eq!(images[0].compare_group, images[1].compare_group);

    // Not enough for both: nothing starts.
    assert_eq!(
        compare(vec!["local-image", "gpt-image"]).await.err(),
        AppError::InsufficientCredits {
            needed: 8,
            balance: 2
        }
    );
    assert_eq!(room.get().await.messages[1].images.len(), 2);
}
