//! `mishu`: the one binary. Parses the command line and configuration, then hands over to
//! the service and web crates. No business logic lives here.

mod cli;
mod config;

use clap::Parser;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let args = cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MISHU_LOG").unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match cli::run(args).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("mishu: {e:#}");
            ExitCode::from(2)
        }
    }
}
