// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The chat programs of the lessons (examples/), in C and in Python, run
 * the way a learner runs them: exact output lines, error lines and exit
 * statuses, for UDP and TCP over IPv4 and IPv6.
 *
 * Each test runs in a fresh network namespace; servers bind port 0 and
 * the test reads the port from their "listening on ..." line.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "harness.h"
#include "lib/netns.h"
#include "lib/paths.h"
#include "lib/proc.h"

#define LINE_MS		5000	/* for a program's next line */
#define EXIT_MS		5000	/* for a program to exit */
#define QUIET_MS	50	/* to see that a program goes on running */

#define ARGS(...)	((const char *const[]){ __VA_ARGS__, NULL })
#define NO_ARGS		((const char *const[]){ NULL })

/* Which programs a test runs. */
struct kind {
	const char *proto;	/* "udp" or "tcp" */
	const char *host;	/* "127.0.0.1" or "::1" */
	bool python;
};

/* The programs of one test, and what the test learned about them. */
struct chat {
	struct kind kind;
	struct proc server, client, other;
	char port[8];		/* the server's port, from its first line */
	char prefix[16];	/* how printed addresses start: "[::1]:" */
	char server_addr[64];	/* "127.0.0.1:41234", as the clients say it */
};

static bool python_found;

/*
 * pyenv's python3 is a shell script that costs ~0.4 s at every start. Put
 * the directory of the interpreter it runs first on PATH, so that the
 * scripts' "#!/usr/bin/env python3" finds that interpreter directly.
 * Where python3 is the interpreter itself, PATH only gains a duplicate.
 */
static TH_CONSTRUCTOR void prefer_real_python(void)
{
	static const char cmd[] = "python3 -c 'import os, sys; "
				  "print(os.path.dirname(sys.executable))' "
				  "2>/dev/null";
	char dir[PATH_MAX], *path;
	const char *old = getenv("PATH");
	FILE *f;

	f = popen(cmd, "r");
	if (!f)
		return;
	if (fgets(dir, sizeof(dir), f) && dir[0] == '/') {
		dir[strcspn(dir, "\n")] = '\0';
		python_found = true;
		if (asprintf(&path, "%s:%s", dir,
			     old ? old : "/usr/bin:/bin") > 0) {
			setenv("PATH", path, 1);
			free(path);
		}
	}
	pclose(f);
}

static bool is_tcp(const struct chat *c)
{
	return !strcmp(c->kind.proto, "tcp");
}

static bool is_ipv6(const struct chat *c)
{
	return strchr(c->kind.host, ':') != NULL;
}

/* Sets up @c for @kind in a fresh network namespace; false to skip. */
static bool chat_init(struct chat *c, const struct kind *kind,
		      const char **why)
{
	int ret;

	c->kind = *kind;
	ret = netns_enter_fresh();
	if (ret && ret != -EPERM)
		TH_LOG("no fresh network namespace (%s): using this one",
		       strerror(-ret));
	snprintf(c->prefix, sizeof(c->prefix),
		 is_ipv6(c) ? "[%s]:" : "%s:", kind->host);
	*why = NULL;
	if (is_ipv6(c) && !ipv6_loopback_available())
		*why = "no IPv6 loopback here";
	else if (kind->python && !python_found)
		*why = "python3 not found";
	return !*why;
}

static void chat_cleanup(struct chat *c)
{
	proc_cleanup(&c->client);
	proc_cleanup(&c->other);
	proc_cleanup(&c->server);
}

/* Shows what a program said on stderr so far, to explain a failure. */
static void log_stderr(struct proc *p)
{
	char *err = NULL;

	if (proc_read_all_err(p, &err, 0) > 0)
		TH_LOG("its stderr: %s", err);
	free(err);
}

/* Starts the @role program ("server", "client") with @args. */
static void start_program(struct chat *c, struct proc *p, const char *role,
			  const char *const args[])
{
	char rel[128], path[PATH_MAX];
	char *argv[16];
	int n = 0, ret;

	if (c->kind.python) {
		snprintf(rel, sizeof(rel), "examples/python/%s_chat_%s.py",
			 c->kind.proto, role);
		ASSERT_EQ(0, source_path(path, sizeof(path), rel));
	} else {
		snprintf(rel, sizeof(rel), "examples/%s_chat_%s",
			 c->kind.proto, role);
		ASSERT_EQ(0, build_path(path, sizeof(path), rel));
	}
	argv[n++] = path;
	while (*args && n < 15)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	ret = proc_spawn(p, argv);
	ASSERT_EQ(0, ret) {
		TH_LOG("cannot run %s: %s", path, strerror(-ret));
	}
}

/* The next line of @p's stdout (static buffer); its length in *len. */
static const char *read_line(struct proc *p, size_t *len)
{
	static char line[80 * 1024];
	ssize_t n;

	n = proc_read_line(p, line, sizeof(line), LINE_MS);
	ASSERT_LE(0, n) {
		TH_LOG("no line from pid %d: %s", p->pid, strerror((int)-n));
		log_stderr(p);
	}
	if (len)
		*len = n;
	return line;
}

