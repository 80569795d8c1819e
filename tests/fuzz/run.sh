#!/bin/sh
# make fuzz: runs each libFuzzer harness for a while (seconds: $2) on its seed
# corpus, keeping what it learns in the build directory.
set -eu
build=$1 seconds=${2:-30}
here=$(cd "$(dirname "$0")" && pwd)
for h in detect jsonl csv es_bulk; do
	work="$build/fuzz-corpus/$h"
	mkdir -p "$work"
	echo "fuzz_$h: ${seconds}s"
	"$build/tests/fuzz/fuzz_$h" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
		"$work" "$here/corpus/$h" 2>&1 | tail -n 12
done
