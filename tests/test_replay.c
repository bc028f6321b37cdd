// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * sockscope replay: a trace saved with --save renders exactly as it did
 * live, as text and as JSON, for a traced command and for a lesson
 * (root and BTF); and (no root needed) files that are not saved traces
 * are refused with one line that says why and exit status 1, corrupted
 * records included, never with a crash.
 *
 * The no-root tests build their saved traces here, from the record
 * layout in bpf/events.h: a TCP client's socket, connect (with its state
 * changes), sendto with a payload, and close.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>

#include "events.h"
#include "replay.h"
#include "harness.h"
#include "lib/files.h"
#include "lib/require.h"
#include "lib/teach.h"
#include "lib/trace_capture.h"
#include "lib/trace_text.h"
#include "lib/tracer_run.h"

#define START_NS	1000000000ULL
#define SK		0xffff888012345600ULL
#define PID		4242

/* "sockscope ARGS" (no command): its exit status, stdout and stderr. */
static int sockscope(char *const args[], char **out, char **err)
{
	return tracer_run(args, NULL, out, err);
}

/* The arguments of "replay [-j] PATH", NULL-terminated: how many. */
static int replay_args(char *argv[4], const char *path, bool json)
{
	int n = 0;

	argv[n++] = "replay";
	if (json)
		argv[n++] = "-j";
	argv[n++] = (char *)path;
	argv[n] = NULL;
	return n;
}

/* "sockscope replay [-j] PATH" must exit 0; its stdout and stderr. */
static void replay_ok(const char *path, bool json, char **out, char **err)
{
	char *args[4];

	replay_args(args, path, json);
	ASSERT_EQ(0, sockscope(args, out, err)) {
		TH_LOG("%s", *err);
	}
}

/* The text with every ',"raw":"..."' taken out, and without the
 * trace_start line: what -j wrote. */
static char *without_raw(const char *saved)
{
	const char *p = saved, *raw;
	char *buf = malloc(strlen(saved) + 1), *at = buf;

	if (!strncmp(p, "{\"kind\":\"trace_start\"", 21))
		p = strchrnul(p, '\n') + (strchr(p, '\n') ? 1 : 0);
	while ((raw = strstr(p, ",\"raw\":\""))) {
		memcpy(at, p, raw - p);
		at += raw - p;
		p = strchr(raw + 8, '"');
		p = p ? p + 1 : raw + strlen(raw);
	}
	strcpy(at, p);
	return buf;
}

/* --- live and replayed ---------------------------------------------- */

/* Two connections from two client processes, with payloads: calls,
 * state changes, conversations, autobound ports, the summary. */
TEST_TIMEOUT(replay_renders_text_as_live, 60)
{
	char *cmd[] = { teach_tcp(), "conn", "2", NULL };
	char *live_opts[] = { "--payload", NULL };
	char *rout, *rerr;
	struct trace t;

	REQUIRE_E2E();
	ENTER_NETNS();
	ASSERT_EQ(0, trace_run(&t, live_opts, cmd));
	ASSERT_LT(20, (int)strlen(t.text));
	EXPECT_NE(NULL, strstr(t.text, "SYN_SENT -> ESTABLISHED"));
	EXPECT_NE(NULL, strstr(t.text, "\"ping\""));

	replay_ok(trace_json_path(&t), false, &rout, &rerr);
	EXPECT_STREQ(t.text, rout);
	/* The summary at the end (calls, sockets seen) too. */
	EXPECT_STREQ(t.err, rerr);
	free(rout);
	free(rerr);
	trace_free(&t);
}

TEST_TIMEOUT(replay_renders_json_as_live, 60)
{
	char *cmd[] = { teach_tcp(), "conn", "2", NULL };
	char *live_opts[] = { "-j", "--payload", NULL };
	char *rout, *rerr, *stripped;
	struct trace t;

	REQUIRE_E2E();
	ENTER_NETNS();
	ASSERT_EQ(0, trace_run(&t, live_opts, cmd));
	ASSERT_NE(NULL, strstr(t.text, "\"kind\":\"tcp_state\""));

	replay_ok(trace_json_path(&t), true, &rout, &rerr);
	EXPECT_STREQ(t.text, rout);
	EXPECT_STREQ(t.err, rerr);
	/* The saved trace is the -j output, each line with its "raw". */
	stripped = without_raw(t.json);
	EXPECT_STREQ(t.text, stripped);
	EXPECT_EQ(0, strncmp(t.json, "{\"kind\":\"trace_start\",", 22));
	free(stripped);
	free(rout);
	free(rerr);
	trace_free(&t);
}

