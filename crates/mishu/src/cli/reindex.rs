//! `mishu reindex`: rebuilds this node's search index from the database, with a progress
//! bar on a terminal (hidden otherwise, e.g. in scripts and CI); `--all-nodes` asks every
//! node to rebuild its own, while serving.

use super::{Cli, config, open};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use mishu_service::search::{self, SearchIndex};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Where this node keeps its index: `--index`, else `index/` in the data folder.
pub fn index_dir(cli: &Cli) -> PathBuf {
    cli.index.clone().unwrap_or_else(|| cli.data.join("index"))
}

pub async fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let cfg = config(cli, None, true);
    let mut s = open(&cfg, false).await?;
    s.db.migrate().await?;
    // A migration that added label MACs (0033) leaves them to be sealed before anything is read.
    mishu_service::labels::seal_unsealed(&s).await?;
    let dir = index_dir(cli);
    s.search = Arc::new(SearchIndex::open(&dir)?);
    let bar = ProgressBar::new(0);
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({elapsed})")
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .progress_chars("=> "),
    );
    bar.set_message("indexing");
    let progress = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let indexed = search::reindex(&s, &progress).await.map_err(|e| {
        anyhow::anyhow!("{e}\n(is `mishu serve` running with this index? It holds the index's writer; stop it first)")
    });
    bar.finish_and_clear();
    let indexed = indexed?;
    println!("search index rebuilt: {indexed} objects in {}", dir.display());
    s.db.close().await;
    Ok(ExitCode::SUCCESS)
}

/// `mishu reindex --all-nodes`: records the request; nothing here touches an index.
pub async fn request_everywhere(cli: &Cli) -> anyhow::Result<ExitCode> {
    let cfg = config(cli, None, true);
    let s = open(&cfg, false).await?;
    let mark = search::request_rebuild(&s, &super::admin::cli_origin()).await?;
    println!(
        "search index rebuild requested (change {mark}): every node rebuilds at its next apply, \
         within seconds while serving, else when it starts"
    );
    s.db.close().await;
    Ok(ExitCode::SUCCESS)
}
