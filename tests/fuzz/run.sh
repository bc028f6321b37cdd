#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Runs libFuzzer targets, each for a set time, as many at once as there
# are CPUs ($FUZZ_JOBS to choose).
#
#   tests/fuzz/run.sh FUZZ_DIR SECONDS TARGET...
#
# Target T is FUZZ_DIR/fuzz_T. It starts from the seeds in
# tests/fuzz/corpus/T/ (read only) and from what earlier runs found in
# FUZZ_DIR/corpus/T/ (where new inputs go), with tests/fuzz/T.dict when
# there is one. Quiet on success: one line per target. On a crash, the
# end of libFuzzer's log and how to reproduce it. Exit 1 if any target
# crashed.

set -u
export LC_ALL=C

if [ $# -lt 3 ]; then
	echo "usage: $0 FUZZ_DIR SECONDS TARGET..." >&2
	exit 2
fi
dir=$1
seconds=$2
shift 2
cd "$(dirname "$0")/../.." || exit 1

# Crashes must abort; leaks are real findings too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# One target; its result line (and, on a crash, more) in $dir/fuzz_T.result.
run_target() {
	local t=$1 bin=$dir/fuzz_$1 work=$dir/corpus/$1 log=$dir/fuzz_$1.log
	local result=$dir/fuzz_$1.result dict=() rc runs cov crash

	[ -f "tests/fuzz/$t.dict" ] && dict=("-dict=tests/fuzz/$t.dict")
	mkdir -p "$work"
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-max_len=4096 -artifact_prefix="$dir/crash-$t-" \
		"${dict[@]}" "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	runs=$(grep -aoE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')
	cov=$(grep -aoE 'cov: [0-9]+' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		echo "fuzz: $t: ${runs:-0} runs in $seconds s, ${cov:-cov: ?}, clean" >"$result"
		return
	fi
	{
		echo "fuzz: $t: FAILED (exit $rc) after ${runs:-0} runs; the end of $log:"
		grep -av '^    #[0-9]' "$log" | tail -n 30 | sed 's/^/  /'
		crash=$(grep -aoE "$dir/crash-$t-[^ ]+" "$log" | tail -n 1)
		[ -n "$crash" ] && echo "fuzz: reproduce with: $bin $crash"
	} >"$result"
}

jobs=${FUZZ_JOBS:-$(nproc)}
running=0
for t in "$@"; do
	rm -f "$dir/fuzz_$t.result"
	run_target "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

failed=0
for t in "$@"; do
	cat "$dir/fuzz_$t.result" 2>/dev/null ||
		echo "fuzz: $t: no result"
	grep -q ', clean$' "$dir/fuzz_$t.result" 2>/dev/null || failed=1
done
exit $failed
