//! The command line: `serve`, `migrate`, `demo`, `users …`, `audit …`, `backup`, `restore`,
//! `reminders run`, `reindex`, `config show`, `seal verify`, `labels verify`, `archives export`,
//! `render`.

mod admin;
mod archives;
mod demo_clock;
mod labels;
mod reindex;
mod render;
mod seal;
mod serve;

use crate::config::Config;
use clap::{Parser, Subcommand};
use mishu_service::clock::SystemClock;
use mishu_service::db::Db;
use mishu_service::{Services, keys};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser, Debug)]
#[command(
    name = "mishu",
    version,
    about = "Mishu (秘书): the general office's documents, meetings and affairs, every item with an owner, a deadline and an outcome."
)]
pub struct Cli {
    /// The data folder: the SQLite database, the audit key, attachments.
    #[arg(long, global = true, env = "MISHU_DATA", default_value = "./mishu-data")]
    pub data: PathBuf,
    /// Use PostgreSQL instead of the embedded SQLite: postgres://user:password@host/db
    #[arg(long, global = true, env = "MISHU_DATABASE_URL")]
    pub database_url: Option<String>,
    /// This node's search index folder (default: `index` in the data folder). Each node
    /// keeps its own; it is a cache of the database.
    #[arg(long, global = true, env = "MISHU_INDEX")]
    pub index: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web application.
    Serve(serve::ServeArgs),
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Load the demo organ (江北职业技术学院) into an empty database.
    Demo,
    /// Manage people's accounts.
    #[command(subcommand)]
    Users(admin::UsersCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(admin::AuditCommand),
    /// Write a consistent snapshot of the database to a new file, and the attachments it names
    /// into `<file>.files/` beside it (SQLite; PostgreSQL uses pg_dump).
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// Replace the data folder's SQLite database with a backup (stop the server first).
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
    /// Run one reminder and escalation sweep now.
    #[command(subcommand)]
    Reminders(admin::RemindersCommand),
    /// Rebuild this node's search index from the database (stop `serve` first), or with
    /// --all-nodes ask every node, serving or not, to rebuild its own.
    Reindex {
        /// Record a rebuild request in the database instead: each node rebuilds at its next
        /// apply (within seconds while serving, else when it starts).
        #[arg(long)]
        all_nodes: bool,
    },
    /// Show configuration.
    #[command(subcommand)]
    Config(admin::ConfigCommand),
    /// Security labels (密级): check each against its integrity MAC.
    #[command(subcommand)]
    Labels(labels::LabelsCommand),
    /// Electronic seals.
    #[command(subcommand)]
    Seal(seal::SealCommand),
    /// Archives: the transfer package of a year.
    #[command(subcommand)]
    Archives(archives::ArchivesCommand),
    /// Render an official document (JSON) to a GB/T 9704 PDF, or a sample with --sample.
    Render(render::RenderArgs),
}

pub fn config(cli: &Cli, listen: Option<&str>, secure_cookies: bool) -> Config {
    Config {
        data_dir: cli.data.clone(),
        database_url: cli.database_url.clone().filter(|u| !u.trim().is_empty()),
        listen: listen.unwrap_or("127.0.0.1:8080").to_string(),
        secure_cookies,
        audit_key_hex: std::env::var("MISHU_AUDIT_KEY").ok().filter(|k| !k.is_empty()),
        node_name: std::env::var("MISHU_NODE").unwrap_or_else(|_| format!("node-{}", std::process::id())),
    }
}

/// Opens the database (creating the SQLite file only where `create` allows) and the services.
pub async fn open(cfg: &Config, create: bool) -> anyhow::Result<Services> {
    let loc = cfg.location()?;
    let db = Db::connect(&loc, create).await?;
    if create {
        db.migrate().await?;
    }
    let key = keys::load_or_create_audit_key(&cfg.data_dir, cfg.audit_key_hex.as_deref())
        .map_err(|e| anyhow::anyhow!("audit key: {e}"))?;
    let s = Services::new(db, Arc::new(SystemClock), key, cfg.data_dir.clone());
    if create {
        // Labels written before they had a MAC (migration 0033) are sealed once, before
        // anything reads them.
        let sealed = mishu_service::labels::seal_unsealed(&s).await?;
        if sealed > 0 {
            println!("sealed the security labels of {sealed} existing objects");
        }
        // Second-factor secrets stored in plain before migration 0034 are sealed the same way.
        let sealed = mishu_service::auth::totp::seal_plain_secrets(&s).await?;
        if sealed > 0 {
            println!("sealed {sealed} stored second-factor secrets");
        }
    }
    Ok(s)
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Serve(a) => serve::run(&cli, a).await,
        Command::Migrate => {
            let s = open(&config(&cli, None, true), true).await?;
            println!("database ready: {}", config(&cli, None, true).location()?.describe());
            s.db.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo => {
            let s = open(&config(&cli, None, true), true).await?;
            serve::load_demo(&s).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Labels(c) => labels::run(&cli, c).await,
        Command::Users(c) => admin::users(&cli, c).await,
        Command::Audit(c) => admin::audit(&cli, c).await,
        Command::Backup { out } => {
            let s = open(&config(&cli, None, true), false).await?;
            let r = mishu_service::backup::backup(&s.db, &s.data_dir, out).await?;
            println!("backup written: {} ({} bytes)", out.display(), r.bytes);
            let folder = mishu_service::backup::files_folder(out);
            println!("attachments: {} files, {} bytes in {}", r.files.files, r.files.bytes, folder.display());
            if r.files.missing > 0 {
                println!("note: {} attachments named by the database were already gone (destroyed)", r.files.missing);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { from } => {
            let r = mishu_service::backup::restore(&config(&cli, None, true).location()?, from).await?;
            println!("restored {} into {} ({} attachments copied)", from.display(), cli.data.display(), r.files);
            if r.without_files {
                let folder = mishu_service::backup::files_folder(from);
                println!(
                    "warning: no attachment folder {} beside the backup: attachments were not restored",
                    folder.display()
                );
            }
            if r.missing > 0 {
                println!(
                    "warning: {} attachments named by the restored database are not in the data folder",
                    r.missing
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Reminders(c) => admin::reminders(&cli, c).await,
        Command::Reindex { all_nodes: false } => reindex::run(&cli).await,
        Command::Reindex { all_nodes: true } => reindex::request_everywhere(&cli).await,
        Command::Config(c) => admin::config_cmd(&cli, c),
        Command::Seal(c) => seal::run(&cli, c).await,
        Command::Archives(c) => archives::run(&cli, c).await,
        Command::Render(a) => render::run(a, &cli.data.join("fonts")),
    }
}
