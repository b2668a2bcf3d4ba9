#!/usr/bin/env bash
# The bounded load run of issue 8 (`make load`): MACE under gunicorn with the production
# settings, on PostgreSQL, on loopback only, with the demonstration data and a load account
# per simulated user; locust drives USERS practitioners for DURATION and stops by itself.
# Prints locust's table and the figures docs/performance.md records; exits non-zero on any
# failed request.
set -euo pipefail
cd "$(dirname "$0")/../.."

USERS=${USERS:-50}
SPAWN_RATE=${SPAWN_RATE:-5}
DURATION=${DURATION:-5m}
WORKERS=${WORKERS:-4}
PORT=${PORT:-8765}
PGURL=${LOAD_PG:-postgres://postgres@127.0.0.1:5432}
DB=mace_load
OUT=build/load
PY=.venv/bin/python
mkdir -p "$OUT"

echo "== A fresh database, $DB, with the demonstration data"
psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
psql "$PGURL/postgres" -qc "CREATE DATABASE $DB" >/dev/null
export DATABASE_URL="$PGURL/$DB"
DEBUG=1 $PY manage.py migrate --no-input -v0
DEBUG=1 $PY manage.py seed_demo --seed "${SEED:-2026}"
DEBUG=1 $PY tools/load/prepare.py --users "$USERS" --out "$OUT/accounts.json"

echo "== gunicorn, $WORKERS workers, production settings, http://127.0.0.1:$PORT"
# Production settings, less HTTPS: the run stays on loopback, where there is no TLS to end.
export DEBUG=0 SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0
export SECRET_KEY="$(head -c 48 /dev/urandom | base64)" ALLOWED_HOSTS=127.0.0.1
$PY manage.py collectstatic --no-input -v0
.venv/bin/gunicorn mace.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" --pid "$OUT/gunicorn.pid" \
  >"$OUT/gunicorn.out" 2>&1 &  # the console mail backend writes the emails here
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true; wait $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/account/sign-in/" && break
  sleep 1
done

echo "== locust: $USERS users, $SPAWN_RATE a second, for $DURATION"
status=0
LOAD_ACCOUNTS="$OUT/accounts.json" .venv-load/bin/locust -f tools/load/locustfile.py \
  --host "http://127.0.0.1:$PORT" --headless --users "$USERS" --spawn-rate "$SPAWN_RATE" \
  --run-time "$DURATION" --stop-timeout 10 --csv "$OUT/locust" --only-summary || status=$?

.venv-load/bin/python tools/load/summary.py "$OUT/locust_stats.csv"
exit $status
