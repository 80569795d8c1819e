#!/bin/sh
# The library exports its API and nothing else: every global symbol that
# libcordon.a and libcordon.so define is a cordon_* function declared with
# CORDON_API in include/cordon, and every such declaration is defined.
# Usage: symbols.sh LIBCORDON.A LIBCORDON.SO INCLUDE_DIR
set -u
a=$1 so=$2 inc=$3
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT
fail=0

# the API: names after CORDON_API ... up to the '('
sed -n 's/^CORDON_API[^(]*[ *]\(cordon_[a-z0-9_]*\)(.*/\1/p' "$inc"/cordon/*.h | sort -u > "$T/api"
# declarations spread over two lines (CORDON_API type\nname(...)) would be
# missed: there must be as many names as CORDON_API lines
lines=$(grep -c '^CORDON_API' "$inc"/cordon/*.h | awk -F: '{s += $2} END {print s}')
if [ "$(wc -l < "$T/api")" -ne "$lines" ]; then
	echo "FAIL: $lines CORDON_API lines but $(wc -l < "$T/api") names read from them"
	fail=1
fi

for lib in "$a" "$so"; do
	case $lib in
	*.so*) nm -D --defined-only "$lib" ;;
	*) nm -g --defined-only "$lib" ;;
	esac | awk 'NF == 3 && $2 ~ /[A-Z]/ {print $3}' | sort -u > "$T/defined"
	extra=$(comm -23 "$T/defined" "$T/api")
	missing=$(comm -13 "$T/defined" "$T/api")
	if [ -n "$extra" ]; then
		echo "FAIL: $lib exports symbols that are not the API:"
		echo "$extra" | head -20
		fail=1
	fi
	if [ -n "$missing" ]; then
		echo "FAIL: $lib lacks API functions declared in include/cordon:"
		echo "$missing"
		fail=1
	fi
	echo "$lib: $(wc -l < "$T/defined") symbols"
done
[ $fail -eq 0 ] && echo "ok: only the API is exported"
exit $fail
