// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Building a sequence diagram from a trace's records (diagram.h): who
 * the lifelines are, and which step each record adds.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "calls.h"
#include "diagram.h"
#include "explain.h"
#include "format.h"
#include "names.h"
#include "render.h"

#define TCP_ESTABLISHED	1
#define TCP_SYN_SENT	2
#define TCP_SYN_RECV	3
#define TCP_FIN_WAIT1	4
#define TCP_FIN_WAIT2	5
#define TCP_TIME_WAIT	6
#define TCP_CLOSE	7
#define TCP_CLOSE_WAIT	8
#define TCP_LAST_ACK	9
#define TCP_LISTEN	10
#define TCP_CLOSING	11

#define TEXT_SHOWN	24	/* bytes of a message shown on its arrow */

void diagram_init(struct diagram *d)
{
	memset(d, 0, sizeof(*d));
	d->max_steps = 256;
	d->steps = calloc(d->max_steps, sizeof(*d->steps));
}

/* Room for one more step; false when the diagram keeps no more. */
static bool room_for_step(struct diagram *d)
{
	struct diagram_step *steps;
	int max;

	if (d->steps && d->nsteps < d->max_steps)
		return true;
	if (!d->steps || d->max_steps == DIAGRAM_KEEP_STEPS) {
		d->too_big = true;
		return false;
	}
	max = d->max_steps * 2 > DIAGRAM_KEEP_STEPS ? DIAGRAM_KEEP_STEPS :
						      d->max_steps * 2;
	steps = realloc(d->steps, max * sizeof(*steps));
	if (!steps) {
		d->too_big = true;
		return false;
	}
	d->steps = steps;
	d->max_steps = max;
	return true;
}

void diagram_free(struct diagram *d)
{
	for (int i = 0; i < d->ntexts; i++)
		free(d->texts[i]);
	free(d->texts);
	free(d->steps);
	memset(d, 0, sizeof(*d));
}

static int add_lifeline(struct diagram *d, const struct diagram_lifeline *l)
{
	if (d->nlines == DIAGRAM_KEEP_LINES) {
		d->too_big = true;
		return -1;
	}
	d->lines[d->nlines] = *l;
	return d->nlines++;
}

/* The lifeline of a traced process, made on its first step. */
static int process_line(struct diagram *d, pid_t pid, const char *comm)
{
	struct diagram_lifeline l = { .pid = pid };

	for (int i = 0; i < d->nlines; i++)
		if (d->lines[i].pid == pid)
			return i;
	strncpy(l.comm, comm ? comm : "", sizeof(l.comm) - 1);
	return add_lifeline(d, &l);
}

static bool is_inet(int family)
{
	return family == AF_INET || family == AF_INET6;
}

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

static bool addr_any(int family, const __u8 *a)
{
	static const __u8 zero[16];

	return !memcmp(a, zero, addr_len(family));
}

/* Whether a socket's local end is this endpoint (or holds its port on
 * every address). */
static bool holds(const struct sock_entry *e, int family, const __u8 *a,
		  unsigned int port, bool stream)
{
	if (!e->info_valid || e->info.family != family ||
	    e->info.sport != port || (e->type == SOCK_STREAM) != stream)
		return false;
	return addr_any(family, e->info.saddr) ||
	       !memcmp(e->info.saddr, a, addr_len(family));
}

/*
 * The lifeline of whoever holds an endpoint: the traced process with a
 * socket bound there (a listener for a stream's first segment), else a
 * lifeline for the bare address.
 */
static int endpoint_line(struct diagram *d, struct socktable *t, int family,
			 const __u8 *a, unsigned int port, bool stream)
{
	struct diagram_lifeline l = { .family = family, .port = port,
				      .stream = stream };
	struct strbuf sb;

	for (unsigned int i = socktable_count(t); i-- > 0;) {
		struct sock_entry *e = socktable_at(t, i);

		if (holds(e, family, a, port, stream))
			return process_line(d, e->pid, e->comm);
	}
	for (int i = 0; i < d->nlines; i++)
		if (!d->lines[i].pid && d->lines[i].family == family &&
		    d->lines[i].port == port &&
		    !memcmp(d->lines[i].addr, a, addr_len(family)))
			return i;
	memcpy(l.addr, a, addr_len(family));
	sb_init(&sb);
	format_endpoint(&sb, family, a, port);
	strncpy(l.where, sb.buf ? sb.buf : "", sizeof(l.where) - 1);
	sb_free(&sb);
	return add_lifeline(d, &l);
}

