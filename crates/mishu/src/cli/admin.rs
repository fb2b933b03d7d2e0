//! Administration commands: accounts, the audit log, reminders, configuration.

use super::{Cli, config, open};
use clap::Subcommand;
use mishu_service::audit::{self, Origin};
use mishu_service::{auth, org};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum UsersCommand {
    /// List people: login, name, department, roles or administrator kind.
    List,
    /// Set a person's password (read from standard input); they change it at next sign-in.
    SetPassword { login: String },
    /// Lift a lockout.
    Unlock { login: String },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Check the HMAC-SM3 chain; exits 1 and names each broken record if any.
    Verify,
    /// Write the log (newest first, at most 100,000 records) as CSV, UTF-8 with a BOM.
    /// The export is itself recorded in the log.
    Export {
        #[arg(long)]
        out: PathBuf,
        /// First office date to include, YYYY-MM-DD.
        #[arg(long)]
        from: Option<String>,
        /// Last office date to include, YYYY-MM-DD.
        #[arg(long)]
        to: Option<String>,
    },
    /// Delete records older than the retention period (at least 190 days); the chain stays
    /// verifiable, and the purge is recorded.
    Purge,
}

#[derive(Subcommand, Debug)]
pub enum RemindersCommand {
    /// One sweep of reminders and escalations.
    Run,
}

#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// The effective configuration, secrets masked.
    Show,
}

async fn find_login(s: &mishu_service::Services, login: &str) -> anyhow::Result<org::PersonRow> {
    let people = org::people(s, None).await?;
    people
        .into_iter()
        .find(|p| p.login == login.trim().to_ascii_lowercase())
        .ok_or_else(|| anyhow::anyhow!("no person with login `{login}`"))
}

pub async fn users(cli: &Cli, c: &UsersCommand) -> anyhow::Result<ExitCode> {
    let s = open(&config(cli, None, true), false).await?;
    match c {
        UsersCommand::List => {
            for p in org::people(&s, None).await? {
                let roles = org::roles_of(&s, mishu_domain::PersonId(p.person_id)).await?;
                let what = match &p.admin_kind {
                    Some(k) => format!("admin:{k}"),
                    None => roles.iter().map(|(r, _)| r.code()).collect::<Vec<_>>().join(","),
                };
                println!(
                    "{:<16} {:<8} {:<12} {}{}",
                    p.login,
                    p.name,
                    p.department_name.unwrap_or_default(),
                    what,
                    if p.active { "" } else { " (disabled)" }
                );
            }
        }
        UsersCommand::SetPassword { login } => {
            let p = find_login(&s, login).await?;
            eprintln!("New password for {} (one line on standard input):", p.login);
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            let pw = line.trim_end_matches(['\r', '\n']);
            auth::set_password(
                &s,
                &Origin { actor_id: None, acting_for: None, source_ip: "cli".into() },
                mishu_domain::PersonId(p.person_id),
                pw,
                true,
            )
            .await?;
            println!("password set for {}; it must be changed at next sign-in", p.login);
        }
        UsersCommand::Unlock { login } => {
            let p = find_login(&s, login).await?;
            auth::unlock(
                &s,
                &Origin { actor_id: None, acting_for: None, source_ip: "cli".into() },
                mishu_domain::PersonId(p.person_id),
            )
            .await?;
            println!("{} unlocked", p.login);
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn audit(cli: &Cli, c: &AuditCommand) -> anyhow::Result<ExitCode> {
    let s = open(&config(cli, None, true), false).await?;
    match c {
        AuditCommand::Verify => {
            let r = audit::verify(&s).await?;
            if r.ok() {
                println!("audit log intact: {} records, chain verified", r.records);
                return Ok(ExitCode::SUCCESS);
            }
            println!("audit log BROKEN ({} records checked):", r.records);
            for b in &r.breaks {
                println!("  {b}");
            }
            if let Some(after) = r.truncated_after {
                println!("  records after {after}: deleted (the log ends before its recorded head)");
            }
            Ok(ExitCode::from(1))
        }
        AuditCommand::Export { out, from, to } => {
            let (from, to) = audit::office_date_range(from.as_deref().unwrap_or(""), to.as_deref().unwrap_or(""))?;
            let filter = audit::AuditFilter { from, to, ..Default::default() };
            let rows = export_to(&s, &filter, out).await?;
            println!("exported {rows} audit records to {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Purge => {
            let days = mishu_service::settings::audit_retention_days(&s.db).await?;
            let removed = audit::purge(&s, &cli_origin()).await?;
            println!("purged {removed} audit records older than {days} days");
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub(super) fn cli_origin() -> Origin {
    Origin { actor_id: None, acting_for: None, source_ip: "cli".into() }
}

/// Writes beside the target and renames at the end, so a failed export leaves no half file
/// under the name asked for.
async fn export_to(s: &mishu_service::Services, filter: &audit::AuditFilter, out: &Path) -> anyhow::Result<i64> {
    let mut ex = audit::export::begin(s, &cli_origin(), filter, &audit::export::COLUMNS).await?;
    if ex.truncated {
        eprintln!(
            "more than {} records match; exporting the newest (narrow with --from/--to)",
            audit::export::MAX_EXPORT_ROWS
        );
    }
    let partial = out.with_extension("partial");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&partial)?);
    while let Some(chunk) = ex.next_chunk(s).await? {
        file.write_all(&chunk)?;
    }
    file.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    std::fs::rename(&partial, out)?;
    Ok(ex.rows)
}

pub async fn reminders(cli: &Cli, c: &RemindersCommand) -> anyhow::Result<ExitCode> {
    let s = open(&config(cli, None, true), false).await?;
    match c {
        RemindersCommand::Run => {
            let r = mishu_service::tasks::run_reminder_sweep_now(&s).await?;
            println!("reminded {}, escalated {}, filing requested {}", r.reminded, r.escalated, r.filing_requested);
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn config_cmd(cli: &Cli, c: &ConfigCommand) -> anyhow::Result<ExitCode> {
    match c {
        ConfigCommand::Show => {
            let cfg = config(
                cli,
                std::env::var("MISHU_LISTEN").ok().as_deref(),
                std::env::var("MISHU_INSECURE_COOKIES").is_err(),
            );
            println!("{}", serde_json::to_string_pretty(&cfg)?);
            println!("database: {}", cfg.location().map(|l| l.describe()).unwrap_or_else(|e| format!("ERROR {e}")));
        }
    }
    Ok(ExitCode::SUCCESS)
}
