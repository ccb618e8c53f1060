#!/usr/bin/env bash
# Runs the shop on the embedded default: web server, Celery worker and beat.
set -euo pipefail
cd "$(dirname "$0")/.."
host=${1:-127.0.0.1}
port=${2:-8000}
py=.venv/bin/python
mkdir -p var/celery/queue var/celery/processed var/celery/results var/log

fake_stripe="" worker="" beat=""
trap 'kill $worker $beat $fake_stripe 2>/dev/null; wait 2>/dev/null' EXIT INT TERM
# First look without Stripe keys: a local fake Stripe (localstripe, on
# 127.0.0.1) so card payments work (test card 4242 4242 4242 4242).
if [[ -z "${STRIPE_SECRET_KEY:-}" && -z "${STRIPE_API_BASE:-}" ]] \
    && ! grep -qE '^STRIPE_(SECRET_KEY|API_BASE)=.' "${COMPTOIR_ENV_FILE:-.env}" 2>/dev/null; then
    $py -m tests.fakes.localstripe >var/log/localstripe.log 2>&1 &
    fake_stripe=$!
    for _ in $(seq 50); do
        stripe_port=$(head -n1 var/log/localstripe.log 2>/dev/null | grep -E '^[0-9]+$' || true)
        [[ -n "$stripe_port" ]] && break
        sleep 0.2
    done
    if [[ -n "${stripe_port:-}" ]]; then
        export STRIPE_SECRET_KEY=sk_test_comptoir STRIPE_PUBLISHABLE_KEY=pk_test_comptoir
        export STRIPE_API_BASE="http://127.0.0.1:$stripe_port"
        export STRIPE_JS_URL="$STRIPE_API_BASE/js.stripe.com/v3/"
        export STRIPE_WEBHOOK_SECRET="${STRIPE_WEBHOOK_SECRET:-whsec_test_comptoir}"
        echo "  Fake Stripe (localstripe) on $STRIPE_API_BASE: pay with card 4242 4242 4242 4242"
    fi
fi
# The worker and beat start after the fake Stripe, so they see its settings too.
$py -m celery -A shop worker --loglevel=INFO --concurrency=1 >var/log/worker.log 2>&1 &
worker=$!
$py -m celery -A shop beat --loglevel=INFO >var/log/beat.log 2>&1 &
beat=$!

cat <<MSG

  Comptoir is starting on http://$host:$port/  (English: http://$host:$port/en/)
  Admin: http://$host:$port/admin/   Dashboard: http://$host:$port/dashboard/
  Worker and beat logs: var/log/worker.log, var/log/beat.log

MSG
$py manage.py demo_logins
$py manage.py runserver "$host:$port"
