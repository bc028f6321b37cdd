/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What teach_tcp and teach_udp share. Each helper is one program built
 * from one .c file, so this is a header of static inline functions.
 *
 * The helpers' socket calls are what the tests read in the trace: these
 * functions make exactly the calls their names say, in that order, and
 * no others.
 */
#ifndef SOCKSCOPE_TESTS_TEACH_COMMON_H
#define SOCKSCOPE_TESTS_TEACH_COMMON_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

static inline struct sockaddr_in loopback(unsigned short port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};

	return sin;
}

/* Says what failed, and why (errno), on stderr: the exit status 1. */
static inline int fail(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what,
		strerror(errno));
	return 1;
}

/* Whether a call returned ret < 0 with errno err. */
static inline bool failed_with(long ret, int err)
{
	return ret < 0 && errno == err;
}

/* A "teach: ..." line for the tests, on stdout at once. */
static inline __attribute__((format(printf, 1, 2)))
void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* The local port of fd (getsockname), or -1. */
static inline int local_port(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	if (getsockname(fd, (struct sockaddr *)&sin, &len))
		return -1;
	return ntohs(sin.sin_port);
}

/*
 * A socket of type (with its flags) bound to 127.0.0.1:port; with
 * backlog >= 0, listening. -1 if any of it failed.
 */
static inline int bound(int type, unsigned short port, int backlog)
{
	struct sockaddr_in sin = loopback(port);
	int fd = socket(AF_INET, type, 0);

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    (backlog >= 0 && listen(fd, backlog))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* connect(fd) to 127.0.0.1:port: what connect returned. */
static inline int connect_loopback(int fd, unsigned short port)
{
	struct sockaddr_in sin = loopback(port);

	return connect(fd, (struct sockaddr *)&sin, sizeof(sin));
}

static inline void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* fork(); the child is named comm, the name the trace shows. */
static inline pid_t fork_named(const char *comm)
{
	pid_t pid = fork();

	if (pid == 0)
		prctl(PR_SET_NAME, comm);
	return pid;
}

/* Waits for the child pid (who): 0 once it exited 0, else 1. */
static inline int reap(pid_t pid, const char *who)
{
	int status;

	if (pid < 0 || waitpid(pid, &status, 0) != pid || status)
		return fail(who);
	return 0;
}

#endif
