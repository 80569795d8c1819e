#!/bin/sh
# Two builds of cordon side by side: redact and scan throughput of OLD and
# NEW on the same generated files (text, JSON lines, CSV; 100 MB each by
# default), pinned to one core, runs interleaved so the machine's drift
# falls on both, best of three. For a change's cost: build the commit
# before it in another tree, then
#   sh bench/ab.sh /tmp/old/build/cordon build/cordon build/cordon-gen
set -eu
old=$1 new=$2 gen=$3
size=${BENCH_BYTES:-100000000}
out=$(dirname "$0")/out
mkdir -p "$out"
[ -s "$out/ab.txt" ] || "$gen" --seed 2024 --size "$size" --format text > "$out/ab.txt"
[ -s "$out/ab.jsonl" ] || "$gen" --seed 2024 --size "$size" --format jsonl > "$out/ab.jsonl"
[ -s "$out/ab.csv" ] || awk 'BEGIN { print "id,text" } { gsub(/"/, "\"\""); printf "%d,\"%s\"\n", NR, $0 }' \
	"$out/ab.txt" > "$out/ab.csv"
run() { # seconds of one run
	t0=$(date +%s.%N)
	taskset -c 0 "$@" > /dev/null 2>&1 || [ $? = 1 ]
	t1=$(date +%s.%N)
	awk "BEGIN { printf \"%.3f\", $t1 - $t0 }"
}
for f in ab.txt ab.jsonl ab.csv; do
	fmt=$(case $f in *.csv) echo csv;; *.jsonl) echo jsonl;; *) echo text;; esac)
	for job in "redact -j 1" "scan -j 1"; do
		bo=999999 bn=999999
		for i in 1 2 3; do
			to=$(run "$old" $job -q --no-config -f "$fmt" "$out/$f")
			tn=$(run "$new" $job -q --no-config -f "$fmt" "$out/$f")
			bo=$(awk "BEGIN { print ($to < $bo) ? $to : $bo }")
			bn=$(awk "BEGIN { print ($tn < $bn) ? $tn : $bn }")
		done
		awk -v f="$f $job" -v o="$bo" -v n="$bn" -v b="$(wc -c < "$out/$f")" 'BEGIN {
			printf "%-24s old %5.0f MB/s  new %5.0f MB/s  new/old %.2f\n", f, b / 1e6 / o, b / 1e6 / n, o / n }'
	done
done
