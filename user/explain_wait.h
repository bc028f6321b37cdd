/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_EXPLAIN_WAIT_H
#define SOCKSCOPE_EXPLAIN_WAIT_H

#include "events.h"
#include "socktable.h"
#include "strbuf.h"

/* What the notes on the waits remember: epoll registrations. */
struct wait_notes;

struct wait_notes *wait_notes_new(void);
void wait_notes_free(struct wait_notes *w);

/*
 * The note on a wait (poll, ppoll, select, pselect6, epoll_wait,
 * epoll_pwait, epoll_ctl): which sockets became ready and why, or that
 * the time ran out; epoll_ctl's registration, remembered in w. Nothing
 * for other calls.
 */
void explain_wait(struct strbuf *sb, const struct syscall_record *r,
		  struct socktable *t, struct wait_notes *w);

#endif
