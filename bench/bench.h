/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the benchmark workloads share: the clock, argument parsing, their
 * loopback sockets, pacing to a target call rate, and the one result line
 * run.sh reads.
 *
 * Each workload times only its own loop (CLOCK_MONOTONIC), so a tracer's
 * start-up is not counted, and prints one line on stdout:
 *
 *   <name> iters=N calls=C elapsed_ns=E ns_per_iter=X ns_per_call=Y
 *          first_call_ns=F end_ns=Z maxrss_kb=R
 *
 * calls are the socket calls made inside the timed loop (what a tracer has
 * to record; file_writes: its calls on /dev/null and a pipe, which a tracer
 * of socket calls must look at and leave out); first_call_ns is
 * CLOCK_MONOTONIC just before the workload's first socket call (for
 * file_writes, its first open), which run.sh compares with the tracer's
 * exec time.
 */
#ifndef SOCKSCOPE_BENCH_H
#define SOCKSCOPE_BENCH_H

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

static inline unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* A whole positive decimal number, or exit with a usage message. */
static inline unsigned long long parse_count(const char *s, const char *what,
					     const char *usage)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || !*s || *end || *s == '-' || v == 0) {
		fprintf(stderr, "bad %s '%s'\nusage: %s\n", what, s, usage);
		exit(2);
	}
	return v;
}

static inline void die(const char *what)
{
	fprintf(stderr, "bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* A new socket of type, and in *addr 127.0.0.1 port 0: where to bind it
 * (the kernel chooses the port; getsockname tells which). */
static inline int loopback_socket(int type, struct sockaddr_in *addr)
{
	int fd = socket(AF_INET, type, 0);

	if (fd < 0)
		die("socket");
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return fd;
}

/* A TCP socket listening on 127.0.0.1 at a port the kernel chose, which
 * *addr then holds (for connect). */
static inline int loopback_listener(struct sockaddr_in *addr, int backlog)
{
	socklen_t len = sizeof(*addr);
	int fd = loopback_socket(SOCK_STREAM, addr);

	if (bind(fd, (struct sockaddr *)addr, sizeof(*addr)) ||
	    listen(fd, backlog) ||
	    getsockname(fd, (struct sockaddr *)addr, &len))
		die("listen");
	return fd;
}

/* Each write goes out at once, however small (no Nagle delay). */
static inline void set_nodelay(int fd)
{
	int one = 1;

	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)))
		die("setsockopt TCP_NODELAY");
}

/*
 * Keeps a loop at rate calls per second: call pace_wait() now and then with
 * the calls made so far; it sleeps until they are due. rate 0: no pacing.
 */
struct pace {
	unsigned long long start_ns;
	unsigned long long rate;
};

static inline void pace_wait(const struct pace *p, unsigned long long calls)
{
	unsigned long long due;
	struct timespec ts;

	if (!p->rate)
		return;
	due = p->start_ns + (unsigned long long)((double)calls * 1e9 / p->rate);
	if (due <= now_ns())
		return;
	ts.tv_sec = due / 1000000000ULL;
	ts.tv_nsec = due % 1000000000ULL;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

static inline void print_result(const char *name, unsigned long long iters,
				unsigned long long calls,
				unsigned long long elapsed_ns,
				unsigned long long first_call_ns)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	printf("%s iters=%llu calls=%llu elapsed_ns=%llu ns_per_iter=%.1f "
	       "ns_per_call=%.1f first_call_ns=%llu end_ns=%llu maxrss_kb=%ld\n",
	       name, iters, calls, elapsed_ns, (double)elapsed_ns / iters,
	       calls ? (double)elapsed_ns / calls : 0.0, first_call_ns,
	       now_ns(), ru.ru_maxrss);
	fflush(stdout);
}

#endif /* SOCKSCOPE_BENCH_H */
