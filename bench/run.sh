#!/bin/sh
# make bench: redact and scan throughput on generated support records (text,
# JSON lines, CSV and bulk files, 200 MB each by default), beside `cat` on the
# same file, in MB/s, with peak RSS. Best of three runs, pinned to one core,
# and once more with --jobs 2 on two cores. Figures go to bench/README.md.
set -eu
build=${1:-build}
size=${BENCH_BYTES:-200000000}
out=$(dirname "$0")/out
mkdir -p "$out"
cordon=$build/cordon gen=$build/cordon-gen

[ -s "$out/chats.txt" ] && [ "$(wc -c < "$out/chats.txt")" -ge "$size" ] ||
	"$gen" --seed 2024 --size "$size" --format text > "$out/chats.txt"
[ -s "$out/cases.jsonl" ] && [ "$(wc -c < "$out/cases.jsonl")" -ge "$size" ] ||
	"$gen" --seed 2024 --size "$size" --format jsonl > "$out/cases.jsonl"

# best wall time (s) and peak RSS (KB) of three runs of a command
measure() {
	best="" rss=0
	for i in 1 2 3; do
		t0=$(date +%s.%N)
		/usr/bin/time -q -f '%M' -o "$out/time" $pin "$@" > /dev/null 2>"$out/err" || [ $? = 1 ]
		t1=$(date +%s.%N)
		t=$(awk "BEGIN{printf \"%.3f\", $t1 - $t0}")
		m=$(tail -n 1 "$out/time")
		if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
		[ "$m" -gt "$rss" ] && rss=$m
	done
	echo "$best $rss"
}

# CSV and bulk files made from the same records
[ -s "$out/cases.csv" ] || awk 'BEGIN { print "id,text" }
	{ gsub(/"/, "\"\""); printf "%d,\"%s\"\n", NR, $0 }' "$out/chats.txt" > "$out/cases.csv"
[ -s "$out/cases.bulk" ] || awk '{ printf "{\"index\":{\"_id\":\"%d\"}}\n%s\n", NR, $0 }' \
	"$out/cases.jsonl" > "$out/cases.bulk"

printf '%-40s %8s %8s %10s\n' "job" "MB/s" "seconds" "peak RSS"
for f in chats.txt cases.jsonl cases.csv cases.bulk; do
	fmt=$(case $f in *.csv) echo csv;; *.bulk) echo es-bulk;; *.jsonl) echo jsonl;; *) echo text;; esac)
	bytes=$(wc -c < "$out/$f")
	for job in "cat" "redact -j 1" "redact -j 1 --operator mask" "redact -j 1 --operator pseudonym" \
		"scan -j 1" "redact -j 2"; do
		case $job in
		cat) set -- cat "$out/$f" ;;
		*) set -- env CORDON_KEY=bench-key-0123456789abcdef "$cordon" $job -f "$fmt" -q "$out/$f" ;;
		esac
		pin="taskset -c 0"
		case $job in *"-j 2"*) pin="" ;; esac
		r=$(measure "$@")
		t=${r% *} m=${r#* }
		mbs=$(awk "BEGIN{ if ($t > 0) printf \"%.0f\", $bytes / 1e6 / $t; else print \"inf\" }")
		printf '%-40s %8s %8s %7s KB\n' "$f $job" "$mbs" "$t" "$m"
	done
done

# cordon audit: 1,000 NSGs of 100 rules each (az network nsg list form)
[ -s "$out/nsgs.json" ] || "$gen" --seed 2024 --format nsg --nsgs 1000 --rules 100 > "$out/nsgs.json"
pin="taskset -c 0"
r=$(measure "$cordon" audit -f json "$out/nsgs.json")
printf '%-40s %8s %8s %7s KB\n' "audit 1000 NSGs x 100 rules" "-" "${r% *}" "${r#* }"
