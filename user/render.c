// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Turning syscall records into strace-like text lines. */
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "calls.h"
#include "explain.h"
#include "format.h"
#include "names.h"
#include "render.h"
#include "render_wait.h"

/* The socket timeouts with a struct timeval of the old layout (asm-generic
 * numbers, as user/names.c names them). */
#define SO_RCVTIMEO_OLD_NUM	20
#define SO_SNDTIMEO_OLD_NUM	21

__u64 record_payload_total(const struct syscall_record *r)
{
	switch (r->call) {
	case CALL_SENDTO:
	case CALL_WRITE:
		return r->args[2];
	case CALL_SENDMSG:
		if (r->have & HAVE_MSG)
			return r->msg_len;
		break;
	}
	return r->ret > 0 ? (__u64)r->ret : 0;
}

/* readv and writev carry a part of each iovec; sendmmsg and recvmmsg
 * a struct mmsg_entry for each message. */
static size_t record_payload_max(const struct syscall_record *r)
{
	if (r->call == CALL_READV || r->call == CALL_WRITEV)
		return PAYLOAD_IOV_MAX;
	if (r->call == CALL_SENDMMSG || r->call == CALL_RECVMMSG)
		return MMSG_KEPT * sizeof(struct mmsg_entry);
	if (call_desc(r->call) && call_desc(r->call)->wait)
		return WAIT_PAYLOAD;
	return PAYLOAD_MAX;
}

int record_mmsg_count(const struct syscall_record *r)
{
	/* A failed recvmmsg filled nothing in. */
	if (!(r->have & HAVE_MMSG) ||
	    r->payload_len % sizeof(struct mmsg_entry) ||
	    (r->call == CALL_RECVMMSG && r->ret < 0))
		return -1;
	return r->payload_len / sizeof(struct mmsg_entry);
}

void record_mmsg(const struct syscall_record *r, int i, struct mmsg_entry *m)
{
	memcpy(m, record_payload(r) + i * sizeof(*m), sizeof(*m));
	if (m->name_captured > sizeof(m->name))
		m->name_captured = sizeof(m->name);
}

unsigned long long record_mmsg_bytes(const struct syscall_record *r)
{
	int n = record_mmsg_count(r);
	unsigned long long sum = 0;
	struct mmsg_entry m;

	if (r->have & HAVE_MSG)
		return r->msg_len;
	for (int i = 0; i < n && i < r->ret; i++) {
		record_mmsg(r, i, &m);
		sum += m.len;
	}
	return sum;
}

int record_validate(const void *data, size_t size)
{
	const struct event_header *hdr = data;
	const struct syscall_record *r = data;

	/* The kernel's comm always ends in a NUL; every reader of it
	 * relies on that. */
	if (size < sizeof(*hdr) || hdr->size != size ||
	    !memchr(hdr->comm, '\0', sizeof(hdr->comm)))
		return -EINVAL;
	switch (hdr->kind) {
	case EVENT_SYSCALL:
		if (size < sizeof(*r) || !call_desc(r->call) ||
		    r->addr_captured > SOCKADDR_MAX ||
		    r->payload_len > record_payload_max(r) ||
		    size != sizeof(*r) + r->payload_len)
			return -EINVAL;
		return 0;
	default:
		/* 0 is no kind: kernel events start after EVENT_SYSCALL. */
		if (hdr->kind < EVENT_TCP_STATE || hdr->kind >= EVENT_KIND_MAX ||
		    size != sizeof(struct kernel_record))
			return -EINVAL;
		return 0;
	}
}

/* Seconds and microseconds of ns: "%llu.%06llu" ("12.000345"), at p,
 * which has SECONDS_ROOM bytes of room (sb_put_u_zpad takes 20). */
#define SECONDS_ROOM	(20 + 1 + 20)

static char *put_seconds(char *p, __u64 ns)
{
	p = sb_put_u(p, ns / 1000000000);
	*p++ = '.';
	return sb_put_u_zpad(p, ns % 1000000000 / 1000, 6);
}

