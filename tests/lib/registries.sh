#!/bin/sh
# What the docs list comes from, or agrees with, the library's tables: the
# entities (README's "What is found", the record commands' --help and
# cordon-redact(1)), the record formats (README's "Record formats") and the
# audit's inputs (README's tables, cordon-audit(1)), the services probe
# checks (README's table, cordon-probe(1)). A new detector, format, reader
# or probe shows up here until the docs say it.
# Usage: registries.sh CORDON SOURCE_DIR
set -u
C=$1 S=$2
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
same() { # NAME FILE_WANT FILE_GOT
	if cmp -s "$2" "$3"; then pass=$((pass + 1)); else
		fail=$((fail + 1))
		echo "FAIL: $1"
		diff "$2" "$3" | grep '^[<>]' | sed 's/^</    the library has:/; s/^>/    the docs have:/'
	fi
}
"$C" help entities | grep -E '^[A-Z_]+$' | sort > "$T/entities"
"$C" help formats | awk '/^Record formats/ { on = 1; next } /^$/ { on = 0 } on { print $1 }' | sort > "$T/formats"
"$C" help formats | awk '/^Audit inputs/ { on = 1; next } on { print $1 }' | sort > "$T/types"
[ -s "$T/entities" ] && [ -s "$T/formats" ] && [ -s "$T/types" ] && pass=$((pass + 1)) ||
	{ fail=$((fail + 1)); echo "FAIL: cordon help entities/formats printed nothing"; }

# README: the table of entities, the record format bullets, the audit tables
awk '/^## What is found/ { on = 1; next } /^## / { on = 0 } on && /^\| `[A-Z_]+` \|/' "$S/README.md" |
	sed -E 's/^\| `([A-Z_]+)`.*/\1/' | sort > "$T/readme_entities"
same "README's What is found lists the entities" "$T/entities" "$T/readme_entities"
awk '/^\*\*Record formats\.\*\*/ { on = 1; next } on && /^$/ { exit } on && /^- `[a-z-]+`:/' "$S/README.md" |
	sed -E 's/^- `([a-z-]+)`.*/\1/' | sort > "$T/readme_formats"
same "README's Record formats lists the formats" "$T/formats" "$T/readme_formats"
awk '/^## Auditing network rules/ { on = 1; next } /^## / { on = 0 } on && /^\| `/' "$S/README.md" > "$T/audit_rows"
while read -r t; do
	grep -q -e "^| \`$t\`" -e "(\`$t\`)" "$T/audit_rows" && echo "$t"
done < "$T/types" > "$T/readme_types"
same "README's audit tables name every input type" "$T/types" "$T/readme_types"

# --help and the man page list the entities
for cmd in redact scan; do
	"$C" $cmd --help | awk '/^Entities:/ { on = 1 } on' | grep -oE '[A-Z][A-Z_]+' | grep -v -x -e DENY_LIST |
		sort -u > "$T/help_entities"
	same "cordon $cmd --help lists the entities" "$T/entities" "$T/help_entities"
done
sed 's/\\//g' "$S/docs/man/cordon-redact.1" | awk '/entities to find/ { on = 1 } on && /DENY_LIST/ { print; exit } on' |
	grep -oE '[A-Z][A-Z_]+[A-Z]' | grep -v -x -e DENY_LIST | sort -u > "$T/man_entities"
same "cordon-redact(1) lists the entities" "$T/entities" "$T/man_entities"
while read -r t; do
	grep -q -- "$(printf '%s' "$t" | sed 's/-/\\\\-/g')" "$S/docs/man/cordon-audit.1" && echo "$t"
done < "$T/types" > "$T/man_types"
same "cordon-audit(1) names every input type" "$T/types" "$T/man_types"
# the probes: each service a probe checks is named in README's table of
# probe and in cordon-probe(1)
"$C" help probes | sed -n 's/^[a-z-]* (\(.*\)) may send:$/\1/p' | grep -v -x 'HTTP server' | sort -u > "$T/services"
[ -s "$T/services" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: cordon help probes printed no probe"; }
awk '/^## Checking live stores/ { on = 1; next } /^## / { on = 0 } on && /^\| /' "$S/README.md" > "$T/probe_rows"
while read -r svc; do grep -qF -- "$svc" "$T/probe_rows" && echo "$svc"; done < "$T/services" > "$T/readme_services"
same "README's table of probes names every service" "$T/services" "$T/readme_services"
sed 's/\\//g' "$S/docs/man/cordon-probe.1" > "$T/probe.1"
while read -r svc; do grep -qF -- "$svc" "$T/probe.1" && echo "$svc"; done < "$T/services" > "$T/man_services"
same "cordon-probe(1) names every service" "$T/services" "$T/man_services"
# the check can fail
printf 'NOT_AN_ENTITY\n' >> "$T/readme_entities"
if cmp -s "$T/entities" "$T/readme_entities"; then fail=$((fail + 1)); echo "FAIL: a wrong list passes"; else pass=$((pass + 1)); fi
echo "registries: $pass passed, $fail failed"
[ $fail -eq 0 ]
