#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# sockscope's benchmarks (bench/README.md says what each number means).
#
#   bench/run.sh            the full run (a few minutes): writes
#                           bench/RESULTS.md and bench/overhead.svg
#   bench/run.sh --smoke    each workload once, tiny counts, untraced and
#                           under sockscope only: checks that it all works
#                           (not how fast), in well under 30 s; exits 1 if
#                           anything failed
#
# Environment:
#   BENCH_REPS=5            repetitions of the workload x tracer matrix
#   BENCH_LONG=1            the RSS-growth run lasts 60 s (default 10 s)
#   BENCH_OUT=DIR           raw data and logs (default build/bench/out)
#   BENCH_BEFORE=REV        also run sockscope as it was at git revision REV
#                           (built in build/bench/before), JSON and -p other,
#                           in the same matrix: a before/after comparison
#
# Needs root, `make build bench-build` done, and for the peers strace,
# perf (linux-perf) and bpftrace (`scripts/deps.sh --bench`).

set -u
export LC_ALL=C

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1

BIN=build/bench
SOCKSCOPE=${SOCKSCOPE:-build/sockscope}
SESSION=$BIN/tracer_session
OUT=${BENCH_OUT:-build/bench/out}
REPS=${BENCH_REPS:-5}
READY="tracing socket calls"
RUN_TIMEOUT=300		# seconds a run may take before it is killed
# The socket calls sockscope traces, for perf trace and (in sockcalls.bt)
# bpftrace; peer_calls adds read and write where a workload needs them.
CALLS=socket,socketpair,bind,listen,accept,accept4,connect,sendto,recvfrom,sendmsg,recvmsg,shutdown,getsockname,getpeername,setsockopt,getsockopt,close

WORKLOADS="udp_flood tcp_pingpong tcp_churn tcp_stream file_writes"
TRACERS="untraced sockscope_text sockscope_json sockscope_lean sockscope_other strace perf_trace bpftrace"
BEFORE_REV=${BENCH_BEFORE:-}
BEFORE_DIR=build/bench/before
BEFORE=$BEFORE_DIR/build/sockscope

# Iterations per run: about 0.5-1 s untraced on a 2-core VM.
base_count() {
	case $1 in
	udp_flood)	echo 150000 ;;
	tcp_pingpong)	echo 30000 ;;
	tcp_churn)	echo 15000 ;;
	tcp_stream)	echo 80000 ;;
	file_writes)	echo 400000 ;;
	esac
}

# Slow tracers get fewer iterations (ns per iteration is compared, not
# total time), so that each of their runs also lasts about a second.
count_divisor() {
	case $1 in
	strace|perf_trace) echo 16 ;;
	bpftrace)	echo 8 ;;
	*)		echo 1 ;;
	esac
}

smoke_count() {
	case $1 in
	udp_flood)	echo 2000 ;;
	tcp_pingpong)	echo 500 ;;
	tcp_churn)	echo 200 ;;
	tcp_stream)	echo 1000 ;;
	file_writes)	echo 3000 ;;
	esac
}

# The calls strace (peer_calls strace W) and perf trace (peer_calls perf W)
# trace for workload W: the socket calls, and for tcp_stream the read and
# write it makes on its socket. Neither can keep to the calls on sockets
# (sockcalls.bt does), so elsewhere they leave read and write out: on
# file_writes they record none of the loop, as sockscope does.
peer_calls() {
	local set=$CALLS
	[ "$1" = strace ] && set=%network
	case $2 in
	tcp_stream)	echo "$set,read,write" ;;
	*)		echo "$set" ;;
	esac
}

# Whether GOT records fit CALLS calls of WORKLOAD's loop: at least one a
# call, or for file_writes (not a socket in sight) none at all.
records_fit() {
	case $1 in
	file_writes)	[ "$2" -eq 0 ] ;;
	*)		[ "$2" -ge "$3" ] ;;
	esac
}

log() { printf 'bench: %s\n' "$*" >&2; }

# --- environment -----------------------------------------------------------

