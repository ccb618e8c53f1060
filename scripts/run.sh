#!/usr/bin/env bash
# Runs the shop on the embedded default: web server, Celery worker and beat.
set -euo pipefail
cd "$(dirname "$0")/.."
host=${1:-127.0.0.1}
port=${2:-8000}
py=.venv/bin/python
mkdir -p var/celery/queue var/celery/processed var/celery/results var/log

$py -m celery -A shop worker --loglevel=INFO --concurrency=1 >var/log/worker.log 2>&1 &
worker=$!
$py -m celery -A shop beat --loglevel=INFO >var/log/beat.log 2>&1 &
beat=$!
trap 'kill $worker $beat 2>/dev/null; wait 2>/dev/null' EXIT INT TERM

cat <<MSG

  Comptoir is starting on http://$host:$port/  (English: http://$host:$port/en/)
  Admin: http://$host:$port/admin/   Dashboard: http://$host:$port/dashboard/
  Worker and beat logs: var/log/worker.log, var/log/beat.log

MSG
$py manage.py demo_logins
$py manage.py runserver "$host:$port"
