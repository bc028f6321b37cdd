// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What an experiment showed: the programs' own words (which messages came,
 * in what order), the trace's kernel events, the counters' deltas; and the
 * verdict drawn from them, as text and as one JSON object.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>

#include "events.h"
#include "format.h"
#include "lab.h"

#define PRINTED_HEAD	4	/* lines shown of each program's output */
#define EXCERPT_EACH	3	/* records shown of each kind per process */
#define MAX_NUMBER	1000

/* --- the programs' words ----------------------------------------------- */

struct tally {
	unsigned char seen[MAX_NUMBER];
	unsigned int highest;
	unsigned int distinct;
};

static struct lab_delivery *delivery_of(struct lab_result *r,
					const char *label)
{
	if (!strncmp(label, "udp-", 4))
		return &r->udp;
	if (!strncmp(label, "tcp-", 4))
		return &r->tcp;
	return NULL;
}

static void count_arrival(struct lab_delivery *d, struct tally *t,
			  unsigned int n)
{
	if (n >= MAX_NUMBER)
		return;
	d->received++;
	if (t->seen[n]++) {
		d->duplicates++;
		return;
	}
	t->distinct++;
	if (n < t->highest)
		d->out_of_order++;
	else
		t->highest = n;
}

static void finish_delivery(struct lab_delivery *d, const struct tally *t)
{
	unsigned int k = 0;

	if (!d->ran)
		return;
	d->missing = d->sent > t->distinct ? d->sent - t->distinct : 0;
	for (unsigned int n = 1; n <= d->sent && n < MAX_NUMBER; n++)
		if (!t->seen[n] && k < sizeof(d->missing_list) /
				       sizeof(d->missing_list[0]))
			d->missing_list[k++] = n;
}

/* One line a program printed, "label| text". */
static void program_line(struct lab_result *r, struct tally tallies[2],
			 const char *label, const char *text)
{
	bool closed = strstr(label, "closed-port") != NULL;
	struct lab_delivery *d = delivery_of(r, label);
	unsigned int n, sent, waits;

	if (closed) {
		if (strstr(text, "connect: Connection refused"))
			r->tcp_refused = true;
		if (!strncmp(text, "recvfrom: Connection refused", 28))
			r->udp_refused_later = true;
		if (!strncmp(label, "udp", 3) &&
		    sscanf(text, "sent %u messages", &sent) == 1 && sent)
			r->udp_send_ok = true;
		return;
	}
	if (!d)
		return;
	d->ran = true;
	if (sscanf(text, "got #%u", &n) == 1)
		count_arrival(d, &tallies[d == &r->tcp], n);
	else if (!strncmp(text, "got a damaged message", 21))
		d->damaged++;
	else if (sscanf(text, "sent %u messages (%*u bytes); a send had to wait %u times",
			&sent, &waits) == 2) {
		d->sent = sent;
		d->waits = waits;
	}
}

/* Keep the first lines of each program's output, count the rest. */
static void keep_printed(struct lab_result *r, const char *label,
			 const char *line, char last[][32],
			 unsigned int shown[], unsigned int *nlabels)
{
	unsigned int i;

	for (i = 0; i < *nlabels && strcmp(last[i], label); i++)
		;
	if (i == *nlabels) {
		if (i == 8)
			return;
		snprintf(last[i], sizeof(last[i]), "%s", label);
		shown[i] = 0;
		(*nlabels)++;
	}
	if (shown[i]++ < PRINTED_HEAD) {
		sb_add(&r->printed, "  ");
		sb_add(&r->printed, line);
	} else if (!strncmp(line + strlen(label) + 2, "received ", 9) ||
		   !strncmp(line + strlen(label) + 2, "sent ", 5)) {
		/* A program's last word sums it up: always shown. */
		if (shown[i] > PRINTED_HEAD + 1)
			sb_addf(&r->printed, "  %s| (%u lines not shown)\n",
				label, shown[i] - PRINTED_HEAD - 1);
		sb_add(&r->printed, "  ");
		sb_add(&r->printed, line);
	}
}