check_prereqs() {
	if [ "$(id -u)" -ne 0 ]; then
		log "needs root (BPF, perf, bpftrace); try: sudo make bench"
		exit 1
	fi
	for f in $SOCKSCOPE $SESSION $BIN/udp_flood $BIN/tcp_pingpong \
		 $BIN/tcp_churn $BIN/tcp_stream $BIN/file_writes; do
		if [ ! -x "$f" ]; then
			log "$f is missing; build it with: make build bench-build"
			exit 1
		fi
	done
	# perf trace and bpftrace need tracefs (sockscope mounts it itself).
	if [ ! -d /sys/kernel/tracing/events ]; then
		mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null ||
			log "cannot mount tracefs at /sys/kernel/tracing"
	fi
}

IDLE_PID=
cleanup() {
	[ -n "$IDLE_PID" ] && kill "$IDLE_PID" 2>/dev/null
	[ -n "${OUT:-}" ] && rm -f "$OUT"/trace.* 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_idle() {
	sleep 100000 &
	IDLE_PID=$!
}

# --- one run -----------------------------------------------------------------

# key=value from a line of the file: field FILE PREFIX KEY
field() {
	grep -m1 "^$2 " "$1" 2>/dev/null | tr ' ' '\n' |
		sed -n "s/^$3=//p" | head -1
}

# sockscope's summary: "sockscope: N calls, N failed, N lost"
sockscope_lost() {
	sed -n 's/^sockscope: [0-9]* calls, [0-9]* failed, \([0-9]*\) lost$/\1/p' "$1" | tail -1
}

# Records a tracer wrote, and records it says it lost.
count_records() {
	local tracer=$1 file=$2
	[ -f "$file" ] || { echo 0; return; }
	case $tracer in
	sockscope_json|sockscope_lean|before_json)
			grep -c '"kind":"syscall"' "$file" ;;
	sockscope_*|before_*)	grep -Ec '^[0-9.:]+ \[[0-9/]+ [^]]*\] [a-z0-9_]+\(' "$file" ;;
	strace)		grep -c '(' "$file" ;;
	perf_trace)	grep -c ' ms): ' "$file" ;;
	bpftrace)	grep -c '^[0-9]' "$file" ;;
	esac
}

peer_lost() {
	local tracer=$1 file=$2 err=$3 n
	case $tracer in
	sockscope_*|before_*)	sockscope_lost "$err" ;;
	strace)		echo 0 ;;	# strace stops the tracee: it cannot lose
	perf_trace)
		n=$(grep -ho 'LOST [0-9]* events' "$file" "$err" 2>/dev/null |
		    awk '{s += $2} END {print s + 0}')
		echo "$n" ;;
	bpftrace)
		n=$(grep -hio 'lost [0-9]* events' "$file" "$err" 2>/dev/null |
		    awk '{s += $2} END {print s + 0}')
		echo "$n" ;;
	*)		echo 0 ;;
	esac
}

# Run WORKLOAD with COUNT iterations under TRACER; stdout and stderr of
# everything go to LOG.out / LOG.err. Returns the exit status.
run_traced() {
	local tracer=$1 workload=$2 count=$3 logp=$4
	local cmd="$BIN/$workload $count" trace="$OUT/trace.$tracer"

	rm -f "$trace"
	case $tracer in
	untraced)
		timeout "$RUN_TIMEOUT" $cmd ;;
	sockscope_text)
		$SESSION -t "$RUN_TIMEOUT" -- $SOCKSCOPE -o "$trace" -- $cmd ;;
	sockscope_json)
		$SESSION -t "$RUN_TIMEOUT" -- $SOCKSCOPE -j -o "$trace" -- $cmd ;;
	sockscope_lean)
		$SESSION -t "$RUN_TIMEOUT" -- \
			$SOCKSCOPE -j --no-explain -o "$trace" -- $cmd ;;
	sockscope_other)
		$SESSION -t "$RUN_TIMEOUT" -r "$READY" -w "$cmd" -- \
			$SOCKSCOPE -p "$IDLE_PID" -o "$trace" ;;
	before_json)
		$SESSION -t "$RUN_TIMEOUT" -- $BEFORE -j -o "$trace" -- $cmd ;;
	before_other)
		$SESSION -t "$RUN_TIMEOUT" -r "$READY" -w "$cmd" -- \
			$BEFORE -p "$IDLE_PID" -o "$trace" ;;
	strace)
		$SESSION -t "$RUN_TIMEOUT" -- \
			strace -f -e trace="$(peer_calls strace "$workload")" \
			-o "$trace" -- $cmd ;;
	perf_trace)
		$SESSION -t "$RUN_TIMEOUT" -- \
			perf trace -e "$(peer_calls perf "$workload")" \
			-o "$trace" -- $cmd ;;
	bpftrace)
		$SESSION -t "$RUN_TIMEOUT" -- bpftrace -o "$trace" -c "$cmd" \
			bench/sockcalls.bt ;;
	esac >"$logp.out" 2>"$logp.err"
}

