#!/bin/sh
# make bench: redact and scan throughput on generated support records (text,
# JSON lines, CSV and bulk files, 200 MB each by default), beside `cat` on the
# same file, in MB/s, with peak RSS. Best of three runs, pinned to one core,
# and once more with --jobs 2 on two cores. Figures go to bench/README.md.
set -eu
build=${1:-build}
size=${BENCH_BYTES:-200000000}
out=$(dirname "$0")/out
mkdir -p "$out"
cordon=$build/cordon gen=$build/cordon-gen

[ -s "$out/chats.txt" ] && [ "$(wc -c < "$out/chats.txt")" -ge "$size" ] ||
	"$gen" --seed 2024 --size "$size" --format text > "$out/chats.txt"
# the dense chat of issue 13 (item 6): one personal-data item per ~130 bytes
[ -s "$out/dense.txt" ] && [ "$(wc -c < "$out/dense.txt")" -ge "$size" ] ||
	"$gen" --seed 2024 --size "$size" --format text --dense > "$out/dense.txt"
[ -s "$out/cases.jsonl" ] && [ "$(wc -c < "$out/cases.jsonl")" -ge "$size" ] ||
	"$gen" --seed 2024 --size "$size" --format jsonl > "$out/cases.jsonl"

. "$(dirname "$0")/measure.sh"

# CSV and bulk files made from the same records
[ -s "$out/cases.csv" ] || awk 'BEGIN { print "id,text" }
	{ gsub(/"/, "\"\""); printf "%d,\"%s\"\n", NR, $0 }' "$out/chats.txt" > "$out/cases.csv"
[ -s "$out/cases.bulk" ] || awk '{ printf "{\"index\":{\"_id\":\"%d\"}}\n%s\n", NR, $0 }' \
	"$out/cases.jsonl" > "$out/cases.bulk"

printf '%-40s %8s %8s %10s\n' "job" "MB/s" "seconds" "peak RSS"
for f in chats.txt dense.txt cases.jsonl cases.csv cases.bulk; do
	fmt=$(case $f in *.csv) echo csv;; *.bulk) echo es-bulk;; *.jsonl) echo jsonl;; *) echo text;; esac)
	bytes=$(wc -c < "$out/$f")
	for job in "cat" "redact -j 1" "redact -j 1 --operator mask" "redact -j 1 --operator pseudonym" \
		"scan -j 1" "redact -j 2"; do
		case $job in
		cat) set -- cat "$out/$f" ;;
		*) set -- env CORDON_KEY=bench-key-0123456789abcdef "$cordon" $job -f "$fmt" -q "$out/$f" ;;
		esac
		pin="taskset -c 0"
		case $job in *"-j 2"*) pin="" ;; esac
		r=$(measure "$@")
		t=${r% *} m=${r#* }
		mbs=$(awk "BEGIN{ if ($t > 0) printf \"%.0f\", $bytes / 1e6 / $t; else print \"inf\" }")
		printf '%-40s %8s %8s %7s KB\n' "$f $job" "$mbs" "$t" "$m"
	done
done

# issue 13's floor on the dense chat, in parts: what the record pipeline and
# the prefilter cost with one detector that is almost never woken
# (URL_CREDENTIALS), then with the digit runs read as numbers (US_SSN), then
# all entities; start-up alone on an empty input
pin="taskset -c 0"
bytes=$(wc -c < "$out/dense.txt")
r=$(measure "$cordon" redact -j 1 -q --no-config -f text /dev/null)
printf '%-40s %8s %8s %7s KB\n' "dense floor: start-up alone" "-" "${r% *}" "${r#* }"
for ents in URL_CREDENTIALS US_SSN ""; do
	r=$(measure "$cordon" redact -j 1 -q --no-config -f text ${ents:+-e $ents} "$out/dense.txt")
	t=${r% *}
	printf '%-40s %8s %8s %7s KB\n' "dense floor: ${ents:-all entities}" \
		"$(awk "BEGIN{ printf \"%.0f\", $bytes / 1e6 / $t }")" "$t" "${r#* }"
done

# cordon audit: 1,000 NSGs of 100 rules each (az network nsg list form)
[ -s "$out/nsgs.json" ] || "$gen" --seed 2024 --format nsg --nsgs 1000 --rules 100 > "$out/nsgs.json"
pin="taskset -c 0"
r=$(measure "$cordon" audit -f json "$out/nsgs.json")
printf '%-40s %8s %8s %7s KB\n' "audit 1000 NSGs x 100 rules" "-" "${r% *}" "${r#* }"

# cordon audit: 100,000 GCP firewall rules, each from one distinct host (the
# walk's worst shape for set arithmetic), a third of them denies
[ -s "$out/gcp100k.json" ] || awk 'BEGIN { srand(2024); printf "["
	for (i = 0; i < 100000; i++)
		printf "%s{\"name\":\"r%d\",\"network\":\"n\",\"priority\":%d,\"%s\":[{\"IPProtocol\":\"tcp\",\"ports\":[\"9200\"]}],\"sourceRanges\":[\"%d.%d.%d.%d\"]}",
			i ? "," : "", i, int(rand() * 65536), i % 3 ? "allowed" : "denied",
			1 + int(rand() * 222), int(rand() * 256), int(rand() * 256), 1 + int(rand() * 254)
	print "]" }' > "$out/gcp100k.json"
r=$(measure "$cordon" audit --no-config -f json "$out/gcp100k.json")
printf '%-40s %8s %8s %7s KB\n' "audit 100,000 GCP rules, distinct hosts" "-" "${r% *}" "${r#* }"

# records far longer than chunks: 10 records of 15 MB, dense with findings;
# memory whatever --jobs (the budget), and with a larger one
[ -s "$out/long.txt" ] || awk 'BEGIN { for (r = 0; r < 10; r++) { n = 0
	while (n < 15728640) { w = (n % 7 == 0) ? "bob@contoso.com" : (n % 5 == 0) ? "555-123-4567" : "words"
		printf "%s ", w; n += length(w) + 1 }
	print "" } }' > "$out/long.txt"
