//! `mishu serve`: migrate, optionally load the demo, open the search index, start the reminder
//! and search loops, serve HTTP.

use super::{Cli, config, open};
use clap::Args;
use mishu_service::{Services, demo, search, tasks};
use mishu_web::{PublicUrl, WebConfig};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "MISHU_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Load the demo organ first if the database is empty.
    #[arg(long)]
    pub demo: bool,
    /// Send cookies without `Secure` (plain HTTP). Only for trying Mishu on one machine;
    /// behind HTTPS leave it off.
    #[arg(long, env = "MISHU_INSECURE_COOKIES")]
    pub insecure_cookies: bool,
    /// The address people reach this site at (e.g. https://oa.example.edu.cn), used in
    /// check-in QR codes and calendar feed links. Default: the address each request came to.
    #[arg(long, env = "MISHU_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Demo only: shift the clock by the milliseconds written in FILE (re-read on every tick),
    /// to walk through a week of the demo office. Refused without `--demo`.
    #[arg(long, value_name = "FILE", requires = "demo", hide = true)]
    pub demo_clock: Option<std::path::PathBuf>,
}

pub async fn load_demo(s: &Services) -> anyhow::Result<()> {
    let report = demo::load(s).await?;
    println!("\nDemo organ loaded: 江北职业技术学院 党政办公室.");
    println!("Every demo account below uses this password (shown once): {}\n", report.password);
    for l in &report.logins {
        println!("  {:<14} {:<6} {}", l.login, l.name, l.what);
    }
    println!();
    Ok(())
}

pub async fn run(cli: &Cli, a: &ServeArgs) -> anyhow::Result<ExitCode> {
    let addr: SocketAddr = a
        .listen
        .parse()
        .map_err(|_| anyhow::anyhow!("--listen: `{}` is not ADDR:PORT (e.g. 127.0.0.1:8080)", a.listen))?;
    let cfg = config(cli, Some(&a.listen), !a.insecure_cookies);
    let public_url =
        a.public_url.as_deref().map(PublicUrl::parse).transpose().map_err(|e| anyhow::anyhow!("--public-url: {e}"))?;
    let mut services = open(&cfg, true).await?;
    if let Some(file) = &a.demo_clock {
        services.clock = Arc::new(super::demo_clock::DemoClock { file: file.clone() });
        tracing::warn!(file = %file.display(), "demo clock: the server's time is shifted");
    }
    if a.demo && !demo::is_loaded(&services).await? {
        load_demo(&services).await?;
    }
    // This node's search index: brought up to date (or built, when new) before serving, then
    // kept current from the change record every few seconds (architecture §6).
    let index_dir = super::reindex::index_dir(cli);
    services.search = Arc::new(search::SearchIndex::open(&index_dir)?);
    let applied = search::apply_changes_now(&services).await?;
    tracing::info!(dir = %index_dir.display(), applied, "search index ready");
    tokio::spawn(search::run_loop(services.clone(), Duration::from_secs(3)));
    // The change record is pruned hourly by every node; deleting twice is harmless.
    let pruner = services.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match search::prune(&pruner).await {
                Ok(0) => {}
                Ok(removed) => tracing::info!(removed, "search: old changes pruned"),
                Err(e) => tracing::warn!(error = %e, "search: pruning the change record failed; will retry"),
            }
        }
    });
    let sweeper = services.clone();
    let node = cfg.node_name.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            if let Err(e) = tasks::run_reminder_sweep(&sweeper, &node).await {
                tracing::warn!(error = %e, "reminder sweep failed; will retry");
            }
        }
    });
    let app = mishu_web::app(
        services.clone(),
        WebConfig { secure_cookies: cfg.secure_cookies, node_name: cfg.node_name.clone(), public_url },
    );
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| anyhow::anyhow!("--listen {addr}: {e}"))?;
    println!("Mishu is serving http://{addr} ({})", cfg.location()?.describe());
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    services.db.close().await;
    Ok(ExitCode::SUCCESS)
}
