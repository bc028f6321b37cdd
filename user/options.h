/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_OPTIONS_H
#define SOCKSCOPE_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "calls.h"
#include "events.h"

#define MAX_PIDS	64
#define MAX_COMMS	16

struct options {
	pid_t pids[MAX_PIDS];
	int npids;
	char comms[MAX_COMMS][SOCKSCOPE_COMM_LEN];
	int ncomms;
	bool follow;
	bool json;
	const char *output;
	const char *save;		/* --save: replayable JSON trace */
	call_set call_mask;		/* bit per enum sock_call; 0: all */
	bool failed_only;
	bool duration;
	bool wallclock;
	unsigned int payload;		/* bytes to show; 0: none */
	const char *user;
	bool verbose;
	bool explain;			/* notes and kernel events (default) */
	bool decode_fds;		/* -y: fd<TCP:[local->peer]> */
	unsigned long ringbuf_size;	/* test-only: bytes, power of 2 */
	bool io_via_syscalls;		/* test-only: see tracer.c */
	bool no_summary;		/* the lab: no summary on stderr */
	bool diagram;			/* --diagram: a picture at the end */
	struct diagram *diagram_into;	/* where session_run adds its steps */
	char **command;			/* NULL-terminated, or NULL */
	bool help;
	bool version;
};

/*
 * Parse the command line into o. Returns 0, or 2 after printing one line
 * on err that says what is wrong (the exit status for usage errors).
 */
int options_parse(struct options *o, int argc, char **argv, FILE *err);

void options_print_help(FILE *out);

/* A decimal number from min to max, digits only, or -1. */
long options_number(const char *s, long min, long max);

/* Whether call (enum sock_call) is selected by -e. */
static inline bool options_want_call(const struct options *o,
				     unsigned int call)
{
	return !o->call_mask || (o->call_mask & (1ULL << call));
}

#endif
