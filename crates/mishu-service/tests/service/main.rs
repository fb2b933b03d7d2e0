//! Service tests: every body runs on SQLite and, when configured, on PostgreSQL.

mod archives;
mod audit;
mod audit_browse;
mod audit_completeness;
mod auth;
mod bookings_race;
mod db;
mod demo;
mod fuzz;
mod import;
mod incoming;
mod leader_tasks;
mod meetings;
mod org_admin;
mod outgoing;
mod phrases;
mod seals;
mod seals_esign;
mod seals_outgoing;
mod seals_race;
mod seals_report;
mod seals_rules;
mod search;
mod settings;
mod tasks;
mod totp;
