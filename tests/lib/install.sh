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

# the tool, its manual, its completion, what it says of itself
check "cordon installed" test -x "$P/bin/cordon"
for page in cordon cordon-redact cordon-scan cordon-restore cordon-keygen cordon-audit cordon-help cordon-version cordon-completion; do
	check "man $page" sh -c "MANWIDTH=80 man -M '$P/share/man' $page 2>/dev/null | grep -q NAME"
done
check "man cordon-audit tells of --baseline" sh -c "MANWIDTH=80 man -M '$P/share/man' cordon-audit 2>/dev/null | grep -q -- '--baseline'"
check "bash completion installed" test -s "$P/share/bash-completion/completions/cordon"
check "zsh completion installed" test -s "$P/share/zsh/vendor-completions/_cordon"
check "fish completion installed" test -s "$P/share/fish/vendor_completions.d/cordon.fish"
check "the bash completion completes" bash -c "source '$P/share/bash-completion/completions/cordon'; COMP_WORDS=(cordon sc); COMP_CWORD=1; _cordon; [ \"\${COMPREPLY[*]}\" = scan ]"
"$P/bin/cordon" version --json > "$T/version.json" 2>&1
check "cordon version --json" grep -q '"public_suffix_list":{"source":' "$T/version.json"
check "the version is the library's" grep -q "\"version\":\"$(pkg-config --modversion cordon)\"" "$T/version.json"
[ $fail -eq 0 ] && echo "ok: installed and used through pkg-config"
exit $fail
