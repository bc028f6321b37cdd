// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The teaching layer end to end: what the notes under each call say the
 * kernel decided (the protocol for protocol 0, the ephemeral port, the
 * clamped backlog), failures with their evidence (the RST behind
 * ECONNREFUSED, who holds a port, EAGAIN, how long a call waited), the
 * TCP state machine of a whole connection, kernel events attributed to
 * the process and descriptor that own the socket even in softirq context
 * (and never to a traced process when the socket is another's, at a freed
 * socket's address), descriptor reuse, conversations between processes,
 * UDP drops, and --no-explain. Needs root and BTF.
 *
 * Each test runs sockscope on tests/helpers/teach_tcp or teach_udp in a
 * fresh network namespace, with the text trace in a file (-o) and the
 * same trace as JSON (--save, which is the -j output plus "raw"), so the
 * helpers' own "teach: ..." lines are all that reach stdout.
 */
#include <sched.h>
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
#include "lib/tracer_run.h"

#define REQUIRE_E2E() do {					\
	const char *why = e2e_skip_reason();			\
	if (why)						\
		SKIP(return, "%s", why);			\
} while (0)

/* Every network test runs in its own namespace. */
#define ENTER_NETNS() do {					\
	int err_ = netns_enter_fresh();				\
	if (err_)						\
		SKIP(return, "no fresh network namespace: %s",	\
		     strerror(-err_));				\
} while (0)

/* One traced run: the text trace, its JSON twin, and what the command
 * printed. */
struct trace {
	char *text;
	char *json;
	char *out;
	char *err;
	int status;
};

static char tcp_path[4096], udp_path[4096];

static char *teach_tcp(void)
{
	build_path(tcp_path, sizeof(tcp_path), "tests/helpers/teach_tcp");
	return tcp_path;
}

static char *teach_udp(void)
{
	build_path(udp_path, sizeof(udp_path), "tests/helpers/teach_udp");
	return udp_path;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];

	if (!f)
		return strdup("");
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf = realloc(buf, len + n + 1);
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (!buf)
		return strdup("");
	buf[len] = '\0';
	return buf;
}

/* Runs "sockscope OPTS -o TEXT --save JSON -- COMMAND". */
static void trace_run(struct trace *t, char *const opts[],
		      char *const command[])
{
	char dir[] = "/tmp/sockscope-explain-XXXXXX";
	char text[64], json[64], *argv[32];
	int n = 0;

	memset(t, 0, sizeof(*t));
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(text, sizeof(text), "%s/trace.txt", dir);
	snprintf(json, sizeof(json), "%s/trace.jsonl", dir);
	for (int i = 0; opts && opts[i] && n < 26; i++)
		argv[n++] = opts[i];
	argv[n++] = "-o";
	argv[n++] = text;
	argv[n++] = "--save";
	argv[n++] = json;
	argv[n] = NULL;
	t->status = tracer_run(argv, command, &t->out, &t->err);
	t->text = slurp(text);
	t->json = slurp(json);
	unlink(text);
	unlink(json);
	rmdir(dir);
	if (t->status) {
		TH_LOG("sockscope exited %d; stdout:\n%s\nstderr:\n%s", t->status,
		       t->out, t->err);
	}
}

static void trace_free(struct trace *t)
{
	free(t->text);
	free(t->json);
	free(t->out);
	free(t->err);
}

/* --- the text trace ------------------------------------------------ */

/* A line without its leading timestamp ("0.004610 "). */
static const char *after_time(const char *line, const char *end)
{
	const char *p = line;

	while (p < end && ((*p >= '0' && *p <= '9') || *p == '.'))
		p++;
	return p > line && p < end && *p == ' ' ? p + 1 : line;
}

/* The first line that is exactly want after its timestamp, or NULL. */
static const char *find_line(const char *text, const char *want)
{
	size_t n = strlen(want);

	for (const char *line = text; line && *line;) {
		const char *end = strchrnul(line, '\n');
		const char *body = after_time(line, end);

		if ((size_t)(end - body) == n && !strncmp(body, want, n))
			return line;
		line = *end ? end + 1 : end;
	}
	return NULL;
}

/* The note under the line that is exactly call (malloc'd, "" if none),
 * or NULL when there is no such line. */
static char *note_of(const char *text, const char *call)
{
	const char *line = find_line(text, call), *end;

	if (!line)
		return NULL;
	line = strchrnul(line, '\n');
	if (!*line || strncmp(line + 1, "    # ", 6))
		return strdup("");
	line += 7;
	end = strchrnul(line, '\n');
	return strndup(line, end - line);
}

enum match { WHOLE, START, PART };

/* Whether the note under call is want (WHOLE), starts with it, or has
 * it; says what it saw when not. */
static bool note_matches(const char *text, const char *call, enum match how,
			 const char *want)
{
	static const char during[] =
		"; the state changes just above happened during this call";
	char *note = note_of(text, call), *cut;
	bool ok = false;

	/* Whether a state change fell inside the call is a matter of
	 * timing: that clause is not compared. */
	if (note && (cut = strstr(note, during)))
		memmove(cut, cut + strlen(during),
			strlen(cut + strlen(during)) + 1);
	if (note) {
		if (how == WHOLE)
			ok = !strcmp(note, want);
		else if (how == START)
			ok = !strncmp(note, want, strlen(want));
		else
			ok = strstr(note, want) != NULL;
	}
	if (!ok)
		TH_LOG("under the line\n  %s\nwanted a note %s\n  %s\nbut %s\n  %s",
		       call, how == WHOLE ? "equal to" :
		       how == START ? "starting with" : "containing", want,
		       note ? "it is" : "there is no such line; the trace:",
		       note ? note : text);
	free(note);
	return ok;
}

