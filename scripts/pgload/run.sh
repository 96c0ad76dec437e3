#!/usr/bin/env bash
# Throughput of the example server's handler on PostgreSQL over loopback (issue 16 item 5): GET one vehicle and
# test-drive bookings on distinct cars (examples/load: each worker books consecutive slots of a car of its own, so
# its car collects every future drive the worker books: the worst case for a booking whose cost grew with the
# car's drives, which it no longer does: migration 093), on lib/pq and pgx, run alternately (A/B interleaved)
# ROUNDS times, each on a fresh database, after the bare net/http baseline of the same routes (examples/load
# -baseline; BASELINE=0 skips it), with the machine's load average (uptime) printed beside every figure, and a
# summary table at the end. Nothing runs after it: the servers are stopped and the databases dropped.
#
#   scripts/pgload/run.sh                      # 3 rounds, 8 workers, 20 s split between the two routes
#   ROUNDS=1 CONCURRENCY=16 DURATION=20s scripts/pgload/run.sh
#   BEFORE_SERVER=/tmp/server-before DRIVERS="before pq pgx" scripts/pgload/run.sh   # with an older build too
#   DRIVERS="old=/tmp/server-old pq" scripts/pgload/run.sh   # name=binary: any build of examples/server, on lib/pq
#   PROFILE_DIR=/tmp/prof scripts/pgload/run.sh    # also a CPU profile of each server of this tree (-pprof)
#
# PG is the server's URL without a database name's path (default postgres://postgres@127.0.0.1:5432); the
# databases are named pgload_<name>_<round>. SERVER_ARGS are extra flags for every server of this tree.
set -euo pipefail
cd "$(dirname "$0")/../.."
PG="${PG:-postgres://postgres@127.0.0.1:5432}"
ROUNDS="${ROUNDS:-3}"
CONCURRENCY="${CONCURRENCY:-8}"
DURATION="${DURATION:-20s}" # split between the two routes
PORT="${PORT:-18291}"
PPROF_PORT="${PPROF_PORT:-18292}"
DRIVERS="${DRIVERS:-pq pgx}"
SERVER_ARGS="${SERVER_ARGS:-}"
work=$(mktemp -d)
go build -o "$work/server" ./examples/server
go build -o "$work/load" ./examples/load
pid=""
cleanup() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT
loadavg() { uptime | sed 's/.*load average: //'; }
summary="$work/summary.txt"

for round in $(seq 1 "$ROUNDS"); do
  if [ -n "${BASELINE:-1}" ] && [ "${BASELINE:-1}" != 0 ]; then
    # The floor of HTTP and JSON on this machine at this minute: a bare net/http handler, in-process.
    echo "== round $round, bare net/http baseline, $(date -u +%H:%M:%S) UTC, before: load average $(loadavg)"
    before=$(loadavg)
    "$work/load" -baseline -routes get,drive -duration "$DURATION" -concurrency "$CONCURRENCY" -max-requests 1000000 \
      | tee "$work/out.txt"
    echo "   after: load average $(loadavg)"
    awk -v r="$round" -v n=baseline -v t="$(date -u +%H:%M)" -v l="$before" \
      '/^GET/ {g=$5" "$6} /^POST/ {b=$5" "$6} END {print r, n, t, g, b, l}' "$work/out.txt" >> "$summary"
  fi
  for driver in $DRIVERS; do
    name=${driver%%=*}
    db="pgload_${name}_${round}"
    psql "$PG/postgres?sslmode=disable" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
    prof=""
    case "$driver" in
      before) # BEFORE_SERVER: an older build of examples/server (lib/pq), for before/after
        "$BEFORE_SERVER" -addr "127.0.0.1:$PORT" -postgres "$PG/$db?sslmode=disable" > "$work/tokens.txt" 2> "$work/server.log" & ;;
      *=*) # name=binary: another build of examples/server (lib/pq)
        "${driver#*=}" -addr "127.0.0.1:$PORT" -postgres "$PG/$db?sslmode=disable" > "$work/tokens.txt" 2> "$work/server.log" & ;;
      *)
        extra=""
        if [ -n "${PROFILE_DIR:-}" ]; then extra="-pprof 127.0.0.1:$PPROF_PORT"; prof="$PROFILE_DIR/${name}_${round}.prof"; fi
        # shellcheck disable=SC2086
        "$work/server" -addr "127.0.0.1:$PORT" -driver "$driver" -postgres "$PG/$db?sslmode=disable" $extra $SERVER_ARGS \
          > "$work/tokens.txt" 2> "$work/server.log" & ;;
    esac
    pid=$!
    for _ in $(seq 1 120); do grep -q 'role=sales_manager' "$work/tokens.txt" 2>/dev/null && break; sleep 0.5; done
    token=$(grep 'Север role=sales_manager' "$work/tokens.txt" | head -n1 | sed 's/.*token=//')
    sleep 2 # the demo seed's relay pass
    echo "== round $round, $name, $(date -u +%H:%M:%S) UTC, before: load average $(loadavg)"
    before=$(loadavg)
    if [ -n "$prof" ]; then
      mkdir -p "$PROFILE_DIR"
      curl -s -o "$prof" "http://127.0.0.1:$PPROF_PORT/debug/pprof/profile?seconds=${DURATION%s}" &
      curlpid=$!
    fi
    "$work/load" -addr "127.0.0.1:$PORT" -token "$token" -routes get,drive -duration "$DURATION" \
      -concurrency "$CONCURRENCY" -max-requests 1000000 | tee "$work/out.txt"
    echo "   after: load average $(loadavg)"
    if [ -n "$prof" ]; then
      wait "$curlpid" || true
      cp "$work/server" "$PROFILE_DIR/server"
      echo "   CPU profile of the server: $prof (go tool pprof -top $PROFILE_DIR/server $prof)"
    fi
    awk -v r="$round" -v n="$name" -v t="$(date -u +%H:%M)" -v l="$before" \
      '/^GET/ {g=$5" "$6} /^POST/ {b=$5" "$6} END {print r, n, t, g, b, l}' "$work/out.txt" >> "$summary"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
    psql "$PG/postgres?sslmode=disable" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  done
done
echo
echo "== summary: requests per second and p50 (CONCURRENCY=$CONCURRENCY, DURATION=$DURATION split between the routes)"
printf '%-6s %-10s %-6s %-18s %-22s %s\n' round server UTC "GET one: req/s p50" "booking: req/s p50" "load average before"
while read -r r n t g1 g2 b1 b2 l; do
  printf '%-6s %-10s %-6s %-18s %-22s %s\n' "$r" "$n" "$t" "$g1 $g2" "$b1 $b2" "$l"
done < "$summary"
