// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Each record, live or replayed: checked, explained, rendered, counted. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calls.h"
#include "explain.h"
#include "explain_wait.h"
#include "format.h"
#include "names.h"
#include "reader.h"

#define SUMMARY_ROWS	40

int reader_init(struct reader *rd, const struct options *opts,
		struct output *out, struct output *save)
{
	memset(rd, 0, sizeof(*rd));
	rd->opts = opts;
	rd->out = out;
	rd->save = save;
	rd->ro.duration = opts->duration;
	rd->ro.wallclock = opts->wallclock;
	rd->ro.decode_fds = opts->decode_fds;
	rd->ro.names = &rd->names;
	rd->ro.addrs = &rd->addrs;
	rd->ro.json_addrs = &rd->json_addrs;
	sb_init(&rd->note);
	rd->socks = socktable_new();
	rd->convs = conversations_new();
	rd->waits = wait_notes_new();
	return rd->socks && rd->convs && rd->waits ? 0 : -ENOMEM;
}

void reader_free(struct reader *rd)
{
	socktable_free(rd->socks);
	holdback_free(&rd->hold);
	conversations_free(rd->convs);
	wait_notes_free(rd->waits);
	sb_free(&rd->note);
}

void reader_start(struct reader *rd, __u64 start_ns)
{
	struct timespec mono, real;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	rd->ro.start_ns = start_ns ? start_ns :
			  mono.tv_sec * 1000000000ULL + mono.tv_nsec;
	rd->ro.realtime_offset_ns = (real.tv_sec - mono.tv_sec) * 1000000000LL +
				    (real.tv_nsec - mono.tv_nsec);
	/* The html page's picture counts from the trace's start too. */
	if (rd->diagram)
		rd->diagram->trace_ns = rd->ro.start_ns;
	if (rd->save)
		sb_addf(&rd->save->buf,
			"{\"kind\":\"trace_start\",\"ts_ns\":%llu,\"pid\":0,\"tid\":0,\"comm\":\"\",\"abi\":%d,\"version\":\"%s\",\"realtime_ns\":%llu}\n",
			(unsigned long long)rd->ro.start_ns, SOCKSCOPE_SAVE_ABI,
			SOCKSCOPE_VERSION,
			(unsigned long long)(rd->ro.start_ns +
					     rd->ro.realtime_offset_ns));
}

/* A saved line is the JSON object plus "raw": the record's bytes, so a
 * replay renders exactly what the live trace rendered. */
static void save_raw(struct reader *rd, const void *data, size_t size)
{
	struct strbuf *sb = &rd->save->buf;

	if (sb->len < 2)
		return;
	sb->len -= 2;		/* "}\n" */
	sb_add(sb, ",\"raw\":\"");
	format_hex(sb, data, size);
	sb_add(sb, "\"}\n");
}

void reader_report_lost(struct reader *rd, unsigned long long n, __u64 ts)
{
	if (!n)
		return;
	rd->lost_reported += n;
	if (rd->opts->json)
		render_lost_json(&rd->out->buf, n, ts);
	else
		render_lost_text(&rd->out->buf, n);
	if (rd->save)
		render_lost_json(&rd->save->buf, n, ts);
}

/* The socket the call's fd argument names, as it was for this call (for
 * close, before it). socket() and accept() return a new one: their fd
 * argument, if any, is another socket. */
static void set_fd_identity(struct fd_identity *id,
			    const struct syscall_record *r,
			    const struct sock_entry *e)
{
	const struct sock_info *si = &r->sock;

	memset(id, 0, sizeof(*id));
	if (!e || !si->valid || r->call == CALL_ACCEPT ||
	    r->call == CALL_ACCEPT4 || r->call == CALL_SOCKET)
		return;
	id->valid = true;
	id->family = si->family;
	id->type = si->type;
	id->protocol = si->protocol;
	memcpy(id->saddr, si->saddr, sizeof(id->saddr));
	memcpy(id->daddr, si->daddr, sizeof(id->daddr));
	id->sport = si->sport;
	id->dport = si->dport;
}

/* How long a receive waits for its send's record, and how much may wait. */
#define HOLD_NS		(200 * 1000000ULL)
#define HOLD_BYTES	(4u << 20)

