// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Matching sends with receives, and connects with accepts, by endpoints. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "calls.h"
#include "conversation.h"
#include "explain.h"
#include "format.h"

#define SLOTS	256	/* recent unmatched calls kept; oldest go first */
#define EARLY	16	/* calls matched before their turn, still to come */

struct endpoint {
	__u16 family;
	__u16 port;
	__u8 addr[16];
};

struct pending {
	bool used;
	bool is_connect;
	int protocol;
	struct endpoint src, dst;
	__u64 bytes;
	__u64 ts_ns;
	__u32 pid;
	char comm[SOCKSCOPE_COMM_LEN + 1];	/* printable */
};

/*
 * A ring of slots: calls first..next-1 (counters, taken modulo SLOTS) may
 * be waiting, oldest first; next - first <= SLOTS. Slots before first are
 * all taken, so a search starts there and not at the oldest slot.
 */
struct conversations {
	struct pending slot[SLOTS];
	unsigned int first, next;
	/* Sends and connects remembered ahead of their own turn, because a
	 * receive or accept that came first answered them: skipped when their
	 * turn comes (thread and end time name a call). */
	struct { __u32 tid; __u64 ts_ns; } early[EARLY];
	unsigned int nearly;
	struct comm_cache names;	/* the last sender's name */
};

struct conversations *conversations_new(void)
{
	return calloc(1, sizeof(struct conversations));
}

void conversations_free(struct conversations *c)
{
	free(c);
}

static void local_end(const struct sock_info *si, struct endpoint *ep)
{
	ep->family = si->family;
	ep->port = si->sport;
	memcpy(ep->addr, si->saddr, sizeof(ep->addr));
}

static void peer_end(const struct sock_info *si, struct endpoint *ep)
{
	ep->family = si->family;
	ep->port = si->dport;
	memcpy(ep->addr, si->daddr, sizeof(ep->addr));
}

/* An endpoint from a sockaddr captured in the record (sendto's
 * destination, recvfrom's source). */
static bool addr_end(const struct syscall_record *r, struct endpoint *ep)
{
	int family;
	unsigned int port;

	if (!(r->have & HAVE_ADDR) ||
	    !sockaddr_inet(r->addr, r->addr_captured, &family, ep->addr,
			   &port))
		return false;
	ep->family = family;
	ep->port = port;
	return true;
}

/* Whether an IPv4 (4 bytes) or IPv6 address is x: a memcmp of a known
 * size, which the compiler does in place, not as a call. */
static bool same_addr(const __u8 *a, const __u8 *x, bool v4)
{
	return v4 ? !memcmp(a, x, 4) : !memcmp(a, x, 16);
}

/* 0.0.0.0 or :: matches any address: an unbound sender's local address
 * is only known once routed. */
static bool same_end(const struct endpoint *a, const struct endpoint *b)
{
	static const __u8 any[16];
	bool v4 = a->family == AF_INET;

	if (a->family != b->family || a->port != b->port)
		return false;
	return same_addr(a->addr, b->addr, v4) || same_addr(a->addr, any, v4) ||
	       same_addr(b->addr, any, v4);
}

static void remember(struct conversations *c, const struct syscall_record *r,
		     int protocol, const struct endpoint *src,
		     const struct endpoint *dst, bool is_connect, __u64 ts_ns)
{
	struct pending *p;

	if (c->next - c->first == SLOTS)
		c->first++;		/* the oldest is overwritten */
	p = &c->slot[c->next++ % SLOTS];
	memset(p, 0, sizeof(*p));
	p->used = true;
	p->is_connect = is_connect;
	p->protocol = protocol;
	p->src = *src;
	p->dst = *dst;
	p->bytes = r->ret > 0 ? r->ret : 0;
	p->ts_ns = ts_ns;
	p->pid = r->hdr.pid;
	/* All of name's bytes, the NUL among them: a copy of a known size
	 * is a few moves, not a call. */
	memcpy(p->comm, format_comm_cached(&c->names, r->hdr.comm),
	       sizeof(p->comm));
}