static void render_seconds(struct strbuf *sb, __u64 ns)
{
	sb_commit_to(sb, put_seconds(sb_claim(sb, SECONDS_ROOM), ns));
}

/* The time since the trace's start and a space, at p (SECONDS_ROOM + 1
 * bytes of room): render_time's form without ro->wallclock. */
static char *put_trace_time(char *p, __u64 ts_ns, const struct render_opts *ro)
{
	p = put_seconds(p, ts_ns > ro->start_ns ? ts_ns - ro->start_ns : 0);
	*p++ = ' ';
	return p;
}

void render_time(struct strbuf *sb, __u64 ts_ns, const struct render_opts *ro)
{
	__u64 ns;
	time_t secs;
	struct tm tm;

	if (!ro->wallclock) {
		sb_commit_to(sb, put_trace_time(sb_claim(sb, SECONDS_ROOM + 1),
						ts_ns, ro));
		return;
	}
	ns = ts_ns + ro->realtime_offset_ns;
	secs = ns / 1000000000;
	localtime_r(&secs, &tm);
	/* "%02d:%02d:%02d.%06llu ": the fields of a struct tm are never
	 * negative. */
	sb_addu_zpad(sb, tm.tm_hour, 2);
	sb_addc(sb, ':');
	sb_addu_zpad(sb, tm.tm_min, 2);
	sb_addc(sb, ':');
	sb_addu_zpad(sb, tm.tm_sec, 2);
	sb_addc(sb, '.');
	sb_addu_zpad(sb, ns % 1000000000 / 1000, 6);
	sb_addc(sb, ' ');
}

/* "[1234 comm] ", or "[1234/1240 comm] " for a thread other than the
 * main one, at p, which has PREFIX_ROOM bytes of room. */
#define PREFIX_ROOM	(1 + 20 + 1 + 20 + 1 + SOCKSCOPE_COMM_LEN + 2)

static char *put_prefix(char *p, const struct event_header *hdr,
			const struct render_opts *ro)
{
	char own[SOCKSCOPE_COMM_LEN + 1];
	const char *name = own;
	size_t len;

	/* Any process can name itself anything: no control characters. */
	if (ro->names) {
		name = format_comm_cached(ro->names, hdr->comm);
		len = ro->names->len;
	} else {
		len = format_printable_name(own, hdr->comm, sizeof(hdr->comm));
	}
	*p++ = '[';
	p = sb_put_u(p, hdr->pid);
	if (hdr->pid != hdr->tid) {
		*p++ = '/';
		p = sb_put_u(p, hdr->tid);
	}
	*p++ = ' ';
	memcpy(p, name, len);
	p += len;
	*p++ = ']';
	*p++ = ' ';
	return p;
}

void render_pointer(struct strbuf *sb, __u64 ptr)
{
	if (ptr)
		sb_addhex(sb, ptr);
	else
		sb_add(sb, "NULL");
}

/*
 * The address, or, as strace shows one with fewer than 2 bytes (no room
 * for a family; a length negative as the kernel's int too), the pointer.
 */
static void render_addr(struct strbuf *sb, const struct syscall_record *r,
			__u64 ptr, const struct render_opts *ro)
{
	if ((r->have & HAVE_ADDR) && (__s32)r->addr_len >= 2)
		format_sockaddr_text_cached(sb, ro->addrs, r->addr,
					    r->addr_captured, r->addr_len);
	else
		render_pointer(sb, ptr);
}

/* strace's "[16]", or "[128 => 16]" when the kernel changed it. */
static void render_len_ptr(struct strbuf *sb, const struct syscall_record *r,
			   __u64 ptr)
{
	if (!ptr) {
		sb_add(sb, "NULL");
		return;
	}
	if (!(r->have & HAVE_AUX1)) {
		render_pointer(sb, ptr);
		return;
	}
	sb_addc(sb, '[');
	sb_addi(sb, r->aux1);
	if ((r->have & HAVE_ADDR_LEN) && r->addr_len != (__u32)r->aux1) {
		sb_add(sb, " => ");
		sb_addu(sb, r->addr_len);
	}
	sb_addc(sb, ']');
}

