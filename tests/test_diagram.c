// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * sockscope diagram: traces saved from the lessons' chat programs, and
 * from a connect to a closed port, drawn as sequence diagrams. The
 * saving needs root and BPF; the drawing needs neither. Each picture is
 * checked for its lifelines, its arrows (exact rows: the layout depends
 * only on how many lifelines there are), their order, and its width.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"
#include "lib/files.h"
#include "lib/netns.h"
#include "lib/paths.h"
#include "lib/proc.h"
#include "lib/require.h"
#include "lib/trace_text.h"

#define RUN_MS	60000

FIXTURE(diagram) {
	struct scratch tmp;	/* path[0]: the trace; path[1]: stdin */
	char sockscope[4096];
	char *out, *err;
};

FIXTURE_SETUP(diagram)
{
	ASSERT_EQ(0, scratch_make(&self->tmp));
	ASSERT_EQ(0, build_path(self->sockscope, sizeof(self->sockscope),
				"sockscope"));
}

FIXTURE_TEARDOWN(diagram)
{
	free(self->out);
	free(self->err);
	scratch_remove(&self->tmp);
}

/* Runs argv; its output in self->out and self->err; its exit status. */
static int run(FIXTURE_DATA(diagram) *self, char *const argv[])
{
	struct proc p;
	int status;

	free(self->out);
	free(self->err);
	self->out = self->err = NULL;
	if (proc_spawn(&p, argv))
		return -1;
	proc_close_stdin(&p);
	proc_read_all(&p, &self->out, RUN_MS);
	proc_read_all_err(&p, &self->err, 1000);
	status = proc_wait(&p, RUN_MS);
	proc_cleanup(&p);
	return status;
}

static int draw(FIXTURE_DATA(diagram) *self)
{
	char *argv[] = { self->sockscope, "diagram", self->tmp.path[0], NULL };

	return run(self, argv);
}

/* Columns a line takes in a terminal (UTF-8; CJK counted twice). */
static int display_width(const char *s, const char *end)
{
	int w = 0;

	while (s < end) {
		unsigned char c = *s;
		int n = c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;

		/* U+3000..U+9FFF and U+FF00..U+FF60 are E3..E9 and EF BC..BD. */
		w += n == 3 && ((c >= 0xe3 && c <= 0xe9) ||
				(c == 0xef && (unsigned char)s[1] <= 0xbd)) ? 2 : 1;
		s += n;
	}
	return w;
}

static int widest_line(const char *text)
{
	int widest = 0;

	for (const char *p = text, *end; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		if (display_width(p, end) > widest)
			widest = display_width(p, end);
	}
	return widest;
}

/* Where want is in text after from, or NULL. */
static const char *after(const char *from, const char *want)
{
	return from ? strstr(from, want) : NULL;
}

/* Each of the n strings of order in text, each after the one before. */
static void expect_in_order(const char *text, const char *const *order,
			    size_t n)
{
	const char *p = text;

	for (size_t i = 0; p && i < n; i++) {
		p = after(p, order[i]);
		EXPECT_NE(NULL, p) {
			TH_LOG("no \"%s\" after the steps before it:\n%s",
			       order[i], text);
		}
	}
}

TEST_F_TIMEOUT(diagram, udp_chat_has_two_lifelines_and_an_arrow_a_message,
	       90)
{
	char *save[] = { self->sockscope, "lesson", "udp", "--save",
			 self->tmp.path[0], NULL };

	REQUIRE_E2E();
	ASSERT_EQ(0, run(self, save));
	ASSERT_EQ(0, draw(self)) {
		TH_LOG("%s", self->err);
	}
	/* The server and the client, nobody else. */
	EXPECT_EQ(1, count_of(self->out, "udp_chat_server")) {
		TH_LOG("%s", self->out);
	}
	EXPECT_EQ(1, count_of(self->out, "udp_chat_client"));
	EXPECT_EQ(0, count_of(self->out, "(no process)"));
	/* Each message to the server and back, as the programs sent it. */
	EXPECT_EQ(1, count_of(self->out, "│◀───────── 5 bytes \"hello\" ────────────┤\n"));
	EXPECT_EQ(1, count_of(self->out, "├────────── 5 bytes \"hello\" ───────────▶│\n"));
	EXPECT_EQ(1, count_of(self->out, "│◀───── 18 bytes \"你好，服务器\" ────────┤\n"));
	EXPECT_EQ(1, count_of(self->out, "├────── 18 bytes \"你好，服务器\" ───────▶│\n"));
	EXPECT_EQ(1, count_of(self->out, "│◀────────── 4 bytes \"stop\" ────────────┤\n"));
	EXPECT_EQ(1, count_of(self->out, "├─────────── 4 bytes \"stop\" ───────────▶│\n"));
	EXPECT_EQ(6, count_of(self->out, " bytes \""));
	/* UDP: no segments of the kernel's own. */
	EXPECT_EQ(0, count_of(self->out, "┄ SYN"));
	EXPECT_EQ(6, count_of(self->out, "● sendto = "));
	EXPECT_GE(100, widest_line(self->out));
}

/*
 * The first client's port in a saved TCP lesson: under its name in the
 * whole diagram's header (the server's address comes first). 0 or -1.
 */
static int draw_first_port(FIXTURE_DATA(diagram) *self, char *port,
			   size_t size)
{
	const char *at;
	unsigned int p = 0;

	if (draw(self))
		return -1;
	at = strstr(self->out, "tcp_chat_client");
	at = at ? strchr(at, '\n') : NULL;
	at = at ? strstr(at, "127.0.0.1:") : NULL;
	at = at ? strstr(at + 1, "127.0.0.1:") : NULL;
	if (!at || sscanf(at, "127.0.0.1:%u", &p) != 1)
		return -1;
	snprintf(port, size, "%u", p);
	return 0;
}

/*
 * --list: the three connections, the first client's first; and
 * --conversation 1 draws what --port of that client drew (in self->out).
 */
static void conversation_by_number(FIXTURE_DATA(diagram) *self,
				   const char *port)
{
	char *list[] = { self->sockscope, "diagram", "--list",
			 self->tmp.path[0], NULL };
	char *one[] = { self->sockscope, "diagram", "--conversation", "1",
			self->tmp.path[0], NULL };
	char *four[] = { self->sockscope, "diagram", "--conversation", "4",
			 self->tmp.path[0], NULL };
	char first[64], want[256], *by_port = strdup(self->out);

	ASSERT_EQ(0, run(self, list));
	snprintf(first, sizeof(first), "  1  TCP  127.0.0.1:%s <-> 127.0.0.1:",
		 port);
	EXPECT_EQ(0, strncmp(self->out, first, strlen(first))) {
		TH_LOG("%s", self->out);
	}
	EXPECT_EQ(3, count_of(self->out, "  TCP  127.0.0.1:"));
	EXPECT_EQ(1, count_of(self->out, "  3  TCP  "));
	EXPECT_EQ(3, count_of(self->out, "\n"));
	ASSERT_EQ(0, run(self, one));
	EXPECT_STREQ(by_port, self->out);
	EXPECT_EQ(1, run(self, four));
	snprintf(want, sizeof(want),
		 "sockscope: %s: there is no conversation 4 (the trace has 3; see --list)\n",
		 self->tmp.path[0]);
	EXPECT_STREQ(want, self->err);
	free(by_port);
}

