#!/bin/sh
# make demo: redact and scan the bundled example records.
set -eu
cordon=${1:-build/cordon}
here=$(dirname "$0")
show() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@" || [ $? = 1 ]; }
show "$cordon" redact "$here/chats.txt"
show "$cordon" redact --operator mask "$here/chats.txt"
show "$cordon" scan "$here/chats.txt"
CORDON_KEY="demo key, use --key-file in production" \
	show "$cordon" redact --operator pseudonym "$here/cases.jsonl"
show "$cordon" scan --json "$here/cases.jsonl"