static void render_buf(struct strbuf *sb, const struct syscall_record *r,
		       __u64 total)
{
	if (!(r->have & HAVE_PAYLOAD)) {
		sb_add(sb, "...");
		return;
	}
	format_text_bytes(sb, record_payload(r), r->payload_len, true);
	if (r->payload_len < total)
		sb_add(sb, "...");
}

static void render_msghdr(struct strbuf *sb, const struct syscall_record *r,
			  __u64 ptr)
{
	if (!(r->have & HAVE_MSG)) {
		render_pointer(sb, ptr);
		return;
	}
	sb_add(sb, "{msg_name=");
	if (r->have & HAVE_ADDR)
		format_sockaddr_text(sb, r->addr, r->addr_captured,
				     r->addr_len);
	else
		sb_add(sb, "NULL");
	if (r->have & (HAVE_ADDR | HAVE_ADDR_LEN)) {
		sb_add(sb, ", msg_namelen=");
		sb_addu(sb, r->addr_len);
	}
	sb_add(sb, ", msg_iov=");
	render_buf(sb, r, record_payload_total(r));
	sb_add(sb, ", msg_iovlen=");
	sb_addu(sb, r->iov_count);
	sb_add(sb, ", msg_len=");
	sb_addu(sb, r->msg_len);
	if (r->call == CALL_RECVMSG && r->ret >= 0) {
		sb_add(sb, ", msg_flags=");
		format_flags_text(sb, msg_flag_names, r->msg_flags, "0");
	}
	sb_addc(sb, '}');
}

int record_iov_count(const struct syscall_record *r)
{
	if (!(r->have & HAVE_IOV))
		return -1;
	return r->addr_captured / sizeof(struct iovec);
}

void record_iov(const struct syscall_record *r, int i, struct iov_part *part)
{
	__u64 left = r->call == CALL_READV ? (__u64)r->ret : r->msg_len;
	__u32 off = 0, n;
	struct iovec v;

	memset(part, 0, sizeof(*part));
	for (int k = 0; k <= i; k++) {
		__u64 len;

		memcpy(&v, r->addr + k * sizeof(v), sizeof(v));
		len = v.iov_len < left ? v.iov_len : left;
		left -= len;
		n = off < r->payload_len ? r->payload_len - off : 0;
		if (n > (__u32)r->aux1)
			n = r->aux1;
		if (n > len)
			n = len;
		part->len = v.iov_len;
		part->ptr = (__u64)(uintptr_t)v.iov_base;
		part->data = record_payload(r) + off;
		part->shown = n;
		part->total = len;
		off += n;
	}
	part->has_data = r->ret >= 0 && (r->have & HAVE_PAYLOAD) &&
			 (r->have & HAVE_AUX1) && r->aux1 > 0;
}

/*
 * readv/writev's iovecs as strace shows them: each one's share of the
 * bytes ("..." when they are not shown), and "..." for iovecs beyond
 * those the record keeps.
 */
static void render_iov(struct strbuf *sb, const struct syscall_record *r,
		       __u64 ptr)
{
	int kept = record_iov_count(r);
	struct iov_part part;

	if (kept < 0) {
		render_pointer(sb, ptr);
		return;
	}
	sb_addc(sb, '[');
	for (int i = 0; i < kept; i++) {
		record_iov(r, i, &part);
		sb_add(sb, i ? ", {iov_base=" : "{iov_base=");
		if (part.has_data) {
			format_text_bytes(sb, part.data, part.shown, true);
			if (part.shown < part.total)
				sb_add(sb, "...");
		} else {
			sb_add(sb, "...");
		}
		sb_add(sb, ", iov_len=");
		sb_addu(sb, part.len);
		sb_addc(sb, '}');
	}
	if ((__u32)kept < r->iov_count)
		sb_add(sb, kept ? ", ..." : "...");
	sb_addc(sb, ']');
}