TEST_TIMEOUT(replay_of_a_lesson_is_its_trace, 60)
{
	struct scratch s;
	char *lesson[] = { "lesson", "tcp", "--save", s.path[1], NULL };
	char *out, *err, *rout, *rerr, *trace, *saved, *stripped;

	REQUIRE_E2E();
	ENTER_NETNS();
	ASSERT_EQ(0, scratch_make(&s));
	ASSERT_EQ(0, sockscope(lesson, &out, &err));
	trace = lesson_trace(out);
	ASSERT_NE(NULL, strstr(trace, "] connect(")) {
		TH_LOG("%s", out);
	}
	replay_ok(s.path[1], false, &rout, &rerr);
	EXPECT_STREQ(trace, rout);
	EXPECT_STREQ(err, rerr);
	free(rout);
	free(rerr);

	replay_ok(s.path[1], true, &rout, &rerr);
	saved = slurp(s.path[1]);
	stripped = without_raw(saved);
	EXPECT_STREQ(stripped, rout);
	free(stripped);
	free(saved);
	free(rout);
	free(rerr);
	free(trace);
	free(out);
	free(err);
	scratch_remove(&s);
}

/* --- saved traces made here ---------------------------------------- */

static void header(struct event_header *h, __u64 ms, __u16 kind,
		   __u16 size)
{
	h->ts_ns = START_NS + ms * 1000000ULL;
	h->pid = h->tid = PID;
	h->kind = kind;
	h->size = size;
	strcpy(h->comm, "golden");
}

static void sock(struct sock_info *si, __u8 state, __u16 sport)
{
	static const __u8 lo[4] = { 127, 0, 0, 1 };

	si->sk = SK;
	si->family = AF_INET;
	si->type = SOCK_STREAM;
	si->protocol = IPPROTO_TCP;
	si->state = state;
	si->valid = 1;
	si->sport = sport;
	if (sport)
		memcpy(si->saddr, lo, 4);
	if (state != 7) {
		memcpy(si->daddr, lo, 4);
		si->dport = 8000;
	}
}

