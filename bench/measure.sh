# Sourced by bench/run.sh and bench/access.sh: measure CMD... prints the
# best wall time (s) of three runs and the peak RSS (KB), running "$pin CMD"
# (pin: empty, or "taskset -c 0"); $out is where its scratch files go.
measure() {
	best="" rss=0
	for i in 1 2 3; do
		t0=$(date +%s.%N)
		/usr/bin/time -q -f '%M' -o "$out/time" $pin "$@" > /dev/null 2>"$out/err" || [ $? = 1 ]
		t1=$(date +%s.%N)
		t=$(awk "BEGIN{printf \"%.3f\", $t1 - $t0}")
		m=$(tail -n 1 "$out/time")
		if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
		[ "$m" -gt "$rss" ] && rss=$m
	done
	echo "$best $rss"
}
