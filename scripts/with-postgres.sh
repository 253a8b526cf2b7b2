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
while (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done

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
"${AS_PG[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DIR -c fsync=off" start >/dev/null

export KPIWATCH_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$PORT/postgres"
"$@"
