// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Makes every socket call sockscope decodes, with varied arguments and
 * the usual failures, so that a test can trace it with strace and with
 * sockscope at once and compare the two. Loopback only, in the current
 * network namespace; TCP and UDP ports are chosen by the kernel (bind to
 * port 0, read back with getsockname). A second thread and a forked child
 * make calls of their own.
 *
 * Deterministic: every call's outcome is checked. Prints nothing and
 * exits 0 when all went as expected; otherwise says what did not, on
 * stderr, and exits 1.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define BAD_FD		999
#define UNKNOWN_FAMILY	1234
#define UNKNOWN_TYPE	7	/* below SOCK_MAX, no protocol has it */
#define BAD_TYPE	15	/* at or above SOCK_MAX */
#define UNKNOWN_FLAG	0x100000
#define UNKNOWN_OPT	9999
#define UNKNOWN_MSG_FLAG 0x800000	/* no MSG_ name in strace 6.1 */
#define MANY_IOVS	20	/* strace shows up to 32 iovs */
#define POLL_MS		5000
#define LOOPBACK_IFINDEX 1	/* lo is always interface 1 */

static int failures;

static __attribute__((format(printf, 1, 2))) void complain(const char *fmt,
							   ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("sockcalls: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
}

/* A call that must succeed; returns its result. */
static long ok(long ret, const char *what)
{
	if (ret < 0)
		complain("%s: unexpected error %s", what,
			 strerrorname_np(errno));
	return ret;
}

/* A call that must return exactly want. */
static void returns(long want, long ret, const char *what)
{
	if (ret != want)
		complain("%s: returned %ld (%s), expected %ld", what, ret,
			 ret < 0 ? strerrorname_np(errno) : "ok", want);
}

/* A call that must fail with err. */
static void fails(int err, long ret, const char *what)
{
	int seen = errno;

	if (ret != -1)
		complain("%s: returned %ld, expected %s", what, ret,
			 strerrorname_np(err));
	else if (seen != err)
		complain("%s: failed with %s, expected %s", what,
			 strerrorname_np(seen), strerrorname_np(err));
}

static struct sockaddr_in ipv4_addr(const char *ip, in_port_t port)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
	};

	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

static struct sockaddr_in6 ipv6_addr(const char *ip, in_port_t port)
{
	struct sockaddr_in6 a = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(port),
	};

	inet_pton(AF_INET6, ip, &a.sin6_addr);
	return a;
}

/* An AF_UNIX address and its length; name starting with '\0': abstract. */
static socklen_t unix_addr(struct sockaddr_un *a, const char *name,
			   size_t len)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	memcpy(a->sun_path, name, len);
	return offsetof(struct sockaddr_un, sun_path) + len;
}

#define SA(a)	((struct sockaddr *)(a))

/* The port a socket is bound to, through getsockname (IPv4 or IPv6). */
static in_port_t bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (ok(getsockname(fd, SA(&ss), &len), "getsockname for port") < 0)
		return 0;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static int set_int(int fd, int level, int name, int value, const char *what)
{
	return ok(setsockopt(fd, level, name, &value, sizeof(value)), what);
}

/* Waits for events on fd; the wait itself is no socket call. */
static void wait_for(int fd, short events, const char *what)
{
	struct pollfd p = { .fd = fd, .events = events };

	if (poll(&p, 1, POLL_MS) != 1)
		complain("%s: no event 0x%x within %d ms", what, events,
			 POLL_MS);
}

/* Bound to 127.0.0.1 on a port of the kernel's choosing, not listening. */
static int ipv4_bound(int type, struct sockaddr_in *addr)
{
	int fd = ok(socket(AF_INET, type, 0), "socket for bind");

	*addr = ipv4_addr("127.0.0.1", 0);
	ok(bind(fd, SA(addr), sizeof(*addr)), "bind 127.0.0.1:0");
	addr->sin_port = htons(bound_port(fd));
	return fd;
}

/* --- arguments the kernel refuses ----------------------------------------- */

static void bad_sockets(void)
{
	int fd;

	fails(EAFNOSUPPORT, socket(UNKNOWN_FAMILY, SOCK_STREAM, 0),
	      "socket of an unknown family");
	fails(ESOCKTNOSUPPORT, socket(AF_INET, UNKNOWN_TYPE, 0),
	      "socket of an unknown type");
	fails(EINVAL, socket(AF_INET, BAD_TYPE, 0),
	      "socket of a type out of range");
	fails(EINVAL, socket(AF_INET, SOCK_STREAM | UNKNOWN_FLAG, 0),
	      "socket with an unknown flag");
	fails(EPROTONOSUPPORT, socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP),
	      "UDP socket with IPPROTO_TCP");
	fails(EPROTONOSUPPORT, socket(AF_INET6, SOCK_STREAM, IPPROTO_UDP),
	      "TCP6 socket with IPPROTO_UDP");
	fails(EPROTONOSUPPORT, socket(AF_UNIX, SOCK_STREAM, 2),
	      "AF_UNIX socket with protocol 2");
	fails(EPROTONOSUPPORT, socket(AF_NETLINK, SOCK_RAW, 99),
	      "netlink socket with protocol 99");
	fails(EOPNOTSUPP, socketpair(AF_INET, SOCK_STREAM, 0, (int[2]){}),
	      "socketpair of AF_INET");

	fd = ok(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), "socket");
	fails(EOPNOTSUPP, listen(fd, 5), "listen on UDP");
	close(fd);
}