/* Lifeline i becomes owner, and those after i move up one. */
static void move_line(int *from, int *to, int i, int owner)
{
	if (*from == i)
		*from = owner;
	if (*to == i)
		*to = owner;
	if (*from > i)
		(*from)--;
	if (*to > i)
		(*to)--;
}

/*
 * An address no traced process seemed to hold may turn out to be one's:
 * a client's port is known only once its connect() returns, after the
 * handshake's segments. Its steps then move to that process's lifeline.
 */
static void merge_endpoints(struct diagram *d, struct socktable *t)
{
	for (int i = 0; i < d->nlines; i++) {
		struct diagram_lifeline *l = &d->lines[i];
		int owner = -1;

		if (l->pid)
			continue;
		for (unsigned int k = socktable_count(t); k-- > 0;) {
			struct sock_entry *e = socktable_at(t, k);

			if (holds(e, l->family, l->addr, l->port, l->stream)) {
				owner = process_line(d, e->pid, e->comm);
				break;
			}
		}
		if (owner < 0)
			continue;
		for (int k = 0; k < d->nsteps; k++)
			move_line(&d->steps[k].from, &d->steps[k].to, i, owner);
		for (int k = 0; k < d->nsends; k++)
			move_line(&d->sends[k].line, &d->sends[k].to, i, owner);
		memmove(l, l + 1, (d->nlines - i - 1) * sizeof(*l));
		d->nlines--;
		i--;
	}
}

static struct diagram_step *add_step(struct diagram *d, __u64 ts, int kind,
				     int from, int to)
{
	struct diagram_step *s;

	if (from < 0 || (kind == STEP_ARROW && (to < 0 || to == from)))
		return NULL;
	if (!room_for_step(d))
		return NULL;
	if (!d->start_ns)
		d->start_ns = ts;
	s = &d->steps[d->nsteps++];
	memset(s, 0, sizeof(*s));
	s->ts_ns = ts;
	s->kind = kind;
	s->from = from;
	s->to = to;
	s->sk = d->cur.sk;
	s->gen = d->cur.gen;
	s->text = -1;
	s->conv = d->cur_conv;
	return s;
}

/* The kernel reuses a freed socket's address for a new socket: which
 * socket at that address this is, counted by the closes seen. */
static struct diagram_sock *gen_of(struct diagram *d, __u64 sk)
{
	for (int i = 0; i < d->ngens; i++)
		if (d->gens[i].sk == sk)
			return &d->gens[i];
	if (d->ngens == DIAGRAM_PORT_SOCKS)
		memmove(d->gens, d->gens + 1, --d->ngens * sizeof(d->gens[0]));
	d->gens[d->ngens] = (struct diagram_sock){ .sk = sk };
	return &d->gens[d->ngens++];
}

/* The program closed the socket (by_call), or the kernel moved it to
 * CLOSE: once it is gone, the next socket at its address is another. */
static void socket_closing(struct diagram *d, __u64 sk, bool by_call,
			   bool gone)
{
	struct diagram_sock *g;

	if (!sk)
		return;
	g = gen_of(d, sk);
	if (by_call)
		g->closed_by_call = true;
	else
		g->closed_by_state = true;
	if (gone || (g->closed_by_call && g->closed_by_state)) {
		g->gen++;
		g->closed_by_call = g->closed_by_state = false;
	}
}

/* A socket is made at sk (socket(), or a connection's new socket): any
 * socket seen there before is gone, even if its end was not traced (a
 * process that exits without close()). */
static void socket_born(struct diagram *d, __u64 sk)
{
	struct diagram_sock *g;

	for (int i = 0; sk && i < d->ngens; i++) {
		g = &d->gens[i];
		if (g->sk == sk) {
			g->gen++;
			g->closed_by_call = g->closed_by_state = false;
			return;
		}
	}
}

