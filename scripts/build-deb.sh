#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# make deb: the Debian package, built by dpkg-buildpackage from a copy of
# the source tree, so that the tree itself keeps nothing of the build
# (debian/'s leftovers, a build directory made for /usr, the package in
# its parent directory).
#
#   scripts/build-deb.sh [BUILD]
#
# The copy is BUILD/deb/src (BUILD defaults to build); the package and
# dpkg-buildpackage's other outputs land in BUILD/deb/, and the package is
# copied to BUILD/. With lintian installed, it checks the package too
# (BUILD/deb/lintian.log), and any error fails the build.
set -eu
cd "$(dirname "$0")/.."

build=${1:-build}
work=$build/deb
version=$(dpkg-parsechangelog -S Version)
deb=sockscope_${version}_$(dpkg --print-architecture).deb

rm -rf "$work"
mkdir -p "$work/src"

# The tree's files as they are now, committed or not: git's list in a
# checkout (without files deleted since), else all but the build dirs.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do
		[ -e "$f" ] && printf '%s\0' "$f"
	done | tar --null -T - -cf - | tar -xf - -C "$work/src"
else
	tar --exclude=./.git --exclude=./build --exclude=./build-san \
	    --exclude="./$build" -cf - . | tar -xf - -C "$work/src"
fi

# The package is built in a clean environment: under make, ours holds
# make's variables (BUILD=..., SANITIZE=1, in MAKEFLAGS and exported),
# and the package's "make clean" would clean our build directory.
clean_env=(PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8)
if [ -n "${DEB_BUILD_OPTIONS:-}" ]; then
	clean_env+=(DEB_BUILD_OPTIONS="$DEB_BUILD_OPTIONS")
fi
echo "  DEB      $build/$deb"
if ! (cd "$work/src" && env -i "${clean_env[@]}" dpkg-buildpackage -us -uc -b) \
	>"$work/build.log" 2>&1
then
	tail -n 40 "$work/build.log" >&2
	echo "sockscope: the package build failed; the whole log: $work/build.log" >&2
	exit 1
fi
cp "$work/$deb" "$build/$deb"
rm -rf "$work/src"

if command -v lintian >/dev/null; then
	echo "  LINTIAN  $build/$deb"
	status=0
	lintian --fail-on error "$work"/sockscope_"${version}"_*.changes \
		>"$work/lintian.log" 2>&1 || status=$?
	cat "$work/lintian.log"
	if [ "$status" -ne 0 ]; then
		echo "sockscope: lintian found errors in the package (above)" >&2
		exit 1
	fi
else
	echo "sockscope: lintian is not installed, so the package was not checked; scripts/deps.sh --test installs it" >&2
fi