/*
 * Values strace has no name for: a type whose low four bits name none
 * (77 is 0x4d: 0xd is no type, 0x40 no flag), protocols, a family, a
 * how; all refused before anything is created (a type at or above
 * SOCK_MAX fails before the family is looked at).
 */
static void unnamed_values(void)
{
	int sv[2];

	fails(EINVAL, socket(AF_INET, 77, 0), "socket of type 77");
	fails(EINVAL, socket(AF_INET, 77 | SOCK_CLOEXEC, 0),
	      "socket of type 77 with SOCK_CLOEXEC");
	fails(EINVAL, socket(AF_INET, 0x10 | SOCK_NONBLOCK, 0),
	      "socket of type bits 0 and an unknown flag");
	fails(EINVAL, socketpair(AF_UNIX, 77, 0, sv), "socketpair of type 77");
	fails(EINVAL, socket(AF_INET, BAD_TYPE, 3), "IPv4 protocol 3");
	fails(EINVAL, socket(AF_PACKET, BAD_TYPE, htons(0x1234)),
	      "packet protocol 0x1234");
	fails(EINVAL, socket(AF_AX25, BAD_TYPE, 0xcc), "AX.25 protocol IP");
	fails(EINVAL, socket(AF_AX25, BAD_TYPE, 0), "AX.25 protocol 0");
	fails(EAFNOSUPPORT, socket(46, SOCK_STREAM, 0), "socket of family 46");
	fails(EBADF, shutdown(BAD_FD, 3), "shutdown how 3");
	fails(EBADF, shutdown(-1, -1), "shutdown how -1");
	fails(EBADF, accept4(-1, NULL, NULL, SOCK_CLOEXEC | UNKNOWN_FLAG),
	      "accept4 with an unknown flag");
	fails(EBADF, listen(-2, -1), "listen -2");
}

/*
 * Addresses strace shows as raw bytes or not at all: too short for their
 * family, of an unknown family, fewer than 2 bytes, a negative length.
 */
static void odd_addresses(void)
{
	struct sockaddr_storage ss;
	struct sockaddr_in a = ipv4_addr("127.0.0.1", 9);
	static const int lens[] = { -1, 0, 1, 2, 3, 15 };
	size_t i;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		fails(EBADF, connect(-1, SA(&a), lens[i]),
		      "connect, short or negative length");
	memset(&ss, 0x11, sizeof(ss));
	ss.ss_family = AF_INET6;
	fails(EBADF, connect(-1, SA(&ss), 23), "connect, short IPv6");
	ss.ss_family = AF_NETLINK;
	fails(EBADF, connect(-1, SA(&ss), 11), "connect, short netlink");
	ss.ss_family = 46;
	fails(EBADF, connect(-1, SA(&ss), 6), "connect, family 46");
	ss.ss_family = UNKNOWN_FAMILY;
	fails(EBADF, connect(-1, SA(&ss), 2), "connect, family 1234");
}

static void bad_descriptors(void)
{
	struct sockaddr_in a = ipv4_addr("127.0.0.1", 9);
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	socklen_t len = sizeof(a);
	char buf[8];
	int one = 1;

	fails(EBADF, bind(BAD_FD, SA(&a), sizeof(a)), "bind 999");
	fails(EBADF, bind(-1, SA(&a), sizeof(a)), "bind -1");
	fails(EBADF, listen(BAD_FD, 5), "listen 999");
	fails(EBADF, connect(-1, SA(&a), sizeof(a)), "connect -1");
	fails(EBADF, accept(BAD_FD, NULL, NULL), "accept 999");
	fails(EBADF, accept4(-1, SA(&a), &len, SOCK_CLOEXEC), "accept4 -1");
	fails(EBADF, sendto(BAD_FD, "x", 1, 0, NULL, 0), "sendto 999");
	fails(EBADF, recvfrom(-1, buf, sizeof(buf), MSG_DONTWAIT, NULL, NULL),
	      "recvfrom -1");
	fails(EBADF, sendmsg(BAD_FD, &msg, 0), "sendmsg 999");
	fails(EBADF, recvmsg(BAD_FD, &msg, 0), "recvmsg 999");
	fails(EBADF, shutdown(BAD_FD, SHUT_RDWR), "shutdown 999");
	fails(EBADF, getsockname(BAD_FD, SA(&a), &len), "getsockname 999");
	fails(EBADF, getpeername(-1, SA(&a), &len), "getpeername -1");
	fails(EBADF, setsockopt(BAD_FD, SOL_SOCKET, SO_REUSEADDR, &one,
				sizeof(one)), "setsockopt 999");
	len = sizeof(one);
	fails(EBADF, getsockopt(-1, SOL_SOCKET, SO_TYPE, &one, &len),
	      "getsockopt -1");
	/* Not sockets: strace shows these closes, sockscope does not. */
	fails(EBADF, close(BAD_FD), "close 999");
}

/* Pointers the kernel cannot read. */
static void bad_pointers(void)
{
	void *bad = (void *)1;
	socklen_t len;
	int fd, v;

	fd = ok(socket(AF_INET, SOCK_DGRAM, 0), "socket");
	fails(EFAULT, bind(fd, NULL, sizeof(struct sockaddr_in)),
	      "bind a NULL address");
	fails(EFAULT, connect(fd, bad, sizeof(struct sockaddr_in)),
	      "connect a bad address");
	fails(EFAULT, sendmsg(fd, NULL, 0), "sendmsg a NULL msghdr");
	fails(EFAULT, recvmsg(fd, bad, MSG_DONTWAIT), "recvmsg a bad msghdr");
	fails(EFAULT, getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, NULL),
	      "getsockopt a NULL optlen");
	len = sizeof(struct sockaddr_in);
	fails(EFAULT, getsockname(fd, bad, &len), "getsockname a bad address");
	close(fd);
}

