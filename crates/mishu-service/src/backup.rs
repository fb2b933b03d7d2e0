//! Backups; filled in below.