/* --port: the first client's connection alone, both of its ends. */
static void one_conversation(FIXTURE_DATA(diagram) *self)
{
	char port[16], *argv[] = { self->sockscope, "diagram", "--port", port,
				   self->tmp.path[0], NULL };

	ASSERT_EQ(0, draw_first_port(self, port, sizeof(port)));
	ASSERT_EQ(0, run(self, argv));
	EXPECT_EQ(1, count_of(self->out, "tcp_chat_client")) {
		TH_LOG("%s", self->out);
	}
	EXPECT_EQ(1, count_of(self->out, "tcp_chat_server"));
	EXPECT_EQ(1, count_of(self->out, " SYN-ACK "));
	EXPECT_EQ(2, count_of(self->out, " FIN "));
	EXPECT_EQ(4, count_of(self->out, " bytes \""));
	EXPECT_EQ(1, count_of(self->out, "[TIME_WAIT]"));
	EXPECT_EQ(0, count_of(self->out, "● listen"));
	conversation_by_number(self, port);
}

TEST_F_TIMEOUT(diagram, tcp_chat_has_handshake_data_and_close_in_order, 90)
{
	static const char *const order[] = {
		"[LISTEN]", "● listen = 0",
		"│◀┄┄┄┄┄┄┄┄┄┄┄ SYN ┄┄┄┄┄┄┄┄┄┄┄┄┄┄┤", "[SYN_SENT]",
		"├┄┄┄┄┄┄┄┄┄┄ SYN-ACK ┄┄┄┄┄┄┄┄┄┄┄▶│",
		"│◀┄┄┄┄┄┄┄┄┄┄┄ ACK ┄┄┄┄┄┄┄┄┄┄┄┄┄┄┤", "[ESTABLISHED]",
		"● connect = 0", "● accept = 4",
		"│◀───── 6 bytes \"hello\" ────────┤",
		"├────── 6 bytes \"hello\" ───────▶│",
		"│◀┄┄┄┄┄┄┄┄┄┄┄ FIN ┄┄┄┄┄┄┄┄┄┄┄┄┄┄┤", "[CLOSE_WAIT]",
		"├┄┄┄┄┄┄┄┄┄┄┄┄ FIN ┄┄┄┄┄┄┄┄┄┄┄┄┄▶│", "[LAST_ACK]",
		"[TIME_WAIT]",
	};
	char *save[] = { self->sockscope, "lesson", "tcp", "--save",
			 self->tmp.path[0], NULL };

	REQUIRE_E2E();
	ASSERT_EQ(0, run(self, save));
	ASSERT_EQ(0, draw(self)) {
		TH_LOG("%s", self->err);
	}
	EXPECT_EQ(0, count_of(self->out, "(no process)")) {
		TH_LOG("%s", self->out);
	}
	/* The first client's conversation, in order. */
	expect_in_order(self->out, order, sizeof(order) / sizeof(order[0]));
	/* Three clients, each with its handshake. */
	EXPECT_EQ(3, count_of(self->out, " SYN-ACK "));
	EXPECT_EQ(3, count_of(self->out, "● connect = 0"));
	EXPECT_GE(100, widest_line(self->out));
	one_conversation(self);
}

/* A port nobody listens on: bound, then closed again. */
static unsigned int closed_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(fd, (struct sockaddr *)&a, &len))
		return 0;
	close(fd);
	return ntohs(a.sin_port);
}

TEST_F_TIMEOUT(diagram, refused_connect_shows_the_reset, 60)
{
	char client[4096], port[16];
	char *save[] = { self->sockscope, "--save", self->tmp.path[0], "--",
			 client, "--port", port, NULL };

	REQUIRE_E2E();
	ASSERT_EQ(0, netns_enter_fresh());
	ASSERT_EQ(0, build_path(client, sizeof(client),
				"examples/tcp_chat_client"));
	snprintf(port, sizeof(port), "%u", closed_port());
	run(self, save);
	ASSERT_EQ(0, draw(self)) {
		TH_LOG("%s", self->err);
	}
	/* The closed port has no process: its own lifeline. */
	EXPECT_EQ(1, count_of(self->out, "(no process)")) {
		TH_LOG("%s", self->out);
	}
	EXPECT_NE(NULL, after(after(after(strstr(self->out, "● socket = 3"),
					  " SYN ┄"), " RST ┄"),
			      "✗ connect = -1 ECONNREFUSED"));
	EXPECT_EQ(1, count_of(self->out, "│◀┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄ RST ┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┤\n"));
}

/* A lesson, and a live trace, end with their picture. */
TEST_F_TIMEOUT(diagram, lessons_and_live_traces_end_with_the_picture, 90)
{
	char *lesson[] = { self->sockscope, "lesson", "tcp", "--diagram",
			   NULL };
	char client[4096], port[16];
	char *live[] = { self->sockscope, "--diagram", "--", client, "--port",
			 port, NULL };
	const char *pic;

	REQUIRE_E2E();
	ASSERT_EQ(0, run(self, lesson));
	pic = strstr(self->out, "\nThe conversation as a picture (time runs down):\n\n");
	ASSERT_NE(NULL, pic) {
		TH_LOG("%s", self->out);
	}
	/* After the lesson's own words, and the last thing it prints. */
	EXPECT_NE(NULL, strstr(self->out, "What this trace showed:"));
	EXPECT_LT(strstr(self->out, "What this trace showed:"), pic);
	EXPECT_EQ(3, count_of(pic, " SYN-ACK "));
	EXPECT_EQ(1, count_of(pic, "─── what the programs sent    ┄┄┄ what the kernel sent on its own (TCP segments)    ─╳ lost\n"));
	EXPECT_EQ(0, strcmp(self->out + strlen(self->out) - 1, "\n"));
	EXPECT_GE(100, widest_line(pic));

	ASSERT_EQ(0, netns_enter_fresh());
	ASSERT_EQ(0, build_path(client, sizeof(client),
				"examples/tcp_chat_client"));
	snprintf(port, sizeof(port), "%u", closed_port());
	EXPECT_EQ(1, run(self, live));
	EXPECT_EQ(1, count_of(self->out, "✗ connect = -1 ECONNREFUSED")) {
		TH_LOG("%s", self->out);
	}
	EXPECT_EQ(1, count_of(self->out, " RST ┄"));
}