static void hex(char *out, const void *data, size_t n)
{
	const __u8 *b = data;

	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

/* One saved line: {"kind":KIND,"raw":"..."}; the replay needs no more. */
static void saved_line(char *out, const char *kind, const void *rec,
		       size_t n)
{
	int len = sprintf(out, "{\"kind\":\"%s\",\"raw\":\"", kind);

	hex(out + len, rec, n);
	strcat(out, "\"}\n");
}

/* A sendto record and its 5 bytes of payload, as the ring buffer has it. */
#define SENDTO_SIZE	(sizeof(struct syscall_record) + 5)

struct syscall_with_payload {
	struct syscall_record r;
	char payload[8];	/* 5 used; the rest is alignment */
};

static void syscall_rec(struct syscall_record *r, __u64 ms, __u16 call,
			__s64 ret, __u16 size)
{
	memset(r, 0, sizeof(*r));
	header(&r->hdr, ms, EVENT_SYSCALL, size);
	r->enter_ns = r->hdr.ts_ns - 1000;
	r->call = call;
	r->ret = ret;
}

static void kernel_rec(struct kernel_record *k, __u64 ms, int from, int to)
{
	memset(k, 0, sizeof(*k));
	header(&k->hdr, ms, EVENT_TCP_STATE, sizeof(*k));
	sock(&k->sock, to, to == 2 ? 0 : 40000);
	k->owner_pid = PID;
	k->old_state = from;
	k->new_state = to;
}

/* The lines of the golden trace, in order. */
enum { L_START, L_SOCKET, L_SYN_SENT, L_ESTABLISHED, L_CONNECT, L_SENDTO,
       L_CLOSE, L_COUNT };

struct golden {
	char line[L_COUNT][1024];
	struct syscall_record socket_r, connect_r, close_r;
	struct syscall_with_payload sendto_r;
	struct kernel_record syn_sent, established;
};

static void golden_make(struct golden *g)
{
	struct sockaddr_in to = {
		.sin_family = AF_INET,
		.sin_port = htons(8000),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};

	memset(g, 0, sizeof(*g));
	sprintf(g->line[L_START],
		"{\"kind\":\"trace_start\",\"ts_ns\":%llu,\"pid\":0,\"tid\":0,\"comm\":\"\",\"abi\":2}\n",
		START_NS);

	syscall_rec(&g->socket_r, 1, CALL_SOCKET, 3, sizeof(g->socket_r));
	g->socket_r.args[0] = AF_INET;
	g->socket_r.args[1] = SOCK_STREAM;
	sock(&g->socket_r.sock, 7, 0);
	saved_line(g->line[L_SOCKET], "syscall", &g->socket_r,
		   sizeof(g->socket_r));

	kernel_rec(&g->syn_sent, 2, 7, 2);
	saved_line(g->line[L_SYN_SENT], "tcp_state", &g->syn_sent,
		   sizeof(g->syn_sent));
	kernel_rec(&g->established, 3, 2, 1);
	saved_line(g->line[L_ESTABLISHED], "tcp_state", &g->established,
		   sizeof(g->established));

	syscall_rec(&g->connect_r, 4, CALL_CONNECT, 0, sizeof(g->connect_r));
	g->connect_r.args[0] = 3;
	g->connect_r.args[1] = 0x7ffc0000;
	g->connect_r.args[2] = sizeof(to);
	g->connect_r.have = HAVE_ADDR;
	g->connect_r.addr_len = sizeof(to);
	g->connect_r.addr_captured = sizeof(to);
	memcpy(g->connect_r.addr, &to, sizeof(to));
	sock(&g->connect_r.sock, 1, 40000);
	saved_line(g->line[L_CONNECT], "syscall", &g->connect_r,
		   sizeof(g->connect_r));

	syscall_rec(&g->sendto_r.r, 5, CALL_SENDTO, 5, SENDTO_SIZE);
	g->sendto_r.r.args[0] = 3;
	g->sendto_r.r.args[1] = 0x7ffc1000;
	g->sendto_r.r.args[2] = 5;
	g->sendto_r.r.have = HAVE_PAYLOAD;
	g->sendto_r.r.payload_len = 5;
	memcpy(g->sendto_r.payload, "hello", 5);
	sock(&g->sendto_r.r.sock, 1, 40000);
	saved_line(g->line[L_SENDTO], "syscall", &g->sendto_r, SENDTO_SIZE);

	syscall_rec(&g->close_r, 6, CALL_CLOSE, 0, sizeof(g->close_r));
	g->close_r.args[0] = 3;
	sock(&g->close_r.sock, 1, 40000);
	saved_line(g->line[L_CLOSE], "syscall", &g->close_r,
		   sizeof(g->close_r));
}

/* Lines first..last-1 of the golden trace, joined. */
static char *golden_text(const struct golden *g, int first, int last)
{
	char *buf = calloc(1, L_COUNT * sizeof(g->line[0]));

	for (int i = first; i < last; i++)
		strcat(buf, g->line[i]);
	return buf;
}

/* The trace made here replays, call lines exact (no root needed). */
TEST(a_saved_trace_replays_without_root)
{
	char *text, *out, *err;
	struct golden g;
	struct scratch s;

	ASSERT_EQ(0, scratch_make(&s));
	golden_make(&g);
	text = golden_text(&g, 0, L_COUNT);
	ASSERT_EQ(0, spill(s.path[0], text));
	replay_ok(s.path[0], false, &out, &err);
	EXPECT_NE(NULL, strstr(out,
		"0.001000 [4242 golden] socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
		"    # fd 3 is a new TCP socket"));
	EXPECT_NE(NULL, strstr(out,
		"0.002000 [4242 golden] tcp -> 127.0.0.1:8000 (fd 3): CLOSE -> SYN_SENT\n"));
	EXPECT_NE(NULL, strstr(out,
		"0.003000 [4242 golden] tcp 127.0.0.1:40000 -> 127.0.0.1:8000 (fd 3): SYN_SENT -> ESTABLISHED after 1.000 ms in SYN_SENT\n"));
	EXPECT_NE(NULL, strstr(out,
		"0.004000 [4242 golden] connect(3, {AF_INET, 127.0.0.1:8000}, 16) = 0\n"
		"    # TCP three-way handshake with 127.0.0.1:8000 done"));
	EXPECT_NE(NULL, strstr(out,
		"0.005000 [4242 golden] sendto(3, \"hello\", 5, 0, NULL, 0) = 5\n"));
	EXPECT_NE(NULL, strstr(out, "0.006000 [4242 golden] close(3) = 0\n"));
	EXPECT_EQ(0, strncmp(err, "sockscope: 4 calls, 0 failed, 0 lost\n", 37)) {
		TH_LOG("%s", err);
	}
	if (!strstr(out, "close(3)"))
		TH_LOG("%s", out);
	free(out);
	free(err);
	free(text);
	scratch_remove(&s);
}

/* --- files that are not saved traces ---------------------------------- */

struct bad_file {
	const char *name;
	const char *text;	/* after the golden lines given below */
	int golden_lines;	/* how many golden lines come first */
	int line;		/* the line the error names */
	const char *why;
};

static const struct bad_file bad_files[] = {
	{ "not JSON", "hello\n", 0, 1, "not a JSON object" },
	{ "JSON, not an object", "[1,2]\n", 0, 1, "not a JSON object" },
	{ "no kind", "{\"ts_ns\":1}\n", 0, 1, "no \"kind\"" },
	{ "another abi (1: before sock_info had netns)",
	  "{\"kind\":\"trace_start\",\"ts_ns\":1,\"abi\":1}\n", 0, 1,
	  "saved by a sockscope with another record layout (abi)" },
	{ "no abi", "{\"kind\":\"trace_start\",\"ts_ns\":1}\n", 0, 1,
	  "saved by a sockscope with another record layout (abi)" },
	{ "trace_start without ts_ns",
	  "{\"kind\":\"trace_start\",\"abi\":2}\n", 0, 1, "no \"ts_ns\"" },
	{ "lost without count", "{\"kind\":\"lost\",\"ts_ns\":5}\n", 2, 3,
	  "a \"lost\" object without a count" },
	{ "no raw", "{\"kind\":\"syscall\",\"ts_ns\":5,\"pid\":1}\n", 1, 2,
	  "no readable \"raw\" record: was this trace written with --save?" },
	{ "raw not hex", "{\"kind\":\"syscall\",\"raw\":\"zz\"}\n", 1, 2,
	  "no readable \"raw\" record: was this trace written with --save?" },
	{ "raw of odd length", "{\"kind\":\"syscall\",\"raw\":\"abc\"}\n", 1, 2,
	  "no readable \"raw\" record: was this trace written with --save?" },
	{ "raw not a string", "{\"kind\":\"syscall\",\"raw\":12}\n", 1, 2,
	  "no readable \"raw\" record: was this trace written with --save?" },
	{ "raw too short for a record",
	  "{\"kind\":\"syscall\",\"raw\":\"00112233\"}\n", 1, 2,
	  "its \"raw\" record is not a valid sockscope record" },
};

/* Replays text (written to a file): status, and stderr in *err. */
static int replay_text(struct scratch *s, const char *text, char **out,
		       char **err)
{
	char *args[4];

	ASSERT_EQ(0, spill(s->path[0], text));
	replay_args(args, s->path[0], false);
	return sockscope(args, out, err);
}

TEST(bad_files_are_refused_with_one_line)
{
	char want[512], *text, *out, *err;
	struct golden g;
	struct scratch s;

	ASSERT_EQ(0, scratch_make(&s));
	golden_make(&g);
	for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
		const struct bad_file *b = &bad_files[i];

		text = golden_text(&g, 0, b->golden_lines);
		text = realloc(text, strlen(text) + strlen(b->text) + 1);
		strcat(text, b->text);
		EXPECT_EQ(1, replay_text(&s, text, &out, &err)) {
			TH_LOG("%s", b->name);
		}
		snprintf(want, sizeof(want), "sockscope: %s:%d: %s\n",
			 s.path[0], b->line, b->why);
		EXPECT_STREQ(want, err) {
			TH_LOG("%s", b->name);
		}
		free(text);
		free(out);
		free(err);
	}
	scratch_remove(&s);
}