static void not_a_socket(void)
{
	int p[2];

	if (ok(pipe(p), "pipe") < 0)
		return;
	fails(ENOTSOCK, listen(p[0], 1), "listen on a pipe");
	close(p[0]);
	close(p[1]);
}

static void bad_options(void)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int fd, one = 1;

	fd = ok(socket(AF_INET, SOCK_STREAM, 0), "socket for options");
	fails(ENOPROTOOPT, setsockopt(fd, SOL_SOCKET, UNKNOWN_OPT, &one,
				      sizeof(one)), "setsockopt unknown name");
	fails(ENOPROTOOPT, setsockopt(fd, UNKNOWN_OPT, 1, &one, sizeof(one)),
	      "setsockopt unknown level");
	fails(EINVAL, setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, 2),
	      "setsockopt with optlen 2");
	ok(setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)),
	   "setsockopt SO_LINGER");
	set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1, "setsockopt SO_KEEPALIVE");
	set_int(fd, SOL_IP, IP_TOS, 0x10, "setsockopt IP_TOS");
	set_int(fd, SOL_SOCKET, SO_RCVBUF, -1, "setsockopt SO_RCVBUF -1");
	close(fd);
}

/*
 * Valid but unusual: an int option in a buffer wider than an int, a
 * backlog of -1; and a flag accept4 does not know.
 */
static void unusual_arguments(void)
{
	long long wide = 1;
	socklen_t len = sizeof(wide);
	int fd;

	fd = ok(socket(AF_INET, SOCK_DGRAM, 0), "socket for options");
	ok(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &wide, sizeof(wide)),
	   "setsockopt with optlen 8");
	wide = -1;
	ok(getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &wide, &len),
	   "getsockopt with optlen 8");
	fails(EINVAL, accept4(fd, NULL, NULL, 1), "accept4 with flag 1");
	close(fd);

	fd = ok(socket(AF_INET, SOCK_STREAM, 0), "socket");
	ok(listen(fd, -1), "listen -1");
	close(fd);
}

/* --- TCP over IPv4 -------------------------------------------------------- */

/* Connection refused, then a non-blocking connect that is refused. */
static void tcp_refused(void)
{
	struct sockaddr_in closed;
	int owner, fd, err = 0;
	socklen_t len = sizeof(err);

	/* A bound port with no listener answers SYN with RST. */
	owner = ipv4_bound(SOCK_STREAM, &closed);
	fails(EINVAL, bind(owner, SA(&closed), sizeof(closed)),
	      "bind a bound socket again");

	fd = ok(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), "socket");
	fails(ECONNREFUSED, connect(fd, SA(&closed), sizeof(closed)),
	      "connect to a closed port");
	close(fd);

	fd = ok(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), "socket");
	fails(EINPROGRESS, connect(fd, SA(&closed), sizeof(closed)),
	      "non-blocking connect to a closed port");
	wait_for(fd, POLLOUT, "refused connect");
	ok(getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len),
	   "getsockopt SO_ERROR");
	if (err != ECONNREFUSED)
		complain("SO_ERROR is %d, expected ECONNREFUSED", err);
	close(fd);
	close(owner);
}

static int tcp_listener(struct sockaddr_in *addr)
{
	struct sockaddr_in taken;
	int fd, dup;

	fd = ok(socket(AF_INET, SOCK_STREAM, 0), "socket for listener");
	set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1, "setsockopt SO_REUSEADDR");
	*addr = ipv4_addr("127.0.0.1", 0);
	ok(bind(fd, SA(addr), sizeof(*addr)), "bind listener");
	addr->sin_port = htons(bound_port(fd));
	ok(listen(fd, 16), "listen");

	dup = ok(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP),
		 "socket");
	taken = *addr;
	fails(EADDRINUSE, bind(dup, SA(&taken), sizeof(taken)),
	      "bind a port in use");
	fails(EINVAL, bind(dup, SA(&taken), 3), "bind with addrlen 3");
	close(dup);
	return fd;
}

/* Both directions of one connection, then each kind of shutdown. */
static void tcp_exchange(int client, int conn)
{
	struct iovec out[3] = {
		{ .iov_base = "one ", .iov_len = 4 },
		{ .iov_base = "two ", .iov_len = 4 },
		{ .iov_base = "three", .iov_len = 5 },
	};
	struct msghdr msg = { .msg_iov = out, .msg_iovlen = 3 };
	struct sockaddr_in from;
	socklen_t len = sizeof(from);
	char a[6], b[7], buf[64];
	struct iovec in[2] = {
		{ .iov_base = a, .iov_len = sizeof(a) },
		{ .iov_base = b, .iov_len = sizeof(b) },
	};

	returns(5, sendto(client, "hello", 5, MSG_NOSIGNAL, NULL, 0),
		"send hello");
	wait_for(conn, POLLIN, "hello");
	returns(5, recvfrom(conn, buf, sizeof(buf), MSG_PEEK, NULL, NULL),
		"recv MSG_PEEK");
	returns(3, recvfrom(conn, buf, 3, 0, SA(&from), &len),
		"recvfrom 3 with an address");
	returns(2, recvfrom(conn, buf, sizeof(buf), MSG_DONTWAIT, NULL, NULL),
		"recv the rest");
	fails(EAGAIN, recvfrom(conn, buf, sizeof(buf), MSG_DONTWAIT, NULL,
			       NULL), "recv with nothing to read");

	returns(13, sendmsg(conn, &msg, 0), "sendmsg 3 iovs");
	wait_for(client, POLLIN, "sendmsg data");
	msg.msg_iov = in;
	msg.msg_iovlen = 2;
	returns(13, recvmsg(client, &msg, 0), "recvmsg 2 iovs");

	ok(shutdown(client, SHUT_WR), "shutdown SHUT_WR");
	returns(0, recvfrom(conn, buf, sizeof(buf), 0, NULL, NULL),
		"recv end of file");
	ok(shutdown(conn, SHUT_RD), "shutdown SHUT_RD");
	ok(shutdown(conn, SHUT_RDWR), "shutdown SHUT_RDWR");
	fails(EINVAL, shutdown(conn, 7), "shutdown how 7");
	fails(EPIPE, sendto(client, "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT, NULL,
			    0), "send after SHUT_WR");
	msg.msg_iov = out;
	msg.msg_iovlen = 1;
	fails(EPIPE, sendmsg(client, &msg, MSG_NOSIGNAL),
	      "sendmsg after SHUT_WR");
}

