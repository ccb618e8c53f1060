#!/bin/sh
# make bench-scale: the large data set (issue 14, items 4 and 6), built once
# into its own database, then each figure against its budget.
# BENCH_SCALE_DB (comptoir_scale_big), BENCH_SCALE_RUNS (15 per page),
# BENCH_SCALE_JOBS ("1000 10000 100000"), BENCH_SCALE_SECONDS (8), BENCH_SCALE_ROUNDS (2).
set -eu
cd "$(dirname "$0")/../.."
DB=${BENCH_SCALE_DB:-comptoir_scale_big}
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
PY=.venv/bin/python

createdb -h 127.0.0.1 -U postgres "$DB" 2>/dev/null || true
$PY manage.py migrate --noinput -v0
generated=$(psql -h 127.0.0.1 -U postgres -Atc "SELECT COUNT(*) FROM catalogue_product WHERE upc LIKE 'GEN-%'" "$DB")
if [ "$generated" = "0" ]; then
    $PY manage.py load_demo >/dev/null
    $PY bench/scale/generate.py   # about 30 minutes on 2 busy cores
fi

cd bench/scale
echo "== Pages (budget: p50 < 100 ms storefront and account, < 300 ms admin; constant queries)"
../../$PY pages.py "${BENCH_SCALE_RUNS:-15}"
echo "== Plans (EXPLAIN ANALYZE, results/scale_explain_now.txt)"
../../$PY explain.py now
echo "== Timed jobs (linear: the same time per order at each size)"
# shellcheck disable=SC2086
../../$PY jobs.py ${BENCH_SCALE_JOBS:-1000 10000 100000}
echo "== Scale-out (throughput with 1, 2, 4 processes)"
../../$PY throughput.py "${BENCH_SCALE_SECONDS:-8}" "${BENCH_SCALE_ROUNDS:-2}"
