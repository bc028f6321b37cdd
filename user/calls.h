/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_CALLS_H
#define SOCKSCOPE_CALLS_H

#include "events.h"

/* What an argument is, for decoding; the text and JSON outputs share it. */
enum arg_kind {
	ARG_END = 0,
	ARG_FD,			/* int descriptor */
	ARG_FAMILY,		/* AF_* */
	ARG_SOCKTYPE,		/* SOCK_* with SOCK_CLOEXEC|SOCK_NONBLOCK;
				   JSON: "type" and "flags" */
	ARG_PROTOCOL,		/* per family */
	ARG_PAIR_PROTOCOL,	/* socketpair's: text an unsigned number, as
				   strace prints it; JSON as ARG_PROTOCOL */
	ARG_FDPAIR,		/* socketpair's int[2] */
	ARG_ADDR,		/* struct sockaddr *, captured in the record */
	ARG_ADDRLEN,		/* socklen_t passed by value */
	ARG_ADDRLEN_PTR,	/* socklen_t *: before => after */
	ARG_BACKLOG,
	ARG_ACCEPT_FLAGS,	/* accept4's SOCK_* flags; accept: none */
	ARG_BUF,		/* data buffer: payload when captured */
	ARG_LEN,		/* size_t length */
	ARG_MSG_FLAGS,		/* MSG_* */
	ARG_MSGHDR,		/* struct msghdr * */
	ARG_MSG_LEN,		/* JSON only: sum of the iov lengths */
	ARG_HOW,		/* SHUT_* */
	ARG_LEVEL,		/* SOL_* */
	ARG_OPTNAME,		/* per level */
	ARG_OPTVAL,		/* int option value */
	ARG_OPTLEN,		/* socklen_t passed by value */
	ARG_OPTLEN_PTR,		/* socklen_t * */
};

#define ARG_NONE	0xff	/* index of an argument the call lacks */

struct call_arg {
	unsigned char kind;	/* enum arg_kind */
	unsigned char index;	/* which syscall argument, or ARG_NONE */
};

/* How one call is decoded: its arguments in strace's order for the
 * text, and the fields of "args" for JSON (DESIGN.md's contract). */
struct call_desc {
	const char *name;
	struct call_arg text[7];
	struct call_arg json[7];
};

/* NULL for an unknown call. */
const struct call_desc *call_desc(unsigned int call);

/* The name of a socket call ("accept4"), NULL for an unknown one. */
const char *call_name(unsigned int call);

/* enum sock_call for a name, or 0 when there is no such call. */
unsigned int call_by_name(const char *name);

/* "socket, socketpair, ..." for error messages. */
const char *call_names_list(void);

#endif