static void tcp_ipv4(int listener, const struct sockaddr_in *addr)
{
	struct sockaddr_in peer;
	socklen_t len = sizeof(peer);
	int client, conn, err = -1;

	client = ok(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK |
			   SOCK_CLOEXEC, 0), "socket non-blocking");
	set_int(client, IPPROTO_TCP, TCP_NODELAY, 1, "setsockopt TCP_NODELAY");
	fails(EINPROGRESS, connect(client, SA(addr), sizeof(*addr)),
	      "non-blocking connect");
	wait_for(client, POLLOUT, "connect");
	len = sizeof(err);
	ok(getsockopt(client, SOL_SOCKET, SO_ERROR, &err, &len),
	   "getsockopt SO_ERROR");
	len = sizeof(peer);
	ok(getpeername(client, SA(&peer), &len), "getpeername");

	len = sizeof(peer);
	conn = ok(accept4(listener, SA(&peer), &len, SOCK_CLOEXEC),
		  "accept4");
	len = sizeof(peer);
	ok(getsockname(conn, SA(&peer), &len), "getsockname accepted");
	len = sizeof(peer);
	ok(getpeername(conn, SA(&peer), &len), "getpeername accepted");

	tcp_exchange(client, conn);
	close(conn);
	close(client);
}

/* EAGAIN from accept on a non-blocking listener with nothing pending. */
static void tcp_nothing_pending(void)
{
	struct sockaddr_in a = ipv4_addr("127.0.0.1", 0);
	socklen_t len = sizeof(a);
	int fd;

	fd = ok(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), "socket");
	ok(bind(fd, SA(&a), sizeof(a)), "bind");
	ok(listen(fd, 4096), "listen 4096");
	fails(EAGAIN, accept4(fd, SA(&a), &len, SOCK_NONBLOCK),
	      "accept4 with nothing pending");
	fails(EAGAIN, accept(fd, NULL, NULL), "accept with nothing pending");
	close(fd);
}

/* EPIPE on a connection whose peer has closed (FIN, then RST). */
static void tcp_peer_closed(int listener, const struct sockaddr_in *addr)
{
	int client, conn;
	char buf[8];

	client = ok(socket(AF_INET, SOCK_STREAM, 0), "socket");
	ok(connect(client, SA(addr), sizeof(*addr)), "connect");
	conn = ok(accept(listener, NULL, NULL), "accept");
	close(conn);
	returns(0, recvfrom(client, buf, sizeof(buf), 0, NULL, NULL),
		"recv the peer's FIN");
	returns(1, sendto(client, "x", 1, MSG_NOSIGNAL, NULL, 0),
		"send to a closed peer");
	wait_for(client, POLLHUP, "RST from the closed peer");
	fails(EPIPE, sendto(client, "x", 1, MSG_NOSIGNAL, NULL, 0),
	      "send after RST");
	close(client);
}

static void on_signal(int sig)
{
}

/*
 * Whether process pid is blocked in system call nr. /proc/PID/syscall
 * needs ptrace rights over it; without them, assume it is after a while.
 */
static bool blocked_in(pid_t pid, long nr)
{
	char path[64], buf[64];
	int i;

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	for (i = 0; i < POLL_MS / 10; i++) {
		FILE *f = fopen(path, "r");
		bool in_call;

		if (!f)
			break;
		in_call = fgets(buf, sizeof(buf), f) && atol(buf) == nr &&
			  isdigit((unsigned char)buf[0]);
		fclose(f);
		if (in_call)
			return true;
		usleep(10000);
	}
	usleep(200000);
	return false;
}

/*
 * The child interrupts the parent's blocking accept with a signal
 * (SA_RESTART: strace shows "= ? ERESTARTSYS", then the call again), then
 * connects, sends, and closes what it made and what it inherited.
 */
