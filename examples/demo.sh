#!/bin/sh
# make demo: redact and scan the bundled example records.
set -eu
cordon=${1:-build/cordon}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
show() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@" || [ $? = 1 ]; }
show "$cordon" redact "$here/chats.txt"
show "$cordon" redact --operator mask "$here/chats.txt"
show "$cordon" scan --explain "$here/chats.txt"
show "$cordon" keygen "$tmp/demo.key"
show "$cordon" redact --operator pseudonym --key-file "$tmp/demo.key" "$here/cases.jsonl"
show "$cordon" redact -q --config "$here/cordon.yaml" --key-file "$tmp/demo.key" "$here/cases.jsonl"
show "$cordon" scan -q --subjects --id-field case_id "$here/cases.jsonl"
"$cordon" redact -q --operator encrypt --key-file "$tmp/demo.key" "$here/chats.txt" > "$tmp/sealed.txt"
show head -n 1 "$tmp/sealed.txt"
show "$cordon" restore --key-file "$tmp/demo.key" -o "$tmp/restored.txt" "$tmp/sealed.txt"
show cmp "$here/chats.txt" "$tmp/restored.txt"
echo "restored text is identical to the original"
show "$cordon" audit --config "$here/audit/cordon.yaml" "$here/audit/nsg-support-db.json" "$here"/audit/configs/*
show "$cordon" audit --fail-on high --baseline "$here/audit/nsg-support-db.before.json" -- "$here/audit/nsg-support-db.json"