static void handle_syscall(struct reader *rd, const struct syscall_record *r,
			   size_t size, const char *saved_note)
{
	int first = rd->diagram ? rd->diagram->nsteps : 0;
	struct sock_entry before, *e;
	size_t at;

	e = socktable_apply_call(rd->socks, r, &before);
	if (rd->diagram)
		diagram_add_syscall(rd->diagram, r, e, rd->socks);
	rd->calls[r->call]++;
	if (r->ret < 0 && r->ret >= -4095)
		rd->failed[r->call]++;
	else if (rd->opts->failed_only)
		return;
	sb_reset(&rd->note);
	if (rd->opts->explain && saved_note) {
		sb_add(&rd->note, saved_note);
	} else if (rd->opts->explain) {
		explain_call(&rd->note, r, e, &before);
		explain_port_holder(&rd->note, r, e, rd->socks, rd->live);
		explain_wait(&rd->note, r, rd->socks, rd->waits);
		/* A record comes at the call's end: what the kernel did
		 * meanwhile is printed above it. */
		if (e && e->state_since_ns >= r->enter_ns &&
		    e->state_since_ns <= r->hdr.ts_ns && rd->note.len)
			sb_add(&rd->note, "; the state changes just above happened during this call");
		conversations_note(rd->convs, r, e, &rd->note);
	}
	if (rd->ro.decode_fds)
		set_fd_identity(&rd->ro.fd, r, e);
	if (rd->opts->json) {
		render_syscall_json(&rd->out->buf, r, &rd->ro, rd->note.buf);
	} else {
		at = rd->out->buf.len;
		render_syscall_text(&rd->out->buf, r, &rd->ro);
		render_note_text(&rd->out->buf, &rd->note);
		if (rd->diagram)
			diagram_add_text(rd->diagram, first,
					 rd->out->buf.buf + at,
					 rd->out->buf.len - at);
	}
	if (rd->save) {
		render_syscall_json(&rd->save->buf, r, &rd->ro, rd->note.buf);
		save_raw(rd, r, size);
	}
}

/* The comm of pid as its own kernel events gave it, or NULL. Learnt
 * from an event in pid's own context (listen(), connect()...). */
static const char *event_comm(struct reader *rd,
			      const struct kernel_record *k)
{
	unsigned int n = rd->nevent_comms, max = sizeof(rd->event_comms) /
						 sizeof(rd->event_comms[0]);
	struct event_comm *c;

	for (unsigned int i = 0; i < n && i < max; i++)
		if (rd->event_comms[i].pid == (pid_t)k->owner_pid)
			return rd->event_comms[i].comm;
	if (k->hdr.pid != k->owner_pid || !k->hdr.comm[0])
		return NULL;
	c = &rd->event_comms[rd->nevent_comms++ % max];
	c->pid = k->owner_pid;
	memcpy(c->comm, k->hdr.comm, sizeof(c->comm));
	c->comm[sizeof(c->comm) - 1] = '\0';
	return c->comm;
}

/*
 * A kernel event of a socket the table does not hold: its endpoints, as
 * the last event of the same kernel socket gave them when it gives none
 * (the port of a listener is freed before its LISTEN -> CLOSE).
 */
static void complete_from_events(struct reader *rd, struct kernel_record *k)
{
	unsigned int max = sizeof(rd->event_ends) / sizeof(rd->event_ends[0]);
	struct sock_info *si = &k->sock;
	struct event_ends *slot = NULL;
	/* A socket's life starts in CLOSE: a freed socket's address may be
	 * the new one's, whose endpoints are not the old ones. */
	bool born = k->hdr.kind == EVENT_TCP_STATE &&
		    k->old_state == TCP_CLOSE;

	for (unsigned int i = 0; i < rd->nevent_ends && i < max; i++)
		if (rd->event_ends[i].sk == si->sk)
			slot = &rd->event_ends[i];
	if (slot && born)
		memset(&slot->si, 0, sizeof(slot->si));
	if (!slot) {
		if (!si->sport && !si->dport)
			return;
		slot = &rd->event_ends[rd->nevent_ends++ % max];
		slot->sk = si->sk;
		memset(&slot->si, 0, sizeof(slot->si));
	}
	if (si->sport) {
		memcpy(slot->si.saddr, si->saddr, sizeof(si->saddr));
		slot->si.sport = si->sport;
	} else if (slot->si.sport) {
		memcpy(si->saddr, slot->si.saddr, sizeof(si->saddr));
		si->sport = slot->si.sport;
	}
	if (si->dport) {
		memcpy(slot->si.daddr, si->daddr, sizeof(si->daddr));
		slot->si.dport = si->dport;
	} else if (slot->si.dport && si->sport) {
		memcpy(si->daddr, slot->si.daddr, sizeof(si->daddr));
		si->dport = slot->si.dport;
	}
}

