// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * sockscope lab end to end: each experiment's verdict checked against the
 * trace it came with and the namespaces' counters; the BPF impairment
 * repeatable for a seed; nothing left behind after success, failure and
 * SIGINT; bad input refused. Needs root and BTF.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "harness.h"
#include "lib/files.h"
#include "lib/json_fields.h"
#include "lib/paths.h"
#include "lib/fmt.h"
#include "lib/proc.h"
#include "lib/require.h"
#include "lib/trace_text.h"
#include "lib/tracer_run.h"

/*
 * What a lab left behind is checked for the test's own labs only: other
 * labs may run on the machine at the same time (another suite, a user),
 * and their namespaces are theirs. A test's labs are those whose names
 * its run printed ("namespace sockscope-lab-XXXXXX-snd"), else those that
 * were not there when it began (lab_mark()).
 */
static char lab_before[8192];		/* names at lab_mark(), one a line */
static char lab_printed[512];		/* " sockscope-lab-XXXXXX" each */

/* What sh -c SCRIPT prints (malloc'd). */
static char *shell_output(const char *script)
{
	char *out = NULL;
	struct proc p = {};
	char *argv[] = { "sh", "-c", (char *)script, NULL };

	if (proc_spawn(&p, argv))
		return strdup("cannot run sh\n");
	proc_close_stdin(&p);
	proc_read_all(&p, &out, 10000);
	proc_wait(&p, 10000);
	proc_cleanup(&p);
	return out ? out : strdup("");
}

/* The lab namespaces there are now, one a line ("" when none). */
static char *lab_namespaces(void)
{
	return shell_output("ip netns list | awk '/^sockscope-lab-/ {print $1}'; true");
}

/* A test's labs start here: what is there now is not theirs. */
static void lab_mark(void)
{
	char *now = lab_namespaces();

	snprintf(lab_before, sizeof(lab_before), "%s", now);
	lab_printed[0] = '\0';
	free(now);
}

/* The labs a run's output names (the text's header, the JSON object's
 * "namespaces"), as their common prefix. */
static void lab_note_printed(const char *out)
{
	const char *p = out;
	size_t used;

	while (p && (p = strstr(p, "sockscope-lab-"))) {
		used = strlen(lab_printed);
		if (!memmem(lab_printed, used, p, 20) &&
		    used + 22 < sizeof(lab_printed))
			snprintf(lab_printed + used, sizeof(lab_printed) - used,
				 " %.20s", p);
		p += 20;
	}
}

static bool contains(const char *from, const char *to, const char *s)
{
	return memmem(from, to - from, s, strlen(s)) != NULL;
}

/* The test's own lab namespaces that are still there: "" when none. */
static char *lab_leftovers(void)
{
	char *now = lab_namespaces(), *left = calloc(1, strlen(now) + 1);
	char *line, *save = NULL;

	for (line = strtok_r(now, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		bool ours = lab_printed[0] ?
			    memmem(lab_printed, strlen(lab_printed), line,
				   20) != NULL :
			    !strstr(lab_before, line);

		if (ours) {
			strcat(left, line);
			strcat(left, "\n");
		}
	}
	free(now);
	return left;
}

/* A lab's links live in its namespaces: none may be here. */
static char *lab_links_here(void)
{
	return shell_output("ip -o link show | grep -e veth-snd -e veth-rcv; true");
}

#define ASSERT_NOTHING_LEFT() do {					\
	char *left_ = lab_leftovers(), *links_ = lab_links_here();	\
	EXPECT_STREQ("", left_);					\
	EXPECT_STREQ("", links_);					\
	free(left_);							\
	free(links_);							\
} while (0)
struct lab_run {
	int status;
	char *out, *err;
	const char *obj, *obj_end;	/* the "kind":"lab" line */
};

