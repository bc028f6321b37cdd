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

/* The traced socket bound at an endpoint (a stream's listener first),
 * or NULL. */
static struct sock_entry *holder_of(struct socktable *t, int family,
				    const __u8 *a, unsigned int port,
				    bool stream)
{
	struct sock_entry *any = NULL;

	for (unsigned int i = socktable_count(t); i-- > 0;) {
		struct sock_entry *e = socktable_at(t, i);

		if (!holds(e, family, a, port, stream))
			continue;
		if (!stream || e->listening)
			return e;
		if (!any)
			any = e;
	}
	return any;
}

/*
 * The lifeline of whoever holds an endpoint: the traced process with a
 * socket bound there (a listener for a stream's first segment; *holder
 * is that socket), else a lifeline for the bare address.
 */
static int endpoint_line(struct diagram *d, struct socktable *t, int family,
			 const __u8 *a, unsigned int port, bool stream,
			 struct sock_entry **holder)
{
	struct diagram_lifeline l = { .family = family, .port = port,
				      .stream = stream };
	struct sock_entry *e = holder_of(t, family, a, port, stream);
	struct strbuf sb;

	if (holder)
		*holder = e;
	if (e)
		return process_line(d, e->pid, e->comm);
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
		for (int k = 0; k < d->ntimewaits; k++)
			move_line(&d->timewaits[k].line, &(int){ -1 }, i,
				  owner);
		memmove(l, l + 1, (d->nlines - i - 1) * sizeof(*l));
		d->nlines--;
		i--;
	}
}

static struct diagram_step *add_step(struct diagram *d, __u64 ts, int kind,
				     int from, int to)
{
	struct diagram_step *s;

	/* An arrow may go between two sockets of one process's lifeline. */
	if (from < 0 || (kind == STEP_ARROW && to < 0))
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
	s->id = ++d->next_id;
	return s;
}

