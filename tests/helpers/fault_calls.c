// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Socket calls for the fault tests (tests/test_faults.c).
 *
 *   fault_calls block recvfrom|accept|recvmsg
 *	read a line from stdin; socket, bind to 127.0.0.1 port 0 (and
 *	listen for accept); print "ready"; then block in the call forever.
 *	The test kills it there.
 *   fault_calls fdreuse
 *	descriptor 3 closed and reused, by sockets and by a file (whose
 *	close is no socket call); a socket closed through a dup.
 *   fault_calls forker
 *	for each line "fork" on stdin: fork a child that makes one
 *	socket(12345, SOCK_STREAM, 0) call and exits; wait for it; print
 *	"child PID". Ends at end of input.
 *   fault_calls burst FILE
 *	read a line from stdin, then socket(12345, ...) calls until
 *	SIGTERM, keeping the number of calls made so far in the first 8
 *	bytes of FILE (shared, mapped); at SIGTERM print "calls N".
 *
 * socket(12345, ...) fails with EAFNOSUPPORT: cheap and easy to count.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>

#define BOGUS_FAMILY	12345

static int wait_for_go(void)
{
	char line[64];

	return fgets(line, sizeof(line), stdin) ? 0 : -1;
}

static int block(const char *call)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	bool stream = !strcmp(call, "accept");
	char buf[64];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	int fd;

	if (wait_for_go())
		return 1;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, stream ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)))
		return 1;
	if (stream && listen(fd, 1))
		return 1;
	printf("ready\n");
	fflush(stdout);
	if (stream)
		accept(fd, NULL, NULL);
	else if (!strcmp(call, "recvmsg"))
		recvmsg(fd, &msg, 0);
	else
		recvfrom(fd, buf, sizeof(buf), 0, NULL, NULL);
	return 1;	/* never returns: nobody sends */
}

static int fdreuse(void)
{
	int sv[2], fd;

	close(socket(AF_INET, SOCK_DGRAM, 0));		/* fd 3 */
	fd = open("/dev/null", O_RDONLY);		/* fd 3 again */
	close(fd);					/* not a socket */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);		/* fd 3 again */
	if (dup2(fd, 7) != 7)
		return 1;
	close(7);					/* the socket, via 7 */
	close(fd);
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))	/* fds 3 and 4 */
		return 1;
	close(sv[1]);
	close(sv[0]);
	close(sv[0]);					/* EBADF: not a socket */
	return 0;
}

static int forker(void)
{
	char line[64];
	pid_t child;

	while (fgets(line, sizeof(line), stdin)) {
		if (strcmp(line, "fork\n"))
			continue;
		child = fork();
		if (child < 0)
			return 1;
		if (child == 0) {
			socket(BOGUS_FAMILY, SOCK_STREAM, 0);
			_exit(0);
		}
		waitpid(child, NULL, 0);
		printf("child %d\n", child);
		fflush(stdout);
	}
	return 0;
}

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	stop = 1;
}

static int burst(const char *path)
{
	struct sigaction sa = { .sa_handler = on_term };
	volatile uint64_t *count;
	int fd;

	fd = open(path, O_RDWR | O_CREAT, 0600);
	if (fd < 0 || ftruncate(fd, sizeof(*count)))
		return 1;
	count = mmap(NULL, sizeof(*count), PROT_READ | PROT_WRITE,
		     MAP_SHARED, fd, 0);
	if (count == MAP_FAILED)
		return 1;
	sigaction(SIGTERM, &sa, NULL);
	if (wait_for_go())
		return 1;
	/* The count is raised after each call has returned: every call
	 * it counts has been through the tracepoints. */
	while (!stop) {
		socket(BOGUS_FAMILY, SOCK_STREAM, 0);
		__atomic_store_n(count, *count + 1, __ATOMIC_RELEASE);
	}
	printf("calls %llu\n", (unsigned long long)*count);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "block"))
		return block(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "fdreuse"))
		return fdreuse();
	if (argc == 2 && !strcmp(argv[1], "forker"))
		return forker();
	if (argc == 3 && !strcmp(argv[1], "burst"))
		return burst(argv[2]);
	fprintf(stderr,
		"usage: fault_calls block recvfrom|accept|recvmsg | fdreuse | forker | burst FILE\n");
	return 2;
}
