#!/usr/bin/env bash
# `make bench`: the storefront's throughput and SQL queries on PostgreSQL,
# Redis and gunicorn with the production settings, all on loopback.
# What it measures and the figures: bench/README.md. Results: bench/results/.
#
# Knobs (environment): BENCH_DB, BENCH_REDIS_URL, BENCH_WORKER_CLASS,
# BENCH_WORKERS, BENCH_THREADS, BENCH_CONNECTIONS, BENCH_DURATION (s),
# BENCH_RUNS, BENCH_CONN_COMPARE (0 skips the CONN_MAX_AGE=0 server).
# `bench/run.sh profile PATH` profiles one page instead (see below).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
py=${PY:-$root/.venv/bin/python}

: "${BENCH_DB:=comptoir_bench}"
: "${BENCH_REDIS_URL:=redis://127.0.0.1:6379/3}"
# Two cores: sync workers, one process per core plus one to cover the time
# a worker waits on PostgreSQL or Redis (see README, "Worker class").
: "${BENCH_WORKER_CLASS:=sync}" "${BENCH_WORKERS:=3}" "${BENCH_THREADS:=1}"
: "${BENCH_CONNECTIONS:=16}" "${BENCH_DURATION:=8}" "${BENCH_RUNS:=3}"
: "${BENCH_CONN_COMPARE:=1}"
export BENCH_WORKER_CLASS BENCH_WORKERS BENCH_THREADS BENCH_CONNECTIONS BENCH_DURATION BENCH_RUNS
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}

export DJANGO_SETTINGS_MODULE=shop.settings.production
export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$BENCH_DB"
export REDIS_URL=$BENCH_REDIS_URL CELERY_BROKER_URL=$BENCH_REDIS_URL
export SECRET_KEY=bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz
export ALLOWED_HOSTS=127.0.0.1,localhost DEBUG=False LOG_LEVEL=WARNING
# Plain http on loopback: no redirect to https, cookies without Secure.
export SECURE_SSL_REDIRECT=False SECURE_COOKIES=False SECURE_HSTS_SECONDS=0
# Static root and media of the bench, kept between runs (var/ is ignored).
export COMPTOIR_VAR_DIR=$root/var/bench
export BENCH_RESULTS=$root/bench/results
export CONN_MAX_AGE=60

step() { printf '\n== %s\n' "$*"; }

# collectstatic post-processes (hashes and compresses) every file, ~20 s:
# only when a source is newer than the last manifest.
ensure_static() {
  local manifest=$COMPTOIR_VAR_DIR/static/staticfiles.json oscar_static
  oscar_static=$("$py" -c 'import oscar, os; print(os.path.join(os.path.dirname(oscar.__file__), "static"))')
  if [ ! -f "$manifest" ] || [ -n "$(find static "$oscar_static" -newer "$manifest" -print -quit 2>/dev/null)" ]; then
    step "collectstatic"
    "$py" manage.py collectstatic --noinput --clear -v0
  fi
}

# `bench/run.sh profile PATH [-n N]`: where PATH spends its time, on the
# bench database as the last run left it (bench/profile_page.py).
if [ "${1:-}" = profile ]; then
  shift
  ensure_static
  exec "$py" bench/profile_page.py "$@"
fi
# `bench/run.sh cpu [PATH...]`: CPU per request in-process (bench/cpu_per_page.py).
if [ "${1:-}" = cpu ]; then
  shift
  ensure_static
  exec "$py" bench/cpu_per_page.py "$@"
fi

results=$BENCH_RESULTS
rm -rf "$results/raw" && mkdir -p "$results/raw" "$COMPTOIR_VAR_DIR"
declare -A base=()
pids=()

stop_servers() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}
trap stop_servers EXIT
trap 'exit 130' INT TERM

step "database $BENCH_DB on $PGHOST:$PGPORT, cache $REDIS_URL"
pg_isready -q -t 5 || { echo "bench: PostgreSQL does not answer on $PGHOST:$PGPORT" >&2; exit 1; }
if ! psql -XAtqc "SELECT 1 FROM pg_database WHERE datname = '$BENCH_DB'" postgres | grep -q 1; then
  createdb "$BENCH_DB"
  echo "  created"
fi
"$py" manage.py migrate --noinput -v0
"$py" bench/prepare.py
"$py" bench/visitors.py

ensure_static

step "SQL queries per page (test client, same database)"
"$py" bench/query_counts.py

