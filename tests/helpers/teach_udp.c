// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * UDP calls with a known outcome, for the teaching layer's tests
 * (tests/test_explain.c). Every socket is on 127.0.0.1; run it in a fresh
 * network namespace. What the tests need to know is printed as
 * "teach: ..." lines on stdout.
 *
 *   teach_udp wait      a receiver (fd 3) blocks in recvfrom() while a
 *                       child process named "teach_sender" sleeps 0.3 s,
 *                       then sends "hello" from an unbound socket (its
 *                       fd 4; fd 3 is inherited). Prints "teach: port P"
 *                       and "teach: sender PID port Q" (Q from
 *                       getsockname after the send)
 *   teach_udp eagain    recvfrom(3, ..., MSG_DONTWAIT) on an empty
 *                       socket, then recvfrom on an empty SOCK_NONBLOCK
 *                       socket (fd 4): both EAGAIN
 *   teach_udp drop N    a receiver (fd 3) with the smallest SO_RCVBUF
 *                       that does not read while "teach_sender" (its
 *                       fd 4) sends N datagrams of 1000 bytes; then it
 *                       reads what was kept. Prints "teach: port P",
 *                       "teach: sender PID" and "teach: received K"
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "teach_common.h"

#define DROP_SIZE	1000

/* A UDP socket bound to 127.0.0.1 on a port the kernel picks. */
static int receiver(int flags)
{
	return bound(SOCK_DGRAM | flags, 0, -1);
}

/* In a child named teach_sender: n datagrams of size bytes to port. */
static pid_t start_sender(int port, int n, size_t size, long delay_ms)
{
	struct sockaddr_in sin = loopback(port);
	static char data[DROP_SIZE];
	pid_t pid = fork_named("teach_sender");
	int fd;

	if (pid)
		return pid;
	sleep_ms(delay_ms);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd != 4)
		_exit(fail("sender socket"));
	memset(data, 'x', sizeof(data));
	if (size == 5)
		memcpy(data, "hello", 5);
	for (int i = 0; i < n; i++)
		if (sendto(fd, data, size, 0, (struct sockaddr *)&sin,
			   sizeof(sin)) != (ssize_t)size)
			_exit(fail("sendto"));
	say("teach: sender %d port %d\n", getpid(), local_port(fd));
	_exit(0);
}

static int wait_for_data(void)
{
	struct sockaddr_in from;
	socklen_t len = sizeof(from);
	int fd = receiver(0), port;
	char buf[64];
	pid_t pid;

	if (fd != 3)
		return fail("receiver");
	port = local_port(fd);
	say("teach: port %d\n", port);
	pid = start_sender(port, 1, 5, 300);
	if (recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
		     &len) != 5)
		return fail("recvfrom");
	if (reap(pid, "sender"))
		return 1;
	close(fd);
	return 0;
}

static int eagain(void)
{
	int fd = receiver(0), nb = receiver(SOCK_NONBLOCK);
	char buf[64];

	if (fd != 3 || nb != 4)
		return fail("receivers");
	if (!failed_with(recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, NULL,
				  NULL), EAGAIN))
		return fail("recvfrom MSG_DONTWAIT did not fail with EAGAIN");
	if (!failed_with(recvfrom(nb, buf, sizeof(buf), 0, NULL, NULL),
			 EAGAIN))
		return fail("recvfrom on SOCK_NONBLOCK did not fail with EAGAIN");
	close(nb);
	close(fd);
	return 0;
}

static int drop(int n)
{
	int fd = receiver(0), size = 1, port, kept = 0;
	char buf[DROP_SIZE];
	pid_t pid;

	if (fd != 3)
		return fail("receiver");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)))
		return fail("SO_RCVBUF");
	port = local_port(fd);
	say("teach: port %d\n", port);
	pid = start_sender(port, n, DROP_SIZE, 0);
	if (reap(pid, "sender"))
		return 1;
	while (recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, NULL, NULL) ==
	       DROP_SIZE)
		kept++;
	say("teach: received %d\n", kept);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "wait"))
		return wait_for_data();
	if (argc == 2 && !strcmp(argv[1], "eagain"))
		return eagain();
	if (argc == 3 && !strcmp(argv[1], "drop"))
		return drop(atoi(argv[2]));
	fprintf(stderr, "usage: teach_udp wait | eagain | drop N\n");
	return 2;
}
