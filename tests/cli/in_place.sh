#!/bin/sh
# --in-place survives kill -9 at any moment: the file is always either the
# original or the complete redacted version, never a mix; its mode is kept;
# and the next successful run leaves no temporary file behind.
set -eu
cordon=$1 gen=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$gen" --seed 5 --size 40000000 > "$T/orig"
"$cordon" redact -q "$T/orig" > "$T/want"
pass=0 fail=0
check() { if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $*"; fi; }
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	cp "$T/orig" "$T/f"
	chmod 640 "$T/f"
	"$cordon" redact -q --in-place "$T/f" &
	pid=$!
	sleep "$(awk -v i="$i" 'BEGIN { srand(i * 7919); printf "%.3f", rand() * 0.4 }')"
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	if cmp -s "$T/f" "$T/orig" || cmp -s "$T/f" "$T/want"; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAIL: kill $i left a mixed file"; fi
done
check "$cordon" redact -q --in-place "$T/f"
check cmp -s "$T/f" "$T/want"
check [ "$(stat -c %a "$T/f")" = 640 ]
check [ -z "$(ls "$T" | grep cordon- || true)" ]
# a failed in-place run leaves the file as it was
printf '{"a":"x@contoso.com"}\n{"bad\n' > "$T/bad.jsonl"
cp "$T/bad.jsonl" "$T/bad.orig"
if "$cordon" redact -q --in-place "$T/bad.jsonl" 2>/dev/null; then fail=$((fail + 1)); echo "FAIL: bad input accepted"; fi
check cmp -s "$T/bad.jsonl" "$T/bad.orig"
check [ -z "$(ls "$T" | grep cordon- || true)" ]
echo "$pass passed, $fail failed"
[ $fail = 0 ]