free_port() {
  "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_server LABEL [VAR=value...]: a gunicorn on a free port, with the
# bench's environment plus the given variables; its URL is ${base[LABEL]}.
start_server() {
  local label=$1 port pid
  shift
  port=$(free_port)
  env "$@" "$py" -m gunicorn shop.wsgi:application --bind "127.0.0.1:$port" \
    --worker-class "$BENCH_WORKER_CLASS" --workers "$BENCH_WORKERS" --threads "$BENCH_THREADS" \
    --log-level warning --error-logfile "$results/gunicorn-$label.log" \
    >"$results/requests-$label.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  base[$label]=http://127.0.0.1:$port
  for _ in $(seq 100); do
    curl -fs -o /dev/null "${base[$label]}/ping" && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "bench: gunicorn did not start (see $results/gunicorn-$label.log)" >&2
  exit 1
}

flush_cache() {
  "$py" -c 'import redis, sys; redis.Redis.from_url(sys.argv[1]).flushdb()' "$REDIS_URL"
}

# A measured page is a page of pages.json, alone (the anonymous first-time
# visitor, no cookie) or followed by a visitor of visitors.json and, for the
# figure under order load, "_orders": home_member, category_holder...
page_path() {
  "$py" -c 'import json, sys; print(json.load(open(sys.argv[1]))["pages"][sys.argv[2].split("_")[0]])' \
    "$results/pages.json" "$1"
}

# The header wrk and curl send for a page: the prepared one ("Cookie: ..."
# for basket5), or the visitor's cookies for home_member, category_holder...
page_header() {
  "$py" -c '
import json, sys
page = sys.argv[3]
header = json.load(open(sys.argv[1])).get("headers", {}).get(page, "")
parts = page.split("_")
if not header and len(parts) > 1:
    cookie = json.load(open(sys.argv[2])).get(parts[1], "")
    header = f"Cookie: {cookie}" if cookie else ""
print(header)' "$results/pages.json" "$results/visitors.json" "$1"
}

# warm_up LABEL PAGE...: fills the fragment cache and every worker's
# in-process caches (compiled templates, translations) before measuring.
warm_up() {
  local url=${base[$1]} page path status header
  shift
  for page in "$@"; do
    path=$(page_path "$page")
    header=$(page_header "$page")
    status=$(curl -s -o /dev/null -w '%{http_code}' ${header:+-H "$header"} "$url$path")
    if [ "$status" != 200 ]; then
      echo "bench: GET $path ($page) answered $status" >&2
      exit 1
    fi
    wrk -t2 -c"$BENCH_CONNECTIONS" -d2s ${header:+-H "$header"} "$url$path" >/dev/null
  done
}

# measure "LABEL..." PAGE...: BENCH_RUNS rounds; a round measures every page
# once on each server, so a page's ratio is taken against the /ping of its
# own round, and two servers are compared under the same load.
measure() {
  local labels=$1 run page path label header load
  shift
  for run in $(seq "$BENCH_RUNS"); do
    for page in "$@"; do
      path=$(page_path "$page")
      header=$(page_header "$page")
      for label in $labels; do
        load=
        if [[ $page == *_orders ]]; then
          # Stock changes on the page's products, once a second, meanwhile.
          "$py" bench/order_load.py "$path" 1 &
          load=$!
          pids+=("$load")
          sleep 1
        fi
        printf '  %s run %s/%s %-16s' "$label" "$run" "$BENCH_RUNS" "$page"
        wrk -t2 -c"$BENCH_CONNECTIONS" -d"${BENCH_DURATION}s" --latency ${header:+-H "$header"} \
          "${base[$label]}$path" >"$results/raw/$label-run$run-$page.txt"
        grep -o 'Requests/sec:.*' "$results/raw/$label-run$run-$page.txt"
        if [ -n "$load" ]; then
          kill -TERM "$load" 2>/dev/null || true
          wait "$load" 2>/dev/null || true
        fi
      done
    done
  done
}

# Each round: the ceiling, the anonymous pages, the basket with 5 lines, the
# same pages for a signed-in customer and for an anonymous visitor, each with
# a basket, the category page quiet then while orders change its products' stock.
visitor_pages=(home_member category_member product_member home_holder category_holder product_holder)
pages=(ping home category product search basket basket5 "${visitor_pages[@]}" category_orders healthz)
flush_cache
step "gunicorn $BENCH_WORKER_CLASS x$BENCH_WORKERS (threads $BENCH_THREADS), CONN_MAX_AGE=60"
start_server main
warm_up main ping home category product search basket "${visitor_pages[@]}" healthz
measure main "${pages[@]}"

if [ "$BENCH_CONN_COMPARE" != 0 ]; then
  # A second server beside the first, one new PostgreSQL connection per
  # request; the two take turns, page by page.
  step "CONN_MAX_AGE=60 vs 0, side by side"
  start_server cma0 CONN_MAX_AGE=0
  base[conn60]=${base[main]}
  warm_up cma0 healthz basket
  measure "conn60 cma0" healthz basket
fi
stop_servers

step "results"
"$py" bench/report.py
echo "Written: $results/results.md, $results/results.json"
