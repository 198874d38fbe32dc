use app::credits::ledger::{self, EntityRef, Kind};
use app::entities::credit_account;
use chrono::{DateTime, TimeZone, Utc};
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use server::testing::TestApp;
use uuid::Uuid;

use super::auth_support::{me, post_as, sign_in};

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 12, 30, 15).unwrap()
}

async fn user_id(app: &TestApp, access: &str) -> Uuid {
    let body: Value = me(app, &format!("fw_at={access}"))
        .await
        .json()
        .await
        .unwrap();
    body["id"].as_str().unwrap().parse().unwrap()
}

fn job(id: &str) -> EntityRef {
    EntityRef {
        kind: "job".into(),
        id: id.into(),
    }
}

fn filter<'a>(
    email: &'a str,
    kind: &'a str,
    from: &'a str,
    to: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![
        ("filter[email]", email),
        ("filter[kind]", kind),
        ("filter[from]", from),
        ("filter[to]", to),
    ]
}

/// Two accounts with movements on 2026-11-02 (a Monday), 2026-11-08 (Sunday, same
/// week), 2026-11-09 (next week) and 2026-12-01 (next month).
async fn seeded() -> (TestApp, String, Uuid, Uuid) {
    let app = TestApp::spawn().await;
    let (admin, _) = sign_in(&app, "admin@example.com").await;
    let (alice, _) = sign_in(&app, "alice@example.com").await;
    let (bob, _) = sign_in(&app, "bob@example.com").await;
    let (alice, bob) = (user_id(&app, &alice).await, user_id(&app, &bob).await);
    let db = &app.state.db;
    ledger::grant(
        db,
        alice,
        500,
        Kind::Grant,
        "welcome",
        None,
        at(2026, 11, 2),
    )
    .await
    .unwrap();
    ledger::charge_for(
        db,
        alice,
        &job("a1"),
        120,
        "job-a1",
        "a clip",
        at(2026, 11, 8),
    )
    .await
    .unwrap();
    ledger::refund_charge(db, &job("a1"), "failed", at(2026, 11, 9))
        .await
        .unwrap();
    ledger::charge_for(
        db,
        alice,
        &job("a2"),
        30,
        "job-a2",
        "an image",
        at(2026, 11, 9),
    )
    .await
    .unwrap();
    ledger::grant(db, bob, 100, Kind::Purchase, "pack", None, at(2026, 11, 9))
        .await
        .unwrap();
    ledger::deduct(db, bob, 40, "correction", None, at(2026, 12, 1))
        .await
        .unwrap();
    (app, admin, alice, bob)
}

#[tokio::test]
async fn admins_filter_the_whole_ledger_by_account_kind_and_dates() {
    let (app, admin, _, _) = seeded().await;
    let page = |f: Vec<(&'static str, &'static str)>| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let mut form = f;
            form.push(("page", "0"));
            let response = post_as(app, &admin, "/api/admin/credits/ledger", &form).await;
            (
                response.status().as_u16(),
                response.json::<Value>().await.unwrap(),
            )
        }
    };
    let (status, all) = page(filter("", "", "", "")).await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(all["total"], 6);
    // Newest first, each with its account.
    assert_eq!(all["rows"][0]["email"], "bob@example.com");
    assert_eq!(all["rows"][0]["row"]["amount"], -40);

    let (_, alice) = page(filter("ALICE@", "", "", "")).await;
    assert_eq!(alice["total"], 4);
    let (_, charges) = page(filter("", "charge", "", "")).await;
    assert_eq!(charges["total"], 2);
    let (_, first_week) = page(filter("", "", "2026-11-02", "2026-11-08")).await;
    assert_eq!(first_week["total"], 2, "both ends inclusive");
    // `_` and `%` are literal in the email search.
    let (_, none) = page(filter("_", "", "", "")).await;
    assert_eq!(none["total"], 0);

    let (status, body) = page(filter("", "", "02/11/2026", "")).await;
    assert_eq!((status, &body["field"]), (400, &json!("from")));
    let (status, body) = page(filter("", "", "2026-11-09", "2026-11-01")).await;
    assert_eq!(
        (status, &body["reason"]),
        (400, &json!("error-reason-date-order"))
    );
    let (status, body) = page(filter("", "bonus", "", "")).await;
    assert_eq!((status, &body["field"]), (400, &json!("kind")));

    let (carol, _) = sign_in(&app, "carol@example.com").await;
    let mut form = filter("", "", "", "");
    form.push(("page", "0"));
    assert_eq!(
        post_as(&app, &carol, "/api/admin/credits/ledger", &form)
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn summaries_add_up_per_day_week_and_month() {
    let (app, admin, _, _) = seeded().await;
    let summary = |period: &'static str, email: &'static str| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let mut form = filter(email, "", "", "");
            form.push(("period", period));
            let response = post_as(app, &admin, "/api/admin/credits/summary", &form).await;
            assert_eq!(response.status(), 200);
            response.json::<Value>().await.unwrap()
        }
    };
    let row = |period: &str, granted: i64, deducted: i64, charged: i64, refunded: i64, net: i64| json!({"period": period, "granted": granted, "deducted": deducted, "charged": charged, "refunded": refunded, "net": net});
    assert_eq!(
        summary("month", "").await,
        json!([
            row("2026-12", 0, 40, 0, 0, -40),
            row("2026-11", 600, 0, 150, 120, 570)
        ])
    );
    assert_eq!(
        summary("week", "").await,
        json!([
            row("2026-11-30", 0, 40, 0, 0, -40),
            row("2026-11-09", 100, 0, 30, 120, 190),
            row("2026-11-02", 500, 0, 120, 0, 380),
        ])
    );
    assert_eq!(
        summary("day", "alice").await,
        json!([
            row("2026-11-09", 0, 0, 30, 120, 90),
            row("2026-11-08", 0, 0, 120, 0, -120),
            row("2026-11-02", 500, 0, 0, 0, 500),
        ])
    );
    let mut form = filter("", "", "", "");
    form.push(("period", "year"));
    let response = post_as(&app, &admin, "/api/admin/credits/summary", &form).await;
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn the_reconciliation_check_names_an_account_whose_balance_drifted() {
    let (app, admin, alice, _) = seeded().await;
    let check = || async {
        let response = post_as(&app, &admin, "/api/admin/credits/reconcile", &[]).await;
        assert_eq!(response.status(), 200);
        response.json::<Value>().await.unwrap()
    };
    assert_eq!(check().await, json!({"accounts": 2, "mismatches": []}));
    // Someone edits a balance behind the ledger's back.
    let db = &app.state.db;
    let mut account: credit_account::ActiveModel = credit_account::Entity::find_by_id(alice)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into();
    account.balance = sea_orm::Set(477);
    sea_orm::ActiveModelTrait::update(account, db)
        .await
        .unwrap();
    assert_eq!(
        check().await,
        json!({"accounts": 2, "mismatches": [["alice@example.com", 477, 470]]})
    );
}
