// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The waits' arguments and results, as text (strace's form) and as JSON:
 * poll's pollfds, select's fd_sets, epoll's events, timeouts and signal
 * masks. bpf/events.h says where each is in the record.
 */
#include <string.h>

#include "calls.h"
#include "format.h"
#include "names.h"
#include "render.h"
#include "render_wait.h"

struct pollfd_rec {
	__s32 fd;
	__s16 events;
	__s16 revents;
};

static int pollfd_count(const struct syscall_record *r)
{
	return (r->have & HAVE_PAYLOAD) ? r->payload_len / 8 : -1;
}

static struct pollfd_rec pollfd_at(const struct syscall_record *r, int i)
{
	struct pollfd_rec p;

	memcpy(&p, record_payload(r) + i * sizeof(p), sizeof(p));
	return p;
}

/* "..." after the entries a record keeps, when there were more. */
static void more_follow(struct strbuf *sb, int kept, __u64 total)
{
	if ((__u64)kept < total)
		sb_add(sb, kept ? ", ..." : "...");
}

/* [{fd=3, events=POLLIN}, ...] */
static void render_pollfds(struct strbuf *sb, const struct syscall_record *r,
			   __u64 ptr)
{
	int n = pollfd_count(r);

	if (n < 0) {
		render_pointer(sb, ptr);
		return;
	}
	sb_addc(sb, '[');
	for (int i = 0; i < n; i++) {
		struct pollfd_rec p = pollfd_at(r, i);

		sb_add(sb, i ? ", {fd=" : "{fd=");
		sb_addi(sb, p.fd);
		/* The kernel skips a negative fd; strace shows no events. */
		if (p.fd >= 0) {
			sb_add(sb, ", events=");
			format_flags_text(sb, poll_event_names,
					  (__u16)p.events, "0");
		}
		sb_addc(sb, '}');
	}
	more_follow(sb, n, r->args[1]);
	sb_addc(sb, ']');
}

void render_time_struct(struct strbuf *sb, const __u8 *at, bool usec)
{
	__s64 t[2];

	memcpy(t, at, sizeof(t));
	sb_add(sb, "{tv_sec=");
	sb_addi(sb, t[0]);
	sb_add(sb, usec ? ", tv_usec=" : ", tv_nsec=");
	sb_addi(sb, t[1]);
	sb_addc(sb, '}');
}

/* select's timeval, ppoll's and pselect6's timespec, as passed. */
static void render_wait_timeout(struct strbuf *sb,
				const struct syscall_record *r, __u64 ptr)
{
	if (!ptr || !(r->have & HAVE_TIMEOUT))
		render_pointer(sb, ptr);
	else
		render_time_struct(sb, r->addr, r->call == CALL_SELECT);
}

/*
 * A signal mask as strace shows it: [INT TERM]; when more than half the
 * signals are in it, ~[...] and the ones that are not.
 */
static void render_sigmask(struct strbuf *sb, const struct syscall_record *r)
{
	__u64 mask;
	bool inverted, first = true;

	memcpy(&mask, r->addr + 32, sizeof(mask));
	inverted = __builtin_popcountll(mask) > 32;
	if (inverted)
		mask = ~mask;
	sb_add(sb, inverted ? "~[" : "[");
	for (int sig = 1; sig <= 64; sig++) {
		const char *name;

		if (!(mask & (1ULL << (sig - 1))))
			continue;
		if (!first)
			sb_addc(sb, ' ');
		first = false;
		name = name_lookup(signal_names, sig);
		if (name)
			sb_add(sb, name + 3);
		else if (sig >= 32)
			sb_addf(sb, "RT_%d", sig - 32);
		else
			sb_addi(sb, sig);
	}
	sb_addc(sb, ']');
}

static void render_sigmask_arg(struct strbuf *sb,
			       const struct syscall_record *r, __u64 ptr)
{
	if (!ptr || !(r->have & HAVE_SIGMASK))
		render_pointer(sb, ptr);
	else
		render_sigmask(sb, r);
}

/* pselect6's last argument: {sigmask=[], sigsetsize=8}. */
static void render_pselect_sig(struct strbuf *sb,
			       const struct syscall_record *r, __u64 ptr)
{
	__u64 mask_ptr;

	if (!ptr || !(r->have & HAVE_AUX1)) {
		render_pointer(sb, ptr);
		return;
	}
	memcpy(&mask_ptr, r->addr + 48, sizeof(mask_ptr));
	sb_add(sb, "{sigmask=");
	render_sigmask_arg(sb, r, mask_ptr);
	sb_add(sb, ", sigsetsize=");
	sb_addu(sb, (__u32)r->aux1);
	sb_addc(sb, '}');
}

