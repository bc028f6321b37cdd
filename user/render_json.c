// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Turning syscall records into JSON lines, as DESIGN.md's contract says. */
#include <string.h>

#include "calls.h"
#include "format.h"
#include "names.h"
#include "render.h"
#include "render_wait.h"

/* A string that needs no escaping (a name from our tables), quoted. */
static void json_quoted(struct strbuf *sb, const char *s)
{
	sb_addc(sb, '"');
	sb_add(sb, s);
	sb_addc(sb, '"');
}

static void json_key(struct strbuf *sb, const char *key)
{
	render_json_key(sb, key);
}

/* A symbolic name as a string, or the number when it has none. */
static void json_name_or_number(struct strbuf *sb, const char *name,
				long long value)
{
	if (name)
		json_quoted(sb, name);
	else
		sb_addi(sb, value);
}

static void json_header(struct strbuf *sb, const struct event_header *hdr,
			const char *kind)
{
	sb_add(sb, "{\"kind\":");
	json_quoted(sb, kind);
	sb_add(sb, ",\"ts_ns\":");
	sb_addu(sb, hdr->ts_ns);
	sb_add(sb, ",\"pid\":");
	sb_addu(sb, hdr->pid);
	sb_add(sb, ",\"tid\":");
	sb_addu(sb, hdr->tid);
	json_key(sb, "comm");
	format_json_string(sb, hdr->comm, strnlen(hdr->comm,
						  sizeof(hdr->comm)));
}

static void json_addr(struct strbuf *sb, const struct syscall_record *r,
		      const struct render_opts *ro)
{
	if (r->have & HAVE_ADDR)
		format_sockaddr_json_cached(sb, ro->json_addrs, r->addr,
					    r->addr_captured, r->addr_len);
	else
		sb_add(sb, "null");
}

static void json_bytes(struct strbuf *sb, const __u8 *p, size_t n,
		       __u64 total);

/* readv/writev: "iov": [{"len":N, "data":{...} with --payload}, ...],
 * the iovecs the record keeps (the first IOV_KEPT of iovcnt). */
static void json_iov(struct strbuf *sb, const struct syscall_record *r)
{
	int kept = record_iov_count(r);
	struct iov_part part;

	if (kept < 0)
		return;
	json_key(sb, "iov");
	sb_addc(sb, '[');
	for (int i = 0; i < kept; i++) {
		record_iov(r, i, &part);
		sb_add(sb, i ? ",{\"len\":" : "{\"len\":");
		sb_addu(sb, part.len);
		if (part.has_data)
			json_bytes(sb, part.data, part.shown, part.total);
		sb_addc(sb, '}');
	}
	sb_addc(sb, ']');
}

/* recvmmsg's timeout: {"tv_sec":N,"tv_nsec":N}, or null. */
static void json_timeout(struct strbuf *sb, const struct syscall_record *r)
{
	if (r->have & HAVE_TIMEOUT)
		json_time_struct(sb, r->addr, false);
	else
		sb_add(sb, "null");
}

/*
 * "msgs": [{"addr":..., "len": sum of its iov lengths, "iovlen":N, and
 * for the messages the call handled "msg_len": bytes sent or received,
 * recvmmsg's "msg_flags"}], the first MMSG_KEPT of vlen.
 */
static void json_mmsgvec(struct strbuf *sb, const struct syscall_record *r)
{
	int n = record_mmsg_count(r);
	struct mmsg_entry m;

	if (n < 0)
		return;
	json_key(sb, "msgs");
	sb_addc(sb, '[');
	for (int i = 0; i < n; i++) {
		record_mmsg(r, i, &m);
		sb_add(sb, i ? ",{\"addr\":" : "{\"addr\":");
		if (m.has_name && m.name_captured)
			format_sockaddr_json(sb, m.name, m.name_captured,
					     m.namelen);
		else
			sb_add(sb, "null");
		if (m.iov_ok) {
			json_key(sb, "len");
			sb_addu(sb, m.iov_len);
		}
		json_key(sb, "iovlen");
		sb_addu(sb, m.iovlen);
		if (i < r->ret) {
			json_key(sb, "msg_len");
			sb_addu(sb, m.len);
		}
		if (r->call == CALL_RECVMMSG && i < r->ret) {
			json_key(sb, "msg_flags");
			format_flags_json(sb, msg_flag_names, m.flags);
		}
		sb_addc(sb, '}');
	}
	sb_addc(sb, ']');
}

