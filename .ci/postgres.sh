#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 for the living-review tests.
#
# Prints (stdout, nothing else) shell lines to evaluate:
#   export METABOLERO_TEST_PG_URL=postgresql+psycopg://metabolero@127.0.0.1:PORT/metabolero_test
#   export METABOLERO_PG_DATA=/tmp/...        (the cluster's data directory)
#   export METABOLERO_PG_STOP='...'           (the command that stops it: eval "$METABOLERO_PG_STOP")
# Usage in .ci/run:   eval "$(bash .ci/postgres.sh)"
# Progress and errors go to stderr. Exit status 1 when no server could be started, so the
# caller can decide whether to go on (the PostgreSQL tests then skip, saying why).
#
# The server binaries are looked up on PATH and under /usr/lib/postgresql/*/bin; when they are
# missing and we are root on a Debian-like machine, `apt-get install -y postgresql` brings them.
# PostgreSQL refuses to run as root, so as root the cluster belongs to an unprivileged user.
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

find_bin() {
    local name=$1 dir
    # Follow symlinks: /usr/local/bin may link only a few of the binaries of one install.
    if command -v "$name" >/dev/null 2>&1; then
        dir=$(dirname "$(readlink -f "$(command -v "$name")")")
        if [ -x "$dir/initdb" ] && [ -x "$dir/createdb" ]; then echo "$dir"; return 0; fi
    fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        if [ -x "$dir/$name" ] && [ -x "$dir/initdb" ] && [ -x "$dir/createdb" ]; then echo "$dir"; return 0; fi
    done
    return 1
}

BIN=$(find_bin pg_ctl || true)
if [ -z "$BIN" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        log "PostgreSQL server binaries not found; installing with apt-get"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq postgresql >&2
        BIN=$(find_bin pg_ctl || true)
    fi
fi
if [ -z "$BIN" ]; then
    log "no PostgreSQL server binaries (pg_ctl, initdb, postgres) found and cannot install them"
    exit 1
fi

# As root, run the server as an unprivileged user (created when missing).
RUN=()
OWNER=$(id -un)
if [ "$(id -u)" = 0 ]; then
    OWNER=metabolero-pg
    if ! id "$OWNER" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin "$OWNER" >&2 2>/dev/null \
            || adduser --system --no-create-home "$OWNER" >&2
    fi
    if command -v runuser >/dev/null 2>&1; then
        RUN=(runuser -u "$OWNER" --)
    else
        RUN=(su -s /bin/sh "$OWNER" -c)
    fi
fi
as_owner() {
    if [ ${#RUN[@]} -eq 0 ]; then "$@";
    elif [ "${RUN[0]}" = runuser ]; then "${RUN[@]}" "$@";
    else "${RUN[@]}" "$(printf '%q ' "$@")"; fi
}

DATA=$(mktemp -d "${TMPDIR:-/tmp}/metabolero-pg.XXXXXX")
chmod 700 "$DATA"
[ "$(id -u)" = 0 ] && chown "$OWNER" "$DATA"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
DBUSER=metabolero
DBNAME=metabolero_test

log "initialising a cluster in $DATA ($("$BIN/postgres" --version))"
as_owner "$BIN/initdb" -D "$DATA/db" -U "$DBUSER" -A trust -E UTF8 --locale=C --no-sync >"$DATA/initdb.log" 2>&1 \
    || { cat "$DATA/initdb.log" >&2; exit 1; }
# fsync off: a test server whose data is thrown away; the tests' atomicity checks rely on
# transactions and process death, not on surviving a power cut.
as_owner "$BIN/pg_ctl" -D "$DATA/db" -l "$DATA/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA -c fsync=off -c full_page_writes=off" start >&2 \
    || { cat "$DATA/server.log" >&2; exit 1; }
as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U "$DBUSER" "$DBNAME" >&2 \
    || { as_owner "$BIN/pg_ctl" -D "$DATA/db" stop -m fast >&2; exit 1; }
log "PostgreSQL listening on 127.0.0.1:$PORT, database $DBNAME"

echo "export METABOLERO_TEST_PG_URL=postgresql+psycopg://$DBUSER@127.0.0.1:$PORT/$DBNAME"
echo "export METABOLERO_PG_DATA=$DATA/db"
if [ "$(id -u)" = 0 ]; then
    echo "export METABOLERO_PG_STOP='runuser -u $OWNER -- $BIN/pg_ctl -D $DATA/db stop -m fast'"
else
    echo "export METABOLERO_PG_STOP='$BIN/pg_ctl -D $DATA/db stop -m fast'"
fi
