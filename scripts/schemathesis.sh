#!/usr/bin/env bash
# T12: schemathesis against the JSON API of a demo server, signed in with an API token per
# role; fails on any 5xx or any answer that breaks the OpenAPI schema.
#   scripts/schemathesis.sh [EXAMPLES] [LOGIN...]
# Defaults: 20 examples per operation, the secretary (mishu). The long tier passes 100 and
# one business login per role. Needs `pip install schemathesis` and a built `mishu`
# ($MISHU_BIN, else $CARGO_TARGET_DIR/debug/mishu). PostgreSQL when MISHU_DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
EXAMPLES="${1:-20}"
shift || true
LOGINS=("$@")
[ "${#LOGINS[@]}" -gt 0 ] || LOGINS=(mishu)
BIN="${MISHU_BIN:-${CARGO_TARGET_DIR:-target}/debug/mishu}"
[ -x "$BIN" ] || { echo "no mishu binary at $BIN (cargo build -p mishu)" >&2; exit 2; }
command -v schemathesis >/dev/null || { echo "schemathesis is not installed (pip install schemathesis)" >&2; exit 2; }

WORK="$(mktemp -d)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
SERVER_PID=""
cleanup() {
    # Only the server this script started, by its pid.
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

env -u MISHU_LISTEN MISHU_LOG=warn "$BIN" --data "$WORK/data" serve --demo --insecure-cookies --listen "127.0.0.1:$PORT" \
    >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 1 600); do
    curl -fs "$BASE/healthz" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.err" >&2; exit 1; }
    sleep 0.2
done
PASSWORD="$(sed -n 's/.*(shown once): //p' "$WORK/server.out" | tr -d '[:space:]')"
[ -n "$PASSWORD" ] || { echo "no demo password on the server's output" >&2; exit 1; }

csrf() { grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//'; }

# Signs in through the login form and makes an API token on the account page.
token_for() {
    local login="$1" jar="$WORK/$1.jar" t
    t="$(curl -fs -c "$jar" -b "$jar" "$BASE/login" | csrf)"
    curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$t" --data-urlencode "login=$login" \
        --data-urlencode "password=$PASSWORD" "$BASE/login"
    t="$(curl -fs -c "$jar" -b "$jar" "$BASE/account" | csrf)"
    curl -fs -c "$jar" -b "$jar" --data-urlencode "_csrf=$t" --data-urlencode "name=schemathesis" \
        --data-urlencode "expires=" "$BASE/account/tokens" | grep -o 'id="token">[^<]*' | sed 's/.*>//'
}

REPORTS="$(realpath -m "${CARGO_TARGET_DIR:-target}")/schemathesis"
status=0
for login in "${LOGINS[@]}"; do
    TOKEN="$(token_for "$login")"
    [ -n "$TOKEN" ] || { echo "could not make a token for $login" >&2; exit 1; }
    echo "==> schemathesis as $login, $EXAMPLES examples per operation"
    # From the scratch folder: schemathesis keeps its example database in ./.schemathesis.
    (cd "$WORK" && schemathesis run "$BASE/api/v1/openapi.json" \
        -H "Authorization: Bearer $TOKEN" \
        --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
        --max-examples "$EXAMPLES" --request-timeout 20 --no-color \
        --report junit --report-dir "$REPORTS/$login") || status=1
done
if grep -q "panicked" "$WORK/server.err"; then
    echo "the server panicked:" >&2
    grep -A3 "panicked" "$WORK/server.err" >&2
    status=1
fi
exit $status
