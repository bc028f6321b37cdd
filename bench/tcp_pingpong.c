// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * TCP ping-pong: M request/response round trips of 64 bytes on one
 * loopback connection, the server in a thread of the same process (so a
 * tracer that follows one process sees both ends). One iteration = one
 * round trip = 4 socket calls: the client's sendto and recvfrom, the
 * server's recvfrom and sendto.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

#define USAGE	"tcp_pingpong M"
#define MSG	64

struct server {
	int listen_fd;
	unsigned long long rounds;
	unsigned long long calls;	/* all of the server's */
	unsigned long long warmup_calls;	/* in the first round trip */
};

/* Read exactly len bytes; counts the recvfrom calls. 0, or -1 at EOF. */
static int recv_all(int fd, char *buf, size_t len, unsigned long long *calls)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = recvfrom(fd, buf + got, len - got, 0, NULL, NULL);
		(*calls)++;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("recvfrom");
		if (n == 0)
			return -1;
		got += n;
	}
	return 0;
}

static void send_all(int fd, const char *buf, size_t len,
		     unsigned long long *calls)
{
	if (sendto(fd, buf, len, 0, NULL, 0) != (ssize_t)len)
		die("sendto");
	(*calls)++;
}

static void *serve(void *arg)
{
	struct server *s = arg;
	char buf[MSG];
	int fd;

	fd = accept(s->listen_fd, NULL, NULL);
	if (fd < 0)
		die("accept");
	set_nodelay(fd);
	for (unsigned long long i = 0; i < s->rounds; i++) {
		if (recv_all(fd, buf, sizeof(buf), &s->calls))
			break;
		send_all(fd, buf, sizeof(buf), &s->calls);
		if (i == 0)
			s->warmup_calls = s->calls;
	}
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long long m, calls = 0, t0, elapsed, first;
	struct sockaddr_in addr;
	struct server srv = {};
	char buf[MSG] = "ping";
	pthread_t thread;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s\n", USAGE);
		return 2;
	}
	m = parse_count(argv[1], "M", USAGE);

	first = now_ns();
	srv.listen_fd = loopback_listener(&addr, 1);
	srv.rounds = m + 1;	/* a warm-up round, then m timed */
	errno = pthread_create(&thread, NULL, serve, &srv);
	if (errno)
		die("pthread_create");
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)))
		die("connect");
	set_nodelay(fd);
	/* One round trip before the clock starts: the server is in its loop. */
	send_all(fd, buf, sizeof(buf), &calls);
	if (recv_all(fd, buf, sizeof(buf), &calls))
		die("server closed the connection");
	calls = 0;

	t0 = now_ns();
	for (unsigned long long i = 0; i < m; i++) {
		send_all(fd, buf, sizeof(buf), &calls);
		if (recv_all(fd, buf, sizeof(buf), &calls))
			die("server closed the connection");
	}
	elapsed = now_ns() - t0;
	close(fd);
	pthread_join(thread, NULL);
	print_result("tcp_pingpong", m,
		     calls + srv.calls - srv.warmup_calls, elapsed, first);
	close(srv.listen_fd);
	return 0;
}
