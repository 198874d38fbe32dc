//! The personal daily spending cap: set on the profile, honoured by every
//! charge in the ledger (a charge past today's cap is refused saying the cap
//! and what is left; refunds count back), by generation jobs and by chat
//! messages before they are sent.

use app::chat::cost::MessageCost;
use app::credits::ledger::{self, CreditsError, EntityRef, Kind};
use app::credits::spending::Spending;
use app::error::AppError;
use app::generation::jobs::JobView;
use serde_json::json;

use super::chat_support::{ChatRoom, FakeChat, Step};

fn job(id: &str) -> EntityRef {
    EntityRef {
        kind: "job".into(),
        id: id.into(),
    }
}

#[tokio::test]
async fn charges_past_the_daily_cap_are_refused_under_it_succeed_and_refunds_count_back() {
    let fake = FakeChat::start(vec![Step::Text("ok")]).await;
    let room = ChatRoom::start(&fake).await;
    let (state, user) = (room.app.state.clone(), &room.user);
    let now = state.clock.now();
    ledger::grant(&state.db, user.id, 100, Kind::Grant, "test", None, now)
        .await
        .unwrap();

    // Bad input names the field; no cap at first.
    let typo = user
        .form("/api/credits/spending-cap", &[("daily_cap", "ten")])
        .await
        .err();
    assert_eq!(
        typo,
        AppError::invalid("daily_cap", "error-reason-daily-cap")
    );
    let negative = user
        .form("/api/credits/spending-cap", &[("daily_cap", "-1")])
        .await
        .err();
    assert_eq!(
        negative,
        AppError::invalid("daily_cap", "error-reason-daily-cap")
    );
    let none: Spending = user.form("/api/credits/spending", &[]).await.view();
    assert_eq!((none.daily_cap, none.left_today), (None, None));

    let set: Spending = user
        .form("/api/credits/spending-cap", &[("daily_cap", " 10 ")])
        .await
        .view();
    assert_eq!(set.daily_cap, Some(10));
    assert_eq!(set.left_today, Some(10));

    // Under the cap succeeds; past it is refused, saying the cap and what is left.
    ledger::charge_for(&state.db, user.id, &job("a"), 6, "cap-a", "a", now)
        .await
        .unwrap();
    let refused = ledger::charge_for(&state.db, user.id, &job("b"), 5, "cap-b", "b", now)
        .await
        .unwrap_err();
    assert_eq!(refused, CreditsError::DailyCap { cap: 10, left: 4 });
    assert_eq!(
        AppError::from(refused),
        AppError::SpendingCap { cap: 10, left: 4 }
    );
    assert_eq!(ledger::balance(&state.db, user.id).await.unwrap(), 94);
    // Exactly up to the cap is allowed.
    ledger::charge_for(&state.db, user.id, &job("c"), 4, "cap-c", "c", now)
        .await
        .unwrap();
    let spending: Spending = user.form("/api/credits/spending", &[]).await.view();
    assert_eq!((spending.spent_today, spending.left_today), (10, Some(0)));

    // A refund counts back: the refunded credits may be spent again today.
    ledger::refund_charge(&state.db, &job("a"), "failed", now)
        .await
        .unwrap();
    ledger::charge_for(&state.db, user.id, &job("b"), 5, "cap-b", "b", now)
        .await
        .unwrap();
    assert_eq!(
        ledger::charge_for(&state.db, user.id, &job("d"), 2, "cap-d", "d", now)
            .await
            .unwrap_err(),
        CreditsError::DailyCap { cap: 10, left: 1 }
    );
    // Grants and admin deductions are not spending; tomorrow starts afresh.
    ledger::deduct(&state.db, user.id, 3, "fix", None, now)
        .await
        .unwrap();
    let tomorrow = now + chrono::Duration::days(1);
    ledger::charge_for(&state.db, user.id, &job("e"), 9, "cap-e", "e", tomorrow)
        .await
        .unwrap();
    assert!(ledger::reconcile(&state.db).await.unwrap().is_empty());

    // Generation jobs go through the same ledger: 1 credit is left today,
    // so one image (1 credit) is queued and the next is refused.
    let generate = || {
        user.form(
            "/api/generations/create",
            &[
                ("model_id", "local-image"),
                ("prompt", "a lighthouse"),
                ("params", "{}"),
            ],
        )
    };
    let queued: JobView = generate().await.view();
    assert_eq!(queued.price, 1);
    assert_eq!(
        generate().await.err(),
        AppError::SpendingCap { cap: 10, left: 0 }
    );

    // Removing the cap lifts it.
    let lifted: Spending = user
        .form("/api/credits/spending-cap", &[("daily_cap", "")])
        .await
        .view();
    assert_eq!(lifted.daily_cap, None);
    ledger::charge_for(&state.db, user.id, &job("f"), 20, "cap-f", "f", now)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_message_that_could_cost_more_than_can_be_spent_is_refused_before_anything_is_stored() {
    use app::entities::model_setting;
    use sea_orm::{ActiveModelTrait, Set};

    // Each reply waits at the gate, so the charges are seen before the failures refund them.
    let fake = FakeChat::start(vec![Step::Text("Half"), Step::Gate, Step::Die]).await;
    let room = ChatRoom::start(&fake).await;
    let (state, user) = (room.app.state.clone(), &room.user);
    // An admin prices the chat model at 3 credits a reply.
    model_setting::ActiveModel {
        model_id: Set("openai-chat".into()),
        enabled: Set(true),
        formula: Set(Some("3".into())),
        updated_by: Set(None),
        updated_at: Set(state.clock.now()),
    }
    .insert(&state.db)
    .await
    .unwrap();
    ledger::grant(
        &state.db,
        user.id,
        10,
        Kind::Grant,
        "test",
        None,
        state.clock.now(),
    )
    .await
    .unwrap();

    let cost: MessageCost = user
        .call(
            "/api/chats/cost",
            json!({"chat_id": room.chat.id, "model_id": "", "variants": 4}),
        )
        .await;
    assert_eq!(
        (cost.agent, cost.images, cost.total, cost.balance),
        (3, 0, 12, 10)
    );
    assert!(!cost.affordable());
    let send = |variants: u32| {
        user.json(
            "/api/chats/send",
            json!({"chat_id": room.chat.id, "parent_id": null, "text": "hi", "variants": variants}),
        )
    };
    assert_eq!(
        send(4).await.err(),
        AppError::InsufficientCredits {
            needed: 12,
            balance: 10
        }
    );
    assert!(room.get().await.messages.is_empty());

    // Auto-generated images count too: eight per reply at the dearest shape (local-image: 1).
    let on: app::chat::view::ChatSummary = user
        .call(
            "/api/chats/auto-generate",
            json!({"chat_id": room.chat.id, "on": true}),
        )
        .await;
    assert!(on.auto_generate);
    let cost: MessageCost = user
        .call(
            "/api/chats/cost",
            json!({"chat_id": room.chat.id, "model_id": "", "variants": 1}),
        )
        .await;
    assert_eq!((cost.agent, cost.images, cost.total), (3, 8, 11));
    assert_eq!(
        send(1).await.err(),
        AppError::InsufficientCredits {
            needed: 11,
            balance: 10
        }
    );

    // The daily cap refuses too, saying the cap and what is left.
    let _: app::chat::view::ChatSummary = user
        .call(
            "/api/chats/auto-generate",
            json!({"chat_id": room.chat.id, "on": false}),
        )
        .await;
    let _: Spending = user
        .form("/api/credits/spending-cap", &[("daily_cap", "2")])
        .await
        .view();
    assert_eq!(
        send(1).await.err(),
        AppError::SpendingCap { cap: 2, left: 2 }
    );
    let _: Spending = user
        .form("/api/credits/spending-cap", &[("daily_cap", "")])
        .await
        .view();

    // Each reply's turn is charged; a reply that fails is refunded once.
    let sent: app::chat::view::ChatView = send(2).await.view();
    assert_eq!(sent.messages[1].sibling_ids.len(), 2);
    assert_eq!(ledger::balance(&state.db, user.id).await.unwrap(), 4);
    fake.release();
    fake.release();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while ledger::balance(&state.db, user.id).await.unwrap() != 10 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "both failed turns refunded"
        );
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    }
    let view = room.settled().await;
    assert_eq!(view.messages[1].status, "failed");
    assert!(ledger::reconcile(&state.db).await.unwrap().is_empty());
}