static void lab_run(struct lab_run *r, char *const args[])
{
	char *argv[16] = { "lab" };
	int n = 1;

	for (int i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	memset(r, 0, sizeof(*r));
	lab_mark();
	r->status = tracer_run(argv, NULL, &r->out, &r->err);
	lab_note_printed(r->out);
	lab_note_printed(r->err);
	r->obj = r->out ? strstr(r->out, "{\"kind\":\"lab\"") : NULL;
	if (r->obj)
		r->obj_end = r->obj + strcspn(r->obj, "\n");
	if (r->status || !r->obj)
		TH_LOG("sockscope lab exited %d:\n%s\n%s", r->status,
		       r->out ? r->out : "", r->err ? r->err : "");
}

static void lab_free(struct lab_run *r)
{
	free(r->out);
	free(r->err);
}

/* A number inside the object "section" of the lab object: "udp", "tcp",
 * "kernel", "counters", "impairment". -1 if absent. */
static long num(const struct lab_run *r, const char *section,
		const char *key)
{
	char pat[64];
	const char *s, *end;

	snprintf(pat, sizeof(pat), "\"%s\":{", section);
	s = r->obj ? memmem(r->obj, r->obj_end - r->obj, pat, strlen(pat)) :
		     NULL;
	if (!s)
		return -1;
	end = strchr(s + strlen(pat), '}');
	return jnum(s, end ? end : r->obj_end, key);
}

static bool shown(const struct lab_run *r)
{
	return r->obj && jis(r->obj, r->obj_end, "shown", "true");
}

/* Run the lab; it must succeed, give its object and show its point. */
static void lab_run_shown(struct lab_run *r, char *const args[])
{
	lab_run(r, args);
	ASSERT_EQ(0, r->status);
	ASSERT_NE(NULL, r->obj);
	EXPECT_TRUE(shown(r));
}

/* The JSON trace lines with this kind and, if not NULL, this errno. */
static int trace_count(const struct lab_run *r, const char *kind,
		       const char *name, const char *err)
{
	int n = 0;

	for (const char *p = r->out; p && *p; p += strcspn(p, "\n"),
	     p += *p == '\n') {
		const char *end = p + strcspn(p, "\n");

		if (!jis(p, end, "kind", kind))
			continue;
		if (name && !jis(p, end, "name", name))
			continue;
		if (err && !jis(p, end, "errno", err))
			continue;
		n++;
	}
	return n;
}

TEST_TIMEOUT(connection_shows_handshake_refusal_and_no_udp_state, 60)
{
	char *args[] = { "connection", "-j", NULL };
	struct lab_run r;

	REQUIRE_E2E();
	lab_run_shown(&r, args);
	EXPECT_TRUE(jis(r.obj, r.obj_end, "tcp_refused", "true"));
	EXPECT_TRUE(jis(r.obj, r.obj_end, "udp_send_ok", "true"));
	EXPECT_TRUE(jis(r.obj, r.obj_end, "udp_refused_later", "true"));
	EXPECT_TRUE(jis(r.obj, r.obj_end, "method", "none"));
	/* The refused connect and the later receive, in the trace. */
	EXPECT_EQ(1, trace_count(&r, "syscall", "connect", "ECONNREFUSED"));
	EXPECT_EQ(1, trace_count(&r, "syscall", "recvfrom", "ECONNREFUSED"));
	EXPECT_EQ(3, num(&r, "udp", "sent"));
	EXPECT_EQ(3, num(&r, "udp", "received"));
	EXPECT_EQ(3, num(&r, "tcp", "sent"));
	EXPECT_EQ(3, num(&r, "tcp", "received"));
	/* Sender: CLOSE SYN_SENT ESTABLISHED FIN_WAIT1 FIN_WAIT2 CLOSE;
	 * listener: CLOSE LISTEN CLOSE; accepted: LISTEN SYN_RECV
	 * ESTABLISHED CLOSE_WAIT LAST_ACK CLOSE. */
	EXPECT_EQ(12, num(&r, "kernel", "tcp_states"));
	EXPECT_EQ(0, num(&r, "kernel", "udp_states"));
	EXPECT_LE(1, num(&r, "kernel", "tcp_resets"));
	EXPECT_EQ(1, num(&r, "counters", "TcpOutRsts"));
	EXPECT_EQ(2, num(&r, "counters", "TcpActiveOpens"));
	EXPECT_EQ(1, num(&r, "counters", "TcpPassiveOpens"));
	EXPECT_LE(1, num(&r, "counters", "IcmpOutDestUnreachs"));
	/* Where it ran: the two namespaces, one name but for the side. */
	EXPECT_TRUE(contains(r.obj, r.obj_end,
			     "\"namespaces\":{\"sender\":\"sockscope-lab-"));
	EXPECT_STREQ(lab_printed + 21, "");
	lab_free(&r);
	ASSERT_NOTHING_LEFT();
}

TEST_TIMEOUT(loss_udp_misses_tcp_resends, 60)
{
	char *args[] = { "loss", "-j", "--seed", "1", "--rate", "25", NULL };
	struct lab_run r;
	long sent, rtx;

	REQUIRE_E2E();
	lab_run_shown(&r, args);
	EXPECT_TRUE(jis(r.obj, r.obj_end, "method", "bpf")
		    || jis(r.obj, r.obj_end, "method", "netem"));
	sent = num(&r, "udp", "sent");
	EXPECT_EQ(20, sent);
	EXPECT_LT(0, num(&r, "udp", "missing"));
	EXPECT_EQ(sent - num(&r, "udp", "missing"), num(&r, "udp", "received"));
	EXPECT_EQ(20, num(&r, "tcp", "received"));
	EXPECT_EQ(0, num(&r, "tcp", "missing"));
	EXPECT_EQ(0, num(&r, "tcp", "out_of_order"));
	EXPECT_EQ(0, num(&r, "tcp", "duplicates"));
	rtx = num(&r, "kernel", "tcp_retransmits");
	EXPECT_LT(0, rtx);
	/* Every retransmit event of the trace is the sender's, counted. */
	EXPECT_EQ(rtx, trace_count(&r, "tcp_retransmit", NULL, NULL));
	EXPECT_LE(rtx, num(&r, "counters", "TcpRetransSegs"));
	lab_free(&r);
	ASSERT_NOTHING_LEFT();
}

/* The same seed picks the same packets; another seed others. */
TEST_TIMEOUT(impairment_is_repeatable_for_a_seed, 90)
{
	char *one[] = { "loss", "-j", "--seed", "7", "--rate", "30", NULL };
	char *other[] = { "loss", "-j", "--seed", "8", "--rate", "30", NULL };
	char first[256] = "", again[256] = "", third[256] = "";
	struct lab_run r;

	REQUIRE_E2E();
	lab_run(&r, one);
	ASSERT_NE(NULL, r.obj);
	if (!jis(r.obj, r.obj_end, "method", "bpf")) {
		lab_free(&r);
		SKIP(return, "netem's choice is not seeded");
	}
	jfield(strstr(r.obj, "\"udp\":"), r.obj_end, "missing_first", first,
	       sizeof(first));
	lab_free(&r);
	lab_run(&r, one);
	ASSERT_NE(NULL, r.obj);
	jfield(strstr(r.obj, "\"udp\":"), r.obj_end, "missing_first", again,
	       sizeof(again));
	lab_free(&r);
	lab_run(&r, other);
	ASSERT_NE(NULL, r.obj);
	jfield(strstr(r.obj, "\"udp\":"), r.obj_end, "missing_first", third,
	       sizeof(third));
	lab_free(&r);
	EXPECT_STRNE("[]", first);
	EXPECT_STREQ(first, again);
	EXPECT_STRNE(first, third);
	ASSERT_NOTHING_LEFT();
}

TEST_TIMEOUT(duplicate_udp_twice_tcp_once, 60)
{
	char *args[] = { "duplicate", "-j", NULL };
	struct lab_run r;

	REQUIRE_E2E();
	lab_run_shown(&r, args);
	EXPECT_LT(0, num(&r, "udp", "duplicates"));
	EXPECT_EQ(0, num(&r, "udp", "missing"));
	EXPECT_EQ(num(&r, "udp", "sent") + num(&r, "udp", "duplicates"),
		  num(&r, "udp", "received"));
	EXPECT_EQ(20, num(&r, "tcp", "received"));
	EXPECT_EQ(0, num(&r, "tcp", "duplicates"));
	EXPECT_LT(0, num(&r, "counters", "TcpExtTCPDSACKOldSent"));
	lab_free(&r);
	ASSERT_NOTHING_LEFT();
}

TEST_TIMEOUT(corrupt_checksums_drop_tcp_resends, 60)
{
	char *args[] = { "corrupt", "-j", NULL };
	struct lab_run r;

	REQUIRE_E2E();
	lab_run_shown(&r, args);
	EXPECT_LT(0, num(&r, "udp", "missing"));
	/* Every damaged datagram was caught by the checksum: none reached
	 * the program damaged, each missing one is a checksum error. */
	EXPECT_EQ(0, num(&r, "udp", "damaged"));
	EXPECT_EQ(num(&r, "udp", "missing"),
		  num(&r, "counters", "UdpInCsumErrors"));
	EXPECT_EQ(20, num(&r, "tcp", "received"));
	EXPECT_EQ(0, num(&r, "tcp", "damaged"));
	EXPECT_LT(0, num(&r, "counters", "TcpInCsumErrors"));
	EXPECT_LT(0, num(&r, "kernel", "tcp_retransmits"));
	lab_free(&r);
	ASSERT_NOTHING_LEFT();
}

TEST_TIMEOUT(order_udp_out_of_order_tcp_in_order, 60)
{
	char *args[] = { "order", "-j", NULL };
	struct lab_run r;

	REQUIRE_E2E();
	lab_run_shown(&r, args);
	EXPECT_LT(0, num(&r, "udp", "out_of_order"));
	EXPECT_EQ(0, num(&r, "udp", "missing"));
	EXPECT_EQ(20, num(&r, "tcp", "received"));
	EXPECT_EQ(0, num(&r, "tcp", "out_of_order"));
	EXPECT_LT(0, num(&r, "counters", "TcpExtTCPOFOQueue"));
	lab_free(&r);
	ASSERT_NOTHING_LEFT();
}

TEST_TIMEOUT(flow_udp_drops_tcp_sender_waits, 60)
{
	char *args[] = { "flow", "-j", NULL };
	struct lab_run r;

	REQUIRE_E2E();
	lab_run_shown(&r, args);
	EXPECT_EQ(100, num(&r, "udp", "sent"));
	EXPECT_LT(0, num(&r, "udp", "missing"));
	/* Each datagram missing was dropped at the full receive buffer,
	 * and each drop is an event of the trace. */
	EXPECT_EQ(num(&r, "udp", "missing"),
		  num(&r, "counters", "UdpRcvbufErrors"));
	EXPECT_EQ(num(&r, "udp", "missing"), num(&r, "kernel", "udp_drops"));
	EXPECT_EQ(num(&r, "kernel", "udp_drops"),
		  trace_count(&r, "udp_drop", NULL, NULL));
	EXPECT_EQ(100, num(&r, "tcp", "received"));
	EXPECT_LT(0, num(&r, "tcp", "waits"));
	EXPECT_EQ(num(&r, "tcp", "waits"),
		  trace_count(&r, "syscall", "sendto", "EAGAIN"));
	/* The verdict states only what the counters show: the window's
	 * close with its count when there was one, the waits' count. */
	{
		long zero = num(&r, "counters", "TcpExtTCPToZeroWindowAdv");
		char want[96];

		snprintf(want, sizeof(want), "(TcpExtTCPToZeroWindowAdv +%ld)",
			 zero);
		EXPECT_EQ(zero > 0, strstr(r.out, want) != NULL);
		EXPECT_EQ(zero == 0,
			  strstr(r.out, "TcpExtTCPToZeroWindowAdv +") == NULL);
		snprintf(want, sizeof(want), "waited (times: %ld)",
			 num(&r, "tcp", "waits"));
		EXPECT_NE(NULL, strstr(r.out, want)) {
			TH_LOG("%s", r.out);
		}
	}
	lab_free(&r);
	ASSERT_NOTHING_LEFT();
}

/* The sentence is in the object's "showed" (or "not_shown") list. */
static bool said(const struct lab_run *r, const char *list,
		 const char *sentence)
{
	char pat[1024];
	const char *s;

	snprintf(pat, sizeof(pat), "\"%s\":[", list);
	s = r->obj ? memmem(r->obj, r->obj_end - r->obj, pat, strlen(pat)) :
		     NULL;
	snprintf(pat, sizeof(pat), "\"%s\"", sentence);
	if (s && memmem(s, strcspn(s, "]"), pat, strlen(pat)))
		return true;
	TH_LOG("no %s in %s:\n%.*s", pat, list,
	       r->obj ? (int)(r->obj_end - r->obj) : 0, r->obj ? r->obj : "");
	return false;
}

/*
 * Row 134: TCP's delivery sentence. With loss, the receiver got 20 of 20,
 * in order, none twice or damaged; the retransmissions it names are the
 * sender's kernel's (TcpRetransSegs) and the trace's events.
 */
TEST_TIMEOUT(loss_tcp_delivered_all_resending_what_the_kernel_did, 60)
{
	char *args[] = { "loss", "-j", "--seed", "1", "--rate", "25", NULL };
	char sentence[256];
	struct lab_run r;
	long rtx;

	REQUIRE_E2E();
	lab_run_shown(&r, args);
	EXPECT_EQ(20, num(&r, "tcp", "sent"));
	EXPECT_EQ(20, num(&r, "tcp", "received"));
	EXPECT_EQ(0, num(&r, "tcp", "missing"));
	EXPECT_EQ(0, num(&r, "tcp", "out_of_order"));
	EXPECT_EQ(0, num(&r, "tcp", "duplicates"));
	EXPECT_EQ(0, num(&r, "tcp", "damaged"));
	rtx = num(&r, "kernel", "tcp_retransmits");
	EXPECT_LT(0, rtx);
	EXPECT_EQ(num(&r, "counters", "TcpRetransSegs"), rtx);
	EXPECT_EQ(rtx, trace_count(&r, "tcp_retransmit", NULL, NULL));
	snprintf(sentence, sizeof(sentence),
		 "TCP delivered 20 of 20 messages, in order, each once and intact, resending what was lost (retransmissions: %ld).",
		 rtx);
	EXPECT_TRUE(said(&r, "showed", sentence));
	lab_free(&r);
	ASSERT_NOTHING_LEFT();
}

/* Whether a JSON line is pid's call of name. */
static bool call_of(const char *p, const char *end, long pid,
		    const char *name)
{
	return jis(p, end, "kind", "syscall") && jis(p, end, "name", name) &&
	       jnum(p, end, "pid") == pid;
}

/* The first ts_ns of pid's calls of name, or the last; -1 if none. */
static long long call_ts(const struct lab_run *r, long pid, const char *name,
			 bool last)
{
	long long ts = -1;
	char buf[32];

	for_each_line(p, end, r->out ? r->out : "") {
		if (!call_of(p, end, pid, name) ||
		    !jfield(p, end, "ts_ns", buf, sizeof(buf)))
			continue;
		ts = atoll(buf);
		if (!last)
			break;
	}
	return ts;
}

/* pid's calls of name that returned ret, and those that failed. */
static void call_returns(const struct lab_run *r, long pid, const char *name,
			 long ret, int *n, int *failed)
{
	*n = *failed = 0;
	for_each_line(p, end, r->out ? r->out : "") {
		if (!call_of(p, end, pid, name))
			continue;
		*n += jnum(p, end, "ret") == ret;
		*failed += jnum(p, end, "ret") < 0 ||
			   memmem(p, end - p, "\"errno\"", 7) != NULL;
	}
}

/* The pid of the first JSON line of this kind (and comm), or -1. */
static long first_pid(const struct lab_run *r, const char *kind,
		      const char *comm)
{
	for_each_line(p, end, r->out ? r->out : "") {
		if (jis(p, end, "kind", kind) &&
		    (!comm || jis(p, end, "comm", comm)))
			return jnum(p, end, "pid");
	}
	return -1;
}

/*
 * Row 140: UDP's sender never waited. Its 100 sendto() calls all
 * returned the 1000 bytes at once, none failed (no EAGAIN), and the last
 * returned before the sleeping receiver's first recvfrom(); the drops
 * named are the trace's udp_drop events and the receiver's kernel's
 * UdpRcvbufErrors, one per missing datagram.
 */
TEST_TIMEOUT(flow_udp_sender_never_waited, 60)
{
	char *args[] = { "flow", "-j", NULL };
	long sender, receiver, missing, drops;
	char sentence[256];
	int sent, failed;
	struct lab_run r;

	REQUIRE_E2E();
	lab_run_shown(&r, args);
	/* UDP goes first: the first sender's sends are UDP's. */
	sender = first_pid(&r, "syscall", "lab_sender");
	receiver = first_pid(&r, "udp_drop", NULL);
	ASSERT_LT(0, sender);
	ASSERT_LT(0, receiver);
	call_returns(&r, sender, "sendto", 1000, &sent, &failed);
	EXPECT_EQ(100, sent);
	EXPECT_EQ(0, failed);
	EXPECT_GT(call_ts(&r, receiver, "recvfrom", false),
		  call_ts(&r, sender, "sendto", true));
	missing = num(&r, "udp", "missing");
	drops = num(&r, "kernel", "udp_drops");
	EXPECT_LT(0, missing);
	EXPECT_EQ(missing, drops);
	EXPECT_EQ(drops, num(&r, "counters", "UdpRcvbufErrors"));
	EXPECT_EQ(drops, trace_count(&r, "udp_drop", NULL, NULL));
	snprintf(sentence, sizeof(sentence),
		 "UDP's sender never waited: it sent 100 datagrams while the receiver slept, and the full receive buffer dropped %ld of them (%ld udp_drop events, UdpRcvbufErrors +%ld).",
		 missing, drops, drops);
	EXPECT_TRUE(said(&r, "showed", sentence));
	lab_free(&r);
	ASSERT_NOTHING_LEFT();
}

/*
 * Row 142: with --rate 0 the link impairs nothing, so no counter moves;
 * each experiment says so, naming the counter, and claims nothing.
 */
struct not_shown_case {
	const char *experiment;
	const char *counter;		/* in the "counters" object */
	const char *tcp_line;
	const char *udp_count;		/* in the "udp" object */
	const char *udp_line;
};

TEST_TIMEOUT(not_shown_when_the_counter_did_not_move, 60)
{
	/* Each UDP line with the count that must be 0 for it (row 142.1):
	 * the receiver's own tally of what the link did to its datagrams,
	 * and for corrupt also the kernel's UdpInCsumErrors. */
	static const struct not_shown_case cases[] = {
		{ "order", "TcpExtTCPOFOQueue",
		  "TCP's segments were not reordered this time (TcpExtTCPOFOQueue did not move), so its ordering was not put to the test.",
		  "out_of_order",
		  "UDP got its datagrams in order this time: the link reordered none of them; try a higher --rate or another --seed." },
		{ "loss", "TcpRetransSegs",
		  "TCP lost no segment this time, so it had nothing to resend; try a higher --rate or another --seed.",
		  "missing",
		  "UDP lost nothing this time; try a higher --rate or another --seed." },
		{ "duplicate", "TcpExtTCPDSACKOldSent",
		  "No TCP segment was duplicated this time (no D-SACK was sent), so TCP's discarding was not put to the test.",
		  "duplicates",
		  "The link duplicated no datagram this time; try a higher --rate or another --seed." },
		{ "corrupt", "TcpInCsumErrors",
		  "No TCP segment was damaged this time (TcpInCsumErrors did not move); try a higher --rate or another --seed.",
		  "missing",
		  "UDP's checksum caught nothing this time (0 checksum errors, 0 missing, 0 damaged); try a higher --rate or another --seed." },
	};

	REQUIRE_E2E();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *args[] = { (char *)cases[i].experiment, "-j", "--rate",
				 "0", NULL };
		struct lab_run r;

		lab_run(&r, args);
		ASSERT_EQ(0, r.status);
		ASSERT_NE(NULL, r.obj);
		EXPECT_FALSE(shown(&r));
		EXPECT_EQ(0, num(&r, "impairment", "impaired"));
		EXPECT_EQ(0, num(&r, "counters", cases[i].counter)) {
			TH_LOG("%s", cases[i].experiment);
		}
		EXPECT_EQ(20, num(&r, "tcp", "received"));
		EXPECT_TRUE(said(&r, "not_shown", cases[i].tcp_line));
		EXPECT_EQ(NULL, strstr(r.obj, "\"showed\":[\"TCP"));
		/* TCP's retransmissions, seen as tcp_retransmit events. */
		if (!strcmp(cases[i].experiment, "loss"))
			EXPECT_EQ(0, num(&r, "kernel", "tcp_retransmits"));
		EXPECT_EQ(0, num(&r, "udp", cases[i].udp_count)) {
			TH_LOG("%s", cases[i].experiment);
		}
		EXPECT_EQ(num(&r, "udp", "sent"), num(&r, "udp", "received"));
		if (!strcmp(cases[i].experiment, "corrupt")) {
			EXPECT_EQ(0, num(&r, "counters", "UdpInCsumErrors"));
			EXPECT_EQ(0, num(&r, "udp", "damaged"));
		}
		EXPECT_TRUE(said(&r, "not_shown", cases[i].udp_line));
		EXPECT_EQ(NULL, strstr(r.obj, "\"showed\":[\"UDP"));
		lab_free(&r);
	}
	ASSERT_NOTHING_LEFT();
}

