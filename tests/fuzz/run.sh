#!/bin/sh
# make fuzz: runs each libFuzzer harness (FUZZ_HARNESSES="a b" for some) for a
# while (seconds: $2) on its seed corpus, keeping what it learns in the build directory. Fails when any
# harness finds a crash or a broken property; the reproducer is copied to
# tests/fuzz/crashes/NAME/, which make test replays: commit it with the fix.
set -eu
build=$1 seconds=${2:-30}
here=$(cd "$(dirname "$0")" && pwd)
status=0
# the harnesses of harnesses.cmake (NAME:SOURCE[:FORMAT] lines), or those named
names=${FUZZ_HARNESSES:-$(sed -n 's/^ *\([a-z_]*\):fuzz_[a-z_]*\.c.*/\1/p' "$here/harnesses.cmake")}
for h in $names; do
	work="$build/fuzz-corpus/$h"
	mkdir -p "$work"
	echo "fuzz_$h: ${seconds}s"
	mkdir -p "$here/corpus/$h"
	rm -f "$work"-crash-* "$work"-leak-* "$work"-timeout-* "$work"-oom-* # an earlier run's
	if "$build/tests/fuzz/fuzz_$h" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
		-artifact_prefix="$work-" "$work" "$here/corpus/$h" > "$work.log" 2>&1; then
		tail -n 12 "$work.log"
	else
		tail -n 60 "$work.log"
		mkdir -p "$here/crashes/$h"
		for a in "$work"-crash-* "$work"-leak-* "$work"-timeout-* "$work"-oom-*; do
			[ -e "$a" ] && cp "$a" "$here/crashes/$h/" && echo "fuzz_$h: reproducer tests/fuzz/crashes/$h/${a##*/}"
		done
		echo "fuzz_$h: FAILED"
		status=1
	fi
done
exit $status
