// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * sendmmsg and recvmmsg, end to end, against strace in one run:
 * tests/helpers/mmsg_calls sends three datagrams with one call, receives
 * them with one, fails a recvmmsg with EAGAIN, and sends ten messages on a
 * connected socket. For each call, sockscope's JSON gives what strace
 * shows: the return value and errno, vlen, and for each message (the first
 * 8 of them) its address's port, the sum of its iov lengths and the
 * msg_len the kernel set. The sockets table counts the bytes of all the
 * messages, beyond the 8 the record keeps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "lib/files.h"
#include "lib/json_fields.h"
#include "lib/netns.h"
#include "lib/paths.h"
#include "lib/require.h"
#include "lib/trace_text.h"
#include "lib/tracer_run.h"

#define MAX_CALLS	8
#define MAX_MSGS	16

/* One call, as either trace says it. */
struct mcall {
	char name[16];
	long ret;
	long vlen;
	int nmsgs;
	long port[MAX_MSGS], len[MAX_MSGS], msg_len[MAX_MSGS];
};

/* The number after the first "key" in [p, end), or -1. */
static long num_after(const char *p, const char *end, const char *key)
{
	const char *at = memmem(p, end - p, key, strlen(key));

	return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

/* Sum of every "key"N in [p, end). */
static long sum_after(const char *p, const char *end, const char *key)
{
	long sum = 0;
	const char *at;

	while ((at = memmem(p, end - p, key, strlen(key)))) {
		sum += strtol(at + strlen(key), NULL, 10);
		p = at + strlen(key);
	}
	return sum;
}

/* The pieces of [p, end) that start with sep, one per message. */
static int split_msgs(const char *p, const char *end, const char *sep,
		      const char **start, const char **stop)
{
	const char *at = memmem(p, end - p, sep, strlen(sep));
	int n = 0;

	while (at && n < MAX_MSGS) {
		const char *next = memmem(at + 1, end - at - 1, sep,
					  strlen(sep));

		start[n] = at;
		stop[n++] = next ? next : end;
		at = next;
	}
	return n;
}

/* vlen follows the vector: after its last "}], ", or after the
 * pointer strace shows instead, the second argument. */
static long strace_vlen(const char *p, const char *eq)
{
	const char *at = NULL, *q;

	for (q = p; (q = memmem(q, eq - q, "}], ", 4)); q += 4)
		at = q + 4;
	if (!at)
		at = strchr(strchr(p, ',') + 1, ',') + 2;
	return strtol(at, NULL, 10);
}

/* strace: "name(fd, [{msg_hdr={...}, msg_len=3}, ...], vlen, ...) = N". */
static int parse_strace(const char *text, struct mcall *c)
{
	const char *p, *end, *start[MAX_MSGS], *stop[MAX_MSGS], *eq;
	int n = 0;

	for (p = text; *p && n < MAX_CALLS; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		eq = memmem(p, end - p, ") = ", 4);
		if (!eq || (strncmp(p, "sendmmsg(", 9) &&
			    strncmp(p, "recvmmsg(", 9)))
			continue;
		memset(&c[n], 0, sizeof(c[n]));
		memcpy(c[n].name, p, 8);
		c[n].ret = strtol(eq + 4, NULL, 10);
		c[n].vlen = strace_vlen(p, eq);
		c[n].nmsgs = split_msgs(p, eq, "{msg_hdr=", start, stop);
		for (int i = 0; i < c[n].nmsgs; i++) {
			c[n].port[i] = num_after(start[i], stop[i],
						    "htons(");
			c[n].len[i] = sum_after(start[i], stop[i], "iov_len=");
			c[n].msg_len[i] = num_after(start[i], stop[i],
						       "}, msg_len=");
		}
		n++;
	}
	return n;
}

/* Ours: the helper's JSON lines of the two calls. */
static int parse_ours(const char *text, struct mcall *c)
{
	const char *p, *end, *start[MAX_MSGS], *stop[MAX_MSGS];
	char name[16];
	int n = 0;

	for (p = text; *p && n < MAX_CALLS; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		if (!jis(p, end, "comm", "mmsg_calls") ||
		    !jfield(p, end, "name", name, sizeof(name)) ||
		    (strcmp(name, "sendmmsg") && strcmp(name, "recvmmsg")))
			continue;
		memset(&c[n], 0, sizeof(c[n]));
		strcpy(c[n].name, name);
		c[n].ret = jnum(p, end, "ret");
		c[n].vlen = jnum(p, end, "vlen");
		c[n].nmsgs = split_msgs(p, end, "{\"addr\":", start, stop);
		for (int i = 0; i < c[n].nmsgs; i++) {
			c[n].port[i] = num_after(start[i], stop[i],
						    "\"port\":");
			c[n].len[i] = num_after(start[i], stop[i],
						   "\"len\":");
			c[n].msg_len[i] = num_after(start[i], stop[i],
						       "\"msg_len\":");
		}
		n++;
	}
	return n;
}

FIXTURE(mmsg) {
	struct scratch tmp;	/* path[0]: strace's trace */
	char *out, *err;
};

FIXTURE_SETUP(mmsg)
{
	REQUIRE_E2E();
	if (access("/usr/bin/strace", X_OK))
		SKIP(return, "strace is not installed");
	ASSERT_EQ(0, netns_enter_fresh());
	ASSERT_EQ(0, scratch_make(&self->tmp));
}

FIXTURE_TEARDOWN(mmsg)
{
	free(self->out);
	free(self->err);
	scratch_remove(&self->tmp);
}

TEST_F_TIMEOUT(mmsg, messages_read_as_strace_reads_them, 60)
{
	struct mcall st[MAX_CALLS], ss[MAX_CALLS];
	char helper[4096], *text;
	char *opts[] = { "-j", "-e", "sendmmsg,recvmmsg", NULL };
	char *strace[] = { "-e", "trace=sendmmsg,recvmmsg", helper, NULL };
	int nst, nss;

	ASSERT_EQ(0, build_path(helper, sizeof(helper),
				"tests/helpers/mmsg_calls"));
	text = tracer_run_over_strace(opts, strace, self->tmp.path[0],
				      &self->out, &self->err);
	ASSERT_NE(NULL, text) {
		TH_LOG("%s", self->err ? self->err : "no strace trace");
	}
	nst = parse_strace(text, st);
	free(text);
	nss = parse_ours(self->out, ss);

	ASSERT_EQ(4, nst);
	ASSERT_EQ(nst, nss);
	/* What the helper did, as strace saw it. */
	EXPECT_EQ(3, st[0].nmsgs);
	EXPECT_EQ(0, st[2].nmsgs);	/* a failed recvmmsg: a pointer */
	EXPECT_EQ(10, st[3].nmsgs);
	EXPECT_EQ(-1, st[2].ret);
	for (int k = 0; k < nst; k++) {
		int kept = st[k].nmsgs < 8 ? st[k].nmsgs : 8;

		EXPECT_STREQ(st[k].name, ss[k].name);
		EXPECT_EQ(st[k].ret, ss[k].ret);
		EXPECT_EQ(st[k].vlen, ss[k].vlen);
		EXPECT_EQ(kept, ss[k].nmsgs);
		for (int i = 0; i < kept && i < ss[k].nmsgs; i++) {
			EXPECT_EQ(st[k].port[i], ss[k].port[i]) {
				TH_LOG("call %d, message %d", k, i);
			}
			EXPECT_EQ(st[k].len[i], ss[k].len[i]);
			EXPECT_EQ(st[k].msg_len[i], ss[k].msg_len[i]);
		}
	}
	EXPECT_EQ(1, count_of(self->out, "\"errno\":\"EAGAIN\""));
	EXPECT_EQ(1, count_of(self->out, "\"timeout\":{\"tv_sec\":1,\"tv_nsec\":0}"));
	EXPECT_EQ(1, count_of(self->out, "\"note\":\"10 datagrams (10 bytes) sent in one call: each is what one sendmsg() would send, batched to save system calls\""));
}

TEST_F_TIMEOUT(mmsg, sockets_table_counts_every_message, 60)
{
	char helper[4096];
	char *opts[] = { NULL };
	char *cmd[] = { helper, NULL };

	ASSERT_EQ(0, build_path(helper, sizeof(helper),
				"tests/helpers/mmsg_calls"));
	ASSERT_EQ(0, tracer_run(opts, cmd, &self->out, &self->err));
	/* Sent: 3 + 4 + 5, then ten of 1 byte; received: 3 + 4 + 5. */
	EXPECT_EQ(1, count_of(self->err, "      22        0 ")) {
		TH_LOG("%s", self->err);
	}
	EXPECT_EQ(1, count_of(self->err, "       0       12 "));
}

TEST_HARNESS_MAIN