/* An offset passed by pointer, its value at entry: a number, or null
 * (no pointer, or one that could not be read). */
static void json_offset(struct strbuf *sb, const struct syscall_record *r,
			const char *key, __u16 bit)
{
	__s64 v;

	json_key(sb, key);
	if (!(r->have & bit)) {
		sb_add(sb, "null");
		return;
	}
	memcpy(&v, r->addr + (bit == HAVE_OFF_IN ? 0 : 8), sizeof(v));
	sb_addi(sb, v);
}

static void json_arg(struct strbuf *sb, const struct syscall_record *r,
		     const struct call_arg *a, const struct render_opts *ro)
{
	__u64 v = a->index < 6 ? r->args[a->index] : 0;
	int family = (int)r->args[0];

	switch (a->kind) {
	case ARG_FD:
		json_key(sb, "fd");
		sb_addi(sb, (int)v);
		break;
	case ARG_FAMILY:
		json_key(sb, "family");
		json_name_or_number(sb, family_name((int)v), (int)v);
		break;
	case ARG_SOCKTYPE:
		/* Two members: "type" and "flags". */
		if (render_json_needs_comma(sb))
			sb_addc(sb, ',');
		format_socktype_json(sb, (int)v);
		break;
	case ARG_PROTOCOL:
		json_key(sb, "protocol");
		format_protocol_json(sb, family, (int)v);
		break;
	case ARG_FDPAIR:
		if ((r->have & HAVE_AUX0) && (r->have & HAVE_AUX1)) {
			json_key(sb, "fds");
			sb_addc(sb, '[');
			sb_addi(sb, r->aux0);
			sb_addc(sb, ',');
			sb_addi(sb, r->aux1);
			sb_addc(sb, ']');
		}
		break;
	case ARG_ADDR:
		json_key(sb, "addr");
		json_addr(sb, r, ro);
		break;
	case ARG_ADDRLEN:
		json_key(sb, "addrlen");
		sb_addi(sb, (int)v);
		break;
	case ARG_BACKLOG:
		json_key(sb, "backlog");
		sb_addi(sb, (int)v);
		break;
	case ARG_ACCEPT_FLAGS:
		json_key(sb, "flags");
		format_flags_json(sb, sock_flag_names,
				  a->index == ARG_NONE ? 0 : (unsigned int)v);
		break;
	case ARG_LEN:
		json_key(sb, "len");
		sb_addu(sb, v);
		break;
	case ARG_MSG_LEN:
		/* Absent when the msghdr could not be read. */
		if (r->have & HAVE_MSG) {
			json_key(sb, "len");
			sb_addu(sb, r->msg_len);
		}
		break;
	case ARG_MSG_FLAGS:
		json_key(sb, "flags");
		format_flags_json(sb, msg_flag_names, (unsigned int)v);
		break;
	case ARG_HOW:
		json_key(sb, "how");
		json_name_or_number(sb, shut_name((int)v), (int)v);
		break;
	case ARG_LEVEL:
		json_key(sb, "level");
		json_name_or_number(sb, sol_name((int)v), (int)v);
		break;
	case ARG_OPTNAME:
		json_key(sb, "optname");
		json_name_or_number(sb, r->call == CALL_GETSOCKOPT ?
				    getsockopt_name((int)r->args[1], (int)v) :
				    sockopt_name((int)r->args[1], (int)v),
				    (int)v);
		break;
	case ARG_IN_FD:
	case ARG_OUT_FD:
		json_key(sb, a->kind == ARG_IN_FD ? "in_fd" : "out_fd");
		sb_addi(sb, (int)v);
		break;
	case ARG_IOVCNT:
		json_key(sb, "iovcnt");
		sb_addi(sb, (int)v);
		json_iov(sb, r);
		break;
	case ARG_OFFSET:
	case ARG_OFF_IN:
	case ARG_OFF_OUT:
		json_offset(sb, r, a->kind == ARG_OFFSET ? "offset" :
			    a->kind == ARG_OFF_IN ? "off_in" : "off_out",
			    a->kind == ARG_OFF_OUT ? HAVE_OFF_OUT : HAVE_OFF_IN);
		break;
	case ARG_SPLICE_FLAGS:
		json_key(sb, "flags");
		format_flags_json(sb, splice_flag_names, (unsigned int)v);
		break;
	case ARG_VLEN:
		json_key(sb, "vlen");
		sb_addu(sb, (unsigned int)v);
		break;
	case ARG_TIMEOUT:
		json_key(sb, "timeout");
		json_timeout(sb, r);
		break;
	case ARG_MMSGVEC:
		json_mmsgvec(sb, r);
		break;
	case ARG_OPTVAL:
		if ((r->have & HAVE_AUX0) &&
		    sockopt_value_is_int((int)r->args[1], (int)r->args[2])) {
			json_key(sb, "value");
			sb_addi(sb, r->aux0);
		}
		break;
	default:
		/* The waits' kinds (and those JSON leaves out): asked
		 * about only now, not before each argument. */
		json_wait_arg(sb, r, a);
		break;
	}
}

