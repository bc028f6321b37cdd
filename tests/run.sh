#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Runs the test programs and sums up their TAP results.
#
#   tests/run.sh DIR                   every executable DIR/test_*, by name
#   tests/run.sh DIR test_foo test_bar only those
#
# Each program runs from the source tree's root under a whole-program
# timeout ($SOCKSCOPE_TEST_TIMEOUT seconds, default 600); its output passes
# through unchanged. A program that ends without a "# Totals:" line counts
# as one failure (or as one skip if it exited 4). The last line is
#   tests: N passed, N failed, N skipped
# and the exit code is 1 if anything failed, else 0.

set -u
export LC_ALL=C

program_timeout=${SOCKSCOPE_TEST_TIMEOUT:-600}
passed=0
failed=0
skipped=0

if [ $# -lt 1 ]; then
	echo "usage: $0 DIR [test_name...]" >&2
	exit 2
fi
dir=$1
shift
case $dir in
/*) ;;
*) dir=$PWD/$dir ;;
esac
cd "$(dirname "$0")/.." || exit 1

logdir=$(mktemp -d) || exit 1
trap 'rm -rf "$logdir"' EXIT

totals_re='# Totals: pass:([0-9]+) fail:([0-9]+) xfail:[0-9]+ xpass:[0-9]+ skip:([0-9]+) error:([0-9]+)'

# Adds one program's results to the sums, from its log and exit code.
count_results() {
	local name=$1 log=$2 rc=$3 totals

	totals=$(grep -E '^# Totals:' "$log" | tail -n 1)
	if [[ $totals =~ $totals_re ]]; then
		passed=$((passed + BASH_REMATCH[1]))
		failed=$((failed + BASH_REMATCH[2] + BASH_REMATCH[4]))
		skipped=$((skipped + BASH_REMATCH[3]))
		case $rc in
		0|1|4) ;;
		*)
			echo "# $name: exited $rc after its Totals line"
			failed=$((failed + 1))
			;;
		esac
	elif [ "$rc" -eq 4 ]; then
		skipped=$((skipped + 1))
	elif [ "$rc" -eq 124 ]; then
		echo "# $name: timed out after $program_timeout s (exit $rc)"
		failed=$((failed + 1))
	else
		echo "# $name: crashed (exit $rc)"
		failed=$((failed + 1))
	fi
}

run_program() {
	local prog=$1 name log rc

	name=$(basename "$prog")
	log=$logdir/$name.log
	if [ ! -x "$prog" ] || [ -d "$prog" ]; then
		echo "# $name: no such test program in $dir"
		failed=$((failed + 1))
		return
	fi
	timeout --foreground -k 10 "$program_timeout" "$prog" | tee "$log"
	rc=${PIPESTATUS[0]}
	count_results "$name" "$log" "$rc"
}

if [ $# -gt 0 ]; then
	for name in "$@"; do
		run_program "$dir/$(basename "$name")"
	done
else
	for prog in "$dir"/test_*; do
		case $prog in
		*.o|*.d) continue ;;
		esac
		[ -f "$prog" ] && [ -x "$prog" ] || continue
		run_program "$prog"
	done
fi

echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
