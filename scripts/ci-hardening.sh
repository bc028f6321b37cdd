#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# CI, hardening: each fuzz target briefly (make fuzz-smoke, about a
# minute), then the whole test suite built with AddressSanitizer and
# UndefinedBehaviorSanitizer (aborting on the first report), in a build
# directory of its own so that it never mixes with the normal build.
#
#   scripts/ci-hardening.sh            both
#   scripts/ci-hardening.sh fuzz       only the fuzzers
#   scripts/ci-hardening.sh sanitize   only the sanitizer suite
#
# Runs as root (the end-to-end tests load BPF programs); exit 1 if
# anything failed.
set -eu
cd "$(dirname "$0")/.."

what=${1:-all}
san_build=${SANITIZE_BUILD:-build-san}

make deps
case $what in
all|fuzz)
	make fuzz-smoke
	;;
esac
case $what in
all|sanitize)
	# Reports are failures: ASan aborts by default, UBSan with
	# -fno-sanitize-recover=all; LeakSanitizer reports at exit.
	ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
	export ASAN_OPTIONS UBSAN_OPTIONS
	make test SANITIZE=1 BUILD="$san_build"
	;;
esac
