// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * TCP calls with a known outcome, for the teaching layer's tests
 * (tests/test_explain.c). Every socket is on 127.0.0.1; run it in a fresh
 * network namespace. What the tests need to know (ports, pids) is printed
 * as "teach: ..." lines on stdout.
 *
 *   teach_tcp protocol  socket(AF_INET, SOCK_STREAM, 0) = 3,
 *                       socket(AF_INET, SOCK_DGRAM, 0) = 4,
 *                       socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 5
 *   teach_tcp conn N [MS]
 *                       a listener (fd 3) and N connections one after the
 *                       other, each from a new child process named
 *                       "teach_client" (its socket is fd 4; it inherits
 *                       fd 3); the client sends "ping", reads "pong" and
 *                       closes first; the server (accepted fd 4) reads
 *                       end of stream, then closes. Prints
 *                       "teach: port P" and, per client,
 *                       "teach: client PID port Q" (Q from getsockname);
 *                       with MS, then "teach: done" and MS ms of sleep
 *   teach_tcp lateclose MS
 *                       conn 1, but the server waits MS ms after the
 *                       end of stream before its close(): the client's
 *                       FIN_WAIT2 outlives its socket
 *   teach_tcp refused   connect (fd 3) to 127.0.0.1:1, where nobody
 *                       listens: ECONNREFUSED
 *   teach_tcp backlog   listen(3, 1000000) and listen(4, 5), each on its
 *                       own port; then 10 non-blocking connects to fd 4,
 *                       which never accepts until they are done; then
 *                       non-blocking accepts until EAGAIN; prints
 *                       "teach: queued N", how many it accepted
 *   teach_tcp inuse     fd 3 bound and listening on port P, then fd 4's
 *                       bind to the same port fails with EADDRINUSE;
 *                       prints "teach: port P"
 *   teach_tcp reuse     fd 3: a UDP receiver (port R); fd 4: a listener;
 *                       fd 5: a TCP client, connected, closed (and the
 *                       connection finished); then socket(UDP) reuses
 *                       fd 5 and sends "hello" to R; prints
 *                       "teach: udp port R" and "teach: tcp port Q" (fd
 *                       5's port while it was TCP)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "teach_common.h"

static int protocol(void)
{
	int a = socket(AF_INET, SOCK_STREAM, 0);
	int b = socket(AF_INET, SOCK_DGRAM, 0);
	int c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

	if (a != 3 || b != 4 || c != 5)
		return fail("socket");
	close(c);
	close(b);
	close(a);
	return 0;
}

/* One client, in a child process: ping, pong, close first. */
static void client(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	char buf[16];

	if (fd < 0 || connect_loopback(fd, port))
		_exit(fail("client connect"));
	say("teach: client %d port %d\n", getpid(), local_port(fd));
	if (send(fd, "ping", 4, 0) != 4 || recv(fd, buf, sizeof(buf), 0) != 4)
		_exit(fail("client exchange"));
	close(fd);
	_exit(0);
}

/* How long the server waits between the end of stream and its close. */
static long close_delay_ms;

/* The server's side of one connection: pong, end of stream, close. */
static int serve_one(int lfd)
{
	char buf[16];
	int fd = accept(lfd, NULL, NULL);

	if (fd < 0)
		return fail("accept");
	if (recv(fd, buf, sizeof(buf), 0) != 4 || send(fd, "pong", 4, 0) != 4)
		return fail("server exchange");
	if (recv(fd, buf, sizeof(buf), 0) != 0)
		return fail("server end of stream");
	if (close_delay_ms > 0)
		sleep_ms(close_delay_ms);
	close(fd);
	return 0;
}

static int conn(int n, long linger_ms)
{
	int lfd = bound(SOCK_STREAM, 0, 5), port;
	pid_t pid;

	if (lfd != 3)
		return fail("listener");
	port = local_port(lfd);
	say("teach: port %d\n", port);
	for (int i = 0; i < n; i++) {
		pid = fork_named("teach_client");
		if (pid < 0)
			return fail("fork");
		if (pid == 0)
			client(port);
		if (serve_one(lfd) || reap(pid, "client"))
			return 1;
	}
	close(lfd);
	if (linger_ms > 0) {
		say("teach: done\n");
		sleep_ms(linger_ms);
	}
	return 0;
}

static int refused(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd != 3)
		return fail("socket");
	if (!failed_with(connect_loopback(fd, 1), ECONNREFUSED))
		return fail("connect was not refused");
	close(fd);
	return 0;
}