/* A note that is not a string. */
TEST(a_saved_note_must_be_a_string)
{
	char *text, *out, *err, want[256], *brace;
	struct golden g;
	struct scratch s;

	ASSERT_EQ(0, scratch_make(&s));
	golden_make(&g);
	text = golden_text(&g, 0, L_SYN_SENT);
	/* {"kind":"syscall","raw":"..."} -> ...,"note":5} */
	brace = strrchr(text, '}');
	strcpy(brace, ",\"note\":5}\n");
	EXPECT_EQ(1, replay_text(&s, text, &out, &err));
	snprintf(want, sizeof(want),
		 "sockscope: %s:2: its \"note\" is not a string\n", s.path[0]);
	EXPECT_STREQ(want, err);
	free(text);
	free(out);
	free(err);
	scratch_remove(&s);
}

/* Cut in the middle of its last line, as by a full disk or a kill. */
TEST(a_truncated_last_line_is_refused)
{
	char want[512], *text, *out, *err;
	struct golden g;
	struct scratch s;
	size_t keep;

	ASSERT_EQ(0, scratch_make(&s));
	golden_make(&g);
	text = golden_text(&g, 0, L_CONNECT);
	keep = strlen(text);
	strcat(text, g.line[L_CONNECT]);
	text[keep + strlen(g.line[L_CONNECT]) / 2] = '\0';
	EXPECT_EQ(1, replay_text(&s, text, &out, &err));
	snprintf(want, sizeof(want),
		 "sockscope: %s:5: the file ends in the middle of a line: not a JSON object\n",
		 s.path[0]);
	EXPECT_STREQ(want, err);
	/* What came before is rendered. */
	EXPECT_NE(NULL, strstr(out, "SYN_SENT -> ESTABLISHED"));
	free(text);
	free(out);
	free(err);
	scratch_remove(&s);
}

