#!/bin/sh
# cordon access throughput on generated logs (tests/access/flowgen.py):
# AWS VPC text, Azure NSG version 2 JSON, GCP JSON lines and an nginx
# access log, about ACCESS_BYTES each (default 1 GB; a gzip'd copy of the
# VPC one too), beside cat and zcat on the same files; MB/s of the
# uncompressed bytes, peak RSS. One core (taskset -c 0), best of three.
# Usage: access.sh BUILD
set -eu
build=${1:-build}
out=$(dirname "$0")/out
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
cordon=$build/cordon
size=${ACCESS_BYTES:-1000000000}
# flowgen writes about 380 bytes of VPC log and 240 of NSG JSON per minute of background
gen() { # FORMAT FILE
	[ -s "$2" ] && [ "$(wc -c < "$2")" -ge "$((size * 9 / 10))" ] && return
	per=$(case $1 in vpc) echo 383;; nsg2) echo 242;; http) echo 95;; gcp) echo 1535;; esac)
	/usr/bin/python3 "$here/../tests/access/flowgen.py" --format "$1" --scanners 100000 \
		--minutes $((size / per)) --out "$2"
}
gen vpc "$out/flows-vpc.log"
gen nsg2 "$out/flows-nsg.json"
gen gcp "$out/flows-gcp.log"
gen http "$out/flows-http.log"
[ -s "$out/flows-vpc.log.gz" ] || gzip -1 -c "$out/flows-vpc.log" > "$out/flows-vpc.log.gz"

. "$here/measure.sh"
pin="taskset -c 0"
w="--window 2026-11-01..2026-11-02 --dest 10.0.0.4:9200"
printf '%-44s %8s %8s %10s\n' "cordon access" "MB/s" "seconds" "peak RSS"
for f in flows-vpc.log flows-nsg.json flows-gcp.log flows-http.log flows-vpc.log.gz; do
	bytes=$(case $f in *.gz) gzip -dc "$out/$f" | wc -c;; *) wc -c < "$out/$f";; esac)
	for job in reader access; do
		case $job in
		reader) case $f in *.gz) set -- zcat "$out/$f";; *) set -- cat "$out/$f";; esac ;;
		access) set -- "$cordon" access $w "$out/$f" ;;
		esac
		r=$(measure "$@")
		t=${r% *}
		printf '%-44s %8s %8s %7s KB\n' "$f ($((bytes / 1000000)) MB) ${1##*/}" \
			"$(awk "BEGIN{ printf \"%.0f\", $bytes / 1e6 / $t }")" "$t" "${r#* }"
	done
done
# the three logs in one run, one thread and two (two cores)
all=$(( $(wc -c < "$out/flows-vpc.log") + $(wc -c < "$out/flows-nsg.json") + $(wc -c < "$out/flows-http.log") ))
for j in 1 2; do
	t0=$(date +%s.%N)
	/usr/bin/time -q -f '%M' -o "$out/time" "$cordon" access $w -j $j "$out/flows-vpc.log" "$out/flows-nsg.json" \
		"$out/flows-http.log" > /dev/null 2> "$out/err" || [ $? = 1 ]
	t1=$(date +%s.%N)
	t=$(awk "BEGIN{printf \"%.3f\", $t1 - $t0}")
	printf '%-44s %8s %8s %7s KB\n' "three logs ($((all / 1000000)) MB) -j $j" \
		"$(awk "BEGIN{ printf \"%.0f\", $all / 1e6 / $t }")" "$t" "$(tail -n 1 "$out/time")"
done