/* The next line of @p's stdout must be @len bytes equal to @expected. */
static void expect_bytes(struct proc *p, const char *expected, size_t len)
{
	const char *line;
	size_t n;

	line = read_line(p, &n);
	if (!memchr(expected, '\0', len) && len < 4096) {
		char *text = strndup(expected, len);

		EXPECT_STREQ(text, line);
		free(text);
	}
	ASSERT_EQ(len, n);
	ASSERT_EQ(0, memcmp(expected, line, len));
}

static __attribute__((format(printf, 2, 3)))
void expect_line(struct proc *p, const char *fmt, ...)
{
	char *expected;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&expected, fmt, ap);
	va_end(ap);
	ASSERT_LE(0, n);
	expect_bytes(p, expected, n);
	free(expected);
}

/*
 * Reads "@head<address>@tail" and keeps the address in @addr, which must
 * be of the variant's family, such as "127.0.0.1:54321" or "[::1]:54321".
 */
static void read_addr_line(struct chat *c, struct proc *p, const char *head,
			   const char *tail, char *addr, size_t size)
{
	size_t hl = strlen(head), tl = strlen(tail), pl = strlen(c->prefix);
	const char *line, *port;
	size_t n, digits;

	line = read_line(p, &n);
	ASSERT_TRUE(n > hl + pl + tl && !strncmp(line, head, hl) &&
		    !strncmp(line + hl, c->prefix, pl) &&
		    !strcmp(line + n - tl, tail)) {
		TH_LOG("expected \"%s%sPORT%s\", seen \"%s\"", head,
		       c->prefix, tail, line);
	}
	port = line + hl + pl;
	digits = n - hl - pl - tl;
	ASSERT_TRUE(digits <= 5 && strspn(port, "0123456789") >= digits) {
		TH_LOG("bad port in \"%s\"", line);
	}
	ASSERT_LT(pl + digits, size);
	memcpy(addr, line + hl, pl + digits);
	addr[pl + digits] = '\0';
}

/* Starts the server on port 0 and learns its port from its first line. */
static void start_server(struct chat *c, bool echo)
{
	char tail[16], addr[64];

	if (echo)
		start_program(c, &c->server, "server",
			      ARGS("--host", c->kind.host, "--port", "0",
				   "--echo"));
	else
		start_program(c, &c->server, "server",
			      ARGS("--host", c->kind.host, "--port", "0"));
	snprintf(tail, sizeof(tail), " (%s)", c->kind.proto);
	read_addr_line(c, &c->server, "listening on ", tail, addr,
		       sizeof(addr));
	snprintf(c->port, sizeof(c->port), "%s", addr + strlen(c->prefix));
	snprintf(c->server_addr, sizeof(c->server_addr), "%s", addr);
	ASSERT_STRNE("0", c->port);
}

/* Starts a client of the server on @p, with @extra options. */
static void start_client(struct chat *c, struct proc *p,
			 const char *const extra[])
{
	const char *args[12] = { "--host", c->kind.host, "--port", c->port };
	int n = 4;

	while (*extra && n < 11)
		args[n++] = *extra++;
	args[n] = NULL;
	start_program(c, p, "client", args);
}

static void write_input(struct proc *p, const char *s)
{
	ASSERT_EQ(0, proc_write(p, s));
}

static void expect_exit(struct proc *p, int status)
{
	int ret = proc_wait(p, EXIT_MS);

	ASSERT_EQ(status, ret) {
		log_stderr(p);
	}
}

static void expect_running(struct proc *p)
{
	ASSERT_EQ(-ETIMEDOUT, proc_wait(p, QUIET_MS));
}

/* After the program ended: nothing more on stdout, @err on stderr. */
static void expect_rest(struct proc *p, const char *err)
{
	char *out = NULL, *seen = NULL;

	ASSERT_LE(0, proc_read_all(p, &out, EXIT_MS));
	ASSERT_LE(0, proc_read_all_err(p, &seen, EXIT_MS));
	EXPECT_STREQ("", out);
	EXPECT_STREQ(err, seen);
	free(out);
	free(seen);
}

static __attribute__((format(printf, 2, 3)))
void expect_rest_err(struct proc *p, const char *fmt, ...)
{
	char *err;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&err, fmt, ap);
	va_end(ap);
	ASSERT_LE(0, n);
	expect_rest(p, err);
	free(err);
}

/* The program name as it prints it: "udp_chat_client". */
static const char *prog_name(const struct chat *c, const char *role)
{
	static char name[32];

	snprintf(name, sizeof(name), "%s_chat_%s", c->kind.proto, role);
	return name;
}

/*
 * Reads the server's first line about a new client: "connected: ADDR" for
 * TCP, "from ADDR: @msg" for UDP. Keeps ADDR in @addr.
 */
static void expect_new_client(struct chat *c, const char *msg, char *addr,
			      size_t size)
{
	char tail[4096];

	if (is_tcp(c)) {
		read_addr_line(c, &c->server, "connected: ", "", addr, size);
		expect_line(&c->server, "from %s: %s", addr, msg);
		return;
	}
	snprintf(tail, sizeof(tail), ": %s", msg);
	read_addr_line(c, &c->server, "from ", tail, addr, size);
}

