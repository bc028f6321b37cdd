#!/bin/sh
# Install the Debian packages that sockscope's build, tests and demo need.
# Does nothing when they are all there. Not root: prints the apt-get line.
#
#   scripts/deps.sh           build, test and demo packages
#   scripts/deps.sh --test    also what only the tests need: socat, which
#                             they trace, chromium, which draws the
#                             diagrams' SVG, the Debian packaging tools
#                             and lintian (make deb, tested), and man-db
#                             and groff, which render the man page
#   scripts/deps.sh --bench   also the tracers the benchmarks compare with,
#                             and valgrind, which counts the reader's
#                             instructions

set -eu

PACKAGES="clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev pkg-config
make gcc libc6-dev python3 iproute2 strace"
TEST_PACKAGES="socat chromium dpkg-dev debhelper build-essential lintian
man-db groff-base"
BENCH_PACKAGES="linux-perf bpftrace valgrind"

case "${1:-}" in
--test)		PACKAGES="$PACKAGES $TEST_PACKAGES" ;;
--bench)	PACKAGES="$PACKAGES $BENCH_PACKAGES" ;;
esac

missing=""
for pkg in $PACKAGES; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $pkg" ;;
	esac
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "sockscope: missing packages:$missing" >&2
	echo "sockscope: install them with: sudo apt-get install -y$missing" >&2
	exit 1
fi

echo "sockscope: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