/*
 * The lab's loss experiment: each datagram the receiver never got is an
 * arrow that ends in a cross, as many as the lab counted missing, and
 * each TCP retransmission the trace holds is an arrow too.
 */
/* The display column of the first "mark" in the row that has "label". */
static int column_in_row(const char *text, const char *label,
			 const char *mark)
{
	const char *at = strstr(text, label), *row, *m;

	if (!at)
		return -1;
	for (row = at; row > text && row[-1] != '\n'; row--)
		;
	m = strstr(row, mark);
	return m && m < strchrnul(row, '\n') ? display_width(row, m) : -1;
}

/*
 * The lab's TCP receiver has two sockets, the listener and the
 * connection accept() gave it, and each its lifeline: the client's SYN
 * goes to the listener, the SYN-ACK comes from the new connection.
 */
static void listener_and_connection_apart(const char *picture)
{
	const char *header_end = strstr(picture, "\n");
	char *header = strndup(picture, header_end ? header_end - picture : 0);
	char *names = NULL;
	int syn, synack;

	/* The second line has the command names. */
	if (header_end)
		names = strndup(header_end + 1,
				strchrnul(header_end + 1, '\n') - header_end - 1);
	ASSERT_NE(NULL, names);
	EXPECT_EQ(3, count_of(names, "lab_receiver")) {
		TH_LOG("%s\n%s", header, names);
	}
	syn = column_in_row(picture, " SYN ┄", "◀");
	synack = column_in_row(picture, " SYN-ACK ", "├");
	EXPECT_LT(0, syn);
	EXPECT_LT(0, synack);
	EXPECT_NE(syn - 1, synack) {
		TH_LOG("%s", picture);
	}
	free(header);
	free(names);
}

TEST_F_TIMEOUT(diagram, a_lossy_lab_run_shows_lost_and_resent_segments, 120)
{
	char *lab[] = { self->sockscope, "lab", "loss", "--save",
			self->tmp.path[0], "--diagram", NULL };
	static const char ends[] = "The experiment as a picture (time runs down):\n\n";
	const char *missing, *events;
	int lost = 0, resent = -1;
	char *picture;

	REQUIRE_E2E();
	ASSERT_EQ(0, run(self, lab)) {
		TH_LOG("%s", self->err);
	}
	/* What the lab itself counted. */
	missing = strstr(self->out, "UDP missing:");
	for (const char *p = missing; p && *p && *p != '\n'; p++)
		lost += *p == '#';
	events = strstr(self->out, "kernel events in the trace: ");
	ASSERT_NE(NULL, events);
	ASSERT_EQ(1, sscanf(events, "kernel events in the trace: %d tcp_retransmit",
			    &resent));
	/* It ends with the picture that the saved trace gives. */
	ASSERT_NE(NULL, strstr(self->out, ends));
	picture = strdup(strstr(self->out, ends) + strlen(ends));
	ASSERT_EQ(0, draw(self));
	EXPECT_EQ(strlen(self->out) + 1, strlen(picture));
	EXPECT_EQ(0, strncmp(picture, self->out, strlen(self->out)));
	free(picture);
	EXPECT_EQ(lost, count_of(self->out, " lost: ")) {
		TH_LOG("%s", self->out);
	}
	EXPECT_EQ(resent, count_of(self->out, " retransmit "));
	EXPECT_LT(0, lost + resent);
	listener_and_connection_apart(self->out);
}

/* Saves a trace of a test helper with its arguments (in a fresh
 * network namespace) into path[0]: its exit status. */
static int save_helper(FIXTURE_DATA(diagram) *self, const char *helper,
		       char *arg1, char *arg2)
{
	char prog[4096];
	char *save[] = { self->sockscope, "--payload", "--save",
			 self->tmp.path[0], "--", prog, arg1, arg2, NULL };

	if (netns_enter_fresh() ||
	    build_path(prog, sizeof(prog), helper))
		return -1;
	return run(self, save);
}

/*
 * The server closes 50 ms after the client: the client's FIN_WAIT2 ends
 * as its socket hands the connection to a timewait socket that still
 * waits for the server's FIN. The picture says so, and draws the FIN,
 * its ACK and the TIME_WAIT only when they happen.
 */
TEST_F_TIMEOUT(diagram, a_late_close_draws_the_fin_before_time_wait, 60)
{
	static const char *const order[] = {
		"[FIN_WAIT1]", "[CLOSE_WAIT]", "[FIN_WAIT2]",
		"[timewait: FIN_WAIT2]", "\n+0.", " FIN ┄", "[LAST_ACK]",
		" ACK ┄", "[TIME_WAIT]", "[CLOSE]",
	};
	char *conv[] = { self->sockscope, "diagram", "--conversation", "1",
			 self->tmp.path[0], NULL };

	REQUIRE_E2E();
	ASSERT_EQ(0, save_helper(self, "tests/helpers/teach_tcp", "lateclose",
				 "150"));
	ASSERT_EQ(0, run(self, conv)) {
		TH_LOG("%s", self->err);
	}
	expect_in_order(self->out, order, sizeof(order) / sizeof(order[0]));
	EXPECT_EQ(1, count_of(self->out, "[TIME_WAIT]"));
	EXPECT_EQ(2, count_of(self->out, " FIN ┄"));
	/* The handshake's, and the ACK of each FIN. */
	EXPECT_EQ(3, count_of(self->out, " ACK ┄"));
	EXPECT_GE(100, widest_line(self->out));
}

/*
 * The same trace, but the client's FIN_WAIT1 ends in CLOSE (as an abort
 * would: its new state patched in the record, its FIN_WAIT2 left out):
 * that is no TIME_WAIT.
 */
