//! Service tests: every body runs on SQLite and, when configured, on PostgreSQL.

mod audit;
mod audit_browse;
mod auth;
mod db;
mod demo;
mod import;
mod incoming;
mod leader_tasks;
mod meetings;
mod org_admin;
mod phrases;
mod seals;
mod search;
mod settings;
mod tasks;
mod totp;
