#!/bin/sh
# make fuzz: runs each libFuzzer harness for a while (seconds: $2) on its seed
# corpus, keeping what it learns in the build directory. Fails when any
# harness finds a crash (the reproducer is left in the working directory).
set -eu
build=$1 seconds=${2:-30}
here=$(cd "$(dirname "$0")" && pwd)
status=0
for h in detect jsonl csv es_bulk rules audit conf; do
	work="$build/fuzz-corpus/$h"
	mkdir -p "$work"
	echo "fuzz_$h: ${seconds}s"
	if "$build/tests/fuzz/fuzz_$h" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
		"$work" "$here/corpus/$h" > "$work.log" 2>&1; then
		tail -n 12 "$work.log"
	else
		tail -n 60 "$work.log"
		echo "fuzz_$h: FAILED"
		status=1
	fi
done
exit $status
