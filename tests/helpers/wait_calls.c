// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Waits on sockets -- poll, ppoll, select, pselect6, epoll_ctl,
 * epoll_wait, epoll_pwait -- and the same waits on a pipe alone, for a
 * test that runs this under strace and sockscope at once: the waits that
 * involve a socket must read alike in both, the others appear in
 * strace's trace only. Every wait's outcome is known in advance: a
 * pending connection on the listener, a datagram on the UDP socket, room
 * to write on the client, the peer's FIN, and timeouts where nothing is
 * ready. The epoll instance that holds only the pipe is waited on with
 * maxevents 7 (the test tells it by that).
 *
 *	wait_calls idle		a server that is already waiting when the
 *				tracer starts: prints "port N", then sits in
 *				epoll_wait() until a client connects to N,
 *				accepts it and exits
 *
 * Exit status 0, or 1 with a message.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "wait_calls:%d: %s: %s\n",	\
				__LINE__, #cond, strerror(errno));	\
			exit(1);					\
		}							\
	} while (0)

struct fds {
	int lsn, cli, udp, pipe[2];
};

static void open_all(struct fds *f)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	f->lsn = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(f->lsn >= 0);
	CHECK(!bind(f->lsn, (struct sockaddr *)&a, sizeof(a)));
	CHECK(!listen(f->lsn, 4));
	CHECK(!getsockname(f->lsn, (struct sockaddr *)&a, &len));
	/* A connection waits in the listener's accept queue. */
	f->cli = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(f->cli >= 0);
	CHECK(!connect(f->cli, (struct sockaddr *)&a, sizeof(a)));
	f->udp = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(f->udp >= 0);
	a.sin_port = 0;
	CHECK(!bind(f->udp, (struct sockaddr *)&a, sizeof(a)));
	CHECK(!pipe(f->pipe));
}

static void polls(struct fds *f)
{
	struct pollfd three[3] = {
		{ f->lsn, POLLIN, 0 }, { f->cli, POLLIN | POLLOUT, 0 },
		{ f->pipe[0], POLLIN, 0 },
	};
	struct pollfd udp = { f->udp, POLLIN, 0 };
	struct pollfd pipe_only = { f->pipe[0], POLLIN, 0 };
	/* A negative fd is skipped by the kernel, and by strace's decoding
	 * of its events. */
	struct pollfd skipped[2] = { { f->udp, POLLIN, 0 }, { -1, POLLIN, 0 } };
	struct timespec ts = { 1, 500 }, short_ts = { 0, 1000000 };
	sigset_t mask;

	CHECK(poll(three, 3, 1000) == 2);
	CHECK(poll(&udp, 1, 5) == 0);
	CHECK(poll(&pipe_only, 1, 1) == 0);
	CHECK(poll(skipped, 2, 0) == 0);
	CHECK(ppoll(three, 3, &ts, NULL) == 2);
	sigemptyset(&mask);
	CHECK(ppoll(&udp, 1, &short_ts, &mask) == 0);
	CHECK(ppoll(&pipe_only, 1, &short_ts, &mask) == 0);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	CHECK(ppoll(three, 1, NULL, &mask) == 1);
}

static void selects(struct fds *f)
{
	struct timeval tv = { 2, 0 };
	struct timespec ts = { 1, 0 };
	fd_set r, w;
	sigset_t mask;

	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(f->lsn, &r);
	FD_SET(f->pipe[0], &r);
	FD_SET(f->cli, &w);
	/* glibc's select() is pselect6; this is the select syscall. */
	CHECK(syscall(SYS_select, f->pipe[1] + 1, &r, &w, NULL, &tv) == 2);
	FD_ZERO(&r);
	FD_SET(f->lsn, &r);
	CHECK(pselect(f->pipe[1] + 1, &r, NULL, NULL, &ts, NULL) == 1);
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	CHECK(pselect(f->pipe[1] + 1, &r, NULL, NULL, &ts, &mask) == 1);
	FD_ZERO(&r);
	FD_SET(f->pipe[0], &r);
	ts.tv_sec = 0;
	ts.tv_nsec = 1000000;
	CHECK(pselect(f->pipe[1] + 1, &r, NULL, NULL, &ts, NULL) == 0);
}

