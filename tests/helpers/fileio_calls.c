// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Moves data with the file-style calls -- read, write, readv, writev,
 * sendfile, splice -- on TCP, UDP and UNIX sockets, and on a pipe and a
 * regular file, so that a test can run it under strace and sockscope at
 * once: every call on a socket must appear in both, decoded alike, and
 * the calls on the pipe and the file in strace's trace only.
 *
 * Each read asks for exactly what was written (on loopback a segment
 * arrives whole), so every result is known in advance. A second thread
 * makes calls of its own, after the main thread's. Exit status 0, or 1
 * with a message when a call does not do what it should.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "fileio_calls:%d: %s: %s\n",	\
				__LINE__, #cond, strerror(errno));	\
			exit(1);					\
		}							\
	} while (0)

/* The article's Chinese line, and bytes strace escapes. */
static const char utf8_text[] = "你好, 世界\n";
static const char odd_bytes[] = "ab\0\n\x01\x7f\xff";
/* Longer than the 32 bytes strace and the test show. */
static const char long_text[] =
	"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH";

struct pair {
	int a, b;	/* what a writes, b reads */
};

static struct pair tcp_pair(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	struct pair p;
	int l;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(l >= 0);
	CHECK(!bind(l, (struct sockaddr *)&sin, sizeof(sin)));
	CHECK(!listen(l, 1));
	CHECK(!getsockname(l, (struct sockaddr *)&sin, &len));
	p.a = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(p.a >= 0);
	CHECK(!connect(p.a, (struct sockaddr *)&sin, sizeof(sin)));
	p.b = accept(l, NULL, NULL);
	CHECK(p.b >= 0);
	close(l);
	return p;
}

static struct pair udp_pair(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET }, sb;
	socklen_t len = sizeof(sa);
	struct pair p;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sb = sa;
	p.a = socket(AF_INET, SOCK_DGRAM, 0);
	p.b = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(p.a >= 0 && p.b >= 0);
	CHECK(!bind(p.b, (struct sockaddr *)&sb, sizeof(sb)));
	CHECK(!getsockname(p.b, (struct sockaddr *)&sb, &len));
	CHECK(!connect(p.a, (struct sockaddr *)&sb, sizeof(sb)));
	len = sizeof(sa);
	CHECK(!getsockname(p.a, (struct sockaddr *)&sa, &len));
	CHECK(!connect(p.b, (struct sockaddr *)&sa, sizeof(sa)));
	return p;
}

static struct pair unix_pair(void)
{
	int sv[2];

	CHECK(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	return (struct pair){ sv[0], sv[1] };
}

/* write() n bytes on a, read() them back on b. */
static void write_read(struct pair p, const void *buf, size_t n)
{
	char got[256];

	CHECK(write(p.a, buf, n) == (ssize_t)n);
	CHECK(read(p.b, got, n) == (ssize_t)n);
	CHECK(!memcmp(got, buf, n));
}

/* writev() three iovecs (one empty) on a; readv() them into two. */
static void writev_readv(struct pair p)
{
	char head[3], rest[100];
	struct iovec out[3] = {
		{ (void *)"ab", 2 }, { (void *)"", 0 },
		{ (void *)long_text, sizeof(long_text) - 1 },
	};
	struct iovec in[2] = { { head, sizeof(head) }, { rest, sizeof(rest) } };
	ssize_t n = 2 + sizeof(long_text) - 1;

	CHECK(writev(p.a, out, 3) == n);
	CHECK(readv(p.b, in, 2) == n);
}

/* The file-style calls on a pipe and a regular file: not socket I/O. */
static int not_sockets(int pipefd[2])
{
	char path[] = "/tmp/sockscope-fileio-XXXXXX", buf[16];
	struct iovec iov = { buf, 4 };
	int f = mkstemp(path);

	CHECK(f >= 0);
	unlink(path);
	CHECK(write(f, "file data\n", 10) == 10);
	CHECK(lseek(f, 0, SEEK_SET) == 0);
	CHECK(read(f, buf, 4) == 4);
	CHECK(readv(f, &iov, 1) == 4);
	CHECK(write(pipefd[1], "pipe", 4) == 4);
	CHECK(read(pipefd[0], buf, 4) == 4);
	CHECK(writev(pipefd[1], &iov, 1) == 4);
	CHECK(read(pipefd[0], buf, 4) == 4);
	return f;
}

/* sendfile from the file into TCP, with an offset, without, and at the
 * end of the file (0 bytes); splice TCP -> pipe -> TCP. */
static void kernel_copies(struct pair tcp, int file, int pipefd[2])
{
	char got[32];
	off_t off = 0;

	CHECK(sendfile(tcp.a, file, &off, 100) == 10);
	CHECK(read(tcp.b, got, 10) == 10);
	CHECK(sendfile(tcp.a, file, &off, 100) == 0);
	CHECK(lseek(file, 5, SEEK_SET) == 5);
	CHECK(sendfile(tcp.a, file, NULL, 100) == 5);
	CHECK(read(tcp.b, got, 5) == 5);
	CHECK(write(tcp.a, "splice me", 9) == 9);
	CHECK(splice(tcp.b, NULL, pipefd[1], NULL, 4096,
		     SPLICE_F_MOVE | SPLICE_F_MORE) == 9);
	CHECK(splice(pipefd[0], NULL, tcp.a, NULL, 4096, 0) == 9);
	CHECK(read(tcp.b, got, 9) == 9);
}

/* Calls that fail: nothing to read yet (EAGAIN), a closed stream
 * (EPIPE), a bad buffer (EFAULT). */
static void failures(struct pair udp, struct pair tcp)
{
	char buf[8];
	struct iovec iov = { buf, sizeof(buf) };
	void *volatile bad = (void *)8;	/* no page is mapped there */

	CHECK(fcntl(udp.b, F_SETFL, O_NONBLOCK) == 0);
	CHECK(read(udp.b, buf, sizeof(buf)) < 0 && errno == EAGAIN);
	CHECK(readv(udp.b, &iov, 1) < 0 && errno == EAGAIN);
	CHECK(write(udp.a, bad, 4) < 0 && errno == EFAULT);
	CHECK(!shutdown(tcp.a, SHUT_WR));
	CHECK(write(tcp.a, "x", 1) < 0 && errno == EPIPE);
	CHECK(read(tcp.b, buf, sizeof(buf)) == 0);
}

static void *second_thread(void *arg)
{
	struct pair *p = arg;

	write_read(*p, "from the thread", 15);
	writev_readv(*p);
	return NULL;
}

int main(void)
{
	struct pair tcp = tcp_pair(), udp = udp_pair(), ux = unix_pair();
	pthread_t thread;
	int pipefd[2], file;

	signal(SIGPIPE, SIG_IGN);
	CHECK(!pipe(pipefd));
	file = not_sockets(pipefd);

	write_read(tcp, "hello\n", 6);
	write_read(tcp, utf8_text, sizeof(utf8_text) - 1);
	write_read(tcp, odd_bytes, sizeof(odd_bytes) - 1);
	write_read(tcp, long_text, sizeof(long_text) - 1);
	writev_readv(tcp);
	write_read(udp, "one datagram", 12);
	writev_readv(udp);
	write_read(ux, "unix", 4);
	writev_readv(ux);
	kernel_copies(tcp, file, pipefd);
	failures(udp, tcp);

	CHECK(!pthread_create(&thread, NULL, second_thread, &ux));
	CHECK(!pthread_join(thread, NULL));
	return 0;
}