/* recvmmsg's timeout: "{tv_sec=1, tv_nsec=0}", NULL or the pointer. */
static void render_timeout(struct strbuf *sb, const struct syscall_record *r,
			   __u64 ptr)
{
	if (!ptr || !(r->have & HAVE_TIMEOUT))
		render_pointer(sb, ptr);
	else
		render_time_struct(sb, r->addr, false);
}

/*
 * sendmmsg/recvmmsg's messages, each as sendmsg's msghdr is shown, with
 * the msg_len the kernel set for the ones the call handled.
 */
static void render_mmsgvec(struct strbuf *sb, const struct syscall_record *r,
			   __u64 ptr)
{
	int n = record_mmsg_count(r);
	struct mmsg_entry m;

	if (n < 0) {
		render_pointer(sb, ptr);
		return;
	}
	sb_addc(sb, '[');
	for (int i = 0; i < n; i++) {
		record_mmsg(r, i, &m);
		sb_add(sb, i ? ", {msg_hdr={msg_name=" : "{msg_hdr={msg_name=");
		if (m.has_name && m.name_captured)
			format_sockaddr_text(sb, m.name, m.name_captured,
					     m.namelen);
		else
			sb_add(sb, m.has_name ? "..." : "NULL");
		sb_add(sb, ", msg_namelen=");
		sb_addu(sb, m.namelen);
		sb_add(sb, ", msg_iov=..., msg_iovlen=");
		sb_addu(sb, m.iovlen);
		if (m.iov_ok) {
			sb_add(sb, ", msg_len=");
			sb_addu(sb, m.iov_len);
		}
		if (r->call == CALL_RECVMMSG && i < r->ret) {
			sb_add(sb, ", msg_flags=");
			format_flags_text(sb, msg_flag_names, m.flags, "0");
		}
		sb_addc(sb, '}');
		if (i < r->ret) {
			sb_add(sb, ", msg_len=");
			sb_addu(sb, m.len);
		}
		sb_addc(sb, '}');
	}
	if ((__u64)n < r->args[2])
		sb_add(sb, n ? ", ..." : "...");
	sb_addc(sb, ']');
}

/* sendfile's offset: "[0] => [6]" (its value before, and after the call
 * moved it); splice's offsets, before only. */
static void render_offset(struct strbuf *sb, const struct syscall_record *r,
			  __u64 ptr, __u16 bit)
{
	__s64 v;

	if (!ptr || !(r->have & bit)) {
		render_pointer(sb, ptr);
		return;
	}
	memcpy(&v, r->addr + (bit == HAVE_OFF_IN ? 0 : 8), sizeof(v));
	sb_addc(sb, '[');
	sb_addi(sb, v);
	sb_addc(sb, ']');
	if (r->call == CALL_SENDFILE && (r->have & HAVE_OFF_OUT)) {
		memcpy(&v, r->addr + 8, sizeof(v));
		sb_add(sb, " => [");
		sb_addi(sb, v);
		sb_addc(sb, ']');
	}
}

/* "[3]": an int the kernel read or wrote. */
static void render_int_in_brackets(struct strbuf *sb, int v)
{
	sb_addc(sb, '[');
	sb_addi(sb, v);
	sb_addc(sb, ']');
}

/*
 * struct linger as strace shows it: the fields the length covers, and a
 * field cut short as its bytes in hex ("{l_onoff=1, l_linger=\"\x07\x00\"}").
 */
