#!/bin/sh
# Records of a pipe go out as they come: with -j1 and -j2, the first
# record's redaction appears before the second record is written (the
# writer waits for it, up to 20 s: a buffer waiting to fill would hold it
# until the pipe closed).
set -u
cordon=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
for j in 1 2; do
	for z in pipe; do
		rm -f "$T/in" "$T/out"
		mkfifo "$T/in"
		"$cordon" redact -q -j $j < "$T/in" > "$T/out" &
		pid=$!
		exec 3> "$T/in"
		echo "first x@contoso.com" >&3
		i=0
		while [ $i -lt 200 ] && ! grep -q first "$T/out" 2> /dev/null; do
			sleep 0.1
			i=$((i + 1))
		done
		if grep -q "first \[EMAIL_ADDRESS\]" "$T/out"; then pass=$((pass + 1)); else
			fail=$((fail + 1)); echo "FAIL -j$j $z: the first record waited for the pipe to close"; fi
		echo "second y@contoso.com" >&3
		exec 3>&-
		wait $pid
		if [ "$(wc -l < "$T/out")" = 2 ]; then pass=$((pass + 1)); else
			fail=$((fail + 1)); echo "FAIL -j$j $z: not both records"; fi
	done
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
