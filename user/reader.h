/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_READER_H
#define SOCKSCOPE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "events.h"
#include "format.h"
#include "options.h"
#include "output.h"
#include "render.h"
#include "conversation.h"
#include "diagram.h"
#include "holdback.h"
#include "socktable.h"

/* A saved trace's "abi": bumped when the record layout changes (2: a
 * socket's network namespace joined struct sock_info). */
#define SOCKSCOPE_SAVE_ABI	2

/*
 * What happens to each record, live from the ring buffer or replayed
 * from a saved trace: check it, keep the socket table up to date, add the
 * teaching note, render it as text or JSON into the output (and, when
 * saving, as replayable JSON into the save file), count it.
 */
struct reader {
	const struct options *opts;
	struct render_opts ro;
	struct comm_cache names;	/* ro.names */
	struct sockaddr_cache addrs;	/* ro.addrs */
	struct sockaddr_cache json_addrs; /* ro.json_addrs */
	struct output *out;
	struct output *save;		/* NULL: not saving */
	struct strbuf note;
	bool live;			/* tracing now: /proc may be asked */
	struct socktable *socks;
	struct conversations *convs;
	struct wait_notes *waits;
	struct diagram *diagram;	/* NULL, or the one to add steps to */
	/* Live: a receive waiting for its send's record, and all after it. */
	struct holdback hold;
	unsigned long long calls[CALL_MAX];
	unsigned long long failed[CALL_MAX];
	/* Kernel events seen, by kind (enum event_kind). */
	unsigned long long kernel_events[EVENT_KIND_MAX];
	unsigned long long lost_reported;
	unsigned long long malformed;
	/* Owners of kernel events seen in their own context, for when no
	 * call of theirs named them (-e without socket, listen...). */
	struct event_comm {
		pid_t pid;
		char comm[SOCKSCOPE_COMM_LEN];
	} event_comms[8];
	unsigned int nevent_comms;
	/* The last endpoints kernel events gave for sockets the table does
	 * not hold: a listener's close comes with its port already freed. */
	struct event_ends {
		__u64 sk;
		struct sock_info si;
	} event_ends[16];
	unsigned int nevent_ends;
};

/* 0, or -ENOMEM. */
int reader_init(struct reader *rd, const struct options *opts,
		struct output *out, struct output *save);
void reader_free(struct reader *rd);

/* Times are relative to now (CLOCK_MONOTONIC), or to start_ns if not 0;
 * a saved trace records it first. */
void reader_start(struct reader *rd, __u64 start_ns);

/*
 * One record: validated, then rendered. Malformed ones are counted. A
 * replay passes the note saved with the record (it may have needed /proc
 * at the time); otherwise saved_note is NULL and the note is made now.
 */
void reader_handle(struct reader *rd, const void *data, size_t size,
		   const char *saved_note);

/*
 * Live, a receive (or accept) whose send (or connect) by a traced local
 * socket has not come yet is held back, with all that came after it, so
 * that its note can name the sender: until that record comes, or for
 * HOLD_NS at most. Let go those whose time is up, or all of them (at the
 * end of a trace). The order of the output is the order of the records.
 */
void reader_release(struct reader *rd, bool all);

/* Records lost in the kernel, reported where they happened. */
void reader_report_lost(struct reader *rd, unsigned long long n, __u64 ts);

/* Calls, failures and losses; then the sockets seen (a small ss). */
void reader_print_summary(struct reader *rd, FILE *f,
			  unsigned long long lost);

#endif