static void child_process(int listener, const struct sockaddr_in *addr)
{
	struct sigaction sa = { .sa_handler = on_signal,
				.sa_flags = SA_RESTART };
	struct sockaddr_in peer;
	socklen_t len = sizeof(peer);
	int fd, conn, status;
	char buf[16];
	pid_t pid;

	sigaction(SIGUSR1, &sa, NULL);
	pid = fork();
	if (pid < 0) {
		complain("fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		blocked_in(getppid(), SYS_accept);
		kill(getppid(), SIGUSR1);
		usleep(100000);
		fd = ok(socket(AF_INET, SOCK_STREAM, 0), "child socket");
		ok(connect(fd, SA(addr), sizeof(*addr)), "child connect");
		returns(5, sendto(fd, "child", 5, 0, NULL, 0), "child send");
		ok(getsockname(fd, SA(&peer), &len), "child getsockname");
		ok(close(listener), "child close of the inherited listener");
		ok(close(fd), "child close");
		_exit(failures ? 1 : 0);
	}
	conn = ok(accept(listener, SA(&peer), &len), "accept the child");
	returns(5, recvfrom(conn, buf, sizeof(buf), 0, NULL, NULL),
		"recv from the child");
	close(conn);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		complain("the child process failed");
}

/* --- TCP over IPv6 -------------------------------------------------------- */

static int tcp6_accept_from(int listener, int family, const char *ip,
			    in_port_t port)
{
	struct sockaddr_in6 peer, to6 = ipv6_addr(ip, port);
	struct sockaddr_in to4 = ipv4_addr(ip, port);
	socklen_t len = sizeof(peer);
	int fd, conn;

	fd = ok(socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket");
	if (family == AF_INET)
		ok(connect(fd, SA(&to4), sizeof(to4)), "connect over IPv4");
	else
		ok(connect(fd, SA(&to6), sizeof(to6)), "connect over IPv6");
	conn = ok(accept(listener, SA(&peer), &len), "accept IPv6");
	len = sizeof(peer);
	ok(getsockname(conn, SA(&peer), &len), "getsockname IPv6");
	len = sizeof(peer);
	ok(getpeername(fd, SA(&peer), &len), "getpeername");
	close(conn);
	return fd;
}

/*
 * The kernel writes back only as much of an address as the buffer holds
 * and reports the whole length: a tracer must decode the smaller.
 */
struct short_addr {
	struct sockaddr_in in;		/* 16 bytes offered for 28 */
	unsigned char beyond[32];	/* never written by the kernel */
};

static void tcp6_accept_short(int listener, in_port_t port)
{
	struct sockaddr_in6 to = ipv6_addr("::1", port);
	struct short_addr peer;
	socklen_t len = sizeof(peer.in);
	int fd, conn;

	fd = ok(socket(AF_INET6, SOCK_STREAM, 0), "socket");
	ok(connect(fd, SA(&to), sizeof(to)), "connect");
	memset(&peer, 0xff, sizeof(peer));
	conn = ok(accept(listener, SA(&peer), &len), "accept, short buffer");
	close(conn);
	close(fd);
}

static void tcp_ipv6(void)
{
	struct sockaddr_in6 any = ipv6_addr("::", 0);
	in_port_t port;
	int fd, c[3], v6only = -1;
	socklen_t len = sizeof(v6only);

	fd = ok(socket(AF_INET6, SOCK_STREAM, 0), "socket AF_INET6");
	set_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, 0, "setsockopt IPV6_V6ONLY 0");
	ok(getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &len),
	   "getsockopt IPV6_V6ONLY");
	ok(bind(fd, SA(&any), sizeof(any)), "bind [::]:0");
	port = bound_port(fd);
	ok(listen(fd, 0), "listen 0");

	c[0] = tcp6_accept_from(fd, AF_INET, "127.0.0.1", port);
	c[1] = tcp6_accept_from(fd, AF_INET6, "::1", port);
	c[2] = tcp6_accept_from(fd, AF_INET6, "::ffff:127.0.0.1", port);
	close(c[0]);
	close(c[1]);
	close(c[2]);
	tcp6_accept_short(fd, port);
	close(fd);
}

/* --- UDP ------------------------------------------------------------------ */

static void udp_ipv4(void)
{
	struct sockaddr_in to, from, unspec = { .sin_family = AF_UNSPEC };
	socklen_t len = sizeof(from);
	struct iovec out[3] = {
		{ .iov_base = "ab", .iov_len = 2 },
		{ .iov_base = "cd", .iov_len = 2 },
		{ .iov_base = "ef", .iov_len = 2 },
	};
	struct msghdr msg = {
		.msg_name = &to, .msg_namelen = sizeof(to),
		.msg_iov = out, .msg_iovlen = 3,
	};
	char a[2], b[10], buf[64];
	struct iovec in[2] = {
		{ .iov_base = a, .iov_len = sizeof(a) },
		{ .iov_base = b, .iov_len = sizeof(b) },
	};
	int rx, tx, v = 0;

	rx = ipv4_bound(SOCK_DGRAM, &to);
	tx = ok(socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, IPPROTO_UDP),
		"socket UDP");
	set_int(rx, SOL_SOCKET, SO_RCVBUF, 65536, "setsockopt SO_RCVBUF");
	len = sizeof(v);
	ok(getsockopt(rx, SOL_SOCKET, SO_RCVBUF, &v, &len),
	   "getsockopt SO_RCVBUF");
	len = sizeof(v);
	ok(getsockopt(rx, SOL_SOCKET, SO_TYPE, &v, &len),
	   "getsockopt SO_TYPE");

	returns(4, sendto(tx, "ping", 4, 0, SA(&to), sizeof(to)), "sendto");
	len = sizeof(from);
	returns(4, recvfrom(rx, buf, 2, MSG_TRUNC, SA(&from), &len),
		"recvfrom MSG_TRUNC");
	returns(6, sendmsg(tx, &msg, MSG_DONTWAIT), "sendmsg with a name");
	msg.msg_name = &from;
	msg.msg_namelen = sizeof(from);
	msg.msg_iov = in;
	msg.msg_iovlen = 2;
	returns(6, recvmsg(rx, &msg, 0), "recvmsg with a name");
	fails(EAGAIN, recvfrom(rx, buf, sizeof(buf), MSG_DONTWAIT, NULL,
			       NULL), "recvfrom with nothing queued");
	msg.msg_flags = 0;
	fails(EAGAIN, recvmsg(rx, &msg, MSG_DONTWAIT | MSG_PEEK),
	      "recvmsg with nothing queued");

	fails(EDESTADDRREQ, sendto(tx, "x", 1, 0, NULL, 0),
	      "send unconnected");
	ok(connect(tx, SA(&to), sizeof(to)), "connect UDP");
	returns(3, sendto(tx, "abc", 3, 0, NULL, 0), "send connected");
	fails(EMSGSIZE, sendto(tx, "abc", SIZE_MAX, 0, NULL, 0),
	      "send SIZE_MAX bytes");
	len = sizeof(from);
	returns(3, recvfrom(rx, buf, sizeof(buf), 0, SA(&from), &len),
		"recvfrom connected");
	ok(connect(tx, SA(&unspec), sizeof(unspec)), "connect AF_UNSPEC");
	len = sizeof(from);
	fails(ENOTCONN, getpeername(tx, SA(&from), &len),
	      "getpeername disconnected");
	close(tx);
	close(rx);
}

