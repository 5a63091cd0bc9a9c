#!/usr/bin/env bash
# Upgrade check: build a PostgreSQL database with an older commit's code and its demo data, migrate
# it with this checkout, and compare every table's row count and content checksum before and after.
#
#   scripts/check_upgrade.sh [COMMIT]    (default: d8777ed, the first release)
#
# Needs the repository's history (the old commit), PostgreSQL on 127.0.0.1 and `make setup` done.
# Tables whose rows the upgrade is meant to change (none so far) would be listed in CHANGED.
set -euo pipefail
cd "$(dirname "$0")/.."
commit=${1:-d8777ed}
db=upgrade_check
py=$PWD/.venv/bin/python
old=$(mktemp -d)
trap 'git worktree remove --force "$old" >/dev/null 2>&1 || true' EXIT
git worktree add --detach "$old" "$commit" >/dev/null
dropdb -h 127.0.0.1 -U postgres --if-exists "$db"
createdb -h 127.0.0.1 -U postgres "$db"
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$db DEBUG=1

snapshot() {
  # table, row count, md5 of the rows in primary-key order
  psql -h 127.0.0.1 -U postgres -d "$db" -tA -F' ' -c "
    SELECT format('SELECT %L, count(*), md5(coalesce(string_agg(t::text, %L ORDER BY t::text), %L)) FROM %I t;',
                  tablename, '|', '', tablename)
    FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('django_migrations')
    ORDER BY tablename" | psql -h 127.0.0.1 -U postgres -d "$db" -tA -F' ' | sort
}

(cd "$old" && "$py" manage.py migrate -v0 \
  && "$py" manage.py import_plan fixtures/banska-bystrica.yaml \
  && "$py" manage.py import_meetings fixtures/banska-bystrica-meetings.yaml \
  && "$py" manage.py import_monitoring fixtures/banska-bystrica-monitoring.yaml \
  && "$py" manage.py create_demo_accounts) >/dev/null
snapshot > "$old/before.txt"
"$py" manage.py migrate -v0
snapshot > "$old/after.txt"

CHANGED=${CHANGED:-django_content_type}  # content types move with the models, by design
missing=0
while read -r table count sum; do
  if ! grep -q "^$table $count " "$old/after.txt"; then
    echo "rows lost or added in $table: before $count, after $(grep "^$table " "$old/after.txt" | cut -d' ' -f2)"
    missing=1
  elif [[ " $CHANGED " != *" $table "* ]] && ! grep -q "^$table $count $sum$" "$old/after.txt"; then
    echo "content changed in $table"
    missing=1
  fi
done < "$old/before.txt"
tables=$(wc -l < "$old/before.txt")
rows=$(awk '{s += $2} END {print s}' "$old/before.txt")
if [ "$tables" = 0 ]; then
  echo "no tables read from the old database" >&2
  exit 1
elif [ "$missing" = 0 ]; then
  echo "upgrade from $commit: $tables tables, $rows rows, every row kept and unchanged"
else
  exit 1
fi