/* Set i (0 read, 1 write, 2 except) as passed, or (3..5) as returned. */
static bool fdset_present(const struct syscall_record *r, int i)
{
	return (r->have & HAVE_AUX0) && (r->aux0 & (1 << i)) &&
	       (r->have & HAVE_PAYLOAD) &&
	       r->payload_len >= (i + 1) * WAIT_SET_BYTES;
}

/* The fds in set i, below nfds: "3 5", or in JSON "3,5". */
static void add_fdset_fds(struct strbuf *sb, const struct syscall_record *r,
			  int i, char sep)
{
	const __u8 *set = record_payload(r) + i * WAIT_SET_BYTES;
	__u64 nfds = r->args[0];
	bool first = true;

	for (unsigned int fd = 0; fd < WAIT_SET_BYTES * 8 && fd < nfds; fd++) {
		if (!(set[fd / 8] & (1 << (fd % 8))))
			continue;
		if (!first)
			sb_addc(sb, sep);
		first = false;
		sb_addu(sb, fd);
	}
}

static void render_fdset(struct strbuf *sb, const struct syscall_record *r,
			 int i, __u64 ptr)
{
	if (!fdset_present(r, i)) {
		render_pointer(sb, ptr);
		return;
	}
	sb_addc(sb, '[');
	add_fdset_fds(sb, r, i, ' ');
	sb_addc(sb, ']');
}

int wait_epoll_count(const struct syscall_record *r)
{
	return (r->have & HAVE_PAYLOAD) ? r->payload_len / EPOLL_EVENT_SIZE : -1;
}

struct wait_epoll_event wait_epoll_event(const struct syscall_record *r,
					 int i)
{
	struct wait_epoll_event e;

	memcpy(&e, record_payload(r) + i * EPOLL_EVENT_SIZE, sizeof(e));
	return e;
}

bool wait_ctl_event(const struct syscall_record *r,
		    struct wait_epoll_event *e)
{
	if (!(r->have & HAVE_OFF_IN))
		return false;
	memcpy(e, r->addr + 40, sizeof(*e));
	return true;
}

/* {events=EPOLLIN, data={u32=3, u64=3}} */
static void render_epoll_event(struct strbuf *sb, struct wait_epoll_event e)
{
	sb_add(sb, "{events=");
	format_flags_text(sb, epoll_event_names, e.events, "0");
	sb_add(sb, ", data={u32=");
	sb_addu(sb, (__u32)e.data);
	sb_add(sb, ", u64=");
	sb_addu(sb, e.data);
	sb_add(sb, "}}");
}

static void render_epoll_events(struct strbuf *sb,
				const struct syscall_record *r, __u64 ptr)
{
	int n = wait_epoll_count(r);

	if (r->ret < 0 || (n < 0 && r->ret > 0)) {
		render_pointer(sb, ptr);
		return;
	}
	sb_addc(sb, '[');
	for (int i = 0; i < n; i++) {
		if (i)
			sb_add(sb, ", ");
		render_epoll_event(sb, wait_epoll_event(r, i));
	}
	more_follow(sb, n < 0 ? 0 : n, r->ret > 0 ? r->ret : 0);
	sb_addc(sb, ']');
}

bool render_wait_arg(struct strbuf *sb, const struct syscall_record *r,
		     const struct call_arg *a)
{
	__u64 v = a->index < 6 ? r->args[a->index] : 0;
	struct wait_epoll_event ev;
	const char *op;

	switch (a->kind) {
	case ARG_POLLFDS:
		render_pollfds(sb, r, v);
		return true;
	case ARG_NFDS:
	case ARG_SIGSETSIZE:
		sb_addu(sb, v);
		return true;
	case ARG_TIMEOUT_MS:
	case ARG_MAXEVENTS:
	case ARG_EPFD:
		sb_addi(sb, (int)v);
		return true;
	case ARG_WAIT_TIMEOUT:
		render_wait_timeout(sb, r, v);
		return true;
	case ARG_SIGMASK:
		render_sigmask_arg(sb, r, v);
		return true;
	case ARG_PSELECT_SIG:
		render_pselect_sig(sb, r, v);
		return true;
	case ARG_FDSET:
		render_fdset(sb, r, a->index - 1, v);
		return true;
	case ARG_EPOLL_EVENTS:
		render_epoll_events(sb, r, v);
		return true;
	case ARG_EPOLL_OP:
		op = name_lookup(epoll_op_names, (unsigned int)v);
		if (op)
			sb_add(sb, op);
		else
			sb_addi(sb, (int)v);
		return true;
	case ARG_EPOLL_EVENT:
		if (v && wait_ctl_event(r, &ev))
			render_epoll_event(sb, ev);
		else
			render_pointer(sb, v);
		return true;
	}
	return false;
}