static void epolls(struct fds *f)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 3 };
	struct epoll_event out[8];
	int ep = epoll_create1(EPOLL_CLOEXEC), pipe_ep = epoll_create1(0);
	sigset_t mask;

	CHECK(ep >= 0 && pipe_ep >= 0);
	ev.data.fd = f->lsn;
	CHECK(!epoll_ctl(ep, EPOLL_CTL_ADD, f->lsn, &ev));
	ev.events = EPOLLIN | EPOLLOUT | EPOLLET;
	ev.data.u64 = 0x1234567890ULL;
	CHECK(!epoll_ctl(ep, EPOLL_CTL_ADD, f->cli, &ev));
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, f->cli, &ev) < 0 &&
	      errno == EEXIST);
	ev.events = EPOLLIN;
	CHECK(!epoll_ctl(ep, EPOLL_CTL_ADD, f->pipe[0], &ev));
	CHECK(epoll_wait(ep, out, 8, 100) == 2);
	CHECK(epoll_pwait(ep, out, 8, 0, NULL) == 1);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	CHECK(epoll_pwait(ep, out, 8, 0, &mask) == 1);
	CHECK(!epoll_ctl(ep, EPOLL_CTL_DEL, f->cli, NULL));
	ev.events = EPOLLIN | EPOLLRDHUP;
	ev.data.fd = f->lsn;
	CHECK(!epoll_ctl(ep, EPOLL_CTL_MOD, f->lsn, &ev));
	CHECK(!epoll_ctl(pipe_ep, EPOLL_CTL_ADD, f->pipe[0], &ev));
	CHECK(epoll_wait(pipe_ep, out, 7, 1) == 0);
}

/* A datagram arrives; then the peer of an accepted connection closes. */
static void arrivals(struct fds *f)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	struct pollfd p = { f->udp, POLLIN, 0 };
	int conn;

	CHECK(!getsockname(f->udp, (struct sockaddr *)&a, &len));
	CHECK(sendto(f->udp, "hi", 2, 0, (struct sockaddr *)&a, len) == 2);
	CHECK(poll(&p, 1, 1000) == 1);
	conn = accept(f->lsn, NULL, NULL);
	CHECK(conn >= 0);
	CHECK(!shutdown(f->cli, SHUT_WR));
	p = (struct pollfd){ conn, POLLIN | POLLRDHUP, 0 };
	CHECK(poll(&p, 1, 1000) == 1);
}

static int idle_server(void)
{
	struct epoll_event ev = { .events = EPOLLIN }, out[8];
	struct fds f;
	int ep;

	open_all(&f);
	ep = epoll_create1(0);
	CHECK(ep >= 0);
	/* The client's own connection is taken first. */
	CHECK(accept(f.lsn, NULL, NULL) >= 0);
	ev.data.fd = f.lsn;
	CHECK(!epoll_ctl(ep, EPOLL_CTL_ADD, f.lsn, &ev));
	{
		struct sockaddr_in a;
		socklen_t len = sizeof(a);

		CHECK(!getsockname(f.lsn, (struct sockaddr *)&a, &len));
		printf("port %u\n", ntohs(a.sin_port));
		fflush(stdout);
	}
	CHECK(epoll_wait(ep, out, 8, -1) == 1);
	CHECK(accept(f.lsn, NULL, NULL) >= 0);
	return 0;
}

int main(int argc, char **argv)
{
	struct fds f;

	if (argc > 1 && !strcmp(argv[1], "idle"))
		return idle_server();
	open_all(&f);
	polls(&f);
	selects(&f);
	epolls(&f);
	arrivals(&f);
	return 0;
}
