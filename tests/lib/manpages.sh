#!/bin/sh
# The man pages and --help say the same: every command of 'cordon --help'
# has a page and a place in cordon(1); each page lists exactly the options
# its command's --help lists; cordon(1) names every key 'cordon help
# config' lists; every page renders without a groff warning.
# Usage: manpages.sh CORDON MAN_DIR
set -u
C=$1 M=$2
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# option names at the start of a help line: "  -o, --output FILE  ..."
help_options() {
	"$C" "$1" --help | grep -E '^ {2,6}-[A-Za-z-]' |
		sed -E 's/^ +//; s/  .*//; s/\[=[^]]*\]//g; s/=[^ ,]*//g' | tr ',' '\n' |
		grep -oE '^ *--?[A-Za-z][A-Za-z-]*' | tr -d ' ' | sort -u
}
# option names a page lists: the first line after each .TP
man_options() {
	awk '/^\.TP/ { getline; print }' "$1" | sed 's/\\-/-/g; s/\\f[BIRP]//g; s/"//g' |
		grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z-]*' | tr -d ' ,' | sort -u
}

commands=$("$C" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }')
[ -n "$commands" ] && ok || bad "no commands read from cordon --help"
for cmd in $commands; do
	page=$M/cordon-$cmd.1
	if [ ! -f "$page" ]; then
		bad "no man page for '$cmd' ($page)"
		continue
	fi
	ok
	help_options "$cmd" > "$T/h"
	man_options "$page" > "$T/m"
	if cmp -s "$T/h" "$T/m"; then ok; else
		bad "cordon $cmd --help and $(basename "$page") list other options:"
		diff "$T/h" "$T/m" | grep '^[<>]' | sed 's/^</    only in --help:/; s/^>/    only in the page:/'
	fi
	grep -q "^\.B $cmd\$" "$M/cordon.1" && ok || bad "cordon(1) does not list the command '$cmd'"
done
# cordon(1)'s CONFIGURATION names each key of the library's table
"$C" help config | awk '/^Keys:/ { on = 1; next } on && /^$/ { exit } on && /^  [a-z_]+ / { print $1 }' > "$T/keys"
[ -s "$T/keys" ] && ok || bad "no keys read from cordon help config"
while read -r key; do
	awk '/^\.SH CONFIGURATION/ { on = 1 } /^\.SH ENVIRONMENT/ { on = 0 } on' "$M/cordon.1" |
		grep -q "^\.B $key\$" && ok || bad "cordon(1) CONFIGURATION does not list the key '$key'"
done < "$T/keys"
for page in "$M"/*.1; do
	warn=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
	[ -z "$warn" ] && ok || bad "$(basename "$page"): $warn"
done
# the checks can fail: a page missing an option is caught
help_options redact > "$T/h"
sed '/^\.BR \\-q ", " \\-\\-quiet$/d' "$M/cordon-redact.1" > "$T/less.1"
man_options "$T/less.1" > "$T/m"
cmp -s "$T/h" "$T/m" && bad "a page without --quiet passes" || ok
echo "man pages: $pass passed, $fail failed"
[ $fail -eq 0 ]