/* ", left {tv_sec=0, tv_nsec=999000}" */
static void render_left(struct strbuf *sb, const struct syscall_record *r,
			bool first)
{
	if (!(r->have & HAVE_LEFT))
		return;
	sb_add(sb, first ? "left " : ", left ");
	render_time_struct(sb, r->addr + 16, r->call == CALL_SELECT);
}

void render_wait_result(struct strbuf *sb, const struct syscall_record *r)
{
	static const char *const set_name[] = { "in", "out", "except" };
	bool first = true;
	int n;

	if (r->ret < 0 || r->call == CALL_EPOLL_WAIT ||
	    r->call == CALL_EPOLL_PWAIT || r->call == CALL_EPOLL_CTL)
		return;
	if (r->ret == 0) {
		sb_add(sb, " (Timeout)");
		return;
	}
	sb_add(sb, " (");
	if (r->call == CALL_POLL || r->call == CALL_PPOLL) {
		n = pollfd_count(r);
		sb_addc(sb, '[');
		for (int i = 0; i < n; i++) {
			struct pollfd_rec p = pollfd_at(r, i);

			if (!p.revents)
				continue;
			sb_add(sb, first ? "{fd=" : ", {fd=");
			first = false;
			sb_addi(sb, p.fd);
			sb_add(sb, ", revents=");
			format_flags_text(sb, poll_event_names,
					  (__u16)p.revents, "0");
			sb_addc(sb, '}');
		}
		sb_addc(sb, ']');
		render_left(sb, r, false);
	} else {
		for (int i = 0; i < 3; i++) {
			const __u8 *set = record_payload(r) +
					  (3 + i) * WAIT_SET_BYTES;
			bool any = false;

			if (!fdset_present(r, 3 + i))
				continue;
			for (int b = 0; b < WAIT_SET_BYTES; b++)
				any |= set[b] != 0;
			if (!any)
				continue;
			sb_add(sb, first ? "" : ", ");
			first = false;
			sb_add(sb, set_name[i]);
			sb_add(sb, " [");
			add_fdset_fds(sb, r, 3 + i, ' ');
			sb_addc(sb, ']');
		}
		render_left(sb, r, first);
	}
	sb_addc(sb, ')');
}

/* --- JSON ------------------------------------------------------------------ */

void json_time_struct(struct strbuf *sb, const __u8 *at, bool usec)
{
	__s64 t[2];

	memcpy(t, at, sizeof(t));
	sb_add(sb, "{\"tv_sec\":");
	sb_addi(sb, t[0]);
	sb_add(sb, usec ? ",\"tv_usec\":" : ",\"tv_nsec\":");
	sb_addi(sb, t[1]);
	sb_addc(sb, '}');
}

static void json_sigmask(struct strbuf *sb, const struct syscall_record *r)
{
	__u64 mask;
	bool first = true;

	render_json_key(sb, "sigmask");
	if (!(r->have & HAVE_SIGMASK)) {
		sb_add(sb, "null");
		return;
	}
	memcpy(&mask, r->addr + 32, sizeof(mask));
	sb_addc(sb, '[');
	for (int sig = 1; sig <= 64; sig++) {
		const char *name = name_lookup(signal_names, sig);

		if (!(mask & (1ULL << (sig - 1))))
			continue;
		if (!first)
			sb_addc(sb, ',');
		first = false;
		if (name)
			sb_addf(sb, "\"%s\"", name);
		else
			sb_addi(sb, sig);
	}
	sb_addc(sb, ']');
}

static void json_fdset(struct strbuf *sb, const struct syscall_record *r,
		       int i, const char *key)
{
	render_json_key(sb, key);
	if (!fdset_present(r, i)) {
		sb_add(sb, "null");
		return;
	}
	sb_addc(sb, '[');
	add_fdset_fds(sb, r, i, ',');
	sb_addc(sb, ']');
}

static void json_epoll_event(struct strbuf *sb, struct wait_epoll_event e)
{
	sb_add(sb, "{\"events\":");
	format_flags_json(sb, epoll_event_names, e.events);
	sb_add(sb, ",\"data\":");
	sb_addu(sb, e.data);
	sb_addc(sb, '}');
}

static void json_pollfds(struct strbuf *sb, const struct syscall_record *r)
{
	int n = pollfd_count(r);

	render_json_key(sb, "fds");
	if (n < 0) {
		sb_add(sb, "null");
		return;
	}
	sb_addc(sb, '[');
	for (int i = 0; i < n; i++) {
		struct pollfd_rec p = pollfd_at(r, i);

		sb_add(sb, i ? ",{\"fd\":" : "{\"fd\":");
		sb_addi(sb, p.fd);
		sb_add(sb, ",\"events\":");
		format_flags_json(sb, poll_event_names, (__u16)p.events);
		if (r->ret >= 0) {
			sb_add(sb, ",\"revents\":");
			format_flags_json(sb, poll_event_names,
					  (__u16)p.revents);
		}
		sb_addc(sb, '}');
	}
	sb_addc(sb, ']');
}