#define EXPECT_NOTE(text, call, how, want) \
	EXPECT_TRUE(note_matches(text, call, how, want))

/* How many times needle occurs in hay. */
static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = strstr(hay, needle); p;
	     p = strstr(p + strlen(needle), needle))
		n++;
	return n;
}

/* The pid of the first call in the trace. */
static pid_t first_pid(const char *text)
{
	const char *p = strchr(text, '[');

	return p ? atoi(p + 1) : -1;
}

/* --- the JSON trace -------------------------------------------------- */

/*
 * The value of key in one JSON line (the first "key": in it), strings
 * without their quotes, into buf; false if absent. Our lines have no
 * escaped quotes in the fields read here.
 */
static bool jfield(const char *line, const char *end, const char *key,
		   char *buf, size_t size)
{
	char pat[64];
	const char *p, *v;
	size_t n;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = memmem(line, end - line, pat, strlen(pat));
	if (!p)
		return false;
	p += strlen(pat);
	if (*p == '"') {
		v = ++p;
		while (p < end && *p != '"')
			p += *p == '\\' ? 2 : 1;
	} else {
		v = p;
		while (p < end && *p != ',' && *p != '}')
			p++;
	}
	n = p - v < (long)size - 1 ? (size_t)(p - v) : size - 1;
	memcpy(buf, v, n);
	buf[n] = '\0';
	return true;
}

static long jnum(const char *line, const char *end, const char *key)
{
	char buf[32];

	return jfield(line, end, key, buf, sizeof(buf)) ? atol(buf) : -1;
}

static bool jis(const char *line, const char *end, const char *key,
		const char *want)
{
	char buf[256];

	return jfield(line, end, key, buf, sizeof(buf)) && !strcmp(buf, want);
}

#define for_each_line(line, end, text)					\
	for (const char *line = (text), *end = strchrnul(line, '\n');	\
	     *line; line = *end ? end + 1 : end, end = strchrnul(line, '\n'))

/* Appends s to a malloc'd string. */
static void append(char **buf, const char *s)
{
	size_t len = *buf ? strlen(*buf) : 0;

	*buf = realloc(*buf, len + strlen(s) + 1);
	strcpy(*buf + len, s);
}

/*
 * pid's TCP state changes in order, each "FD:OLD>NEW " (FD "-" when
 * the event carries none), with comm checked against want_comm.
 */
static char *states_of(const char *json, pid_t pid, const char *want_comm)
{
	char *seq = strdup(""), item[96], fd[16], old[32], new[32];

	for_each_line(line, end, json) {
		if (!jis(line, end, "kind", "tcp_state") ||
		    jnum(line, end, "pid") != pid)
			continue;
		if (!jfield(line, end, "fd", fd, sizeof(fd)))
			strcpy(fd, "-");
		jfield(line, end, "old", old, sizeof(old));
		jfield(line, end, "new", new, sizeof(new));
		snprintf(item, sizeof(item), "%s:%s>%s ", fd, old, new);
		append(&seq, item);
		EXPECT_TRUE(jis(line, end, "comm", want_comm)) {
			TH_LOG("not %s's: %.*s", want_comm, (int)(end - line),
			       line);
		}
	}
	return seq;
}

/* How a row of the "sockets seen:" summary starts (up to the local
 * address; the protocol column alone when local is ""). */
static void summary_row(char *buf, size_t size, long pid, const char *comm,
			int fd, const char *proto, const char *local)
{
	if (*local)
		snprintf(buf, size, "%8ld %-15.15s %4d  %-13s %-22s ", pid, comm,
			 fd, proto, local);
	else
		snprintf(buf, size, "%8ld %-15.15s %4d  %s ", pid, comm, fd,
			 proto);
}

/* "teach: <what> %d ..." from the helper's output: the number, or -1. */
static long printed(const char *out, const char *what)
{
	const char *p = strstr(out, what);

	return p ? atol(p + strlen(what)) : -1;
}

/* --- what the kernel chose ------------------------------------------ */