/* The text a learner reads: the trace excerpt, what the programs printed,
 * the verdict in the article's words. The experiment's claim (row 124)
 * heads the verdict, and the kernel's counts under it show it: two TCP
 * connects (TcpActiveOpens +2, one refused), one accepted, TCP's state
 * changes and none for UDP. */
TEST_TIMEOUT(connection_text_verdict, 60)
{
	char *args[] = { "connection", NULL };
	struct lab_run r;

	REQUIRE_E2E();
	lab_run(&r, args);
	ASSERT_EQ(0, r.status);
	ASSERT_EQ(0, strncmp(r.out, "Lab 1. connection-oriented vs connectionless\n", 45));
	EXPECT_NE(NULL, strstr(r.out, "] connect(3, {AF_INET, 10.199.0.2:9999}, 16) = -1 ECONNREFUSED (Connection refused)\n"));
	EXPECT_NE(NULL, strstr(r.out, "  tcp-closed-port| lab_sender: connect: Connection refused\n"));
	EXPECT_NE(NULL, strstr(r.out, "\nVerdict, connection: TCP is connection-oriented; UDP is connectionless.\n  link: not impaired\n"));
	EXPECT_NE(NULL, strstr(r.out, "    UDP       3         3        0           0             0        0\n"));
	EXPECT_NE(NULL, strstr(r.out, "\n  kernel events in the trace: 0 tcp_retransmit, 1 tcp_reset, 0 udp_drop; 12 TCP state changes, 0 for UDP\n"));
	EXPECT_NE(NULL, strstr(r.out, "\n  counters (change during the run): TcpActiveOpens +2 (sender), TcpPassiveOpens +1 (receiver), TcpOutRsts +1 (receiver), IcmpOutDestUnreachs +1 (receiver), IcmpInDestUnreachs +1 (sender)\n")) {
		TH_LOG("%s", r.out);
	}
	EXPECT_NE(NULL, strstr(r.out, "\nWhat this run showed:\n  TCP is connection-oriented: connect() to a closed port failed at once with ECONNREFUSED (the receiver's kernel answered the SYN with a reset), and the chat's connection went through 12 state changes: the handshake before any data, the close after it.\n  UDP is connectionless: sendto() to the closed port succeeded, and only a later recvfrom() failed, with the ECONNREFUSED of the ICMP port unreachable that came back; its 3 datagrams went with no handshake and no state at all.\n"));
	EXPECT_EQ(NULL, strstr(r.out, "Not shown in this run"));
	/* No per-session summary in the lab's output. */
	EXPECT_EQ(NULL, strstr(r.err, "calls,"));
	lab_free(&r);
	ASSERT_NOTHING_LEFT();
}

