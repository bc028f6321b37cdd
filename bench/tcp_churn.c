// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Connection churn: K cycles of socket, connect, accept, close (the
 * accepted end), close (the client) on 127.0.0.1, in one thread: the
 * loopback handshake completes inside connect(), so accept() does not
 * block. One iteration = one cycle = 5 socket calls. With RATE, paced to
 * RATE socket calls per second (run.sh's memory-growth run).
 *
 * The listener has SO_LINGER {on, 0}, which accepted sockets inherit:
 * closing the accepted end first resets the connection, so no TIME_WAIT
 * sockets pile up and every cycle costs the same.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

#define USAGE	"tcp_churn K [RATE_CALLS_PER_SECOND]"

static int open_listener(struct sockaddr_in *addr)
{
	struct linger reset = { .l_onoff = 1, .l_linger = 0 };
	socklen_t len = sizeof(*addr);
	int fd = loopback_socket(SOCK_STREAM, addr);

	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset)) ||
	    bind(fd, (struct sockaddr *)addr, sizeof(*addr)) ||
	    listen(fd, 16) ||
	    getsockname(fd, (struct sockaddr *)addr, &len))
		die("listen");
	return fd;
}

int main(int argc, char **argv)
{
	unsigned long long k, t0, first;
	struct sockaddr_in addr;
	struct pace pace = {};
	int lfd, cfd, afd;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s\n", USAGE);
		return 2;
	}
	k = parse_count(argv[1], "K", USAGE);
	if (argc == 3)
		pace.rate = parse_count(argv[2], "RATE", USAGE);

	first = now_ns();
	lfd = open_listener(&addr);

	t0 = pace.start_ns = now_ns();
	for (unsigned long long i = 0; i < k; i++) {
		cfd = socket(AF_INET, SOCK_STREAM, 0);
		if (cfd < 0)
			die("socket");
		if (connect(cfd, (struct sockaddr *)&addr, sizeof(addr)))
			die("connect");
		afd = accept(lfd, NULL, NULL);
		if (afd < 0)
			die("accept");
		close(afd);
		close(cfd);
		pace_wait(&pace, 5 * (i + 1));
	}
	print_result("tcp_churn", k, 5 * k, now_ns() - t0, first);
	close(lfd);
	return 0;
}
