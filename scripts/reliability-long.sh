#!/usr/bin/env bash
# The long tier of the reliability suite (issue 8, RELIABILITY.md), one command:
#   200 crash cycles on SQLite and 50 on PostgreSQL, 500 race rounds per backend, 500 power
#   cuts under the file store, the disk-full test, 200,000 fuzz iterations per parser, cargo-fuzz for 10 minutes per target,
#   schemathesis at 100 examples per operation for one business login per role, and a
#   10-minute soak with flat memory.
# Runs as root (the disk-full test mounts a tmpfs); PostgreSQL at $MISHU_CI_POSTGRES_URL
# (default postgres://postgres@127.0.0.1:5432/postgres). About 2–2.5 hours on 2 cores (1 hour of
# it cargo-fuzz; `MISHU_FUZZ_SECONDS` shortens it).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/mishu-target}"
PG="${MISHU_CI_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
step() { printf '\n==> %s\n' "$*"; }
rm -f "$CARGO_TARGET_DIR/reliability/results.txt"

step "T1 crash durability: 200 cycles on SQLite, 50 on PostgreSQL"
MISHU_TEST_POSTGRES_URL="$PG" MISHU_CRASH_CYCLES_SQLITE=200 MISHU_CRASH_CYCLES_POSTGRES=50 \
    cargo test -p mishu --test reliability -- --exact crash::acknowledged_writes_survive_sigkill --nocapture

step "T4 races: 500 rounds per backend"
MISHU_TEST_POSTGRES_URL="$PG" MISHU_RACE_ROUNDS=500 \
    cargo test -p mishu --test reliability -- --exact races::racing_requests_have_exactly_one_winner --nocapture

step "T2 power cuts under the file store: 500 on SQLite, 166 on PostgreSQL"
MISHU_TEST_POSTGRES_URL="$PG" MISHU_POWER_LOSS_CYCLES=500 \
    cargo test -p mishu-service --test service -- incoming::power_loss --nocapture

step "T3 disk full"
MISHU_REQUIRE_DISK_FULL=1 cargo test -p mishu --test reliability -- disk_full --include-ignored --nocapture

step "T11 fuzzing: 200,000 iterations per parser"
MISHU_FUZZ_ITERS=200000 cargo test -p mishu-service --test service -- fuzz --nocapture

step "T11 cargo-fuzz: every target in fuzz/ for ${MISHU_FUZZ_SECONDS:-600} s"
scripts/fuzz.sh "${MISHU_FUZZ_SECONDS:-600}"

step "T12 schemathesis: 100 examples per operation, one login per role"
cargo build -q -p mishu
scripts/schemathesis.sh 100 mishu zhuren shuji zsc.chuzhang zsc.keyuan yinzhang jiyao

step "Soak: 10 minutes of mixed traffic, memory must stay flat"
MISHU_SOAK_SECONDS=600 cargo test -p mishu --test reliability -- --exact soak::memory_stays_flat_under_load --ignored --nocapture

step "results"
cat "$CARGO_TARGET_DIR/reliability/results.txt"
