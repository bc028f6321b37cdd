/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_RENDER_H
#define SOCKSCOPE_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "events.h"
#include "strbuf.h"

/* How records are shown. */
struct render_opts {
	bool duration;		/* -T: time inside the call */
	bool wallclock;		/* -t: wall-clock time, else since start */
	__u64 start_ns;		/* CLOCK_MONOTONIC at start */
	__s64 realtime_offset_ns; /* CLOCK_REALTIME - CLOCK_MONOTONIC */
};

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

/* One strace-like text line for a syscall record, '\n' included. */
void render_syscall_text(struct strbuf *sb, const struct syscall_record *r,
			 const struct render_opts *ro);

/* One JSON object (a line, '\n' included) for a syscall record. */
void render_syscall_json(struct strbuf *sb, const struct syscall_record *r,
			 const struct render_opts *ro);

/* Reporting records lost in the kernel. */
void render_lost_text(struct strbuf *sb, unsigned long long count);
void render_lost_json(struct strbuf *sb, unsigned long long count,
		      __u64 ts_ns);

#endif