TEST_TIMEOUT(protocol_zero_names_the_protocol_the_kernel_chose, 60)
{
	char *cmd[] = { teach_tcp(), "protocol", NULL };
	char call[256], note[512];
	struct trace t;
	pid_t pid;

	REQUIRE_E2E();
	ENTER_NETNS();
	trace_run(&t, NULL, cmd);
	ASSERT_EQ(0, t.status);
	pid = first_pid(t.text);

	snprintf(call, sizeof(call),
		 "[%d teach_tcp] socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3", pid);
	EXPECT_NOTE(t.text, call, WHOLE,
		    "fd 3 is a new TCP socket (SOCK_STREAM: a connection-oriented, reliable, ordered byte stream); protocol 0 let the kernel choose IPPROTO_TCP");
	snprintf(call, sizeof(call),
		 "[%d teach_tcp] socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 4", pid);
	EXPECT_NOTE(t.text, call, WHOLE,
		    "fd 4 is a new UDP socket (SOCK_DGRAM: separate datagrams, connectionless, no delivery or order guarantee); protocol 0 let the kernel choose IPPROTO_UDP");
	/* Asked for by name: nothing was left to the kernel. */
	snprintf(call, sizeof(call),
		 "[%d teach_tcp] socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 5", pid);
	EXPECT_NOTE(t.text, call, WHOLE,
		    "fd 5 is a new TCP socket (SOCK_STREAM: a connection-oriented, reliable, ordered byte stream)");

	/* The JSON says the same in "note". */
	snprintf(note, sizeof(note),
		 "\"name\":\"socket\",\"ret\":4,\"args\":{\"family\":\"AF_INET\",\"type\":\"SOCK_DGRAM\",\"flags\":[],\"protocol\":\"IPPROTO_IP\"},\"note\":\"fd 4 is a new UDP socket (SOCK_DGRAM: separate datagrams, connectionless, no delivery or order guarantee); protocol 0 let the kernel choose IPPROTO_UDP\"");
	EXPECT_EQ(1, count(t.json, note)) {
		TH_LOG("JSON:\n%s", t.json);
	}
	trace_free(&t);
}

/* An unbound UDP socket's first sendto: the port getsockname reports. */
TEST_TIMEOUT(udp_autobind_names_the_ephemeral_port, 60)
{
	char *cmd[] = { teach_udp(), "wait", NULL };
	char call[256], note[512];
	long port, sender, sport;
	struct trace t;

	REQUIRE_E2E();
	ENTER_NETNS();
	trace_run(&t, NULL, cmd);
	ASSERT_EQ(0, t.status);
	port = printed(t.out, "teach: port ");
	sender = printed(t.out, "teach: sender ");
	ASSERT_LT(0, port);
	ASSERT_LT(0, sender);
	ASSERT_EQ(1, sscanf(strstr(t.out, "teach: sender "),
			    "teach: sender %*d port %ld", &sport));
	ASSERT_LT(0, sport);

	snprintf(call, sizeof(call),
		 "[%ld teach_sender] sendto(4, ..., 5, 0, {AF_INET, 127.0.0.1:%ld}, 16) = 5",
		 sender, port);
	snprintf(note, sizeof(note),
		 "one datagram of 5 bytes: it arrives whole or not at all; this first send bound the socket: the kernel chose 0.0.0.0:%ld (an ephemeral port)",
		 sport);
	EXPECT_NOTE(t.text, call, WHOLE, note);
	trace_free(&t);
}

/* A TCP connect without bind: the ephemeral port of this end. */
TEST_TIMEOUT(tcp_connect_names_the_ephemeral_port, 60)
{
	char *cmd[] = { teach_tcp(), "conn", "1", NULL };
	char call[256], note[512];
	long port, client, cport;
	struct trace t;

	REQUIRE_E2E();
	ENTER_NETNS();
	trace_run(&t, NULL, cmd);
	ASSERT_EQ(0, t.status);
	port = printed(t.out, "teach: port ");
	client = printed(t.out, "teach: client ");
	ASSERT_LT(0, port);
	ASSERT_LT(0, client);
	ASSERT_EQ(1, sscanf(strstr(t.out, "teach: client "),
			    "teach: client %*d port %ld", &cport));

	snprintf(call, sizeof(call),
		 "[%ld teach_client] connect(4, {AF_INET, 127.0.0.1:%ld}, 16) = 0",
		 client, port);
	snprintf(note, sizeof(note),
		 "TCP three-way handshake with 127.0.0.1:%ld done (SYN, SYN-ACK, ACK): a connection; the kernel chose this end: 127.0.0.1:%ld (an ephemeral port, as the socket was not bound)",
		 port, cport);
	EXPECT_NOTE(t.text, call, START, note);
	trace_free(&t);
}

/* listen(fd, 1000000): at most somaxconn, this namespace's own. */
TEST_TIMEOUT(listen_backlog_clamped_to_somaxconn, 60)
{
	char *cmd[] = { teach_tcp(), "backlog", NULL };
	char call[256], note[256], *value;
	struct trace t;
	int somaxconn;
	FILE *f;
	pid_t pid;

	REQUIRE_E2E();
	ENTER_NETNS();
	/* Per namespace: the host's value is not touched. */
	f = fopen("/proc/sys/net/core/somaxconn", "we");
	ASSERT_NE(NULL, f);
	fputs("64\n", f);
	ASSERT_EQ(0, fclose(f));
	value = slurp("/proc/sys/net/core/somaxconn");
	somaxconn = atoi(value);
	free(value);
	ASSERT_EQ(64, somaxconn);

	trace_run(&t, NULL, cmd);
	ASSERT_EQ(0, t.status);
	pid = first_pid(t.text);
	snprintf(call, sizeof(call), "[%d teach_tcp] listen(3, 1000000) = 0",
		 pid);
	snprintf(note, sizeof(note),
		 "; at most %d may wait (backlog 1000000 clamped to net.core.somaxconn)",
		 somaxconn);
	EXPECT_NOTE(t.text, call, PART, note);
	EXPECT_NOTE(t.text, call, START, "fd 3 now listens on 127.0.0.1:");
	/* Under the limit: taken as asked, and nothing said of a clamp. */
	snprintf(call, sizeof(call), "[%d teach_tcp] listen(4, 5) = 0", pid);
	EXPECT_NOTE(t.text, call, PART, "; at most 5 may wait");
	EXPECT_FALSE(note_matches(t.text, call, PART, "clamped"));
	trace_free(&t);
}