TEST_F_TIMEOUT(diagram, fin_wait1_to_close_is_no_time_wait, 60)
{
	char *text = NULL, *line, *next;
	size_t patched = 0, left_out = 0;
	FILE *out;

	REQUIRE_E2E();
	ASSERT_EQ(0, save_helper(self, "tests/helpers/teach_tcp", "lateclose",
				 "10"));
	text = slurp(self->tmp.path[0]);
	ASSERT_NE(NULL, text);
	out = fopen(self->tmp.path[0], "we");
	ASSERT_NE(NULL, out);
	for (line = text; *line; line = next) {
		char *raw = strstr(line, "\"raw\":\"");

		next = strchrnul(line, '\n');
		next += *next == '\n';
		if (strstr(line, "\"old\":\"FIN_WAIT2\"") &&
		    strstr(line, "\"old\":\"FIN_WAIT2\"") < next) {
			left_out++;
			continue;
		}
		/* new_state: byte 109 of a kernel record. */
		if (raw && raw < next &&
		    strstr(line, "\"old\":\"FIN_WAIT1\",\"new\":\"FIN_WAIT2\"") &&
		    strstr(line, "\"new\":\"FIN_WAIT2\"") < next) {
			memcpy(raw + 7 + 2 * 109, "07", 2);
			patched++;
		}
		fwrite(line, 1, next - line, out);
	}
	ASSERT_EQ(0, fclose(out));
	free(text);
	ASSERT_EQ(1, patched);
	ASSERT_EQ(1, left_out);
	ASSERT_EQ(0, draw(self)) {
		TH_LOG("%s", self->err);
	}
	EXPECT_EQ(0, count_of(self->out, "TIME_WAIT")) {
		TH_LOG("%s", self->out);
	}
	EXPECT_NE(NULL, after(strstr(self->out, "[FIN_WAIT1]"), "[CLOSE]"));
}

/*
 * Both ends of a TCP connection in one process: each socket its own
 * lifeline, and the handshake, the data and the close between them.
 */
TEST_F_TIMEOUT(diagram, one_process_with_both_ends_has_arrows, 60)
{
	char *conv[] = { self->sockscope, "diagram", "--conversation", "1",
			 self->tmp.path[0], NULL };

	REQUIRE_E2E();
	ASSERT_EQ(0, save_helper(self, "tests/helpers/fileio_calls", NULL,
				 NULL));
	ASSERT_EQ(0, run(self, conv)) {
		TH_LOG("%s", self->err);
	}
	EXPECT_EQ(2, count_of(self->out, "fileio_calls")) {
		TH_LOG("%s", self->out);
	}
	EXPECT_EQ(1, count_of(self->out, "├┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄ SYN ┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄▶│\n"));
	EXPECT_EQ(1, count_of(self->out, "│◀┄┄┄┄┄┄┄┄┄┄┄┄┄ SYN-ACK ┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┤\n"));
	EXPECT_EQ(2, count_of(self->out, " FIN ┄"));
	EXPECT_EQ(1, count_of(self->out, "├────────── 6 bytes \"hello\" ───────────▶│\n"));
	EXPECT_EQ(1, count_of(self->out, "├─ 44 bytes \"0123456789abcdefghijklm… ─▶│\n"));
	/* write, write, write, write, writev, sendfile, sendfile, write,
	 * splice: each read's arrow. */
	EXPECT_EQ(9, count_of(self->out, " bytes"));
	EXPECT_EQ(0, count_of(self->out, "not drawn"));
}

/* sendmmsg and recvmmsg: an arrow for each message. */
TEST_F_TIMEOUT(diagram, mmsg_calls_draw_an_arrow_a_message, 60)
{
	const char *sent, *got;

	REQUIRE_E2E();
	ASSERT_EQ(0, save_helper(self, "tests/helpers/mmsg_calls", NULL,
				 NULL));
	ASSERT_EQ(0, draw(self)) {
		TH_LOG("%s", self->err);
	}
	sent = strstr(self->out, "● sendmmsg = 3\n");
	got = strstr(self->out, "● recvmmsg = 3 ");
	ASSERT_NE(NULL, sent) {
		TH_LOG("%s", self->out);
	}
	ASSERT_NE(NULL, got);
	/* The three datagrams, between the two calls, in order. */
	EXPECT_NE(NULL, after(after(after(sent, " 3 bytes "), " 4 bytes "),
			      " 5 bytes "));
	EXPECT_LT(strstr(self->out, " 5 bytes "), got);
	EXPECT_EQ(3, count_of(self->out, "◀────")) {
		TH_LOG("%s", self->out);
	}
	/* The ten the second sendmmsg sent are never received: the record
	 * describes the first eight (MMSG_KEPT). */
	EXPECT_EQ(8, count_of(self->out, "lost: 1 byte "));
}

/* A headless browser: its path, or NULL. */
static const char *chromium(void)
{
	static const char *const paths[] = {
		"/usr/bin/chromium", "/usr/bin/chromium-browser",
	};

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (!access(paths[i], X_OK))
			return paths[i];
	return NULL;
}

/*
 * The SVG of the first TCP conversation: well-formed XML (python3's
 * parser), and drawn by a real browser: chromium reads it into a DOM
 * with both lifelines and every arrow, and its screenshot is a picture,
 * not a blank page.
 */
TEST_F_TIMEOUT(diagram, svg_is_well_formed_and_a_browser_draws_it, 120)
{
	char svg[160], png[160], url[200], profile[160], port[16];
	char *save[] = { self->sockscope, "lesson", "tcp", "--save",
			 self->tmp.path[0], NULL };
	/* The options after the file, as the README writes them. */
	char *draw[] = { self->sockscope, "diagram", self->tmp.path[0],
			 "--format", "svg", "--port", port, "-o", svg, NULL };
	char *parse[] = { "python3", "-c",
			  "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])",
			  svg, NULL };
	char dir_arg[200], shot_arg[200];
	char *dom[] = { (char *)chromium(), "--headless", "--no-sandbox",
			"--disable-gpu", dir_arg, "--dump-dom", url, NULL };
	char *shot[] = { (char *)chromium(), "--headless", "--no-sandbox",
			 "--disable-gpu", dir_arg, "--hide-scrollbars",
			 "--window-size=600,900", shot_arg, url, NULL };
	char *rm[] = { "rm", "-rf", profile, NULL };
	unsigned char head[8] = "";
	char *picture;
	FILE *f;
	long size;

	REQUIRE_E2E();
	snprintf(svg, sizeof(svg), "%s/t.svg", self->tmp.dir);
	snprintf(png, sizeof(png), "%s/t.png", self->tmp.dir);
	snprintf(profile, sizeof(profile), "%s/profile", self->tmp.dir);
	snprintf(url, sizeof(url), "file://%s", svg);
	snprintf(dir_arg, sizeof(dir_arg), "--user-data-dir=%s", profile);
	snprintf(shot_arg, sizeof(shot_arg), "--screenshot=%s", png);
	ASSERT_EQ(0, run(self, save));
	ASSERT_EQ(0, draw_first_port(self, port, sizeof(port)));
	ASSERT_EQ(0, run(self, draw)) {
		TH_LOG("%s", self->err);
	}
	EXPECT_EQ(0, run(self, parse)) {
		TH_LOG("%s", self->err);
	}
	if (!chromium())
		SKIP(return, "chromium is not installed (make deps installs it)");

	ASSERT_EQ(0, run(self, dom));
	EXPECT_EQ(0, count_of(self->out, "parsererror"));
	EXPECT_EQ(2, count_of(self->out, "<g class=\"lifeline\""));
	/* SYN, SYN-ACK, ACK, FIN, ACK, FIN, ACK; the data, each way. */
	EXPECT_EQ(7, count_of(self->out, "<g class=\"step arrow kernel\""));
	EXPECT_EQ(4, count_of(self->out, "<g class=\"step arrow\""));
	EXPECT_EQ(1, count_of(self->out, ">[TIME_WAIT]</text>"));

	run(self, shot);
	f = fopen(png, "rb");
	ASSERT_NE(NULL, f) {
		TH_LOG("%s", self->err);
	}
	EXPECT_EQ(8, fread(head, 1, 8, f));
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fclose(f);
	EXPECT_EQ(0, memcmp(head, "\x89PNG\r\n\x1a\n", 8));
	/* A blank 600x900 page compresses to a few KiB. */
	EXPECT_LT(20000, size);
	picture = slurp(svg);
	EXPECT_EQ(1, count_of(picture, "</svg>\n"));
	free(picture);
	unlink(svg);
	unlink(png);
	proc_run(rm, 10000);
}