static void udp6_short_buffers(int rx, int tx, struct sockaddr_in6 *to)
{
	struct short_addr from;
	char buf[8];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = {
		.msg_name = &from, .msg_namelen = sizeof(from.in),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	socklen_t len;
	int i;

	to->sin6_scope_id = 0;
	for (i = 0; i < 2; i++)
		returns(1, sendto(tx, "s", 1, 0, SA(to), sizeof(*to)),
			"sendto IPv6");
	memset(&from, 0xff, sizeof(from));
	returns(1, recvmsg(rx, &msg, 0), "recvmsg, short name buffer");
	memset(&from, 0xff, sizeof(from));
	len = sizeof(from.in);
	returns(1, recvfrom(rx, buf, sizeof(buf), 0, SA(&from), &len),
		"recvfrom, short address buffer");
	memset(&from, 0xff, sizeof(from));
	len = sizeof(from.in);
	ok(getsockname(rx, SA(&from), &len), "getsockname, 16 bytes");
	memset(&from, 0xff, sizeof(from));
	len = 1;
	ok(getsockname(rx, SA(&from), &len), "getsockname, 1 byte");
	memset(&from, 0xff, sizeof(from));
	len = 0;
	ok(getsockname(rx, SA(&from), &len), "getsockname, 0 bytes");
}

static void udp6_odd_addresses(int tx, const struct sockaddr_in6 *to)
{
	struct sockaddr_in6 link = ipv6_addr("fe80::1", 9);
	struct sockaddr_storage ss;

	fails(EINVAL, sendto(tx, "x", 1, 0, SA(to), 0),
	      "sendto with addrlen 0");
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, to, sizeof(*to));
	returns(1, sendto(tx, "x", 1, 0, SA(&ss), sizeof(ss)),
		"sendto with sizeof(sockaddr_storage)");
	link.sin6_scope_id = LOOPBACK_IFINDEX;
	fails(ENETUNREACH, connect(tx, SA(&link), sizeof(link)),
	      "connect to fe80::1%lo");
}

/* More iovs than a tracer may care to walk; flags with no names. */
static void udp_many_iovs(void)
{
	struct iovec out[MANY_IOVS], in[MANY_IOVS];
	char bytes[MANY_IOVS];
	struct sockaddr_in to;
	struct msghdr msg = {
		.msg_name = &to, .msg_namelen = sizeof(to),
		.msg_iov = out, .msg_iovlen = MANY_IOVS,
	};
	int fd, i;

	for (i = 0; i < MANY_IOVS; i++) {
		out[i] = (struct iovec){ .iov_base = "i", .iov_len = 1 };
		in[i] = (struct iovec){ .iov_base = bytes + i, .iov_len = 1 };
	}
	fd = ipv4_bound(SOCK_DGRAM, &to);
	returns(MANY_IOVS, sendmsg(fd, &msg, 0), "sendmsg 20 iovs");
	msg.msg_name = NULL;
	msg.msg_namelen = 0;
	msg.msg_iov = in;
	returns(MANY_IOVS, recvmsg(fd, &msg, MSG_CMSG_CLOEXEC),
		"recvmsg 20 iovs");
	fails(EAGAIN, recvfrom(fd, bytes, sizeof(bytes),
			       MSG_DONTWAIT | UNKNOWN_MSG_FLAG, NULL, NULL),
	      "recvfrom with an unnamed flag");
	close(fd);
}

