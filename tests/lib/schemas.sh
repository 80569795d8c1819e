#!/bin/sh
# Real output against the schemas it is documented by: cordon's JSON lines
# against docs/schemas/ (findings of scan and audit, summaries, subjects),
# its SARIF against the SARIF 2.1.0 schema. The outputs are made to hold
# every optional member (ids, --explain, baselines, ignores, notes), and a
# wrong instance is checked to fail, so the check itself can fail.
# Usage: schemas.sh CORDON SOURCE_DIR
set -u
C=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
S=$(cd "$2" && pwd)
# Debian's python3 and python3-jsonschema (scripts/install-deps.sh), not
# whichever python an environment puts first
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
V="$PY $S/tests/lib/validate.py"
D=$S/docs/schemas
SARIF=$S/tests/schemas/sarif-schema-2.1.0.json
EX=$S/examples
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT
export CORDON_KEY=
unset CORDON_KEY CORDON_CONFIG
pass=0 fail=0
check() { # NAME SCHEMA MODE FILE...
	name=$1
	shift
	if $V "$@" > "$T/v.log" 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name"
		sed 's/^/    /' "$T/v.log" | head -20
	fi
}
run() { # a command that must succeed (0, or 1: found); its stdout is the caller's
	"$@" 2> "$T/err" || [ $? = 1 ] || { echo "FAIL: $* exited $?" >&2; cat "$T/err" >&2; fail=$((fail + 1)); }
}

cd "$T" || exit 2
# records with every kind of position: text, JSON with ids, CSV with a
# finding in its header, bulk
printf 'mail XYZ @ contoso com, card 4111 1111 1111 1111\n\303\251t\303\251 +1 (425) 555-0123\n' > t.txt
printf '{"id":"C-1","m":{"t":"ip 10.1.2.3 and a@contoso.com"}}\n{"m":"none"}\n' > t.jsonl
printf 'x@contoso.com,b\n1,"multi\nline y@contoso.com"\n' > t.csv
printf '{"index":{}}\n{"m":"a@contoso.com"}\n' > t.bulk
run "$C" scan -q --no-config --report-format json t.txt t.jsonl t.csv > scan.json
run "$C" scan -q --no-config --json --explain --id-field id t.jsonl > scan2.json
run "$C" scan -q --no-config --json -f es-bulk t.bulk > scan3.json
check "scan findings" "$D/scan-finding.json" lines scan.json scan2.json scan3.json
run "$C" scan -q --no-config --report-format sarif t.txt t.jsonl t.csv > scan.sarif
run "$C" scan -q --no-config --report-format sarif --id-field id t.jsonl > scan2.sarif
printf 'nothing here\n' > clean.txt
run "$C" scan -q --no-config --report-format sarif clean.txt > clean.sarif
check "scan SARIF" "$SARIF" doc scan.sarif scan2.sarif clean.sarif

run "$C" scan -q --no-config --subjects --json t.txt t.jsonl > subjects.json
CORDON_KEY='an environment key of 32 bytes!!' run "$C" scan -q --no-config --subjects --json --id-field id t.jsonl > subjects2.json
check "subjects" "$D/subjects.json" lines subjects.json subjects2.json

run "$C" scan -q --no-config --summary-json s1.json --field m --field nope -f jsonl t.jsonl > /dev/null
run "$C" redact -q --no-config --summary-json s2.json t.txt > /dev/null
printf 'x\n[EMAIL_ADDRESS:enc:AAAA]\n' > tok.txt
CORDON_KEY='an environment key of 32 bytes!!' run "$C" restore -q --quarantine q.txt --summary-json s3.json tok.txt > /dev/null
printf 'broken' > broken.jsonl
"$C" redact -q --no-config --summary-json s4.json broken.jsonl > /dev/null 2>&1
check "summaries (redact, scan, restore, a failed run)" "$D/summary.json" doc s1.json s2.json s3.json s4.json

