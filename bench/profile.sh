#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Where sockscope's time goes on the UDP flood, for bench/run.sh (and by
# hand). Prints "key<TAB>value" lines that bench/report.py reads:
#
#   bench/profile.sh OUTDIR N
#
# 1. BPF programs: with kernel.bpf_stats_enabled=1, run_time_ns and
#    run_cnt of each of this sockscope's programs (found through the
#    links in /proc/PID/fdinfo, so other tracers on the machine do not
#    count), for a traced process (-c udp_flood, -c tcp_churn) and for an
#    untraced one (-p of an idle process).
# 2. The reader: its CPU time (user, system), voluntary context switches
#    (wake-ups) and bytes written, for JSON to a file, JSON to /dev/null
#    and text to a file.
# 3. perf record (cpu-clock) of the reader alone: the top symbols.
#
# Internal: bench/profile.sh --snapshot PID FILE WORKLOAD... runs the
# workload, then saves PID's BPF program counters and reader counters.

set -u
export LC_ALL=C
cd "$(dirname "$0")/.." || exit 1

SOCKSCOPE=${SOCKSCOPE:-build/sockscope}
SESSION=build/bench/tracer_session
READY="tracing socket calls"

# The counters of sockscope PID, as key/value lines.
snapshot() {
	local pid=$1 f id
	for f in /proc/"$pid"/fdinfo/*; do
		# A link (tracepoint or tp_btf) names the program it runs.
		grep -q '^link_type:' "$f" 2>/dev/null || continue
		id=$(sed -n 's/^prog_id:[[:space:]]*//p' "$f" 2>/dev/null)
		[ -n "$id" ] || continue
		bpftool prog show id "$id" 2>/dev/null |
			sed -n 's/.* name \([^ ]*\) .*run_time_ns \([0-9]*\) run_cnt \([0-9]*\).*/prog	\1	\2	\3/p'
	done
	awk '/^voluntary_ctxt_switches/ {print "wakeups\t" $2}
	     /^nonvoluntary_ctxt_switches/ {print "preempted\t" $2}' \
		/proc/"$pid"/status
	awk '/^wchar/ {print "written\t" $2}' /proc/"$pid"/io
	# utime and stime, in clock ticks: fields 14 and 15 after the comm.
	sed 's/.*) //' /proc/"$pid"/stat |
		awk -v hz="$(getconf CLK_TCK)" \
		    '{printf "cpu_user_ms\t%d\ncpu_sys_ms\t%d\n", $12 * 1000 / hz, $13 * 1000 / hz}'
}

if [ "${1:-}" = "--snapshot" ]; then
	pid=$2 file=$3
	shift 3
	"$@" || exit 1
	snapshot "$pid" >"$file"
	exit 0
fi

OUT=$1
N=$2
D="$OUT/profile"
mkdir -p "$D"

old_stats=$(sysctl -n kernel.bpf_stats_enabled)
restore() { sysctl -q kernel.bpf_stats_enabled="$old_stats"; }
trap restore EXIT
sysctl -q kernel.bpf_stats_enabled=1

# Start sockscope in the background and wait until it is attached; sets
# SPID. Loading is retried once: it has been seen to fail with EPERM while
# other tests loaded BPF programs on the same machine.
SPID=
start_sockscope() {
	local err=$1 try
	shift
	for try in 1 2; do
		"$SOCKSCOPE" "$@" </dev/null >/dev/null 2>"$err" &
		SPID=$!
		for _ in $(seq 200); do
			grep -q "$READY" "$err" 2>/dev/null && return 0
			kill -0 "$SPID" 2>/dev/null || break
			sleep 0.05
		done
		stop_sockscope
		echo "profile: sockscope did not start (try $try): $(head -1 "$err")" >&2
	done
	return 1
}

stop_sockscope() {
	[ -n "$SPID" ] || return 0
	kill -INT "$SPID" 2>/dev/null
	wait "$SPID"
	SPID=
}

# One system-wide sockscope session around one run of WORKLOAD (udp_flood
# N or tcp_churn N/10); prints the snapshot as "TAG.key<TAB>value" and the
# workload's figures.
session() {
	local tag=$1 workload=$2 count=$N
	shift 2
	[ "$workload" = tcp_churn ] && count=$((N / 10))
	local snap="$D/$tag.snap" pf=""

	rm -f "$snap"
	start_sockscope "$D/$tag.err" "$@" || return 1
	if [ "$tag" = perf ]; then
		perf record -F 1999 -o "$D/perf.data" -p "$SPID" \
			>/dev/null 2>"$D/perf-record.err" &
		pf=$!
		sleep 0.3
	fi
	bench/profile.sh --snapshot "$SPID" "$snap" \
		build/bench/"$workload" "$count" >"$D/$tag.out"
	[ -n "$pf" ] && { kill -INT "$pf"; wait "$pf"; }
	stop_sockscope
	sed "s/^/$tag./" "$snap"
	sed -n 's/^[a-z_]* iters=[0-9]* calls=\([0-9]*\) .*ns_per_iter=\([0-9.]*\).*/'"$tag"'.workload_calls\t\1\n'"$tag"'.ns_per_iter\t\2/p' "$D/$tag.out"
	sed -n 's/^sockscope: \([0-9]*\) calls, [0-9]* failed, \([0-9]*\) lost/'"$tag"'.records\t\1\n'"$tag"'.lost\t\2/p' "$D/$tag.err"
}

sleep 100000 &
idle=$!
trap 'stop_sockscope; kill $idle 2>/dev/null; restore' EXIT

session json_file udp_flood -c udp_flood -j -o "$D/trace.json"
rm -f "$D/trace.json"
session json_null udp_flood -c udp_flood -j -o /dev/null
session text_file udp_flood -c udp_flood -o "$D/trace.txt"
rm -f "$D/trace.txt"
session lean udp_flood -c udp_flood -j --no-explain -o "$D/trace.json"
rm -f "$D/trace.json"
session other udp_flood -p "$idle" -o /dev/null
session churn_json tcp_churn -c tcp_churn -j -o "$D/trace.json"
rm -f "$D/trace.json"
session churn_lean tcp_churn -c tcp_churn -j --no-explain -o "$D/trace.json"
rm -f "$D/trace.json"
session churn_other tcp_churn -p "$idle" -o /dev/null
restore

# The reader alone, sampled: where its CPU goes.
session perf udp_flood -c udp_flood -j -o "$D/trace.json" >/dev/null
rm -f "$D/trace.json"
perf report -i "$D/perf.data" --stdio --no-children --sort sym \
	--percent-limit 1.5 2>/dev/null |
	grep -E '^ +[0-9.]+%' | head -25 |
	sed 's/^ *\([0-9.]*\)% *\[\(.\)\] *\(.*\)$/perf_sym\t\1\t\2\t\3/'
perf report -i "$D/perf.data" --stdio --no-children --sort dso \
	2>/dev/null | grep -E '^ +[0-9.]+%' | head -8 |
	sed 's/^ *\([0-9.]*\)% *\(.*\)$/perf_dso\t\1\t\2/'
rm -f "$D/perf.data" "$D/perf.data.old"
