#!/usr/bin/env bash
# One command for every benchmark on both engines: generates the large databases with
# `whistle gen` (Hunan's real divisions, once; kept in $WHISTLE_BENCH_DIR), runs the Go
# benchmarks against each, and measures the server's resident memory on each.
#
#   bench/run.sh                 # 1,000,000 and 10,000,000 cases
#   bench/run.sh 1000000         # only the sizes given
#
# Results go to bench/results/<date>/. Needs ../shared/data/china-division and a
# PostgreSQL server ($WHISTLE_BENCH_POSTGRES, default the local one, trust auth).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
PG="${WHISTLE_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}"
DIR="${WHISTLE_BENCH_DIR:-/tmp/whistle-bench}"
OUT="bench/results/$(date -u +%F)"
DIVISIONS=../shared/data/china-division
SIZES=("${@:-1000000 10000000}")
mkdir -p "$DIR" "$OUT"
go build -o "$DIR/whistle" ./cmd/whistle
pgdb() { echo "${PG%%/test\?*}/whistle_bench_$1?sslmode=disable"; }

# gen ENGINE N: make the N-case database once; a marker file says it is complete
gen() {
  local dsn="$DIR/s$2.db"
  if [ "$1" = postgres ]; then dsn="$(pgdb "$2")"; fi
  if [ ! -e "$DIR/$1-$2.done" ]; then
    if [ "$1" = postgres ]; then
      psql "$PG" -qc "DROP DATABASE IF EXISTS whistle_bench_$2" -c "CREATE DATABASE whistle_bench_$2"
    else
      rm -f "$dsn" "$dsn-wal" "$dsn-shm"
    fi
    "$DIR/whistle" gen --db "$dsn" --cases "$2" --under 43 --divisions "$DIVISIONS" | tee "$OUT/gen-$1-$2.txt"
    touch "$DIR/$1-$2.done"
  fi
  echo "$dsn"
}

# rss DSN: the server's peak resident memory while it answers lists and statistics
rss() {
  "$DIR/whistle" serve --db "$1" --addr 127.0.0.1:18093 --sweep 1h > /dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 60); do curl -fs http://127.0.0.1:18093/healthz > /dev/null && break; sleep 1; done
  local tok
  tok=$(curl -fs -X POST http://127.0.0.1:18093/api/v1/auth/token -d '{"login":"gen.dispatcher.43","password":"whistle-demo"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
  local ok=0
  for _ in $(seq 100); do
    for u in 'cases?limit=50' 'stats/cases?region=43&by=region' 'stats/cases?region=431382&by=matter'; do
      curl -fs -H "Authorization: Bearer $tok" "http://127.0.0.1:18093/api/v1/$u" > /dev/null && ok=$((ok+1))
    done
  done
  echo "$ok of 300 requests answered 200"
  grep -E 'VmHWM|VmRSS' "/proc/$pid/status" | tr -s ' \t' ' '
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

for engine in sqlite postgres; do
  env=()
  if [ "$engine" = postgres ]; then env=(WHISTLE_BENCH_POSTGRES="$PG"); fi
  # intake against the ceiling, the country import and tree: once per engine
  env "${env[@]}" go test ./bench -run '^$' -bench 'Intake|Insert|ImportRegions|RegionTree' -benchtime 5s -timeout 2h | tee "$OUT/$engine-small.txt"
  # the projects dashboard at 10,000 projects and 300,000 approval items (issue 22)
  env "${env[@]}" go test ./bench -run '^$' -bench 'ProjectFigures' -benchtime 100x -timeout 1h | tee "$OUT/$engine-projects.txt"
  for n in ${SIZES[@]}; do
    dsn=$(gen "$engine" "$n" | tail -1)
    env "${env[@]}" WHISTLE_BENCH_DB="$dsn" go test ./bench -run '^$' -bench 'Stats|List|Sweep' -benchtime 1s -timeout 2h | tee "$OUT/$engine-$n.txt"
    # intake and its ceiling on the large database (after the reads: it adds cases)
    env "${env[@]}" WHISTLE_BENCH_DB="$dsn" go test ./bench -run '^$' -bench '(Intake|Insert)/large' -benchtime 5s -timeout 2h | tee "$OUT/$engine-$n-intake.txt"
    rss "$dsn" | tee "$OUT/$engine-$n-rss.txt"
  done
done