static void render_linger(struct strbuf *sb, const __u8 *b, __u32 len)
{
	static const char *const field[] = { "l_onoff=", "l_linger=" };
	static const char hex[] = "0123456789abcdef";
	__s32 v;

	sb_addc(sb, '{');
	for (__u32 i = 0; i < 2 && len > 4 * i; i++) {
		sb_add(sb, i ? ", " : "");
		sb_add(sb, field[i]);
		if (len >= 4 * (i + 1)) {
			memcpy(&v, b + 4 * i, sizeof(v));
			sb_addi(sb, v);
			continue;
		}
		sb_addc(sb, '"');
		for (__u32 j = 4 * i; j < len; j++) {
			sb_add(sb, "\\x");
			sb_addc(sb, hex[b[j] >> 4]);
			sb_addc(sb, hex[b[j] & 15]);
		}
		sb_addc(sb, '"');
	}
	sb_addc(sb, '}');
}

/* getsockopt's SO_ERROR, as strace names it: "[ECONNREFUSED]", "[0]". */
static void render_so_error(struct strbuf *sb, int err)
{
	const char *name = err > 0 ? errno_name(err) : NULL;

	if (!name) {
		render_int_in_brackets(sb, err);
		return;
	}
	sb_addc(sb, '[');
	sb_add(sb, name);
	sb_addc(sb, ']');
}

/*
 * An option's value as strace 6.1 shows it: an int as "[1]" (getsockopt's
 * SO_ERROR as an errno name, "[ECONNREFUSED]"); SO_LINGER as
 * a structure (setsockopt: only with the whole of it); the socket timeouts
 * as a string of their bytes, 32 at most, then "..."; else the pointer.
 */
static void render_optval(struct strbuf *sb, const struct syscall_record *r,
			  __u64 ptr)
{
	int level = (int)r->args[1], opt = (int)r->args[2];
	bool get = r->call == CALL_GETSOCKOPT;
	__s64 len;

	if ((r->have & HAVE_AUX0) && get && level == SOL_SOCKET &&
	    opt == SO_ERROR) {
		render_so_error(sb, r->aux0);
		return;
	}
	if ((r->have & HAVE_AUX0) && sockopt_value_is_int(level, opt)) {
		render_int_in_brackets(sb, r->aux0);
		return;
	}
	/* What the value is: setsockopt's optlen; for getsockopt, what the
	 * kernel says it wrote, within what was offered. */
	len = (__s32)r->args[4];
	if (get) {
		len = (r->have & HAVE_ADDR_LEN) ? (__s32)r->addr_len : 0;
		if ((r->have & HAVE_AUX1) && r->aux1 < len)
			len = r->aux1;
	}
	if (level == SOL_SOCKET && opt == SO_LINGER) {
		__s64 n = len < (__s64)sizeof(struct linger) ?
			  len : (__s64)sizeof(struct linger);

		/* setsockopt's value is a linger only when it is whole. */
		if ((r->have & HAVE_OPTVAL) && n > 0 &&
		    (get || n == (__s64)sizeof(struct linger)) &&
		    r->addr_captured >= n) {
			render_linger(sb, r->addr, n);
			return;
		}
	}
	if (level == SOL_SOCKET && (opt == SO_RCVTIMEO_OLD_NUM ||
				    opt == SO_SNDTIMEO_OLD_NUM)) {
		__s64 n = len < OPTVAL_MAX ? len : OPTVAL_MAX;

		if (!get && len == 0 && ptr) {
			sb_add(sb, "\"\"");
			return;
		}
		if ((r->have & HAVE_OPTVAL) && n > 0 && r->addr_captured >= n) {
			format_text_bytes(sb, r->addr, n, false);
			if (len > OPTVAL_MAX)
				sb_add(sb, "...");
			return;
		}
	}
	render_pointer(sb, ptr);
}

/* strace -yy's socket decoration: "<TCP:[127.0.0.1:41234->...]>". */
static void render_fd_identity(struct strbuf *sb, const struct fd_identity *id)
{
	const char *proto = id->protocol == IPPROTO_TCP ? "TCP" :
			    id->protocol == IPPROTO_UDP ? "UDP" : NULL;
	bool v6 = id->family == AF_INET6;

	if (!id->valid || !proto || (id->family != AF_INET && !v6))
		return;
	sb_addc(sb, '<');
	sb_add(sb, proto);
	sb_add(sb, v6 ? "v6:[" : ":[");
	format_endpoint(sb, id->family, id->saddr, id->sport);
	if (id->dport) {
		sb_add(sb, "->");
		format_endpoint(sb, id->family, id->daddr, id->dport);
	}
	sb_add(sb, "]>");
}