/* The server's line after a client closed its connection (TCP only). */
static void expect_client_closed(struct chat *c, const char *addr)
{
	if (is_tcp(c))
		expect_line(&c->server, "closed: %s", addr);
}

/* Fills @ss with @host and @port. */
static socklen_t make_sockaddr(const char *host, unsigned int port,
			       struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		return sizeof(*sin);
	}
	inet_pton(AF_INET6, host, &sin6->sin6_addr);
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	return sizeof(*sin6);
}

/* A port of the variant's protocol that nobody listens on. */
static void find_free_port(struct chat *c, char *port, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	len = make_sockaddr(c->kind.host, 0, &ss);
	fd = socket(ss.ss_family, is_tcp(c) ? SOCK_STREAM : SOCK_DGRAM, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&ss, len));
	len = sizeof(ss);
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&ss, &len));
	close(fd);
	snprintf(port, size, "%u", ntohs(ss.ss_family == AF_INET ?
		 ((struct sockaddr_in *)&ss)->sin_port :
		 ((struct sockaddr_in6 *)&ss)->sin6_port));
}

/* A TCP connection of our own to the server; its address in @addr. */
static int connect_raw(struct chat *c, char *addr, size_t size)
{
	struct sockaddr_storage ss;
	char ip[INET6_ADDRSTRLEN];
	socklen_t len;
	int fd;

	len = make_sockaddr(c->kind.host, atoi(c->port), &ss);
	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, connect(fd, (struct sockaddr *)&ss, len));
	len = sizeof(ss);
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&ss, &len));
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &sin->sin_addr, ip, sizeof(ip));
		snprintf(addr, size, "%s:%u", ip, ntohs(sin->sin_port));
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &sin6->sin6_addr, ip, sizeof(ip));
		snprintf(addr, size, "[%s]:%u", ip, ntohs(sin6->sin6_port));
	}
	return fd;
}