#define CONNECTS	10

/*
 * CONNECTS non-blocking connects to a listener that does not accept: on
 * loopback each handshake is done within its connect(), or its SYN is
 * dropped because the accept queue is full. Then the queue is emptied
 * with non-blocking accepts: how many the kernel had queued.
 */
static int fill_queue(int lfd)
{
	int fds[CONNECTS], queued = 0, fd, port = local_port(lfd);

	for (int i = 0; i < CONNECTS; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (fds[i] < 0 || (connect_loopback(fds[i], port) &&
				   errno != EINPROGRESS))
			return fail("connect");
	}
	sleep_ms(50);
	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
		queued++;
		close(fd);
	}
	if (errno != EAGAIN)
		return fail("accept");
	say("teach: queued %d\n", queued);
	for (int i = 0; i < CONNECTS; i++)
		close(fds[i]);
	return 0;
}

static int backlog(void)
{
	int big = bound(SOCK_STREAM, 0, 1000000);
	int small = bound(SOCK_STREAM, 0, 5);

	if (big != 3 || small != 4)
		return fail("listen");
	if (fcntl(small, F_SETFL, O_NONBLOCK) || fill_queue(small))
		return 1;
	close(small);
	close(big);
	return 0;
}

static int inuse(void)
{
	int fd = bound(SOCK_STREAM, 0, 5), port, other;
	struct sockaddr_in sin;

	if (fd != 3)
		return fail("listener");
	port = local_port(fd);
	say("teach: port %d\n", port);
	sin = loopback(port);
	other = socket(AF_INET, SOCK_STREAM, 0);
	if (other != 4)
		return fail("socket");
	if (!failed_with(bind(other, (struct sockaddr *)&sin, sizeof(sin)),
			 EADDRINUSE))
		return fail("bind did not fail with EADDRINUSE");
	close(other);
	close(fd);
	return 0;
}

static int reuse(void)
{
	int ufd = bound(SOCK_DGRAM, 0, -1), lfd = bound(SOCK_STREAM, 0, 5);
	int cfd, afd, fd, uport = local_port(ufd), lport = local_port(lfd);
	struct sockaddr_in sin;
	char buf[16];

	if (ufd != 3 || lfd != 4)
		return fail("receivers");
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	if (cfd != 5 || connect_loopback(cfd, lport))
		return fail("connect");
	afd = accept(lfd, NULL, NULL);
	if (afd != 6)
		return fail("accept");
	say("teach: udp port %d\nteach: tcp port %d\n", uport, local_port(cfd));
	/* The client closes first; the server finishes the connection. */
	close(cfd);
	if (recv(afd, buf, sizeof(buf), 0) != 0)
		return fail("end of stream");
	close(afd);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd != 5)
		return fail("the UDP socket did not get fd 5");
	sin = loopback(uport);
	if (sendto(fd, "hello", 5, 0, (struct sockaddr *)&sin,
		   sizeof(sin)) != 5 ||
	    recvfrom(ufd, buf, sizeof(buf), 0, NULL, NULL) != 5)
		return fail("udp");
	close(fd);
	close(lfd);
	close(ufd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "protocol"))
		return protocol();
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "conn"))
		return conn(atoi(argv[2]), argc == 4 ? atol(argv[3]) : 0);
	if (argc == 3 && !strcmp(argv[1], "lateclose")) {
		close_delay_ms = atol(argv[2]);
		return conn(1, 0);
	}
	if (argc == 2 && !strcmp(argv[1], "refused"))
		return refused();
	if (argc == 2 && !strcmp(argv[1], "backlog"))
		return backlog();
	if (argc == 2 && !strcmp(argv[1], "inuse"))
		return inuse();
	if (argc == 2 && !strcmp(argv[1], "reuse"))
		return reuse();
	fprintf(stderr,
		"usage: teach_tcp protocol | conn N [MS] | lateclose MS | refused | backlog | inuse | reuse\n");
	return 2;
}