/* "data": {"hex":..., "text":... (valid UTF-8), "truncated":...}. */
static void json_bytes(struct strbuf *sb, const __u8 *p, size_t n,
		       __u64 total)
{
	json_key(sb, "data");
	sb_add(sb, "{\"hex\":\"");
	format_hex(sb, p, n);
	sb_addc(sb, '"');
	if (is_valid_utf8(p, n)) {
		json_key(sb, "text");
		format_json_string(sb, p, n);
	}
	json_key(sb, "truncated");
	sb_add(sb, n < total ? "true}" : "false}");
}

static void json_data(struct strbuf *sb, const struct syscall_record *r)
{
	json_bytes(sb, record_payload(r), r->payload_len,
		   record_payload_total(r));
}

void render_syscall_json(struct strbuf *sb, const struct syscall_record *r,
			 const struct render_opts *ro, const char *note)
{
	const struct call_desc *d = call_desc(r->call);
	bool failed = r->ret < 0 && r->ret >= -4095;
	const char *err;

	json_header(sb, &r->hdr, "syscall");
	sb_add(sb, ",\"name\":");
	json_quoted(sb, d->name);
	sb_add(sb, ",\"ret\":");
	sb_addi(sb, failed ? -1LL : (long long)r->ret);
	if (failed) {
		err = errno_name((int)-r->ret);
		json_key(sb, "errno");
		json_name_or_number(sb, err, -r->ret);
	}
	if (ro->duration) {
		sb_add(sb, ",\"duration_ns\":");
		sb_addu(sb, r->hdr.ts_ns - r->enter_ns);
	}
	json_key(sb, "args");
	sb_addc(sb, '{');
	/* A call that began before tracing: its arguments are unknown. */
	for (int i = 0; !(r->have & RESUMED) && d->json[i].kind != ARG_END;
	     i++)
		json_arg(sb, r, &d->json[i], ro);
	sb_addc(sb, '}');
	if (r->have & RESUMED)
		sb_add(sb, ",\"resumed\":true");
	if (r->extra & EXTRA_BEGAN_BEFORE)
		sb_add(sb, ",\"began_before_tracing\":true");
	/* readv/writev: their bytes are in "iov". */
	if ((r->have & HAVE_PAYLOAD) && !(r->have & (HAVE_IOV | HAVE_MMSG)) &&
	    !d->wait)
		json_data(sb, r);
	if (note && *note) {
		json_key(sb, "note");
		format_json_string(sb, note, strlen(note));
	}
	sb_add(sb, "}\n");
}

void render_lost_json(struct strbuf *sb, unsigned long long count,
		      __u64 ts_ns)
{
	sb_add(sb, "{\"kind\":\"lost\",\"ts_ns\":");
	sb_addu(sb, ts_ns);
	sb_add(sb, ",\"pid\":0,\"tid\":0,\"comm\":\"\",\"count\":");
	sb_addu(sb, count);
	sb_add(sb, "}\n");
}
