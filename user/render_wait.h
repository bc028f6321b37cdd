/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_RENDER_WAIT_H
#define SOCKSCOPE_RENDER_WAIT_H

#include <stdbool.h>

#include "calls.h"
#include "strbuf.h"

/*
 * One argument of a wait (poll, ppoll, select, pselect6, epoll_wait,
 * epoll_pwait, epoll_ctl), as text or as JSON members; false when a is
 * not an argument kind of the waits.
 */
bool render_wait_arg(struct strbuf *sb, const struct syscall_record *r,
		     const struct call_arg *a);
bool json_wait_arg(struct strbuf *sb, const struct syscall_record *r,
		   const struct call_arg *a);

/* A struct timespec or timeval (usec) at at: {tv_sec=1, tv_nsec=0},
 * and in JSON {"tv_sec":1,"tv_nsec":0}. */
void render_time_struct(struct strbuf *sb, const __u8 *at, bool usec);
void json_time_struct(struct strbuf *sb, const __u8 *at, bool usec);

/* What strace prints after a wait's return value: " (Timeout)",
 * " ([{fd=3, revents=POLLIN}])", " (in [3], left {...})". */
void render_wait_result(struct strbuf *sb, const struct syscall_record *r);

/* epoll_wait/epoll_pwait: the events a record keeps (-1: none), and one
 * of them; epoll_ctl: the event it passed (false: none was read). */
struct wait_epoll_event {
	__u32 events;
	__u64 data;
} __attribute__((packed));

int wait_epoll_count(const struct syscall_record *r);
struct wait_epoll_event wait_epoll_event(const struct syscall_record *r,
					 int i);
bool wait_ctl_event(const struct syscall_record *r,
		    struct wait_epoll_event *e);

/*
 * The descriptors a poll/ppoll/select/pselect6 record reports ready, and
 * for each its events (select: POLLIN for read, POLLOUT for write,
 * POLLPRI for except); at most max. Returns how many.
 */
int wait_ready_fds(const struct syscall_record *r, int *fds, int *revents,
		   int max);

#endif