/*
 * The html page: the picture and the trace beside it, each record of the
 * trace linking to its step and each step back (a browser reads both).
 */
TEST_F_TIMEOUT(diagram, html_links_the_trace_and_the_picture, 120)
{
	char html[160], url[200], profile[160], dir_arg[200];
	char *save[] = { self->sockscope, "lesson", "udp", "--save",
			 self->tmp.path[0], NULL };
	char *draw[] = { self->sockscope, "diagram", "--format", "html",
			 "-o", html, self->tmp.path[0], NULL };
	char *dom[] = { (char *)chromium(), "--headless", "--no-sandbox",
			"--disable-gpu", dir_arg, "--dump-dom", url, NULL };
	char *rm[] = { "rm", "-rf", profile, NULL };
	char *page;

	REQUIRE_E2E();
	snprintf(html, sizeof(html), "%s/t.html", self->tmp.dir);
	snprintf(profile, sizeof(profile), "%s/profile", self->tmp.dir);
	snprintf(url, sizeof(url), "file://%s", html);
	snprintf(dir_arg, sizeof(dir_arg), "--user-data-dir=%s", profile);
	ASSERT_EQ(0, run(self, save));
	ASSERT_EQ(0, run(self, draw)) {
		TH_LOG("%s", self->err);
	}
	page = slurp(html);
	/* One file: nothing fetched, nothing run. */
	EXPECT_EQ(0, count_of(page, "<script"));
	EXPECT_EQ(0, count_of(page, "src="));
	EXPECT_EQ(0, count_of(page, "http://") - count_of(page, "http://www.w3.org/2000/svg"));
	/* The six messages: a trace line each way links to its arrow. */
	EXPECT_EQ(1, count_of(page, "<svg "));
	EXPECT_EQ(6, count_of(page, "recvfrom(3, &quot;"));
	/* 20 records drew steps: each its line, linked to its first step;
	 * their 20 calls and 6 arrows link back. */
	EXPECT_EQ(20, count_of(page, "<li id=\"line-"));
	EXPECT_EQ(20, count_of(page, "\"><a href=\"#step-"));
	EXPECT_EQ(26, count_of(page, "<a href=\"#line-"));
	free(page);
	if (!chromium())
		SKIP(return, "chromium is not installed (make deps installs it)");
	ASSERT_EQ(0, run(self, dom));
	EXPECT_EQ(0, count_of(self->out, "parsererror"));
	EXPECT_EQ(2, count_of(self->out, "<g class=\"lifeline\""));
	EXPECT_EQ(6, count_of(self->out, "<g class=\"step arrow\""));
	EXPECT_EQ(20, count_of(self->out, "<li id=\"line-"));
	proc_run(rm, 10000);
}

TEST_F(diagram, bad_input_gets_one_line)
{
	char *missing[] = { self->sockscope, "diagram", "/nonexistent.jsonl",
			    NULL };
	char *format[] = { self->sockscope, "diagram", "--format", "pdf",
			   self->tmp.path[0], NULL };
	char *none[] = { self->sockscope, "diagram", NULL };
	char *conv[] = { self->sockscope, "diagram", "--conversation", "0",
			 self->tmp.path[0], NULL };

	ASSERT_EQ(0, spill(self->tmp.path[0], "hello\n"));
	EXPECT_EQ(1, draw(self));
	EXPECT_STREQ("", self->out);
	EXPECT_EQ(1, count_of(self->err, "\n"));
	EXPECT_EQ(1, count_of(self->err, ":1: not a JSON object\n")) {
		TH_LOG("%s", self->err);
	}

	EXPECT_EQ(1, run(self, missing));
	EXPECT_STREQ("sockscope: cannot read '/nonexistent.jsonl': No such file or directory\n",
		     self->err);
	EXPECT_EQ(2, run(self, format));
	EXPECT_EQ(1, count_of(self->err, "sockscope: unknown --format (text, svg, html): pdf; usage: sockscope diagram "));
	EXPECT_EQ(2, run(self, conv));
	EXPECT_EQ(1, count_of(self->err, "sockscope: bad --conversation (a number from --list): 0; usage: sockscope diagram "));
	EXPECT_EQ(2, run(self, none));
	EXPECT_EQ(1, count_of(self->err, "sockscope: diagram takes one saved trace; usage: "));
}

/* A saved trace of a program that makes no socket call. */
TEST_F_TIMEOUT(diagram, a_trace_with_nothing_to_draw_says_so, 60)
{
	char *save[] = { self->sockscope, "--save", self->tmp.path[0], "--",
			 "true", NULL };
	char *port[] = { self->sockscope, "diagram", "--port", "1",
			 self->tmp.path[0], NULL };
	char *list[] = { self->sockscope, "diagram", "--list",
			 self->tmp.path[0], NULL };
	char want[256];

	REQUIRE_E2E();
	ASSERT_EQ(0, run(self, save));
	EXPECT_EQ(1, draw(self));
	snprintf(want, sizeof(want),
		 "sockscope: %s: no socket calls to draw\n", self->tmp.path[0]);
	EXPECT_STREQ(want, self->err);
	EXPECT_EQ(1, run(self, port));
	EXPECT_EQ(1, count_of(self->err, "no socket calls to draw for that --pid, --port or --conversation\n"));
	EXPECT_EQ(1, run(self, list));
	snprintf(want, sizeof(want),
		 "sockscope: %s: no conversation between two ports in this trace\n",
		 self->tmp.path[0]);
	EXPECT_STREQ(want, self->err);
}

/* --- saved traces from the corpus: no root needed ------------------------ */

