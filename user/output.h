/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_OUTPUT_H
#define SOCKSCOPE_OUTPUT_H

#include "strbuf.h"

/* Where a trace goes: a descriptor, with a buffer flushed in batches. */
struct output {
	struct strbuf buf;
	int fd;				/* -1: discard */
	const char *name;		/* for messages */
	int error;			/* errno of the first failed write */
};

/*
 * path NULL: standard output. A file is created 0600 and never through a
 * symlink. 0, or -errno after printing one line that says so.
 */
int output_open(struct output *out, const char *path);

/* Write what is buffered. 0, or the errno that stopped it. */
int output_flush(struct output *out);

void output_close(struct output *out);

#endif
