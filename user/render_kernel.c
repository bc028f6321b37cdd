// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Kernel events (TCP states, retransmits, resets, drops) as text and JSON. */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

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

static const char *state_or_number(struct strbuf *tmp, int state)
{
	const char *name = tcp_state_name(state);

	if (name)
		return name;
	sb_reset(tmp);
	sb_addf(tmp, "%d", state);
	return tmp->buf;
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
	sb_addf(sb, "[%u %s] ", o->pid, name);
}

static void text_what(struct strbuf *sb, const struct kernel_record *k,
		      __u64 ns_in_old)
{
	const char *old = tcp_state_name(k->old_state);
	const char *new = tcp_state_name(k->new_state);
	const char *name;

	switch (k->hdr.kind) {
	case EVENT_TCP_STATE:
		sb_addf(sb, "%s -> %s", old ? old : "?", new ? new : "?");
		if (ns_in_old)
			sb_addf(sb, " after %.3f ms in %s", ns_in_old / 1e6,
				old ? old : "?");
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
		name = errno_name(-k->detail);
		if (name)
			sb_addf(sb, "datagram dropped (%s)", name);
		else
			sb_addf(sb, "datagram dropped (error %d)", k->detail);
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
	sb_addf(sb, "%s ", k->hdr.kind == EVENT_UDP_DROP ? "udp" :
		k->hdr.kind >= EVENT_RCVQUEUE_FULL ?
		sock_kind(si->family, si->type, si->protocol) : "tcp");
	/* Before connect() picks it, the local port is 0: leave it out. */
	if (si->sport)
		format_endpoint(sb, si->family, si->saddr, si->sport);
	if (si->dport) {
		sb_add(sb, si->sport ? " -> " : "-> ");
		format_endpoint(sb, si->family, si->daddr, si->dport);
	}
	if (o->fd >= 0)
		sb_addf(sb, " (fd %d)", o->fd);
	sb_add(sb, ": ");
	text_what(sb, k, ns_in_old);
	sb_addc(sb, '\n');
}

static void json_ip(struct strbuf *sb, const char *key, int family,
		    const __u8 *addr)
{
	char ip[INET6_ADDRSTRLEN] = "";

	if (family == AF_INET || family == AF_INET6)
		inet_ntop(family, addr, ip, sizeof(ip));
	sb_addf(sb, ",\"%s\":\"%s\"", key, ip);
}

void render_kernel_json(struct strbuf *sb, const struct kernel_record *k,
			const struct event_owner *o, __u64 ns_in_old,
			const char *note)
{
	const struct sock_info *si = &k->sock;
	const char *family = family_name(si->family);
	struct strbuf tmp;

	sb_addf(sb, "{\"kind\":\"%s\",\"ts_ns\":%llu,\"pid\":%u,\"tid\":%u,\"comm\":",
		json_kinds[k->hdr.kind], (unsigned long long)k->hdr.ts_ns,
		o->pid, o->pid == k->hdr.pid ? k->hdr.tid : o->pid);
	format_json_string(sb, o->comm ? o->comm : "",
			   o->comm ? strlen(o->comm) : 0);
	if (o->fd >= 0)
		sb_addf(sb, ",\"fd\":%d", o->fd);
	if (family)
		sb_addf(sb, ",\"family\":\"%s\"", family);
	else
		sb_addf(sb, ",\"family\":%u", si->family);
	json_ip(sb, "saddr", si->family, si->saddr);
	sb_addf(sb, ",\"sport\":%u", si->sport);
	json_ip(sb, "daddr", si->family, si->daddr);
	sb_addf(sb, ",\"dport\":%u", si->dport);
	sb_init(&tmp);
	switch (k->hdr.kind) {
	case EVENT_TCP_STATE:
		sb_addf(sb, ",\"old\":\"%s\"",
			state_or_number(&tmp, k->old_state));
		sb_addf(sb, ",\"new\":\"%s\"",
			state_or_number(&tmp, k->new_state));
		if (ns_in_old)
			sb_addf(sb, ",\"ms_in_old\":%.3f", ns_in_old / 1e6);
		break;
	case EVENT_TCP_RETRANSMIT:
		sb_addf(sb, ",\"state\":\"%s\"",
			state_or_number(&tmp, si->state));
		break;
	case EVENT_TCP_SEND_RESET:
	case EVENT_TCP_RECEIVE_RESET:
		sb_addf(sb, ",\"direction\":\"%s\"",
			k->hdr.kind == EVENT_TCP_SEND_RESET ? "sent" :
			"received");
		break;
	case EVENT_UDP_DROP:
		sb_addf(sb, ",\"error\":%d", k->detail);
		break;
	}
	sb_free(&tmp);
	if (note && *note) {
		sb_add(sb, ",\"note\":");
		format_json_string(sb, note, strlen(note));
	}
	sb_add(sb, "}\n");
}
