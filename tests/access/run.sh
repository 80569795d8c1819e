#!/bin/sh
# cordon access on generated flow logs with known answers (flowgen.py writes
# both): every format, a coverage gap, malformed lines stopped or
# quarantined, compressed logs, a log cut short, --fail-on, --include-private,
# a store address without a port, and options refused.
set -u
C=$1
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
W="--window 2026-11-01..2026-11-02 --dest 10.0.0.4:9200"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
gen() { python3 "$HERE/flowgen.py" "$@" || { echo "flowgen failed: $*"; exit 1; }; }
# check NAME WANT-EXIT ARGS...: runs cordon access --report-format json and
# compares with $T/want
check() {
	name=$1 code=$2
	shift 2
	$C access --report-format json "$@" > "$T/got" 2> "$T/err"
	rc=$?
	if [ $rc != "$code" ]; then bad "$name: exit $rc, want $code: $(cat "$T/err")"; return; fi
	if python3 "$HERE/check.py" "$T/got" "$T/want" $([ "${PRIV:-}" ] && echo --include-private) > "$T/diff"; then ok; else
		bad "$name:"; cat "$T/diff"; fi
}
# each format: the planted sources and verdicts, whole coverage
for f in vpc vpc-custom nsg1 nsg2 vnet gcp http es-audit mongodb mysql; do
	gen --format $f --out "$T/$f.log" --expect "$T/want"
	check "$f" 0 $W "$T/$f.log"
	# a gap and no read: the gap makes the window unknown, never no_access
	gen --format $f --gap --no-reads --out "$T/$f-gap.log" --expect "$T/want"
	check "$f gap" 0 $W "$T/$f-gap.log"
done
# the same log compressed
gen --format nsg2 --out "$T/z.json" --expect "$T/want"
gzip -c "$T/z.json" > "$T/z.json.gz"
check "nsg2 gzip" 0 $W "$T/z.json.gz"
gen --format vpc --out "$T/z.log" --expect "$T/want"
zstd -qc "$T/z.log" > "$T/z.log.zst"
check "vpc zstd" 0 $W "$T/z.log.zst"
# from stdin
$C access $W --report-format json - < "$T/z.log" > "$T/got" 2> "$T/err" && python3 "$HERE/check.py" "$T/got" "$T/want" > /dev/null && ok || bad "vpc stdin: $(cat "$T/err")"
# two logs of one store: summed (the same records twice: twice the flows)
$C access $W --report-format csv "$T/z.log" "$T/z.log" > "$T/got" 2> "$T/err"
grep -q '^2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,203.0.113.10,read,.*,4,0,7000,104857600,' "$T/got" && ok || bad "two logs summed: $(grep 203.0.113.10, "$T/got")"
# --jobs: the same answer, byte for byte, from one thread or three, over
# logs of every format (one with lines set aside); the error of the first
# log that fails, whatever the threads did
for f in vpc nsg1 nsg2 vnet gcp http; do gen --format $f --seed 3 --malformed 1 --out "$T/j-$f.log"; done
$C access $W -j 1 --quarantine "$T/jq1" --report-format json "$T"/j-*.log > "$T/j1" 2> "$T/err"
$C access $W -j 3 --quarantine "$T/jq3" --report-format json "$T"/j-*.log > "$T/j3" 2>> "$T/err"
cmp -s "$T/j1" "$T/j3" && [ -s "$T/j1" ] && ok || bad "--jobs 1 and 3 differ: $(diff "$T/j1" "$T/j3" | head -3) $(cat "$T/err")"
[ "$(sort "$T/jq1")" = "$(sort "$T/jq3")" ] && [ "$(wc -l < "$T/jq1")" = 6 ] && ok || bad "--jobs quarantines differ"
printf 'hello\n' > "$T/j-bad"
gen --format vpc --out "$T/c-vpc.log"
gen --format nsg2 --out "$T/c-nsg2.log"
for j in 1 2 4; do
	$C access $W -j $j "$T/c-vpc.log" "$T/j-bad" "$T/c-nsg2.log" "$T/nope" > /dev/null 2> "$T/err"
	[ $? = 2 ] && grep -q "j-bad: not a flow log" "$T/err" && ok || bad "-j $j: the first error: $(cat "$T/err")"
done
$C access $W -j 2 - - < "$T/j-vpc.log" > /dev/null 2> "$T/err"; [ $? = 2 ] && grep -q 'stdin' "$T/err" && ok || bad "stdin twice"

# malformed lines: the run stops naming the line, or they are quarantined
for f in vpc nsg2 vnet gcp http es-audit mongodb mysql; do
	gen --format $f --malformed 3 --out "$T/m.log" --expect "$T/want"
	$C access $W "$T/m.log" > "$T/got" 2> "$T/err"
	[ $? = 2 ] && grep -q 'line [0-9]*:.*--quarantine' "$T/err" && ok || bad "$f malformed stops: $(cat "$T/err")"
	[ -s "$T/got" ] && bad "$f malformed: a report was written" || ok
	rm -f "$T/q"
	check "$f malformed quarantined" 0 $W --quarantine "$T/q" "$T/m.log"
	[ "$(wc -l < "$T/q")" = 3 ] && [ "$(stat -c %a "$T/q")" = 600 ] && ok || bad "$f quarantine: $(wc -l < "$T/q") lines, mode $(stat -c %a "$T/q")"