/* --- the TCP state machine ----------------------------------------- */

/*
 * One connection, the client closing first: every state change of both
 * ends, in order, attributed to the process and descriptor that own it.
 * The server's first two changes happen before accept(): no descriptor
 * holds the socket yet, so they carry none.
 */
TEST_TIMEOUT(tcp_states_of_a_whole_connection, 60)
{
	char *cmd[] = { teach_tcp(), "conn", "1", NULL };
	char *seq, call[256];
	long client, cport, port;
	struct trace t;
	pid_t server;

	REQUIRE_E2E();
	ENTER_NETNS();
	trace_run(&t, NULL, cmd);
	ASSERT_EQ(0, t.status);
	port = printed(t.out, "teach: port ");
	client = printed(t.out, "teach: client ");
	ASSERT_LT(0, client);
	ASSERT_EQ(1, sscanf(strstr(t.out, "teach: client "),
			    "teach: client %*d port %ld", &cport));
	server = first_pid(t.text);

	seq = states_of(t.json, client, "teach_client");
	EXPECT_STREQ("4:CLOSE>SYN_SENT 4:SYN_SENT>ESTABLISHED 4:ESTABLISHED>FIN_WAIT1 4:FIN_WAIT1>FIN_WAIT2 4:FIN_WAIT2>CLOSE ",
		     seq);
	free(seq);
	seq = states_of(t.json, server, "teach_tcp");
	EXPECT_STREQ("3:CLOSE>LISTEN -:LISTEN>SYN_RECV -:SYN_RECV>ESTABLISHED 4:ESTABLISHED>CLOSE_WAIT 4:CLOSE_WAIT>LAST_ACK 4:LAST_ACK>CLOSE 3:LISTEN>CLOSE ",
		     seq);
	free(seq);
	/* Nobody else's. */
	EXPECT_EQ(12, count(t.json, "\"kind\":\"tcp_state\""));

	/* Each change on the wire names the right ends. */
	for_each_line(line, end, t.json) {
		long sport, dport, pid;

		if (!jis(line, end, "kind", "tcp_state"))
			continue;
		sport = jnum(line, end, "sport");
		dport = jnum(line, end, "dport");
		pid = jnum(line, end, "pid");
		if (!sport || !dport)
			continue;
		if (pid == client) {
			EXPECT_TRUE(sport == cport && dport == port) {
				TH_LOG("%.*s", (int)(end - line), line);
			}
		} else {
			EXPECT_TRUE(sport == port && dport == cport) {
				TH_LOG("%.*s", (int)(end - line), line);
			}
		}
	}

	/* The text: the active close ends in TIME_WAIT, said so. */
	snprintf(call, sizeof(call),
		 "[%ld teach_client] tcp 127.0.0.1:%ld -> 127.0.0.1:%ld (fd 4): FIN_WAIT2 -> CLOSE after ",
		 client, cport, port);
	EXPECT_NE(NULL, strstr(t.text, call)) {
		TH_LOG("no line starting %s in\n%s", call, t.text);
	}
	EXPECT_EQ(1, count(t.text, "    # the peer's FIN arrived: the connection now sits in TIME_WAIT for 60 s (a small timewait socket) so stray packets cannot confuse a new connection on the same ports\n"));
	/* And the summary gives each end its final state. */
	summary_row(call, sizeof(call), client, "teach_client", 4, "TCP", "");
	EXPECT_NE(NULL, strstr(t.err, call));
	EXPECT_EQ(1, count(t.err, "  TIME_WAIT\n")) {
		TH_LOG("%s", t.err);
	}
	trace_free(&t);
}

/* connect() to a port nobody listens on: the RST, then ECONNREFUSED. */
TEST_TIMEOUT(econnrefused_shows_the_reset, 60)
{
	char *cmd[] = { teach_tcp(), "refused", NULL };
	long reset_at = -1, connect_at = -1, i = 0;
	char call[256];
	struct trace t;
	pid_t pid;

	REQUIRE_E2E();
	ENTER_NETNS();
	trace_run(&t, NULL, cmd);
	ASSERT_EQ(0, t.status);
	pid = first_pid(t.text);

	for_each_line(line, end, t.json) {
		i++;
		if (jis(line, end, "kind", "tcp_reset")) {
			EXPECT_EQ(-1, reset_at);
			reset_at = i;
			EXPECT_EQ(pid, jnum(line, end, "pid"));
			EXPECT_EQ(3, jnum(line, end, "fd"));
			EXPECT_EQ(1, jnum(line, end, "dport"));
			EXPECT_TRUE(jis(line, end, "direction", "received")) {
				TH_LOG("%.*s", (int)(end - line), line);
			}
		}
		if (jis(line, end, "name", "connect")) {
			connect_at = i;
			EXPECT_EQ(-1, jnum(line, end, "ret"));
			EXPECT_TRUE(jis(line, end, "errno", "ECONNREFUSED"));
		}
	}
	EXPECT_LT(0, reset_at) {
		TH_LOG("no tcp_reset in\n%s", t.json);
	}
	EXPECT_LT(reset_at, connect_at);

	snprintf(call, sizeof(call),
		 "[%d teach_tcp] connect(3, {AF_INET, 127.0.0.1:1}, 16) = -1 ECONNREFUSED (Connection refused)",
		 pid);
	EXPECT_NOTE(t.text, call, START,
		    "nobody listens there: the peer's kernel answered the SYN with a reset (RST), the reset received just above");
	snprintf(call, sizeof(call), " -> 127.0.0.1:1 (fd 3): reset received\n"
		 "    # a reset (RST) arrived: the peer refuses or aborts this connection\n");
	EXPECT_EQ(1, count(t.text, call));
	/* The local end is shown though the port was already given back. */
	EXPECT_EQ(1, count(t.text, " -> 127.0.0.1:1 (fd 3): SYN_SENT -> CLOSE after "));
	snprintf(call, sizeof(call), "[%d teach_tcp] tcp 127.0.0.1:", pid);
	EXPECT_EQ(2, count(t.text, call));	/* the reset, SYN_SENT -> CLOSE */
	trace_free(&t);
}

