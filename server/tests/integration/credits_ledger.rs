use std::collections::HashMap;

use app::credits::ledger::{self, CreditsError, EntityRef, Kind};
use app::entities::{credit_transaction, user};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter};
use server::testing::TestApp;
use uuid::Uuid;

async fn new_user(app: &TestApp, email: &str) -> Uuid {
    user::ActiveModel::new_account(email, "user", None, Utc::now())
        .insert(&app.state.db)
        .await
        .unwrap()
        .id
}

fn job(id: &str) -> EntityRef {
    EntityRef {
        kind: "job".into(),
        id: id.into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_concurrent_charges_of_ten_on_five_hundred_exactly_fifty_succeed() {
    let app = TestApp::spawn().await;
    let user = new_user(&app, "a@example.com").await;
    ledger::grant(
        &app.state.db,
        user,
        500,
        Kind::Grant,
        "start",
        None,
        Utc::now(),
    )
    .await
    .unwrap();
    let tasks: Vec<_> = (0..100)
        .map(|i| {
            let db = app.state.db.clone();
            tokio::spawn(async move {
                ledger::charge_for(
                    &db,
                    user,
                    &job(&i.to_string()),
                    10,
                    &format!("job-{i}"),
                    "a clip",
                    Utc::now(),
                )
                .await
            })
        })
        .collect();
    let mut succeeded = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(row) => {
                assert!(row.balance_after >= 0);
                succeeded += 1;
            }
            Err(CreditsError::Insufficient {
                needed: 10,
                balance,
            }) => assert!(balance < 10),
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(succeeded, 50);
    assert_eq!(ledger::balance(&app.state.db, user).await.unwrap(), 0);
    assert_eq!(ledger::reconcile(&app.state.db).await.unwrap(), vec![]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_charges_with_one_key_make_one_row_and_one_answer() {
    let app = TestApp::spawn().await;
    let user = new_user(&app, "b@example.com").await;
    ledger::grant(
        &app.state.db,
        user,
        1_000,
        Kind::Grant,
        "start",
        None,
        Utc::now(),
    )
    .await
    .unwrap();
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let db = app.state.db.clone();
            tokio::spawn(async move {
                ledger::charge_for(&db, user, &job("j1"), 70, "key-1", "a clip", Utc::now()).await
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(
            task.await
                .unwrap()
                .expect("every caller gets the first result"),
        );
    }
    assert!(
        answers.iter().all(|a| *a == answers[0]),
        "identical answers"
    );
    let rows = credit_transaction::Entity::find()
        .filter(credit_transaction::Column::IdempotencyKey.eq("key-1"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(ledger::balance(&app.state.db, user).await.unwrap(), 930);
    let other_amount = ledger::charge_for(
        &app.state.db,
        user,
        &job("j1"),
        80,
        "key-1",
        "a clip",
        Utc::now(),
    )
    .await;
    assert_eq!(other_amount, Err(CreditsError::KeyConflict));
    let other_item = ledger::charge_for(
        &app.state.db,
        user,
        &job("j2"),
        70,
        "key-1",
        "a clip",
        Utc::now(),
    )
    .await;
    assert_eq!(other_item, Err(CreditsError::KeyConflict));
    assert_eq!(ledger::reconcile(&app.state.db).await.unwrap(), vec![]);
}

#[tokio::test]
async fn a_refund_restores_the_exact_balance_once() {
    let app = TestApp::spawn().await;
    let user = new_user(&app, "c@example.com").await;
    ledger::grant(
        &app.state.db,
        user,
        300,
        Kind::Grant,
        "start",
        None,
        Utc::now(),
    )
    .await
    .unwrap();
    ledger::charge_for(
        &app.state.db,
        user,
        &job("x"),
        125,
        "k-x",
        "a clip",
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(ledger::balance(&app.state.db, user).await.unwrap(), 175);
    let refund = ledger::refund_charge(&app.state.db, &job("x"), "the provider failed", Utc::now())
        .await
        .unwrap();
    assert_eq!(refund.amount, 125);
    assert_eq!(refund.kind, "refund");
    assert_eq!(ledger::balance(&app.state.db, user).await.unwrap(), 300);
    assert_eq!(
        ledger::refund_charge(&app.state.db, &job("x"), "again", Utc::now()).await,
        Err(CreditsError::AlreadyRefunded)
    );
    assert_eq!(
        ledger::refund_charge(&app.state.db, &job("never"), "?", Utc::now()).await,
        Err(CreditsError::NoCharge)
    );
    assert_eq!(ledger::balance(&app.state.db, user).await.unwrap(), 300);
    // Insufficient credits say how much is needed and what is there.
    assert_eq!(
        ledger::charge_for(
            &app.state.db,
            user,
            &job("big"),
            301,
            "k-big",
            "a film",
            Utc::now()
        )
        .await,
        Err(CreditsError::Insufficient {
            needed: 301,
            balance: 300
        })
    );
    assert_eq!(
        ledger::deduct(&app.state.db, user, 0, "nothing", None, Utc::now()).await,
        Err(CreditsError::InvalidAmount)
    );
    assert_eq!(ledger::reconcile(&app.state.db).await.unwrap(), vec![]);
}

/// A tiny deterministic generator, so every run tries the same operations.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[tokio::test]
async fn ten_thousand_random_operations_match_an_in_memory_model() {
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let mut users = Vec::new();
    for i in 0..3 {
        users.push(new_user(&app, &format!("p{i}@example.com")).await);
    }
    let mut model: HashMap<Uuid, i64> = users.iter().map(|u| (*u, 0)).collect();
    // key -> (user, amount, entity id); entity id -> (user, amount, refunded)
    let mut keys: Vec<(String, Uuid, i64, String)> = Vec::new();
    let mut charges: HashMap<String, (Uuid, i64, bool)> = HashMap::new();
    let mut rng = XorShift(0x1234_5678_9abc_def1);
    let now = Utc::now();
    for step in 0..10_000u64 {
        let user = users[rng.below(3) as usize];
        let amount = 1 + rng.below(100) as i64;
        match rng.below(4) {
            0 => {
                ledger::grant(db, user, amount, Kind::Grant, "grant", None, now)
                    .await
                    .unwrap();
                *model.get_mut(&user).unwrap() += amount;
            }
            1 => {
                let got = ledger::deduct(db, user, amount, "deduct", None, now).await;
                let have = model[&user];
                if have >= amount {
                    assert!(got.is_ok(), "step {step}");
                    *model.get_mut(&user).unwrap() -= amount;
                } else {
                    assert_eq!(
                        got,
                        Err(CreditsError::Insufficient {
                            needed: amount,
                            balance: have
                        }),
                        "step {step}"
                    );
                }
            }
            2 => {
                // Half the time repeat an earlier key (same or different parameters).
                if !keys.is_empty() && rng.below(2) == 0 {
                    let (key, u, a, entity) = keys[rng.below(keys.len() as u64) as usize].clone();
                    let same = rng.below(2) == 0;
                    let got = ledger::charge_for(
                        db,
                        u,
                        &job(&entity),
                        if same { a } else { a + 1 },
                        &key,
                        "charge",
                        now,
                    )
                    .await;
                    if same {
                        assert_eq!(got.map(|r| r.amount), Ok(-a), "step {step}");
                    } else {
                        assert_eq!(got, Err(CreditsError::KeyConflict), "step {step}");
                    }
                } else {
                    let (key, entity) = (format!("k{step}"), format!("e{step}"));
                    let got =
                        ledger::charge_for(db, user, &job(&entity), amount, &key, "charge", now)
                            .await;
                    let have = model[&user];
                    if have >= amount {
                        assert!(got.is_ok(), "step {step}");
                        *model.get_mut(&user).unwrap() -= amount;
                        keys.push((key, user, amount, entity.clone()));
                        charges.insert(entity, (user, amount, false));
                    } else {
                        assert_eq!(
                            got,
                            Err(CreditsError::Insufficient {
                                needed: amount,
                                balance: have
                            }),
                            "step {step}"
                        );
                    }
                }
            }
            _ => {
                if charges.is_empty() {
                    continue;
                }
                let mut entities: Vec<_> = charges.keys().cloned().collect();
                entities.sort();
                let entity = entities[rng.below(entities.len() as u64) as usize].clone();
                let (u, a, refunded) = charges[&entity];
                let got = ledger::refund_charge(db, &job(&entity), "refund", now).await;
                if refunded {
                    assert_eq!(got, Err(CreditsError::AlreadyRefunded), "step {step}");
                } else {
                    assert_eq!(got.map(|r| r.amount), Ok(a), "step {step}");
                    *model.get_mut(&u).unwrap() += a;
                    charges.get_mut(&entity).unwrap().2 = true;
                }
            }
        }
    }
    for user in &users {
        assert_eq!(ledger::balance(db, *user).await.unwrap(), model[user]);
    }
    assert_eq!(ledger::reconcile(db).await.unwrap(), vec![]);
}
