// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * TCP stream: N write() of 64 bytes on one loopback TCP connection
 * (TCP_NODELAY), each taken off the other end with read(), in one thread:
 * loopback hands the bytes to the receiving socket within write(), so the
 * read does not wait for another thread to run. One iteration = one write
 * and the reads that take its 64 bytes (one, unless a read comes back
 * short): about 2 calls, all on sockets, all traced.
 *
 * 64 bytes, as the UDP flood's datagrams, so that what tracing adds to a
 * call, not the copying of data, is what the ratio shows.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

#define USAGE	"tcp_stream N"
#define CHUNK	64

/* Read exactly len bytes; returns the read() calls made. */
static unsigned long long read_all(int fd, char *buf, size_t len)
{
	unsigned long long calls = 0;
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, buf + got, len - got);
		calls++;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("read");
		if (n == 0) {
			fprintf(stderr, "bench: read: the writer closed\n");
			exit(1);
		}
		got += n;
	}
	return calls;
}

int main(int argc, char **argv)
{
	unsigned long long n, calls = 0, t0, first;
	char msg[CHUNK] = "sockscope bench", buf[CHUNK];
	struct sockaddr_in addr;
	int lfd, wfd, rfd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s\n", USAGE);
		return 2;
	}
	n = parse_count(argv[1], "N", USAGE);

	first = now_ns();
	lfd = loopback_listener(&addr, 1);
	wfd = socket(AF_INET, SOCK_STREAM, 0);
	/* On loopback the handshake completes inside connect(). */
	if (wfd < 0 || connect(wfd, (struct sockaddr *)&addr, sizeof(addr)))
		die("connect");
	rfd = accept(lfd, NULL, NULL);
	if (rfd < 0)
		die("accept");
	set_nodelay(wfd);

	t0 = now_ns();
	for (unsigned long long i = 0; i < n; i++) {
		if (write(wfd, msg, sizeof(msg)) != sizeof(msg))
			die("write");
		calls += 1 + read_all(rfd, buf, sizeof(buf));
	}
	print_result("tcp_stream", n, calls, now_ns() - t0, first);
	close(rfd);
	close(wfd);
	close(lfd);
	return 0;
}