static void udp_ipv6(void)
{
	struct sockaddr_in6 to = ipv6_addr("::1", 0), from;
	socklen_t len;
	struct iovec out[2] = {
		{ .iov_base = "six", .iov_len = 3 },
		{ .iov_base = "!", .iov_len = 1 },
	};
	struct msghdr msg = {
		.msg_name = &to, .msg_namelen = sizeof(to),
		.msg_iov = out, .msg_iovlen = 2,
	};
	char buf[64];
	int rx, tx, v = -1;

	rx = ok(socket(AF_INET6, SOCK_DGRAM, 0), "socket UDP6");
	set_int(rx, IPPROTO_IPV6, IPV6_V6ONLY, 1, "setsockopt IPV6_V6ONLY 1");
	len = sizeof(v);
	ok(getsockopt(rx, IPPROTO_IPV6, IPV6_V6ONLY, &v, &len),
	   "getsockopt IPV6_V6ONLY");
	ok(bind(rx, SA(&to), sizeof(to)), "bind [::1]:0");
	to.sin6_port = htons(bound_port(rx));
	tx = ok(socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP),
		"socket UDP6");

	/* Ignored by the kernel for ::1, but decoded by both tracers. */
	to.sin6_flowinfo = htonl(0x12345);
	returns(3, sendto(tx, "six", 3, 0, SA(&to), sizeof(to)),
		"sendto IPv6");
	len = sizeof(from);
	returns(3, recvfrom(rx, buf, sizeof(buf), 0, SA(&from), &len),
		"recvfrom IPv6");
	to.sin6_flowinfo = 0;
	to.sin6_scope_id = LOOPBACK_IFINDEX;
	returns(4, sendmsg(tx, &msg, 0), "sendmsg IPv6");
	msg.msg_name = &from;
	msg.msg_namelen = sizeof(from);
	msg.msg_iov = (struct iovec[]){ { .iov_base = buf,
					  .iov_len = sizeof(buf) } };
	msg.msg_iovlen = 1;
	returns(4, recvmsg(rx, &msg, 0), "recvmsg IPv6");
	udp6_short_buffers(rx, tx, &to);
	udp6_odd_addresses(tx, &to);
	close(tx);
	close(rx);
}

/* --- AF_UNIX -------------------------------------------------------------- */

static void unix_stream_path(void)
{
	struct sockaddr_un a, peer;
	socklen_t alen, len;
	char path[64], buf[64];
	struct iovec out[2] = {
		{ .iov_base = "un", .iov_len = 2 },
		{ .iov_base = "ix", .iov_len = 2 },
	};
	struct iovec in = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = { .msg_iov = out, .msg_iovlen = 2 };
	struct ucred cred;
	int lfd, fd, conn;

	snprintf(path, sizeof(path), "/tmp/sockcalls-%d.sock", getpid());
	unlink(path);
	alen = unix_addr(&a, path, strlen(path));
	lfd = ok(socket(AF_UNIX, SOCK_STREAM, 0), "socket AF_UNIX");
	ok(bind(lfd, SA(&a), sizeof(a)), "bind a path");
	ok(listen(lfd, 1), "listen");
	fd = ok(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket");
	ok(connect(fd, SA(&a), alen), "connect to a path");
	len = sizeof(peer);
	conn = ok(accept(lfd, SA(&peer), &len), "accept AF_UNIX");
	len = sizeof(peer);
	ok(getsockname(conn, SA(&peer), &len), "getsockname");
	len = sizeof(peer);
	ok(getsockname(fd, SA(&peer), &len), "getsockname unnamed");
	len = sizeof(peer);
	ok(getpeername(fd, SA(&peer), &len), "getpeername");
	len = sizeof(cred);
	ok(getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len),
	   "getsockopt SO_PEERCRED");

	returns(4, sendmsg(fd, &msg, 0), "sendmsg AF_UNIX");
	msg.msg_iov = &in;
	msg.msg_iovlen = 1;
	returns(4, recvmsg(conn, &msg, 0), "recvmsg AF_UNIX");
	close(conn);
	close(fd);
	close(lfd);
	unlink(path);

	fd = ok(socket(AF_UNIX, SOCK_STREAM, 0), "socket");
	fails(ENOENT, connect(fd, SA(&a), alen), "connect to a missing path");
	close(fd);
}

static void unix_abstract(void)
{
	struct sockaddr_un a, peer;
	socklen_t alen, len;
	char name[64];
	int lfd, fd, conn, n;

	n = snprintf(name, sizeof(name), "%csockcalls-%d", '\0', getpid());
	alen = unix_addr(&a, name, n);
	lfd = ok(socket(AF_UNIX, SOCK_SEQPACKET, 0), "socket SEQPACKET");
	ok(bind(lfd, SA(&a), alen), "bind abstract");
	ok(listen(lfd, 2), "listen");
	fd = ok(socket(AF_UNIX, SOCK_SEQPACKET, 0), "socket SEQPACKET");
	ok(connect(fd, SA(&a), alen), "connect abstract");
	len = sizeof(peer);
	conn = ok(accept4(lfd, SA(&peer), &len, SOCK_CLOEXEC | SOCK_NONBLOCK),
		  "accept4 abstract");
	len = sizeof(peer);
	ok(getpeername(fd, SA(&peer), &len), "getpeername abstract");
	close(conn);
	close(fd);
	close(lfd);

	fd = ok(socket(AF_UNIX, SOCK_SEQPACKET, 0), "socket");
	fails(ECONNREFUSED, connect(fd, SA(&a), alen),
	      "connect to a gone abstract name");
	close(fd);
}

/* A path that fills sun_path (no NUL), an abstract name with odd bytes. */
static void unix_odd_names(void)
{
	static const char odd[] = "\0odd\0name\n\1";
	struct sockaddr_un a;
	char path[sizeof(a.sun_path) + 1];
	int fd;

	snprintf(path, sizeof(path), "/tmp/sockcalls-%d-", getpid());
	memset(path + strlen(path), 'p', sizeof(a.sun_path) - strlen(path));
	path[sizeof(a.sun_path)] = '\0';
	unlink(path);
	fd = ok(socket(AF_UNIX, SOCK_DGRAM, 0), "socket");
	ok(bind(fd, SA(&a), unix_addr(&a, path, sizeof(a.sun_path))),
	   "bind a path of 108 bytes");
	close(fd);
	unlink(path);

	fd = ok(socket(AF_UNIX, SOCK_DGRAM, 0), "socket");
	ok(bind(fd, SA(&a), unix_addr(&a, odd, sizeof(odd) - 1)),
	   "bind an abstract name with odd bytes");
	close(fd);
}