/* --- socket identity --------------------------------------------------- */

/* fd 5 is a TCP client, closed; then a UDP socket gets fd 5. */
TEST_TIMEOUT(fd_reuse_follows_the_new_socket, 60)
{
	char *cmd[] = { teach_tcp(), "reuse", NULL };
	char call[256], note[256], local[64], *after, *note_text;
	long uport, tport, chosen = -1;
	struct trace t;
	pid_t pid;

	REQUIRE_E2E();
	ENTER_NETNS();
	trace_run(&t, NULL, cmd);
	ASSERT_EQ(0, t.status);
	pid = first_pid(t.text);
	uport = printed(t.out, "teach: udp port ");
	tport = printed(t.out, "teach: tcp port ");
	ASSERT_LT(0, uport);
	ASSERT_LT(0, tport);

	snprintf(call, sizeof(call), "[%d teach_tcp] close(5) = 0", pid);
	EXPECT_NOTE(t.text, call, START,
		    "fd 5 closed: the kernel sends FIN and finishes the connection on its own");
	snprintf(call, sizeof(call),
		 "[%d teach_tcp] socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 5", pid);
	EXPECT_NOTE(t.text, call, START, "fd 5 is a new UDP socket");
	/* A datagram, not stream bytes; and this socket was never bound. */
	snprintf(call, sizeof(call),
		 "[%d teach_tcp] sendto(5, ..., 5, 0, {AF_INET, 127.0.0.1:%ld}, 16) = 5",
		 pid, uport);
	EXPECT_NOTE(t.text, call, START,
		    "one datagram of 5 bytes: it arrives whole or not at all; this first send bound the socket: the kernel chose 0.0.0.0:");
	note_text = note_of(t.text, call);
	if (note_text && strstr(note_text, "0.0.0.0:"))
		chosen = atol(strstr(note_text, "0.0.0.0:") + 8);
	free(note_text);
	/* Closing it frees the UDP port, not the TCP one. */
	after = strstr(t.text, call);
	ASSERT_NE(NULL, after);
	snprintf(call, sizeof(call), "[%d teach_tcp] close(5) = 0", pid);
	snprintf(note, sizeof(note), "fd 5 closed: UDP port %ld is free again",
		 chosen);
	EXPECT_NOTE(after, call, WHOLE, note);

	/* The TCP socket's five state changes said fd 5, all before the
	 * reuse; no kernel event said fd 5 after it. */
	after = strstr(t.json, "\"name\":\"socket\",\"ret\":5,\"args\":{\"family\":\"AF_INET\",\"type\":\"SOCK_DGRAM\"");
	ASSERT_NE(NULL, after);
	EXPECT_EQ(0, count(after, "\"fd\":5,\"family\":")) {
		TH_LOG("%s", after);
	}
	EXPECT_EQ(5, count(t.json, "\"fd\":5,\"family\":\"AF_INET\""));

	/* Two sockets had fd 5: both in the summary. */
	snprintf(local, sizeof(local), "127.0.0.1:%ld", tport);
	summary_row(call, sizeof(call), pid, "teach_tcp", 5, "TCP", local);
	EXPECT_EQ(1, count(t.err, call)) {
		TH_LOG("%s", t.err);
	}
	snprintf(local, sizeof(local), "0.0.0.0:%ld", chosen);
	summary_row(call, sizeof(call), pid, "teach_tcp", 5, "UDP", local);
	EXPECT_EQ(1, count(t.err, call)) {
		TH_LOG("%s", t.err);
	}
	trace_free(&t);
}

/*
 * The server's LISTEN -> SYN_RECV -> ESTABLISHED happen in softirq
 * context, while the client's process is current: they belong to the
 * server all the same. Four clients one after the other, each a new
 * process, so freed kernel sockets get reused.
 */
