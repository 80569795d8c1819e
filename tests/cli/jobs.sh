#!/bin/sh
# --jobs N gives exactly what --jobs 1 gives: output, quarantine, findings,
# record numbers in errors; on inputs large enough to be cut into many chunks,
# in every format (CSV with quoted multi-line fields, bulk with deletes).
set -eu
cordon=$1 gen=$2
# the corpora's size: 24 MB is six chunks of 4 MB; the sanitizer build,
# three to five times slower, reads 12 MB (three chunks, one a job at -j 3)
size=${3:-24000000}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
check() { if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $*"; fi; }

"$gen" --seed 7 --size "$size" --format text > "$T/a.txt"
"$gen" --seed 8 --size "$size" --format jsonl > "$T/a.jsonl"
# CSV: id, a quoted text field (every 50th spanning two lines), a channel
awk 'BEGIN { print "id,text,channel" }
     { gsub(/"/, "\"\""); nl = (NR % 50 == 0) ? "\nsecond line" : ""
       printf "%d,\"%s%s\",chat\r\n", NR, $0, nl }' "$T/a.txt" > "$T/a.csv"
# bulk: index actions with documents, a delete every 10th
awk '{ if (NR % 10 == 0) printf "{\"delete\":{\"_id\":\"d%d\"}}\n", NR
       printf "{\"index\":{\"_id\":\"%d\"}}\n%s\n", NR, $0 }' "$T/a.jsonl" > "$T/a.bulk"
# bad records here and there
awk '{ print } NR % 20011 == 0 { print "{\"broken\":" }' "$T/a.jsonl" > "$T/bad.jsonl"

for f in a.txt a.jsonl a.csv:csv a.bulk:es-bulk bad.jsonl; do
	name=${f%%:*} fmt=${f#*:}
	[ "$fmt" = "$f" ] && fmt=$(case $name in *.txt) echo text;; *) echo jsonl;; esac)
	for j in 1 2 3; do
		"$cordon" redact -q -f "$fmt" -j $j --quarantine "$T/q$j" --summary-json "$T/s$j" \
			"$T/$name" > "$T/o$j"
		"$cordon" scan -q -f "$fmt" -j $j --quarantine "$T/sq$j" "$T/$name" > "$T/f$j" || [ $? = 1 ]
		"$cordon" scan -q -f "$fmt" -j $j --quarantine "$T/sq$j" --subjects --id-field text \
			"$T/$name" > "$T/u$j" || [ $? = 1 ]
		sed -i 's/"seconds":[0-9.]*//' "$T/s$j"
	done
	for j in 2 3; do
		check cmp -s "$T/o1" "$T/o$j"
		check cmp -s "$T/q1" "$T/q$j"
		check cmp -s "$T/s1" "$T/s$j"
		check cmp -s "$T/f1" "$T/f$j"
		check cmp -s "$T/u1" "$T/u$j"
	done
	check [ -s "$T/o1" ]
	check [ -s "$T/f1" ]
done
check [ "$(wc -l < "$T/q1")" = "$(awk 'END { print int(NR / 20012) }' "$T/bad.jsonl")" ]
# records longer than --max-record plus a whole chunk: nothing of them may
# leak into the output, and the result is still that of one thread
head -c 9000000 /dev/zero | tr '\0' a > "$T/long.txt"
printf '\nshort x@contoso.com\n' >> "$T/long.txt"
awk 'BEGIN { print "a,b"; for (i = 0; i < 300000; i++) printf "%d,x%d@contoso.com\n", i, i
             printf "1,\""; for (i = 0; i < 3000000; i++) print "x"; print "2,y@contoso.com" }' > "$T/unbal.csv"
for f in long.txt unbal.csv; do
	for j in 1 2; do
		"$cordon" redact -q -j $j --max-record 1M --quarantine "$T/lq$j" "$T/$f" > "$T/lo$j"
	done
	check cmp -s "$T/lo1" "$T/lo2"
	check cmp -s "$T/lq1" "$T/lq2"
	check [ "$(grep -c aaaa "$T/lo2" || true)" = 0 ]
done
# without a quarantine, every job count stops at the same record
for j in 1 2; do
	"$cordon" redact -q -j $j "$T/bad.jsonl" > "$T/e$j" 2> "$T/m$j" || true
done
check cmp -s "$T/e1" "$T/e2"
check cmp -s "$T/m1" "$T/m2"
check grep -q "record 20012:" "$T/m1"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