static void render_arg(struct strbuf *sb, const struct syscall_record *r,
		       const struct call_arg *a, const struct render_opts *ro)
{
	__u64 v = a->index < 6 ? r->args[a->index] : 0;
	int family = (int)r->args[0];

	switch (a->kind) {
	case ARG_FD:
		sb_addi(sb, (int)v);
		if (ro->decode_fds && (int)v == call_socket_fd(r))
			render_fd_identity(sb, &ro->fd);
		break;
	case ARG_IN_FD:
	case ARG_OUT_FD:
		/* Of sendfile's and splice's two, the socket's is aux0. */
		sb_addi(sb, (int)v);
		if (ro->decode_fds && (r->have & HAVE_AUX0) &&
		    r->aux0 == (int)v)
			render_fd_identity(sb, &ro->fd);
		break;
	case ARG_IOV:
		render_iov(sb, r, v);
		break;
	case ARG_IOVCNT:
		sb_addi(sb, (int)v);
		break;
	case ARG_OFFSET:
	case ARG_OFF_IN:
		render_offset(sb, r, v, HAVE_OFF_IN);
		break;
	case ARG_OFF_OUT:
		render_offset(sb, r, v, HAVE_OFF_OUT);
		break;
	case ARG_SPLICE_FLAGS:
		format_flags_text(sb, splice_flag_names, (unsigned int)v, "0");
		break;
	case ARG_MMSGVEC:
		render_mmsgvec(sb, r, v);
		break;
	case ARG_VLEN:
		sb_addu(sb, (unsigned int)v);
		break;
	case ARG_TIMEOUT:
		render_timeout(sb, r, v);
		break;
	case ARG_BACKLOG:
	case ARG_ADDRLEN:
	case ARG_OPTLEN:
		sb_addi(sb, (int)v);
		break;
	case ARG_FAMILY:
		format_family_text(sb, (int)v);
		break;
	case ARG_SOCKTYPE:
		format_socktype_text(sb, (int)v);
		break;
	case ARG_PROTOCOL:
		format_protocol_text(sb, family, (int)v);
		break;
	case ARG_PAIR_PROTOCOL:
		sb_addu(sb, (unsigned int)v);
		break;
	case ARG_FDPAIR:
		if ((r->have & HAVE_AUX0) && (r->have & HAVE_AUX1)) {
			sb_addc(sb, '[');
			sb_addi(sb, r->aux0);
			sb_add(sb, ", ");
			sb_addi(sb, r->aux1);
			sb_addc(sb, ']');
		} else {
			render_pointer(sb, v);
		}
		break;
	case ARG_ADDR:
		render_addr(sb, r, v, ro);
		break;
	case ARG_ADDRLEN_PTR:
		render_len_ptr(sb, r, v);
		break;
	case ARG_ACCEPT_FLAGS:
	case ARG_MSG_FLAGS:
		format_flags_text(sb, a->kind == ARG_MSG_FLAGS ?
				  msg_flag_names : sock_flag_names,
				  (unsigned int)v, "0");
		break;
	case ARG_BUF:
		if (!v && !(r->have & HAVE_PAYLOAD))
			sb_add(sb, "NULL");
		else
			render_buf(sb, r, record_payload_total(r));
		break;
	case ARG_LEN:
		sb_addu(sb, v);
		break;
	case ARG_MSGHDR:
		render_msghdr(sb, r, v);
		break;
	case ARG_HOW:
		format_shut_text(sb, (int)v);
		break;
	case ARG_LEVEL:
		format_level_text(sb, (int)v);
		break;
	case ARG_OPTNAME:
		format_sockopt_text(sb, (int)r->args[1], (int)v,
				    r->call == CALL_GETSOCKOPT);
		break;
	case ARG_OPTVAL:
		render_optval(sb, r, v);
		break;
	case ARG_OPTLEN_PTR:
		/* "[8]", or "[12 => 8]" when the kernel changed it. */
		if (r->have & HAVE_ADDR_LEN)
			render_len_ptr(sb, r, v);
		else if (r->have & HAVE_AUX1)
			render_int_in_brackets(sb, r->aux1);
		else
			render_pointer(sb, v);
		break;
	default:
		/* The waits' kinds: asked about only when none of the
		 * above is the argument's, not before each argument. */
		render_wait_arg(sb, r, a);
		break;
	}
}