/* @n copies of @c, in a malloc'd string. */
static char *repeated(char c, size_t n)
{
	char *s = malloc(n + 1);

	ASSERT_NE(NULL, s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* --- every program, both protocols, both families -------------------- */

FIXTURE(chat) {
	struct chat c;
};

FIXTURE_VARIANT(chat) {
	struct kind kind;
};

FIXTURE_VARIANT_ADD(chat, udp_ipv4_c) {
	.kind = { "udp", "127.0.0.1", false },
};
FIXTURE_VARIANT_ADD(chat, udp_ipv6_c) {
	.kind = { "udp", "::1", false },
};
FIXTURE_VARIANT_ADD(chat, tcp_ipv4_c) {
	.kind = { "tcp", "127.0.0.1", false },
};
FIXTURE_VARIANT_ADD(chat, tcp_ipv6_c) {
	.kind = { "tcp", "::1", false },
};
FIXTURE_VARIANT_ADD(chat, udp_ipv4_python) {
	.kind = { "udp", "127.0.0.1", true },
};
FIXTURE_VARIANT_ADD(chat, udp_ipv6_python) {
	.kind = { "udp", "::1", true },
};
FIXTURE_VARIANT_ADD(chat, tcp_ipv4_python) {
	.kind = { "tcp", "127.0.0.1", true },
};
FIXTURE_VARIANT_ADD(chat, tcp_ipv6_python) {
	.kind = { "tcp", "::1", true },
};

FIXTURE_SETUP(chat)
{
	const char *why;

	if (!chat_init(&self->c, &variant->kind, &why))
		SKIP(return, "%s", why);
}

FIXTURE_TEARDOWN(chat)
{
	chat_cleanup(&self->c);
}

/* A person answers each message at the server, UTF-8 and empty included. */
TEST_F(chat, typed_replies)
{
	static const char *const messages[] = {
		"hello", "你好，服务器", "", "bye",
	};
	static const char *const replies[] = {
		"hi there", "你好，客户端", "", "stop",
	};
	struct chat *c = &self->c;
	char client[64], line[256];
	size_t i;

	start_server(c, false);
	start_client(c, &c->client, NO_ARGS);
	for (i = 0; i < 4; i++) {
		snprintf(line, sizeof(line), "%s\n", messages[i]);
		write_input(&c->client, line);
		if (i == 0)
			expect_new_client(c, messages[i], client,
					  sizeof(client));
		else
			expect_line(&c->server, "from %s: %s", client,
				    messages[i]);

		snprintf(line, sizeof(line), "%s\n", replies[i]);
		write_input(&c->server, line);
		expect_line(&c->client, "reply: %s", replies[i]);
	}

	/* The reply "stop" ended the server; the client ends with its input. */
	expect_exit(&c->server, 0);
	expect_rest(&c->server, "");
	expect_running(&c->client);
	proc_close_stdin(&c->client);
	expect_exit(&c->client, 0);
	expect_rest(&c->client, "");
}

/* --echo; the client's end of input ends it, not the server. */
TEST_F(chat, echo_until_end_of_input)
{
	static const char *const messages[] = {
		"one", "你好，服务器", "", "three",
	};
	struct chat *c = &self->c;
	char client[64];
	size_t i;

	start_server(c, true);
	start_client(c, &c->client, NO_ARGS);
	write_input(&c->client, "one\n你好，服务器\n\nthree\n");
	proc_close_stdin(&c->client);

	for (i = 0; i < 4; i++)
		expect_line(&c->client, "reply: %s", messages[i]);
	expect_exit(&c->client, 0);
	expect_rest(&c->client, "");

	expect_new_client(c, messages[0], client, sizeof(client));
	for (i = 1; i < 4; i++)
		expect_line(&c->server, "from %s: %s", client, messages[i]);
	expect_client_closed(c, client);
	expect_running(&c->server);
}

/* "stop" ends the client after its reply, and the echo server too. */
TEST_F(chat, stop_word)
{
	struct chat *c = &self->c;
	char client[64];

	start_server(c, true);
	start_client(c, &c->client, NO_ARGS);
	write_input(&c->client, "hello\nstop\nnever sent\n");

	expect_line(&c->client, "reply: hello");
	expect_line(&c->client, "reply: stop");
	expect_exit(&c->client, 0);
	expect_rest(&c->client, "");

	expect_new_client(c, "hello", client, sizeof(client));
	expect_line(&c->server, "from %s: stop", client);
	expect_exit(&c->server, 0);
	expect_rest(&c->server, "");
}

/* The server's end of input, while a client waits for a reply. */
TEST_F(chat, server_end_of_input)
{
	struct chat *c = &self->c;
	char client[64];

	start_server(c, false);
	start_client(c, &c->client,
		     is_tcp(c) ? NO_ARGS : ARGS("--timeout", "1"));
	write_input(&c->client, "hello\n");
	expect_new_client(c, "hello", client, sizeof(client));
	proc_close_stdin(&c->server);
	expect_exit(&c->server, 0);
	expect_rest(&c->server, "");

	expect_exit(&c->client, 1);
	if (is_tcp(c))
		expect_rest_err(&c->client,
				"tcp_chat_client: connection closed by %s before it replied\n",
				c->server_addr);
	else
		expect_rest_err(&c->client,
				"udp_chat_client: no reply from %s within 1 s: is the server running?\n",
				c->server_addr);
}

/* One client after the other: the server serves each in turn. */
TEST_F(chat, two_clients)
{
	struct chat *c = &self->c;
	char first[64], second[64];

	start_server(c, true);

	start_client(c, &c->client, NO_ARGS);
	write_input(&c->client, "first\n");
	proc_close_stdin(&c->client);
	expect_line(&c->client, "reply: first");
	expect_exit(&c->client, 0);
	expect_new_client(c, "first", first, sizeof(first));
	expect_client_closed(c, first);

	start_client(c, &c->other, NO_ARGS);
	write_input(&c->other, "second\n");
	proc_close_stdin(&c->other);
	expect_line(&c->other, "reply: second");
	expect_exit(&c->other, 0);
	expect_new_client(c, "second", second, sizeof(second));
	expect_client_closed(c, second);
	expect_running(&c->server);
}

TEST_F(chat, port_in_use)
{
	struct chat *c = &self->c;

	start_server(c, true);
	start_program(c, &c->other, "server",
		      ARGS("--host", c->kind.host, "--port", c->port));
	expect_exit(&c->other, 1);
	expect_rest_err(&c->other,
			"%s: port %s is already in use: is another server running?\n",
			prog_name(c, "server"), c->port);
	expect_running(&c->server);
}

TEST_F(chat, nobody_listening)
{
	struct chat *c = &self->c;

	find_free_port(c, c->port, sizeof(c->port));
	snprintf(c->server_addr, sizeof(c->server_addr), "%s%s", c->prefix,
		 c->port);
	start_client(c, &c->client,
		     is_tcp(c) ? NO_ARGS : ARGS("--timeout", "1"));
	proc_write(&c->client, "hello\n");	/* may find it gone: EPIPE */
	expect_exit(&c->client, 1);
	if (is_tcp(c))
		expect_rest_err(&c->client,
				"tcp_chat_client: connection refused by %s: is the server running?\n",
				c->server_addr);
	else
		expect_rest_err(&c->client,
				"udp_chat_client: message refused by %s (ICMP port unreachable): is the server running?\n",
				c->server_addr);
}

/*
 * UDP: 2000 bytes arrive cut to the 1024-byte buffer, and 70000 do not fit
 * in a datagram. TCP: 2000 bytes arrive whole, 70000 are over the limit.
 */
TEST_F(chat, long_messages)
{
	struct chat *c = &self->c;
	char *x2000 = repeated('x', 2000);
	char *y70000 = repeated('y', 70000);
	char client[64], tail[1200];

	start_server(c, true);
	start_client(c, &c->client, NO_ARGS);
	write_input(&c->client, x2000);
	write_input(&c->client, "\n");
	write_input(&c->client, y70000);
	write_input(&c->client, "\nafter\n");
	proc_close_stdin(&c->client);

	if (is_tcp(c)) {
		expect_line(&c->client, "reply: %s", x2000);
		expect_new_client(c, x2000, client, sizeof(client));
	} else {
		expect_line(&c->client, "reply: %.1024s", x2000);
		snprintf(tail, sizeof(tail),
			 " (truncated: 2000 bytes, first 1024 shown): %.1024s",
			 x2000);
		read_addr_line(c, &c->server, "from ", tail, client,
			       sizeof(client));
	}
	expect_line(&c->client, "reply: after");
	expect_exit(&c->client, 0);
	if (is_tcp(c))
		expect_rest_err(&c->client,
				"tcp_chat_client: message too long (70000 bytes, at most 65536)\n");
	else
		expect_rest_err(&c->client,
				"udp_chat_client: message too long for one UDP datagram (70000 bytes, at most %d)\n",
				is_ipv6(c) ? 65527 : 65507);
	expect_line(&c->server, "from %s: after", client);
	free(x2000);
	free(y70000);
}

#define BYTES(s)	{ s, sizeof(s) - 1 }

/* Any bytes but '\n' make a round trip intact: NUL, control, bad UTF-8. */
TEST_F(chat, binary_round_trip)
{
	static const struct {
		const char *bytes;
		size_t len;
	} messages[] = {
		BYTES("a\0b\x01\x7f\xff\r"),
		BYTES("\0\0\0"),
		BYTES("\t\x1b[31mred\x1b[0m \xe4\xbd"),
	};
	struct chat *c = &self->c;
	char client[64], expected[256];
	size_t i, n;

	start_server(c, true);
	start_client(c, &c->client, NO_ARGS);
	write_input(&c->client, "hello\n");
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, proc_write_n(&c->client, messages[i].bytes,
					  messages[i].len));
		write_input(&c->client, "\n");
	}
	proc_close_stdin(&c->client);

	expect_new_client(c, "hello", client, sizeof(client));
	expect_line(&c->client, "reply: hello");
	for (i = 0; i < 3; i++) {
		n = snprintf(expected, sizeof(expected), "from %s: ", client);
		memcpy(expected + n, messages[i].bytes, messages[i].len);
		expect_bytes(&c->server, expected, n + messages[i].len);

		memcpy(expected, "reply: ", 7);
		memcpy(expected + 7, messages[i].bytes, messages[i].len);
		expect_bytes(&c->client, expected, 7 + messages[i].len);
	}
	expect_exit(&c->client, 0);
	expect_rest(&c->client, "");
	expect_client_closed(c, client);
}