/* Notes the record's socket, and whether it has the --port. */
static void note_socket(struct diagram *d, const struct sock_info *si)
{
	d->cur = (struct diagram_sock){ 0 };
	if (si && si->valid && si->sk)
		d->cur = *gen_of(d, si->sk);
	if (d->only_port && d->cur.sk &&
	    (si->sport == d->only_port || si->dport == d->only_port) &&
	    !diagram_has_port_sock(d, d->cur.sk, d->cur.gen) &&
	    d->nport_socks < DIAGRAM_PORT_SOCKS)
		d->port_socks[d->nport_socks++] = d->cur;
}

bool diagram_has_port_sock(const struct diagram *d, __u64 sk,
			   unsigned int gen)
{
	for (int i = 0; i < d->nport_socks; i++)
		if (d->port_socks[i].sk == sk && d->port_socks[i].gen == gen)
			return true;
	return false;
}

/* The local address of a process's first inet socket, for its label,
 * and of each socket, for its own. */
static void note_where(struct diagram *d, int line, const struct sock_info *si)
{
	struct diagram_where *w = NULL;
	struct strbuf sb;

	if (line < 0 || !si || !si->sport || !is_inet(si->family))
		return;
	for (int i = 0; i < d->nwheres && d->cur.sk; i++)
		if (d->wheres[i].sk == d->cur.sk &&
		    d->wheres[i].gen == d->cur.gen)
			return;
	if (d->cur.sk && d->nwheres < DIAGRAM_PORT_SOCKS)
		w = &d->wheres[d->nwheres++];
	sb_init(&sb);
	format_endpoint(&sb, si->family, si->saddr, si->sport);
	if (w) {
		*w = (struct diagram_where){ .sk = d->cur.sk,
					     .gen = d->cur.gen };
		strncpy(w->where, sb.buf ? sb.buf : "", sizeof(w->where) - 1);
	}
	if (!d->lines[line].where[0])
		strncpy(d->lines[line].where, sb.buf ? sb.buf : "",
			sizeof(d->lines[line].where) - 1);
	sb_free(&sb);
}

/* "5 bytes "hello"" for a message's arrow. */
static void message_label(char *out, size_t size,
			  const struct syscall_record *r)
{
	struct strbuf sb;
	size_t n = r->payload_len < TEXT_SHOWN ? r->payload_len : TEXT_SHOWN;

	sb_init(&sb);
	sb_addi(&sb, r->ret);
	sb_add(&sb, r->ret == 1 ? " byte" : " bytes");
	if ((r->have & HAVE_PAYLOAD) && !(r->have & (HAVE_IOV | HAVE_MMSG)) &&
	    n) {
		/* Whole characters only, and no newline at the end. */
		while (n && !is_valid_utf8(record_payload(r), n))
			n--;
		sb_addc(&sb, ' ');
		format_text_bytes(&sb, record_payload(r),
				  n && record_payload(r)[n - 1] == '\n' ?
				  n - 1 : n, true);
	}
	strncpy(out, sb.buf ? sb.buf : "", size - 1);
	out[size - 1] = '\0';
	sb_free(&sb);
}

static void call_label(char *out, size_t size, const struct syscall_record *r)
{
	struct strbuf sb;
	const char *err;

	sb_init(&sb);
	sb_add(&sb, call_name(r->call));
	sb_add(&sb, " = ");
	if (r->ret < 0 && r->ret >= -4095) {
		err = errno_name((int)-r->ret);
		sb_add(&sb, "-1 ");
		if (err)
			sb_add(&sb, err);
		else
			sb_addi(&sb, -r->ret);
	} else {
		sb_addi(&sb, r->ret);
	}
	strncpy(out, sb.buf ? sb.buf : "", size - 1);
	out[size - 1] = '\0';
	sb_free(&sb);
}

/* Where a received message came from: the address recvfrom/recvmsg gave,
 * or the socket's peer. */
static bool sender_of(const struct syscall_record *r,
		      const struct sock_entry *e, int *family, __u8 *a,
		      unsigned int *port)
{
	const __u8 *sa = r->addr;

	memset(a, 0, 16);
	if ((r->have & HAVE_ADDR) && r->addr_captured >= 8) {
		*family = sa[0] | sa[1] << 8;
		*port = sa[2] << 8 | sa[3];
		if (*family == AF_INET) {
			memcpy(a, sa + 4, 4);
			return true;
		}
		if (*family == AF_INET6 && r->addr_captured >= 24) {
			memcpy(a, sa + 8, 16);
			return true;
		}
	}
	if (!e || !e->info_valid || !e->info.dport)
		return false;
	*family = e->info.family;
	*port = e->info.dport;
	memcpy(a, e->info.daddr, 16);
	return true;
}