/*
 * The oldest remembered call from src to dst (taken off the list unless
 * only asked about). A datagram arrives whole, so its size must match too
 * (bytes 0: any); a stream may split or merge what was sent.
 */
static struct pending *find(struct conversations *c, int protocol,
			    const struct endpoint *src,
			    const struct endpoint *dst, bool is_connect,
			    __u64 bytes, bool take)
{
	while (c->first != c->next && !c->slot[c->first % SLOTS].used)
		c->first++;
	for (unsigned int i = c->first; i != c->next; i++) {
		struct pending *p = &c->slot[i % SLOTS];

		if (p->used && p->is_connect == is_connect &&
		    p->protocol == protocol && same_end(&p->src, src) &&
		    same_end(&p->dst, dst) && (!bytes || p->bytes == bytes)) {
			p->used = !take;
			return p;
		}
	}
	return NULL;
}

static void say_match(struct strbuf *note, const struct pending *p,
		      const struct syscall_record *r, const char *what)
{
	__u64 ago = r->hdr.ts_ns > p->ts_ns ? r->hdr.ts_ns - p->ts_ns : 0;

	/* "sent by udp_chat_client (pid 1234), 0.087 ms earlier" */
	if (note->len)
		sb_add(note, "; ");
	sb_add(note, what);
	sb_add(note, " by ");
	sb_add(note, p->comm);
	sb_add(note, " (pid ");
	sb_addu(note, p->pid);
	sb_add(note, "), ");
	format_ms(note, ago);
	sb_add(note, " ms earlier");
}

/*
 * The bytes of a stream are taken from the sends in order: a receive may
 * take part of one send, or several; it names the first. A send is
 * remembered until all its bytes were received.
 */
static void take_stream(struct conversations *c, int protocol,
			const struct endpoint *src, const struct endpoint *dst,
			const struct syscall_record *r, struct strbuf *note)
{
	__u64 left = r->ret;
	struct pending *p;
	bool named = false;

	while (left && (p = find(c, protocol, src, dst, false, 0, false))) {
		if (!named)
			say_match(note, p, r, "sent");
		named = true;
		if (p->bytes > left) {
			p->bytes -= left;
			break;
		}
		left -= p->bytes;
		p->used = false;
	}
}

/* What a call on the socket si is in a conversation, and its two ends
 * (from, to). A send or receive moved bytes; connect() returned 0. */
enum role { NONE, SENDS, RECEIVES, CONNECTS, ACCEPTS };

static enum role roles(const struct syscall_record *r,
		       const struct sock_info *si, struct endpoint *src,
		       struct endpoint *dst)
{
	bool accepts = r->call == CALL_ACCEPT || r->call == CALL_ACCEPT4;
	enum role role = NONE;

	if (!si->valid || (si->family != AF_INET && si->family != AF_INET6))
		return NONE;
	/* A batch of messages is not paired message by message. */
	if (r->call == CALL_SENDMMSG || r->call == CALL_RECVMMSG)
		return NONE;
	if (r->ret > 0 && call_sends(r))
		role = SENDS;
	else if (r->ret > 0 && call_receives(r))
		role = RECEIVES;
	else if (r->call == CALL_CONNECT && r->ret == 0)
		role = CONNECTS;
	else if (accepts && r->ret >= 0)
		role = ACCEPTS;
	/* The local end is the sender's, or the receiver's. */
	if (role == SENDS || role == CONNECTS) {
		local_end(si, src);
		if (role == CONNECTS || !addr_end(r, dst))
			peer_end(si, dst);
	} else if (role != NONE) {
		local_end(si, dst);
		if (role == ACCEPTS || !addr_end(r, src))
			peer_end(si, src);
	}
	return role;
}

