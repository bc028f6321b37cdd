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
	char comm[SOCKSCOPE_COMM_LEN];
};

/*
 * A ring of slots: calls first..next-1 (counters, taken modulo SLOTS) may
 * be waiting, oldest first; next - first <= SLOTS. Slots before first are
 * all taken, so a search starts there and not at the oldest slot.
 */
struct conversations {
	struct pending slot[SLOTS];
	unsigned int first, next;
};

struct conversations *conversations_new(void)
{
	return calloc(1, sizeof(struct conversations));
}

void conversations_free(struct conversations *c)
{
	free(c);
}

static void local_end(const struct sock_entry *e, struct endpoint *ep)
{
	ep->family = e->info.family;
	ep->port = e->info.sport;
	memcpy(ep->addr, e->info.saddr, sizeof(ep->addr));
}

static void peer_end(const struct sock_entry *e, struct endpoint *ep)
{
	ep->family = e->info.family;
	ep->port = e->info.dport;
	memcpy(ep->addr, e->info.daddr, sizeof(ep->addr));
}

/* An endpoint from a sockaddr captured in the record (sendto's
 * destination, recvfrom's source). */
static bool addr_end(const struct syscall_record *r, struct endpoint *ep)
{
	const __u8 *a = r->addr;

	if (!(r->have & HAVE_ADDR) || r->addr_captured < 8)
		return false;
	memset(ep, 0, sizeof(*ep));
	ep->family = a[0] | a[1] << 8;
	ep->port = a[2] << 8 | a[3];
	if (ep->family == AF_INET) {
		memcpy(ep->addr, a + 4, 4);
		return true;
	}
	if (ep->family == AF_INET6 && r->addr_captured >= 24) {
		memcpy(ep->addr, a + 8, 16);
		return true;
	}
	return false;
}

/* 0.0.0.0 or :: matches any address: an unbound sender's local address
 * is only known once routed. */
static bool same_end(const struct endpoint *a, const struct endpoint *b)
{
	static const __u8 any[16];
	size_t n = a->family == AF_INET ? 4 : 16;

	if (a->family != b->family || a->port != b->port)
		return false;
	return !memcmp(a->addr, b->addr, n) || !memcmp(a->addr, any, n) ||
	       !memcmp(b->addr, any, n);
}

static void remember(struct conversations *c, const struct syscall_record *r,
		     const struct sock_entry *e, const struct endpoint *src,
		     const struct endpoint *dst, bool is_connect)
{
	struct pending *p;

	if (c->next - c->first == SLOTS)
		c->first++;		/* the oldest is overwritten */
	p = &c->slot[c->next++ % SLOTS];
	memset(p, 0, sizeof(*p));
	p->used = true;
	p->is_connect = is_connect;
	p->protocol = e->protocol;
	p->src = *src;
	p->dst = *dst;
	p->bytes = r->ret > 0 ? r->ret : 0;
	p->ts_ns = r->hdr.ts_ns;
	p->pid = r->hdr.pid;
	format_printable_name(p->comm, r->hdr.comm, sizeof(p->comm) - 1);
}

/*
 * The oldest remembered call from src to dst, taken off the list. A
 * datagram arrives whole, so its size must match too (bytes 0: any); a
 * stream may split or merge what was sent.
 */
static struct pending *take(struct conversations *c, int protocol,
			    const struct endpoint *src,
			    const struct endpoint *dst, bool is_connect,
			    __u64 bytes)
{
	while (c->first != c->next && !c->slot[c->first % SLOTS].used)
		c->first++;
	for (unsigned int i = c->first; i != c->next; i++) {
		struct pending *p = &c->slot[i % SLOTS];

		if (p->used && p->is_connect == is_connect &&
		    p->protocol == protocol && same_end(&p->src, src) &&
		    same_end(&p->dst, dst) && (!bytes || p->bytes == bytes)) {
			p->used = false;
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

void conversations_note(struct conversations *c,
			const struct syscall_record *r,
			const struct sock_entry *e, struct strbuf *note)
{
	struct endpoint src, dst;
	struct pending *p;

	if (r->ret < 0 || !e || !e->info_valid ||
	    (e->info.family != AF_INET && e->info.family != AF_INET6))
		return;
	/* A batch of messages is not paired message by message. */
	if (r->call == CALL_SENDMMSG || r->call == CALL_RECVMMSG)
		return;
	switch (call_sends(r) ? CALL_SENDTO : call_receives(r) ?
		CALL_RECVFROM : r->call) {
	case CALL_SENDTO:
		if (r->ret == 0)
			return;
		local_end(e, &src);
		if (!addr_end(r, &dst))
			peer_end(e, &dst);
		remember(c, r, e, &src, &dst, false);
		break;
	case CALL_RECVFROM:
		if (r->ret == 0)
			return;
		local_end(e, &dst);
		if (!addr_end(r, &src))
			peer_end(e, &src);
		p = take(c, e->protocol, &src, &dst, false,
			 e->type == SOCK_DGRAM ? (__u64)r->ret : 0);
		if (p)
			say_match(note, p, r, "sent");
		break;
	case CALL_CONNECT:
		local_end(e, &src);
		peer_end(e, &dst);
		remember(c, r, e, &src, &dst, true);
		break;
	case CALL_ACCEPT:
	case CALL_ACCEPT4:
		peer_end(e, &src);
		local_end(e, &dst);
		p = take(c, e->protocol, &src, &dst, true, 0);
		if (p)
			say_match(note, p, r, "the connect() made");
		break;
	}
}
