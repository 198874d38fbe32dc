//! The permission matrix: owner, collaborator, viewer and stranger against
//! every library operation. Strangers learn nothing: what they cannot see
//! answers exactly like what does not exist (404).

use app::assets::view::{Access, ItemDetails, ItemView, ItemsPage, LibraryTree, ShareView};
use app::entities::outbox_message;
use app::error::AppError;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use server::testing::TestApp;

use super::library_support::{collection, project, share, upload_png};
use super::person::{Answer, TestUser};

/// What the test does, as each actor in turn.
#[derive(Debug, Clone, Copy)]
enum Op {
    ReadCollection,
    ListItems,
    ReadItem,
    Add,
    CopyInto,
    RenameItem,
    RenameCollection,
    RenameProject,
    CreateCollection,
    Move,
    DeleteItem,
    Share,
    ListShares,
    DeleteCollection,
    DeleteProject,
}

/// The ids the operations work on; each actor gets its own item to change.
struct Setup {
    project: String,
    c1: String,
    c2: String,
    items: Vec<String>,
    spare_collections: Vec<String>,
}

async fn run(who: &TestUser, op: Op, s: &Setup, turn: usize) -> Answer {
    let item = &s.items[turn];
    let (endpoint, body) = match op {
        Op::ReadCollection => ("collections/get", json!({ "collection_id": s.c1 })),
        Op::ListItems => (
            "items/list",
            json!({ "query": { "collection_id": s.c1, "page": 0 } }),
        ),
        Op::ReadItem => ("items/get", json!({ "item_id": item })),
        Op::Add => {
            return who
                .json(
                    "/api/uploads/start",
                    json!({"file_name": "x.png", "content_type": "image/png", "size": 10, "collection_id": s.c1}),
                )
                .await;
        }
        Op::CopyInto => (
            "items/transfer",
            json!({ "item_ids": [item], "collection_id": s.c1, "copy": true }),
        ),
        Op::RenameItem => (
            "items/rename",
            json!({ "item_id": item, "name": "Renamed" }),
        ),
        Op::RenameCollection => (
            "collections/rename",
            json!({ "collection_id": s.c1, "name": "Shots" }),
        ),
        Op::RenameProject => (
            "projects/rename",
            json!({ "project_id": s.project, "name": "Campaign" }),
        ),
        Op::CreateCollection => (
            "collections/create",
            json!({ "project_id": s.project, "name": "More" }),
        ),
        Op::Move => (
            "items/transfer",
            json!({ "item_ids": [item], "collection_id": s.c2, "copy": false }),
        ),
        Op::DeleteItem => ("items/delete", json!({ "item_ids": [item] })),
        Op::Share => (
            "shares/add",
            json!({ "target": "collection", "target_id": s.c1, "email": "guest@example.com", "role": "viewer" }),
        ),
        Op::ListShares => (
            "shares/list",
            json!({ "target": "project", "target_id": s.project }),
        ),
        Op::DeleteCollection => (
            "collections/delete",
            json!({ "collection_id": s.spare_collections[turn] }),
        ),
        Op::DeleteProject => ("projects/delete", json!({ "project_id": s.project })),
    };
    who.json(&format!("/api/library/{endpoint}"), body).await
}

#[tokio::test]
async fn every_operation_checks_the_callers_access() {
    let app = TestApp::spawn().await;
    let owner = TestUser::sign_in(&app, "owner@example.com").await;
    let collaborator = TestUser::sign_in(&app, "collab@example.com").await;
    let viewer = TestUser::sign_in(&app, "viewer@example.com").await;
    let stranger = TestUser::sign_in(&app, "stranger@example.com").await;
    let actors = [&owner, &collaborator, &viewer, &stranger];

    let p = project(&owner, "Launch").await;
    let project_id = p.id.clone();
    let c1 = p.collections[0].id.clone();
    let c2 = collection(&owner, &project_id, "Finals").await.id;
    let mut items = Vec::new();
    let mut spare_collections = Vec::new();
    for turn in 0..actors.len() {
        let item = upload_png(&owner, &format!("frame {turn}"), Some(&c1)).await;
        items.push(item.id);
        let spare = collection(&owner, &project_id, &format!("Spare {turn}")).await;
        spare_collections.push(spare.id);
    }
    share(
        &owner,
        "project",
        &project_id,
        &collaborator.email,
        "collaborator",
    )
    .await;
    share(&owner, "project", &project_id, &viewer.email, "viewer").await;
    let setup = Setup {
        project: project_id,
        c1,
        c2,
        items,
        spare_collections,
    };

    // Expected status for owner, collaborator, viewer, stranger.
    let matrix: [(Op, [u16; 4]); 15] = [
        (Op::ReadCollection, [200, 200, 200, 404]),
        (Op::ListItems, [200, 200, 200, 404]),
        (Op::ReadItem, [200, 200, 200, 404]),
        (Op::Add, [200, 200, 403, 404]),
        (Op::CopyInto, [200, 200, 403, 404]),
        (Op::RenameItem, [200, 200, 403, 404]),
        (Op::RenameCollection, [200, 200, 403, 404]),
        (Op::RenameProject, [200, 200, 403, 404]),
        (Op::CreateCollection, [200, 200, 403, 404]),
        (Op::Move, [200, 200, 403, 404]),
        (Op::Share, [200, 403, 403, 404]),
        (Op::ListShares, [200, 403, 403, 404]),
        (Op::DeleteItem, [200, 200, 403, 404]),
        (Op::DeleteCollection, [200, 403, 403, 404]),
        (Op::DeleteProject, [403, 403, 404, 200]),
    ];
    for (op, expected) in matrix {
        // The project goes last, and its owner deletes it after the others tried.
        let order: [usize; 4] = if matches!(op, Op::DeleteProject) {
            [1, 2, 3, 0]
        } else {
            [0, 1, 2, 3]
        };
        for (slot, turn) in order.into_iter().enumerate() {
            let who = actors[turn];
            let answer = run(who, op, &setup, turn).await;
            let status = answer.status;
            assert_eq!(
                status, expected[slot],
                "{op:?} as {}: {}",
                who.email, answer.body
            );
            if status == 404 {
                assert_eq!(
                    answer.err(),
                    AppError::NotFound,
                    "{op:?}: a stranger learns nothing"
                );
            }
        }
    }
    // Gone for everyone now, exactly like something that never existed.
    for who in actors {
        let answer = run(who, Op::ReadCollection, &setup, 0).await;
        assert_eq!(answer.err(), AppError::NotFound);
    }
    let answer = owner
        .json(
            "/api/library/collections/get",
            json!({ "collection_id": uuid::Uuid::now_v7().to_string() }),
        )
        .await;
    assert_eq!(answer.err(), AppError::NotFound);
}