static bool taken_early(struct conversations *c,
			const struct syscall_record *r)
{
	for (unsigned int i = 0; i < c->nearly; i++) {
		if (c->early[i].tid == r->hdr.tid &&
		    c->early[i].ts_ns == r->hdr.ts_ns) {
			c->early[i] = c->early[--c->nearly];
			return true;
		}
	}
	return false;
}

void conversations_note(struct conversations *c,
			const struct syscall_record *r,
			const struct sock_entry *e, struct strbuf *note)
{
	struct endpoint src, dst;
	struct pending *p;

	if (!e || !e->info_valid)
		return;
	switch (roles(r, &e->info, &src, &dst)) {
	case SENDS:
	case CONNECTS:
		if (!taken_early(c, r))
			remember(c, r, e->protocol, &src, &dst,
				 r->call == CALL_CONNECT, r->hdr.ts_ns);
		break;
	case RECEIVES:
		if (e->type == SOCK_DGRAM) {
			p = find(c, e->protocol, &src, &dst, false, r->ret,
				 true);
			if (p)
				say_match(note, p, r, "sent");
		} else {
			take_stream(c, e->protocol, &src, &dst, r, note);
		}
		break;
	case ACCEPTS:
		p = find(c, e->protocol, &src, &dst, true, 0, true);
		if (p)
			say_match(note, p, r, "the connect() made");
		break;
	case NONE:
		break;
	}
}

/* A local address: the other end may be a traced process of this host. */
static bool is_local(const struct endpoint *a, const struct endpoint *b)
{
	static const __u8 mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (!memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16))
		return true;
	if (a->family == AF_INET)
		return a->addr[0] == 127;
	return (!memcmp(a->addr, mapped, 12) && a->addr[12] == 127) ||
	       (a->addr[15] == 1 && !memcmp(a->addr, (__u8[15]){ 0 }, 15));
}

bool conversations_awaits(struct conversations *c, struct socktable *t,
			  const struct syscall_record *r)
{
	struct endpoint src, dst;
	enum role role = roles(r, &r->sock, &src, &dst);

	if (role != RECEIVES && role != ACCEPTS)
		return false;
	if (find(c, r->sock.protocol, &src, &dst, role == ACCEPTS,
		 role == RECEIVES && r->sock.type == SOCK_DGRAM ?
		 (__u64)r->ret : 0, false))
		return false;
	/* Its sender's socket holds the port, or is yet to get one (a
	 * connect() or first sendto() binds it). */
	return is_local(&src, &dst) &&
	       (socktable_port_holder(t, NULL, r->sock.protocol, src.port) ||
		socktable_port_holder(t, NULL, r->sock.protocol, 0));
}

bool conversations_answers(struct conversations *c,
			   const struct syscall_record *r,
			   const struct syscall_record *later)
{
	struct endpoint src, dst, lsrc, ldst;
	enum role role = roles(r, &r->sock, &src, &dst);
	enum role want = role == RECEIVES ? SENDS : CONNECTS;
	int protocol = r->sock.protocol;

	/* What arrived was sent during the later call, so it began first. */
	if (later->hdr.kind != EVENT_SYSCALL || later->enter_ns > r->hdr.ts_ns ||
	    roles(later, &later->sock, &lsrc, &ldst) != want ||
	    later->sock.protocol != protocol || !same_end(&lsrc, &src) ||
	    !same_end(&ldst, &dst) ||
	    (role == RECEIVES && r->sock.type == SOCK_DGRAM &&
	     later->ret != r->ret) || c->nearly == EARLY)
		return false;
	/* Sent when the call began: its end came after the receive's. */
	remember(c, later, protocol, &lsrc, &ldst, want == CONNECTS,
		 later->enter_ns);
	c->early[c->nearly].tid = later->hdr.tid;
	c->early[c->nearly++].ts_ns = later->hdr.ts_ns;
	return true;
}
