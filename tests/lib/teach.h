/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The teaching layer's helper programs, tests/helpers/teach_tcp and
 * teach_udp, from the tests' side: where they are, and what their
 * "teach: ..." lines say.
 */
#ifndef SOCKSCOPE_TESTS_TEACH_H
#define SOCKSCOPE_TESTS_TEACH_H

/* The built helpers, for a command line (each its own static buffer). */
char *teach_tcp(void);
char *teach_udp(void);

/*
 * The first n "teach: ROLE PID port PORT" lines of a helper's output
 * (ROLE "client" or "sender"), in order, into pids and ports. Returns
 * how many were read; it stops at the first line it cannot read.
 */
int teach_peers(const char *out, const char *role, long pids[],
		long ports[], int n);

#endif