#[tokio::test]
async fn a_collection_share_opens_that_collection_only() {
    let app = TestApp::spawn().await;
    let owner = TestUser::sign_in(&app, "owner@example.com").await;
    let p = project(&owner, "Launch").await;
    let project_id = p.id.as_str();
    let open = p.collections[0].id.as_str();
    let closed = collection(&owner, project_id, "Private").await;
    let closed = closed.id.as_str();
    let shown = upload_png(&owner, "shared frame", Some(open)).await;
    let hidden = upload_png(&owner, "private frame", Some(closed)).await;

    // Shared before the guest has an account: it waits for them.
    let pending = share(&owner, "collection", open, "guest@example.com", "viewer").await;
    assert!(!pending.has_account);
    let guest = TestUser::sign_in(&app, "guest@example.com").await;

    let tree: LibraryTree = guest.call("/api/library/tree", json!({})).await;
    let shared = &tree.shared;
    assert_eq!(shared.len(), 1);
    assert_eq!(shared[0].owner_email, "owner@example.com");
    let names: Vec<&str> = shared[0]
        .collections
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names.len(), 1, "only the shared collection: {names:?}");
    assert_eq!(shared[0].collections[0].access, Access::Viewer);

    let get = |id: &str| guest.json("/api/library/items/get", json!({ "item_id": id }));
    let details: ItemDetails = get(&shown.id).await.view();
    assert_eq!(details.item.id, shown.id);
    assert_eq!(get(&hidden.id).await.err(), AppError::NotFound);
    let all: ItemsPage = guest
        .call("/api/library/items/list", json!({ "query": { "page": 0 } }))
        .await;
    assert_eq!(all.total, 1, "everything I may see: {all:?}");
    let in_project: ItemsPage = guest
        .call(
            "/api/library/items/list",
            json!({ "query": { "project_id": project_id, "page": 0 } }),
        )
        .await;
    assert_eq!(in_project.total, 1);
    assert_eq!(in_project.items[0].name, "shared frame");

    // A viewer may copy into their own collection, and may leave the share.
    let inbox = tree.projects[0].collections[0].id.clone();
    let copied: Vec<ItemView> = guest
        .call(
            "/api/library/items/transfer",
            json!({ "item_ids": [shown.id], "collection_id": inbox, "copy": true }),
        )
        .await;
    assert_eq!(
        copied[0].media.id, shown.media.id,
        "the media is stored once"
    );
    assert_eq!(copied[0].access, Access::Owner);
    let shares: Vec<ShareView> = owner
        .call(
            "/api/library/shares/list",
            json!({ "target": "collection", "target_id": open }),
        )
        .await;
    assert!(shares[0].has_account);
    guest
        .call::<()>(
            "/api/library/shares/revoke",
            json!({ "share_id": shares[0].id }),
        )
        .await;
    assert_eq!(get(&shown.id).await.err(), AppError::NotFound);
    // Their copy stays theirs.
    get(&copied[0].id).await.view::<ItemDetails>();
}

#[tokio::test]
async fn sharing_refuses_bad_input_and_tells_the_recipient() {
    let app = TestApp::spawn().await;
    let owner = TestUser::sign_in(&app, "owner@example.com").await;
    let p = project(&owner, "Launch").await;
    let id = p.id.as_str();
    let add = |email: &str, role: &str| {
        owner.json(
            "/api/library/shares/add",
            json!({ "target": "project", "target_id": id, "email": email, "role": role }),
        )
    };
    assert_eq!(
        add("not an email", "viewer").await.err(),
        AppError::invalid("email", "error-reason-email")
    );
    let refused = add("OWNER@example.com", "viewer").await.err();
    assert_eq!(
        refused,
        AppError::invalid("email", "error-reason-share-self")
    );
    let refused = add("pat@example.com", "owner").await.err();
    assert_eq!(
        refused,
        AppError::invalid("role", "error-reason-share-role")
    );

    let first = share(&owner, "project", id, "Pat@Example.com", "viewer").await;
    assert_eq!(first.email, "pat@example.com");
    let again = share(&owner, "project", id, "pat@example.com", "collaborator").await;
    assert_eq!(
        (&again.id, again.role),
        (&first.id, Access::Collaborator),
        "sharing again changes the role"
    );
    let mails: Vec<String> = outbox_message::Entity::find()
        .filter(outbox_message::Column::ToAddress.eq("pat@example.com"))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.body_text)
        .collect();
    assert_eq!(mails.len(), 1, "one notice, not one per change");
    assert!(
        mails[0].contains("owner@example.com") && mails[0].contains("Launch"),
        "{}",
        mails[0]
    );
    assert!(mails[0].contains("/library"), "{}", mails[0]);
}
