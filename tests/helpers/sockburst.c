// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Makes socket calls on request, for the tracer's end-to-end tests.
 *
 *   sockburst burst N       N failing socket() calls as fast as it can
 *   sockburst wait N        read a line from stdin, then N socket() calls
 *   sockburst tree [wait]   socket() in a forked child, in a second thread
 *                           and in the main thread; prints "child PID" and
 *                           "thread TID" lines; with wait, reads a line
 *                           from stdin first. The child's socket is fd 4
 *                           (3 is its pipe), the others' fd 3.
 *   sockburst payload       UDP to itself over loopback: UTF-8 and binary
 *   sockburst numbered N    N datagrams to 127.0.0.1:9 (nobody there), the
 *                           i-th "#i:" then i % 40 dashes: a payload of its
 *                           own, of a length of its own
 *
 * Each socket() call of burst and wait uses family 12345 and fails with
 * EAFNOSUPPORT, so it costs little and is easy to count.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define BOGUS_FAMILY 12345

static void calls(long n)
{
	for (long i = 0; i < n; i++)
		socket(BOGUS_FAMILY, SOCK_STREAM, 0);
}

static void *thread_main(void *arg)
{
	printf("thread %ld\n", (long)syscall(SYS_gettid));
	fflush(stdout);
	close(socket(AF_UNIX, SOCK_DGRAM, 0));
	return NULL;
}

static int tree(void)
{
	pthread_t th;
	pid_t child;
	int go[2];
	char byte;

	if (pipe(go))
		return 1;
	child = fork();
	if (child == 0) {
		/* Wait until the parent printed our pid. */
		close(go[1]);
		if (read(go[0], &byte, 1) != 1)
			_exit(1);
		close(socket(AF_INET6, SOCK_DGRAM, 0));
		_exit(0);
	}
	printf("child %d\n", child);
	fflush(stdout);
	close(go[0]);
	if (write(go[1], "x", 1) != 1)
		return 1;
	close(go[1]);
	waitpid(child, NULL, 0);
	if (pthread_create(&th, NULL, thread_main, NULL))
		return 1;
	pthread_join(th, NULL);
	close(socket(AF_INET, SOCK_DGRAM, 0));
	return 0;
}

static int payload(void)
{
	static const char utf8[] = "你好，服务器";
	static const unsigned char binary[] = { 0x00, 0xff, 0x01, '\n', 'A' };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	char buf[64];
	int fd;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(fd, (struct sockaddr *)&sin, &len))
		return 1;
	sendto(fd, utf8, strlen(utf8), 0, (struct sockaddr *)&sin,
	       sizeof(sin));
	recvfrom(fd, buf, sizeof(buf), 0, NULL, NULL);
	sendto(fd, binary, sizeof(binary), 0, (struct sockaddr *)&sin,
	       sizeof(sin));
	recvfrom(fd, buf, sizeof(buf), 0, NULL, NULL);
	close(fd);
	return 0;
}

static int numbered(long n)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(9) };
	char msg[64];
	int fd, len;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return 1;
	for (long i = 0; i < n; i++) {
		len = snprintf(msg, sizeof(msg), "#%ld:", i);
		memset(msg + len, '-', i % 40);
		sendto(fd, msg, len + i % 40, 0, (struct sockaddr *)&sin,
		       sizeof(sin));
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	char line[16];

	if (argc == 3 && !strcmp(argv[1], "burst")) {
		calls(atol(argv[2]));
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "wait")) {
		if (!fgets(line, sizeof(line), stdin))
			return 1;
		calls(atol(argv[2]));
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "tree")) {
		if (argc == 3 && !fgets(line, sizeof(line), stdin))
			return 1;
		return tree();
	}
	if (argc == 2 && !strcmp(argv[1], "payload"))
		return payload();
	if (argc == 3 && !strcmp(argv[1], "numbered"))
		return numbered(atol(argv[2]));
	fprintf(stderr, "usage: sockburst burst N | wait N | tree | payload | numbered N\n");
	return 2;
}