done
# a quarantined line and no read: unknown
gen --format vpc --no-reads --malformed 1 --out "$T/m1.log" --expect "$T/want"
check "malformed, no read: unknown" 0 $W --quarantine "$T/q1" "$T/m1.log"
# a JSON log cut short, an empty log, a log of no known format
gen --format nsg2 --out "$T/cut.json"
head -c 100000 "$T/cut.json" > "$T/cut2.json"
$C access $W "$T/cut2.json" > /dev/null 2> "$T/err"; [ $? = 2 ] && grep -q 'cut short' "$T/err" && ok || bad "cut short: $(cat "$T/err")"
gzip -c "$T/cut.json" | head -c 5000 > "$T/cut3.json.gz"
$C access $W "$T/cut3.json.gz" > /dev/null 2> "$T/err"; [ $? = 2 ] && grep -q 'truncated' "$T/err" && ok || bad "gzip cut short: $(cat "$T/err")"
: > "$T/empty"
$C access $W "$T/empty" > /dev/null 2> "$T/err"; [ $? = 2 ] && grep -q 'empty' "$T/err" && ok || bad "empty: $(cat "$T/err")"
# MariaDB's general log: local times with no zone, refused by name
printf '/usr/sbin/mariadbd, Version: 10.11.6-MariaDB-0+deb12u1 (Debian 12). started with:\nTcp port: 3306  Unix socket: /run/mysqld/mysqld.sock\nTime\t\t    Id Command\tArgument\n261101  1:00:00\t     3 Connect\tapp@203.0.113.5 on support using TCP/IP\n' > "$T/mariadb.log"
$C access $W "$T/mariadb.log" > /dev/null 2> "$T/err"; [ $? = 2 ] && grep -q 'MariaDB general log' "$T/err" && ok || bad "mariadb: $(cat "$T/err")"
# ... and read with the server's offset: 01:00 at +01:00 is 00:00 UTC, a login with nothing after it: unknown
$C access $W --local-offset +01:00 --gap 1d --report-format csv "$T/mariadb.log" > "$T/got" 2> "$T/err"
grep -q '^[^,]*,[^,]*,203.0.113.5,unknown,2026-11-01T00:00:00Z,' "$T/got" && ok || bad "mariadb with an offset: $(cat "$T/got" "$T/err")"
printf 'hello\n' > "$T/other"
$C access $W "$T/other" > /dev/null 2> "$T/err"; [ $? = 2 ] && grep -q 'not a flow log' "$T/err" && ok || bad "unknown format: $(cat "$T/err")"
# named limits, never a silent cut: a line over 1 MiB stops the run; an
# Azure tuple over 511 bytes is a malformed tuple (quarantined, counted)
{ head -n 1 "$T/z.log"; head -c 1100000 /dev/zero | tr '\0' 'x'; printf '\n'; } > "$T/long.log"
$C access $W "$T/long.log" > /dev/null 2> "$T/err"; [ $? = 2 ] && grep -q 'longer than 1 MiB' "$T/err" && ok || bad "long line: $(cat "$T/err")"
printf '{"records":[{"properties":{"Version":2,"flows":[{"rule":"R","flows":[{"flowTuples":["%s"]}]}]}}]}' \
	"$(head -c 600 /dev/zero | tr '\0' '1')" > "$T/longtuple.json"
$C access $W --quarantine "$T/qlong" --report-format json "$T/longtuple.json" > "$T/got" 2> "$T/err"
[ $? = 0 ] && grep -q '"malformed":1' "$T/got" && grep -q '"verdict":"unknown"' "$T/got" && [ "$(wc -c < "$T/qlong")" -gt 500 ] && ok ||
	bad "long tuple: $(head -c 300 "$T/got") $(cat "$T/err")"
# --fail-on: 1 at or above the verdict, 0 below
gen --format vpc --out "$T/r.log"
$C access $W --fail-on read "$T/r.log" > /dev/null; [ $? = 1 ] && ok || bad "fail-on read with a read"
gen --format vpc --no-reads --out "$T/nr.log"
$C access $W --fail-on read "$T/nr.log" > /dev/null; [ $? = 0 ] && ok || bad "fail-on read without one"
$C access $W --fail-on probe_only "$T/nr.log" > /dev/null; [ $? = 1 ] && ok || bad "fail-on probe_only"
# --include-private lists the health check (400 bytes back a minute: a read)
gen --format vpc --out "$T/p.log"
$C access $W --include-private --report-format json "$T/p.log" > "$T/got"
python3 - "$T/got" <<'PY' && ok || bad "include-private"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
s = [r for r in rows[1:] if r["address"] == "10.0.1.5"]
sys.exit(0 if s and s[0]["internal"] and s[0]["flows"] == 1440 and s[0]["verdict"] == "read" else 1)
PY
# a store address without a port: port 22's visitor is listed too
$C access --window 2026-11-01..2026-11-02 --dest 10.0.0.4 --report-format csv "$T/p.log" > "$T/got"
grep -q '^[^,]*,[^,]*,198.51.100.50,read,.*,22,' "$T/got" && ok || bad "any port: $(grep 198.51.100.50 "$T/got")"
# options refused
for args in "--window 2026-11-02..2026-11-01 --dest 10.0.0.4" "--window x --dest 10.0.0.4" \
	"--window 2026-11-01..2026-11-02 --dest 10.0.0.4:99999" "--window 2026-11-01..2026-11-02" \
	"--dest 10.0.0.4" "$W --fail-on no_access" "$W --gap 10s" "$W --read-bytes 0" "$W --report-format sarif" \
	"$W --local-offset +-1:00" "$W --local-offset +15:00" "$W --local-offset 0100" "$W -j 0"; do
	$C access $args "$T/p.log" > /dev/null 2>&1; [ $? = 2 ] && ok || bad "refused: $args"
done
$C access $W > /dev/null 2> "$T/err"; [ $? = 2 ] && grep -q 'no log' "$T/err" && ok || bad "no log"
$C access $W --quarantine "$T/p.log" "$T/p.log" > /dev/null 2>&1; [ $? = 2 ] && ok || bad "quarantine is an input"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
