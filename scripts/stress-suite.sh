#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Is the test suite deterministic? Runs it RUNS times in a row, each time
# with HOGS busy loops (default: one per core) running beside it, or with
# none, and says which tests failed in which run.
#
#   scripts/stress-suite.sh [--runs N] [--hogs N] [BUILD]
#
# BUILD is the build directory (default build/), already built (make). The
# busy loops are this script's own shell processes, stopped when it ends.
# Each run's whole output is kept in BUILD/stress/run-N.log. Exits 1 if any
# run had a failure.

set -u
cd "$(dirname "$0")/.." || exit 1

runs=5
hogs=$(nproc)
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift 2 ;;
	--hogs) hogs=$2; shift 2 ;;
	-*) echo "usage: $0 [--runs N] [--hogs N] [BUILD]" >&2; exit 2 ;;
	*) break ;;
	esac
done
build=${1:-build}
case $runs$hogs in
*[!0-9]*) echo "stress-suite: --runs and --hogs take whole numbers" >&2; exit 2 ;;
esac
if [ ! -d "$build/tests" ]; then
	echo "stress-suite: no $build/tests; build first (make)" >&2
	exit 2
fi

pids=()
stop_hogs() {
	[ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
	pids=()
}
trap stop_hogs EXIT
for _ in $(seq "$hogs"); do
	( while :; do :; done ) &
	pids+=($!)
done

mkdir -p "$build/stress"
bad=0
for run in $(seq "$runs"); do
	log=$build/stress/run-$run.log
	start=$SECONDS
	tests/run.sh "$build/tests" >"$log" 2>&1
	rc=$?
	echo "run $run of $runs ($hogs busy loops, $((SECONDS - start)) s): $(tail -n 1 "$log")"
	grep -E '^not ok ' "$log" | sed 's/^/  /'
	[ "$rc" -eq 0 ] || bad=1
done
exit $bad
