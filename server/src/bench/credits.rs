//! `server bench credits`: charges per second through the real ledger on the
//! configured database, many users charged concurrently, with the invariants
//! checked afterwards. `make bench` runs it on SQLite and on PostgreSQL.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::{Context, bail};
use app::credits::ledger::{self, CreditsError, EntityRef, Kind};
use app::entities::user;
use app::platform::state::AppState;
use sea_orm::ActiveModelTrait;

/// What the benchmark does.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct CreditsBench {
    /// Accounts charged.
    #[arg(long, default_value_t = 200)]
    pub users: u32,
    /// Charges in flight at once.
    #[arg(long, default_value_t = 32)]
    pub concurrency: u32,
    /// Charges in all.
    #[arg(long, default_value_t = 20_000)]
    pub charges: u64,
}

/// Runs the benchmark and prints one Markdown line of results.
pub async fn credits(state: AppState, bench: CreditsBench) -> anyhow::Result<()> {
    let db = &state.db;
    super::require_empty_database(db).await?;
    let start_balance = 1_000_000i64;
    let mut users = Vec::new();
    for i in 0..bench.users {
        let account = user::ActiveModel::new_account(
            &format!("bench-{i}@bench.invalid"),
            "user",
            None,
            state.clock.now(),
        )
        .insert(db)
        .await?;
        ledger::grant(
            db,
            account.id,
            start_balance,
            Kind::Grant,
            "bench",
            None,
            state.clock.now(),
        )
        .await
        .context("grant")?;
        users.push(account.id);
    }
    let users = Arc::new(users);
    let next = Arc::new(AtomicU64::new(0));
    let refused = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..bench.concurrency)
        .map(|_| {
            let (db, users, next, refused, clock) = (
                db.clone(),
                users.clone(),
                next.clone(),
                refused.clone(),
                state.clock.clone(),
            );
            tokio::spawn(async move {
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= bench.charges {
                        return Ok::<_, CreditsError>(());
                    }
                    // Spread charges over the accounts; amounts 1..=50.
                    let user = users[(n % users.len() as u64) as usize];
                    let amount = (n * 7919 % 50 + 1) as i64;
                    let entity = EntityRef {
                        kind: "job".into(),
                        id: format!("bench-{n}"),
                    };
                    match ledger::charge_for(
                        &db,
                        user,
                        &entity,
                        amount,
                        &format!("bench-{n}"),
                        "bench",
                        clock.now(),
                    )
                    .await
                    {
                        Ok(_) => {}
                        Err(CreditsError::Insufficient { .. }) => {
                            refused.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => return Err(e),
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await?.context("charge")?;
    }
    let elapsed = started.elapsed();

    // Invariants: every balance equals its ledger, none is negative, and the
    // money charged is exactly what left the balances.
    let mismatches = ledger::reconcile(db).await?;
    if !mismatches.is_empty() {
        bail!("ledger does not reconcile: {mismatches:?}");
    }
    let mut left = 0i64;
    for id in users.iter() {
        let balance = ledger::balance(db, *id).await?;
        if balance < 0 {
            bail!("negative balance for {id}");
        }
        left += balance;
    }
    let expected_charged: i64 = (0..bench.charges).map(|n| (n * 7919 % 50 + 1) as i64).sum();
    let charged = start_balance * users.len() as i64 - left;
    if refused.load(Ordering::Relaxed) == 0 && charged != expected_charged {
        bail!("charged {charged}, expected {expected_charged}");
    }
    let rate = bench.charges as f64 / elapsed.as_secs_f64();
    println!(
        "| {:?} | {} | {} | {} | {:.0} | {:.2} s | ok |",
        db.get_database_backend(),
        bench.users,
        bench.concurrency,
        bench.charges,
        rate,
        elapsed.as_secs_f64()
    );
    Ok(())
}
