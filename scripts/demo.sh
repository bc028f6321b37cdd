#!/bin/sh
# make demo: the two lessons, traced live: the UDP chat, then the TCP chat,
# run unattended with scripted messages, each ending with its key points
# and its sequence diagram;
# then the lab: the six differences between TCP and UDP on a bad link.
#
#   scripts/demo.sh          lessons, then the lab (make demo)
#   scripts/demo.sh --lab    the lab only (make lab)
set -eu

BUILD=${BUILD:-build}

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: loading BPF programs needs root; try: sudo make demo" >&2
	exit 1
fi
if [ "${1:-}" != "--lab" ]; then
	"$BUILD/sockscope" lesson all --diagram
fi
exec "$BUILD/sockscope" lab all
