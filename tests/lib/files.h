/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Whole files in and out, and a scratch directory for one test. */
#ifndef SOCKSCOPE_TESTS_FILES_H
#define SOCKSCOPE_TESTS_FILES_H

#define SCRATCH_FILES	4

/* A scratch directory and the names dir/0 .. dir/3 in it. */
struct scratch {
	char dir[64];
	char path[SCRATCH_FILES][96];
};

/*
 * Makes the directory: in memory (/dev/shm) when we can, as a test may
 * rewrite its files thousands of times; else in /tmp. 0, or -errno.
 */
int scratch_make(struct scratch *s);

/* Removes the files and the directory; again, or after a failed
 * scratch_make(), it does nothing. */
void scratch_remove(struct scratch *s);

/* The whole file (malloc'd); "" when it cannot be read. */
char *slurp(const char *path);

/* Writes text as the whole file: 0, or -errno. */
int spill(const char *path, const char *text);

#endif