static void handle_kernel(struct reader *rd, const struct kernel_record *raw)
{
	struct event_owner o = { .pid = raw->owner_pid, .fd = -1, .comm = "" };
	struct kernel_record shown = *raw, *k = &shown;
	int first = rd->diagram ? rd->diagram->nsteps : 0;
	struct sock_entry *e;
	__u64 ns_in_old;
	size_t at;

	e = socktable_apply_kernel(rd->socks, raw, &ns_in_old);
	if (e)
		socktable_complete_event(e, &shown.sock);
	else if (shown.sock.sk)
		complete_from_events(rd, &shown);
	if (rd->diagram)
		diagram_add_kernel(rd->diagram, k, e, rd->socks);
	if (raw->hdr.kind < EVENT_KIND_MAX)
		rd->kernel_events[raw->hdr.kind]++;
	if (rd->opts->failed_only)
		return;
	if (e) {
		o.pid = e->pid;
		o.fd = e->fd >= 0 ? e->fd : e->last_fd;
		o.comm = e->comm;
	} else if (o.pid) {
		/* A connection not yet accepted: its listener's process. */
		o.comm = socktable_comm(rd->socks, o.pid);
		if (!o.comm)
			o.comm = event_comm(rd, raw);
	}
	sb_reset(&rd->note);
	explain_kernel(&rd->note, k, e, ns_in_old);
	if (rd->opts->json) {
		render_kernel_json(&rd->out->buf, k, &o, ns_in_old,
				   rd->note.buf);
	} else {
		at = rd->out->buf.len;
		render_kernel_text(&rd->out->buf, k, &o, ns_in_old, &rd->ro);
		render_note_text(&rd->out->buf, &rd->note);
		if (rd->diagram)
			diagram_add_text(rd->diagram, first,
					 rd->out->buf.buf + at,
					 rd->out->buf.len - at);
	}
	if (rd->save) {
		render_kernel_json(&rd->save->buf, k, &o, ns_in_old,
				   rd->note.buf);
		save_raw(rd, raw, sizeof(*raw));
	}
}

static void handle(struct reader *rd, const void *data, size_t size,
		   const char *saved_note)
{
	const struct event_header *hdr = data;

	reader_report_lost(rd, hdr->lost_before, hdr->ts_ns);
	if (hdr->kind == EVENT_SYSCALL)
		handle_syscall(rd, data, size, saved_note);
	else
		handle_kernel(rd, data);
}

/* A live receive whose sender is still to come. */
static bool awaits(struct reader *rd, const struct event_header *hdr)
{
	return hdr->kind == EVENT_SYSCALL &&
	       conversations_awaits(rd->convs, rd->socks,
				    (const struct syscall_record *)hdr);
}

/*
 * Is the oldest held record r a receive still waiting for its send's
 * record? It is asked once whether it waits at all; then the records
 * after it are looked at for its sender, each once (nothing is noted
 * while it is held, so the answers stand).
 */
static bool still_waiting(struct reader *rd, const struct syscall_record *r)
{
	struct holdback *h = &rd->hold;

	if (!h->looked) {
		if (!awaits(rd, &r->hdr))
			return false;
		h->looked = 1;
	}
	for (; h->looked < holdback_count(h); h->looked++) {
		size_t size;
		const void *later = holdback_at(h, h->looked, &size);

		if (conversations_answers(rd->convs, r, later))
			return false;
	}
	return true;
}

static __u64 monotonic_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec * 1000000000ULL + now.tv_nsec;
}

