# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# bash completion for sockscope(8).
#
# The names of the calls (-e), the lessons and the lab's experiments are
# asked of the sockscope being completed, so they are always its own. The
# options are listed here, as --help prints them for each command;
# tests/test_install.c checks both against the binary.

_sockscope_main_opts='-p --pid -c --comm -f --follow -j --json -o --output
	--save --diagram -e --syscalls -x --failed -T --duration -t
	--timestamps -y --decode-fds --payload -u --user --no-explain
	-v --verbose -h --help -V --version'
_sockscope_lesson_opts='--python --save --diagram'
_sockscope_lab_opts='-j --json --save --seed --rate -k --keep --method
	--diagram'
_sockscope_replay_opts='-j -t -T -x --no-explain -o'
_sockscope_diagram_opts='--format -o --pid --port --conversation --list
	--width'

# The calls and groups -e takes, from the binary's answer to an unknown
# one: "...; known: socket, bind, ..., and the groups %net, ... and %wait".
_sockscope_calls()
{
	local msg word

	msg=$("$1" -e '?' 2>&1 >/dev/null)
	[[ $msg == *"known: "* ]] || return
	msg=${msg#*known: }
	for word in ${msg//,/ }; do
		case $word in
		and|the|groups) ;;
		*) printf '%s\n' "$word" ;;
		esac
	done
}

# The lessons, from "usage: sockscope lesson udp|tcp|all [...]".
_sockscope_lessons()
{
	local line

	line=$("$1" lesson --help 2>/dev/null)
	line=${line%%$'\n'*}
	[[ $line == "usage: sockscope lesson "* ]] || return
	line=${line#usage: sockscope lesson }
	line=${line%% *}
	printf '%s\n' ${line//|/ }
}

# The experiments, from "usage: sockscope lab [connection|...|all]".
_sockscope_experiments()
{
	local line

	line=$("$1" lab --help 2>/dev/null)
	line=${line%%$'\n'*}
	[[ $line == "usage: sockscope lab ["* ]] || return
	line=${line#usage: sockscope lab [}
	line=${line%%]*}
	printf '%s\n' ${line//|/ }
}

# COMPREPLY: the words of $1 (one per line, or blank-separated) that
# start with $2.
_sockscope_reply()
{
	local words

	words=$(printf '%s\n' $1)
	local IFS=$'\n'
	COMPREPLY=($(compgen -W "$words" -- "$2"))
}

_sockscope_files()
{
	if declare -F _filedir >/dev/null; then
		_filedir
	else
		local IFS=$'\n'

		COMPREPLY=($(compgen -f -- "$1"))
	fi
}

# -e's list: complete its last comma-separated name, keeping the rest.
_sockscope_call_list()
{
	local cmd=$1 cur=$2 head=

	[[ $cur == *,* ]] && head=${cur%,*},
	_sockscope_reply "$(_sockscope_calls "$cmd")" "${cur##*,}"
	COMPREPLY=("${COMPREPLY[@]/#/$head}")
	compopt -o nospace 2>/dev/null
}

# The value of the option $3 of the main command, or return 1 when $3
# takes none.
_sockscope_main_value()
{
	local cmd=$1 cur=$2

	case $3 in
	-p|--pid)
		_sockscope_reply "$(cd /proc 2>/dev/null && printf '%s\n' [0-9]*)" "$cur" ;;
	-c|--comm)
		_sockscope_reply "$(ps -eo comm= 2>/dev/null | sort -u)" "$cur" ;;
	-o|--output|--save)
		_sockscope_files "$cur" ;;
	-e|--syscalls)
		_sockscope_call_list "$cmd" "$cur" ;;
	-u|--user)
		local IFS=$'\n'
		COMPREPLY=($(compgen -u -- "$cur")) ;;
	*)
		return 1 ;;
	esac
	return 0
}

# A subcommand's option value ($3 after $2 = the subcommand), or return 1.
_sockscope_sub_value()
{
	local cur=$1 sub=$2 prev=$3

	case $sub:$prev in
	lesson:--save|lab:--save|replay:-o|diagram:-o)
		_sockscope_files "$cur" ;;
	lab:--method)
		_sockscope_reply 'auto netem bpf' "$cur" ;;
	diagram:--format)
		_sockscope_reply 'text svg html' "$cur" ;;
	lab:--seed|lab:--rate|diagram:--pid|diagram:--port|\
	diagram:--conversation|diagram:--width)
		COMPREPLY=() ;;
	*)
		return 1 ;;
	esac
	return 0
}

_sockscope_sub()
{
	local cmd=$1 sub=$2 cur=$3 prev=$4
	local opts=_sockscope_${sub}_opts

	_sockscope_sub_value "$cur" "$sub" "$prev" && return
	if [[ $cur == -* ]]; then
		_sockscope_reply "${!opts}" "$cur"
		return
	fi
	case $sub in
	lesson) _sockscope_reply "$(_sockscope_lessons "$cmd")" "$cur" ;;
	lab) _sockscope_reply "$(_sockscope_experiments "$cmd")" "$cur" ;;
	*) _sockscope_files "$cur" ;;
	esac
}

# The main command: options, then a command to run (after "--" or the
# first word that is not an option), whose own words are completed as
# that command's.
_sockscope()
{
	local cmd=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]}
	local prev=${COMP_WORDS[COMP_CWORD - 1]} i word

	COMPREPLY=()
	case ${COMP_WORDS[1]} in
	lesson|lab|replay|diagram)
		if ((COMP_CWORD > 1)); then
			_sockscope_sub "$cmd" "${COMP_WORDS[1]}" "$cur" "$prev"
			return
		fi ;;
	esac
	for ((i = 1; i < COMP_CWORD; i++)); do
		word=${COMP_WORDS[i]}
		case $word in
		--)
			break ;;
		-p|--pid|-c|--comm|-o|--output|--save|-e|--syscalls|-u|--user)
			((i++)) ;;
		-*)
			;;
		*)
			((i--))
			break ;;
		esac
	done
	if ((i < COMP_CWORD)); then
		if declare -F _command_offset >/dev/null; then
			_command_offset $((i + 1))
		elif ((i + 1 == COMP_CWORD)); then
			local IFS=$'\n'
			COMPREPLY=($(compgen -c -- "$cur" | sort -u))
		else
			_sockscope_files "$cur"
		fi
		return
	fi
	_sockscope_main_value "$cmd" "$cur" "$prev" && return
	if [[ $cur == -* ]] || ((COMP_CWORD > 1)); then
		_sockscope_reply "$_sockscope_main_opts" "$cur"
	else
		_sockscope_reply "lesson lab replay diagram $_sockscope_main_opts" "$cur"
	fi
}

complete -F _sockscope sockscope