# One line of runs.tsv per run.
RUNS_HEADER="rep	workload	tracer	iters	calls	ns_per_iter	startup_ns	shutdown_ns	maxrss_kb	records	lost	status	load1"

record_run() {
	local rep=$1 tracer=$2 workload=$3 count=$4 status
	local logp="$OUT/log/$workload.$tracer.$rep"
	local iters calls nspi exec first startup rss records lost load
	local end exited shutdown

	run_traced "$tracer" "$workload" "$count" "$logp"
	status=$?
	load=$(cut -d' ' -f1 /proc/loadavg)
	iters=$(field "$logp.out" "$workload" iters)
	calls=$(field "$logp.out" "$workload" calls)
	nspi=$(field "$logp.out" "$workload" ns_per_iter)
	exec=$(field "$logp.out" session exec_ns)
	first=$(field "$logp.out" "$workload" first_call_ns)
	rss=$(field "$logp.out" session maxrss_kb)
	end=$(field "$logp.out" "$workload" end_ns)
	exited=$(field "$logp.out" session exit_ns)
	startup= shutdown=
	[ -n "$exec" ] && [ -n "$first" ] && startup=$((first - exec))
	# Command mode: from the workload's end to the tracer's exit.
	case $tracer in *_other) end= ;; esac
	[ -n "$end" ] && [ -n "$exited" ] &&
		shutdown=$((exited - end))
	[ -z "$nspi" ] && [ "$status" -eq 0 ] && status=99
	records=0 lost=0
	if [ "$tracer" != untraced ]; then
		records=$(count_records "$tracer" "$OUT/trace.$tracer")
		lost=$(peer_lost "$tracer" "$OUT/trace.$tracer" "$logp.err")
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		"$rep" "$workload" "$tracer" "${iters:--}" "${calls:--}" \
		"${nspi:--}" "${startup:--}" "${shutdown:--}" "${rss:--}" "$records" \
		"${lost:--}" "$status" "$load" >>"$OUT/runs.tsv"
	return "$status"
}

# --- peers -------------------------------------------------------------------

# Can each tracer run here? peers.tsv: tracer, ok|unavailable, reason.
probe_peers() {
	local t reason logp
	: >"$OUT/peers.tsv"
	for t in $TRACERS; do
		logp="$OUT/log/probe.$t"
		reason=
		case $t in
		strace)	command -v strace >/dev/null || reason="strace is not installed (apt-get install strace)" ;;
		perf_trace) command -v perf >/dev/null || reason="perf is not installed (apt-get install linux-perf)" ;;
		bpftrace) command -v bpftrace >/dev/null || reason="bpftrace is not installed (apt-get install bpftrace)" ;;
		esac
		if [ -z "$reason" ] && ! run_traced "$t" udp_flood 100 "$logp"; then
			reason="failed on a 100-iteration run: $(grep -v -e RLIMIT_MEMLOCK -e '^$' "$logp.err" | head -1)"
		fi
		if [ -z "$reason" ] && [ "$t" != untraced ] &&
		   [ "$(count_records "$t" "$OUT/trace.$t")" -eq 0 ] &&
		   [ "${t%_other}" = "$t" ]; then
			reason="ran, but recorded no calls"
		fi
		if [ -n "$reason" ]; then
			printf '%s\tunavailable\t%s\n' "$t" "$reason" >>"$OUT/peers.tsv"
			log "$t cannot run here: $reason"
		else
			printf '%s\tok\t\n' "$t" >>"$OUT/peers.tsv"
		fi
	done
}

peer_ok() {
	grep -q "^$1	ok" "$OUT/peers.tsv"
}

# --- the matrix ----------------------------------------------------------------