/* A client killed mid-conversation; the server carries on. */
TEST_F(chat, client_vanishes)
{
	struct chat *c = &self->c;
	char first[64], second[64];
	const char *line;

	start_server(c, false);
	start_client(c, &c->client, NO_ARGS);
	write_input(&c->client, "hello\n");
	expect_new_client(c, "hello", first, sizeof(first));
	proc_kill(&c->client, SIGKILL);
	expect_exit(&c->client, 128 + SIGKILL);

	/* The reply goes nowhere; TCP then sees the connection end. */
	write_input(&c->server, "anyone there?\n");
	if (is_tcp(c)) {
		char closed[80], reset[80];

		snprintf(closed, sizeof(closed), "closed: %s", first);
		snprintf(reset, sizeof(reset), "reset: %s", first);
		line = read_line(&c->server, NULL);
		EXPECT_TRUE(!strcmp(line, closed) || !strcmp(line, reset)) {
			TH_LOG("expected \"%s\" or \"%s\", seen \"%s\"",
			       closed, reset, line);
		}
	}

	start_client(c, &c->other, NO_ARGS);
	write_input(&c->other, "again\n");
	expect_new_client(c, "again", second, sizeof(second));
	write_input(&c->server, "welcome back\n");
	expect_line(&c->other, "reply: welcome back");
	proc_close_stdin(&c->other);
	expect_exit(&c->other, 0);
	expect_client_closed(c, second);
	expect_running(&c->server);
}

/* --- TCP only: connections -------------------------------------------- */

FIXTURE(tcp) {
	struct chat c;
};

FIXTURE_VARIANT(tcp) {
	struct kind kind;
};

FIXTURE_VARIANT_ADD(tcp, ipv4_c) {
	.kind = { "tcp", "127.0.0.1", false },
};
FIXTURE_VARIANT_ADD(tcp, ipv6_c) {
	.kind = { "tcp", "::1", false },
};
FIXTURE_VARIANT_ADD(tcp, ipv4_python) {
	.kind = { "tcp", "127.0.0.1", true },
};
FIXTURE_VARIANT_ADD(tcp, ipv6_python) {
	.kind = { "tcp", "::1", true },
};

FIXTURE_SETUP(tcp)
{
	const char *why;

	if (!chat_init(&self->c, &variant->kind, &why))
		SKIP(return, "%s", why);
}

FIXTURE_TEARDOWN(tcp)
{
	chat_cleanup(&self->c);
}

