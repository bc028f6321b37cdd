// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The sockets seen in a trace, by descriptor and by kernel socket. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/socket.h>

#include "calls.h"
#include "format.h"
#include "names.h"
#include "procnet.h"
#include "render.h"
#include "socktable.h"

#define BUCKETS		4096

#define ORPHANS		64
#define MAX_ENTRIES	4096	/* sockets remembered, open or closed */

/* State changes of a socket no descriptor holds yet (a connection not
 * yet accepted): handed to its entry when accept() returns it. */
struct orphan {
	__u64 sk;
	int state;
	__u64 since_ns;
	char history[200];
};

struct socktable {
	struct orphan orphans[ORPHANS];
	unsigned int next_orphan;
	struct sock_entry *by_fd[BUCKETS];
	struct sock_entry *by_sk[BUCKETS];
	struct sock_entry **all;
	unsigned int count, cap;
	unsigned long long forgotten;	/* closed entries dropped */
};

static unsigned int fd_bucket(pid_t pid, int fd)
{
	return ((unsigned int)pid * 2654435761u ^ (unsigned int)fd) % BUCKETS;
}

static unsigned int sk_bucket(__u64 sk)
{
	return (unsigned int)((sk >> 6) ^ (sk >> 20)) % BUCKETS;
}

struct socktable *socktable_new(void)
{
	return calloc(1, sizeof(struct socktable));
}

void socktable_free(struct socktable *t)
{
	if (!t)
		return;
	for (unsigned int i = 0; i < t->count; i++)
		free(t->all[i]);
	free(t->all);
	free(t);
}

struct sock_entry *socktable_by_fd(struct socktable *t, pid_t pid, int fd)
{
	struct sock_entry *e = t->by_fd[fd_bucket(pid, fd)];

	while (e && !(e->pid == pid && e->fd == fd))
		e = e->fd_next;
	return e;
}

struct sock_entry *socktable_by_sk(struct socktable *t, __u64 sk)
{
	struct sock_entry *e;

	if (!sk)
		return NULL;
	e = t->by_sk[sk_bucket(sk)];
	while (e && e->info.sk != sk)
		e = e->sk_next;
	return e;
}

static void unlink_fd(struct socktable *t, struct sock_entry *e)
{
	struct sock_entry **pp = &t->by_fd[fd_bucket(e->pid, e->fd)];

	while (*pp && *pp != e)
		pp = &(*pp)->fd_next;
	if (*pp)
		*pp = e->fd_next;
	e->fd_next = NULL;
	e->fd = -1;
}

static void unlink_sk(struct socktable *t, struct sock_entry *e)
{
	struct sock_entry **pp = &t->by_sk[sk_bucket(e->info.sk)];

	while (*pp && *pp != e)
		pp = &(*pp)->sk_next;
	if (*pp)
		*pp = e->sk_next;
	e->sk_next = NULL;
}

static struct orphan *find_orphan(struct socktable *t, __u64 sk)
{
	for (unsigned int i = 0; i < ORPHANS; i++)
		if (t->orphans[i].sk == sk)
			return &t->orphans[i];
	return NULL;
}

static void adopt_orphan(struct socktable *t, struct sock_entry *e)
{
	struct orphan *o = find_orphan(t, e->info.sk);

	if (!o || e->history[0])
		return;
	memcpy(e->history, o->history, sizeof(e->history));
	e->state = o->state;
	e->state_since_ns = o->since_ns;
	o->sk = 0;
}

/* The kernel socket of e is now si->sk (a kernel address can be reused
 * once a socket is freed: the newest owner wins). */
static void set_info(struct socktable *t, struct sock_entry *e,
		     const struct sock_info *si)
{
	struct sock_entry *old;

	if (!si->valid)
		return;
	if (!e->info_valid || e->info.sk != si->sk) {
		if (e->info_valid && e->info.sk)
			unlink_sk(t, e);
		old = socktable_by_sk(t, si->sk);
		if (old)
			unlink_sk(t, old);
		e->info.sk = si->sk;
		e->sk_next = t->by_sk[sk_bucket(si->sk)];
		t->by_sk[sk_bucket(si->sk)] = e;
		adopt_orphan(t, e);
	}
	e->info = *si;
	e->info_valid = true;
	e->family = si->family;
	e->type = si->type;
	e->protocol = si->protocol;
}

/*
 * A long trace sees sockets come and go without end: past MAX_ENTRIES,
 * the oldest closed socket is forgotten (the summary then shows the
 * newest ones), so the reader's memory stays flat.
 */