TEST_TIMEOUT(saved_lab_trace_replays, 60)
{
	struct scratch s;
	char path[4096], *out = NULL, *err = NULL;
	char *args[] = { "connection", "--save", path, NULL };
	char *replay[] = { "replay", path, NULL };
	struct lab_run r;

	REQUIRE_E2E();
	ASSERT_EQ(0, scratch_make(&s));
	snprintf(path, sizeof(path), "%s/lab.jsonl", s.dir);
	lab_run(&r, args);
	EXPECT_EQ(0, r.status);
	lab_free(&r);
	EXPECT_EQ(0, tracer_run(replay, NULL, &out, &err));
	EXPECT_NE(NULL, out ? strstr(out, "] connect(3, {AF_INET, 10.199.0.2:9999}, 16) = -1 ECONNREFUSED (Connection refused)\n") : NULL);
	free(out);
	free(err);
	scratch_remove(&s);
	ASSERT_NOTHING_LEFT();
}

TEST_TIMEOUT(keep_leaves_the_namespaces_and_says_how_to_enter, 60)
{
	char *args[] = { "connection", "-k", NULL };
	char *left, ns[64] = "";
	struct lab_run r;
	const char *p;

	REQUIRE_E2E();
	lab_run(&r, args);
	ASSERT_EQ(0, r.status);
	p = strstr(r.out, "  sudo ip netns exec sockscope-lab-");
	ASSERT_NE(NULL, p);
	sscanf(p, "  sudo ip netns exec %63s", ns);
	left = lab_leftovers();
	EXPECT_EQ(2, count_of(left, "sockscope-lab-"));
	EXPECT_NE(NULL, strstr(left, ns));
	free(left);
	/* Its own two, not another lab's that may be running. */
	ASSERT_EQ(0, system(FMT("ip netns delete %.20s-snd; ip netns delete %.20s-rcv",
				ns, ns)));
	lab_free(&r);
	ASSERT_NOTHING_LEFT();
}

