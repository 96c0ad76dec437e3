#!/usr/bin/env bash
# Throughput of the example server's handler on PostgreSQL over loopback (issue 16 item 5): GET one vehicle and
# test-drive bookings on distinct cars (examples/load: each worker books consecutive slots of its own car), on
# lib/pq and pgx, run alternately (A/B interleaved) ROUNDS times, each on a fresh database, after the bare net/http
# baseline of the same routes (examples/load -baseline; BASELINE=0 skips it), with the machine's load average
# (uptime) printed beside every figure. Nothing runs after it: the servers are stopped and the databases
# dropped.
#
#   scripts/pgload/run.sh                      # 3 rounds, 8 workers, 10 s per route
#   ROUNDS=2 CONCURRENCY=16 DURATION=20s scripts/pgload/run.sh
#   BEFORE_SERVER=/tmp/server-before DRIVERS="before pq pgx" scripts/pgload/run.sh   # with an older build too
#
# PG is the server's URL without a database name's path (default postgres://postgres@127.0.0.1:5432); the
# databases are named pgload_<driver>_<round>.
set -euo pipefail
cd "$(dirname "$0")/../.."
PG="${PG:-postgres://postgres@127.0.0.1:5432}"
ROUNDS="${ROUNDS:-3}"
CONCURRENCY="${CONCURRENCY:-8}"
DURATION="${DURATION:-20s}" # split between the two routes
PORT="${PORT:-18291}"
DRIVERS="${DRIVERS:-pq pgx}"
work=$(mktemp -d)
go build -o "$work/server" ./examples/server
go build -o "$work/load" ./examples/load
pid=""
cleanup() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT

for round in $(seq 1 "$ROUNDS"); do
  if [ -n "${BASELINE:-1}" ] && [ "${BASELINE:-1}" != 0 ]; then
    # The floor of HTTP and JSON on this machine at this minute: a bare net/http handler, in-process.
    echo "== round $round, bare net/http baseline, $(date -u +%H:%M:%S) UTC, before: $(uptime | sed 's/.*load average/load average/')"
    "$work/load" -baseline -routes get,drive -duration "$DURATION" -concurrency "$CONCURRENCY" -max-requests 1000000
    echo "   after: $(uptime | sed 's/.*load average/load average/')"
  fi
  for driver in $DRIVERS; do
    db="pgload_${driver}_${round}"
    psql "$PG/postgres?sslmode=disable" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
    if [ "$driver" = before ]; then # BEFORE_SERVER: an older build of examples/server (lib/pq), for before/after
      "$BEFORE_SERVER" -addr "127.0.0.1:$PORT" -postgres "$PG/$db?sslmode=disable" > "$work/tokens.txt" 2> "$work/server.log" &
    else
      "$work/server" -addr "127.0.0.1:$PORT" -driver "$driver" -postgres "$PG/$db?sslmode=disable" \
        > "$work/tokens.txt" 2> "$work/server.log" &
    fi
    pid=$!
    for _ in $(seq 1 120); do grep -q 'role=sales_manager' "$work/tokens.txt" 2>/dev/null && break; sleep 0.5; done
    token=$(grep 'Север role=sales_manager' "$work/tokens.txt" | head -n1 | sed 's/.*token=//')
    sleep 2 # the demo seed's relay pass
    echo "== round $round, driver $driver, $(date -u +%H:%M:%S) UTC, before: $(uptime | sed 's/.*load average/load average/')"
    "$work/load" -addr "127.0.0.1:$PORT" -token "$token" -routes get,drive -duration "$DURATION" \
      -concurrency "$CONCURRENCY" -max-requests 1000000
    echo "   after: $(uptime | sed 's/.*load average/load average/')"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
    psql "$PG/postgres?sslmode=disable" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  done
done