/* An empty file is not a saved trace: a saved trace starts with its
 * "trace_start" line. */
TEST(an_empty_file_is_refused)
{
	char *out, *err;
	struct scratch s;

	ASSERT_EQ(0, scratch_make(&s));
	EXPECT_EQ(1, replay_text(&s, "", &out, &err));
	EXPECT_STREQ("", out);
	/* One line, naming the file. */
	EXPECT_TRUE(strstr(err, s.path[0]) && !strncmp(err, "sockscope: ", 11) &&
		    strchr(err, '\n') == err + strlen(err) - 1) {
		TH_LOG("stderr: %s", err);
	}
	free(out);
	free(err);
	scratch_remove(&s);
}

/* --- corrupted records ---------------------------------------------- */

/* Replays golden lines with line `which` replaced by `rec` (n bytes). */
static int replay_with(struct scratch *s, const struct golden *g, int which,
		       const void *rec, size_t n, const char *kind,
		       char **out, char **err)
{
	char *text = golden_text(g, 0, which), line[1024];
	int status;

	saved_line(line, kind, rec, n);
	strcat(text, line);
	status = replay_text(s, text, out, err);
	free(text);
	return status;
}

#define INVALID	"its \"raw\" record is not a valid sockscope record"

/* Corruptions the reader must refuse, each by a named field. */
TEST(corrupted_records_are_refused)
{
	struct syscall_with_payload p;
	struct syscall_record r;
	struct kernel_record k;
	char want[512], *out, *err;
	struct golden g;
	struct scratch s;

	ASSERT_EQ(0, scratch_make(&s));
	golden_make(&g);
	snprintf(want, sizeof(want), "sockscope: %s:2: " INVALID "\n",
		 s.path[0]);

#define REFUSED(rec, n, kind, what) do {				\
	EXPECT_EQ(1, replay_with(&s, &g, L_SOCKET, rec, n, kind,	\
				 &out, &err)) {				\
		TH_LOG("%s", what);					\
	}								\
	EXPECT_STREQ(want, err) {					\
		TH_LOG("%s", what);					\
	}								\
	free(out);							\
	free(err);							\
} while (0)

	r = g.socket_r;
	r.hdr.size++;
	REFUSED(&r, sizeof(r), "syscall", "header size too big");
	r = g.socket_r;
	REFUSED(&r, sizeof(r) - 1, "syscall", "one byte short");
	r.call = 0;
	REFUSED(&r, sizeof(r), "syscall", "call 0");
	r.call = CALL_MAX;
	REFUSED(&r, sizeof(r), "syscall", "call CALL_MAX");
	r = g.socket_r;
	r.addr_captured = SOCKADDR_MAX + 1;
	REFUSED(&r, sizeof(r), "syscall", "addr_captured too big");
	p = g.sendto_r;
	p.r.payload_len = 4;
	REFUSED(&p, SENDTO_SIZE, "syscall", "payload_len not the rest");
	p = g.sendto_r;
	p.r.payload_len = PAYLOAD_MAX + 1;
	REFUSED(&p, SENDTO_SIZE, "syscall", "payload_len too big");
	k = g.syn_sent;
	k.hdr.kind = EVENT_KIND_MAX;
	REFUSED(&k, sizeof(k), "tcp_state", "kind EVENT_KIND_MAX");
	k = g.syn_sent;
	k.hdr.size = sizeof(k) + 8;
	REFUSED(&k, sizeof(k), "tcp_state", "kernel record size");
	/* Kind 0 is no kind at all (EVENT_SYSCALL is 1). */
	k = g.syn_sent;
	k.hdr.kind = 0;
	REFUSED(&k, sizeof(k), "tcp_state", "kind 0");