/* Where a send went: the address sendto/sendmsg gave, or the peer. */
static bool receiver_of(const struct syscall_record *r,
			const struct sock_entry *e, int *family,
			unsigned int *port, __u8 *a)
{
	const __u8 *sa = r->addr;

	if ((r->have & HAVE_ADDR) && r->addr_captured >= 8) {
		*family = sa[0] | sa[1] << 8;
		*port = sa[2] << 8 | sa[3];
		if (*family == AF_INET)
			memcpy(a, sa + 4, 4);
		else if (*family == AF_INET6 && r->addr_captured >= 24)
			memcpy(a, sa + 8, 16);
		return is_inet(*family);
	}
	if (!e || !e->info_valid || !e->info.dport)
		return false;
	*family = e->info.family;
	*port = e->info.dport;
	memcpy(a, e->info.daddr, 16);
	return true;
}

static void remember_send(struct diagram *d, struct socktable *t, int line,
			  const struct syscall_record *r,
			  const struct sock_entry *e)
{
	struct diagram_send *s;
	unsigned int port;
	int family, to;
	__u8 a[16] = { 0 };

	if (!receiver_of(r, e, &family, &port, a))
		return;
	for (int i = 0; i < d->nearly; i++) {
		const struct diagram_early *x = &d->early[i];

		/* It began before the receive ended. */
		if (x->family == family && x->port == port &&
		    x->len == r->ret && r->enter_ns <= x->ts_ns) {
			d->early[i] = d->early[--d->nearly];
			return;
		}
	}
	to = endpoint_line(d, t, family, a, port, false);
	if (to < 0 || to == line)
		return;
	if (d->nsends == DIAGRAM_SENDS)
		memmove(d->sends, d->sends + 1,
			--d->nsends * sizeof(d->sends[0]));
	s = &d->sends[d->nsends++];
	*s = (struct diagram_send){ .line = line, .to = to, .family = family,
				    .port = port, .len = r->ret,
				    .ts_ns = r->hdr.ts_ns, .conv = d->cur_conv,
				    .sk = d->cur.sk, .gen = d->cur.gen };
	message_label(s->label, sizeof(s->label), r);
}

void diagram_finish(struct diagram *d)
{
	for (int i = 0; i < d->nsends; i++) {
		const struct diagram_send *send = &d->sends[i];
		struct diagram_step *s;
		int at = d->nsteps;

		if (!room_for_step(d))
			break;
		/* In time order: right after the send's own call. */
		while (at > 0 && d->steps[at - 1].ts_ns > send->ts_ns)
			at--;
		memmove(&d->steps[at + 1], &d->steps[at],
			(d->nsteps - at) * sizeof(d->steps[0]));
		d->nsteps++;
		s = &d->steps[at];
		memset(s, 0, sizeof(*s));
		s->ts_ns = send->ts_ns;
		s->kind = STEP_ARROW;
		s->from = send->line;
		s->to = send->to;
		s->lost = true;
		s->text = -1;
		s->conv = send->conv;
		s->sk = send->sk;
		s->gen = send->gen;
		snprintf(s->label, sizeof(s->label), "lost: %s", send->label);
	}
	d->nsends = 0;
	d->nearly = 0;
}

/* The line of the latest send of len bytes to this port, taken; a
 * receive that did not ask where it came from is of its conversation. */
static int take_send(struct diagram *d, int family, unsigned int port,
		     long long len)
{
	for (int i = d->nsends; i-- > 0;) {
		struct diagram_send *s = &d->sends[i];
		int line = s->line;

		if (s->family != family || s->port != port || s->len != len)
			continue;
		if (!d->cur_conv)
			d->cur_conv = s->conv;
		memmove(s, s + 1, (--d->nsends - i) * sizeof(*s));
		return line;
	}
	return -1;
}

