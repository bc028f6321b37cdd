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

/* --port: the first client's connection alone, both of its ends. */
static void one_conversation(FIXTURE_DATA(diagram) *self)
{
	char port[16], *argv[] = { self->sockscope, "diagram", "--port", port,
				   self->tmp.path[0], NULL };
	const char *at = strstr(self->out, "tcp_chat_client");
	unsigned int p = 0;

	/* The first client's port, under its name in the header. */
	ASSERT_NE(NULL, at);
	at = strchr(at, '\n');
	ASSERT_NE(NULL, at);
	at = strstr(at, "127.0.0.1:");
	at = at ? strstr(at + 1, "127.0.0.1:") : NULL;
	ASSERT_NE(NULL, at);
	ASSERT_EQ(1, sscanf(at, "127.0.0.1:%u", &p));
	snprintf(port, sizeof(port), "%u", p);
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
	const char *p;

	REQUIRE_E2E();
	ASSERT_EQ(0, run(self, save));
	ASSERT_EQ(0, draw(self)) {
		TH_LOG("%s", self->err);
	}
	EXPECT_EQ(0, count_of(self->out, "(no process)")) {
		TH_LOG("%s", self->out);
	}
	/* The first client's conversation, in order. */
	p = self->out;
	for (size_t i = 0; p && i < sizeof(order) / sizeof(order[0]); i++) {
		p = after(p, order[i]);
		EXPECT_NE(NULL, p) {
			TH_LOG("no \"%s\" after the steps before it:\n%s",
			       order[i], self->out);
		}
	}
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
	EXPECT_EQ(1, count_of(pic, "─── what the programs sent    ┄┄┄ what the kernel sent on its own (TCP segments)\n"));
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

TEST_F(diagram, bad_input_gets_one_line)
{
	char *missing[] = { self->sockscope, "diagram", "/nonexistent.jsonl",
			    NULL };
	char *format[] = { self->sockscope, "diagram", "--format", "pdf",
			   self->tmp.path[0], NULL };
	char *none[] = { self->sockscope, "diagram", NULL };

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
	EXPECT_EQ(1, count_of(self->err, "sockscope: unknown --format (text): pdf; usage: sockscope diagram "));
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
	char want[256];

	REQUIRE_E2E();
	ASSERT_EQ(0, run(self, save));
	EXPECT_EQ(1, draw(self));
	snprintf(want, sizeof(want),
		 "sockscope: %s: no socket calls to draw\n", self->tmp.path[0]);
	EXPECT_STREQ(want, self->err);
	EXPECT_EQ(1, run(self, port));
	EXPECT_EQ(1, count_of(self->err, "no socket calls to draw for that --pid or --port\n"));
}

TEST_HARNESS_MAIN