void lab_read_log(struct lab_result *r, const char *log)
{
	static struct tally tallies[2];
	char line[4096], label[32], last[8][32];
	unsigned int shown[8], nlabels = 0;
	FILE *f = fopen(log, "re");
	int pid;

	memset(tallies, 0, sizeof(tallies));
	while (f && fgets(line, sizeof(line), f)) {
		char *bar = strstr(line, "| ");
		struct lab_delivery *d;

		if (sscanf(line, "pid %31s %d", label, &pid) == 2) {
			d = delivery_of(r, label);
			if (d && strstr(label, "-sender"))
				d->sender = pid;
			else if (d && strstr(label, "-receiver"))
				d->receiver = pid;
			continue;
		}
		if (!bar || bar - line >= (long)sizeof(label))
			continue;
		snprintf(label, sizeof(label), "%.*s", (int)(bar - line), line);
		keep_printed(r, label, line, last, shown, &nlabels);
		line[strcspn(line, "\n")] = '\0';
		program_line(r, tallies, label, bar + 2);
	}
	if (f)
		fclose(f);
	finish_delivery(&r->udp, &tallies[0]);
	finish_delivery(&r->tcp, &tallies[1]);
}

/* --- the trace ------------------------------------------------------------ */

static unsigned int arrows(const char *history)
{
	unsigned int n = 0;

	for (const char *p = history; (p = strstr(p, " -> ")); p += 4)
		n++;
	return n;
}

void lab_read_trace(struct lab_result *r, struct reader *rd)
{
	struct lab_kernel *k = &r->kernel;

	k->tcp_resets = rd->kernel_events[EVENT_TCP_SEND_RESET] +
			rd->kernel_events[EVENT_TCP_RECEIVE_RESET];
	k->udp_drops = rd->kernel_events[EVENT_UDP_DROP];
	for (unsigned int i = 0; i < socktable_count(rd->socks); i++) {
		struct sock_entry *e = socktable_at(rd->socks, i);
		bool tcp_chat = r->tcp.sender &&
				(e->pid == r->tcp.sender ||
				 e->pid == r->tcp.receiver);
		bool udp_chat = r->udp.sender &&
				(e->pid == r->udp.sender ||
				 e->pid == r->udp.receiver);

		if (tcp_chat && e->protocol == IPPROTO_TCP) {
			k->tcp_states += arrows(e->history);
			if (e->pid == r->tcp.sender) {
				k->tcp_retransmits += e->retransmits;
				k->eagain += e->failed;
			}
		}
		if (udp_chat && e->protocol == IPPROTO_UDP)
			k->udp_states += arrows(e->history);
	}
}

/* --- the verdict ---------------------------------------------------------- */

static const char *method_name(const struct lab_result *r)
{
	if (r->x->impairment == LAB_CLEAN)
		return "none";
	return r->method == LAB_METHOD_NETEM ? "netem" : "bpf";
}

static void delivery_row(struct strbuf *sb, const char *proto,
			 const struct lab_delivery *d)
{
	sb_addf(sb, "    %-4s %6u %9u %8u %11u %13u %8u\n", proto, d->sent,
		d->received, d->missing, d->duplicates, d->out_of_order,
		d->damaged);
}

static void missing_numbers(struct strbuf *sb, const char *proto,
			    const struct lab_delivery *d)
{
	unsigned int max = sizeof(d->missing_list) / sizeof(d->missing_list[0]);

	if (!d->missing)
		return;
	sb_addf(sb, "  %s missing:", proto);
	for (unsigned int i = 0; i < d->missing && i < max; i++)
		sb_addf(sb, " #%03u", d->missing_list[i]);
	sb_add(sb, d->missing > max ? " ...\n" : "\n");
}

static void lines_behind(struct strbuf *sb, const char *lead,
			 const struct strbuf *text)
{
	for (const char *p = text->buf; p && *p;) {
		size_t len = strcspn(p, "\n");

		sb_addf(sb, "%s%.*s\n", lead, (int)len, p);
		p += len + (p[len] == '\n');
	}
}

