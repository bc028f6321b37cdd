/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_RENDER_H
#define SOCKSCOPE_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "events.h"
#include "strbuf.h"

struct comm_cache;
struct sockaddr_cache;

/* How records are shown. */
/*
 * Which socket a descriptor argument is, for -y (strace -yy's form):
 * 3<TCP:[127.0.0.1:41234->127.0.0.1:8000]>. Set by the reader for the
 * call being rendered; valid 0: shown as a plain number.
 */
struct fd_identity {
	bool valid;
	int family, type, protocol;
	__u8 saddr[16], daddr[16];
	unsigned int sport, dport;
};

struct render_opts {
	bool duration;		/* -T: time inside the call */
	bool wallclock;		/* -t: wall-clock time, else since start */
	bool decode_fds;	/* -y: say which socket each fd is */
	__u64 start_ns;		/* CLOCK_MONOTONIC at start */
	__s64 realtime_offset_ns; /* CLOCK_REALTIME - CLOCK_MONOTONIC */
	struct fd_identity fd;	/* the call's socket, for -y */
	/* NULL, or where the reader keeps the last process name it made
	 * printable (format.h): the records' lines show it. */
	struct comm_cache *names;
	/* NULL, or where it keeps the last address argument's text, and
	 * apart, its JSON. */
	struct sockaddr_cache *addrs;
	struct sockaddr_cache *json_addrs;
};

/* "0.001234 " (since start) or "12:34:56.123456 " (wall clock). */
void render_time(struct strbuf *sb, __u64 ts_ns, const struct render_opts *ro);

/*
 * Check that a ring-buffer record is whole and of a kind we know: the
 * reader never trusts a length it did not check. Returns 0 or -EINVAL.
 */
int record_validate(const void *data, size_t size);

/* The payload that follows a syscall record (payload_len bytes). */
static inline const __u8 *record_payload(const struct syscall_record *r)
{
	return (const __u8 *)(r + 1);
}

/* How many bytes the payload is the start of: all a send gave (whatever
 * it returned), or what a receive got. */
__u64 record_payload_total(const struct syscall_record *r);

/* One iovec of readv/writev and the part of its bytes the record has. */
struct iov_part {
	__u64 len;		/* iov_len */
	__u64 ptr;		/* iov_base */
	__u64 total;		/* its bytes moved (readv: of those read) */
	const __u8 *data;	/* the first shown of them */
	__u32 shown;
	bool has_data;		/* false: the bytes were not captured */
};

/* The iovecs a readv/writev record keeps, or -1 when it has none. */
int record_iov_count(const struct syscall_record *r);
void record_iov(const struct syscall_record *r, int i, struct iov_part *part);

/* sendmmsg/recvmmsg: the messages a record describes (-1: none, as for
 * a failed recvmmsg), one
 * of them, and the bytes of those the call handled. */
int record_mmsg_count(const struct syscall_record *r);
void record_mmsg(const struct syscall_record *r, int i, struct mmsg_entry *m);
unsigned long long record_mmsg_bytes(const struct syscall_record *r);

/* A pointer as strace prints it: "0x7ffd..." or "NULL". */
void render_pointer(struct strbuf *sb, __u64 ptr);

/* Whether a JSON member that follows needs a comma before it: not the
 * first in its object. */
static inline bool render_json_needs_comma(const struct strbuf *sb)
{
	return sb->len && sb->buf[sb->len - 1] != '{';
}

/* A JSON object member's key, with the comma before it when needed:
 * inline, so that a literal key's length is a constant. */
static inline void render_json_key(struct strbuf *sb, const char *key)
{
	size_t n = strlen(key), k = 0;
	char *p = sb_claim(sb, n + 4);

	if (render_json_needs_comma(sb))
		p[k++] = ',';
	p[k++] = '"';
	memcpy(p + k, key, n);
	k += n;
	p[k++] = '"';
	p[k++] = ':';
	sb_commit(sb, k);
}

/* One strace-like text line for a syscall record, '\n' included. */
void render_syscall_text(struct strbuf *sb, const struct syscall_record *r,
			 const struct render_opts *ro);

/* One JSON object (a line, '\n' included) for a syscall record, with the
 * teaching note when note is not NULL or empty. */
void render_syscall_json(struct strbuf *sb, const struct syscall_record *r,
			 const struct render_opts *ro, const char *note);

/* The note under a text line: "    # ...\n" (nothing when empty). */
void render_note_text(struct strbuf *sb, const struct strbuf *note);

/* Who a kernel event belongs to, as far as the reader knows. */
struct event_owner {
	__u32 pid;			/* 0: not known */
	int fd;				/* -1: not known */
	const char *comm;
};

/* A kernel event (TCP state change, reset, drop...) as a text line, and
 * as a JSON object with the note. */
void render_kernel_text(struct strbuf *sb, const struct kernel_record *k,
			const struct event_owner *o, __u64 ns_in_old,
			const struct render_opts *ro);
void render_kernel_json(struct strbuf *sb, const struct kernel_record *k,
			const struct event_owner *o, __u64 ns_in_old,
			const char *note);

/* Reporting records lost in the kernel. */
void render_lost_text(struct strbuf *sb, unsigned long long count);
void render_lost_json(struct strbuf *sb, unsigned long long count,
		      __u64 ts_ns);

#endif
