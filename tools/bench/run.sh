#!/usr/bin/env bash
# `make bench SCALE=...` (issue 9; not part of `make test`): a PostgreSQL database of generated
# data at one scale, then `manage.py bench`, which prints every figure as `name: value`.
#
#   SCALE=small      3 years of 20,000 episodes (a quick run: a few minutes)
#   SCALE=authority  10 years of 1,500 episodes (one large authority)
#   SCALE=regional   10 years of 20,000 episodes
#   SCALE=national   10 years of 200,000 episodes (about 2 million; the generated database is
#                    kept as mace_national and reused by later runs)
#
# The import is timed on `rows` fresh episode rows and a quarter as many children: 25,000 rows
# at regional and national scale, against COPY of the same files (issue 17 point 7). The
# scheduled checks over every child, the old selection, are timed below national scale only:
# at national scale each run of them takes about half an hour.
set -euo pipefail
cd "$(dirname "$0")/../.."

SCALE=${SCALE:-small}
PGURL=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
PY=.venv/bin/python
# generate_national and bench live in apps a deployment does not install (mace/settings.py).
export MACE_BENCH_APPS=1
case "$SCALE" in
  small)     years=3;  per_year=20000;  children=7000;  rows=500;  keep=0; every=1 ;;
  authority) years=10; per_year=1500;   children=600;   rows=500;  keep=0; every=1 ;;
  regional)  years=10; per_year=20000;  children=7000;  rows=20000; keep=0; every=1 ;;
  national)  years=10; per_year=200000; children=70000; rows=20000; keep=1; every=0 ;;
  *) echo "SCALE is one of small, authority, regional, national (not '$SCALE')" >&2; exit 2 ;;
esac
DB=mace_$SCALE
[ "$SCALE" = national ] || DB=mace_bench_$SCALE
export DATABASE_URL="$PGURL/$DB"

held=0
if [ "$keep" = 1 ] && psql "$PGURL/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  held=$(psql "$DATABASE_URL" -tAc "SELECT count(*) FROM episodes_episode" 2>/dev/null || echo 0)
fi
if [ "$held" -gt 0 ]; then
  echo "== Reusing $DB ($held episodes); drop it to generate afresh"
  DEBUG=1 $PY manage.py migrate --no-input -v0  # a newer MACE may have added an index
else
  echo "== Generating $DB: $years years of $per_year episodes"
  psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
  psql "$PGURL/postgres" -qc "CREATE DATABASE $DB" >/dev/null
  DEBUG=1 $PY manage.py migrate --no-input -v0
  started=$(date +%s)
  DEBUG=1 $PY manage.py generate_national --years "$years" --seed "${SEED:-2026}" \
    --episodes-per-year "$per_year" --children-per-year "$children"
  echo "generate_s: $(( $(date +%s) - started ))"
fi
echo "database_mb: $(psql "$DATABASE_URL" -tAc "SELECT pg_database_size(current_database()) / 1048576")"

echo "== Benchmark"
# Production settings, as a deployment runs them (no debug query log), less HTTPS.
export DEBUG=0 SECRET_KEY="$(head -c 48 /dev/urandom | base64)" ALLOWED_HOSTS=localhost
export SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0
$PY manage.py collectstatic --no-input -v0
# shellcheck disable=SC2086 # BENCH_ARGS is a list of options
every_child=--every-child
[ "$every" = 1 ] || every_child=--no-every-child
$PY manage.py bench --scale "$SCALE" --import-rows "$rows" "$every_child" ${BENCH_ARGS:-}