void reader_release(struct reader *rd, bool all)
{
	while (holdback_count(&rd->hold)) {
		size_t size;
		const struct syscall_record *r = holdback_at(&rd->hold, 0,
							     &size);

		/* Asked even at the end: its sender may be held too. */
		if (still_waiting(rd, r) && !all &&
		    rd->hold.bytes < HOLD_BYTES &&
		    monotonic_ns() < r->hdr.ts_ns + HOLD_NS)
			break;
		handle(rd, r, size, NULL);
		holdback_pop(&rd->hold);
	}
}

void reader_handle(struct reader *rd, const void *data, size_t size,
		   const char *saved_note)
{
	if (record_validate(data, size)) {
		rd->malformed++;
		return;
	}
	/* Notes made now may wait; saved ones were made so. */
	if (rd->live && rd->opts->explain && !saved_note &&
	    (holdback_count(&rd->hold) || awaits(rd, data))) {
		bool first = !holdback_count(&rd->hold);

		if (!holdback_push(&rd->hold, data, size)) {
			if (first)
				rd->hold.looked = 1;	/* it waits, as asked */
			reader_release(rd, false);
			return;
		}
		reader_release(rd, true);	/* no memory to wait with */
	}
	handle(rd, data, size, saved_note);
}

static const char *final_state(const struct sock_entry *e)
{
	const char *name;

	if (e->time_wait)
		return "TIME_WAIT";
	if (e->state) {
		name = tcp_state_name(e->state);
		if (name)
			return name;
	}
	if (e->listening && e->fd >= 0)
		return "LISTEN";
	return e->fd >= 0 ? "open" : "closed";
}

static void summary_row(FILE *f, const struct sock_entry *e)
{
	struct strbuf local, peer;

	sb_init(&local);
	sb_init(&peer);
	if (e->info_valid && (e->family == 2 || e->family == 10)) {
		struct sock_info si = e->info;

		/* What the kernel events showed, where the calls did not. */
		if (!si.sport)
			si.saddr[0] = 0;
		socktable_complete_event(e, &si);
		format_endpoint(&local, e->family, si.saddr, si.sport);
		if (si.dport)
			format_endpoint(&peer, e->family, si.daddr, si.dport);
	}
	fprintf(f, "%8d %-15.15s %4d  %-13s %-22s %-22s %8llu %8llu %6llu  %s\n",
		e->pid, e->comm, e->last_fd,
		sock_kind(e->family, e->type, e->protocol),
		local.len ? local.buf : "-", peer.len ? peer.buf : "-",
		e->bytes_out, e->bytes_in, e->calls, final_state(e));
	sb_free(&local);
	sb_free(&peer);
}

static void print_sockets(struct reader *rd, FILE *f)
{
	unsigned int n = socktable_count(rd->socks);

	if (!n)
		return;
	fprintf(f, "sockets seen:\n%8s %-15s %4s  %-13s %-22s %-22s %8s %8s %6s  %s\n",
		"pid", "comm", "fd", "proto", "local", "peer", "sent", "recv",
		"calls", "state");
	for (unsigned int i = 0; i < n && i < SUMMARY_ROWS; i++)
		summary_row(f, socktable_at(rd->socks, i));
	if (n > SUMMARY_ROWS)
		fprintf(f, "... and %u more\n", n - SUMMARY_ROWS);
	if (socktable_forgotten(rd->socks))
		fprintf(f, "... and %llu closed earlier, no longer kept\n",
			socktable_forgotten(rd->socks));
}

void reader_print_summary(struct reader *rd, FILE *f,
			  unsigned long long lost)
{
	unsigned long long calls = 0, failed = 0;

	for (int c = 1; c < CALL_MAX; c++) {
		calls += rd->calls[c];
		failed += rd->failed[c];
	}
	fprintf(f, "sockscope: %llu calls, %llu failed, %llu lost\n", calls,
		failed, lost);
	if (rd->malformed)
		fprintf(f, "sockscope: %llu malformed records ignored\n",
			rd->malformed);
	if (!calls)
		return;
	fprintf(f, "%10s %8s  %s\n", "calls", "failed", "syscall");
	for (int c = 1; c < CALL_MAX; c++)
		if (rd->calls[c])
			fprintf(f, "%10llu %8llu  %s\n", rd->calls[c],
				rd->failed[c], call_name(c));
	if (rd->opts->explain)
		print_sockets(rd, f);
}