/* A datagram whose send is not known yet: the send may come after. */
static void received_early(struct diagram *d, const struct sock_info *si,
			   const struct syscall_record *r)
{
	if (d->nearly == DIAGRAM_SENDS)
		memmove(d->early, d->early + 1,
			--d->nearly * sizeof(d->early[0]));
	d->early[d->nearly++] = (struct diagram_early){
		.family = si->family, .port = si->sport, .len = r->ret,
		.ts_ns = r->hdr.ts_ns };
}

/* The two ports a call is between: its socket's peer, or the address a
 * datagram went to or came from. */
static int call_conversation(struct diagram *d, const struct syscall_record *r,
			     const struct sock_entry *e)
{
	const struct sock_info *si = &e->info;
	unsigned int port = si->dport;
	int family = si->family;
	__u8 a[16];

	memcpy(a, si->daddr, sizeof(a));
	if (!port && call_sends(r) && !receiver_of(r, e, &family, &port, a))
		return 0;
	if (!port && call_receives(r) && !sender_of(r, e, &family, a, &port))
		return 0;
	return diagram_conversation(d, e->protocol, si->family, si->saddr,
				    si->sport, a, port);
}

void diagram_add_syscall(struct diagram *d, const struct syscall_record *r,
			 const struct sock_entry *e, struct socktable *t)
{
	const struct sock_info *si = e && e->info_valid ? &e->info : NULL;
	int line, from, family;
	struct diagram_step *s;
	unsigned int port;
	__u8 a[16];

	if (r->call == CALL_SOCKET && r->ret >= 0 && r->sock.valid)
		socket_born(d, r->sock.sk);
	note_socket(d, si);
	d->cur_conv = si && is_inet(si->family) ? call_conversation(d, r, e) : 0;
	line = process_line(d, r->hdr.pid, r->hdr.comm);
	note_where(d, line, si);
	merge_endpoints(d, t);
	line = process_line(d, r->hdr.pid, r->hdr.comm);
	if (call_sends(r) && r->ret > 0 && si && is_inet(si->family) &&
	    e->type == SOCK_DGRAM && r->call != CALL_SENDMMSG)
		remember_send(d, t, line, r, e);
	if (call_receives(r) && r->ret > 0 && si && is_inet(si->family) &&
	    r->call != CALL_RECVMMSG) {
		/* The send it took is not lost. */
		from = e->type == SOCK_DGRAM ?
		       take_send(d, si->family, si->sport, r->ret) : -1;
		if (from < 0 && e->type == SOCK_DGRAM)
			received_early(d, si, r);
		if (sender_of(r, e, &family, a, &port))
			from = endpoint_line(d, t, family, a, port,
					     e->type == SOCK_STREAM);
		s = add_step(d, r->hdr.ts_ns, STEP_ARROW, from, line);
		if (s) {
			s->sk_to = true;
			message_label(s->label, sizeof(s->label), r);
		}
	}
	s = add_step(d, r->hdr.ts_ns, STEP_CALL, line, -1);
	if (s) {
		call_label(s->label, sizeof(s->label), r);
		s->failed = r->ret < 0 && r->ret >= -4095;
	}
	/* Any socket but a TCP one with a connection to finish is freed at
	 * close(); such a TCP one also needs its move to CLOSE. */
	if (r->call == CALL_CLOSE && r->ret == 0 && si)
		socket_closing(d, d->cur.sk, true,
			       !(e->type == SOCK_STREAM &&
				 is_inet(si->family)) ||
			       (r->sock.valid && r->sock.state == TCP_CLOSE));
}

/* A segment the kernel sent: from this socket to its peer, or back. */
static void segment(struct diagram *d, struct socktable *t, __u64 ts,
		    int line, const struct sock_info *si, bool to_peer,
		    const char *what)
{
	int peer = endpoint_line(d, t, si->family, si->daddr, si->dport,
				 true);
	struct diagram_step *s;

	s = add_step(d, ts, STEP_ARROW, to_peer ? line : peer,
		     to_peer ? peer : line);
	if (!s)
		return;
	strncpy(s->label, what, sizeof(s->label) - 1);
	s->kernel = true;
	s->sk_to = !to_peer;
}

static void state(struct diagram *d, __u64 ts, int line, const char *name)
{
	struct diagram_step *s = add_step(d, ts, STEP_STATE, line, -1);

	if (s)
		strncpy(s->label, name, sizeof(s->label) - 1);
}