/* The 64-bit little-endian number at hex. */
static unsigned long long hex_get(const char *hex)
{
	unsigned long long v = 0;
	unsigned int byte;

	for (int i = 7; i >= 0; i--) {
		sscanf(hex + 2 * i, "%2x", &byte);
		v = v << 8 | byte;
	}
	return v;
}

/* The 64-bit little-endian number at hex, plus add, written back. */
static void hex_add(char *hex, unsigned long long add)
{
	unsigned long long v = hex_get(hex) + add;

	for (int i = 0; i < 8; i++, v >>= 8) {
		char two[3];

		snprintf(two, sizeof(two), "%02x", (unsigned int)(v & 0xff));
		memcpy(hex + 2 * i, two, 2);
	}
}

/*
 * The corpus's saved UDP chat (server pid 100 on port 8000, client pid
 * 200, and pid 300 whose bind fails), copies times over into path: each
 * copy's clock (the header's time, and a call's start) moved on by
 * copy * step_ns, and from its record gap_at on by gap_ns more.
 */
static int write_chat(const char *path, int copies,
		      unsigned long long step_ns, int gap_at,
		      unsigned long long gap_ns)
{
	char src[4096], line[8192];
	FILE *in, *out;
	int ret = 0;

	if (source_path(src, sizeof(src), "tests/fuzz/corpus/replay/udp-chat"))
		return -1;
	in = fopen(src, "re");
	out = fopen(path, "we");
	if (!in || !out) {
		if (in)
			fclose(in);
		if (out)
			fclose(out);
		return -1;
	}
	if (!fgets(line, sizeof(line), in) || fputs(line, out) < 0)
		ret = -1;
	for (int c = 0; !ret && c < copies; c++) {
		rewind(in);
		fgets(line, sizeof(line), in);	/* trace_start, once */
		for (int k = 1; fgets(line, sizeof(line), in); k++) {
			char *raw = strstr(line, "\"raw\":\"");
			unsigned long long add = c * step_ns +
						 (k >= gap_at ? gap_ns : 0);

			if (!raw || strlen(raw) < 7 + 96) {
				ret = -1;
				break;
			}
			raw += 7;
			hex_add(raw, add);
			if (strstr(line, "\"kind\":\"syscall\""))
				hex_add(raw + 80, add);	/* enter_ns */
			fputs(line, out);
		}
	}
	fclose(in);
	if (fclose(out))
		ret = -1;
	return ret;
}

/* The rows of a text picture that are steps (they start with a time). */
static int step_rows(const char *text)
{
	int n = 0;

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p += !!p)
		n += *p >= '0' && *p <= '9' && p[1] == '.';
	return n;
}

/*
 * Options may follow the file; a pause of more than 0.1 s is a row of its
 * own, labelled with the time that passed; --width 60 holds every line,
 * the legend too, to 60 columns.
 */
TEST_F(diagram, a_pause_is_labelled_and_width_is_kept)
{
	char *narrow[] = { self->sockscope, "diagram", self->tmp.path[0],
			   "--width", "60", NULL };

	ASSERT_EQ(0, write_chat(self->tmp.path[0], 1, 0, 5, 250000000ULL));
	ASSERT_EQ(0, run(self, narrow)) {
		TH_LOG("%s", self->err);
	}
	EXPECT_EQ(1, count_of(self->out, "\n+0.250 s           ┆           ┆           ┆\n")) {
		TH_LOG("%s", self->out);
	}
	EXPECT_EQ(1, count_of(self->out, "\n0.000120           │           ● sendto =… │\n"));
	EXPECT_EQ(1, count_of(self->out, "\n0.250160           │◀ 5 byt… ──┤           │\n"));
	EXPECT_EQ(11, step_rows(self->out));
	EXPECT_EQ(1, count_of(self->out, "\n─── what the programs sent\n┄┄┄ what the kernel sent on its own (TCP segments)\n─╳ lost\n"));
	EXPECT_GE(60, widest_line(self->out));
	EXPECT_STREQ("", self->err);

	ASSERT_EQ(0, draw(self));
	EXPECT_EQ(1, count_of(self->out, "\n+0.250 s "));
	EXPECT_EQ(1, count_of(self->out, "─── what the programs sent    ┄┄┄ what the kernel sent on its own (TCP segments)    ─╳ lost\n"));
	EXPECT_GE(100, widest_line(self->out));
}

/*
 * --pid keeps that process's lifeline and what crossed it: the client's
 * datagram reaches the server's lifeline (not lost for want of the
 * server's records), but the server's own calls are not drawn.
 */
TEST_F(diagram, pid_keeps_its_lifeline_and_what_crossed_it)
{
	char *client[] = { self->sockscope, "diagram", "--pid", "200",
			   self->tmp.path[0], NULL };

	ASSERT_EQ(0, write_chat(self->tmp.path[0], 1, 0, 0, 0));
	ASSERT_EQ(0, run(self, client)) {
		TH_LOG("%s", self->err);
	}
	EXPECT_EQ(1, count_of(self->out, "\n            udp_chat_client                         udp_chat_server\n            127.0.0.1:54321                         127.0.0.1:8000\n")) {
		TH_LOG("%s", self->out);
	}
	EXPECT_EQ(1, count_of(self->out, "├────────── 5 bytes \"hello\" ───────────▶│\n"));
	EXPECT_EQ(1, count_of(self->out, "│╳────── lost: 5 bytes \"hello\" ─────────┤\n"));
	EXPECT_EQ(1, count_of(self->out, "✗ recvfrom = -1 EAGAIN"));
	EXPECT_EQ(0, count_of(self->out, "bind"));
	EXPECT_EQ(0, count_of(self->out, "● recvfrom"));
	EXPECT_EQ(6, step_rows(self->out));
}

/*
 * A trace too large for one picture: what is drawn is cut after --pid,
 * --port or --conversation chose, so a part late in the trace is drawn
 * whole; the cut is said in the picture (100 columns) and, when the
 * picture goes to a file, on stderr.
 */
