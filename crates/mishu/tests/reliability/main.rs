//! The reliability suite of issue 8 against the real `mishu` binary (results and commands in
//! RELIABILITY.md): T1 crash durability under SIGKILL. Each harness reads its writes from
//! the per-domain table in `writes.rs`, so a new domain joins every test by adding a row.

mod api;
mod backup;
mod backup_postgres;
mod crash;
mod disk_full;
mod node;
mod races;
mod soak;
mod writes;
