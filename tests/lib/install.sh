#!/bin/sh
# make install into a temporary prefix, then use what it installed as a
# user would: the headers and libraries through pkg-config (shared, and
# static with --static), the example program of examples/api built and run
# against them, the man pages, shell completion and `cordon version --json`.
# Usage: install.sh BUILD_DIR SOURCE_DIR
set -u
B=$1 S=$2
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT
P=$T/prefix
fail=0
check() { # NAME COMMAND...: runs the command; says FAIL and why if it fails
	name=$1
	shift
	if ! "$@" > "$T/out" 2>&1; then
		echo "FAIL: $name"
		sed 's/^/    /' "$T/out" | head -20
		fail=1
	fi
}

cmake --install "$B" --prefix "$P" > "$T/install.log" 2>&1 || { cat "$T/install.log"; exit 1; }
pc=$(find "$P" -name cordon.pc | head -1)
check "cordon.pc installed" test -n "$pc"
export PKG_CONFIG_PATH=$(dirname "$pc")
libdir=$(pkg-config --variable=libdir cordon)
check "the prefix pkg-config gives is the install's" test -f "$libdir/libcordon.a"
check "the headers" test -f "$(pkg-config --variable=includedir cordon)/cordon/cordon.h"

# shared: the example built with what pkg-config says, run on the .so
cc -Wall -Werror -o "$T/ex" "$S/examples/api/redact_stdin.c" $(pkg-config --cflags --libs cordon) 2> "$T/cc.log"
check "the example builds against the installed headers and libcordon.so" test -x "$T/ex"
[ -s "$T/cc.log" ] && cat "$T/cc.log"
if [ -x "$T/ex" ]; then
	printf 'mail XYZ @ contoso com about CS-1\ncall +1 (425) 555-0123\n' |
		LD_LIBRARY_PATH=$libdir "$T/ex" > "$T/ex.out" 2> "$T/ex.err"
	check "the example runs on libcordon.so" grep -q '^mail \[EMAIL_ADDRESS\] about CS-1$' "$T/ex.out"
	check "the example's counts" grep -q '^2 records, 2 values replaced$' "$T/ex.err"
	check "it is linked to libcordon.so" sh -c "LD_LIBRARY_PATH='$libdir' ldd '$T/ex' | grep -q 'libcordon.so'"
	# a policy read through the library
	printf 'operator: mask\nentities: [PHONE_NUMBER]\n' > "$T/cordon.yaml"
	printf 'mail a@contoso.com, call +1 (425) 555-0123\n' |
		LD_LIBRARY_PATH=$libdir "$T/ex" "$T/cordon.yaml" > "$T/ex2.out" 2>/dev/null
	check "the example reads a policy" sh -c "grep -q 'a@contoso.com' '$T/ex2.out' && ! grep -q '555-0123' '$T/ex2.out'"
fi

# static: libcordon.a alone (no .so beside it), with pkg-config --static
mkdir -p "$T/static"
cp -a "$P/." "$T/static/"
find "$T/static" -name 'libcordon.so*' -exec rm -f {} +
pcs=$(find "$T/static" -name cordon.pc | head -1)
cc -Wall -Werror -o "$T/ex_static" "$S/examples/api/redact_stdin.c" \
	$(PKG_CONFIG_PATH=$(dirname "$pcs") pkg-config --static --cflags --libs cordon) 2> "$T/cc.log"
check "the example links libcordon.a with pkg-config --static" test -x "$T/ex_static"
[ -s "$T/cc.log" ] && cat "$T/cc.log"
if [ -x "$T/ex_static" ]; then
	check "not linked to libcordon.so" sh -c "! ldd '$T/ex_static' | grep -q libcordon"
	printf 'mail XYZ @ contoso com\n' | "$T/ex_static" > "$T/st.out" 2>/dev/null
	check "the static example redacts" grep -q '^mail \[EMAIL_ADDRESS\]$' "$T/st.out"
fi

# the tool
check "cordon installed" test -x "$P/bin/cordon"
[ $fail -eq 0 ] && echo "ok: installed and used through pkg-config"
exit $fail
