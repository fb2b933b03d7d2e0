#!/usr/bin/env bash
# T11 (RELIABILITY.md): every cargo-fuzz target in fuzz/ for SECONDS each, one at a time.
#   scripts/fuzz.sh SECONDS [TARGET...]
# Builds once (stable toolchain, `--sanitizer none`, build output outside the clone in
# $MISHU_FUZZ_TARGET_DIR), installs cargo-fuzz if missing, then runs each target from its
# committed seed corpus (fuzz/corpus/<target>, never written to: new inputs go to a work
# corpus under the target dir). Prints runs, coverage and the result per target; exits
# non-zero on any crash, timeout or OOM. A failing input is kept in fuzz/artifacts/<target>/
# (git-ignored); replay it with `cargo fuzz run -s none <target> <file>`, then turn it into
# a unit test.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:?usage: scripts/fuzz.sh SECONDS [TARGET...]}"
shift
if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
    # shellcheck disable=SC1091
    . "$HOME/.cargo/env"
fi
export CARGO_TARGET_DIR="${MISHU_FUZZ_TARGET_DIR:-/var/cache/mishu-fuzz-target}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz"
    t0=$(date +%s)
    cargo install --locked cargo-fuzz
    echo "cargo-fuzz installed in $(( $(date +%s) - t0 )) s"
fi

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    mapfile -t targets < <(cargo fuzz list)
fi

t0=$(date +%s)
cargo fuzz build -s none
echo "fuzz build: $(( $(date +%s) - t0 )) s"

work="$CARGO_TARGET_DIR/corpus-work"
failed=()
summary=()
for t in "${targets[@]}"; do
    printf '\n==> fuzz %s for %s s\n' "$t" "$SECONDS_EACH"
    mkdir -p "$work/$t" "fuzz/artifacts/$t"
    log="$work/$t.log"
    before=$(find "fuzz/artifacts/$t" -type f | wc -l)
    set +e
    # -jobs=1 runs the one job in a child process whose output goes to fuzz-0.log in the
    # working directory: run it inside the work dir, then show that log.
    (cd "$work" && rm -f fuzz-0.log && cargo fuzz run --fuzz-dir "$OLDPWD/fuzz" -s none "$t" "$work/$t" "$OLDPWD/fuzz/corpus/$t" -- \
        -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=10 -max_len=4096 -jobs=1 \
        -artifact_prefix="$OLDPWD/fuzz/artifacts/$t/" -print_final_stats=1 >"$log" 2>&1)
    rc=$?
    set -e
    [ -f "$work/fuzz-0.log" ] && cat "$work/fuzz-0.log" >>"$log"
    after=$(find "fuzz/artifacts/$t" -type f | wc -l)
    runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
    result=ok
    if [ "$rc" -ne 0 ] || [ "$after" -gt "$before" ] || grep -qE '^==[0-9]+== ERROR|ERROR: libFuzzer|panicked at' "$log"; then
        result=FAILED
        failed+=("$t")
        grep -E 'panicked at|ERROR|SUMMARY|Test unit written|Base64' "$log" | head -20 || true
    fi
    line="$(printf '%-14s runs %-10s %-22s %s' "$t" "${runs:-?}" "${cov:-cov: ?}" "$result")"
    echo "$line"
    summary+=("$line")
done

printf '\n==> T11 fuzz summary (%s s per target)\n' "$SECONDS_EACH"
printf '%s\n' "${summary[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz FAILED: ${failed[*]} (inputs in fuzz/artifacts/, logs in $work/)" >&2
    exit 1
fi
