// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The socket calls sockscope traces, by name. */
#include <stddef.h>
#include <string.h>

#include "calls.h"

#define A(kind, index)	{ ARG_##kind, index }
#define NONE		ARG_NONE

static const struct call_desc calls[CALL_MAX] = {
	[CALL_SOCKET] = { .name = "socket",
		{ A(FAMILY, 0), A(SOCKTYPE, 1), A(PROTOCOL, 2) },
		{ A(FAMILY, 0), A(SOCKTYPE, 1), A(PROTOCOL, 2) } },
	[CALL_SOCKETPAIR] = { .name = "socketpair",
		{ A(FAMILY, 0), A(SOCKTYPE, 1), A(PAIR_PROTOCOL, 2),
		  A(FDPAIR, 3) },
		{ A(FAMILY, 0), A(SOCKTYPE, 1), A(PROTOCOL, 2),
		  A(FDPAIR, 3) } },
	[CALL_BIND] = { .name = "bind",
		{ A(FD, 0), A(ADDR, 1), A(ADDRLEN, 2) },
		{ A(FD, 0), A(ADDR, 1), A(ADDRLEN, 2) } },
	[CALL_LISTEN] = { .name = "listen",
		{ A(FD, 0), A(BACKLOG, 1) },
		{ A(FD, 0), A(BACKLOG, 1) } },
	[CALL_ACCEPT] = { .name = "accept",
		{ A(FD, 0), A(ADDR, 1), A(ADDRLEN_PTR, 2) },
		{ A(FD, 0), A(ADDR, 1), A(ACCEPT_FLAGS, NONE) } },
	[CALL_ACCEPT4] = { .name = "accept4",
		{ A(FD, 0), A(ADDR, 1), A(ADDRLEN_PTR, 2),
		  A(ACCEPT_FLAGS, 3) },
		{ A(FD, 0), A(ADDR, 1), A(ACCEPT_FLAGS, 3) } },
	[CALL_CONNECT] = { .name = "connect",
		{ A(FD, 0), A(ADDR, 1), A(ADDRLEN, 2) },
		{ A(FD, 0), A(ADDR, 1), A(ADDRLEN, 2) } },
	[CALL_SENDTO] = { .name = "sendto",
		{ A(FD, 0), A(BUF, 1), A(LEN, 2), A(MSG_FLAGS, 3), A(ADDR, 4),
		  A(ADDRLEN, 5) },
		{ A(FD, 0), A(LEN, 2), A(MSG_FLAGS, 3), A(ADDR, 4) } },
	[CALL_RECVFROM] = { .name = "recvfrom",
		{ A(FD, 0), A(BUF, 1), A(LEN, 2), A(MSG_FLAGS, 3), A(ADDR, 4),
		  A(ADDRLEN_PTR, 5) },
		{ A(FD, 0), A(LEN, 2), A(MSG_FLAGS, 3), A(ADDR, 4) } },
	[CALL_SENDMSG] = { .name = "sendmsg",
		{ A(FD, 0), A(MSGHDR, 1), A(MSG_FLAGS, 2) },
		{ A(FD, 0), A(MSG_LEN, 1), A(MSG_FLAGS, 2), A(ADDR, 1) } },
	[CALL_RECVMSG] = { .name = "recvmsg",
		{ A(FD, 0), A(MSGHDR, 1), A(MSG_FLAGS, 2) },
		{ A(FD, 0), A(MSG_LEN, 1), A(MSG_FLAGS, 2), A(ADDR, 1) } },
	[CALL_SHUTDOWN] = { .name = "shutdown",
		{ A(FD, 0), A(HOW, 1) },
		{ A(FD, 0), A(HOW, 1) } },
	[CALL_GETSOCKNAME] = { .name = "getsockname",
		{ A(FD, 0), A(ADDR, 1), A(ADDRLEN_PTR, 2) },
		{ A(FD, 0), A(ADDR, 1) } },
	[CALL_GETPEERNAME] = { .name = "getpeername",
		{ A(FD, 0), A(ADDR, 1), A(ADDRLEN_PTR, 2) },
		{ A(FD, 0), A(ADDR, 1) } },
	[CALL_SETSOCKOPT] = { .name = "setsockopt",
		{ A(FD, 0), A(LEVEL, 1), A(OPTNAME, 2), A(OPTVAL, 3),
		  A(OPTLEN, 4) },
		{ A(FD, 0), A(LEVEL, 1), A(OPTNAME, 2), A(OPTVAL, 3) } },
	[CALL_GETSOCKOPT] = { .name = "getsockopt",
		{ A(FD, 0), A(LEVEL, 1), A(OPTNAME, 2), A(OPTVAL, 3),
		  A(OPTLEN_PTR, 4) },
		{ A(FD, 0), A(LEVEL, 1), A(OPTNAME, 2), A(OPTVAL, 3) } },
	[CALL_CLOSE] = { .name = "close",
		{ A(FD, 0) },
		{ A(FD, 0) } },
	[CALL_READ] = { .name = "read",
		{ A(FD, 0), A(BUF, 1), A(LEN, 2) },
		{ A(FD, 0), A(LEN, 2) }, .file_io = true },
	[CALL_WRITE] = { .name = "write",
		{ A(FD, 0), A(BUF, 1), A(LEN, 2) },
		{ A(FD, 0), A(LEN, 2) }, .file_io = true },
	[CALL_READV] = { .name = "readv",
		{ A(FD, 0), A(IOV, 1), A(IOVCNT, 2) },
		{ A(FD, 0), A(MSG_LEN, 1), A(IOVCNT, 2) }, .file_io = true },
	[CALL_WRITEV] = { .name = "writev",
		{ A(FD, 0), A(IOV, 1), A(IOVCNT, 2) },
		{ A(FD, 0), A(MSG_LEN, 1), A(IOVCNT, 2) }, .file_io = true },
	[CALL_SENDFILE] = { .name = "sendfile",
		{ A(OUT_FD, 0), A(IN_FD, 1), A(OFFSET, 2), A(LEN, 3) },
		{ A(OUT_FD, 0), A(IN_FD, 1), A(OFFSET, 2), A(LEN, 3) },
		"sendfile64", true },
	[CALL_SPLICE] = { .name = "splice",
		{ A(IN_FD, 0), A(OFF_IN, 1), A(OUT_FD, 2), A(OFF_OUT, 3),
		  A(LEN, 4), A(SPLICE_FLAGS, 5) },
		{ A(IN_FD, 0), A(OFF_IN, 1), A(OUT_FD, 2), A(OFF_OUT, 3),
		  A(LEN, 4), A(SPLICE_FLAGS, 5) }, .file_io = true },
	[CALL_SENDMMSG] = { .name = "sendmmsg",
		{ A(FD, 0), A(MMSGVEC, 1), A(VLEN, 2), A(MSG_FLAGS, 3) },
		{ A(FD, 0), A(VLEN, 2), A(MSG_FLAGS, 3), A(MMSGVEC, 1) } },
	[CALL_RECVMMSG] = { .name = "recvmmsg",
		{ A(FD, 0), A(MMSGVEC, 1), A(VLEN, 2), A(MSG_FLAGS, 3),
		  A(TIMEOUT, 4) },
		{ A(FD, 0), A(VLEN, 2), A(MSG_FLAGS, 3), A(TIMEOUT, 4),
		  A(MMSGVEC, 1) } },
	[CALL_POLL] = { .name = "poll",
		{ A(POLLFDS, 0), A(NFDS, 1), A(TIMEOUT_MS, 2) },
		{ A(POLLFDS, 0), A(NFDS, 1), A(TIMEOUT_MS, 2) },
		.wait = true },
	[CALL_PPOLL] = { .name = "ppoll",
		{ A(POLLFDS, 0), A(NFDS, 1), A(WAIT_TIMEOUT, 2),
		  A(SIGMASK, 3), A(SIGSETSIZE, 4) },
		{ A(POLLFDS, 0), A(NFDS, 1), A(WAIT_TIMEOUT, 2),
		  A(SIGMASK, 3) },
		.wait = true },
	[CALL_SELECT] = { .name = "select",
		{ A(NFDS, 0), A(FDSET, 1), A(FDSET, 2), A(FDSET, 3),
		  A(WAIT_TIMEOUT, 4) },
		{ A(NFDS, 0), A(FDSET, 1), A(FDSET, 2), A(FDSET, 3),
		  A(WAIT_TIMEOUT, 4) },
		.wait = true },
	[CALL_PSELECT6] = { .name = "pselect6",
		{ A(NFDS, 0), A(FDSET, 1), A(FDSET, 2), A(FDSET, 3),
		  A(WAIT_TIMEOUT, 4), A(PSELECT_SIG, 5) },
		{ A(NFDS, 0), A(FDSET, 1), A(FDSET, 2), A(FDSET, 3),
		  A(WAIT_TIMEOUT, 4), A(PSELECT_SIG, 5) },
		.wait = true },
	[CALL_EPOLL_WAIT] = { .name = "epoll_wait",
		{ A(EPFD, 0), A(EPOLL_EVENTS, 1), A(MAXEVENTS, 2),
		  A(TIMEOUT_MS, 3) },
		{ A(EPFD, 0), A(EPOLL_EVENTS, 1), A(MAXEVENTS, 2),
		  A(TIMEOUT_MS, 3) },
		.wait = true },
	[CALL_EPOLL_PWAIT] = { .name = "epoll_pwait",
		{ A(EPFD, 0), A(EPOLL_EVENTS, 1), A(MAXEVENTS, 2),
		  A(TIMEOUT_MS, 3), A(SIGMASK, 4), A(SIGSETSIZE, 5) },
		{ A(EPFD, 0), A(EPOLL_EVENTS, 1), A(MAXEVENTS, 2),
		  A(TIMEOUT_MS, 3), A(SIGMASK, 4) },
		.wait = true },
	[CALL_EPOLL_CTL] = { .name = "epoll_ctl",
		{ A(EPFD, 0), A(EPOLL_OP, 1), A(FD, 2), A(EPOLL_EVENT, 3) },
		{ A(EPFD, 0), A(EPOLL_OP, 1), A(FD, 2), A(EPOLL_EVENT, 3) },
		.wait = true },
};

