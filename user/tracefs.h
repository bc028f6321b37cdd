/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_TRACEFS_H
#define SOCKSCOPE_TRACEFS_H

#include <stdbool.h>

/*
 * Syscall tracepoints are attached by id, which libbpf reads from tracefs.
 * Make sure tracefs is mounted (mount it at /sys/kernel/tracing when it is
 * not). Returns 0, or -errno after printing what to do.
 */
int tracefs_ensure(void);

/* Whether tracepoint event ("tcp/tcp_retransmit_skb") has a field of this
 * name, by its format file in tracefs: a read of one small file. */
bool tracefs_event_has_field(const char *event, const char *field);

#endif
