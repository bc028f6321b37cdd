// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Socket options whose values strace shows as a structure (SO_LINGER) or
 * as a string of bytes (the socket timeouts), with whole, cut-short,
 * too-long and empty lengths, and bad pointers; and SO_ERROR, whose value
 * getsockopt shows as an errno name: a test traces this with strace and
 * with sockscope at once and compares the lines. Needs lo up.
 *
 * Prints nothing; exits 0 (the calls' own failures are part of it).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define RCVTIMEO	20	/* SO_RCVTIMEO_OLD: struct timeval, old layout */
#define SNDTIMEO	21

static void get(int s, int opt, void *val, socklen_t len)
{
	getsockopt(s, SOL_SOCKET, opt, val, &len);
}

/*
 * SO_ERROR after a refused connect (ECONNREFUSED), read twice (then 0),
 * and set, which no socket allows.
 */
static void so_error(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	struct pollfd p = { .events = POLLOUT };
	int closed, s, err = 111;

	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	closed = socket(AF_INET, SOCK_STREAM, 0);
	s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (closed < 0 || s < 0 || bind(closed, (void *)&a, sizeof(a)) ||
	    getsockname(closed, (void *)&a, &len))
		return;
	connect(s, (void *)&a, sizeof(a));
	p.fd = s;
	poll(&p, 1, 5000);
	get(s, SO_ERROR, &err, sizeof(err));
	get(s, SO_ERROR, &err, sizeof(err));
	err = 111;
	setsockopt(s, SOL_SOCKET, SO_ERROR, &err, sizeof(err));
	close(s);
	close(closed);
}

int main(void)
{
	struct linger l = { 1, 0 };
	struct timeval tv = { 5, 250000 };
	char buf[64] = { 1, 0, 0, 0, 7, 0, 0, 0, 9 };
	int s = socket(AF_INET, SOCK_STREAM, 0);

	if (s < 0)
		return 1;
	setsockopt(s, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	setsockopt(s, SOL_SOCKET, RCVTIMEO, &tv, sizeof(tv));
	setsockopt(s, SOL_SOCKET, SNDTIMEO, &tv, sizeof(tv));
	get(s, SO_LINGER, &l, sizeof(l));
	get(s, RCVTIMEO, &tv, sizeof(tv));
	get(s, SO_LINGER, &l, 4);
	setsockopt(s, SOL_SOCKET, SO_LINGER, &l, 4);		/* EINVAL */
	setsockopt(s, SOL_SOCKET, SO_LINGER, (void *)8, 8);	/* EFAULT */
	get(s, SO_LINGER, (void *)8, sizeof(l));		/* EFAULT */
	setsockopt(s, SOL_SOCKET, SO_LINGER, buf, 12);
	get(s, SO_LINGER, buf, 2);
	get(s, SO_LINGER, buf, 6);
	get(s, SO_LINGER, buf, 12);
	get(s, SO_LINGER, buf, 0);
	memset(buf + 8, 0, sizeof(buf) - 8);
	buf[8] = 9;
	setsockopt(s, SOL_SOCKET, RCVTIMEO, buf, 40);
	setsockopt(s, SOL_SOCKET, RCVTIMEO, buf, 8);		/* EINVAL */
	setsockopt(s, SOL_SOCKET, RCVTIMEO, buf, 0);		/* EINVAL */
	get(s, RCVTIMEO, buf, 40);
	get(s, RCVTIMEO, buf, 0);
	setsockopt(s, SOL_SOCKET, RCVTIMEO, (void *)8, 16);	/* EFAULT */
	close(s);
	so_error();
	return 0;
}
