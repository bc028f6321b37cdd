// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Notes on the waits: which sockets became ready, for what, and what the
 * kernel did to make them so (a connection in the accept queue, a
 * datagram, bytes, the peer's FIN); an epoll instance's registrations,
 * remembered from epoll_ctl so that epoll_wait's events name their
 * sockets.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "calls.h"
#include "explain.h"
#include "explain_wait.h"
#include "names.h"
#include "render.h"
#include "render_wait.h"

#define MAX_REGS	1024
#define MAX_READY	8

#define EV_IN		0x1
#define EV_PRI		0x2
#define EV_OUT		0x4
#define EV_ERR		0x8
#define EV_HUP		0x10
#define EV_RDHUP	0x2000

/* What a program gave epoll_ctl for one socket. */
struct epoll_reg {
	pid_t pid;
	int epfd, fd;
	__u64 data;
};

struct wait_notes {
	struct epoll_reg regs[MAX_REGS];
	int n;
};

struct wait_notes *wait_notes_new(void)
{
	return calloc(1, sizeof(struct wait_notes));
}

void wait_notes_free(struct wait_notes *w)
{
	free(w);
}

static struct epoll_reg *reg_of(struct wait_notes *w, pid_t pid, int epfd,
				int fd)
{
	for (int i = 0; i < w->n; i++)
		if (w->regs[i].pid == pid && w->regs[i].epfd == epfd &&
		    w->regs[i].fd == fd)
			return &w->regs[i];
	return NULL;
}

/* The socket a program registered with this data, or -1. */
static int fd_of_data(struct wait_notes *w, pid_t pid, int epfd, __u64 data)
{
	for (int i = 0; i < w->n; i++)
		if (w->regs[i].pid == pid && w->regs[i].epfd == epfd &&
		    w->regs[i].data == data)
			return w->regs[i].fd;
	return -1;
}

static void remember_reg(struct wait_notes *w, const struct syscall_record *r)
{
	int epfd = (int)r->args[0], op = (int)r->args[1], fd = (int)r->args[2];
	struct epoll_reg *reg = reg_of(w, r->hdr.pid, epfd, fd);
	struct wait_epoll_event ev;

	if (r->ret != 0)
		return;
	if (op == 2) {		/* EPOLL_CTL_DEL */
		if (reg)
			*reg = w->regs[--w->n];
		return;
	}
	if (!wait_ctl_event(r, &ev))
		return;
	if (!reg && w->n < MAX_REGS)
		reg = &w->regs[w->n++];
	if (reg)
		*reg = (struct epoll_reg){ r->hdr.pid, epfd, fd, ev.data };
}

static bool is_tcp(const struct sock_entry *e)
{
	int protocol = e->info_valid ? e->info.protocol : e->protocol;

	return !strcmp(sock_kind(e->family, e->type, protocol), "TCP");
}

/* No state change, no peer: a TCP socket that was never connected. */
static bool never_connected(const struct sock_entry *e)
{
	return !e->history[0] && !e->ev_dport && !e->listening &&
	       !(e->info_valid && e->info.dport);
}

/* Why fd became ready for events, in the kernel's terms. */
static void say_ready(struct strbuf *sb, struct socktable *t, pid_t pid,
		      int fd, unsigned int events)
{
	struct sock_entry *e = socktable_by_fd(t, pid, fd);
	bool tcp = e && is_tcp(e);
	bool dgram = e && e->type == SOCK_DGRAM;
	/* The state changes the kernel reported are the latest word. */
	int state = !e ? 0 : e->state ? e->state :
		    e->info_valid ? e->info.state : 0;

	sb_addf(sb, "fd %d ", fd);
	if (events & EV_ERR) {
		sb_add(sb, "has an error waiting (SO_ERROR says which)");
		return;
	}
	if (events & EV_HUP) {
		/* tcp_poll(): POLLHUP when both ways are shut, or in CLOSE,
		 * which a socket that never connected is in too. */
		if (tcp && never_connected(e))
			sb_add(sb, "hung up: it is not connected (TCP says so of a socket with no connection)");
		else
			sb_add(sb, "hung up: the connection is closed both ways");
		return;
	}
	if (events & (EV_IN | EV_RDHUP)) {
		if (e && (e->listening || (tcp && state == TCP_LISTEN)))
			sb_add(sb, "is readable: a new connection waits in its accept queue, so accept() will not block");
		else if (tcp && ((events & EV_RDHUP) ||
				 state == TCP_CLOSE_WAIT))
			sb_add(sb, "is readable: the peer's FIN arrived, so read() returns 0 (end of the stream) once the data before it is read");
		else if (tcp)
			sb_add(sb, "is readable: bytes arrived in its receive queue");
		else if (dgram)
			sb_add(sb, "is readable: a datagram waits in its receive queue");
		else
			sb_add(sb, "is readable");
		if (events & EV_OUT)
			sb_add(sb, ", and writable");
		return;
	}
	if (events & EV_OUT) {
		sb_add(sb, "is writable: its send buffer has room");
		return;
	}
	if (events & EV_PRI)
		sb_add(sb, "has urgent data (MSG_OOB)");
}

static void say_waited(struct strbuf *sb, const struct syscall_record *r)
{
	__u64 ns = r->hdr.ts_ns - r->enter_ns;

	if (ns > WAIT_CALL_WAITED_NS)
		sb_addf(sb, "; it waited %.3f s", ns / 1e9);
}

static void explain_ready(struct strbuf *sb, const struct syscall_record *r,
			  struct socktable *t, struct wait_notes *w)
{
	int fds[MAX_READY], events[MAX_READY], n = 0, unknown = 0;
	struct wait_epoll_event ev;

	if (r->call == CALL_EPOLL_WAIT || r->call == CALL_EPOLL_PWAIT) {
		for (int i = 0; i < wait_epoll_count(r) && n < MAX_READY; i++) {
			ev = wait_epoll_event(r, i);
			fds[n] = fd_of_data(w, r->hdr.pid, (int)r->args[0],
					    ev.data);
			events[n] = ev.events;
			if (fds[n] >= 0)
				n++;
			else
				unknown++;
		}
	} else {
		n = wait_ready_fds(r, fds, events, MAX_READY);
	}
	for (int i = 0; i < n; i++) {
		sb_add(sb, i ? "; " : "");
		say_ready(sb, t, r->hdr.pid, fds[i], events[i]);
	}
	if (unknown)
		sb_addf(sb, "%s%d ready whose epoll_ctl() came before tracing: each event's data is what the program registered with it, usually its descriptor",
			n ? "; " : "", unknown);
	else if (!n)
		sb_addf(sb, "%lld ready", (long long)r->ret);
}

static void explain_epoll_ctl(struct strbuf *sb,
			      const struct syscall_record *r)
{
	int epfd = (int)r->args[0], op = (int)r->args[1], fd = (int)r->args[2];
	struct wait_epoll_event ev;
	__u32 events;

	if (op == 2) {
		sb_addf(sb, "fd %d leaves epoll fd %d's interest list", fd,
			epfd);
		return;
	}
	if (!wait_ctl_event(r, &ev))
		return;
	events = ev.events;
	sb_addf(sb, op == 1 ? "fd %d joins epoll fd %d's interest list: epoll_wait() reports it when it is " :
		"fd %d in epoll fd %d now waits until it is ", fd, epfd);
	if ((events & EV_IN) && (events & EV_OUT))
		sb_add(sb, "readable or writable");
	else if (events & EV_OUT)
		sb_add(sb, "writable");
	else
		sb_add(sb, "readable");
	if (events & 0x80000000)
		sb_add(sb, " (EPOLLET: once per change, not while it stays so)");
}

void explain_wait(struct strbuf *sb, const struct syscall_record *r,
		  struct socktable *t, struct wait_notes *w)
{
	if (!w || !call_desc(r->call) || !call_desc(r->call)->wait)
		return;
	if (r->call == CALL_EPOLL_CTL)
		remember_reg(w, r);
	if (r->ret < -4095)
		return;
	if (r->ret < 0) {
		explain_common_error(sb, (int)-r->ret, -1);
		say_waited(sb, r);
		return;
	}
	if (r->call == CALL_EPOLL_CTL) {
		explain_epoll_ctl(sb, r);
		return;
	}
	if (r->extra & EXTRA_BEGAN_BEFORE)
		sb_add(sb, "this wait began before tracing did (its arguments are the ones it entered with); ");
	if (r->ret == 0) {
		sb_add(sb, "the timeout ran out: nothing it waits for became ready");
		say_waited(sb, r);
		return;
	}
	explain_ready(sb, r, t, w);
	say_waited(sb, r);
}
