#!/usr/bin/env bash
# Rewrites the key tables of docs/sources.md and docs/alerts.md from the source and sink descriptors
# (`kpiwatch plugins --key-table sources|sinks`), between their BEGIN and END marker lines.
# AdapterDocsTests fails while a table differs from the descriptors.
# Usage: scripts/update-key-tables.sh
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
swift build --product kpiwatch >/dev/null
BIN="$(swift build --show-bin-path)/kpiwatch"

replace() { # FILE KIND
    local file="$1" kind="$2" table
    table="$(mktemp)"
    "$BIN" plugins --key-table "$kind" >"$table"
    awk -v kind="$kind" -v table="$table" '
        index($0, "<!-- BEGIN " kind " keys") == 1 { print; while ((getline line < table) > 0) print line; skipping = 1; next }
        index($0, "<!-- END " kind " keys") == 1 { skipping = 0 }
        !skipping { print }
    ' "$file" >"$file.new"
    mv "$file.new" "$file"
    rm -f "$table"
}

replace docs/sources.md sources
replace docs/alerts.md sinks