const struct call_desc *call_desc(unsigned int call)
{
	return call > 0 && call < CALL_MAX ? &calls[call] : NULL;
}

const char *call_name(unsigned int call)
{
	const struct call_desc *d = call_desc(call);

	return d ? d->name : NULL;
}

const char *call_syscall_name(unsigned int call)
{
	const struct call_desc *d = call_desc(call);

	if (!d)
		return NULL;
	return d->syscall ? d->syscall : d->name;
}

unsigned int call_by_name(const char *name)
{
	for (unsigned int call = 1; call < CALL_MAX; call++)
		if (!strcmp(calls[call].name, name))
			return call;
	return 0;
}

const char *call_names_list(void)
{
	static char list[512];

	if (!list[0]) {
		for (unsigned int call = 1; call < CALL_MAX; call++) {
			if (call > 1)
				strcat(list, ", ");
			strcat(list, calls[call].name);
		}
	}
	return list;
}

call_set call_set_by_name(const char *name)
{
	bool all = !strcmp(name, "%net") || !strcmp(name, "%network");
	bool file_io = !strcmp(name, "%file-io");
	bool wait = !strcmp(name, "%wait");
	call_set set = 0;
	unsigned int call;

	if (!all && !file_io && !wait) {
		call = call_by_name(name);
		return call ? 1ULL << call : 0;
	}
	for (call = 1; call < CALL_MAX; call++)
		if (all || (file_io && calls[call].file_io) ||
		    (wait && calls[call].wait))
			set |= 1ULL << call;
	return set;
}

/* sendfile's out_fd is args[0]; splice's fd_out is args[2]. */
static bool socket_is_out_fd(const struct syscall_record *r)
{
	int out = (int)r->args[r->call == CALL_SPLICE ? 2 : 0];

	return (r->have & HAVE_AUX0) && r->aux0 == out;
}

bool call_sends(const struct syscall_record *r)
{
	switch (r->call) {
	case CALL_SENDTO:
	case CALL_SENDMSG:
	case CALL_SENDMMSG:
	case CALL_WRITE:
	case CALL_WRITEV:
		return true;
	case CALL_SENDFILE:
	case CALL_SPLICE:
		return socket_is_out_fd(r);
	}
	return false;
}

bool call_receives(const struct syscall_record *r)
{
	switch (r->call) {
	case CALL_RECVFROM:
	case CALL_RECVMSG:
	case CALL_RECVMMSG:
	case CALL_READ:
	case CALL_READV:
		return true;
	case CALL_SENDFILE:
	case CALL_SPLICE:
		return (r->have & HAVE_AUX0) && !socket_is_out_fd(r);
	}
	return false;
}