bool json_wait_arg(struct strbuf *sb, const struct syscall_record *r,
		   const struct call_arg *a)
{
	static const char *const set_key[] = {
		"readfds", "writefds", "exceptfds",
	};
	__u64 v = a->index < 6 ? r->args[a->index] : 0;
	struct wait_epoll_event ev;
	const char *op;

	switch (a->kind) {
	case ARG_POLLFDS:
		json_pollfds(sb, r);
		return true;
	case ARG_NFDS:
		render_json_key(sb, "nfds");
		sb_addu(sb, v);
		return true;
	case ARG_SIGSETSIZE:
		return true;
	case ARG_TIMEOUT_MS:
		render_json_key(sb, "timeout");
		sb_addi(sb, (int)v);
		return true;
	case ARG_MAXEVENTS:
		render_json_key(sb, "maxevents");
		sb_addi(sb, (int)v);
		return true;
	case ARG_EPFD:
		render_json_key(sb, "epfd");
		sb_addi(sb, (int)v);
		return true;
	case ARG_WAIT_TIMEOUT:
		render_json_key(sb, "timeout");
		if (r->have & HAVE_TIMEOUT)
			json_time_struct(sb, r->addr, r->call == CALL_SELECT);
		else
			sb_add(sb, "null");
		if (r->have & HAVE_LEFT) {
			render_json_key(sb, "left");
			json_time_struct(sb, r->addr + 16,
					 r->call == CALL_SELECT);
		}
		return true;
	case ARG_SIGMASK:
	case ARG_PSELECT_SIG:
		json_sigmask(sb, r);
		return true;
	case ARG_FDSET:
		json_fdset(sb, r, a->index - 1, set_key[a->index - 1]);
		/* After the last set: what select returned in them. */
		if (a->index == 3 && r->ret >= 0) {
			render_json_key(sb, "ready");
			sb_addc(sb, '{');
			for (int i = 0; i < 3; i++)
				json_fdset(sb, r, 3 + i, set_key[i]);
			sb_addc(sb, '}');
		}
		return true;
	case ARG_EPOLL_EVENTS:
		if (r->ret < 0)
			return true;
		render_json_key(sb, "events");
		sb_addc(sb, '[');
		for (int i = 0; i < wait_epoll_count(r); i++) {
			if (i)
				sb_addc(sb, ',');
			json_epoll_event(sb, wait_epoll_event(r, i));
		}
		sb_addc(sb, ']');
		return true;
	case ARG_EPOLL_OP:
		render_json_key(sb, "op");
		op = name_lookup(epoll_op_names, (unsigned int)v);
		if (op)
			sb_addf(sb, "\"%s\"", op);
		else
			sb_addi(sb, (int)v);
		return true;
	case ARG_EPOLL_EVENT:
		render_json_key(sb, "event");
		if (wait_ctl_event(r, &ev))
			json_epoll_event(sb, ev);
		else
			sb_add(sb, "null");
		return true;
	}
	return false;
}

/* The pollfds of a poll/ppoll record that reported events. */
int wait_ready_fds(const struct syscall_record *r, int *fds, int *revents,
		   int max)
{
	int n = 0;

	if (r->ret <= 0)
		return 0;
	if (r->call == CALL_POLL || r->call == CALL_PPOLL) {
		for (int i = 0; i < pollfd_count(r) && n < max; i++) {
			struct pollfd_rec p = pollfd_at(r, i);

			if (!p.revents)
				continue;
			fds[n] = p.fd;
			revents[n++] = (__u16)p.revents;
		}
		return n;
	}
	if (r->call != CALL_SELECT && r->call != CALL_PSELECT6)
		return 0;
	for (unsigned int fd = 0; fd < WAIT_SET_BYTES * 8 && fd < r->args[0];
	     fd++) {
		int ev = 0;

		for (int i = 0; i < 3; i++) {
			const __u8 *set = record_payload(r) +
					  (3 + i) * WAIT_SET_BYTES;

			if (fdset_present(r, 3 + i) &&
			    (set[fd / 8] & (1 << (fd % 8))))
				ev |= i == 0 ? 0x1 : i == 1 ? 0x4 : 0x2;
		}
		if (ev && n < max) {
			fds[n] = fd;
			revents[n++] = ev;
		}
	}
	return n;
}
