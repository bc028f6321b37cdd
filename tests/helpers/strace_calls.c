// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Makes the socket calls listed in a file, one a line, so that a test can
 * run this under strace and compare strace's decoding with ours:
 *
 *	socket FAMILY TYPE PROTOCOL	socketpair FAMILY TYPE PROTOCOL
 *	setsockopt LEVEL OPTNAME	getsockopt LEVEL OPTNAME
 *	shutdown HOW			accept4 FLAGS
 *	sendto FLAGS			recvfrom FLAGS
 *	errno ERR		shutdown(ERR, ERRNO_MAGIC), which a seccomp
 *				filter fails with errno ERR
 *	send HEX		sendto(-1, bytes, n, 0, NULL, 0) with the bytes
 *				given in hex (at most 1024)
 *	sendmsg FLAGS			recvmsg FLAGS	(a NULL msghdr)
 *	listen FD BACKLOG	on that descriptor, not -1
 *	connect LEN HEX		connect(-1, bytes, LEN): the address's bytes in
 *				hex, zeros after them up to 1024, at
 *				STRACE_CALLS_ADDR
 *
 * Numbers in C syntax (5, 0x10, -1). Every call but socket(), socketpair()
 * and listen() is made on fd -1, with NULL pointers but connect's, so
 * nothing happens but the decoding (socketpair's NULL: EFAULT). Exit
 * status: 0, or 2 for a bad line or file, 3 when the seccomp filter
 * failed, 4 when STRACE_CALLS_ADDR could not be mapped.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "helpers/strace_calls.h"

#define ERRNO_MAGIC	0x5eed
#define HEX_MAX		1024

/* shutdown(err, ERRNO_MAGIC) fails with errno err (at most 4095). */
static int install_errno_filter(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_shutdown, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, args[1])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ERRNO_MAGIC, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, args[0])),
		BPF_STMT(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO),
		BPF_STMT(BPF_RET | BPF_A, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = sizeof(f) / sizeof(f[0]),
		.filter = f,
	};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
		return -errno;
	return 0;
}

static int parse_args(const char *s, int *v, int n)
{
	char *end;
	int i;

	for (i = 0; i < n; i++) {
		errno = 0;
		v[i] = (int)strtoll(s, &end, 0);
		if (end == s || errno)
			return -EINVAL;
		s = end;
	}
	return 0;
}

static void close_if_open(int fd)
{
	if (fd >= 0)
		close(fd);
}

static int run_call(const char *name, const int *v)
{
	if (!strcmp(name, "socket"))
		close_if_open(socket(v[0], v[1], v[2]));
	else if (!strcmp(name, "socketpair"))
		socketpair(v[0], v[1], v[2], NULL);
	else if (!strcmp(name, "setsockopt"))
		setsockopt(-1, v[0], v[1], NULL, 0);
	else if (!strcmp(name, "getsockopt"))
		getsockopt(-1, v[0], v[1], NULL, NULL);
	else if (!strcmp(name, "shutdown"))
		shutdown(-1, v[0]);
	else if (!strcmp(name, "accept4"))
		accept4(-1, NULL, NULL, v[0]);
	else if (!strcmp(name, "sendto"))
		sendto(-1, NULL, 0, v[0], NULL, 0);
	else if (!strcmp(name, "recvfrom"))
		recvfrom(-1, NULL, 0, v[0], NULL, NULL);
	else if (!strcmp(name, "sendmsg"))
		sendmsg(-1, NULL, v[0]);
	else if (!strcmp(name, "recvmsg"))
		recvmsg(-1, NULL, v[0]);
	else if (!strcmp(name, "listen"))
		listen(v[0], v[1]);
	else if (!strcmp(name, "errno"))
		shutdown(v[0], ERRNO_MAGIC);
	else
		return -EINVAL;
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Bytes given in hex into buf (1024 bytes, zeroed): their count, or -1. */
static int parse_hex(const char *hex, unsigned char *buf)
{
	int n = 0, hi, lo;

	memset(buf, 0, HEX_MAX);
	while (*hex == ' ')
		hex++;
	for (; *hex && *hex != '\n'; hex += 2) {
		hi = hex_digit(hex[0]);
		lo = hi < 0 ? -1 : hex_digit(hex[1]);
		if (lo < 0 || n == HEX_MAX)
			return -1;
		buf[n++] = hi << 4 | lo;
	}
	return n;
}

static int send_hex(const char *hex)
{
	unsigned char buf[HEX_MAX];
	int n = parse_hex(hex, buf);

	if (n < 0)
		return -EINVAL;
	sendto(-1, buf, n, 0, NULL, 0);
	return 0;
}

/* "connect LEN HEX": the length first, then the address's bytes. */
static int connect_hex(const char *args)
{
	unsigned char *buf = (unsigned char *)STRACE_CALLS_ADDR;
	char *end;
	long len;

	errno = 0;
	len = strtol(args, &end, 0);
	if (end == args || errno || parse_hex(end, buf) < 0)
		return -EINVAL;
	connect(-1, (struct sockaddr *)buf, (socklen_t)len);
	return 0;
}

static int map_connect_page(void)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE;
	void *p = mmap((void *)STRACE_CALLS_ADDR, HEX_MAX,
		       PROT_READ | PROT_WRITE, flags, -1, 0);

	return p == (void *)STRACE_CALLS_ADDR ? 0 : -1;
}

static int run_line(const char *line)
{
	char name[16];
	int v[3] = { 0 }, n;

	if (sscanf(line, "%15s%n", name, &n) != 1)
		return 0;
	if (!strcmp(name, "send"))
		return send_hex(line + n);
	if (!strcmp(name, "connect"))
		return connect_hex(line + n);
	if (parse_args(line + n, v, !strncmp(name, "socket", 6) ? 3 :
		       strstr(name, "sockopt") || !strcmp(name, "listen") ?
		       2 : 1))
		return -EINVAL;
	return run_call(name, v);
}

int main(int argc, char **argv)
{
	char line[4096];
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: strace_calls FILE\n");
		return 2;
	}
	f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	if (install_errno_filter()) {
		perror("seccomp");
		return 3;
	}
	if (map_connect_page()) {
		perror("mmap");
		return 4;
	}
	while (fgets(line, sizeof(line), f)) {
		if (run_line(line)) {
			fprintf(stderr, "strace_calls: bad line: %s", line);
			return 2;
		}
	}
	fclose(f);
	return 0;
}