TEST_F(diagram, a_large_trace_is_cut_after_the_filter)
{
	char svg[160];
	char *third[] = { self->sockscope, "diagram", self->tmp.path[0],
			  "--pid", "300", NULL };
	char *conv[] = { self->sockscope, "diagram", self->tmp.path[0],
			 "--conversation", "1", NULL };
	char *to_svg[] = { self->sockscope, "diagram", self->tmp.path[0],
			   "--format", "svg", "-o", svg, NULL };
	char want[512];
	char *picture;

	snprintf(svg, sizeof(svg), "%s/t.svg", self->tmp.dir);
	ASSERT_EQ(0, write_chat(self->tmp.path[0], 300, 1000000ULL, 0, 0));
	ASSERT_EQ(0, draw(self)) {
		TH_LOG("%s", self->err);
	}
	EXPECT_EQ(2000, step_rows(self->out));
	EXPECT_EQ(1, count_of(self->out, "─╳ lost\n1064 more steps are not drawn: a picture has at most 6 lifelines and 2000 steps. Draw a part:\nsockscope diagram FILE --conversation N (--list numbers them), --pid PID or --port PORT.\n")) {
		TH_LOG("%s", self->out);
	}
	EXPECT_GE(100, widest_line(self->out));
	EXPECT_STREQ("", self->err);

	/* Pid 300's 300 failed binds come after the 2000th step. */
	ASSERT_EQ(0, run(self, third));
	EXPECT_EQ(300, count_of(self->out, "✗ bind = -1 EADDRINUSE\n"));
	EXPECT_EQ(300, step_rows(self->out));
	EXPECT_EQ(0, count_of(self->out, "not drawn"));

	/* The conversation: 1264 steps of its own, and its sockets' calls. */
	ASSERT_EQ(0, run(self, conv));
	EXPECT_EQ(2000, step_rows(self->out));
	EXPECT_EQ(1, count_of(self->out, "\n32 more steps are not drawn: "));

	ASSERT_EQ(0, run(self, to_svg));
	snprintf(want, sizeof(want),
		 "sockscope: %s: 1064 more steps are not drawn: a picture has at most 6 lifelines and 2000 steps. Draw a part: sockscope diagram FILE --conversation N (--list numbers them), --pid PID or --port PORT.\n",
		 self->tmp.path[0]);
	EXPECT_STREQ(want, self->err);
	picture = slurp(svg);
	ASSERT_NE(NULL, picture);
	EXPECT_EQ(1, count_of(picture, "class=\"cut\" text-anchor=\"start\">1064 more steps are not drawn: "));
	EXPECT_EQ(2000, count_of(picture, "class=\"time\""));
	free(picture);
	unlink(svg);
}

/* --- the SVG's geometry ------------------------------------------------ */

/* The SVG's px a column of its 12px monospace font takes. */
#define COLUMN_PX	7.25

/* The columns of an SVG text's content, end excluded (an entity is one
 * character; CJK two). */
static int svg_columns(const char *s, const char *end)
{
	int w = 0, n;

	while (s < end) {
		const char *semi = *s == '&' ? strchr(s, ';') : NULL;

		if (semi && semi < end) {
			w++;
			s = semi + 1;
			continue;
		}
		n = (unsigned char)*s < 0xc0 ? 1 : (unsigned char)*s < 0xe0 ?
		    2 : (unsigned char)*s < 0xf0 ? 3 : 4;
		w += display_width(s, s + n);
		s += n;
	}
	return w;
}

/* The estimated left and right of a <text> at t; its content. */
static int text_extent(const char *t, double *left, double *right,
		       char *content, size_t size)
{
	const char *open = strchr(t, '>'), *close = strstr(t, "</text>");
	const char *x = strstr(t, " x=\"");
	double px;
	int cx;

	if (!open || !close || !x || x > open || sscanf(x, " x=\"%d\"", &cx) != 1)
		return -1;
	px = svg_columns(open + 1, close) * COLUMN_PX;
	*left = strstr(t, "text-anchor=\"middle\"") < open &&
		strstr(t, "text-anchor=\"middle\"") ? cx - px / 2 : cx;
	*right = *left + px;
	snprintf(content, size, "%.*s", (int)(close - open - 1), open + 1);
	return 0;
}

/*
 * Every text of the picture within its width; each arrow's label over
 * its line, clear of its head or its cross (6 px); the arrow labels that
 * end in "…", listed in cut (the text before it, one a line).
 */
static void check_geometry(const char *svg, char *cut, size_t size)
{
	const char *w = strstr(svg, "<svg "), *g;
	char content[256];
	double left, right;
	int width = 0, x1, x2;

	cut[0] = '\0';
	ASSERT_NE(NULL, w);
	ASSERT_EQ(1, sscanf(strstr(w, " width=\""), " width=\"%d\"", &width));
	for (const char *t = strstr(svg, "<text "); t;
	     t = strstr(t + 1, "<text ")) {
		ASSERT_EQ(0, text_extent(t, &left, &right, content,
					 sizeof(content)));
		EXPECT_LE(0, left) {
			TH_LOG("\"%s\" starts at %.0f", content, left);
		}
		EXPECT_GE(width, right) {
			TH_LOG("\"%s\" ends at %.0f, the picture at %d",
			       content, right, width);
		}
	}
	for (g = strstr(svg, "<g class=\"step arrow"); g;
	     g = strstr(g + 1, "<g class=\"step arrow")) {
		const char *line = strstr(g, "<line "), *t = strstr(g, "<text ");
		const char *end = strstr(g, "</g>");
		int lo, hi;
		size_t len;

		ASSERT_TRUE(line && t && end && line < end && t < end);
		ASSERT_EQ(2, sscanf(line, "<line x1=\"%d\" y1=\"%*d\" x2=\"%d\"",
				    &x1, &x2));
		ASSERT_EQ(0, text_extent(t, &left, &right, content,
					 sizeof(content)));
		lo = x1 < x2 ? x1 : x2;
		hi = x1 < x2 ? x2 : x1;
		EXPECT_TRUE(left >= lo + 6 - 1 && right <= hi - 6 + 1) {
			TH_LOG("\"%s\" (%.0f..%.0f) is not over its arrow (%d..%d) clear of its ends",
			       content, left, right, lo, hi);
		}
		len = strlen(content);
		if (len > 3 && !strcmp(content + len - 3, "…") &&
		    strlen(cut) + len + 1 < size)
			sprintf(cut + strlen(cut), "%.*s\n", (int)len - 3,
				content);
	}
}

/*
 * The corpus's UDP chat as SVG: the lost datagram's label is clear of its
 * cross, the third lifeline's failed bind is inside the picture, and so
 * is the legend.
 */
TEST_F(diagram, svg_labels_fit_their_arrows_and_the_picture)
{
	char svg[160], corpus[4096], cut[1024];
	char *draw[] = { self->sockscope, "diagram", corpus, "--format", "svg",
			 "-o", svg, NULL };
	char *picture;

	ASSERT_EQ(0, source_path(corpus, sizeof(corpus),
				 "tests/fuzz/corpus/replay/udp-chat"));
	snprintf(svg, sizeof(svg), "%s/t.svg", self->tmp.dir);
	ASSERT_EQ(0, run(self, draw)) {
		TH_LOG("%s", self->err);
	}
	picture = slurp(svg);
	ASSERT_NE(NULL, picture);
	EXPECT_EQ(1, count_of(picture, ">lost: 5 bytes &quot;hello&quot;</text>"));
	EXPECT_EQ(1, count_of(picture, ">bind = -1 EADDRINUSE</text>"));
	/* The legend says what the marks mean, as the text picture does. */
	EXPECT_EQ(1, count_of(picture, "<g class=\"legend\">"));
	EXPECT_EQ(6, count_of(picture, "class=\"legend\" text-anchor"));
	EXPECT_EQ(1, count_of(picture, ">what the kernel sent on its own (TCP segments)</text>"));
	check_geometry(picture, cut, sizeof(cut));
	EXPECT_STREQ("", cut);
	free(picture);
}

