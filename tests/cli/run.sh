#!/bin/sh
# Runs the CLI cases in a table: one case per line, '|'-separated:
#   name | exit | command | stdin | stdout | [stderr substring]
# The command is shell, with $C for the cordon binary.
# stdin/stdout use printf %b escapes (\n, \t); stdout "*" is not checked.
# $T in the command is a fresh temporary directory; $K a key file there (mode 0600);
# $EX the examples directory. In stdout, those paths read TDIR and EXDIR.
set -u
cordon=$1
table=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
printf '0123456789abcdef0123456789abcdef\n' > "$T/key"; chmod 600 "$T/key"
printf '0123456789abcdef0123456789abcdef\n' > "$T/openkey"; chmod 644 "$T/openkey"
printf '{"a":"x@contoso.com"}\n' > "$T/in.jsonl"
printf 'mail x@contoso.com\n' > "$T/in.txt"
# a few megabytes of records, for what happens per read (progress lines)
awk 'BEGIN { for (i = 0; i < 60000; i++) printf "record %d mail user%d@contoso.com about case CS-%d\n", i, i, i }' > "$T/big.txt"
K=$T/key
EX=$(cd "$(dirname "$table")/../../examples" && pwd)
export T K EX
pass=0 fail=0
C=$cordon
export C
while IFS='|' read -r name code args input want errwant; do
	case "$name" in ''|'#'*) continue ;; esac
	out=$(printf '%b' "$input" | eval "$args" 2>"$T/stderr"; echo "~$?")
	got=${out##*~}
	out=$(printf '%s' "${out%~*}" | sed "s|$EX|EXDIR|g; s|$T|TDIR|g")
	ok=1
	[ "$got" = "$code" ] || ok=0
	if [ "$want" != "*" ]; then
		expected=$(printf '%b' "$want")
		[ "$out" = "$expected" ] || ok=0
	fi
	if [ -n "${errwant:-}" ] && ! grep -qF -- "$errwant" "$T/stderr"; then ok=0; fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name: exit $got (want $code)"
		echo "  stdout: $out"
		[ "$want" != "*" ] && echo "  wanted: $(printf '%b' "$want")"
		echo "  stderr: $(cat "$T/stderr")"
	fi
done < "$table"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
