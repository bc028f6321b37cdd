// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The lab's six experiments: for each, the programs it runs and the
 * verdict it may draw, from the deliveries, the trace and the counters of
 * that very run. A difference the run did not show is said to be not
 * shown, never claimed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <limits.h>

#include "lab.h"
#include "lesson.h"

#define MESSAGES	20
#define FLOW_MESSAGES	100
#define FLOW_SIZE	1000
#define FLOW_RCVBUF	"4096"
#define FLOW_PAUSE_MS	"400"

/* Runner steps, built into argv with their strings in a store. */
struct steps {
	char **argv;
	int n, max;
	char *store;
	size_t used, len;
	const struct labnet *net;
	char sender[PATH_MAX], receiver[PATH_MAX];
};

static void arg(struct steps *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void arg(struct steps *s, const char *fmt, ...)
{
	va_list ap;
	int len;

	if (s->n + 1 >= s->max || s->used >= s->len) {
		s->n = -1;
		return;
	}
	if (s->n < 0)
		return;
	va_start(ap, fmt);
	len = vsnprintf(s->store + s->used, s->len - s->used, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= s->len - s->used) {
		s->n = -1;
		return;
	}
	s->argv[s->n++] = s->store + s->used;
	s->argv[s->n] = NULL;
	s->used += (size_t)len + 1;
}

static void steps_init(struct steps *s, const struct labnet *n, char **argv,
		       int max, char *store, size_t len)
{
	memset(s, 0, sizeof(*s));
	s->argv = argv;
	s->max = max;
	s->store = store;
	s->len = len;
	s->net = n;
	example_program_path(s->sender, sizeof(s->sender), "lab_sender",
			     false);
	example_program_path(s->receiver, sizeof(s->receiver),
			     "lab_receiver", false);
}

/* Each space-separated word of extra (may be NULL) as an argument. */
static void words(struct steps *s, const char *extra)
{
	for (const char *p = extra; p && *p; p += strcspn(p, " "),
	     p += *p == ' ')
		arg(s, "%.*s", (int)strcspn(p, " "), p);
}

/* A receiver in the receiver's namespace, started in the background. */
static void receiver(struct steps *s, const char *proto, const char *extra)
{
	arg(s, "--step");
	arg(s, "%s-receiver", proto);
	arg(s, "%s", s->net->ns[LAB_RECEIVER]);
	arg(s, "bg");
	arg(s, "%s", s->receiver);
	arg(s, "%s", proto);
	arg(s, "--port");
	arg(s, "%d", LAB_PORT);
	words(s, extra);
}

/* A sender in the sender's namespace, run to its end. */
static void sender(struct steps *s, const char *label, const char *proto,
		   int port, const char *extra)
{
	arg(s, "--step");
	arg(s, "%s", label);
	arg(s, "%s", s->net->ns[LAB_SENDER]);
	arg(s, "fg");
	arg(s, "%s", s->sender);
	arg(s, "%s", proto);
	arg(s, "--to");
	arg(s, "%s", s->net->addr[LAB_RECEIVER]);
	arg(s, "--port");
	arg(s, "%d", port);
	words(s, extra);
}

static int steps_connection(const struct lab_experiment *x,
			    const struct labnet *n, char **argv, int max,
			    char *store, size_t len)
{
	struct steps s;

	steps_init(&s, n, argv, max, store, len);
	sender(&s, "tcp-closed-port", "tcp", LAB_CLOSED_PORT, "--count 1");
	sender(&s, "udp-closed-port", "udp", LAB_CLOSED_PORT,
	       "--count 1 --expect-refused");
	receiver(&s, "tcp", NULL);
	sender(&s, "tcp-sender", "tcp", LAB_PORT, "--count 3 --gap-us 1000");
	receiver(&s, "udp", "--idle-ms 300");
	sender(&s, "udp-sender", "udp", LAB_PORT, "--count 3 --gap-us 1000");
	return s.n;
}

/* The same 20 messages over UDP, then over TCP, on the impaired link. */
static int steps_impaired(const struct lab_experiment *x,
			  const struct labnet *n, char **argv, int max,
			  char *store, size_t len)
{
	struct steps s;
	char count[64];

	snprintf(count, sizeof(count), "--count %d --gap-us 2000", MESSAGES);
	steps_init(&s, n, argv, max, store, len);
	receiver(&s, "udp", "--idle-ms 700");
	sender(&s, "udp-sender", "udp", LAB_PORT, count);
	receiver(&s, "tcp", NULL);
	sender(&s, "tcp-sender", "tcp", LAB_PORT, count);
	return s.n;
}

/* A receiver that sleeps, with a small buffer; a sender that does not. */
static int steps_flow(const struct lab_experiment *x,
		      const struct labnet *n, char **argv, int max,
		      char *store, size_t len)
{
	const char *slow = "--size 1000 --rcvbuf " FLOW_RCVBUF
			   " --pause-ms " FLOW_PAUSE_MS;
	char recv_udp[128], send_udp[64], send_tcp[96];
	struct steps s;

	snprintf(recv_udp, sizeof(recv_udp), "%s --idle-ms 300", slow);
	snprintf(send_udp, sizeof(send_udp), "--count %d --size %d",
		 FLOW_MESSAGES, FLOW_SIZE);
	snprintf(send_tcp, sizeof(send_tcp), "%s --nonblock", send_udp);
	steps_init(&s, n, argv, max, store, len);
	receiver(&s, "udp", recv_udp);
	sender(&s, "udp-sender", "udp", LAB_PORT, send_udp);
	receiver(&s, "tcp", slow);
	sender(&s, "tcp-sender", "tcp", LAB_PORT, send_tcp);
	return s.n;
}

/* --- verdicts ------------------------------------------------------------ */

static void say(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(struct strbuf *sb, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	sb_add(sb, line);
	sb_addc(sb, '\n');
}

long long lab_counter_delta(const struct lab_result *r, const char *name)
{
	for (unsigned int i = 0; i < r->kernel.ncounters; i++)
		if (!strcmp(r->kernel.counter_name[i], name))
			return r->kernel.counter_delta[i];
	return 0;
}

static bool complete(const struct lab_delivery *d)
{
	return d->ran && d->sent && d->missing == 0 && d->duplicates == 0 &&
	       d->damaged == 0;
}

/* "TCP delivered 20 of 20 in order" or why not. */
static void tcp_delivery(struct lab_result *r, const char *how)
{
	const struct lab_delivery *t = &r->tcp;

	if (complete(t) && !t->out_of_order)
		say(&r->sentences, "TCP delivered %u of %u messages, in order, each once and intact%s.",
		    t->sent - t->missing, t->sent, how);
	else
		say(&r->not_shown, "TCP did not deliver everything in order here (%u of %u, %u out of order, %u duplicated, %u damaged): that is not what TCP promises; run it again with -j to see the trace.",
		    t->received, t->sent, t->out_of_order, t->duplicates,
		    t->damaged);
}

static void judge_connection(struct lab_result *r)
{
	long long rsts = lab_counter_delta(r, "TcpOutRsts");
	bool tcp = r->tcp_refused && (r->kernel.tcp_resets || rsts) &&
		   r->kernel.tcp_states && complete(&r->tcp);
	bool udp = r->udp_send_ok && complete(&r->udp);

	if (tcp)
		say(&r->sentences, "TCP is connection-oriented: connect() to a closed port failed at once with ECONNREFUSED (the receiver's kernel answered the SYN with a reset), and the chat's connection went through %llu state changes: the handshake before any data, the close after it.",
		    r->kernel.tcp_states);
	else
		say(&r->not_shown, "TCP's connection was not shown in full (refused: %s, resets: %llu, state changes: %llu).",
		    r->tcp_refused ? "yes" : "no", r->kernel.tcp_resets,
		    r->kernel.tcp_states);
	if (udp)
		say(&r->sentences, "UDP is connectionless: sendto() to the closed port succeeded%s; its %u datagrams went with no handshake and no state at all.",
		    r->udp_refused_later ? ", and only a later recvfrom() failed, with the ECONNREFUSED of the ICMP port unreachable that came back" : "",
		    r->udp.sent);
	else
		say(&r->not_shown, "UDP's side was not shown: the sendto() to a closed port %s.",
		    r->udp_send_ok ? "worked, but the chat's datagrams did not all arrive" : "failed");
	r->shown = tcp && udp;
}

static void judge_order(struct lab_result *r)
{
	long long ofo = lab_counter_delta(r, "TcpExtTCPOFOQueue");
	bool udp = r->udp.out_of_order > 0;
	bool tcp = complete(&r->tcp) && !r->tcp.out_of_order && ofo > 0;

	if (udp)
		say(&r->sentences, "UDP handed %u of its %u datagrams to the receiver out of order: the network's order is the order it gets.",
		    r->udp.out_of_order, r->udp.received);
	else
		say(&r->not_shown, "UDP got its datagrams in order this time: the link reordered none of them; try a higher --rate or another --seed.");
	if (tcp)
		tcp_delivery(r, "");
	if (tcp)
		say(&r->sentences, "TCP's segments came out of order too, but the receiver's kernel held %lld of them in its out-of-order queue (TcpExtTCPOFOQueue) until the gaps were filled.",
		    ofo);
	else if (complete(&r->tcp) && !r->tcp.out_of_order)
		say(&r->not_shown, "TCP's segments were not reordered this time (TcpExtTCPOFOQueue did not move), so its ordering was not put to the test.");
	else
		tcp_delivery(r, "");
	r->shown = udp && tcp;
}

static void judge_loss(struct lab_result *r)
{
	unsigned long long rtx = r->kernel.tcp_retransmits;
	bool udp = r->udp.missing > 0;
	bool tcp = complete(&r->tcp) && rtx > 0;
	char how[96];

	if (udp)
		say(&r->sentences, "UDP delivered %u of %u: the other %u were lost on the way, and nothing resent them.",
		    r->udp.sent - r->udp.missing, r->udp.sent, r->udp.missing);
	else
		say(&r->not_shown, "UDP lost nothing this time; try a higher --rate or another --seed.");
	snprintf(how, sizeof(how), ", resending what was lost (retransmissions: %llu)",
		 rtx);
	if (tcp)
		tcp_delivery(r, how);
	else if (complete(&r->tcp))
		say(&r->not_shown, "TCP lost no segment this time, so it had nothing to resend; try a higher --rate or another --seed.");
	else
		tcp_delivery(r, how);
	r->shown = udp && tcp;
}

static void judge_duplicate(struct lab_result *r)
{
	long long dsack = lab_counter_delta(r, "TcpExtTCPDSACKOldSent");
	bool udp = r->udp.duplicates > 0;
	bool tcp = complete(&r->tcp) && dsack > 0;

	if (udp)
		say(&r->sentences, "UDP handed the receiver %u datagrams for %u sent: %u of them duplicates.",
		    r->udp.received, r->udp.sent, r->udp.duplicates);
	else
		say(&r->not_shown, "The link duplicated no datagram this time; try a higher --rate or another --seed.");
	if (tcp) {
		tcp_delivery(r, "");
		say(&r->sentences, "TCP got duplicate segments too, but its kernel discarded the bytes it already had and told the sender so (D-SACKs sent: %lld, TcpExtTCPDSACKOldSent).",
		    dsack);
	} else if (complete(&r->tcp)) {
		say(&r->not_shown, "No TCP segment was duplicated this time (no D-SACK was sent), so TCP's discarding was not put to the test.");
	} else {
		tcp_delivery(r, "");
	}
	r->shown = udp && tcp;
}

static void judge_corrupt(struct lab_result *r)
{
	long long ucsum = lab_counter_delta(r, "UdpInCsumErrors");
	long long tcsum = lab_counter_delta(r, "TcpInCsumErrors");
	unsigned long long rtx = r->kernel.tcp_retransmits;
	bool udp = r->udp.missing > 0 && ucsum > 0 && !r->udp.damaged;
	bool tcp = complete(&r->tcp) && tcsum > 0 && rtx > 0;
	char how[96];

	if (udp)
		say(&r->sentences, "UDP delivered %u of %u: the receiver's kernel caught the damaged ones by their checksum (UdpInCsumErrors +%lld) and dropped them; nothing resent them.",
		    r->udp.sent - r->udp.missing, r->udp.sent, ucsum);
	else
		say(&r->not_shown, "UDP's checksum caught nothing this time (%lld checksum errors, %u missing, %u damaged); try a higher --rate or another --seed.",
		    ucsum, r->udp.missing, r->udp.damaged);
	snprintf(how, sizeof(how), ", resending what was dropped (retransmissions: %llu)",
		 rtx);
	if (tcp) {
		tcp_delivery(r, how);
		say(&r->sentences, "The receiver's kernel dropped the damaged TCP segments by their checksum (TcpInCsumErrors +%lld), and the sender resent them.",
		    tcsum);
	} else if (complete(&r->tcp)) {
		say(&r->not_shown, "No TCP segment was damaged this time (TcpInCsumErrors did not move); try a higher --rate or another --seed.");
	} else {
		tcp_delivery(r, how);
	}
	r->shown = udp && tcp;
}

static void judge_flow(struct lab_result *r)
{
	long long rcvbuf = lab_counter_delta(r, "UdpRcvbufErrors");
	long long zero = lab_counter_delta(r, "TcpExtTCPToZeroWindowAdv");
	bool udp = r->udp.missing > 0 && (r->kernel.udp_drops || rcvbuf);
	bool tcp = complete(&r->tcp) && (r->tcp.waits || zero);

	if (udp)
		say(&r->sentences, "UDP's sender never waited: it sent %u datagrams while the receiver slept, and the full receive buffer dropped %u of them (%llu udp_drop events, UdpRcvbufErrors +%lld).",
		    r->udp.sent, r->udp.missing, r->kernel.udp_drops, rcvbuf);
	else
		say(&r->not_shown, "UDP's receive buffer did not overflow this time (%u missing).",
		    r->udp.missing);
	if (tcp) {
		tcp_delivery(r, "");
		/* Say only what this run's counters show. */
		if (zero && r->tcp.waits)
			say(&r->sentences, "TCP's sender was held back instead: the receiver's window closed (TcpExtTCPToZeroWindowAdv +%lld), sends found no room (EAGAIN) and waited (times: %u), and nothing was lost.",
			    zero, r->tcp.waits);
		else if (zero)
			say(&r->sentences, "TCP's sender was held back instead: the receiver's window closed (TcpExtTCPToZeroWindowAdv +%lld), and nothing was lost.",
			    zero);
		else
			say(&r->sentences, "TCP's sender was held back instead: its sends found no room (EAGAIN) and waited (times: %u), and nothing was lost.",
			    r->tcp.waits);
	} else if (complete(&r->tcp)) {
		say(&r->not_shown, "TCP's window never closed this time, so flow control was not put to the test.");
	} else {
		tcp_delivery(r, "");
	}
	r->shown = udp && tcp;
}

const struct lab_experiment lab_experiments[] = {
	{ "connection", "1. connection-oriented vs connectionless",
	  "TCP is connection-oriented; UDP is connectionless.",
	  LAB_CLEAN, 0,
	  { "TcpActiveOpens", "TcpPassiveOpens", "TcpOutRsts",
	    "IcmpOutDestUnreachs", "IcmpInDestUnreachs" },
	  { LAB_SENDER, LAB_RECEIVER, LAB_RECEIVER, LAB_RECEIVER,
	    LAB_SENDER },
	  steps_connection, judge_connection },
	{ "order", "2. ordered delivery",
	  "TCP delivers bytes in order; UDP datagrams may arrive in any order.",
	  LAB_REORDER, 30,
	  { "TcpExtTCPOFOQueue", "TcpRetransSegs" },
	  { LAB_RECEIVER, LAB_SENDER },
	  steps_impaired, judge_order },
	{ "loss", "3. lost data is resent",
	  "TCP resends what was lost; UDP does not.",
	  LAB_LOSS, 25,
	  { "TcpRetransSegs", "TcpExtTCPLostRetransmit", "TcpExtTCPOFOQueue" },
	  { LAB_SENDER, LAB_SENDER, LAB_RECEIVER },
	  steps_impaired, judge_loss },
	{ "duplicate", "4. duplicates are discarded",
	  "TCP discards duplicate data; UDP hands duplicates to the program.",
	  LAB_DUPLICATE, 30,
	  { "TcpExtTCPDSACKOldSent", "TcpExtTCPDSACKRecv" },
	  { LAB_RECEIVER, LAB_SENDER },
	  steps_impaired, judge_duplicate },
	{ "corrupt", "5. error-free delivery",
	  "TCP delivers data free of errors; damaged UDP datagrams are simply dropped.",
	  LAB_CORRUPT, 25,
	  { "UdpInCsumErrors", "TcpInCsumErrors", "TcpRetransSegs" },
	  { LAB_RECEIVER, LAB_RECEIVER, LAB_SENDER },
	  steps_impaired, judge_corrupt },
	{ "flow", "6. flow control",
	  "TCP slows the sender to what the receiver can take; UDP does not.",
	  LAB_CLEAN, 0,
	  { "UdpRcvbufErrors", "TcpExtTCPToZeroWindowAdv",
	    "TcpExtTCPFromZeroWindowAdv", "TcpExtTCPWinProbe" },
	  { LAB_RECEIVER, LAB_RECEIVER, LAB_RECEIVER, LAB_SENDER },
	  steps_flow, judge_flow },
};

const unsigned int lab_nexperiments =
	sizeof(lab_experiments) / sizeof(lab_experiments[0]);