/*
 * A label longer than its arrow is cut to it, ending in "…" (the 44
 * bytes that fileio_calls writes, both ends in one process).
 */
TEST_F_TIMEOUT(diagram, svg_cuts_a_long_label_to_its_arrow, 60)
{
	char svg[160], cut[1024];
	char *draw[] = { self->sockscope, "diagram", self->tmp.path[0],
			 "--conversation", "1", "--format", "svg", "-o", svg,
			 NULL };
	char *picture;

	REQUIRE_E2E();
	ASSERT_EQ(0, save_helper(self, "tests/helpers/fileio_calls", NULL,
				 NULL));
	snprintf(svg, sizeof(svg), "%s/t.svg", self->tmp.dir);
	ASSERT_EQ(0, run(self, draw)) {
		TH_LOG("%s", self->err);
	}
	picture = slurp(svg);
	ASSERT_NE(NULL, picture);
	check_geometry(picture, cut, sizeof(cut));
	EXPECT_STREQ("44 bytes &quot;0123456789abcdefgh\n", cut);
	free(picture);
}

/* The time of the row of the text at t: the "time" text just before. */
static const char *row_time(const char *svg, const char *t)
{
	const char *time = NULL;

	for (const char *p = strstr(svg, "class=\"time\""); p && p < t;
	     p = strstr(p + 1, "class=\"time\""))
		time = p;
	return time ? strchr(time, '>') + 1 : NULL;
}

/*
 * The html page: each call in the picture has the time its line in the
 * trace beside it has (the trace's own clock, not the picture's first
 * step), also when --pid leaves the trace's first records out.
 */
TEST_F(diagram, html_picture_and_trace_share_their_times)
{
	char html[160], corpus[4096], want[64];
	char *draw[] = { self->sockscope, "diagram", "--pid", "200",
			 "--format", "html", "-o", html, corpus, NULL };
	int calls = 0;
	char *page;

	ASSERT_EQ(0, source_path(corpus, sizeof(corpus),
				 "tests/fuzz/corpus/replay/udp-chat"));
	snprintf(html, sizeof(html), "%s/t.html", self->tmp.dir);
	ASSERT_EQ(0, run(self, draw)) {
		TH_LOG("%s", self->err);
	}
	page = slurp(html);
	ASSERT_NE(NULL, page);
	for (const char *g = strstr(page, "<g class=\"step call"); g;
	     g = strstr(g + 1, "<g class=\"step call")) {
		const char *a = g - 1, *time = row_time(page, g), *li;
		int line;

		while (a > page && *a != '<')
			a--;
		ASSERT_EQ(1, sscanf(a, "<a href=\"#line-%d\">", &line));
		ASSERT_NE(NULL, time);
		snprintf(want, sizeof(want), "<li id=\"line-%d\">", line);
		li = strstr(page, want);
		ASSERT_NE(NULL, li);
		li = strchr(li + strlen(want), '>') + 1;
		EXPECT_EQ(0, strncmp(li, time, strcspn(time, "<"))) {
			TH_LOG("the picture says %.*s, the trace %.20s",
			       (int)strcspn(time, "<"), time, li);
		}
		calls++;
	}
	/* socket, sendto, recvfrom (EAGAIN), close. */
	EXPECT_EQ(4, calls);
	EXPECT_EQ(1, count_of(page, ">0.100120</text>"));
	free(page);
}

/*
 * The corpus's UDP chat with the client's sendto ending 10 us after the
 * server's recvfrom took its datagram, so that the receive's record
 * comes first: the arrow is still drawn from the sendto's row down.
 */
TEST_F(diagram, an_arrow_is_not_above_its_send)
{
	char src[4096], lines[16][8192], *raw[16] = { NULL };
	const char *send_row, *arrow;
	unsigned long long send_end, recv_end;
	FILE *in, *out;
	int n = 0;

	ASSERT_EQ(0, source_path(src, sizeof(src),
				 "tests/fuzz/corpus/replay/udp-chat"));
	in = fopen(src, "re");
	ASSERT_NE(NULL, in);
	while (n < 16 && fgets(lines[n], sizeof(lines[n]), in)) {
		raw[n] = strstr(lines[n], "\"raw\":\"");
		raw[n] = raw[n] ? raw[n] + 7 : NULL;
		n++;
	}
	fclose(in);
	/* Line 4: the client's sendto (pid 200, tid 200); line 5: the
	 * server's recvfrom. */
	ASSERT_LT(5, n);
	ASSERT_TRUE(raw[4] && raw[5]);
	ASSERT_EQ(0, strncmp(raw[4] + 16, "c8000000c8000000", 16));
	send_end = hex_get(raw[4]);
	recv_end = hex_get(raw[5]);
	hex_add(raw[5], send_end - 10000 - recv_end);
	hex_add(raw[5] + 80, send_end - 10000 - recv_end);	/* enter_ns */
	out = fopen(self->tmp.path[0], "we");
	ASSERT_NE(NULL, out);
	for (int i = 0; i < n; i++)
		fputs(lines[i == 4 ? 5 : i == 5 ? 4 : i], out);
	ASSERT_EQ(0, fclose(out));

	ASSERT_EQ(0, draw(self)) {
		TH_LOG("%s", self->err);
	}
	send_row = strstr(self->out, "0.000120           │                               ● sendto = 5 ");
	arrow = strstr(self->out, "0.000120           │◀───── 5 bytes \"hello\" ────────┤");
	ASSERT_NE(NULL, send_row) {
		TH_LOG("%s", self->out);
	}
	EXPECT_NE(NULL, arrow) {
		TH_LOG("%s", self->out);
	}
	EXPECT_LT(send_row, arrow);
	EXPECT_EQ(1, count_of(self->out, "0.000110           ● recvfrom = 5 "));
	/* The server's reply is lost (as in the corpus), the client's
	 * datagram is not. */
	EXPECT_EQ(1, count_of(self->out, "├─── lost: 5 bytes \"hello\" ─"));
	EXPECT_EQ(1, count_of(self->out, " lost: "));
}

TEST_HARNESS_MAIN