/* --reconnect: a connection per message, as the article's client does. */
TEST_F(tcp, reconnect)
{
	static const char *const messages[] = { "one", "two", "stop" };
	struct chat *c = &self->c;
	char client[64];
	size_t i;

	start_server(c, true);
	start_client(c, &c->client, ARGS("--reconnect"));
	write_input(&c->client, "one\ntwo\nstop\n");

	for (i = 0; i < 3; i++) {
		expect_new_client(c, messages[i], client, sizeof(client));
		if (i < 2)
			expect_client_closed(c, client);
		expect_line(&c->client, "reply: %s", messages[i]);
	}
	expect_exit(&c->server, 0);
	expect_rest(&c->server, "");
	expect_exit(&c->client, 0);
	expect_rest(&c->client, "");
}

/* Sends all of @buf, ignoring failure: the server may drop us midway. */
static void send_all_or_fail(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n <= 0)
			return;
		buf += n;
		len -= n;
	}
}

/* Reads from @fd until a '\n' has come; the count of bytes read. */
static size_t recv_line(int fd)
{
	char buf[4096];
	size_t total = 0;
	ssize_t n;

	do {
		n = recv(fd, buf, sizeof(buf), 0);
		ASSERT_LT(0, n);
		total += n;
	} while (buf[n - 1] != '\n');
	return total;
}

/* A client that resets its connection: "reset: ADDR", and on to the next. */
TEST_F(tcp, peer_reset)
{
	struct linger linger = { .l_onoff = 1, .l_linger = 0 };
	struct chat *c = &self->c;
	char peer[64], next[64];
	int fd;

	start_server(c, true);
	fd = connect_raw(c, peer, sizeof(peer));
	expect_line(&c->server, "connected: %s", peer);
	ASSERT_EQ(3, send(fd, "hi\n", 3, 0));
	expect_line(&c->server, "from %s: hi", peer);
	ASSERT_EQ(3, recv_line(fd));

	/* Closing with a zero linger time sends RST instead of FIN. */
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger,
				sizeof(linger)));
	close(fd);
	expect_line(&c->server, "reset: %s", peer);

	start_client(c, &c->client, NO_ARGS);
	write_input(&c->client, "next\n");
	expect_new_client(c, "next", next, sizeof(next));
	expect_line(&c->client, "reply: next");
}

/* A TCP message may be 64 KiB long, not a byte more. */
TEST_F(tcp, stream_limit)
{
	struct chat *c = &self->c;
	char peer[64], err[256], expected[256];
	char *big;
	ssize_t n;
	int fd;

	start_server(c, true);
	big = repeated('w', 65537 + 1);

	/* 65536 bytes: printed and echoed whole. */
	fd = connect_raw(c, peer, sizeof(peer));
	expect_line(&c->server, "connected: %s", peer);
	big[65536] = '\n';
	send_all_or_fail(fd, big, 65537);
	big[65536] = '\0';
	expect_line(&c->server, "from %s: %s", peer, big);
	ASSERT_EQ(65537, recv_line(fd));
	close(fd);
	expect_line(&c->server, "closed: %s", peer);

	/* 65537 bytes: reported, and the connection dropped. */
	fd = connect_raw(c, peer, sizeof(peer));
	expect_line(&c->server, "connected: %s", peer);
	big[65536] = 'w';
	big[65537] = '\n';
	send_all_or_fail(fd, big, 65538);
	n = proc_read_err_line(&c->server, err, sizeof(err), LINE_MS);
	ASSERT_LT(0, n);
	snprintf(expected, sizeof(expected),
		 "tcp_chat_server: %s sent a message longer than 65536 bytes: dropping the connection",
		 peer);
	EXPECT_STREQ(expected, err);
	close(fd);
	free(big);

	/* And the server goes on. */
	start_client(c, &c->client, NO_ARGS);
	write_input(&c->client, "still there?\n");
	expect_line(&c->client, "reply: still there?");
}

/* --- the command line: the same for both families ---------------------- */

FIXTURE(args) {
	struct chat c;
};

FIXTURE_VARIANT(args) {
	struct kind kind;
};

FIXTURE_VARIANT_ADD(args, udp_c) {
	.kind = { "udp", "127.0.0.1", false },
};
FIXTURE_VARIANT_ADD(args, tcp_c) {
	.kind = { "tcp", "127.0.0.1", false },
};
FIXTURE_VARIANT_ADD(args, udp_python) {
	.kind = { "udp", "127.0.0.1", true },
};
FIXTURE_VARIANT_ADD(args, tcp_python) {
	.kind = { "tcp", "127.0.0.1", true },
};

FIXTURE_SETUP(args)
{
	const char *why;

	if (!chat_init(&self->c, &variant->kind, &why))
		SKIP(return, "%s", why);
}

FIXTURE_TEARDOWN(args)
{
	chat_cleanup(&self->c);
}

