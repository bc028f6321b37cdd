/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_EXPLAIN_H
#define SOCKSCOPE_EXPLAIN_H

#include "events.h"
#include "socktable.h"
#include "strbuf.h"

/*
 * How long a call must have waited for a note to say so. A call that
 * blocks on its way (accept, recvfrom, a send on a full buffer) waits a
 * little on any busy machine: below 10 ms that is noise, not news. A
 * wait (poll, select, epoll_wait) is made to wait: from 2 ms, so that a
 * short timeout that ran out is said with its time.
 */
#define WAITED_NS	(10 * 1000 * 1000ULL)
#define WAIT_CALL_WAITED_NS	(2 * 1000 * 1000ULL)

/*
 * The teaching notes: one or two short sentences on what a call asked of
 * the kernel and what the kernel decided, in the terms of the sockets
 * article (host, protocol, port; stream and datagram). Appended to sb as
 * plain text without a newline; nothing when there is nothing to say.
 *
 * e is the socket the call was on, after the call; before is a copy of it
 * from before the call (to tell what the call changed). Either may be
 * NULL.
 */
void explain_call(struct strbuf *sb, const struct syscall_record *r,
		  const struct sock_entry *e, const struct sock_entry *before);

/*
 * For a bind() that failed with EADDRINUSE: who holds the port. A traced
 * socket from t first; with use_proc, any process, from /proc (only while
 * tracing live: a replay cannot know).
 */
void explain_port_holder(struct strbuf *sb, const struct syscall_record *r,
			 const struct sock_entry *e, struct socktable *t,
			 bool use_proc);

/* Errors every call can give, said once (fd: the call's descriptor, or
 * -1); false when err is not one of them. */
bool explain_common_error(struct strbuf *sb, int err, int fd);

/* The same for something the kernel did on its own. */
void explain_kernel(struct strbuf *sb, const struct kernel_record *k,
		    const struct sock_entry *e, __u64 ns_in_old);

/* "TCP", "UDP", "Unix stream", ... for a socket, from its family, type and
 * protocol. */
const char *sock_kind(int family, int type, int protocol);

/* "127.0.0.1:8000" or "[::1]:8000" for an endpoint of a socket. */
void format_endpoint(struct strbuf *sb, int family, const __u8 *addr,
		     unsigned int port);

#endif
