// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * UDP flood: N sendto() of 64 bytes to a sink socket on 127.0.0.1 in the
 * same process; every DRAIN_EVERY sends, the sink is drained with
 * recvfrom(MSG_DONTWAIT) until EAGAIN. One iteration = one sendto plus its
 * share of the drain (about 2.03 socket calls).
 *
 * With RATE, the loop is paced to RATE socket calls per second (the
 * zero-loss search in run.sh); without it, it runs flat out.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

#define USAGE		"udp_flood N [RATE_CALLS_PER_SECOND]"
#define DATAGRAM	64
#define DRAIN_EVERY	32

static int open_sink(struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int fd = loopback_socket(SOCK_DGRAM, addr);

	if (bind(fd, (struct sockaddr *)addr, sizeof(*addr)) ||
	    getsockname(fd, (struct sockaddr *)addr, &len))
		die("bind sink");
	return fd;
}

/* Receive every datagram waiting; returns the recvfrom calls made. */
static unsigned long long drain(int sink)
{
	char buf[DATAGRAM];
	struct sockaddr_in from;
	unsigned long long calls = 0;
	socklen_t len;
	ssize_t n;

	do {
		len = sizeof(from);
		n = recvfrom(sink, buf, sizeof(buf), MSG_DONTWAIT,
			     (struct sockaddr *)&from, &len);
		calls++;
	} while (n >= 0);
	if (errno != EAGAIN && errno != EWOULDBLOCK)
		die("recvfrom");
	return calls;
}

int main(int argc, char **argv)
{
	unsigned long long n, calls = 0, t0, first;
	struct sockaddr_in sink_addr;
	char msg[DATAGRAM] = "sockscope bench";
	struct pace pace = {};
	int sink, tx;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s\n", USAGE);
		return 2;
	}
	n = parse_count(argv[1], "N", USAGE);
	if (argc == 3)
		pace.rate = parse_count(argv[2], "RATE", USAGE);

	first = now_ns();
	sink = open_sink(&sink_addr);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	if (tx < 0)
		die("socket");

	t0 = pace.start_ns = now_ns();
	for (unsigned long long i = 1; i <= n; i++) {
		if (sendto(tx, msg, sizeof(msg), 0,
			   (struct sockaddr *)&sink_addr,
			   sizeof(sink_addr)) != sizeof(msg))
			die("sendto");
		calls++;
		if (i % DRAIN_EVERY == 0 || i == n) {
			calls += drain(sink);
			pace_wait(&pace, calls);
		}
	}
	print_result("udp_flood", n, calls, now_ns() - t0, first);
	close(tx);
	close(sink);
	return 0;
}