run_matrix() {
	local rep w t i n offset tracers ntr
	tracers=($TRACERS)
	ntr=${#tracers[@]}
	for rep in $(seq 1 "$REPS"); do
		log "repetition $rep of $REPS (load $(cut -d' ' -f1-3 /proc/loadavg))"
		# Alternate: each repetition starts the tracer cycle one later.
		offset=$(( (rep - 1) % ntr ))
		for w in $WORKLOADS; do
			for i in $(seq 0 $((ntr - 1))); do
				t=${tracers[$(( (i + offset) % ntr ))]}
				peer_ok "$t" || continue
				n=$(( $(base_count "$w") / $(count_divisor "$t") ))
				record_run "$rep" "$t" "$w" "$n" ||
					log "$w under $t failed (status $?; see $OUT/log/$w.$t.$rep.err)"
			done
		done
	done
}

# --- start-up, memory, zero-loss rate -------------------------------------------

# extras.tsv: key, value (report.py reads them by key).
extra() { printf '%s\t%s\n' "$1" "$2" >>"$OUT/extras.tsv"; }

# System-wide mode: from exec of sockscope to its "tracing..." line.
measure_ready() {
	local i logp v
	for i in 1 2 3 4 5; do
		logp="$OUT/log/ready.$i"
		$SESSION -t 60 -r "$READY" -- $SOCKSCOPE -o /dev/null \
			>"$logp.out" 2>"$logp.err"
		v=$(field "$logp.out" session ready_ns)
		[ -n "$v" ] && extra ready_ns "$v"
		v=$(field "$logp.out" session stop_ns)
		[ -n "$v" ] && extra stop_ns "$v"
		v=$(field "$logp.out" session maxrss_kb)
		[ -n "$v" ] && extra ready_maxrss_kb "$v"
		v=$(field "$logp.out" session rss_bpf_maps_kb)
		[ -n "$v" ] && extra ready_bpf_maps_kb "$v"
	done
}

# One paced UDP flood of about SECONDS at RATE calls/s under sockscope -j.
# Prints: target achieved_rate lost calls_traced
paced_run() {
	local rate=$1 secs=$2 tag=$3 iters logp elapsed calls lost
	# One iteration is about 2.03 calls (a sendto, its recvfrom, and one
	# EAGAIN recvfrom per 32).
	iters=$(awk -v r="$rate" -v s="$secs" 'BEGIN {printf "%d", r * s / 2.03}')
	logp="$OUT/log/rate.$tag.$rate"
	$SESSION -t 300 -- $SOCKSCOPE -j -o "$OUT/trace.rate" -- \
		$BIN/udp_flood "$iters" "$rate" >"$logp.out" 2>"$logp.err"
	elapsed=$(field "$logp.out" udp_flood elapsed_ns)
	calls=$(field "$logp.out" udp_flood calls)
	lost=$(sockscope_lost "$logp.err")
	rm -f "$OUT/trace.rate"
	if [ -z "$elapsed" ] || [ -z "$lost" ]; then
		echo "$rate - - -"
		return 1
	fi
	awk -v t="$rate" -v c="$calls" -v e="$elapsed" -v l="$lost" \
		'BEGIN {printf "%d %d %d %d\n", t, c * 1e9 / e, l, c}'
}

# The highest paced rate at which sockscope -j loses nothing: double until
# a loss or until the workload cannot keep the pace (it is slowed by the
# tracing itself), then bisect between the last good and the first bad.
measure_zero_loss() {
	local secs=1.5 rate=50000 good=0 good_ach=0 bad=0 r t a l i
	: >"$OUT/rates.tsv"
	while :; do
		r=$(paced_run "$rate" "$secs" up) || break
		read -r t a l _ <<<"$r"
		printf '%s\t%s\t%s\n' "$t" "$a" "$l" >>"$OUT/rates.tsv"
		log "paced flood: target $t calls/s, reached $a, lost $l"
		if [ "$l" -gt 0 ]; then
			bad=$rate
			break
		fi
		good=$rate good_ach=$a
		# Saturated: the traced workload cannot go faster.
		if [ "$a" -lt $((rate * 9 / 10)) ]; then
			break
		fi
		rate=$((rate * 2))
	done
	if [ "$bad" -gt 0 ]; then
		for i in 1 2 3; do
			rate=$(( (good + bad) / 2 ))
			r=$(paced_run "$rate" "$secs" bisect) || break
			read -r t a l _ <<<"$r"
			printf '%s\t%s\t%s\n' "$t" "$a" "$l" >>"$OUT/rates.tsv"
			log "paced flood: target $t calls/s, reached $a, lost $l"
			if [ "$l" -gt 0 ]; then bad=$rate; else good=$rate good_ach=$a; fi
		done
		extra zero_loss_limited_by loss
	else
		extra zero_loss_limited_by producer
	fi
	extra zero_loss_rate "$good_ach"
	extra zero_loss_target "$good"
	# Twice that rate: paced when one flooder can reach it, else as fast
	# as two flooders go (the most this 2-core machine can produce).
	r=$(paced_run $((good * 2)) "$secs" double) && {
		read -r t a l _ <<<"$r"
		extra double_rate_target "$t"
		extra double_rate_reached "$a"
		extra double_rate_lost "$l"
	}
	measure_two_flooders
	# What a 4 MiB ring buffer (half the default) would lose.
	measure_two_flooders 4194304
}

# Two unpaced floods at once under one sockscope: the most this machine
# produces. With a ring buffer size (bytes) as $1, under --ringbuf-size.
measure_two_flooders() {
	local size=${1:-} tag=two logp n=200000 calls elapsed lost opt=
	if [ -n "$size" ]; then
		tag=two_rb$size
		opt=--ringbuf-size=$size
	fi
	logp="$OUT/log/rate.$tag"
	$SESSION -t 300 -- $SOCKSCOPE $opt -j -o "$OUT/trace.rate" -- \
		sh -c "$BIN/udp_flood $n & $BIN/udp_flood $n; wait" \
		>"$logp.out" 2>"$logp.err"
	rm -f "$OUT/trace.rate"
	lost=$(sockscope_lost "$logp.err")
	# Combined rate: all calls over the longer of the two loops.
	calls=$(grep '^udp_flood ' "$logp.out" | tr ' ' '\n' |
		sed -n 's/^calls=//p' | awk '{s += $1} END {print s}')
	elapsed=$(grep '^udp_flood ' "$logp.out" | tr ' ' '\n' |
		  sed -n 's/^elapsed_ns=//p' | sort -n | tail -1)
	[ -n "$lost" ] && [ -n "$elapsed" ] || return
	tag=${tag/two/two_flooders}
	extra "${tag}_rate" "$(awk -v c="$calls" -v e="$elapsed" 'BEGIN {printf "%d", c * 1e9 / e}')"
	extra "${tag}_lost" "$lost"
	extra "${tag}_calls" "$calls"
	extra "${tag}_maxrss_kb" "$(field "$logp.out" session maxrss_kb)"
}

# Resident memory of system-wide sockscope -j over a long run: a paced UDP
# flood (two sockets, many calls) beside a paced connection churn (many
# sockets: what the reader's per-socket state grows with).
measure_rss_growth() {
	local secs=10 rate logp iters churn_rate=5000 cycles
	[ "${BENCH_LONG:-0}" = 1 ] && secs=60
	rate=$(awk -F'\t' '$1 == "zero_loss_target" {print $2}' "$OUT/extras.tsv")
	[ -z "$rate" ] || [ "$rate" -eq 0 ] && rate=50000
	rate=$((rate / 2))
	iters=$(awk -v r="$rate" -v s="$secs" 'BEGIN {printf "%d", r * s / 2.03}')
	cycles=$((churn_rate * secs / 5))
	logp="$OUT/log/rss"
	log "RSS over ${secs} s: UDP flood at $rate calls/s and churn at $((churn_rate / 5)) connections/s (BENCH_LONG=1: 60 s)"
	$SESSION -t $((secs * 3 + 60)) -i 1000 -r "$READY" \
		-w "$BIN/udp_flood $iters $rate" \
		-w "$BIN/tcp_churn $cycles $churn_rate" -- \
		$SOCKSCOPE -c udp_flood -c tcp_churn -j -o "$OUT/trace.rss" \
		>"$logp.out" 2>"$logp.err"
	rm -f "$OUT/trace.rss"
	extra rss_seconds "$secs"
	extra rss_rate "$rate"
	extra rss_connections "$cycles"
	extra rss_calls "$(sed -n 's/^sockscope: \([0-9]*\) calls.*/\1/p' "$logp.err" | tail -1)"
	extra rss_lost "$(sockscope_lost "$logp.err")"
	extra rss_ready_kb "$(field "$logp.out" session rss_ready_kb)"
	extra rss_end_kb "$(field "$logp.out" session rss_end_kb)"
	extra rss_sampled_max_kb "$(field "$logp.out" session rss_sampled_max_kb)"
	extra rss_bpf_maps_kb "$(field "$logp.out" session rss_bpf_maps_kb)"
	extra rss_peak_kb "$(field "$logp.out" session maxrss_kb)"
}

# --- where the time goes -------------------------------------------------------

profile_sockscope() {
	log "profiling sockscope on the UDP flood"
	bench/profile.sh "$OUT" $(( $(base_count udp_flood) / 2 )) >"$OUT/profile.txt" \
		2>"$OUT/log/profile.err" ||
		log "profiling failed; see $OUT/log/profile.err"
}

# The reader's instructions per record, counted by callgrind (the same
# count whatever else the machine does): handle_record and all it calls,
# on a UDP flood small enough (3,000 iterations, about 6,100 records) that
# the 8 MiB buffer holds what the slowed reader has not read yet, so
# nothing is lost and every record is counted. TAG names the binary.
reader_instructions() {
	local tag=$1 bin=$2 mode out ir calls
	shift 2
	for mode in json text; do
		out="$OUT/log/callgrind-$tag-$mode"
		set -- -o /dev/null
		[ "$mode" = json ] && set -- -j -o /dev/null
		valgrind --tool=callgrind --toggle-collect=handle_record \
			--callgrind-out-file="$out.cg" "$bin" "$@" -- \
			build/bench/udp_flood 3000 >/dev/null 2>"$out.err" || {
			log "callgrind of $tag ($mode) failed; see $out.err"
			continue
		}
		ir=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out.err" | head -1)
		calls=$(sed -n 's/^sockscope: \([0-9]*\) calls.*/\1/p' "$out.err" | tail -1)
		[ -n "$ir" ] && [ -n "$calls" ] && [ "$calls" -gt 0 ] &&
			extra "reader_ir_${tag}_$mode" "$((ir / calls)) $calls $(sockscope_lost "$out.err")"
		rm -f "$out.cg"
	done
}

measure_reader_instructions() {
	command -v valgrind >/dev/null || {
		log "no valgrind: the reader's instructions are not counted"
		return 0
	}
	log "counting the reader's instructions per record (callgrind)"
	reader_instructions now "$SOCKSCOPE"
	[ -n "$BEFORE_REV" ] &&
		reader_instructions before "$BEFORE_DIR/build/sockscope"
	return 0
}

# --- the machine -------------------------------------------------------------------

version_of() {
	"$@" 2>&1 | grep -m1 -v '^$' | tr -d '\r'
}

describe_machine() {
	local f="$OUT/machine.tsv"
	: >"$f"
	{
	printf 'date\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
	printf 'cpu\t%s\n' "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
	printf 'cpus\t%s\n' "$(nproc)"
	printf 'memory\t%s\n' "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
	printf 'kernel\t%s\n' "$(uname -r)"
	printf 'os\t%s\n' "$(. /etc/os-release && echo "$PRETTY_NAME")"
	printf 'sockscope\t%s\n' "$(version_of $SOCKSCOPE --version)"
	printf 'clang\t%s\n' "$(version_of clang --version)"
	printf 'libbpf\t%s\n' "$(dpkg-query -W -f='${Version}' libbpf1 2>/dev/null)"
	printf 'bpftool\t%s\n' "$(version_of bpftool version)"
	printf 'strace\t%s\n' "$(version_of strace -V)"
	printf 'perf\t%s\n' "$(version_of perf --version)"
	printf 'bpftrace\t%s\n' "$(version_of bpftrace --version)"
	printf 'load_start\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
	printf 'other_bpf_tracers_start\t%s\n' "$(bpftool perf list 2>/dev/null | wc -l)"
	printf 'reps\t%s\n' "$REPS"
	for w in $WORKLOADS; do
		printf 'count_%s\t%s\n' "$w" "$(base_count "$w")"
	done
	for t in strace perf_trace bpftrace; do
		printf 'divisor_%s\t%s\n' "$t" "$(count_divisor "$t")"
	done
	} >>"$f"
}

# --- smoke -----------------------------------------------------------------------------

smoke() {
	local pass=0 fail=0 w t n logp calls got lost status start=$SECONDS
	RUN_TIMEOUT=20
	OUT=$(mktemp -d /tmp/sockscope-bench.XXXXXX)
	mkdir -p "$OUT/log"
	trap 'rm -rf "$OUT"' EXIT
	for w in $WORKLOADS; do
		n=$(smoke_count "$w")
		for t in untraced sockscope_text sockscope_json; do
			logp="$OUT/log/$w.$t"
			run_traced "$t" "$w" "$n" "$logp"
			status=$?
			calls=$(field "$logp.out" "$w" calls)
			got=0 lost=
			if [ "$t" != untraced ]; then
				got=$(count_records "$t" "$OUT/trace.$t")
				lost=$(sockscope_lost "$logp.err")
			fi
			if [ "$status" -ne 0 ] || [ -z "$calls" ]; then
				echo "not ok $w $t: exit status $status"
			elif [ "$t" != untraced ] && [ "$lost" != 0 ]; then
				echo "not ok $w $t: sockscope summary says '${lost:-nothing}' lost"
			elif [ "$t" != untraced ] &&
			     ! records_fit "$w" "$got" "$calls"; then
				echo "not ok $w $t: $got records for $calls calls"
			else
				echo "ok $w $t ($calls calls${lost:+, $got records})"
				pass=$((pass + 1))
				continue
			fi
			fail=$((fail + 1))
			sed 's/^/# /' "$logp.out" "$logp.err" | head -20
		done
	done
	echo "# $((SECONDS - start)) s"
	echo "smoke: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}

# sockscope as it was at BEFORE_REV, built from that revision's files
# (git archive) in BEFORE_DIR; its tracers join the matrix.
build_before() {
	local rev
	rev=$(git rev-parse --short "$BEFORE_REV" 2>/dev/null) || {
		log "BENCH_BEFORE=$BEFORE_REV is not a git revision here"
		exit 1
	}
	log "building sockscope as of $rev in $BEFORE_DIR"
	rm -rf "$BEFORE_DIR"
	mkdir -p "$BEFORE_DIR"
	if ! git archive "$rev" | tar -x -C "$BEFORE_DIR" ||
	   ! make -s -C "$BEFORE_DIR" build >"$OUT/log/before.build" 2>&1; then
		log "cannot build $rev (see $OUT/log/before.build)"
		exit 1
	fi
	printf 'before_rev\t%s %s\n' "$rev" \
		"$(git log -1 --format=%s "$rev" | cut -c1-80)" >>"$OUT/machine.tsv"
	git log --format='%h %s' "$rev..HEAD" -- bpf user >"$OUT/changes.txt"
	git diff --quiet HEAD -- bpf user ||
		echo "(and changes not committed yet)" >>"$OUT/changes.txt"
	TRACERS="$TRACERS before_json before_other"
}

# --- main -----------------------------------------------------------------------------------

check_prereqs
if [ "${1:-}" = "--smoke" ]; then
	smoke
	exit
elif [ $# -gt 0 ]; then
	echo "usage: bench/run.sh [--smoke]" >&2
	exit 2
fi

rm -rf "$OUT"
mkdir -p "$OUT/log"
printf '%s\n' "$RUNS_HEADER" >"$OUT/runs.tsv"
: >"$OUT/extras.tsv"
start_idle
describe_machine
[ -n "$BEFORE_REV" ] && build_before
probe_peers
run_matrix
log "start-up, memory and zero-loss rate"
measure_ready
measure_zero_loss
measure_rss_growth
profile_sockscope
measure_reader_instructions
printf 'load_end\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.tsv"
printf 'other_bpf_tracers_end\t%s\n' "$(bpftool perf list 2>/dev/null | wc -l)" >>"$OUT/machine.tsv"
python3 bench/report.py "$OUT" bench/RESULTS.md bench/overhead.svg || exit 1
log "wrote bench/RESULTS.md and bench/overhead.svg (raw data in $OUT)"
