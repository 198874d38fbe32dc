//! The command line: `server` (or `server serve`) runs the app; the other
//! subcommands are maintenance tasks.

use app::platform::config::Config;
use app::platform::state::AppState;
use clap::{Parser, Subcommand};

/// Framewright, the self-hostable AI creative studio.
///
/// Configuration comes from environment variables and an optional `.env` file; see README.md.
#[derive(Debug, Parser)]
#[command(name = "server", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending migrations, then serve the app (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Check the configuration and print it (secrets redacted), then exit.
    Config,
    /// Administer accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Write sample output of the offline provider (the browser tests play it).
    #[cfg(feature = "test-support")]
    #[command(hide = true)]
    Sample {
        #[command(subcommand)]
        command: SampleCommand,
    },
    /// Measure the app against the configured (empty) database; `make bench` runs these.
    #[cfg(feature = "test-support")]
    #[command(hide = true)]
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

/// Samples of the offline provider.
#[cfg(feature = "test-support")]
#[derive(Debug, Subcommand)]
pub enum SampleCommand {
    /// A clip animated from a rendered start frame.
    LocalVideo(crate::sample::SampleClip),
}

/// Benchmarks.
#[cfg(feature = "test-support")]
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Concurrent charges per second through the ledger, invariants checked after.
    Credits(crate::bench::CreditsBench),
    /// Generation jobs claimed and completed per second by several workers.
    Jobs(crate::bench::jobs::JobsBench),
    /// Fills an empty database with one account's history (generations, library
    /// items, ledger) and prints its session cookie, for the page benchmark.
    SeedPages(crate::bench::pages::SeedPages),
    /// Latency from a provider webhook arriving to the event reaching an SSE client
    /// (starts its own server on a fresh test database: FW_TEST_DB selects the engine).
    WebhookSse(crate::bench::webhook_sse::WebhookSseBench),
}

/// Account administration.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Make EMAIL an admin (the account is created if it does not exist yet).
    Grant {
        /// The account's email address.
        email: String,
    },
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        // These read no configuration (and must not create a data directory):
        // the sample needs nothing, the webhook benchmark starts its own test server.
        #[cfg(feature = "test-support")]
        Command::Sample {
            command: SampleCommand::LocalVideo(sample),
        } => crate::sample::local_video(sample).await,
        #[cfg(feature = "test-support")]
        Command::Bench {
            command: BenchCommand::WebhookSse(bench),
        } => crate::bench::webhook_sse::webhook_sse(bench).await,
        command => run_configured(command).await,
    }
}

/// Runs a command that needs the configuration.
async fn run_configured(command: Command) -> anyhow::Result<()> {
    let config = Config::from_process_env()?;
    crate::init_tracing(config.log_json);
    match command {
        Command::Serve => crate::serve(AppState::build(config).await?).await,
        Command::Migrate => {
            app::platform::db::connect_and_migrate(&config.database).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::Config => {
            println!("{config:#?}");
            Ok(())
        }
        Command::Admin {
            command: AdminCommand::Grant { email },
        } => {
            let state = AppState::build(config).await?;
            let user = app::auth::roles::grant_admin(&state.db, state.clock.now(), &email).await?;
            // Approved now if it was not before: welcomed once, like any account.
            app::auth::accounts::welcome_approved(
                &state.db,
                &state.config,
                &user,
                state.clock.now(),
            )
            .await?;
            println!("{} is now an admin", user.email);
            Ok(())
        }
        #[cfg(feature = "test-support")]
        Command::Bench {
            command: BenchCommand::Credits(bench),
        } => crate::bench::credits(AppState::build(config).await?, bench).await,
        #[cfg(feature = "test-support")]
        Command::Bench {
            command: BenchCommand::Jobs(bench),
        } => crate::bench::jobs::jobs(AppState::build(config).await?, bench).await,
        #[cfg(feature = "test-support")]
        Command::Bench {
            command: BenchCommand::SeedPages(seed),
        } => crate::bench::pages::seed_pages(AppState::build(config).await?, seed).await,
        #[cfg(feature = "test-support")]
        Command::Sample { .. }
        | Command::Bench {
            command: BenchCommand::WebhookSse(_),
        } => anyhow::bail!("this command runs without configuration"),
    }
}