/* The step with this id, or NULL (it is among the latest). */
static struct diagram_step *step_by_id(struct diagram *d, unsigned int id)
{
	for (int k = d->nsteps; id && k-- > 0;)
		if (d->steps[k].id == id)
			return &d->steps[k];
	return NULL;
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

/* The arrow's other end is the socket e (if known). */
static void arrow_peer(struct diagram *d, struct diagram_step *s,
		       const struct sock_entry *e)
{
	if (!s || !e || !e->info_valid || !e->info.sk)
		return;
	s->peer_sk = e->info.sk;
	s->peer_gen = gen_of(d, e->info.sk)->gen;
}

/* Whether a socket's local end is a and its remote end b, as its latest
 * record or kernel event showed them. */
static bool connects(const struct sock_entry *e, int family, const __u8 *a,
		     unsigned int aport, const __u8 *b, unsigned int bport)
{
	size_t n = addr_len(family);

	if (!e->info_valid || e->info.family != family)
		return false;
	return (e->info.sport == aport && e->info.dport == bport &&
		!memcmp(e->info.saddr, a, n) && !memcmp(e->info.daddr, b, n)) ||
	       (e->ev_sport == aport && e->ev_dport == bport &&
		!memcmp(e->ev_saddr, a, n) && !memcmp(e->ev_daddr, b, n));
}

/* The traced socket at the other end of si's connection, or NULL. */
static struct sock_entry *connection_peer(struct socktable *t,
					  const struct sock_info *si)
{
	for (unsigned int i = socktable_count(t); i-- > 0;) {
		struct sock_entry *e = socktable_at(t, i);

		if (e->info.sk != si->sk &&
		    connects(e, si->family, si->daddr, si->dport, si->saddr,
			     si->sport))
			return e;
	}
	return NULL;
}

/* The lifeline of si's peer: its connected socket's process (*peer;
 * true), or whoever holds its address (*peer, if traced; false). */
static bool peer_line(struct diagram *d, struct socktable *t,
		      const struct sock_info *si, struct sock_entry **peer,
		      int *line)
{
	*peer = connection_peer(t, si);
	if (*peer) {
		*line = process_line(d, (*peer)->pid, (*peer)->comm);
		return true;
	}
	*line = endpoint_line(d, t, si->family, si->daddr, si->dport, true,
			      peer);
	return false;
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

/* "5 bytes "hello"" for the arrow of a message of len bytes (the text
 * when the record has it: not for readv/writev, sendmmsg, recvmmsg). */
static void message_label(char *out, size_t size,
			  const struct syscall_record *r, long long len)
{
	struct strbuf sb;
	size_t n = r->payload_len < TEXT_SHOWN ? r->payload_len : TEXT_SHOWN;

	sb_init(&sb);
	sb_addi(&sb, len);
	sb_add(&sb, len == 1 ? " byte" : " bytes");
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

static bool is_mmsg(const struct syscall_record *r)
{
	return r->call == CALL_SENDMMSG || r->call == CALL_RECVMMSG;
}

/* The messages a call moved that it describes: sendmmsg's and
 * recvmmsg's first MMSG_KEPT, other calls' one. */
static int messages(const struct syscall_record *r)
{
	int n = is_mmsg(r) ? record_mmsg_count(r) : 1;

	return n > r->ret ? (int)r->ret : n;
}

/* Where message i went (sends) or came from: the address the call gave
 * (a send's is final), else the socket's peer. */
static bool message_endpoint(const struct syscall_record *r, int i,
			     const struct sock_entry *e, bool sends,
			     int *family, __u8 *a, unsigned int *port)
{
	unsigned int captured = r->have & HAVE_ADDR ? r->addr_captured : 0;
	const __u8 *sa = r->addr;
	struct mmsg_entry m;

	if (is_mmsg(r)) {
		record_mmsg(r, i, &m);
		captured = m.has_name ? m.name_captured : 0;
		sa = m.name;
	}
	if (captured >= 8) {
		bool inet = sockaddr_inet(sa, captured, family, a, port);

		/* A send went where it said; a receive's odd source
		 * address is the peer's. */
		if (inet || sends)
			return inet;
	}
	memset(a, 0, 16);
	if (!e || !e->info_valid || !e->info.dport)
		return false;
	*family = e->info.family;
	*port = e->info.dport;
	memcpy(a, e->info.daddr, 16);
	return true;
}

static long long message_len(const struct syscall_record *r, int i)
{
	struct mmsg_entry m;

	if (!is_mmsg(r))
		return r->ret;
	record_mmsg(r, i, &m);
	return m.len;
}

/* Message i of a datagram send whose call is step id: its receive, if
 * that came first, is drawn below the call; else it waits for one. */
static void remember_send(struct diagram *d, struct socktable *t, int line,
			  const struct syscall_record *r, int i,
			  const struct sock_entry *e, unsigned int id)
{
	long long len = message_len(r, i);
	struct sock_entry *holder;
	struct diagram_send *s;
	struct diagram_step *got;
	unsigned int port;
	int family, to;
	__u8 a[16] = { 0 };

	if (!message_endpoint(r, i, e, true, &family, a, &port))
		return;
	for (int k = 0; k < d->nearly; k++) {
		const struct diagram_early *x = &d->early[k];

		/* It began before the receive ended. */
		if (x->family == family && x->port == port &&
		    x->len == len && r->enter_ns <= x->ts_ns) {
			got = step_by_id(d, x->arrow);
			if (got) {
				got->after = id;
				got->peer_sk = d->cur.sk;
				got->peer_gen = d->cur.gen;
			}
			d->early[k] = d->early[--d->nearly];
			return;
		}
	}
	to = endpoint_line(d, t, family, a, port, false, &holder);
	if (to < 0 || (holder && holder->info.sk == d->cur.sk))
		return;
	if (d->nsends == DIAGRAM_SENDS)
		memmove(d->sends, d->sends + 1,
			--d->nsends * sizeof(d->sends[0]));
	s = &d->sends[d->nsends++];
	*s = (struct diagram_send){ .line = line, .to = to, .family = family,
				    .port = port, .len = len,
				    .ts_ns = r->hdr.ts_ns, .conv = d->cur_conv,
				    .sk = d->cur.sk, .gen = d->cur.gen,
				    .id = id };
	message_label(s->label, sizeof(s->label), r, len);
}

/*
 * A receive's record may come before its send's (records come at a
 * call's end): its arrow goes right below the send's call (after any
 * moved there before it), at that call's time.
 */
static void arrows_below_sends(struct diagram *d)
{
	for (int k = 0; k < d->nsteps; k++) {
		struct diagram_step s = d->steps[k];
		int at = k + 1;

		if (!s.after)
			continue;
		while (at < d->nsteps && d->steps[at].id != s.after)
			at++;
		if (at == d->nsteps)
			continue;
		s.ts_ns = d->steps[at].ts_ns;
		while (at + 1 < d->nsteps && d->steps[at + 1].after == s.after)
			at++;
		memmove(&d->steps[k], &d->steps[k + 1],
			(at - k) * sizeof(s));
		d->steps[at] = s;
		k--;
	}
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
	d->nwaits = 0;
	arrows_below_sends(d);
}

/* The latest send of len bytes to this port, taken (into *out); a
 * receive that did not ask where it came from is of its conversation. */
static bool take_send(struct diagram *d, int family, unsigned int port,
		      long long len, struct diagram_send *out)
{
	for (int i = d->nsends; i-- > 0;) {
		struct diagram_send *s = &d->sends[i];

		if (s->family != family || s->port != port || s->len != len)
			continue;
		if (!d->cur_conv)
			d->cur_conv = s->conv;
		*out = *s;
		memmove(s, s + 1, (--d->nsends - i) * sizeof(*s));
		return true;
	}
	return false;
}

/* A datagram whose send is not known yet: the send may come after. */
static void received_early(struct diagram *d, const struct sock_info *si,
			   long long len, __u64 ts, unsigned int arrow)
{
	if (d->nearly == DIAGRAM_SENDS)
		memmove(d->early, d->early + 1,
			--d->nearly * sizeof(d->early[0]));
	d->early[d->nearly++] = (struct diagram_early){
		.family = si->family, .port = si->sport, .len = len,
		.ts_ns = ts, .arrow = arrow };
}

/* The bytes a stream socket moved so far. */
static struct diagram_flow *flow_of(struct diagram *d, __u64 sk,
				    unsigned int gen)
{
	for (int i = 0; i < d->nflows; i++)
		if (d->flows[i].sk == sk && d->flows[i].gen == gen)
			return &d->flows[i];
	if (d->nflows == DIAGRAM_SENDS)
		memmove(d->flows, d->flows + 1,
			--d->nflows * sizeof(d->flows[0]));
	d->flows[d->nflows] = (struct diagram_flow){ .sk = sk, .gen = gen };
	return &d->flows[d->nflows++];
}

/* Message i of a datagram receive: an arrow from its send. */
static void receive_datagram(struct diagram *d, struct socktable *t,
			     int line, const struct syscall_record *r, int i,
			     const struct sock_entry *e)
{
	const struct sock_info *si = &e->info;
	long long len = message_len(r, i);
	struct sock_entry *holder = NULL;
	struct diagram_send send;
	struct diagram_step *s;
	unsigned int port;
	int family, from = -1;
	bool taken;
	__u8 a[16];

	/* The send it took is not lost. */
	taken = e->type == SOCK_DGRAM &&
		take_send(d, si->family, si->sport, len, &send);
	if (taken)
		from = send.line;
	if (message_endpoint(r, i, e, false, &family, a, &port))
		from = endpoint_line(d, t, family, a, port, false, &holder);
	s = add_step(d, r->hdr.ts_ns, STEP_ARROW, from, line);
	if (s) {
		s->sk_to = true;
		message_label(s->label, sizeof(s->label), r, len);
		arrow_peer(d, s, holder);
	}
	if (s && taken) {
		s->peer_sk = send.sk;
		s->peer_gen = send.gen;
		s->after = send.id;
	}
	if (!taken && e->type == SOCK_DGRAM)
		received_early(d, si, len, r->hdr.ts_ns, s ? s->id : 0);
}

/* A receive of stream bytes: an arrow from the peer; if the send of its
 * last byte has no record yet, it waits for it. */
static void receive_stream(struct diagram *d, struct socktable *t, int line,
			   const struct syscall_record *r,
			   const struct sock_entry *e)
{
	struct diagram_flow *mine, *theirs;
	struct sock_entry *peer;
	struct diagram_step *s;
	unsigned int gen;
	int from;

	if (!e->info.dport)
		return;
	peer_line(d, t, &e->info, &peer, &from);
	s = add_step(d, r->hdr.ts_ns, STEP_ARROW, from, line);
	if (!s)
		return;
	s->sk_to = true;
	message_label(s->label, sizeof(s->label), r, r->ret);
	if (!peer || !peer->info_valid || !peer->info.sk || !d->cur.sk)
		return;
	arrow_peer(d, s, peer);
	gen = s->peer_gen;
	mine = flow_of(d, d->cur.sk, d->cur.gen);
	mine->received += r->ret;
	theirs = flow_of(d, peer->info.sk, gen);
	if (theirs->sent >= mine->received)
		return;
	if (d->nwaits == DIAGRAM_SENDS)
		memmove(d->waits, d->waits + 1,
			--d->nwaits * sizeof(d->waits[0]));
	d->waits[d->nwaits++] = (struct diagram_wait){
		.sk = peer->info.sk, .gen = gen, .upto = mine->received,
		.ts_ns = r->hdr.ts_ns, .arrow = s->id };
}

/* A send of stream bytes, whose call is step id: the receives that took
 * them before it ended are drawn below it. */
static void sent_stream(struct diagram *d, const struct syscall_record *r,
			unsigned int id)
{
	struct diagram_flow *mine;
	struct diagram_step *got;

	if (!d->cur.sk)
		return;
	mine = flow_of(d, d->cur.sk, d->cur.gen);
	mine->sent += r->ret;
	for (int i = 0; i < d->nwaits; i++) {
		struct diagram_wait *w = &d->waits[i];

		if (w->sk != d->cur.sk || w->gen != d->cur.gen ||
		    w->upto > mine->sent || r->enter_ns > w->ts_ns)
			continue;
		got = step_by_id(d, w->arrow);
		if (got)
			got->after = id;
		*w = d->waits[--d->nwaits];
		i--;
	}
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
	if (!port && (call_sends(r) || call_receives(r)) &&
	    (messages(r) < 1 ||
	     !message_endpoint(r, 0, e, call_sends(r), &family, a, &port)))
		return 0;
	return diagram_conversation(d, e->protocol, si->family, si->saddr,
				    si->sport, a, port);
}

void diagram_add_syscall(struct diagram *d, const struct syscall_record *r,
			 const struct sock_entry *e, struct socktable *t)
{
	const struct sock_info *si = e && e->info_valid ? &e->info : NULL;
	bool moved = r->ret > 0 && si && is_inet(si->family);
	struct diagram_step *s;
	int line;

	if (r->call == CALL_SOCKET && r->ret >= 0 && r->sock.valid)
		socket_born(d, r->sock.sk);
	note_socket(d, si);
	d->cur_conv = si && is_inet(si->family) ? call_conversation(d, r, e) : 0;
	line = process_line(d, r->hdr.pid, r->hdr.comm);
	note_where(d, line, si);
	merge_endpoints(d, t);
	line = process_line(d, r->hdr.pid, r->hdr.comm);
	if (moved && call_receives(r) && e->type == SOCK_STREAM)
		receive_stream(d, t, line, r, e);
	else if (moved && call_receives(r))
		for (int i = 0; i < messages(r); i++)
			receive_datagram(d, t, line, r, i, e);
	s = add_step(d, r->hdr.ts_ns, STEP_CALL, line, -1);
	if (s) {
		call_label(s->label, sizeof(s->label), r);
		s->failed = r->ret < 0 && r->ret >= -4095;
	}
	if (s && moved && call_sends(r) && e->type == SOCK_STREAM)
		sent_stream(d, r, s->id);
	else if (s && moved && call_sends(r) && e->type == SOCK_DGRAM)
		for (int i = 0; i < messages(r); i++)
			remember_send(d, t, line, r, i, e, s->id);
	/* Any socket but a TCP one with a connection to finish is freed at
	 * close(); such a TCP one also needs its move to CLOSE. */
	if (r->call == CALL_CLOSE && r->ret == 0 && si)
		socket_closing(d, d->cur.sk, true,
			       !(e->type == SOCK_STREAM &&
				 is_inet(si->family)) ||
			       (r->sock.valid && r->sock.state == TCP_CLOSE));
}

/* A segment the kernel sent: from this socket to its peer, or back. */
static struct diagram_step *segment(struct diagram *d, struct socktable *t,
				    __u64 ts, int line,
				    const struct sock_info *si, bool to_peer,
				    const char *what)
{
	struct sock_entry *peer_sock;
	struct diagram_step *s;
	bool connected;
	int peer;

	connected = peer_line(d, t, si, &peer_sock, &peer);
	s = add_step(d, ts, STEP_ARROW, to_peer ? line : peer,
		     to_peer ? peer : line);
	if (!s)
		return NULL;
	strncpy(s->label, what, sizeof(s->label) - 1);
	s->kernel = true;
	s->sk_to = !to_peer;
	/* The SYN goes to the listener; the rest to the connection's own
	 * socket, which the listener's may not be. */
	if (connected || !strcmp(what, "SYN"))
		arrow_peer(d, s, peer_sock);
	return s;
}

static void state(struct diagram *d, __u64 ts, int line, const char *name)
{
	struct diagram_step *s = add_step(d, ts, STEP_STATE, line, -1);

	if (s)
		strncpy(s->label, name, sizeof(s->label) - 1);
}

/* One end of si's connection: this socket's, or (peer) the other's. */
static struct diagram_end end_of(const struct sock_info *si, bool peer)
{
	struct diagram_end x = { .family = si->family };

	memcpy(x.addr, peer ? si->daddr : si->saddr, 16);
	memcpy(x.peer_addr, peer ? si->saddr : si->daddr, 16);
	x.port = peer ? si->dport : si->sport;
	x.peer_port = peer ? si->sport : si->dport;
	return x;
}

static void add_end(struct diagram_end *ends, int *n, struct diagram_end x)
{
	if (*n == DIAGRAM_SENDS)
		memmove(ends, ends + 1, --*n * sizeof(ends[0]));
	ends[(*n)++] = x;
}

/* The end x in ends, taken out (into *x), or false. */
static bool take_end(struct diagram_end *ends, int *n, struct diagram_end *x)
{
	size_t len = addr_len(x->family);

	for (int i = *n; i-- > 0;) {
		struct diagram_end *o = &ends[i];

		if (o->family != x->family || o->port != x->port ||
		    o->peer_port != x->peer_port ||
		    memcmp(o->addr, x->addr, len) ||
		    memcmp(o->peer_addr, x->peer_addr, len))
			continue;
		*x = *o;
		memmove(o, o + 1, (--*n - i) * sizeof(*o));
		return true;
	}
	return false;
}

/*
 * An active close's socket goes from FIN_WAIT2 to CLOSE when the kernel
 * hands the connection to a timewait socket: in TIME_WAIT if the peer's
 * FIN has come, else still waiting for it (up to tcp_fin_timeout). Its
 * ACK of that FIN is drawn when the peer's LAST_ACK ends.
 */
static void fin_wait2_closed(struct diagram *d, __u64 ts, int line,
			     const struct sock_info *si)
{
	struct diagram_end fin = end_of(si, true), me = end_of(si, false);
	bool fin_came = take_end(d->fins, &d->nfins, &fin);

	state(d, ts, line, fin_came ? "TIME_WAIT" :
	      "timewait: FIN_WAIT2");
	me.line = line;
	me.waiting = !fin_came;
	me.conv = d->cur_conv;
	me.sk = d->cur.sk;
	me.gen = d->cur.gen;
	add_end(d->timewaits, &d->ntimewaits, me);
}

/* The last ACK came: from the peer's timewait socket (which, if it was
 * still waiting for the FIN, is now in TIME_WAIT), or from the peer. */
static void last_ack(struct diagram *d, struct socktable *t, __u64 ts,
		     int line, const struct sock_info *si)
{
	struct diagram_end tw = end_of(si, true);
	struct diagram_sock cur = d->cur;
	int conv = d->cur_conv;
	struct diagram_step *s;

	if (!take_end(d->timewaits, &d->ntimewaits, &tw)) {
		segment(d, t, ts, line, si, false, "ACK");
		return;
	}
	s = add_step(d, ts, STEP_ARROW, tw.line, line);
	if (s) {
		strcpy(s->label, "ACK");
		s->kernel = true;
		s->sk_to = true;
		s->peer_sk = tw.sk;
		s->peer_gen = tw.gen;
	}
	if (!tw.waiting)
		return;
	/* The TIME_WAIT is the timewait socket's, in its conversation. */
	d->cur = (struct diagram_sock){ .sk = tw.sk, .gen = tw.gen };
	d->cur_conv = tw.conv;
	state(d, ts, tw.line, "TIME_WAIT");
	d->cur = cur;
	d->cur_conv = conv;
}

/* What a TCP state change says crossed the wire, and the new state (a
 * change that a reset made sends nothing). */
static void tcp_change(struct diagram *d, struct socktable *t, __u64 ts,
		       int line, const struct sock_info *si, int old, int new,
		       bool reset)
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
	if (segments && (new == TCP_FIN_WAIT1 || new == TCP_LAST_ACK)) {
		segment(d, t, ts, line, si, true, "FIN");
		add_end(d->fins, &d->nfins, end_of(si, false));
	} else if (segments && old == TCP_FIN_WAIT1 && new == TCP_FIN_WAIT2) {
		segment(d, t, ts, line, si, false, "ACK");
	} else if (segments && old == TCP_FIN_WAIT1 && new == TCP_CLOSING) {
		/* The peer's FIN came before the ACK of ours. */
		segment(d, t, ts, line, si, true, "ACK");
	} else if (segments && old == TCP_LAST_ACK && new == TCP_CLOSE &&
		   !reset) {
		last_ack(d, t, ts, line, si);
	}
	if (segments && old == TCP_FIN_WAIT2 && new == TCP_CLOSE && !reset)
		fin_wait2_closed(d, ts, line, si);
	else if (old == TCP_CLOSING && new == TCP_CLOSE && !reset)
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
			   k->new_state, socktable_reset_ended(e, k));
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