/* " = 3", " = -1 ECONNREFUSED (Connection refused)", and, for the
 * kernel's restart codes, which the program never sees, " = ? ...". */
static void render_return(struct strbuf *sb, const struct syscall_record *r)
{
	char *p;
	int err;

	if (r->ret >= 0 || r->ret < -4095) {
		p = sb_claim(sb, 3 + 21);
		memcpy(p, " = ", 3);
		sb_commit_to(sb, sb_put_i(p + 3, r->ret));
		if (call_desc(r->call) && call_desc(r->call)->wait)
			render_wait_result(sb, r);
		return;
	}
	err = (int)-r->ret;	/* 1..4095 */
	sb_add(sb, errno_is_restart(err) ? " = ? " : " = -1 ");
	format_errno_text(sb, err);
}

void render_syscall_text(struct strbuf *sb, const struct syscall_record *r,
			 const struct render_opts *ro)
{
	const struct call_desc *d = call_desc(r->call);
	__u64 dur = r->hdr.ts_ns - r->enter_ns;
	size_t name_len = strlen(d->name);
	char *p;

	/* The line's head, up to the '(' (all of it bounded), is written
	 * at one cursor and committed once. */
	if (ro->wallclock)
		render_time(sb, r->hdr.ts_ns, ro);
	p = sb_claim(sb, SECONDS_ROOM + 1 + PREFIX_ROOM + 5 + name_len + 9);
	if (!ro->wallclock)
		p = put_trace_time(p, r->hdr.ts_ns, ro);
	p = put_prefix(p, &r->hdr, ro);
	if (r->have & RESUMED) {
		/* Began before tracing: strace's form for a call whose start
		 * it did not see. */
		memcpy(p, "<... ", 5);
		p += 5;
		memcpy(p, d->name, name_len);
		p += name_len;
		memcpy(p, " resumed>", 9);
		sb_commit_to(sb, p + 9);
	} else {
		memcpy(p, d->name, name_len);
		p += name_len;
		*p++ = '(';
		sb_commit_to(sb, p);
		for (int i = 0; d->text[i].kind != ARG_END; i++) {
			if (i)
				sb_add(sb, ", ");
			render_arg(sb, r, &d->text[i], ro);
		}
		sb_addc(sb, ')');
	}
	render_return(sb, r);
	if (ro->duration) {
		sb_add(sb, " <");
		render_seconds(sb, dur);
		sb_addc(sb, '>');
	}
	sb_addc(sb, '\n');
}

void render_note_text(struct strbuf *sb, const struct strbuf *note)
{
	char *p;

	/* The note's length is known: no strlen of its hundred bytes. */
	if (note->len) {
		p = sb_claim(sb, 6 + note->len + 1);
		memcpy(p, "    # ", 6);
		memcpy(p + 6, note->buf, note->len);
		p[6 + note->len] = '\n';
		sb_commit_to(sb, p + 6 + note->len + 1);
	}
}

void render_lost_text(struct strbuf *sb, unsigned long long count)
{
	sb_add(sb, "... ");
	sb_addu(sb, count);
	sb_add(sb, count == 1 ? " record" : " records");
	sb_add(sb, " lost: the ring buffer was full ...\n");
}
