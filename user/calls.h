/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_CALLS_H
#define SOCKSCOPE_CALLS_H

#include <stdbool.h>

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
	ARG_IOV,		/* struct iovec[] (readv/writev) */
	ARG_IOVCNT,		/* int */
	ARG_IN_FD,		/* sendfile, splice: the descriptor read */
	ARG_OUT_FD,		/* ... and the one written */
	ARG_OFFSET,		/* sendfile's off_t *: before => after */
	ARG_OFF_IN,		/* splice's loff_t *off_in, at entry */
	ARG_OFF_OUT,		/* ... and *off_out */
	ARG_SPLICE_FLAGS,	/* SPLICE_F_* */
	ARG_MMSGVEC,		/* struct mmsghdr[]; JSON: "msgs" */
	ARG_VLEN,		/* unsigned int */
	ARG_TIMEOUT,		/* struct timespec * */
	/* The waits (user/render_wait.c). */
	ARG_POLLFDS,		/* struct pollfd[] */
	ARG_NFDS,		/* unsigned */
	ARG_TIMEOUT_MS,		/* int milliseconds */
	ARG_WAIT_TIMEOUT,	/* timespec * (select: timeval *) */
	ARG_SIGMASK,		/* sigset_t * */
	ARG_SIGSETSIZE,		/* size_t */
	ARG_PSELECT_SIG,	/* pselect6's { sigset_t *, size_t } * */
	ARG_FDSET,		/* fd_set *, index 1..3 */
	ARG_EPOLL_EVENTS,	/* epoll_wait's struct epoll_event[], filled */
	ARG_MAXEVENTS,		/* int */
	ARG_EPFD,		/* the epoll descriptor */
	ARG_EPOLL_OP,		/* EPOLL_CTL_* */
	ARG_EPOLL_EVENT,	/* epoll_ctl's struct epoll_event * */
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
	const char *syscall;	/* its tracepoints' name, if not name */
	bool file_io;		/* a file-style call (the %file-io group) */
	bool wait;		/* a wait (the %wait group) */
};

/* A set of calls: bit (1 << call) for each enum sock_call. */
typedef unsigned long long call_set;

/*
 * The socket descriptor a call worked on: its first argument; for
 * sendfile and splice, whichever of their two descriptors the kernel
 * side found to be the socket (-1 when it did not look).
 */
static inline int call_socket_fd(const struct syscall_record *r)
{
	if (r->call == CALL_SENDFILE || r->call == CALL_SPLICE)
		return (r->have & HAVE_AUX0) ? r->aux0 : -1;
	if (r->call == CALL_EPOLL_CTL)
		return (int)r->args[2];
	if (r->call >= CALL_POLL && r->call <= CALL_EPOLL_PWAIT)
		return -1;
	return (int)r->args[0];
}

/* Whether a call moves data out of the socket's process (write, ...),
 * or into it (read, ...). For sendfile and splice, by which end is the
 * socket. */
bool call_sends(const struct syscall_record *r);
bool call_receives(const struct syscall_record *r);

/* NULL for an unknown call. The entry's address depends on call alone,
 * no memory is read ("const"): a caller that asks twice is served once. */
const struct call_desc *call_desc(unsigned int call)
	__attribute__((const));

/* The name of a socket call ("accept4"), NULL for an unknown one. */
const char *call_name(unsigned int call);

/* The name of its syscall tracepoints ("sendfile64" for sendfile). */
const char *call_syscall_name(unsigned int call);

/* enum sock_call for a name, or 0 when there is no such call. */
unsigned int call_by_name(const char *name);

/* "socket, socketpair, ..." for error messages. */
const char *call_names_list(void);

/*
 * The calls a name given to -e stands for: one call ("connect"), or a
 * group as strace spells them: "%net" (or "%network": every call
 * sockscope traces), "%file-io" (read, write, ... on sockets) and
 * "%wait" (poll, select, epoll ... that wait for a socket).
 * 0 for an unknown name.
 */
call_set call_set_by_name(const char *name);

#endif
