//! The hostile pass as a suite: every registered server function called signed
//! out, as a plain user where it is for admins, and as a stranger against
//! another account's things. The table below must name exactly the functions
//! the server registers, so a new one cannot be forgotten.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use server::testing::TestApp;

use super::jobs_support::Studio;
use super::library_support::{collection, project, upload_png};
use super::person::TestUser;

/// Who may call a server function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    /// Anyone (signing in, the session's own state, the local outbox).
    Nobody,
    /// A signed-in account.
    Session,
    /// An admin.
    Admin,
    /// Anyone on this machine of a local install (the mail outbox; a request
    /// from elsewhere is refused: `hardening.rs` checks that).
    ThisMachine,
}

/// How a server function reads its arguments.
#[derive(Debug, Clone, Copy)]
enum Body {
    Form(&'static [(&'static str, &'static str)]),
    Json,
}

/// Every server function: its path under `/api/`, who may call it, and
/// arguments that decode (so the refusal is about who calls, not what).
/// `{owner}`, `{job}`, … are filled in with the owner's real ids.
const TABLE: &[(&str, Needs, Body)] = &[
    (
        "auth/request-code",
        Needs::Nobody,
        Body::Form(&[("email", "x@example.com")]),
    ),
    (
        "auth/verify-code",
        Needs::Nobody,
        Body::Form(&[("email", "x@example.com"), ("code", "000000")]),
    ),
    ("auth/options", Needs::Nobody, Body::Form(&[])),
    ("auth/me", Needs::Nobody, Body::Form(&[])),
    (
        "passkeys/sign-in/start",
        Needs::Nobody,
        Body::Form(&[("conditional", "false")]),
    ),
    (
        "passkeys/sign-in/finish",
        Needs::Nobody,
        Body::Form(&[("credential", "{}")]),
    ),
    ("outbox/list", Needs::ThisMachine, Body::Form(&[])),
    (
        "profile/update",
        Needs::Session,
        Body::Form(&[("display_name", "Mallory"), ("locale", "en")]),
    ),
    ("profile/sessions", Needs::Session, Body::Form(&[])),
    (
        "profile/sessions/revoke",
        Needs::Session,
        Body::Form(&[("id", "{session}")]),
    ),
    ("passkeys/register/start", Needs::Session, Body::Form(&[])),
    (
        "passkeys/register/finish",
        Needs::Session,
        Body::Form(&[("name", "k"), ("credential", "{}")]),
    ),
    ("passkeys/list", Needs::Session, Body::Form(&[])),
    (
        "passkeys/rename",
        Needs::Session,
        Body::Form(&[("id", "{passkey}"), ("name", "k")]),
    ),
    (
        "passkeys/delete",
        Needs::Session,
        Body::Form(&[("id", "{passkey}")]),
    ),
    ("models/list", Needs::Session, Body::Form(&[])),
    (
        "models/price",
        Needs::Session,
        Body::Form(&[("model_id", "local-image"), ("params", "{}")]),
    ),
    ("credits/mine", Needs::Session, Body::Form(&[("page", "0")])),
    (
        "generations/create",
        Needs::Session,
        Body::Form(&[
            ("model_id", "local-image"),
            ("prompt", "p"),
            ("params", "{}"),
        ]),
    ),
    (
        "generations/list",
        Needs::Session,
        Body::Form(&[("page", "0")]),
    ),
    (
        "generations/get",
        Needs::Session,
        Body::Form(&[("id", "{job}")]),
    ),
    (
        "generations/cancel",
        Needs::Session,
        Body::Form(&[("id", "{job}")]),
    ),
    (
        "generations/retry",
        Needs::Session,
        Body::Form(&[("id", "{job}")]),
    ),
    ("library/tree", Needs::Session, Body::Json),
    ("library/projects/create", Needs::Session, Body::Json),
    ("library/projects/rename", Needs::Session, Body::Json),
    ("library/projects/delete", Needs::Session, Body::Json),
    ("library/collections/get", Needs::Session, Body::Json),
    ("library/collections/create", Needs::Session, Body::Json),
    ("library/collections/rename", Needs::Session, Body::Json),
    ("library/collections/delete", Needs::Session, Body::Json),
    ("library/items/list", Needs::Session, Body::Json),
    ("library/items/get", Needs::Session, Body::Json),
    ("library/items/rename", Needs::Session, Body::Json),
    ("library/items/transfer", Needs::Session, Body::Json),
    ("library/items/delete", Needs::Session, Body::Json),
    ("library/shares/add", Needs::Session, Body::Json),
    ("library/shares/list", Needs::Session, Body::Json),
    ("library/shares/revoke", Needs::Session, Body::Json),
    ("uploads/start", Needs::Session, Body::Json),
    ("uploads/status", Needs::Session, Body::Json),
    ("uploads/complete", Needs::Session, Body::Json),
    ("uploads/abort", Needs::Session, Body::Json),
    (
        "admin/users/list",
        Needs::Admin,
        Body::Form(&[("query", "")]),
    ),
    (
        "admin/users/role",
        Needs::Admin,
        Body::Form(&[("user_id", "{owner}"), ("role", "admin")]),
    ),
    (
        "admin/users/disabled",
        Needs::Admin,
        Body::Form(&[("user_id", "{owner}"), ("disabled", "true")]),
    ),
    (
        "admin/credits/adjust",
        Needs::Admin,
        Body::Form(&[("user_id", "{owner}"), ("amount", "5"), ("reason", "x")]),
    ),
    (
        "admin/credits/ledger",
        Needs::Admin,
        Body::Form(&[
            ("filter[email]", ""),
            ("filter[kind]", ""),
            ("filter[from]", ""),
            ("filter[to]", ""),
            ("page", "0"),
        ]),
    ),
    (
        "admin/credits/summary",
        Needs::Admin,
        Body::Form(&[
            ("filter[email]", ""),
            ("filter[kind]", ""),
            ("filter[from]", ""),
            ("filter[to]", ""),
            ("period", "day"),
        ]),
    ),
    ("admin/credits/reconcile", Needs::Admin, Body::Form(&[])),
    ("admin/models/list", Needs::Admin, Body::Form(&[])),
    (
        "admin/models/save",
        Needs::Admin,
        Body::Form(&[
            ("model_id", "local-image"),
            ("enabled", "false"),
            ("formula", ""),
        ]),
    ),
    (
        "admin/models/test-price",
        Needs::Admin,
        Body::Form(&[
            ("model_id", "local-image"),
            ("formula", "1"),
            ("params", "{}"),
        ]),
    ),
    (
        "admin/models/check-provider",
        Needs::Admin,
        Body::Form(&[("provider", "fal")]),
    ),
    ("credits/spending", Needs::Session, Body::Form(&[])),
    (
        "credits/spending-cap",
        Needs::Session,
        Body::Form(&[("daily_cap", "5")]),
    ),
    ("chats/list", Needs::Session, Body::Json),
    ("chats/create", Needs::Session, Body::Json),
    ("chats/get", Needs::Session, Body::Json),
    ("chats/rename", Needs::Session, Body::Json),
    ("chats/delete", Needs::Session, Body::Json),
    ("chats/select", Needs::Session, Body::Json),
    ("chats/auto-generate", Needs::Session, Body::Json),
    ("chats/cost", Needs::Session, Body::Json),
    ("chats/send", Needs::Session, Body::Json),
    ("chats/regenerate", Needs::Session, Body::Json),
    ("chats/stop", Needs::Session, Body::Json),
    ("chats/fork", Needs::Session, Body::Json),
    ("chats/generate", Needs::Session, Body::Json),
    ("chats/compare", Needs::Session, Body::Json),
    ("admin/chats/list", Needs::Admin, Body::Json),
    ("admin/chats/get", Needs::Admin, Body::Json),
    // Last: these end the stranger's own session.
    ("auth/sign-out-everywhere", Needs::Session, Body::Form(&[])),
    ("auth/sign-out", Needs::Nobody, Body::Form(&[])),
];

/// The owner's things a stranger aims at.
struct Owned {
    owner: String,
    job: String,
    project: String,
    collection: String,
    item: String,
    upload: String,
    share: String,
    chat: String,
    /// The agent's reply in `chat`.
    reply: String,
    /// Names that must never appear in what a stranger gets.
    secrets: Vec<String>,
}

fn fill(text: &str, owned: &Owned) -> String {
    text.replace("{owner}", &owned.owner)
        .replace("{job}", &owned.job)
        .replace("{session}", &owned.job)
        .replace("{passkey}", &owned.job)
}

/// The JSON arguments of a library or upload function, aimed at `owned`.
fn json_body(path: &str, owned: &Owned) -> Value {
    match path {
        "library/tree" => json!({}),
        "library/projects/create" => json!({"name": "mine now"}),
        "library/projects/rename" => json!({"project_id": owned.project, "name": "mine now"}),
        "library/projects/delete" => json!({"project_id": owned.project}),
        "library/collections/get" | "library/collections/delete" => {
            json!({"collection_id": owned.collection})
        }
        "library/collections/create" => json!({"project_id": owned.project, "name": "x"}),
        "library/collections/rename" => json!({"collection_id": owned.collection, "name": "x"}),
        "library/items/list" => json!({"query": {"collection_id": owned.collection, "page": 0}}),
        "library/items/get" => json!({"item_id": owned.item}),
        "library/items/rename" => json!({"item_id": owned.item, "name": "x"}),
        "library/items/transfer" => {
            json!({"item_ids": [owned.item], "collection_id": owned.collection, "copy": true})
        }
        "library/items/delete" => json!({"item_ids": [owned.item]}),
        "library/shares/add" => {
            json!({"target": "project", "target_id": owned.project, "email": "mallory@example.com", "role": "collaborator"})
        }
        "library/shares/list" => json!({"target": "project", "target_id": owned.project}),
        "library/shares/revoke" => json!({"share_id": owned.share}),
        "uploads/start" => {
            json!({"file_name": "a.png", "content_type": "image/png", "size": 10, "collection_id": owned.collection})
        }
        "uploads/status" | "uploads/complete" | "uploads/abort" => {
            json!({"upload_id": owned.upload})
        }
        "chats/list" | "admin/chats/list" => json!({"query": "", "page": 0}),
        "chats/create" => json!({"model_id": ""}),
        "chats/get" | "chats/delete" | "admin/chats/get" => json!({"chat_id": owned.chat}),
        "chats/rename" => json!({"chat_id": owned.chat, "title": "mine now"}),
        "chats/auto-generate" => json!({"chat_id": owned.chat, "on": true}),
        "chats/cost" => json!({"chat_id": owned.chat, "model_id": "", "variants": 1}),
        "chats/send" => json!({"chat_id": owned.chat, "parent_id": owned.reply, "text": "hi"}),
        "chats/select" | "chats/regenerate" | "chats/stop" | "chats/fork" => {
            json!({"message_id": owned.reply})
        }
        "chats/generate" => {
            json!({"message_id": owned.reply, "suggestion_index": 0, "model_id": "local-image", "prompt": "p", "params": "{}"})
        }
        "chats/compare" => {
            json!({"message_id": owned.reply, "suggestion_index": 0, "model_ids": ["local-image", "gpt-image"], "prompt": "p", "aspect_ratio": "1:1"})
        }
        other => panic!("no JSON arguments for {other}"),
    }
}

async fn call(
    who: Option<&TestUser>,
    app: &TestApp,
    path: &str,
    body: Body,
    owned: &Owned,
) -> (u16, String) {
    let url = app.url(&format!("/api/{path}"));
    let client = super::auth_support::client();
    let mut request = client.post(url);
    if let Some(who) = who {
        request = request.header(reqwest::header::COOKIE, who.cookie());
    }
    let request = match body {
        Body::Form(form) => {
            let form: Vec<(String, String)> = form
                .iter()
                .map(|(k, v)| (k.to_string(), fill(v, owned)))
                .collect();
            request.form(&form)
        }
        Body::Json => request.json(&json_body(path, owned)),
    };
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn owner_with_things(studio: &Studio) -> Owned {
    let owner = &studio.user;
    let job = studio
        .created("local-image", "a private kite", "{}", None)
        .await;
    let project = project(owner, "Secret project").await;
    let collection = collection(owner, &project.id, "Secret collection").await;
    let item = upload_png(owner, "secret-item", Some(&collection.id)).await;
    let upload: Value = owner
        .json(
            "/api/uploads/start",
            json!({"file_name": "b.png", "content_type": "image/png", "size": 10, "collection_id": collection.id}),
        )
        .await
        .ok();
    let friend = TestUser::sign_in(&studio.app, "friend@example.com").await;
    let share: Value = owner
        .json(
            "/api/library/shares/add",
            json!({"target": "project", "target_id": project.id, "email": friend.email, "role": "viewer"}),
        )
        .await
        .ok();
    let chat: Value = owner
        .json("/api/chats/create", json!({"model_id": "local-chat"}))
        .await
        .ok();
    let chat_id = chat["id"].as_str().unwrap().to_string();
    let sent: Value = owner
        .json(
            "/api/chats/send",
            json!({"chat_id": chat_id, "parent_id": null, "text": "a private kite chat"}),
        )
        .await
        .ok();
    let reply = sent["messages"][1]["id"].as_str().unwrap().to_string();
    Owned {
        owner: owner.id.to_string(),
        job: job.id,
        project: project.id,
        collection: collection.id,
        item: item.id,
        upload: upload["id"].as_str().unwrap().to_string(),
        share: share["id"].as_str().unwrap().to_string(),
        chat: chat_id,
        reply,
        secrets: vec![
            "a private kite".into(),
            "Secret project".into(),
            "Secret collection".into(),
            "secret-item".into(),
            owner.email.clone(),
        ],
    }
}

#[tokio::test]
async fn the_table_names_every_registered_server_function() {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    let listed: BTreeSet<String> = TABLE.iter().map(|(p, _, _)| p.to_string()).collect();
    assert_eq!(listed.len(), TABLE.len(), "a path is listed twice");
    assert_eq!(
        registered, listed,
        "a server function was added or removed: give it a row in TABLE"
    );
}

#[tokio::test]
async fn signed_out_callers_and_plain_users_are_refused_and_strangers_see_nothing() {
    let studio = Studio::start(TestApp::builder(), 100).await;
    let app = &studio.app;
    let owned = owner_with_things(&studio).await;
    let stranger = TestUser::sign_in(app, "mallory@example.com").await;
    let before: Value = studio.user.json("/api/library/tree", json!({})).await.ok();

    for &(path, needs, body) in TABLE {
        // Signed out.
        let (status, text) = call(None, app, path, body, &owned).await;
        match needs {
            Needs::Nobody => assert_ne!(status, 500, "{path}: {text}"),
            Needs::ThisMachine => assert_eq!(status, 200, "{path}: {text}"),
            Needs::Session | Needs::Admin => {
                assert_eq!(status, 401, "{path} signed out: {text}")
            }
        }
        // A stranger: refused as a non-admin, or kept away from the owner's things.
        let (status, text) = call(Some(&stranger), app, path, body, &owned).await;
        match needs {
            Needs::Admin => assert_eq!(status, 403, "{path} as a user: {text}"),
            // The outbox is every local account's mail by design.
            Needs::ThisMachine => assert_eq!(status, 200, "{path}: {text}"),
            Needs::Session | Needs::Nobody => {
                assert_ne!(status, 500, "{path} as a stranger: {text}");
                if status == 200 {
                    // Only what is the stranger's own (their tree, their new project).
                    for secret in &owned.secrets {
                        assert!(!text.contains(secret), "{path} leaked {secret}: {text}");
                    }
                } else {
                    assert!(
                        matches!(status, 400 | 402 | 403 | 404 | 409 | 429),
                        "{path} as a stranger: {status} {text}"
                    );
                }
            }
        }
    }
    // The owner's things are as they were.
    let after: Value = studio.user.json("/api/library/tree", json!({})).await.ok();
    assert_eq!(before, after);
    let job = studio.generation(&owned.job).await;
    assert_ne!(job.status, "cancelled");
}