/* Ctrl-C in the middle: stopped, and everything removed. */
TEST_TIMEOUT(sigint_removes_everything, 60)
{
	char *opts[] = { "lab", "all", NULL };
	struct proc p = {};
	char line[512], *err = NULL, *out = NULL;
	int status;

	REQUIRE_E2E();
	lab_mark();
	ASSERT_EQ(0, tracer_spawn(&p, opts, NULL));
	proc_close_stdin(&p);
	ASSERT_LT(0, proc_read_line(&p, line, sizeof(line), 20000));
	EXPECT_EQ(0, strncmp(line, "Lab 1.", 6));
	/* The header names its namespaces: only those are the test's own
	 * (another lab may be running beside it). */
	while (!strstr(line, "Sender: namespace "))
		ASSERT_LE(0, proc_read_line(&p, line, sizeof(line), 20000));
	lab_note_printed(line);
	usleep(200 * 1000);
	proc_kill(&p, SIGINT);
	status = proc_wait(&p, 30000);
	/* And those of any experiment it went on to. */
	proc_read_all(&p, &out, 1000);
	lab_note_printed(out);
	free(out);
	proc_read_all_err(&p, &err, 1000);
	EXPECT_EQ(130, status);
	EXPECT_NE(NULL, err ? strstr(err, "sockscope: lab interrupted; its namespaces are removed\n") : NULL);
	free(err);
	proc_cleanup(&p);
	ASSERT_NOTHING_LEFT();
}

