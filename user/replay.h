/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_REPLAY_H
#define SOCKSCOPE_REPLAY_H

#include <stdio.h>

#include "reader.h"

/*
 * "sockscope replay [options] FILE": render a trace saved with --save,
 * exactly as it was rendered live, without BPF and without root.
 */
int replay_main(int argc, char **argv);

/*
 * Feed one saved line to the reader. 0; 1 for a line to skip; -1 (with
 * *why set) for a line that is not part of a saved trace.
 */
int replay_line(struct reader *rd, const char *line, size_t len,
		const char **why);

/* Feed every line of a saved trace to the reader: 0, or -EINVAL after
 * one line on stderr saying what is wrong where. */
int replay_file(struct reader *rd, FILE *f, const char *path);

#endif
