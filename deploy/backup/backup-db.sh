#!/bin/sh
# Back up the workspace database (history, open work, jobs, secrets) with pg_dump's custom format, one file per
# run, keeping ZHIBI_BACKUP_KEEP days (14). Restore: pg_restore --clean --if-exists -d "$URL" FILE.
#   backup-db.sh postgresql://zhibi@db:5432/zhibi          (the password from PGPASSWORD or ~/.pgpass)
# A URL of SQLAlchemy form (postgresql+psycopg://…) is accepted as it is in zhibi.env.
set -eu
url="${1:-${ZHIBI_DATABASE_URL:-}}"
[ -n "$url" ] || { echo "backup-db: 需要数据库地址（参数或 ZHIBI_DATABASE_URL）" >&2; exit 2; }
url=$(printf '%s' "$url" | sed 's#^postgresql+[a-z0-9]*://#postgresql://#')
dir="${ZHIBI_BACKUP_DIR:-/var/backups/zhibi}"
keep="${ZHIBI_BACKUP_KEEP:-14}"
PG_DUMP="${PG_DUMP:-pg_dump}"
mkdir -p "$dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$dir/zhibi-db-$stamp.dump"
"$PG_DUMP" --format=custom --no-owner --file="$out.part" "$url"
mv "$out.part" "$out"   # a file without .part is always a complete dump
find "$dir" -name 'zhibi-db-*.dump' -mtime +"$keep" -delete
echo "$out"