TEST_TIMEOUT(softirq_events_belong_to_the_listening_process, 60)
{
	char *cmd[] = { teach_tcp(), "conn", "4", NULL };
	int handshakes = 0, clients = 0;
	long pids[4], ports[4], port;
	const char *p;
	struct trace t;
	pid_t server;

	REQUIRE_E2E();
	ENTER_NETNS();
	trace_run(&t, NULL, cmd);
	ASSERT_EQ(0, t.status);
	server = first_pid(t.text);
	port = printed(t.out, "teach: port ");
	for (p = strstr(t.out, "teach: client "); p && clients < 4;
	     p = strstr(p + 1, "teach: client ")) {
		ASSERT_EQ(2, sscanf(p, "teach: client %ld port %ld",
				    &pids[clients], &ports[clients]));
		clients++;
	}
	ASSERT_EQ(4, clients);

	for_each_line(line, end, t.json) {
		long pid = jnum(line, end, "pid");
		long sport = jnum(line, end, "sport");
		long dport = jnum(line, end, "dport");

		if (!jis(line, end, "kind", "tcp_state"))
			continue;
		if (jis(line, end, "new", "SYN_RECV") ||
		    (jis(line, end, "old", "SYN_RECV") &&
		     jis(line, end, "new", "ESTABLISHED"))) {
			handshakes++;
			EXPECT_EQ(server, pid) {
				TH_LOG("the server's handshake given to another process: %.*s",
				       (int)(end - line), line);
			}
			EXPECT_TRUE(jis(line, end, "comm", "teach_tcp")) {
				TH_LOG("%.*s", (int)(end - line), line);
			}
			EXPECT_EQ(port, sport);
			continue;
		}
		/* A client's own changes: that client's. */
		for (int i = 0; i < 4; i++) {
			if (sport != ports[i] || dport != port)
				continue;
			EXPECT_EQ(pids[i], pid) {
				TH_LOG("%.*s", (int)(end - line), line);
			}
		}
	}
	EXPECT_EQ(8, handshakes);
	trace_free(&t);
}

/*
 * Sockets of processes that are not traced, made while tracing goes on,
 * on the CPU where the traced ones were freed: the kernel reuses the
 * freed sockets' memory for them, and none of their events may show up
 * as the traced processes' (nor at all: they are not traced).
 */
static void churn(int n)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int l, c, a;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, bind(l, (struct sockaddr *)&sin, sizeof(sin)));
	ASSERT_EQ(0, listen(l, 64));
	ASSERT_EQ(0, getsockname(l, (struct sockaddr *)&sin, &len));
	for (int i = 0; i < n; i++) {
		c = socket(AF_INET, SOCK_STREAM, 0);
		ASSERT_EQ(0, connect(c, (struct sockaddr *)&sin, sizeof(sin)));
		a = accept(l, NULL, NULL);
		ASSERT_LE(0, a);
		close(c);
		close(a);
		close(socket(AF_INET, SOCK_DGRAM, 0));
	}
	close(l);
}

TEST_TIMEOUT(untraced_sockets_reusing_freed_ones_are_not_shown, 60)
{
	char dir[] = "/tmp/sockscope-explain-XXXXXX", text[64], json[64];
	char sockscope[4096], line[256], *seq;
	char *argv[] = { sockscope, "-o", text, "--save", json, "--",
			 teach_tcp(), "conn", "1", "1500", NULL };
	struct proc tracer = {};
	long client = -1;
	pid_t server;
	cpu_set_t one;
	struct trace t = {};
	ssize_t n;

	REQUIRE_E2E();
	ENTER_NETNS();
	/* Everyone on one CPU: its free lists are where sockets come from. */
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(one), &one));
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(text, sizeof(text), "%s/trace.txt", dir);
	snprintf(json, sizeof(json), "%s/trace.jsonl", dir);
	build_path(sockscope, sizeof(sockscope), "sockscope");
	ASSERT_EQ(0, proc_spawn(&tracer, argv));
	while ((n = proc_read_line(&tracer, line, sizeof(line), 30000)) >= 0 &&
	       strcmp(line, "teach: done"))
		sscanf(line, "teach: client %ld", &client);
	ASSERT_LE(0, n);
	ASSERT_LT(0, client);
	churn(50);
	EXPECT_EQ(0, proc_wait(&tracer, 30000));
	proc_cleanup(&tracer);
	t.text = slurp(text);
	t.json = slurp(json);
	unlink(text);
	unlink(json);
	rmdir(dir);
	server = first_pid(t.text);

	seq = states_of(t.json, client, "teach_client");
	EXPECT_STREQ("4:CLOSE>SYN_SENT 4:SYN_SENT>ESTABLISHED 4:ESTABLISHED>FIN_WAIT1 4:FIN_WAIT1>FIN_WAIT2 4:FIN_WAIT2>CLOSE ",
		     seq);
	free(seq);
	seq = states_of(t.json, server, "teach_tcp");
	EXPECT_STREQ("3:CLOSE>LISTEN -:LISTEN>SYN_RECV -:SYN_RECV>ESTABLISHED 4:ESTABLISHED>CLOSE_WAIT 4:CLOSE_WAIT>LAST_ACK 4:LAST_ACK>CLOSE 3:LISTEN>CLOSE ",
		     seq);
	free(seq);
	EXPECT_EQ(12, count(t.json, "\"kind\":\"tcp_state\"")) {
		TH_LOG("%s", t.text);
	}
	trace_free(&t);
}

/* --- failures with evidence ------------------------------------------ */