void lab_verdict_text(struct strbuf *sb, const struct lab_result *r)
{
	const struct lab_kernel *k = &r->kernel;

	sb_addf(sb, "Verdict, %s: %s\n", r->x->name, r->x->claim);
	if (r->x->impairment == LAB_CLEAN)
		sb_add(sb, "  link: not impaired\n");
	else if (r->method == LAB_METHOD_NETEM)
		sb_addf(sb, "  link: netem on the sender's veth, %u%% of packets (netem's own random choice)\n",
			r->rate_pct);
	else
		sb_addf(sb, "  link: tc BPF (bpf/impair.bpf.c), %u%% of data packets chosen with seed %u: %llu of %llu impaired\n",
			r->rate_pct, r->seed, r->impaired, r->candidates);
	sb_add(sb, "           sent  received  missing  duplicates  out-of-order  damaged\n");
	delivery_row(sb, "UDP", &r->udp);
	delivery_row(sb, "TCP", &r->tcp);
	missing_numbers(sb, "UDP", &r->udp);
	missing_numbers(sb, "TCP", &r->tcp);
	sb_addf(sb, "  kernel events in the trace: %llu tcp_retransmit, %llu tcp_reset, %llu udp_drop; %llu TCP state changes, %llu for UDP\n",
		k->tcp_retransmits, k->tcp_resets, k->udp_drops,
		k->tcp_states, k->udp_states);
	if (r->tcp.ran)
		sb_addf(sb, "  TCP sends that found no room (EAGAIN): %u\n",
			r->tcp.waits);
	sb_add(sb, "  counters (change during the run):");
	for (unsigned int i = 0; i < k->ncounters; i++)
		sb_addf(sb, "%s %s %+lld (%s)", i ? "," : "",
			k->counter_name[i], k->counter_delta[i],
			k->counter_ns[i]);
	sb_add(sb, "\n\nWhat this run showed:\n");
	lines_behind(sb, "  ", &r->sentences);
	if (r->not_shown.len) {
		sb_add(sb, "\nNot shown in this run:\n");
		lines_behind(sb, "  ", &r->not_shown);
	}
}

static void json_delivery(struct strbuf *sb, const char *key,
			  const struct lab_delivery *d)
{
	unsigned int max = sizeof(d->missing_list) / sizeof(d->missing_list[0]);

	sb_addf(sb, ",\"%s\":{\"sent\":%u,\"received\":%u,\"missing\":%u,\"duplicates\":%u,\"out_of_order\":%u,\"damaged\":%u,\"waits\":%u,\"missing_first\":[",
		key, d->sent, d->received, d->missing, d->duplicates,
		d->out_of_order, d->damaged, d->waits);
	for (unsigned int i = 0; i < d->missing && i < max; i++)
		sb_addf(sb, "%s%u", i ? "," : "", d->missing_list[i]);
	sb_add(sb, "]}");
}

static void json_lines(struct strbuf *sb, const char *key,
		       const struct strbuf *text)
{
	bool first = true;

	sb_addf(sb, ",\"%s\":[", key);
	for (const char *p = text->buf; p && *p;) {
		size_t len = strcspn(p, "\n");

		if (!first)
			sb_addc(sb, ',');
		first = false;
		format_json_string(sb, p, len);
		p += len + (p[len] == '\n');
	}
	sb_addc(sb, ']');
}

void lab_verdict_json(struct strbuf *sb, const struct lab_result *r)
{
	const struct lab_kernel *k = &r->kernel;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	sb_addf(sb, "{\"kind\":\"lab\",\"ts_ns\":%llu,\"pid\":%d,\"tid\":%d,\"comm\":\"sockscope\",\"experiment\":\"%s\"",
		(unsigned long long)now.tv_sec * 1000000000ULL +
		(unsigned long long)now.tv_nsec, getpid(), gettid(),
		r->x->name);
	sb_addf(sb, ",\"impairment\":{\"method\":\"%s\",\"rate_pct\":%u",
		method_name(r), r->rate_pct);
	if (r->x->impairment != LAB_CLEAN && r->method == LAB_METHOD_BPF)
		sb_addf(sb, ",\"seed\":%u,\"candidates\":%llu,\"impaired\":%llu",
			r->seed, r->candidates, r->impaired);
	else
		sb_add(sb, ",\"seed\":null");
	sb_addc(sb, '}');
	json_delivery(sb, "udp", &r->udp);
	json_delivery(sb, "tcp", &r->tcp);
	sb_addf(sb, ",\"kernel\":{\"tcp_retransmits\":%llu,\"tcp_resets\":%llu,\"udp_drops\":%llu,\"tcp_states\":%llu,\"udp_states\":%llu,\"counters\":{",
		k->tcp_retransmits, k->tcp_resets, k->udp_drops,
		k->tcp_states, k->udp_states);
	for (unsigned int i = 0; i < k->ncounters; i++)
		sb_addf(sb, "%s\"%s\":%lld", i ? "," : "", k->counter_name[i],
			k->counter_delta[i]);
	sb_add(sb, "}}");
	if (r->ns[LAB_SENDER] && r->ns[LAB_RECEIVER])
		sb_addf(sb, ",\"namespaces\":{\"sender\":\"%s\",\"receiver\":\"%s\"}",
			r->ns[LAB_SENDER], r->ns[LAB_RECEIVER]);
	if (r->x->impairment == LAB_CLEAN && !strcmp(r->x->name, "connection"))
		sb_addf(sb, ",\"closed_port\":{\"tcp_refused\":%s,\"udp_send_ok\":%s,\"udp_refused_later\":%s}",
			r->tcp_refused ? "true" : "false",
			r->udp_send_ok ? "true" : "false",
			r->udp_refused_later ? "true" : "false");
	sb_addf(sb, ",\"shown\":%s", r->shown ? "true" : "false");
	json_lines(sb, "showed", &r->sentences);
	json_lines(sb, "not_shown", &r->not_shown);
	sb_add(sb, "}\n");
}