/* Runs the @role program with @args: exit 2, @err on stderr, no stdout. */
static void expect_usage_error(struct chat *c, const char *role,
			       const char *const args[], const char *err)
{
	char *out = NULL, *seen = NULL, *last;

	start_program(c, &c->other, role, args);
	expect_exit(&c->other, 2);
	ASSERT_LE(0, proc_read_all(&c->other, &out, EXIT_MS));
	ASSERT_LE(0, proc_read_all_err(&c->other, &seen, EXIT_MS));
	EXPECT_STREQ("", out);
	if (c->kind.python && strstr(err, ": error: ")) {
		/* argparse's own: its usage line, then the error. */
		last = seen + strlen(seen);
		if (last > seen)
			last--;
		while (last > seen && last[-1] != '\n')
			last--;
		EXPECT_STREQ(err, last);
	} else {
		EXPECT_STREQ(err, seen);
	}
	free(out);
	free(seen);
	proc_cleanup(&c->other);
}

/* Bad values and options: one line on stderr, exit status 2. */
TEST_F(args, bad_arguments)
{
	struct chat *c = &self->c;
	char server[32], client[32], err[256];
	char *out = NULL;

	snprintf(server, sizeof(server), "%s", prog_name(c, "server"));
	snprintf(client, sizeof(client), "%s", prog_name(c, "client"));

	snprintf(err, sizeof(err), "%s: bad port 'abc': expected a number from 0 to 65535\n",
		 server);
	expect_usage_error(c, "server", ARGS("--port", "abc"), err);
	snprintf(err, sizeof(err), "%s: bad port '65536': expected a number from 0 to 65535\n",
		 server);
	expect_usage_error(c, "server", ARGS("--port=65536"), err);
	snprintf(err, sizeof(err), "%s: bad port '0': expected a number from 1 to 65535\n",
		 client);
	expect_usage_error(c, "client", ARGS("--port", "0"), err);
	snprintf(err, sizeof(err), "%s: bad host 'localhost': expected a numeric IPv4 or IPv6 address such as 127.0.0.1 or ::1\n",
		 client);
	expect_usage_error(c, "client", ARGS("--host", "localhost"), err);
	snprintf(err, sizeof(err), "%s: bad host '::1::': expected a numeric IPv4 or IPv6 address such as 127.0.0.1 or ::1\n",
		 server);
	expect_usage_error(c, "server", ARGS("--host", "::1::"), err);
	if (!is_tcp(c)) {
		expect_usage_error(c, "client", ARGS("--timeout", "0"),
				   "udp_chat_client: bad timeout '0': expected a number of seconds from 1 to 3600\n");
	}

	if (c->kind.python)
		snprintf(err, sizeof(err), "%s: error: unrecognized arguments: --bogus\n",
			 client);
	else
		snprintf(err, sizeof(err), "%s: unknown option '--bogus' (try --help)\n",
			 client);
	expect_usage_error(c, "client", ARGS("--bogus"), err);
	if (c->kind.python)
		snprintf(err, sizeof(err), "%s: error: unrecognized arguments: --echo\n",
			 client);
	else
		snprintf(err, sizeof(err), "%s: unknown option '--echo' (try --help)\n",
			 client);
	expect_usage_error(c, "client", ARGS("--echo"), err);

	/* --help is not an error: usage on stdout, status 0. */
	start_program(c, &c->other, "server", ARGS("--help"));
	expect_exit(&c->other, 0);
	ASSERT_LE(0, proc_read_all(&c->other, &out, EXIT_MS));
	snprintf(err, sizeof(err), "usage: %s ", server);
	EXPECT_EQ(0, strncmp(err, out, strlen(err))) {
		TH_LOG("--help printed: %s", out);
	}
	free(out);
}

/* --- C and Python, side by side ------------------------------------- */

/* What the server and the client printed: [0] server, [1] client. */
struct transcript {
	char *out[2], *err[2];
	size_t out_len[2], err_len[2];
	int status[2];
};

static void free_transcript(struct transcript *t)
{
	int i;

	for (i = 0; i < 2; i++) {
		free(t->out[i]);
		free(t->err[i]);
	}
}

/* Collects what @p printed, after it ended. */
static void collect(struct proc *p, const char *first_line, char **out,
		    size_t *out_len, char **err, size_t *err_len)
{
	char *rest = NULL;
	ssize_t n;

	n = proc_read_all(p, &rest, EXIT_MS);
	ASSERT_LE(0, n);
	*out = malloc(strlen(first_line) + n + 1);
	ASSERT_NE(NULL, *out);
	*out_len = strlen(first_line) + n;
	memcpy(*out, first_line, strlen(first_line));
	memcpy(*out + strlen(first_line), rest, n + 1);
	free(rest);
	n = proc_read_all_err(p, err, EXIT_MS);
	ASSERT_LE(0, n);
	*err_len = n;
}

/* One conversation with an echo server, all of it, ended by "stop". */
static void run_conversation(struct chat *c, const char *input, size_t len,
			     struct transcript *t)
{
	char listening[128];

	start_server(c, true);
	snprintf(listening, sizeof(listening), "listening on %s (%s)\n",
		 c->server_addr, c->kind.proto);
	start_client(c, &c->client, NO_ARGS);
	ASSERT_EQ(0, proc_write_n(&c->client, input, len));
	proc_close_stdin(&c->client);
	t->status[1] = proc_wait(&c->client, EXIT_MS);
	t->status[0] = proc_wait(&c->server, EXIT_MS);
	collect(&c->server, listening, &t->out[0], &t->out_len[0],
		&t->err[0], &t->err_len[0]);
	collect(&c->client, "", &t->out[1], &t->out_len[1], &t->err[1],
		&t->err_len[1]);
}