TEST_TIMEOUT(eaddrinuse_names_who_holds_the_port, 60)
{
	char *cmd[] = { teach_tcp(), "inuse", NULL };
	char call[256], note[512];
	struct trace t;
	long port;
	pid_t pid;

	REQUIRE_E2E();
	ENTER_NETNS();
	trace_run(&t, NULL, cmd);
	ASSERT_EQ(0, t.status);
	pid = first_pid(t.text);
	port = printed(t.out, "teach: port ");
	ASSERT_LT(0, port);
	snprintf(call, sizeof(call),
		 "[%d teach_tcp] bind(4, {AF_INET, 127.0.0.1:%ld}, 16) = -1 EADDRINUSE (Address already in use)",
		 pid, port);
	snprintf(note, sizeof(note),
		 "that address and port are taken: another socket is bound there (see SO_REUSEADDR); TCP port %ld is held by teach_tcp (pid %d, fd 3)",
		 port, pid);
	EXPECT_NOTE(t.text, call, WHOLE, note);
	trace_free(&t);
}

#define EAGAIN_NOTE "nothing ready yet, and the call may not wait (a non-blocking socket, MSG_DONTWAIT, or a timeout ran out): try again later; poll() says when"

TEST_TIMEOUT(eagain_is_explained, 60)
{
	char *cmd[] = { teach_udp(), "eagain", NULL };
	char call[256];
	struct trace t;
	pid_t pid;

	REQUIRE_E2E();
	ENTER_NETNS();
	trace_run(&t, NULL, cmd);
	ASSERT_EQ(0, t.status);
	pid = first_pid(t.text);
	snprintf(call, sizeof(call),
		 "[%d teach_udp] recvfrom(3, ..., 64, MSG_DONTWAIT, NULL, NULL) = -1 EAGAIN (Resource temporarily unavailable)",
		 pid);
	EXPECT_NOTE(t.text, call, WHOLE, EAGAIN_NOTE);
	snprintf(call, sizeof(call),
		 "[%d teach_udp] recvfrom(4, ..., 64, 0, NULL, NULL) = -1 EAGAIN (Resource temporarily unavailable)",
		 pid);
	EXPECT_NOTE(t.text, call, WHOLE, EAGAIN_NOTE);
	trace_free(&t);
}

/* The sender sleeps 0.3 s: the blocked recvfrom says it waited. */
TEST_TIMEOUT(blocked_recvfrom_says_how_long_it_waited, 60)
{
	char *cmd[] = { teach_udp(), "wait", NULL };
	char call[256], *note;
	long port, sport;
	double waited = -1;
	struct trace t;
	pid_t pid;

	REQUIRE_E2E();
	ENTER_NETNS();
	trace_run(&t, NULL, cmd);
	ASSERT_EQ(0, t.status);
	pid = first_pid(t.text);
	port = printed(t.out, "teach: port ");
	ASSERT_LT(0, port);
	ASSERT_EQ(1, sscanf(strstr(t.out, "teach: sender "),
			    "teach: sender %*d port %ld", &sport));
	snprintf(call, sizeof(call),
		 "[%d teach_udp] recvfrom(3, ..., 64, 0, {AF_INET, 127.0.0.1:%ld}, [16]) = 5",
		 pid, sport);
	EXPECT_NOTE(t.text, call, START,
		    "one whole datagram of 5 bytes; it waited ");
	note = note_of(t.text, call);
	ASSERT_NE(NULL, note);
	ASSERT_EQ(1, sscanf(note, "one whole datagram of 5 bytes; it waited %lf s for data",
			    &waited)) {
		TH_LOG("%s", note);
	}
	/* About the sender's 0.3 s sleep (the receiver may start waiting
	 * a little after the sender started sleeping). */
	EXPECT_TRUE(waited >= 0.25 && waited < 3.0) {
		TH_LOG("waited %.3f s: %s", waited, note);
	}
	free(note);
	trace_free(&t);
}

/* --- conversations ------------------------------------------------------ */

TEST_TIMEOUT(receive_and_accept_name_the_other_process, 60)
{
	char *udp[] = { teach_udp(), "wait", NULL };
	char *tcp[] = { teach_tcp(), "conn", "1", NULL };
	char call[256], want[256];
	long sender, sport, client, cport, port;
	struct trace t;
	pid_t pid;

	REQUIRE_E2E();
	ENTER_NETNS();
	trace_run(&t, NULL, udp);
	ASSERT_EQ(0, t.status);
	pid = first_pid(t.text);
	ASSERT_EQ(2, sscanf(strstr(t.out, "teach: sender "),
			    "teach: sender %ld port %ld", &sender, &sport));
	snprintf(call, sizeof(call),
		 "[%d teach_udp] recvfrom(3, ..., 64, 0, {AF_INET, 127.0.0.1:%ld}, [16]) = 5",
		 pid, sport);
	snprintf(want, sizeof(want), "; sent by teach_sender (pid %ld), ",
		 sender);
	EXPECT_NOTE(t.text, call, PART, want);
	trace_free(&t);

	trace_run(&t, NULL, tcp);
	ASSERT_EQ(0, t.status);
	pid = first_pid(t.text);
	port = printed(t.out, "teach: port ");
	ASSERT_EQ(2, sscanf(strstr(t.out, "teach: client "),
			    "teach: client %ld port %ld", &client, &cport));
	snprintf(call, sizeof(call), "[%d teach_tcp] accept(3, NULL, NULL) = 4",
		 pid);
	snprintf(want, sizeof(want),
		 "a new connection from 127.0.0.1:%ld: fd 4 is a new socket for this one conversation; fd 3 keeps listening; the connect() made by teach_client (pid %ld), ",
		 cport, client);
	EXPECT_NOTE(t.text, call, START, want);
	/* And the stream's bytes, each way. */
	snprintf(call, sizeof(call),
		 "[%d teach_tcp] recvfrom(4, ..., 16, 0, NULL, NULL) = 4", pid);
	snprintf(want, sizeof(want), "; sent by teach_client (pid %ld), ",
		 client);
	EXPECT_NOTE(t.text, call, PART, want);
	snprintf(call, sizeof(call),
		 "[%ld teach_client] recvfrom(4, ..., 16, 0, NULL, NULL) = 4",
		 client);
	snprintf(want, sizeof(want), "; sent by teach_tcp (pid %d), ", pid);
	EXPECT_NOTE(t.text, call, PART, want);
	EXPECT_LT(0, port);
	trace_free(&t);
}

