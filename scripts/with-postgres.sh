#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15 server on 127.0.0.1 and
# KPIWATCH_TEST_POSTGRES_URL pointing at it; the server and its files are removed afterwards.
# Usage: scripts/with-postgres.sh swift test
set -euo pipefail

BIN=/usr/lib/postgresql/15/bin
if ! command -v "$BIN/initdb" >/dev/null; then
    apt-get update && apt-get install -y postgresql
fi

PORT="${KPIWATCH_TEST_POSTGRES_PORT:-55432}"
next_free_port() {
    while (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done
}

DIR="$(mktemp -d /tmp/kpiwatch-pg.XXXXXX)"
# initdb refuses to run as root, so the cluster belongs to the postgres user.
if [ "$(id -u)" = 0 ]; then
    chown postgres "$DIR"
    AS_PG=(runuser -u postgres --)
else
    AS_PG=()
fi

stop() {
    "${AS_PG[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap stop EXIT

"${AS_PG[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log"
# Probing finds a free port, but a run started at the same moment (helpers do this) can probe the same one and
# bind it first: then the server log says the address is in use, and the next port is tried, a bounded number of
# times. Any other failure to start is reported at once, with the server's log.
ATTEMPTS=20
for attempt in $(seq "$ATTEMPTS"); do
    next_free_port
    if "${AS_PG[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DIR -c fsync=off" \
        start >/dev/null; then
        break
    fi
    if [ "$attempt" -lt "$ATTEMPTS" ] && grep -q "Address already in use" "$DIR/server.log"; then
        echo "with-postgres.sh: port $PORT was taken before the server could bind it; trying the next" >&2
        : >"$DIR/server.log"
        PORT=$((PORT + 1))
        continue
    fi
    cat "$DIR/server.log" >&2 || true
    exit 1
done

export KPIWATCH_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$PORT/postgres"
"$@"