# audit: plain, with an inventory, configs, a baseline with every change,
# ignores, platform management
printf '{"name":"nsg-mi","securityRules":[{"name":"mgmt","priority":100,"direction":"Inbound","access":"Allow","protocol":"Tcp","sourceAddressPrefix":"SqlManagement","destinationPortRanges":["9000","1433"]},{"name":"two","priority":110,"direction":"Inbound","access":"Allow","protocol":"Tcp","sourceAddressPrefixes":["203.0.113.5","203.0.113.9"],"destinationPortRange":"6379"}]}' > mi.json
printf '{"name":"nsg-mi","securityRules":[{"name":"mgmt","priority":100,"direction":"Inbound","access":"Allow","protocol":"Tcp","sourceAddressPrefix":"SqlManagement","destinationPortRanges":["9000"]},{"name":"two","priority":110,"direction":"Inbound","access":"Allow","protocol":"Tcp","sourceAddressPrefixes":["203.0.113.0/24"],"destinationPortRange":"6379"},{"name":"pg","priority":120,"direction":"Inbound","access":"Allow","protocol":"Tcp","sourceAddressPrefix":"*","destinationPortRange":"5432"}]}' > mi2.json
printf 'ignore:\n  - {fingerprint: b87907f320c99e1d, reason: reviewed, expires: 2099-01-01}\n' > ig.yaml
run "$C" audit --no-config -f json "$EX/audit/nsg-support-db.json" "$EX/audit/configs/redis.conf" mi.json > a1.json
run "$C" audit --config "$EX/audit/cordon.yaml" -f json "$EX/audit/nsg-support-db.json" "$EX/audit/configs/elasticsearch.yml" > a2.json
run "$C" audit --no-config -f json --baseline mi.json "$EX/audit/nsg-support-db.before.json" -- mi2.json "$EX/audit/nsg-support-db.json" > a3.json
check "audit findings" "$D/audit-finding.json" lines a1.json a2.json a3.json
run "$C" audit --no-config --report-format sarif "$EX/audit/nsg-support-db.json" mi.json > a1.sarif
run "$C" audit --config ig.yaml --report-format sarif --baseline mi.json "$EX/audit/nsg-support-db.before.json" -- mi2.json "$EX/audit/nsg-support-db.json" > a2.sarif
run "$C" audit --no-config --report-format sarif "$EX/audit/nsg-support-db.before.json" > a3.sarif
check "audit SARIF" "$SARIF" doc a1.sarif a2.sarif a3.sarif

# probe: a real redis-server holding personal data, a closed port (-v)
port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if command -v redis-server > /dev/null; then
	redis-server --port "$port" --bind 127.0.0.1 --save '' --daemonize yes --pidfile "$T/redis.pid" > /dev/null
	for _ in 1 2 3 4 5 6 7 8 9 10; do redis-cli -p "$port" ping > /dev/null 2>&1 && break; sleep 0.2; done
	redis-cli -p "$port" set user:1 'mail a.b@example.com, call +1 415 555 0134' > /dev/null
	run "$C" probe --no-config -v --report-format json "127.0.0.1:$port" 127.0.0.1:1 > p1.json
	run "$C" probe --no-config --no-sample --report-format json "127.0.0.1:$port" > p2.json
	check "probe findings" "$D/probe-finding.json" lines p1.json p2.json
	grep -q '"holds":\[{"entity":"EMAIL_ADDRESS"' p1.json && pass=$((pass + 1)) || { echo "FAIL: probe found no e-mail in redis"; fail=$((fail + 1)); }
	run "$C" probe --no-config -v --report-format sarif "127.0.0.1:$port" 127.0.0.1:1 > p.sarif
	check "probe SARIF" "$SARIF" doc p.sarif
	kill "$(cat "$T/redis.pid")"
else
	echo "FAIL: redis-server is not installed (scripts/install-deps.sh)"
	fail=$((fail + 1))
fi

# access: generated flow logs, a gap and a line quarantined, private sources listed
$PY "$S/tests/access/flowgen.py" --format nsg2 --gap --malformed 1 --out nsg.json
$PY "$S/tests/access/flowgen.py" --format vpc --out vpc.log
$PY "$S/tests/access/flowgen.py" --format http --out http.log
$PY "$S/tests/access/flowgen.py" --format gcp --out gcp.log
run "$C" access --window 2026-11-01..2026-11-02 --dest 10.0.0.4:9200 --include-private --quarantine q.txt \
	--report-format json nsg.json vpc.log http.log gcp.log > access.json
check "access" "$D/access.json" lines access.json

# the checks can fail: an instance that breaks each schema
printf '{"schema_version":2}\n' > wrong.json
if $V "$D/audit-finding.json" lines wrong.json > /dev/null 2>&1 || $V "$D/probe-finding.json" lines wrong.json > /dev/null 2>&1 ||
	$V "$D/access.json" lines wrong.json > /dev/null 2>&1 ||
	$V "$SARIF" doc wrong.json > /dev/null 2>&1; then
	echo "FAIL: a wrong instance validates"
	fail=$((fail + 1))
else
	pass=$((pass + 1))
fi
echo "schemas: $pass passed, $fail failed"
[ $fail -eq 0 ]