/* --- the trace excerpt ---------------------------------------------------- */

struct excerpt_kind {
	char key[96];
	unsigned int seen;
};

/* What kind of record a line is: "PID call" or "PID call -1 ERRNO" for
 * calls, "PID what" for kernel events (the words after the last ": "). */
static bool record_key(const char *line, size_t len, char *key, size_t size)
{
	const char *open = memchr(line, '[', len), *close, *call, *end;
	int pid;

	if (!open || sscanf(open, "[%d ", &pid) != 1)
		return false;
	close = memchr(open, ']', len - (size_t)(open - line));
	if (!close || close + 2 > line + len)
		return false;
	call = close + 2;
	end = line + len;
	if (!strncmp(call, "tcp ", 4) || !strncmp(call, "udp ", 4)) {
		const char *what = call, *p;

		for (p = call; (p = memchr(p, ':', (size_t)(end - p))); p++)
			if (p + 1 < end && p[1] == ' ')
				what = p + 2;
		/* A state change is worth each line; others are capped. */
		if (memmem(what, (size_t)(end - what), " -> ", 4))
			return false;
		len = strcspn(what, "(\n");
		while (len && what[len - 1] == ' ')
			len--;
		snprintf(key, size, "%d %.*s", pid, (int)len, what);
		return true;
	}
	const char *paren = memchr(call, '(', (size_t)(end - call));
	const char *fail = strstr(call, ") = -1 ");

	if (!paren)
		return false;
	if (fail && fail < end)
		snprintf(key, size, "%d %.*s %.*s", pid, (int)(paren - call),
			 call, (int)strcspn(fail + 7, " \n"), fail + 7);
	else
		snprintf(key, size, "%d %.*s", pid, (int)(paren - call), call);
	return true;
}

void lab_trace_excerpt(struct strbuf *sb, const char *trace)
{
	static struct excerpt_kind kinds[256];
	unsigned int nkinds = 0, hidden = 0;
	bool showing = true;

	for (const char *p = trace; p && *p;) {
		size_t len = strcspn(p, "\n");
		char key[96];

		if (strncmp(p, "    #", 5)) {
			showing = true;
			if (record_key(p, len, key, sizeof(key))) {
				unsigned int i;

				for (i = 0; i < nkinds && strcmp(kinds[i].key, key); i++)
					;
				if (i == nkinds && nkinds < 256) {
					snprintf(kinds[i].key, sizeof(kinds[i].key),
						 "%s", key);
					kinds[i].seen = 0;
					nkinds++;
				}
				showing = i == nkinds ||
					  kinds[i].seen++ < EXCERPT_EACH;
				if (!showing && kinds[i].seen == EXCERPT_EACH + 1)
					sb_addf(sb, "    ... from here on, more of [%.*s] %s not shown\n",
						(int)strcspn(key, " "), key,
						key + strcspn(key, " ") + 1);
				hidden += !showing;
			}
		}
		if (showing)
			sb_addf(sb, "%.*s\n", (int)len, p);
		p += len + (p[len] == '\n');
	}
	if (hidden)
		sb_addf(sb, "(%u more records of the kinds above not shown: -j shows them all, --save keeps them)\n",
			hidden);
}