/*
 * Ports differ from run to run: write each "ADDR:PORT" as "ADDR:P".
 * A port follows a ':' after a digit or a ']'. Returns the new length.
 */
static size_t mask_ports(char *s, size_t len)
{
	size_t i = 0, o = 0;
	char ch;

	while (i < len) {
		ch = s[i++];
		s[o++] = ch;
		if (ch == ':' && o >= 2 && (isdigit((unsigned char)s[o - 2]) ||
					    s[o - 2] == ']') &&
		    i < len && isdigit((unsigned char)s[i])) {
			while (i < len && isdigit((unsigned char)s[i]))
				i++;
			s[o++] = 'P';
		}
	}
	s[o] = '\0';
	return o;
}

/* Logs @s with its unprintable bytes escaped, cut to a few lines. */
static void log_escaped(const char *label, const char *s, size_t len)
{
	char buf[1024];
	size_t i, o = 0;

	for (i = 0; i < len && o < sizeof(buf) - 8; i++) {
		unsigned char ch = s[i];

		if (ch == '\n')
			o += snprintf(buf + o, sizeof(buf) - o, "\\n");
		else if (ch < 0x20 || ch == 0x7f)
			o += snprintf(buf + o, sizeof(buf) - o, "\\x%02x", ch);
		else
			buf[o++] = ch;
	}
	buf[o] = '\0';
	TH_LOG("%s (%zu bytes): %s%s", label, len, buf, i < len ? "..." : "");
}

static void expect_same(const char *what, char *c_text, size_t c_len,
			char *py_text, size_t py_len)
{
	c_len = mask_ports(c_text, c_len);
	py_len = mask_ports(py_text, py_len);
	EXPECT_TRUE(c_len == py_len && !memcmp(c_text, py_text, c_len)) {
		TH_LOG("%s differs between C and Python", what);
		log_escaped("C", c_text, c_len);
		log_escaped("Python", py_text, py_len);
	}
}

FIXTURE(parity) {
	struct chat c, py;
};

FIXTURE_VARIANT(parity) {
	const char *proto;
	const char *host;
};

FIXTURE_VARIANT_ADD(parity, udp_ipv4) {
	.proto = "udp", .host = "127.0.0.1",
};
FIXTURE_VARIANT_ADD(parity, udp_ipv6) {
	.proto = "udp", .host = "::1",
};
FIXTURE_VARIANT_ADD(parity, tcp_ipv4) {
	.proto = "tcp", .host = "127.0.0.1",
};
FIXTURE_VARIANT_ADD(parity, tcp_ipv6) {
	.proto = "tcp", .host = "::1",
};

FIXTURE_SETUP(parity)
{
	struct kind c = { variant->proto, variant->host, false };
	struct kind py = { variant->proto, variant->host, true };
	const char *why;

	if (!chat_init(&self->c, &c, &why) || !chat_init(&self->py, &py, &why))
		SKIP(return, "%s", why);
}

FIXTURE_TEARDOWN(parity)
{
	chat_cleanup(&self->c);
	chat_cleanup(&self->py);
}

/* The same conversation gives byte-identical output in C and in Python. */
TEST_F(parity, same_output)
{
	static const char start[] = "hello\n你好，服务器\n\na\0b\x01\xff\r\n";
	struct transcript c = { 0 }, py = { 0 };
	char *input, *p;
	size_t len;
	int i;

	/* ... then 2000 bytes, then 70000, then "stop". */
	len = sizeof(start) - 1 + 2001 + 70001 + 5;
	input = malloc(len);
	ASSERT_NE(NULL, input);
	p = input;
	memcpy(p, start, sizeof(start) - 1);
	p += sizeof(start) - 1;
	memset(p, 'x', 2000);
	p[2000] = '\n';
	p += 2001;
	memset(p, 'y', 70000);
	p[70000] = '\n';
	p += 70001;
	memcpy(p, "stop\n", 5);

	run_conversation(&self->c, input, len, &c);
	run_conversation(&self->py, input, len, &py);
	for (i = 0; i < 2; i++) {
		const char *who = i ? "the client's" : "the server's";
		char what[64];

		EXPECT_EQ(0, c.status[i]);
		EXPECT_EQ(c.status[i], py.status[i]);
		snprintf(what, sizeof(what), "%s stdout", who);
		expect_same(what, c.out[i], c.out_len[i], py.out[i],
			    py.out_len[i]);
		snprintf(what, sizeof(what), "%s stderr", who);
		expect_same(what, c.err[i], c.err_len[i], py.err[i],
			    py.err_len[i]);
	}
	/* Not two empty transcripts: the C side printed each reply. */
	EXPECT_LT(1024, c.out_len[1]);
	free_transcript(&c);
	free_transcript(&py);
	free(input);
}

TEST_HARNESS_MAIN
