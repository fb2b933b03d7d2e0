//! `mishu labels verify`: walks every labelled row (received and outgoing documents, archive
//! items) and names each whose 密级 no longer matches its MAC; exit 1 if any (T18).

use super::{Cli, config, open};
use clap::Subcommand;
use mishu_service::audit::Origin;
use mishu_service::labels;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum LabelsCommand {
    /// Check every security label against its HMAC-SM3; exit 1 naming each tampered row.
    /// The check is recorded in the audit log.
    Verify,
}

pub async fn run(cli: &Cli, c: &LabelsCommand) -> anyhow::Result<ExitCode> {
    let s = open(&config(cli, None, true), false).await?;
    match c {
        LabelsCommand::Verify => {
            let origin = Origin { actor_id: None, acting_for: None, source_ip: "cli".into() };
            let r = labels::verify(&s, &origin).await?;
            if r.tampered.is_empty() {
                println!("labels intact: {} objects checked", r.checked);
                return Ok(ExitCode::SUCCESS);
            }
            println!("labels TAMPERED: {} of {} objects:", r.tampered.len(), r.checked);
            for t in &r.tampered {
                let why = if t.unsealed { "no MAC" } else { "MAC does not match" };
                println!("  {} {}: classification now `{}` ({why})", t.kind, t.id, t.classification);
            }
            Ok(ExitCode::from(1))
        }
    }
}
