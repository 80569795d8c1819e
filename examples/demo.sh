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
# probe: a redis-server with no password, started here on a free port, with a record in it
if command -v redis-server > /dev/null && command -v redis-cli > /dev/null; then
	port=$(awk 'BEGIN { srand(); print 20000 + int(rand() * 20000) }')
	redis-server --port "$port" --bind 127.0.0.1 --save '' --daemonize yes --pidfile "$tmp/redis.pid" > /dev/null
	trap 'kill "$(cat "$tmp/redis.pid")" 2> /dev/null; rm -rf "$tmp"' EXIT
	sleep 0.3
	redis-cli -p "$port" set case:1 "customer XYZ @ contoso com asked for a refund" > /dev/null
	show "$cordon" probe --no-config "127.0.0.1:$port"
fi
show "$cordon" probe --no-config --dry-run 10.0.4.7:9200
# who came in: four hours of Azure NSG flow logs of a store at 10.0.0.4:9200 (its last
# hour missing: a gap), written by tests/access/flowgen.py
show "$cordon" access --window 2026-11-01T00:00:00Z..2026-11-01T04:00:00Z --dest 10.0.0.4:9200 \
	"$here/access/nsg-flows.json"