#undef REFUSED
	scratch_remove(&s);
}

/*
 * Every single byte of a syscall record with a payload, and of a kernel
 * event, set to 0x00, to 0xff and flipped in its top bit: the replay, as
 * text and as JSON, ends with status 0 or 1, with the one-line refusal
 * when 1; never a crash (a signal ends this test, after saying which
 * byte did it), never a hang (the test's timeout).
 *
 * replay_main runs in this process, with its stdout and stderr on files:
 * a fork per replay is too slow for a few thousand of them.
 */
static char crash_note[160];
static int crash_fd = -1;

static void on_crash(int sig)
{
	if (crash_fd >= 0) {
		ssize_t n = write(crash_fd, crash_note, strlen(crash_note));

		(void)n;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static int replay_in_process(const char *path, bool json, const char *out,
			     const char *err)
{
	char *argv[4];
	int argc = replay_args(argv, path, json);
	int o = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int e = open(err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int saved_out = dup(1), saved_err = dup(2), status;

	fflush(NULL);
	dup2(o, 1);
	dup2(e, 2);
	status = replay_main(argc, argv);
	fflush(NULL);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	close(o);
	close(e);
	return status;
}

TEST_TIMEOUT(no_byte_corruption_crashes_the_replay, 60)
{
	struct { const void *rec; size_t n; int line; const char *kind; }
	targets[2];
	static const int values[] = { 0x00, 0xff, -1 };
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };
	int failures = 0, runs = 0, refused = 0;
	char line[1024], want[512];
	struct golden g;
	struct scratch s;
	__u8 rec[512];

	ASSERT_EQ(0, scratch_make(&s));
	golden_make(&g);
	crash_fd = dup(2);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], on_crash);
	targets[0].rec = &g.sendto_r;
	targets[0].n = SENDTO_SIZE;
	targets[0].line = L_SENDTO;
	targets[0].kind = "syscall";
	targets[1].rec = &g.established;
	targets[1].n = sizeof(g.established);
	targets[1].line = L_ESTABLISHED;
	targets[1].kind = "tcp_state";

	for (int t = 0; t < 2; t++) {
		char *head = golden_text(&g, 0, targets[t].line);
		char *tail = golden_text(&g, targets[t].line + 1, L_COUNT);

		snprintf(want, sizeof(want), "sockscope: %s:%d: " INVALID "\n",
			 s.path[0], targets[t].line + 1);
		for (size_t b = 0; b < targets[t].n; b++) {
			for (int v = 0; v < 3; v++) {
				char *text, *err;
				int status;

				memcpy(rec, targets[t].rec, targets[t].n);
				rec[b] = values[v] < 0 ? rec[b] ^ 0x80 : values[v];
				saved_line(line, targets[t].kind, rec,
					   targets[t].n);
				text = malloc(strlen(head) + strlen(line) +
					      strlen(tail) + 1);
				sprintf(text, "%s%s%s", head, line, tail);
				ASSERT_EQ(0, spill(s.path[0], text));
				free(text);
				for (int json = 0; json <= 1; json++) {
					snprintf(crash_note, sizeof(crash_note),
						 "crashed: byte %zu of line %d set to %#x (%s)\n",
						 b, targets[t].line + 1, rec[b],
						 json ? "-j" : "text");
					status = replay_in_process(s.path[0], json,
								   s.path[1], s.path[2]);
					runs++;
					if (status == 0) {
						/* Kind 0 (byte 16) is for the
						 * test above. */
						char *out = slurp(s.path[1]);

						if (strstr(out, "(null)") && b != 16 &&
						    failures++ < 10)
							TH_LOG("byte %zu of line %d = %#x: (null) in %s",
							       b, targets[t].line + 1,
							       rec[b], out);
						free(out);
						continue;
					}
					err = slurp(s.path[2]);
					if (status == 1 && !strcmp(err, want)) {
						refused++;
						free(err);
						continue;
					}
					if (failures++ < 10)
						TH_LOG("byte %zu of line %d = %#x (%s): status %d, stderr: %s",
						       b, targets[t].line + 1,
						       rec[b], json ? "-j" : "text",
						       status, err);
					free(err);
				}
			}
		}
		free(head);
		free(tail);
	}
	EXPECT_EQ(0, failures);
	/* Some were refused, and some rendered: both paths were taken. */
	EXPECT_LT(0, refused);
	EXPECT_LT(refused, runs);
	scratch_remove(&s);
}

TEST_HARNESS_MAIN
