#!/bin/sh
# Properties on generated support records (text and JSON lines):
#  - every personal-data value the generator inserted is gone after redact;
#  - every decoy (build, KB id, HRESULT, price, case number, path) survives,
#    as many times as it was written;
#  - scan over redact output finds nothing; records in = records out;
#  - no postal address survives whole, and at least 85% of the words of the
#    names inserted are gone (a quarter of those names are on no name list:
#    only their context can find them);
#  - the bundled examples hold no personal data after redaction either.
set -eu
cordon=$1 gen=$2 examples=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
check() { # name, command...
	name=$1; shift
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $name"; fi
}
for fmt in text jsonl; do
	for seed in 1 2 3; do
		"$gen" --seed $seed --size 1500000 --format $fmt --values "$T/values" --decoys "$T/decoys" \
			--names "$T/names" --addresses "$T/addresses" > "$T/in"
		"$cordon" redact -q -f $fmt "$T/in" > "$T/out"
		left=$(grep -c -F -f "$T/values" "$T/out" || true)
		[ "$left" = 0 ] || grep -o -F -f "$T/values" "$T/out" | sort | uniq -c | sort -rn | head -5
		check "$fmt/$seed: inserted values all redacted ($left left)" [ "$left" = 0 ]
		grep -o -F -f "$T/decoys" "$T/in" | sort | uniq -c > "$T/d.in"
		grep -o -F -f "$T/decoys" "$T/out" | sort | uniq -c > "$T/d.out"
		check "$fmt/$seed: decoys survive" cmp -s "$T/d.in" "$T/d.out"
		cmp -s "$T/d.in" "$T/d.out" || diff "$T/d.in" "$T/d.out" | head -5
		check "$fmt/$seed: scan of redacted output finds nothing" "$cordon" scan -q -f $fmt "$T/out"
		check "$fmt/$seed: records in = out" [ "$(wc -l < "$T/in")" = "$(wc -l < "$T/out")" ]
		left=$(grep -c -F -f "$T/addresses" "$T/out" || true)
		check "$fmt/$seed: no address left whole ($left left)" [ "$left" = 0 ]
		words=$(grep -o -w -F -f "$T/names" "$T/in" | wc -l)
		kept=$(grep -o -w -F -f "$T/names" "$T/out" | wc -l)
		share=$(awk "BEGIN { printf \"%.1f\", 100 * ($words - $kept) / $words }")
		echo "$fmt/$seed: $share% of $words name words redacted"
		check "$fmt/$seed: names caught ($share% >= 85%)" awk "BEGIN { exit !($share >= 85) }"
	done
done
for f in "$examples"/*.txt "$examples"/*.jsonl; do
	"$cordon" redact -q "$f" > "$T/ex"
	check "$(basename "$f"): scan after redact finds nothing" "$cordon" scan -q "$T/ex" -f "$(case $f in *.jsonl) echo jsonl;; *) echo text;; esac)"
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