/* Run "sockscope lab ARGS" by the shell with PATH=path_dirs; stderr
 * into *err. Returns the exit status. */
static int lab_with_path(const char *path_dirs, const char *args,
			 const struct scratch *s, char **err)
{
	char exe[4096], cmd[16384], errpath[4200];
	int status;

	build_path(exe, sizeof(exe), "sockscope");
	snprintf(cmd, sizeof(cmd), "PATH=%s %s lab %s > %s/out 2> %s/err",
		 path_dirs, exe, args, s->dir, s->dir);
	status = system(cmd);
	snprintf(errpath, sizeof(errpath), "%s/err", s->dir);
	*err = slurp(errpath);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A step that fails after the namespaces exist: one line, exit 1, and
 * the namespaces go. Here tc fails (a stand-in on PATH). */
TEST_TIMEOUT(failed_step_removes_everything, 60)
{
	struct scratch s;
	char tc[4096], dirs[8192], netns[4200], *err = NULL, *in;

	REQUIRE_E2E();
	lab_mark();
	ASSERT_EQ(0, scratch_make(&s));
	snprintf(tc, sizeof(tc), "%s/tc", s.dir);
	snprintf(netns, sizeof(netns), "%s/netns", s.dir);
	/* It runs in the lab's namespace, and says which: the test's own
	 * (another lab may be running beside it). */
	ASSERT_EQ(0, spill(tc, FMT("#!/bin/sh\n[ \"$1\" = -V ] && exit 0\nip netns identify >> %s\necho 'RTNETLINK answers: Operation not permitted' >&2\nexit 2\n",
				   netns)));
	ASSERT_EQ(0, chmod(tc, 0755));
	snprintf(dirs, sizeof(dirs), "%s:%s", s.dir, getenv("PATH"));
	EXPECT_EQ(1, lab_with_path(dirs, "order", &s, &err));
	EXPECT_EQ(1, count_of(err, "\n"));
	EXPECT_EQ(0, strncmp(err ? err : "", "sockscope: lab: ", 16));
	EXPECT_NE(NULL, err ? strstr(err, "Operation not permitted") : NULL);
	free(err);
	in = slurp(netns);
	ASSERT_NE(NULL, in);
	EXPECT_EQ(0, strncmp(in, "sockscope-lab-", 14));
	lab_note_printed(in);
	free(in);
	scratch_remove(&s);
	ASSERT_NOTHING_LEFT();
}

TEST_TIMEOUT(missing_iproute2_is_said_plainly, 30)
{
	struct scratch s;
	char *err = NULL;

	REQUIRE_E2E();
	ASSERT_EQ(0, scratch_make(&s));
	EXPECT_EQ(1, lab_with_path("/nonexistent", "loss", &s, &err));
	EXPECT_STREQ("sockscope: the lab needs iproute2's ip and tc; try: sudo apt-get install iproute2\n",
		     err);
	free(err);
	scratch_remove(&s);
	/* Nothing to look for: "ip netns add" makes a lab's namespaces, and
	 * there is no ip on its PATH. */
}

TEST_TIMEOUT(not_root_is_refused, 30)
{
	char cmd[8192];

	REQUIRE_E2E();
	if (system("command -v setpriv >/dev/null"))
		SKIP(return, "setpriv is missing");
	strcpy(cmd, "setpriv --reuid=65534 --regid=65534 --clear-groups ");
	build_path(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), "sockscope");
	strcat(cmd, " lab 2>&1 | grep -qx \"sockscope: the lab needs root: it makes network namespaces and loads BPF programs; try: sudo sockscope lab\"");
	EXPECT_EQ(0, system(cmd));
}

