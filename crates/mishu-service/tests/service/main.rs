//! Service tests: every body runs on SQLite and, when configured, on PostgreSQL.

mod audit;
mod auth;
mod db;
mod demo;
mod incoming;
mod leader_tasks;
mod tasks;
