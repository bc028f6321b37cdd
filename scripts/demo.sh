#!/bin/sh
# make demo: the two lessons, traced live: the UDP chat, then the TCP chat,
# run unattended with scripted messages, each ending with its key points.
set -eu

BUILD=${BUILD:-build}

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: loading BPF programs needs root; try: sudo make demo" >&2
	exit 1
fi
exec "$BUILD/sockscope" lesson all
