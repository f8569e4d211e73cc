#!/bin/sh
# Back up the Chroma index folder (the server's --path) as one .tar.gz, keeping ZHIBI_BACKUP_KEEP days (14).
# The index can always be rebuilt from the source documents (zhibi ingest); this backup saves the time.
# Chroma keeps its catalogue in chroma.sqlite3: it is copied with SQLite's online backup, so the copy is
# consistent while the server runs; the vector segment folders are copied beside it.
#   backup-index.sh /var/lib/zhibi/chroma
# Restore: stop zhibi-chroma, unpack into an empty --path folder, start it.
set -eu
src="${1:?backup-index: 需要索引文件夹（chroma run 的 --path）}"
[ -d "$src" ] || { echo "backup-index: 找不到文件夹 $src" >&2; exit 2; }
dir="${ZHIBI_BACKUP_DIR:-/var/backups/zhibi}"
keep="${ZHIBI_BACKUP_KEEP:-14}"
PYTHON="${PYTHON:-python3}"
mkdir -p "$dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/index"
for entry in "$src"/*; do
    [ -e "$entry" ] || continue
    name=$(basename "$entry")
    if [ "$name" = "chroma.sqlite3" ]; then
        "$PYTHON" - "$entry" "$work/index/chroma.sqlite3" <<'PY'
import sqlite3, sys
src, dst = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with dst:
    src.backup(dst)
src.close(); dst.close()
PY
    else
        cp -a "$entry" "$work/index/"
    fi
done
out="$dir/zhibi-index-$stamp.tar.gz"
tar -C "$work" -czf "$out.part" index
mv "$out.part" "$out"
find "$dir" -name 'zhibi-index-*.tar.gz' -mtime +"$keep" -delete
echo "$out"
