// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Kernel events (TCP states, retransmits, resets, drops) as text and JSON. */
#include <string.h>

#include "explain.h"
#include "format.h"
#include "names.h"
#include "render.h"

static const char *const json_kinds[EVENT_KIND_MAX] = {
	[EVENT_TCP_STATE] = "tcp_state",
	[EVENT_TCP_RETRANSMIT] = "tcp_retransmit",
	[EVENT_TCP_SEND_RESET] = "tcp_reset",
	[EVENT_TCP_RECEIVE_RESET] = "tcp_reset",
	[EVENT_UDP_DROP] = "udp_drop",
	[EVENT_RCVQUEUE_FULL] = "rcvqueue_full",
	[EVENT_BUF_LIMIT] = "buf_limit",
};

/* ,"key": -- a member after the first, its value to follow. */
static void json_member(struct strbuf *sb, const char *key)
{
	sb_add(sb, ",\"");
	sb_add(sb, key);
	sb_add(sb, "\":");
}

/* ,"key":"ESTABLISHED" -- or the number, as a string too: ,"key":"42". */
static void json_state(struct strbuf *sb, const char *key, int state)
{
	const char *name = tcp_state_name(state);

	json_member(sb, key);
	sb_addc(sb, '"');
	if (name)
		sb_add(sb, name);
	else
		sb_addi(sb, state);
	sb_addc(sb, '"');
}

static void text_owner(struct strbuf *sb, const struct event_owner *o)
{
	char name[SOCKSCOPE_COMM_LEN + 1];

	if (!o->pid) {
		sb_add(sb, "[kernel] ");
		return;
	}
	/* A process's own name: no control characters. */
	format_printable_name(name, o->comm && *o->comm ? o->comm : "?",
			      SOCKSCOPE_COMM_LEN);
	sb_addc(sb, '[');
	sb_addu(sb, o->pid);
	sb_addc(sb, ' ');
	sb_add(sb, name);
	sb_add(sb, "] ");
}

static void text_what(struct strbuf *sb, const struct kernel_record *k,
		      __u64 ns_in_old)
{
	const char *old = tcp_state_name(k->old_state);
	const char *new = tcp_state_name(k->new_state);
	const char *name;

	switch (k->hdr.kind) {
	case EVENT_TCP_STATE:
		sb_add(sb, old ? old : "?");
		sb_add(sb, " -> ");
		sb_add(sb, new ? new : "?");
		if (ns_in_old) {
			sb_add(sb, " after ");
			format_ms(sb, ns_in_old);
			sb_add(sb, " ms in ");
			sb_add(sb, old ? old : "?");
		}
		break;
	case EVENT_TCP_RETRANSMIT:
		sb_add(sb, "retransmit");
		break;
	case EVENT_TCP_SEND_RESET:
		sb_add(sb, "reset sent");
		break;
	case EVENT_TCP_RECEIVE_RESET:
		sb_add(sb, "reset received");
		break;
	case EVENT_UDP_DROP:
		/* The kernel's -errno; anything else (a record's bytes may
		 * be anything: INT_MIN cannot be negated) has no name. */
		name = k->detail < 0 && k->detail > -4096 ?
		       errno_name(-k->detail) : NULL;
		sb_add(sb, "datagram dropped (");
		if (name) {
			sb_add(sb, name);
		} else {
			sb_add(sb, "error ");
			sb_addi(sb, k->detail);
		}
		sb_addc(sb, ')');
		break;
	case EVENT_RCVQUEUE_FULL:
		sb_add(sb, "receive queue full, packet dropped");
		break;
	case EVENT_BUF_LIMIT:
		sb_add(sb, "memory limit reached");
		break;
	}
}

void render_kernel_text(struct strbuf *sb, const struct kernel_record *k,
			const struct event_owner *o, __u64 ns_in_old,
			const struct render_opts *ro)
{
	const struct sock_info *si = &k->sock;

	render_time(sb, k->hdr.ts_ns, ro);
	text_owner(sb, o);
	sb_add(sb, k->hdr.kind == EVENT_UDP_DROP ? "udp" :
	       k->hdr.kind >= EVENT_RCVQUEUE_FULL ?
	       sock_kind(si->family, si->type, si->protocol) : "tcp");
	sb_addc(sb, ' ');
	/* Before connect() picks it, the local port is 0: leave it out. */
	if (si->sport)
		format_endpoint(sb, si->family, si->saddr, si->sport);
	if (si->dport) {
		sb_add(sb, si->sport ? " -> " : "-> ");
		format_endpoint(sb, si->family, si->daddr, si->dport);
	}
	if (o->fd >= 0) {
		sb_add(sb, " (fd ");
		sb_addi(sb, o->fd);
		sb_addc(sb, ')');
	}
	sb_add(sb, ": ");
	text_what(sb, k, ns_in_old);
	sb_addc(sb, '\n');
}

/* ,"key":"127.0.0.1" -- "" when the family has no IP address. */
static void json_ip(struct strbuf *sb, const char *key, int family,
		    const __u8 *addr)
{
	json_member(sb, key);
	sb_addc(sb, '"');
	format_ip(sb, family, addr);
	sb_addc(sb, '"');
}

/* ,"key":80 */
static void json_uint(struct strbuf *sb, const char *key, unsigned int v)
{
	json_member(sb, key);
	sb_addu(sb, v);
}

void render_kernel_json(struct strbuf *sb, const struct kernel_record *k,
			const struct event_owner *o, __u64 ns_in_old,
			const char *note)
{
	const struct sock_info *si = &k->sock;
	const char *family = family_name(si->family);

	sb_add(sb, "{\"kind\":\"");
	sb_add(sb, json_kinds[k->hdr.kind]);
	sb_add(sb, "\",\"ts_ns\":");
	sb_addu(sb, k->hdr.ts_ns);
	json_uint(sb, "pid", o->pid);
	json_uint(sb, "tid", o->pid == k->hdr.pid ? k->hdr.tid : o->pid);
	json_member(sb, "comm");
	format_json_string(sb, o->comm ? o->comm : "",
			   o->comm ? strlen(o->comm) : 0);
	if (o->fd >= 0) {
		json_member(sb, "fd");
		sb_addi(sb, o->fd);
	}
	if (family) {
		json_member(sb, "family");
		sb_addc(sb, '"');
		sb_add(sb, family);
		sb_addc(sb, '"');
	} else {
		json_uint(sb, "family", si->family);
	}
	json_ip(sb, "saddr", si->family, si->saddr);
	json_uint(sb, "sport", si->sport);
	json_ip(sb, "daddr", si->family, si->daddr);
	json_uint(sb, "dport", si->dport);
	switch (k->hdr.kind) {
	case EVENT_TCP_STATE:
		json_state(sb, "old", k->old_state);
		json_state(sb, "new", k->new_state);
		if (ns_in_old) {
			json_member(sb, "ms_in_old");
			format_ms(sb, ns_in_old);
		}
		break;
	case EVENT_TCP_RETRANSMIT:
		json_state(sb, "state", si->state);
		break;
	case EVENT_TCP_SEND_RESET:
	case EVENT_TCP_RECEIVE_RESET:
		sb_add(sb, k->hdr.kind == EVENT_TCP_SEND_RESET ?
		       ",\"direction\":\"sent\"" :
		       ",\"direction\":\"received\"");
		break;
	case EVENT_UDP_DROP:
		json_member(sb, "error");
		sb_addi(sb, k->detail);
		break;
	}
	if (note && *note) {
		sb_add(sb, ",\"note\":");
		format_json_string(sb, note, strlen(note));
	}
	sb_add(sb, "}\n");
}
