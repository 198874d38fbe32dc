use app::admin::credits::{AdminLedgerPage, PeriodSummary, ReconcileReport};
use app::credits::ledger::{self, EntityRef, Kind};
use app::entities::credit_account;
use app::error::AppError;
use chrono::{DateTime, TimeZone, Utc};
use sea_orm::EntityTrait;
use server::testing::TestApp;
use uuid::Uuid;

use super::person::TestUser;

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 12, 30, 15).unwrap()
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
async fn seeded() -> (TestApp, TestUser, Uuid, Uuid) {
    let app = TestApp::spawn().await;
    let admin = TestUser::sign_in(&app, "admin@example.com").await;
    let alice = TestUser::sign_in(&app, "alice@example.com").await.id;
    let bob = TestUser::sign_in(&app, "bob@example.com").await.id;
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
    let ledger = |who: &TestUser, f: Vec<(&'static str, &'static str)>| {
        let who = who.clone();
        async move {
            let mut form = f;
            form.push(("page", "0"));
            who.form("/api/admin/credits/ledger", &form).await
        }
    };
    let page = |f: Vec<(&'static str, &'static str)>| async {
        ledger(&admin, f).await.view::<AdminLedgerPage>()
    };
    let all = page(filter("", "", "", "")).await;
    assert_eq!(all.total, 6);
    // Newest first, each with its account.
    assert_eq!(all.rows[0].email, "bob@example.com");
    assert_eq!(all.rows[0].row.amount, -40);

    let alice = page(filter("ALICE@", "", "", "")).await;
    assert_eq!(alice.total, 4);
    let charges = page(filter("", "charge", "", "")).await;
    assert_eq!(charges.total, 2);
    let first_week = page(filter("", "", "2026-11-02", "2026-11-08")).await;
    assert_eq!(first_week.total, 2, "both ends inclusive");
    // `_` and `%` are literal in the email search.
    let none = page(filter("_", "", "", "")).await;
    assert_eq!(none.total, 0);

    let refused = |f: Vec<(&'static str, &'static str)>| async { ledger(&admin, f).await.err() };
    let bad_date = refused(filter("", "", "02/11/2026", "")).await;
    assert_eq!(bad_date, AppError::invalid("from", "error-reason-date"));
    let wrong_order = refused(filter("", "", "2026-11-09", "2026-11-01")).await;
    assert_eq!(
        wrong_order,
        AppError::invalid("to", "error-reason-date-order")
    );
    let bad_kind = refused(filter("", "bonus", "", "")).await;
    assert_eq!(
        bad_kind,
        AppError::invalid("kind", "error-reason-unknown-kind")
    );

    let carol = TestUser::sign_in(&app, "carol@example.com").await;
    assert_eq!(
        ledger(&carol, filter("", "", "", "")).await.err(),
        AppError::Forbidden
    );
}

#[tokio::test]
async fn summaries_add_up_per_day_week_and_month() {
    let (_app, admin, _, _) = seeded().await;
    let summary = |period: &'static str, email: &'static str| {
        let admin = &admin;
        async move {
            let mut form = filter(email, "", "", "");
            form.push(("period", period));
            admin.form("/api/admin/credits/summary", &form).await
        }
    };
    let row = |period: &str, granted: i64, deducted: i64, charged: i64, refunded: i64, net: i64| {
        PeriodSummary {
            period: period.into(),
            granted,
            deducted,
            charged,
            refunded,
            net,
        }
    };
    assert_eq!(
        summary("month", "").await.view::<Vec<PeriodSummary>>(),
        [
            row("2026-12", 0, 40, 0, 0, -40),
            row("2026-11", 600, 0, 150, 120, 570)
        ]
    );
    assert_eq!(
        summary("week", "").await.view::<Vec<PeriodSummary>>(),
        [
            row("2026-11-30", 0, 40, 0, 0, -40),
            row("2026-11-09", 100, 0, 30, 120, 190),
            row("2026-11-02", 500, 0, 120, 0, 380),
        ]
    );
    assert_eq!(
        summary("day", "alice").await.view::<Vec<PeriodSummary>>(),
        [
            row("2026-11-09", 0, 0, 30, 120, 90),
            row("2026-11-08", 0, 0, 120, 0, -120),
            row("2026-11-02", 500, 0, 0, 0, 500),
        ]
    );
    let refused = summary("year", "").await.err();
    assert_eq!(refused, AppError::invalid("period", "error-reason-period"));
}

#[tokio::test]
async fn the_reconciliation_check_names_an_account_whose_balance_drifted() {
    let (app, admin, alice, _) = seeded().await;
    let check = || async {
        admin
            .form("/api/admin/credits/reconcile", &[])
            .await
            .view::<ReconcileReport>()
    };
    assert_eq!(
        check().await,
        ReconcileReport {
            accounts: 2,
            mismatches: vec![]
        }
    );
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
        ReconcileReport {
            accounts: 2,
            mismatches: vec![("alice@example.com".into(), 477, 470)]
        }
    );
}
