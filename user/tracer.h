/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_TRACER_H
#define SOCKSCOPE_TRACER_H

#include <sys/types.h>
#include <bpf/libbpf.h>

#include "options.h"
#include "ringbuf.h"

/* The BPF side's lifecycle: open, configure, load, attach, read, close. */
struct tracer {
	struct sockscope_bpf *skel;
	struct ringbuf rb;	/* the records, as the programs write them */
	__u64 *pids;		/* the traced-process bitmap, mapped */
};

/* Open and load the programs configured by o. 0 or -errno (printed). */
int tracer_load(struct tracer *t, const struct options *o);

/* Trace this process (and, with -f, its future children). */
int tracer_add_pid(struct tracer *t, pid_t pid);

/* A port that process pid already listens on: the connections it will
 * accept are attributed to it from their first packet. */
int tracer_add_listener(struct tracer *t, unsigned int port, pid_t pid);

int tracer_attach(struct tracer *t);

/* Deliver each record to fn, through the ring buffer. */
int tracer_open_ring(struct tracer *t, ringbuf_record_fn fn, void *ctx);

/* Stop new records; what was recorded can still be read. When this
 * returns, no program is writing a record any more. */
void tracer_stop(struct tracer *t);

/* Records lost in all; and those not yet reported with a later record. */
unsigned long long tracer_lost_total(struct tracer *t);
unsigned long long tracer_lost_unreported(struct tracer *t);

/* Free it all. After tracer_stop(), the detach (slow in the kernel)
 * finishes in a child process, and this returns at once. */
void tracer_close(struct tracer *t);

#endif
