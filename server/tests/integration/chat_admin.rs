//! Admin › Chats: admins read every account's chats (searched by email,
//! title or message text) with every branch; anyone else is refused.

use app::admin::chats::{AdminChatDetail, AdminChatList};
use app::chat::view::{ChatSummary, ChatView};
use app::error::AppError;
use serde_json::json;

use super::chat_support::{ChatRoom, FakeChat, Step};
use super::person::TestUser;

/// `who`'s chat once no reply in it is being written.
async fn settled(who: &TestUser, chat_id: &str) -> ChatView {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let view: ChatView = who
            .call("/api/chats/get", json!({"chat_id": chat_id}))
            .await;
        if view.streaming().is_none() {
            return view;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the reply never ended"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn admins_read_another_accounts_chat_with_its_branches_and_others_are_refused() {
    let fake = FakeChat::start(vec![Step::Text("A lighthouse answer")]).await;
    // The room's person is the install's first account: its admin.
    let room = ChatRoom::start(&fake).await;
    let admin = &room.user;
    let owner = TestUser::sign_in(&room.app, "painter@example.com").await;
    let chat: ChatSummary = owner
        .call("/api/chats/create", json!({"model_id": "openai-chat"}))
        .await;
    let _: ChatView = owner
        .call(
            "/api/chats/send",
            json!({"chat_id": chat.id, "parent_id": null, "text": "a lighthouse at dusk"}),
        )
        .await;
    let first = settled(&owner, &chat.id).await;
    let answer = first.messages[1].id.clone();
    // A second version of the reply: a branch.
    fake.set_script(vec![Step::Text("Another answer")]);
    let _: ChatView = owner
        .call("/api/chats/regenerate", json!({"message_id": answer}))
        .await;
    settled(&owner, &chat.id).await;

    // The owner is no admin: refused on the server, and the page answers 403.
    for (endpoint, body) in [
        ("/api/admin/chats/list", json!({"query": "", "page": 0})),
        ("/api/admin/chats/get", json!({"chat_id": chat.id})),
    ] {
        assert_eq!(
            owner.json(endpoint, body).await.err(),
            AppError::Forbidden,
            "{endpoint}"
        );
    }
    let page = reqwest::Client::new()
        .get(owner.url("/admin/chats"))
        .header("cookie", owner.cookie())
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 403);

    // The admin sees every account's chats: the room's own (empty) and the painter's.
    let all: AdminChatList = admin
        .call("/api/admin/chats/list", json!({"query": "", "page": 0}))
        .await;
    assert_eq!(all.chats.len(), 2);
    assert_eq!(all.chats[0].id, chat.id, "most recently active first");
    assert_eq!(all.chats[0].owner_email, "painter@example.com");
    for query in ["PAINTER@", "another ANSWER", "at dusk"] {
        let found: AdminChatList = admin
            .call("/api/admin/chats/list", json!({"query": query, "page": 0}))
            .await;
        let ids: Vec<&str> = found.chats.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, [chat.id.as_str()], "{query}");
    }
    let none: AdminChatList = admin
        .call(
            "/api/admin/chats/list",
            json!({"query": "zebra", "page": 0}),
        )
        .await;
    assert!(none.chats.is_empty());

    let detail: AdminChatDetail = admin
        .call("/api/admin/chats/get", json!({"chat_id": chat.id}))
        .await;
    let rows: Vec<(u32, &str, u32, u32, bool)> = detail
        .messages
        .iter()
        .map(|m| (m.depth, m.content.as_str(), m.position, m.siblings, m.shown))
        .collect();
    assert_eq!(
        rows,
        [
            (0, "a lighthouse at dusk", 1, 1, true),
            (1, "A lighthouse answer", 1, 2, false),
            (1, "Another answer", 2, 2, true),
        ]
    );
    let missing = admin
        .json(
            "/api/admin/chats/get",
            json!({"chat_id": "00000000-0000-0000-0000-000000000000"}),
        )
        .await
        .err();
    assert_eq!(missing, AppError::NotFound);
    let page = reqwest::Client::new()
        .get(admin.url(&format!("/admin/chats?c={}", chat.id)))
        .header("cookie", admin.cookie())
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
}
