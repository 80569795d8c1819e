#!/bin/sh
# Runs tests/linear/linear.c under callgrind at two sizes and checks that
# each scan's instruction count grows like its size (8 times the bytes: at
# most 12 times the instructions; a rescan from each position would give
# 64). Instruction counts, not seconds: the same on any machine, loaded or
# not, so this is a test, not a benchmark.
set -eu
prog=$1
small=${2:-4096}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
for size in $small $((small * 8)); do
	mkdir "$T/$size"
	valgrind --tool=callgrind --collect-atstart=no --dump-instr=no --compress-strings=no \
		--callgrind-out-file="$T/$size/cg" "$prog" "$size" > "$T/$size.log" 2>&1 ||
		{ cat "$T/$size.log"; echo "linear: $prog failed at $size bytes"; exit 1; }
	# each dump: "desc: Trigger: Client Request: NAME" ... "totals: IR"
	for f in "$T/$size"/cg*; do
		awk '/^desc: Trigger:/ { name = ($3 == "Client" ? $5 : "") }
		     /^(summary|totals):/ { if (name != "") print name, $2; name = "" }' "$f"
	done | sort > "$T/$size.ir"
done
join "$T/$small.ir" "$T/$((small * 8)).ir" | awk -v small="$small" '
	$1 == "warm-up" { next }
	{ n++; ratio = $3 / ($2 > 0 ? $2 : 1)
	  if (ratio > 12) { bad++; printf "linear: %s costs %.1f times as much for 8 times the bytes (%.0f -> %.0f instructions)\n", $1, ratio, $2, $3 }
	  if (ratio > worst) { worst = ratio; wname = $1 } }
	END { printf "linear: %d texts, the worst grows %.1f times for 8 times the bytes (%s)\n", n, worst, wname
	      if (n < 100) { print "linear: too few scans were measured"; exit 1 }
	      exit bad > 0 }'
