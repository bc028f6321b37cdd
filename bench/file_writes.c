// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * File writes: N iterations of a write() of 64 bytes to /dev/null, a
 * write() of 64 bytes to a pipe and a read() of them back from it, in one
 * process. One iteration = 3 calls, none of them on a socket.
 *
 * sockscope's programs see each of these calls (read and write are traced
 * when the descriptor is a socket) and drop them in the kernel at
 * sys_enter, so a traced run records nothing of the loop: its ratio to an
 * untraced run is what that check costs a traced process. Here "calls"
 * are the calls the check looks at, not calls a tracer has to record.
 */
#include <fcntl.h>
#include <unistd.h>

#include "bench.h"

#define USAGE	"file_writes N"
#define CHUNK	64

static void write_chunk(int fd, const char *buf)
{
	if (write(fd, buf, CHUNK) != CHUNK)
		die("write");
}

int main(int argc, char **argv)
{
	unsigned long long n, t0, first;
	char msg[CHUNK] = "sockscope bench", buf[CHUNK];
	int null_fd, pipe_fd[2];

	if (argc != 2) {
		fprintf(stderr, "usage: %s\n", USAGE);
		return 2;
	}
	n = parse_count(argv[1], "N", USAGE);

	first = now_ns();
	null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null_fd < 0)
		die("open /dev/null");
	if (pipe2(pipe_fd, O_CLOEXEC))
		die("pipe2");

	t0 = now_ns();
	for (unsigned long long i = 0; i < n; i++) {
		write_chunk(null_fd, msg);
		/* CHUNK < PIPE_BUF: written and read back whole. */
		write_chunk(pipe_fd[1], msg);
		if (read(pipe_fd[0], buf, sizeof(buf)) != CHUNK)
			die("read");
	}
	print_result("file_writes", n, 3 * n, now_ns() - t0, first);
	close(pipe_fd[0]);
	close(pipe_fd[1]);
	close(null_fd);
	return 0;
}
