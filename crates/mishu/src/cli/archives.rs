//! Archives from the command line: the transfer package (移交包) of a year, built as the
//! named archivist (the export is recorded in the audit log under their name).

use super::{Cli, config, open};
use clap::Subcommand;
use mishu_service::{archives, org};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum ArchivesCommand {
    /// Write a year's transfer package: files plus metadata.xml and metadata.csv (GB/T 33480
    /// core fields), as a zip.
    Export {
        #[arg(long)]
        year: i32,
        /// Login of the archivist (or office head) the export is made as.
        #[arg(long = "as", default_value = "dangan")]
        login: String,
        out: PathBuf,
    },
}

pub async fn run(cli: &Cli, c: &ArchivesCommand) -> anyhow::Result<ExitCode> {
    let s = open(&config(cli, None, true), false).await?;
    match c {
        ArchivesCommand::Export { year, login, out } => {
            let person = org::people(&s, None)
                .await?
                .into_iter()
                .find(|p| p.login == login.trim().to_ascii_lowercase())
                .ok_or_else(|| anyhow::anyhow!("no person with login `{login}`"))?;
            let actor = org::load_actor(&s, mishu_domain::PersonId(person.person_id), None).await?;
            let bytes = archives::export::package(&s, &actor, *year, "cli").await?;
            std::fs::write(out, &bytes)?;
            println!("package written: {} ({} bytes)", out.display(), bytes.len());
        }
    }
    Ok(ExitCode::SUCCESS)
}