/* --- kernel events ------------------------------------------------------ */

/* The Udp RcvbufErrors counter of this namespace. */
static long rcvbuf_errors(void)
{
	char *snmp = slurp("/proc/net/snmp"), *vals;
	long v = -1;

	vals = strstr(snmp, "\nUdp: ");
	if (vals)
		vals = strstr(vals + 1, "\nUdp: ");
	/* InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors */
	if (vals)
		sscanf(vals, "\nUdp: %*d %*d %*d %*d %ld", &v);
	free(snmp);
	return v;
}

/*
 * 64 datagrams of 1000 bytes into the smallest receive buffer, unread:
 * the kernel drops most of them (ENOMEM, counted as RcvbufErrors), each
 * one a udp_drop event of the receiver's socket, though the sender's
 * process is current when it happens.
 */
TEST_TIMEOUT(udp_drops_are_the_receivers, 60)
{
	char *cmd[] = { teach_udp(), "drop", "64", NULL };
	long port, sender, received, drops = 0, counted;
	char line_want[256];
	struct trace t;
	pid_t pid;

	REQUIRE_E2E();
	ENTER_NETNS();
	trace_run(&t, NULL, cmd);
	ASSERT_EQ(0, t.status);
	counted = rcvbuf_errors();
	pid = first_pid(t.text);
	port = printed(t.out, "teach: port ");
	sender = printed(t.out, "teach: sender ");
	received = printed(t.out, "teach: received ");
	ASSERT_LT(0, sender);
	ASSERT_LE(0, received);
	EXPECT_NE(NULL, strstr(t.err, ", 0 lost\n"));

	for_each_line(line, end, t.json) {
		if (!jis(line, end, "kind", "udp_drop"))
			continue;
		drops++;
		EXPECT_TRUE(jnum(line, end, "pid") == pid &&
			    jis(line, end, "comm", "teach_udp") &&
			    jnum(line, end, "fd") == 3 &&
			    jnum(line, end, "sport") == port &&
			    jnum(line, end, "error") == -12) {
			TH_LOG("%.*s", (int)(end - line), line);
		}
	}
	EXPECT_LT(0, drops);
	EXPECT_EQ(64 - received, drops);
	EXPECT_EQ(counted, drops);

	snprintf(line_want, sizeof(line_want),
		 "[%d teach_udp] udp 127.0.0.1:%ld (fd 3): datagram dropped (ENOMEM)\n"
		 "    # a datagram for this socket was dropped: its receive buffer was full, and UDP has no flow control to slow the sender\n",
		 pid, port);
	EXPECT_EQ(drops, count(t.text, line_want));
	trace_free(&t);
}

/* --- turning it off ------------------------------------------------------ */

TEST_TIMEOUT(no_explain_gives_no_notes_and_no_kernel_events, 60)
{
	char *cmd[] = { teach_tcp(), "conn", "1", NULL };
	char *text_opts[] = { "--no-explain", NULL };
	char *json_opts[] = { "--no-explain", "-j", NULL };
	char call[256];
	struct trace t;
	long client, port;

	REQUIRE_E2E();
	ENTER_NETNS();
	trace_run(&t, text_opts, cmd);
	ASSERT_EQ(0, t.status);
	port = printed(t.out, "teach: port ");
	client = printed(t.out, "teach: client ");
	snprintf(call, sizeof(call),
		 "[%ld teach_client] connect(4, {AF_INET, 127.0.0.1:%ld}, 16) = 0",
		 client, port);
	EXPECT_NE(NULL, find_line(t.text, call)) {
		TH_LOG("%s", t.text);
	}
	EXPECT_EQ(0, count(t.text, "    # "));
	EXPECT_EQ(0, count(t.text, "] tcp "));
	EXPECT_EQ(0, count(t.json, "\"note\""));
	EXPECT_EQ(0, count(t.json, "\"kind\":\"tcp_state\""));
	/* No sockets table either: it is part of the teaching. */
	EXPECT_EQ(0, count(t.err, "sockets seen:"));
	trace_free(&t);

	trace_run(&t, json_opts, cmd);
	ASSERT_EQ(0, t.status);
	EXPECT_LT(0, count(t.text, "\"kind\":\"syscall\""));
	EXPECT_EQ(0, count(t.text, "\"note\""));
	EXPECT_EQ(count(t.text, "\"kind\":"),
		  count(t.text, "\"kind\":\"syscall\"")) {
		TH_LOG("%s", t.text);
	}
	trace_free(&t);
}

TEST_HARNESS_MAIN