/* Autobind, datagrams between a path and an autobound name, pairs. */
static void unix_datagrams(void)
{
	struct sockaddr_un a, from;
	socklen_t alen, len;
	char path[64], buf[64];
	int rx, tx, sv[2], dv[2];

	snprintf(path, sizeof(path), "/tmp/sockcalls-%d.dgram", getpid());
	unlink(path);
	alen = unix_addr(&a, path, strlen(path) + 1);
	rx = ok(socket(AF_UNIX, SOCK_DGRAM, 0), "socket AF_UNIX dgram");
	ok(bind(rx, SA(&a), alen), "bind a path");
	tx = ok(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket");
	ok(bind(tx, SA(&a), sizeof(sa_family_t)), "autobind");
	len = sizeof(from);
	ok(getsockname(tx, SA(&from), &len), "getsockname autobound");
	returns(2, sendto(tx, "dg", 2, 0, SA(&a), alen), "sendto a path");
	len = sizeof(from);
	returns(2, recvfrom(rx, buf, sizeof(buf), 0, SA(&from), &len),
		"recvfrom an autobound sender");
	close(tx);
	close(rx);
	unlink(path);

	ok(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), "socketpair");
	ok(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0,
		      dv), "socketpair dgram");
	len = sizeof(from);
	ok(getsockname(sv[0], SA(&from), &len), "getsockname of a pair");
	returns(4, sendto(dv[0], "pair", 4, 0, NULL, 0), "send on a pair");
	len = sizeof(from);
	returns(4, recvfrom(dv[1], buf, sizeof(buf), 0, SA(&from), &len),
		"recvfrom an unnamed sender");
	close(sv[0]);
	close(sv[1]);
	close(dv[0]);
	close(dv[1]);
}

/* --- AF_NETLINK ----------------------------------------------------------- */

static void netlink(void)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK }, got;
	socklen_t len = sizeof(got);
	int fd, fd2;
	long ret;

	fd = ok(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE),
		"socket AF_NETLINK");
	ok(bind(fd, SA(&a), sizeof(a)), "bind nl_pid 0");
	ok(getsockname(fd, SA(&got), &len), "getsockname netlink");

	/* Joining a group needs CAP_NET_ADMIN: EPERM as a user. */
	fd2 = ok(socket(AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE), "socket");
	a.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR;
	ret = bind(fd2, SA(&a), sizeof(a));
	if (ret && errno != EPERM)
		ok(ret, "bind nl_groups");
	close(fd2);
	close(fd);
}

/* --- protocols named per family ------------------------------------------- */

/* Raw sockets need CAP_NET_RAW: EPERM as a user. */
static void maybe_socket(int family, int type, int protocol, const char *what)
{
	int fd = socket(family, type, protocol);

	if (fd < 0 && errno != EPERM)
		ok(fd, what);
	if (fd >= 0)
		close(fd);
}

static void raw_sockets(void)
{
	maybe_socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL), "packet socket");
	maybe_socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP), "packet socket");
	maybe_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP, "ICMP socket");
	maybe_socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6, "ICMPv6 socket");
	/* The kernel turns this old form into AF_PACKET. */
	maybe_socket(AF_INET, SOCK_PACKET, htons(ETH_P_ALL), "SOCK_PACKET");
}

/* --- a second thread ------------------------------------------------------ */

static void *thread_main(void *arg)
{
	struct sockaddr_in self, from;
	socklen_t len = sizeof(from);
	char buf[8];
	int fd, v;

	fd = ipv4_bound(SOCK_DGRAM | SOCK_CLOEXEC, &self);
	returns(1, sendto(fd, "t", 1, 0, SA(&self), sizeof(self)),
		"thread sendto itself");
	returns(1, recvfrom(fd, buf, sizeof(buf), 0, SA(&from), &len),
		"thread recvfrom");
	len = sizeof(v);
	ok(getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len),
	   "thread getsockopt SO_TYPE");
	fails(ENOTCONN, shutdown(fd, SHUT_RDWR), "thread shutdown unconnected");
	ok(close(fd), "thread close");
	return NULL;
}

static void second_thread(void)
{
	pthread_t t;
	int err;

	err = pthread_create(&t, NULL, thread_main, NULL);
	if (err) {
		complain("pthread_create: %s", strerror(err));
		return;
	}
	pthread_join(t, NULL);
}

int main(void)
{
	struct sockaddr_in addr;
	int listener;

	bad_sockets();
	unnamed_values();
	bad_descriptors();
	odd_addresses();
	bad_pointers();
	not_a_socket();
	bad_options();
	unusual_arguments();

	tcp_refused();
	listener = tcp_listener(&addr);
	tcp_ipv4(listener, &addr);
	tcp_nothing_pending();
	tcp_peer_closed(listener, &addr);
	child_process(listener, &addr);
	close(listener);
	tcp_ipv6();

	udp_ipv4();
	udp_many_iovs();
	udp_ipv6();

	unix_stream_path();
	unix_abstract();
	unix_datagrams();
	unix_odd_names();

	netlink();
	raw_sockets();
	second_thread();
	return failures ? 1 : 0;
}
