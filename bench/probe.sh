#!/bin/sh
# make bench, cordon probe: 1,000 endpoints on loopback, 40 addresses
# (127.0.0.1-40) by 25 ports: 4 real redis-server and 4 real memcached
# holding a few keys, 5 tarpits (accept, never answer) and 12 closed ports,
# every one answering on every 127.x address. Wall time and peak RSS of
# the run with the default options, with -c 64, with --timeout 2s, and
# without sampling; the floor the tarpits set is 200 x the read timeout /
# the concurrency.
set -eu
build=${1:-build}
cordon=$(cd "$(dirname "$build/cordon")" && pwd)/cordon
here=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
pids=""
cleanup() { for p in $pids; do kill "$p" 2> /dev/null || :; done; rm -rf "$T"; }
trap cleanup EXIT
free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("0.0.0.0", 0)); print(s.getsockname()[1])'; }
ports=""
for i in 1 2 3 4; do
	p=$(free_port)
	redis-server --port "$p" --bind 0.0.0.0 --protected-mode no --save '' --daemonize no > /dev/null &
	pids="$pids $!"
	ports="$ports,$p"
	sleep 0.2
	redis-cli -p "$p" set "user:$i" "mail user$i@example.com" > /dev/null
	p=$(free_port)
	memcached -l 0.0.0.0 -p "$p" -U 0 $( [ "$(id -u)" = 0 ] && echo -u nobody ) &
	pids="$pids $!"
	ports="$ports,$p"
done
CORDON_TEST_BIND=0.0.0.0 /usr/bin/python3 "$here/../tests/probe/servers.py" "$T" t1=tarpit t2=tarpit t3=tarpit t4=tarpit t5=tarpit > "$T/tarpits" &
pids="$pids $!"
sleep 1
ports="$ports,$(/usr/bin/python3 -c 'import json, sys; print(",".join(str(v) for v in json.load(open(sys.argv[1])).values()))' "$T/tarpits")"
for i in $(seq 1 12); do ports="$ports,$(free_port)"; done
ports=${ports#,}
run() { # label, options...
	label=$1
	shift
	t0=$(date +%s.%N)
	/usr/bin/time -q -f '%M' -o "$T/rss" "$cordon" probe --no-config -p "$ports" 127.0.0.1-40 "$@" \
		--report-format json > "$T/out" 2> "$T/err" || :
	t1=$(date +%s.%N)
	n=$(grep -c '"kind":"unauthenticated_access"' "$T/out" || :)
	printf '%-44s %7.2f s %7s KB  %4s open of 320, %s\n' "$label" "$(awk "BEGIN{print $t1 - $t0}")" \
		"$(tail -n 1 "$T/rss")" "$n" "$(tail -n 1 "$T/err" | sed 's/^cordon: //')"
}
echo "cordon probe: 1,000 endpoints on loopback (40 addresses x 25 ports: 160 redis, 160 memcached, 200 tarpits, 480 closed)"
run "defaults (-c 256, --timeout 5s)"
run "-c 64 (the concurrency before)" -c 64
run "--timeout 2s" --timeout 2s
run "--timeout 2s --no-sample" --timeout 2s --no-sample
echo "floor set by the tarpits: 200 x 5 s / 256 = 3.9 s (defaults); / 64: 15.6 s; 200 x 2 s / 256 = 1.6 s"
