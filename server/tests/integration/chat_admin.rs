//! Admin › Chats: admins read every account's chats (searched by email,
//! title or message text) with every branch; anyone else is refused.

use app::admin::chats::{AdminChatDetail, AdminChatList};
use app::error::AppError;
use serde_json::json;

use super::chat_support::{ChatRoom, FakeChat, Step};
use super::person::TestUser;

#[tokio::test]
async fn admins_read_another_accounts_chat_with_its_branches_and_others_are_refused() {
    let fake = FakeChat::start(vec![Step::Text("A lighthouse answer")]).await;
    let room = ChatRoom::start(&fake).await;
    room.send(None, "a lighthouse at dusk").await;
    let first = room.settled().await;
    let answer = first.messages[1].id.clone();
    // A second version of the reply: a branch.
    fake.set_script(vec![Step::Text("Another answer")]);
    let _: app::chat::view::ChatView = room
        .user
        .call("/api/chats/regenerate", json!({"message_id": answer}))
        .await;
    room.settled().await;

    // The owner is no admin: refused on the server, and the page answers 403.
    for (endpoint, body) in [
        ("/api/admin/chats/list", json!({"query": "", "page": 0})),
        ("/api/admin/chats/get", json!({"chat_id": room.chat.id})),
    ] {
        assert_eq!(
            room.user.json(endpoint, body).await.err(),
            AppError::Forbidden,
            "{endpoint}"
        );
    }
    let page = reqwest::Client::new()
        .get(room.user.url("/admin/chats"))
        .header("cookie", room.user.cookie())
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 403);

    let admin = TestUser::sign_in(&room.app, "admin@example.com").await;
    let all: AdminChatList = admin
        .call("/api/admin/chats/list", json!({"query": "", "page": 0}))
        .await;
    assert_eq!(all.chats.len(), 1);
    assert_eq!(all.chats[0].id, room.chat.id);
    assert_eq!(all.chats[0].owner_email, "chatter@example.com");
    for query in ["CHATTER@", "another ANSWER", "at dusk"] {
        let found: AdminChatList = admin
            .call("/api/admin/chats/list", json!({"query": query, "page": 0}))
            .await;
        assert_eq!(found.chats.len(), 1, "{query}");
    }
    let none: AdminChatList = admin
        .call("/api/admin/chats/list", json!({"query": "zebra", "page": 0}))
        .await;
    assert!(none.chats.is_empty());

    let detail: AdminChatDetail = admin
        .call("/api/admin/chats/get", json!({"chat_id": room.chat.id}))
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
        .get(admin.url(&format!("/admin/chats?c={}", room.chat.id)))
        .header("cookie", admin.cookie())
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
}