/* Whether this kernel has netem: added in a fresh namespace of our own. */
static bool kernel_has_netem(void)
{
	return system("ip netns add sockscope-lab-probe-netem && "
		      "ip netns exec sockscope-lab-probe-netem tc qdisc add dev lo root netem delay 0ms >/dev/null 2>&1; "
		      "r=$?; ip netns delete sockscope-lab-probe-netem; exit $r") == 0;
}

/* With netem, auto uses it; without, the BPF program, and says why. */
TEST_TIMEOUT(auto_chooses_netem_or_says_there_is_none, 60)
{
	char *args[] = { "loss", NULL };
	struct lab_run r;
	bool netem;

	REQUIRE_E2E();
	netem = kernel_has_netem();
	lab_run(&r, args);
	ASSERT_EQ(0, r.status);
	if (netem)
		EXPECT_NE(NULL, strstr(r.out, "\nImpairment: netem on veth-snd, 25% of packets.\n"));
	else
		EXPECT_NE(NULL, strstr(r.out, "\nImpairment: tc BPF, 25% of the data packets to port 9000, seed 1 (this kernel has no netem).\n"));
	lab_free(&r);
	ASSERT_NOTHING_LEFT();
}

/* Where the kernel has netem (ordinary Debian kernels do), the lab shows
 * loss with it as with our BPF program. */