/* What a TCP state change says crossed the wire, and the new state. */
static void tcp_change(struct diagram *d, struct socktable *t, __u64 ts,
		       int line, const struct sock_info *si, int old, int new)
{
	bool segments = si->dport && is_inet(si->family);

	/* The client's side tells the handshake in order: its SYN; the
	 * SYN-ACK that made it ESTABLISHED, and its ACK. (The server's new
	 * socket appears, in SYN_RECV, only when that ACK arrives.) */
	if (segments && new == TCP_SYN_SENT) {
		segment(d, t, ts, line, si, true, "SYN");
	} else if (segments && old == TCP_SYN_SENT &&
		   new == TCP_ESTABLISHED) {
		segment(d, t, ts, line, si, false, "SYN-ACK");
		segment(d, t, ts, line, si, true, "ACK");
	}
	if (segments && (new == TCP_FIN_WAIT1 || new == TCP_LAST_ACK))
		segment(d, t, ts, line, si, true, "FIN");
	else if (segments && old == TCP_FIN_WAIT1 && new == TCP_FIN_WAIT2)
		segment(d, t, ts, line, si, false, "ACK");
	else if (segments && new == TCP_CLOSE &&
		 (old == TCP_FIN_WAIT2 || old == TCP_CLOSING))
		segment(d, t, ts, line, si, true, "ACK");
	if (new == TCP_CLOSE && (old == TCP_FIN_WAIT2 || old == TCP_CLOSING ||
				 old == TCP_FIN_WAIT1))
		state(d, ts, line, "TIME_WAIT");
	else
		state(d, ts, line, tcp_state_name(new) ? tcp_state_name(new) :
		      "?");
}

void diagram_add_kernel(struct diagram *d, const struct kernel_record *k,
			const struct sock_entry *e, struct socktable *t)
{
	const struct sock_info *si = &k->sock;
	pid_t pid = e ? e->pid : (pid_t)k->owner_pid;
	const char *comm = e ? e->comm : socktable_comm(t, pid);
	struct diagram_step *s;
	int line;

	if (k->hdr.kind == EVENT_TCP_STATE && k->new_state == TCP_SYN_RECV)
		socket_born(d, si->sk);
	if (!pid)
		return;
	note_socket(d, si);
	d->cur_conv = is_inet(si->family) ?
		      diagram_conversation(d, si->protocol, si->family,
					   si->saddr, si->sport, si->daddr,
					   si->dport) : 0;
	line = process_line(d, pid, comm);
	switch (k->hdr.kind) {
	case EVENT_TCP_STATE:
		tcp_change(d, t, k->hdr.ts_ns, line, si, k->old_state,
			   k->new_state);
		if (k->new_state == TCP_CLOSE)
			socket_closing(d, si->sk, false, false);
		break;
	case EVENT_TCP_SEND_RESET:
	case EVENT_TCP_RECEIVE_RESET:
		if (si->dport && is_inet(si->family))
			segment(d, t, k->hdr.ts_ns, line, si,
				k->hdr.kind == EVENT_TCP_SEND_RESET, "RST");
		break;
	case EVENT_TCP_RETRANSMIT:
		if (si->dport && is_inet(si->family))
			segment(d, t, k->hdr.ts_ns, line, si, true,
				"retransmit");
		break;
	case EVENT_UDP_DROP:
	case EVENT_RCVQUEUE_FULL:
		s = add_step(d, k->hdr.ts_ns, STEP_DROP, line, -1);
		if (s)
			strncpy(s->label, "datagram dropped",
				sizeof(s->label) - 1);
		break;
	}
}

void diagram_add_text(struct diagram *d, int first, const char *text,
		      size_t len)
{
	char **texts;

	if (first >= d->nsteps || d->ntexts >= DIAGRAM_KEEP_STEPS)
		return;
	texts = realloc(d->texts, (d->ntexts + 1) * sizeof(*texts));
	if (!texts)
		return;
	d->texts = texts;
	texts[d->ntexts] = strndup(text, len);
	if (!texts[d->ntexts])
		return;
	for (int k = first; k < d->nsteps; k++)
		d->steps[k].text = d->ntexts;
	d->ntexts++;
}
