#!/bin/sh
# make demo: run the UDP chat server and client unattended while sockscope
# traces them, then show the conversation and the decoded trace.
set -eu

BUILD=${BUILD:-build}
OUT="$BUILD/demo"
TRACER="$BUILD/sockscope"
SERVER="$BUILD/examples/udp_chat_server"
CLIENT="$BUILD/examples/udp_chat_client"

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: loading BPF programs needs root; try: sudo make demo" >&2
	exit 1
fi

mkdir -p "$OUT"
tracer_pid=""
server_pid=""
cleanup() {
	[ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
	[ -z "$tracer_pid" ] || kill -INT "$tracer_pid" 2>/dev/null || true
}
trap cleanup EXIT

# Trace the two chat programs by name, and wait until attached.
"$TRACER" --payload -c udp_chat_server -c udp_chat_client \
	>"$OUT/trace.txt" 2>"$OUT/tracer.log" &
tracer_pid=$!
i=0
until grep -q "tracing socket calls" "$OUT/tracer.log"; do
	i=$((i + 1))
	if [ $i -gt 200 ] || ! kill -0 "$tracer_pid" 2>/dev/null; then
		cat "$OUT/tracer.log" >&2
		exit 1
	fi
	sleep 0.1
done

# A UDP chat server that echoes, on a port the kernel picks.
"$SERVER" --port 0 --echo >"$OUT/server.txt" 2>&1 </dev/null &
server_pid=$!
i=0
until grep -q "^listening on" "$OUT/server.txt"; do
	i=$((i + 1))
	[ $i -le 100 ] || { cat "$OUT/server.txt" >&2; exit 1; }
	sleep 0.1
done
port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\) (udp)$/\1/p' \
	"$OUT/server.txt")

printf 'hello\n你好，服务器\nstop\n' |
	"$CLIENT" --port "$port" >"$OUT/client.txt" 2>&1
wait "$server_pid" || true
server_pid=""

kill -INT "$tracer_pid"
wait "$tracer_pid" || true
tracer_pid=""

echo "== udp_chat_server printed:"
cat "$OUT/server.txt"
echo
echo "== udp_chat_client printed:"
cat "$OUT/client.txt"
echo
echo "== sockscope traced their socket calls:"
cat "$OUT/trace.txt"
