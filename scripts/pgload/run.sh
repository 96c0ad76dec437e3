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
#   OTHER_ARGS="-driver pgx" DRIVERS="old=/tmp/server-old pgx" scripts/pgload/run.sh   # flags for the name=binary builds
#   PROFILE_DIR=/tmp/prof scripts/pgload/run.sh    # also a CPU profile of each server of this tree (-pprof)
#   ROUTES=drive scripts/pgload/run.sh         # bookings only: the CPU columns are then CPU per booking
#   HANDSQL=1 ROUTES=drive scripts/pgload/run.sh   # also the floor: hand-written booking SQL by pgbench (book.sql)
#
# Beside the rates, each run prints the CPU time the server process and the database's PostgreSQL backends used
# during the load (utime+stime from /proc, before and after; the backends are found by their process titles,
# sampled every 0.2 s so that one closed during the run keeps its last figure), in total and per request of the
# run (every route of ROUTES counted): a measure of the work per request that depends much less than requests per
# second on how busy the machine is. PostgreSQL's shared processes (WAL writer, checkpointer) are not counted;
# the load generator's own CPU (/usr/bin/time) is printed beside them: it shares the cores too.
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
ROUTES="${ROUTES:-get,drive}"
SERVER_ARGS="${SERVER_ARGS:-}"
work=$(mktemp -d)
go build -o "$work/server" ./examples/server
go build -o "$work/load" ./examples/load
pid=""
cleanup() { if [ -n "${samplepid:-}" ]; then kill "$samplepid" 2>/dev/null || true; fi; if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT
loadavg() { uptime | sed 's/.*load average: //'; }
# cpu PID…: the CPU seconds (user + system) the processes have used so far, as "pid ticks" lines.
cpu() { for p in "$@"; do [ -r "/proc/$p/stat" ] && awk -v p="$p" '{sub(/.*\) /, ""); print p, $12 + $13}' "/proc/$p/stat" 2>/dev/null || true; done; true; }
# backends DB: the pids of the PostgreSQL backends connected to database DB (found by their process titles).
backends() { grep -l -a -e "^postgres: .* $1 " /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3; true; }
# sample DB FILE: appends cpu snapshots of DB's backends to FILE every 0.2 s until killed; a backend closed during
# the load (lib/pq closes a connection whose request's context is cancelled: the load generator cancels the
# requests in flight when it stops) keeps its last snapshot.
sample() { while :; do
  # shellcheck disable=SC2046
  cpu $(backends "$1") >> "$2"; sleep 0.2; done; }
# ticks BEFORE AFTER: the ticks used between two cpu snapshots (a pid missing before counts from zero; of
# several snapshots of one pid, the last of BEFORE and the largest of AFTER count).
ticks() { awk 'NR == FNR {b[$1] = $2; next} $2 > a[$1] {a[$1] = $2} END {for (p in a) t += a[p] - b[p]; print t + 0}' "$1" "$2"; }
summary="$work/summary.txt"
first=${DRIVERS%% *}
# handsql DB: the floor of a booking in PostgreSQL on this machine at this minute (HANDSQL=1): the hand-written SQL
# of scripts/pgload/book.sql run by pgbench (prepared statements, CONCURRENCY clients, 2 threads) for the
# bookings' share of DURATION on the database the first server of the round has just loaded (its workers' cars and
# leads), with the backends' CPU measured as for the servers; pgbench's own CPU is in the load generator's column.
handsql() {
  local db=$1 secs n ncars
  secs=$(( ${DURATION%s} / $(tr ',' '\n' <<< "$ROUTES" | grep -c .) ))
  psql "$PG/$db?sslmode=disable" -qc "CREATE TABLE pgload_cars AS SELECT row_number() OVER () AS n, dealer_id, vehicle_id, lead_id
    FROM (SELECT DISTINCT dealer_id, vehicle_id, lead_id FROM test_drives WHERE lead_id IS NOT NULL) d"
  ncars=$(psql "$PG/$db?sslmode=disable" -Atc "SELECT count(*) FROM pgload_cars")
  if [ "$ncars" = 0 ]; then echo "   hand-written SQL: no booked cars to book again"; return; fi
  echo "== round $round, hand-written SQL (pgbench), $(date -u +%H:%M:%S) UTC, before: load average $(loadavg)"
  before=$(loadavg)
  # shellcheck disable=SC2046
  { echo "0 0"; cpu $(backends "$db"); } > "$work/pg0" # never empty: ticks reads its first file as the before
  : > "$work/pg1"
  sample "$db" "$work/pg1" &
  samplepid=$!
  /usr/bin/time -f "%U %S" -o "$work/loadcpu" pgbench "$PG/$db?sslmode=disable" -n -f scripts/pgload/book.sql -M prepared -D ncars="$ncars" -D got=0 \
    -c "$CONCURRENCY" -j 2 -T "$secs" 2>&1 | grep -E '^(number of (transactions actually processed|failed)|latency average|tps)' | tee "$work/out.txt"
  # shellcheck disable=SC2046
  { cpu $(backends "$db") >> "$work/pg1"; kill "$samplepid"; wait "$samplepid" 2>/dev/null || true; samplepid=""; }
  n=$(awk '/actually processed/ {print $NF}' "$work/out.txt")
  if [ "${n:-0}" = 0 ]; then echo "   hand-written SQL: no transaction processed"; return; fi
  awk -v p="$(ticks "$work/pg0" "$work/pg1")" -v hz="$(getconf CLK_TCK)" -v n="$n" -v l="$(awk '{print $1 + $2}' "$work/loadcpu")" \
    'BEGIN {printf "   CPU: PostgreSQL backends %.2f s, pgbench %.2f s; per booking (%d): PostgreSQL %.3f ms, pgbench %.3f ms\n", p/hz, l, n, 1000*p/hz/n, 1000*l/n}' \
    | tee -a "$work/cpu.txt"
  awk -v r="$round" -v p="$(ticks "$work/pg0" "$work/pg1")" -v hz="$(getconf CLK_TCK)" -v n="$n" -v l="$(awk '{print $1 + $2}' "$work/loadcpu")" \
    'BEGIN {printf "%s handsql - %.3f %.3f %.3f\n", r, 1000*p/hz/n, 1000*p/hz/n, 1000*l/n}' >> "$work/cpusum.txt"
  awk -v r="$round" -v t="$(date -u +%H:%M)" -v l="$before" \
    '/^tps/ {b=int($3)} /^latency average/ {a=$4"ms(avg)"} END {print r, "handsql", t, "-", "-", b, a, l}' "$work/out.txt" >> "$summary"
}

for round in $(seq 1 "$ROUNDS"); do
  if [ -n "${BASELINE:-1}" ] && [ "${BASELINE:-1}" != 0 ]; then
    # The floor of HTTP and JSON on this machine at this minute: a bare net/http handler, in-process.
    echo "== round $round, bare net/http baseline, $(date -u +%H:%M:%S) UTC, before: load average $(loadavg)"
    before=$(loadavg)
    "$work/load" -baseline -routes get,drive -duration "$DURATION" -concurrency "$CONCURRENCY" -max-requests 1000000 \
      | tee "$work/out.txt"
    echo "   after: load average $(loadavg)"
    awk -v r="$round" -v n=baseline -v t="$(date -u +%H:%M)" -v l="$before" \
      'BEGIN {g="- -"; b="- -"} /^GET/ {g=$5" "$6} /^POST/ {b=$5" "$6} END {print r, n, t, g, b, l}' "$work/out.txt" >> "$summary"
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
        # shellcheck disable=SC2086
        "${driver#*=}" -addr "127.0.0.1:$PORT" -postgres "$PG/$db?sslmode=disable" ${OTHER_ARGS:-} > "$work/tokens.txt" 2> "$work/server.log" & ;;
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
    # shellcheck disable=SC2046
    { cpu "$pid" > "$work/srv0"; cpu $(backends "$db") > "$work/pg0"; }
    : > "$work/pg1"
    sample "$db" "$work/pg1" &
    samplepid=$!
    /usr/bin/time -f "%U %S" -o "$work/loadcpu" "$work/load" -addr "127.0.0.1:$PORT" -token "$token" -routes "$ROUTES" \
      -duration "$DURATION" -concurrency "$CONCURRENCY" -max-requests 1000000 | tee "$work/out.txt"
    # shellcheck disable=SC2046
    { cpu "$pid" > "$work/srv1"; cpu $(backends "$db") >> "$work/pg1"; kill "$samplepid"; wait "$samplepid" 2>/dev/null || true; samplepid=""; }
    echo "   after: load average $(loadavg)"
    hz=$(getconf CLK_TCK)
    n=$(awk '/^(GET|POST) / {n += $3} END {print n + 0}' "$work/out.txt")
    echo "   backends: $(wc -l < "$work/pg0") before, $(cut -d' ' -f1 "$work/pg1" | sort -u | wc -l) during"
    awk -v s="$(ticks "$work/srv0" "$work/srv1")" -v p="$(ticks "$work/pg0" "$work/pg1")" -v hz="$hz" -v n="$n" \
      -v l="$(awk '{print $1 + $2}' "$work/loadcpu")" \
      'BEGIN {printf "   CPU: server %.2f s, PostgreSQL backends %.2f s, load generator %.2f s; per request (%d): server %.3f ms, PostgreSQL %.3f ms, both %.3f ms, load generator %.3f ms\n",
        s/hz, p/hz, l, n, 1000*s/hz/n, 1000*p/hz/n, 1000*(s+p)/hz/n, 1000*l/n}' | tee -a "$work/cpu.txt"
    echo "$round $name $(tail -n1 "$work/cpu.txt" | sed 's/.*server \([0-9.]*\) ms, PostgreSQL \([0-9.]*\) ms, both \([0-9.]*\) ms, load generator \([0-9.]*\) ms/\1 \2 \3 \4/')" >> "$work/cpusum.txt"
    if [ -n "$prof" ]; then
      wait "$curlpid" || true
      cp "$work/server" "$PROFILE_DIR/server"
      echo "   CPU profile of the server: $prof (go tool pprof -top $PROFILE_DIR/server $prof)"
    fi
    awk -v r="$round" -v n="$name" -v t="$(date -u +%H:%M)" -v l="$before" \
      'BEGIN {g="- -"; b="- -"} /^GET/ {g=$5" "$6} /^POST/ {b=$5" "$6} END {print r, n, t, g, b, l}' "$work/out.txt" >> "$summary"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
    if [ "${HANDSQL:-0}" != 0 ] && [ "$driver" = "$first" ] && [[ ",$ROUTES," == *,drive,* ]]; then handsql "$db"; fi
    psql "$PG/postgres?sslmode=disable" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  done
done
echo
echo "== summary: requests per second and p50 (CONCURRENCY=$CONCURRENCY, DURATION=$DURATION split between the routes)"
printf '%-6s %-10s %-6s %-18s %-22s %s\n' round server UTC "GET one: req/s p50" "booking: req/s p50" "load average before"
while read -r r n t g1 g2 b1 b2 l; do
  printf '%-6s %-10s %-6s %-18s %-22s %s\n' "$r" "$n" "$t" "$g1 $g2" "$b1 $b2" "$l"
done < "$summary"
if [ -s "$work/cpusum.txt" ]; then
  echo
  echo "== CPU per request of ROUTES=$ROUTES (ms; server process, the database's PostgreSQL backends, both; the load generator)"
  printf '%-6s %-10s %8s %10s %8s %14s\n' round server server PostgreSQL both "load generator"
  while read -r r n s p b l; do printf '%-6s %-10s %8s %10s %8s %14s\n' "$r" "$n" "$s" "$p" "$b" "$l"; done < "$work/cpusum.txt"
fi
