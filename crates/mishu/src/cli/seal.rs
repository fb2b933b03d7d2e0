//! `mishu seal verify FILE`: checks a PDF sealed with an electronic seal, offline, and names
//! the seal from this organ's registry when the database can be opened. Exit 0 when intact,
//! 1 when not, 2 when the file is not a sealed PDF.

use super::{Cli, config, open};
use clap::Subcommand;
use mishu_domain::Timestamp;
use mishu_service::seals::esign::{self, Verdict};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum SealCommand {
    /// Verify the electronic seal on a PDF: intact or not, which seal signed it, and when.
    Verify { file: PathBuf },
}

pub async fn run(cli: &Cli, c: &SealCommand) -> anyhow::Result<ExitCode> {
    let SealCommand::Verify { file } = c;
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    // The registry is a courtesy: without a database the file is still checked.
    let verdict = match open(&config(cli, None, false), false).await {
        Ok(s) => {
            let v = esign::verify(&s, &bytes).await;
            s.db.close().await;
            v.map_err(|e| e.to_string())
        }
        Err(_) => esign::verify_document(&bytes).map_err(|e| e.to_string()),
    };
    match verdict {
        Ok(v) => {
            print(file, &v);
            Ok(if v.intact { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Err(msg) => {
            eprintln!("{}: {msg}", file.display());
            Ok(ExitCode::from(2))
        }
    }
}

fn print(file: &std::path::Path, v: &Verdict) {
    if v.intact {
        println!("{}: INTACT — the electronic seal verifies", file.display());
    } else {
        println!("{}: NOT INTACT — {}", file.display(), v.failure.unwrap_or("unknown"));
    }
    if let Some(n) = &v.seal_name {
        println!("seal: {n}");
    }
    if let Some(e) = &v.es_id {
        println!("seal code: {e}");
    }
    if let Some(t) = v.signed_at {
        println!("signed at: {}", Timestamp(t).local_display());
    }
    if let Some(f) = &v.fingerprint {
        println!("key fingerprint (SM3): {f}");
    }
    match &v.registry {
        Some(r) => println!("registry: seal #{} {} ({})", r.seal_id, r.name, r.state),
        None => println!("registry: not a seal registered here"),
    }
}
