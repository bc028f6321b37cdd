#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# make install and make uninstall: the Makefile passes the locations.
#
#   scripts/install.sh install      copy the files in
#   scripts/install.sh uninstall    remove them, and the directories
#                                   install made that are empty again
#
# Environment: DESTDIR (may be empty), BINDIR, PKGLIBEXECDIR, DOCDIR,
# MANDIR, BASHCOMPDIR (absolute), BUILD (the build directory) and
# EXAMPLES (the names of the example programs in BUILD/examples/).
#
# install records each directory it had to make (those that did not
# exist) in PKGLIBEXECDIR/installed-dirs; uninstall removes those that
# are empty, and never a directory that was there before.
set -eu

: "${DESTDIR=}" "${BINDIR:?}" "${PKGLIBEXECDIR:?}" "${DOCDIR:?}"
: "${MANDIR:?}" "${BASHCOMPDIR:?}" "${BUILD:?}" "${EXAMPLES:?}"

cd "$(dirname "$0")/.."
manifest=$PKGLIBEXECDIR/installed-dirs

# Every installed file: its mode, where it comes from, the directory it
# goes to and its name there.
files() {
	echo "755 $BUILD/sockscope $BINDIR sockscope"
	for name in $EXAMPLES; do
		echo "755 $BUILD/examples/$name $PKGLIBEXECDIR $name"
	done
	for f in examples/python/*.py; do
		mode=644
		[ -x "$f" ] && mode=755
		echo "$mode $f $PKGLIBEXECDIR/python ${f##*/}"
	done
	for f in docs/*.md; do
		echo "644 $f $DOCDIR ${f##*/}"
	done
	for f in docs/img/*; do
		echo "644 $f $DOCDIR/img ${f##*/}"
	done
	echo "644 man/sockscope.8 $MANDIR/man8 sockscope.8"
	echo "644 completion/sockscope.bash $BASHCOMPDIR sockscope"
}

# Makes DESTDIR$1 and the parents it lacks, printing each one made
# (without DESTDIR), parents first.
make_dir() {
	[ "$1" = / ] || [ -d "$DESTDIR$1" ] && return 0
	make_dir "$(dirname "$1")"
	mkdir "$DESTDIR$1"
	echo "$1"
}

do_install() {
	[ -z "$DESTDIR" ] || mkdir -p "$DESTDIR"
	made=$(mktemp)
	trap 'rm -f "$made"' EXIT
	files | while read -r mode src dir name; do
		make_dir "$dir" >>"$made"
		install -m "$mode" "$src" "$DESTDIR$dir/$name"
	done
	make_dir "$PKGLIBEXECDIR" >>"$made"
	# A reinstall keeps the directories an earlier install made.
	if [ -f "$DESTDIR$manifest" ]; then
		cat "$DESTDIR$manifest" >>"$made"
	fi
	sort -u "$made" >"$DESTDIR$manifest"
	chmod 644 "$DESTDIR$manifest"
}

do_uninstall() {
	files | while read -r mode src dir name; do
		rm -f "$DESTDIR$dir/$name"
	done
	# Python's bytecode, if someone ran the programs by hand as root.
	rm -rf "$DESTDIR$PKGLIBEXECDIR/python/__pycache__"
	dirs="$PKGLIBEXECDIR/python $PKGLIBEXECDIR $DOCDIR/img $DOCDIR"
	if [ -f "$DESTDIR$manifest" ]; then
		dirs="$dirs $(cat "$DESTDIR$manifest")"
		rm -f "$DESTDIR$manifest"
	fi
	# Deepest first, so that a parent is empty when its turn comes.
	for dir in $(printf '%s\n' $dirs | sort -ru); do
		if [ -d "$DESTDIR$dir" ] &&
		   [ -z "$(ls -A "$DESTDIR$dir")" ]; then
			rmdir "$DESTDIR$dir"
		fi
	done
}

case "${1:-}" in
install)	do_install ;;
uninstall)	do_uninstall ;;
*)
	echo "usage: $0 install|uninstall" >&2
	exit 2
	;;
esac