TEST_TIMEOUT(netem_shows_loss_where_the_kernel_has_it, 60)
{
	char *args[] = { "loss", "-j", "--method", "netem", "--rate", "30",
			 NULL };
	struct lab_run r;

	REQUIRE_E2E();
	if (!kernel_has_netem())
		SKIP(return, "this kernel has no netem (sch_netem)");
	lab_run(&r, args);
	ASSERT_EQ(0, r.status);
	ASSERT_NE(NULL, r.obj);
	EXPECT_TRUE(jis(r.obj, r.obj_end, "method", "netem"));
	EXPECT_EQ(20, num(&r, "tcp", "received"));
	EXPECT_LT(0, num(&r, "kernel", "tcp_retransmits"));
	lab_free(&r);
	ASSERT_NOTHING_LEFT();
}

/* Asked for netem where there is none: one line, exit 1, nothing left. */
TEST_TIMEOUT(netem_asked_for_where_there_is_none, 60)
{
	char *args[] = { "loss", "--method", "netem", NULL };
	struct lab_run r;

	REQUIRE_E2E();
	if (kernel_has_netem())
		SKIP(return, "this kernel has netem");
	lab_run(&r, args);
	EXPECT_EQ(1, r.status);
	EXPECT_EQ(1, count_of(r.err, "\n"));
	EXPECT_EQ(0, strncmp(r.err, "sockscope: lab: netem refused the impairment (", 46));
	EXPECT_NE(NULL, strstr(r.err, "; try: --method bpf\n"));
	lab_free(&r);
	ASSERT_NOTHING_LEFT();
}

struct bad_case {
	char *args[6];
	const char *first_line;
};

TEST(bad_input_gets_a_usage_line_and_exit_2)
{
	static const struct bad_case cases[] = {
		{ { "bogus" }, "sockscope: no experiment 'bogus'" },
		{ { "loss", "--rate", "101" },
		  "sockscope: --rate takes a percentage from 0 to 100, not '101'" },
		{ { "loss", "--rate" },
		  "sockscope: --rate takes a percentage from 0 to 100, not ''" },
		{ { "loss", "--seed", "x1" },
		  "sockscope: --seed takes a number from 0 to 4294967295, not 'x1'" },
		{ { "--save", "/tmp/x" },
		  "sockscope: --save takes one experiment, not all" },
		{ { "loss", "--method", "magic" },
		  "sockscope: --method takes auto, netem or bpf, not 'magic'" },
		{ { "loss", "--diagram", "-j" },
		  "sockscope: --diagram draws for a terminal, -j writes JSON: use one, or --save the trace and run 'sockscope diagram FILE'" },
		{ { "loss", "--frobnicate" },
		  "sockscope: unknown option '--frobnicate'" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[8] = { "lab" }, *out = NULL, *err = NULL;
		int n = 1;

		for (int k = 0; cases[i].args[k]; k++)
			argv[n++] = cases[i].args[k];
		EXPECT_EQ(2, tracer_run(argv, NULL, &out, &err));
		if (strncmp(err ? err : "", cases[i].first_line,
			    strlen(cases[i].first_line)))
			TH_LOG("case %zu: %s", i, err ? err : "(none)");
		EXPECT_EQ(0, strncmp(err ? err : "", cases[i].first_line,
				     strlen(cases[i].first_line)));
		EXPECT_NE(NULL, err ? strstr(err, "\nusage: sockscope lab ") : NULL);
		EXPECT_STREQ("", out ? out : "");
		free(out);
		free(err);
	}
}

TEST_HARNESS_MAIN