static void forget_oldest_closed(struct socktable *t)
{
	for (unsigned int i = 0; i < t->count; i++) {
		struct sock_entry *e = t->all[i];

		if (e->fd >= 0)
			continue;
		if (e->info_valid && e->info.sk)
			unlink_sk(t, e);
		memmove(&t->all[i], &t->all[i + 1],
			(t->count - i - 1) * sizeof(t->all[0]));
		t->count--;
		t->forgotten++;
		free(e);
		return;
	}
}

static struct sock_entry *new_entry(struct socktable *t,
				    const struct event_header *hdr, int fd)
{
	struct sock_entry *e, *old = socktable_by_fd(t, hdr->pid, fd);

	/* A descriptor we never saw closed (opened before tracing, or a
	 * close we did not see): it is another socket now. */
	if (old)
		unlink_fd(t, old);
	if (t->count >= MAX_ENTRIES)
		forget_oldest_closed(t);
	if (t->count == t->cap) {
		unsigned int cap = t->cap ? t->cap * 2 : 64;
		struct sock_entry **all = realloc(t->all, cap * sizeof(*all));

		if (!all)
			return NULL;
		t->all = all;
		t->cap = cap;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->pid = hdr->pid;
	e->fd = e->last_fd = fd;
	/* Printable: it goes into notes and the summary. */
	format_printable_name(e->comm, hdr->comm, sizeof(e->comm) - 1);
	e->opened_ns = hdr->ts_ns;
	t->all[t->count++] = e;
	e->fd_next = t->by_fd[fd_bucket(e->pid, fd)];
	t->by_fd[fd_bucket(e->pid, fd)] = e;
	return e;
}

static struct sock_entry *created_by(struct socktable *t,
				     const struct syscall_record *r)
{
	struct sock_entry *e, *peer;

	switch (r->call) {
	case CALL_SOCKET:
		e = new_entry(t, &r->hdr, (int)r->ret);
		if (e) {
			e->family = (int)r->args[0];
			e->type = (int)r->args[1] & 0xf;
			e->protocol = e->asked_protocol = (int)r->args[2];
		}
		return e;
	case CALL_SOCKETPAIR:
		if (!(r->have & HAVE_AUX0) || !(r->have & HAVE_AUX1))
			return NULL;
		peer = new_entry(t, &r->hdr, r->aux1);
		e = new_entry(t, &r->hdr, r->aux0);
		for (int i = 0; i < 2; i++) {
			struct sock_entry *x = i ? peer : e;

			if (!x)
				continue;
			x->family = (int)r->args[0];
			x->type = (int)r->args[1] & 0xf;
			x->protocol = (int)r->args[2];
		}
		return e;
	case CALL_ACCEPT:
	case CALL_ACCEPT4:
		return new_entry(t, &r->hdr, (int)r->ret);
	}
	return NULL;
}

static void count_bytes(struct sock_entry *e, const struct syscall_record *r)
{
	unsigned long long bytes = r->ret;

	if (r->ret <= 0)
		return;
	/* sendmmsg/recvmmsg return messages: their bytes are each one's
	 * msg_len. */
	if (r->call == CALL_SENDMMSG || r->call == CALL_RECVMMSG)
		bytes = record_mmsg_bytes(r);
	if (call_sends(r)) {
		e->bytes_out += bytes;
		e->sends++;
	} else if (call_receives(r)) {
		e->bytes_in += bytes;
		e->receives++;
	}
}

struct sock_entry *socktable_apply_call(struct socktable *t,
					const struct syscall_record *r,
					struct sock_entry *before)
{
	bool ok = r->ret >= 0 || r->ret < -4095;
	struct sock_entry *e = NULL;

	if (ok)
		e = created_by(t, r);
	if (!e && r->call != CALL_SOCKET && r->call != CALL_SOCKETPAIR &&
	    !(r->have & RESUMED))
		e = socktable_by_fd(t, r->hdr.pid, call_socket_fd(r));
	if (!e && r->sock.valid && r->call != CALL_CLOSE &&
	    !(r->have & RESUMED)) {
		/* A socket opened before tracing started: what it was
		 * before this call is not known, so nothing "changed". */
		e = new_entry(t, &r->hdr, call_socket_fd(r));
		if (e) {
			e->opened_ns = 0;
			set_info(t, e, &r->sock);
		}
	}
	if (before) {
		if (e)
			*before = *e;
		else
			memset(before, 0, sizeof(*before));
	}
	if (!e)
		return NULL;
	e->calls++;
	if (!ok)
		e->failed++;
	count_bytes(e, r);
	if (r->call == CALL_ACCEPT || r->call == CALL_ACCEPT4) {
		/* The new socket's state changes came before accept. */
		if (r->sock.valid && !e->state)
			e->state = r->sock.state;
	}
	if (ok && r->sock.valid && r->sock.sport && e->info_valid &&
	    !e->info.sport && !e->listening &&
	    (r->call == CALL_SENDTO || r->call == CALL_SENDMSG ||
	     r->call == CALL_CONNECT))
		e->autobound = true;
	set_info(t, e, &r->sock);
	if (r->call == CALL_SHUTDOWN && ok &&
	    (r->args[1] == SHUT_RD || r->args[1] == SHUT_RDWR))
		e->read_shut = true;
	if (r->call == CALL_LISTEN && ok) {
		e->listening = true;
		e->asked_backlog = (int)r->args[1];
	}
	if ((r->call == CALL_ACCEPT || r->call == CALL_ACCEPT4) && ok &&
	    !(r->have & RESUMED)) {
		struct sock_entry *l = socktable_by_fd(t, r->hdr.pid,
						       (int)r->args[0]);

		if (l)
			l->accepted++;
	}
	if (r->call == CALL_CLOSE && ok) {
		e->closed_ns = r->hdr.ts_ns;
		unlink_fd(t, e);
	}
	return e;
}

/* "CLOSE -> SYN_SENT": the first state, then " -> " and each next one. */
static void append_state(char *history, size_t size, int from, int to)
{
	size_t len = strlen(history);
	const char *name;

	if (!len) {
		name = tcp_state_name(from);
		snprintf(history, size, "%s", name ? name : "?");
		len = strlen(history);
	}
	name = tcp_state_name(to);
	snprintf(history + len, size - len, " -> %s", name ? name : "?");
}


/* A state change of a socket no entry holds: remembered for accept. */
static void note_orphan(struct socktable *t, const struct kernel_record *k,
			__u64 *ns_in_old)
{
	struct orphan *o;

	if (k->hdr.kind != EVENT_TCP_STATE)
		return;
	o = find_orphan(t, k->sock.sk);
	if (o && o->state != k->old_state)
		o = NULL;	/* a new socket at a reused address */
	if (!o) {
		if (k->old_state != TCP_LISTEN)
			return;	/* only connections born on a listener */
		while ((o = find_orphan(t, k->sock.sk)))
			o->sk = 0;	/* an older socket at this address */
		o = &t->orphans[t->next_orphan++ % ORPHANS];
		memset(o, 0, sizeof(*o));
		o->sk = k->sock.sk;
	} else if (o->since_ns) {
		*ns_in_old = k->hdr.ts_ns - o->since_ns;
	}
	append_state(o->history, sizeof(o->history), k->old_state,
		     k->new_state);
	o->state = k->new_state;
	o->since_ns = k->hdr.ts_ns;
}

struct sock_entry *socktable_apply_kernel(struct socktable *t,
					  const struct kernel_record *k,
					  __u64 *ns_in_old)
{
	struct sock_entry *e = socktable_by_sk(t, k->sock.sk);

	*ns_in_old = 0;
	if (!e) {
		note_orphan(t, k, ns_in_old);
		return NULL;
	}
	/* Its descriptor closed and its connection over (or it never had
	 * one): it is freed, and this is another socket at its address. */
	if (e->fd < 0 && (!e->state || e->state == TCP_CLOSE)) {
		unlink_sk(t, e);
		note_orphan(t, k, ns_in_old);
		return NULL;
	}
	/* A freed socket's memory is reused for new sockets (a new
	 * connection is born LISTEN -> SYN_RECV): a change that does not
	 * start from the state we know is another socket. */
	if (k->hdr.kind == EVENT_TCP_STATE && e->state &&
	    e->state != k->old_state) {
		unlink_sk(t, e);
		note_orphan(t, k, ns_in_old);
		return NULL;
	}
	if (k->sock.sport) {
		memcpy(e->ev_saddr, k->sock.saddr, sizeof(e->ev_saddr));
		e->ev_sport = k->sock.sport;
	}
	if (k->sock.dport) {
		memcpy(e->ev_daddr, k->sock.daddr, sizeof(e->ev_daddr));
		e->ev_dport = k->sock.dport;
	}
	if (k->hdr.kind == EVENT_TCP_STATE) {
		if (e->state == k->old_state && e->state_since_ns)
			*ns_in_old = k->hdr.ts_ns - e->state_since_ns;
		/* The kernel hands an actively closed connection to a
		 * timewait socket: the full socket goes to CLOSE from
		 * FIN_WAIT2 or CLOSING (from FIN_WAIT1, or after a reset,
		 * it was aborted). */
		e->time_wait = k->new_state == TCP_CLOSE &&
			       (k->old_state == TCP_FIN_WAIT2 ||
				k->old_state == TCP_CLOSING) &&
			       !socktable_reset_ended(e, k);
		if (k->old_state == TCP_SYN_SENT && k->new_state == 1)
			e->handshake_ns = *ns_in_old;
		append_state(e->history, sizeof(e->history), k->old_state,
			     k->new_state);
		e->state = k->new_state;
		e->state_since_ns = k->hdr.ts_ns;
	} else if (k->hdr.kind == EVENT_TCP_RETRANSMIT) {
		e->retransmits++;
	} else if (k->hdr.kind == EVENT_TCP_RECEIVE_RESET) {
		e->resets++;
		e->last_reset_ns = k->hdr.ts_ns;
	}
	return e;
}

unsigned int socktable_count(const struct socktable *t)
{
	return t->count;
}

struct sock_entry *socktable_at(struct socktable *t, unsigned int i)
{
	return i < t->count ? t->all[i] : NULL;
}

struct sock_entry *socktable_port_holder(struct socktable *t,
					 const struct sock_entry *self,
					 int protocol, unsigned int port)
{
	for (unsigned int i = 0; i < t->count; i++) {
		struct sock_entry *e = t->all[i];

		if (e != self && e->fd >= 0 && e->info_valid &&
		    e->protocol == protocol && e->info.sport == port)
			return e;
	}
	return NULL;
}

const char *socktable_comm(struct socktable *t, pid_t pid)
{
	for (unsigned int i = t->count; i-- > 0;)
		if (t->all[i]->pid == pid)
			return t->all[i]->comm;
	return NULL;
}

struct sock_entry *socktable_add_existing(struct socktable *t, pid_t pid,
					  int fd, const char *comm,
					  const struct proc_sock *ps)
{
	struct event_header hdr = { .pid = pid, .tid = pid };
	struct sock_entry *e;

	strncpy(hdr.comm, comm, sizeof(hdr.comm) - 1);
	e = new_entry(t, &hdr, fd);
	if (!e)
		return NULL;
	e->family = e->info.family = ps->family;
	e->protocol = e->info.protocol = ps->protocol;
	e->type = e->info.type = ps->protocol == 6 ? SOCK_STREAM : SOCK_DGRAM;
	memcpy(e->info.saddr, ps->saddr, sizeof(e->info.saddr));
	memcpy(e->info.daddr, ps->daddr, sizeof(e->info.daddr));
	e->info.sport = ps->sport;
	e->info.dport = ps->dport;
	e->info.valid = 1;
	/* Not linked by kernel socket until a call tells its address. */
	e->info_valid = true;
	e->info.sk = 0;
	if (ps->protocol == 6) {
		e->state = e->info.state = ps->state;
		e->listening = ps->state == TCP_LISTEN;
	}
	return e;
}

void socktable_complete_event(const struct sock_entry *e,
			      struct sock_info *si)
{
	if (!si->sport && e->ev_sport) {
		memcpy(si->saddr, e->ev_saddr, sizeof(si->saddr));
		si->sport = e->ev_sport;
	} else if (!si->sport && e->info_valid && e->info.sport) {
		memcpy(si->saddr, e->info.saddr, sizeof(si->saddr));
		si->sport = e->info.sport;
	}
	if (!si->dport && e->ev_dport) {
		memcpy(si->daddr, e->ev_daddr, sizeof(si->daddr));
		si->dport = e->ev_dport;
	} else if (!si->dport && e->info_valid && e->info.dport) {
		memcpy(si->daddr, e->info.daddr, sizeof(si->daddr));
		si->dport = e->info.dport;
	}
}

unsigned long long socktable_forgotten(const struct socktable *t)
{
	return t->forgotten;
}

/* A reset arrived for this socket in the last millisecond: the state
 * change that follows it is the reset's (tcp_reset() -> tcp_done()). */
bool socktable_reset_ended(const struct sock_entry *e,
			   const struct kernel_record *k)
{
	return e && e->last_reset_ns && e->last_reset_ns <= k->hdr.ts_ns &&
	       k->hdr.ts_ns - e->last_reset_ns < 1000000;
}