bytes=$(wc -c < "$out/long.txt")
for job in "-j 1" "-j 2" "-j 8" "-j 2 --memory 512M"; do
	pin=""
	case $job in "-j 1") pin="taskset -c 0" ;; esac
	r=$(measure "$cordon" redact -q $job "$out/long.txt")
	t=${r% *}
	printf '%-40s %8s %8s %7s KB\n' "15 MB records redact $job" \
		"$(awk "BEGIN{ printf \"%.0f\", $bytes / 1e6 / $t }")" "$t" "${r#* }"
done

# the shapes that cost most per byte (tests/linear keeps them linear): 16 MB
# of each, scan -j 1, beside the chats
pin="taskset -c 0"
for shape in "-" "1." "O'" "a@"; do
	f="$out/shape-$(printf '%s' "$shape" | od -An -tx1 | tr -d ' \n').txt"
	[ -s "$f" ] || awk -v u="$shape" 'BEGIN { n = 16777216 / length(u); for (i = 0; i < n; i++) printf "%s", u; print "" }' > "$f"
	r=$(measure "$cordon" scan -q -j 1 --max-record 32M "$f")
	t=${r% *}
	printf '%-40s %8s %8s %7s KB\n' "16 MB of \"$shape\" repeated, scan" \
		"$(awk "BEGIN{ printf \"%.0f\", 16.777216 / $t }")" "$t" "${r#* }"
done

# cordon probe: 1,000 endpoints on loopback (bench/probe.sh)
sh "$(dirname "$0")/probe.sh" "$build"

# cordon watch: time to alert with 10,000 NSGs watched (bench/watch.py)
/usr/bin/python3 "$(dirname "$0")/watch.py" "$build"

# cordon access: flow logs and an access log of about 1 GB each (bench/access.sh)
sh "$(dirname "$0")/access.sh" "$build"

# cordon worker on NATS JetStream: records/s through 1 and 2 workers against
# cordon redact on a file (bench/worker.py)
echo "cordon worker (bench/worker.py):"
/usr/bin/python3 "$(dirname "$0")/worker.py" "$build"
echo

# the evaluation corpus: recall, precision, clean records and decoys on records
# another generator (Faker) writes (bench/eval.py)
echo "evaluation corpus (bench/eval.py):"
/usr/bin/python3 "$(dirname "$0")/eval.py" "$build/cordon" --seed 2026 --records 20000
echo "evaluation corpus as support cases in JSON lines (bench/eval.py --format jsonl):"
/usr/bin/python3 "$(dirname "$0")/eval.py" "$build/cordon" --seed 2026 --records 20000 --format jsonl

# e-mail disguises: the leak on generated disguises and on the held-out family
# (bench/disguises.py, bench/disguises/heldout.txt)
echo
echo "e-mail disguises (bench/disguises.py):"
/usr/bin/python3 "$(dirname "$0")/disguises.py" "$build/cordon" --seed 13 --count 3000
