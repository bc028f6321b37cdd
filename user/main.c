// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * sockscope: trace the socket calls of programs with eBPF and print them
 * decoded, strace-like, or as JSON lines.
 *
 * parse options -> check privileges, BTF, tracefs -> open the output ->
 * fork the command (held) -> load -> filters -> attach -> release the
 * command -> read the ring buffer until Ctrl-C or the command ends ->
 * detach, drain, report losses and the summary.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "calls.h"
#include "explain.h"
#include "launch.h"
#include "options.h"
#include "privilege.h"
#include "render.h"
#include "socktable.h"
#include "strbuf.h"
#include "tracefs.h"
#include "tracer.h"

#define POLL_TIMEOUT_MS		50
#define FLUSH_BYTES		(64 * 1024)

static volatile sig_atomic_t exiting;

struct reader {
	const struct options *opts;
	struct render_opts ro;
	struct strbuf out;
	struct strbuf note;
	struct socktable *socks;
	int out_fd;
	const char *out_name;
	int write_error;		/* errno of a failed write, or 0 */
	unsigned long long calls[CALL_MAX];
	unsigned long long failed[CALL_MAX];
	unsigned long long lost_reported;
	unsigned long long malformed;
};

static bool verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list args)
{
	if (!verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static void on_signal(int sig)
{
	exiting = 1;
}

static void setup_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* --- output --------------------------------------------------------------- */

static void flush_output(struct reader *rd)
{
	size_t off = 0;
	ssize_t n;

	while (off < rd->out.len && !rd->write_error) {
		n = write(rd->out_fd, rd->out.buf + off, rd->out.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rd->write_error = n < 0 ? errno : EIO;
			exiting = 1;
			break;
		}
		off += n;
	}
	sb_reset(&rd->out);
}

static int open_output(struct reader *rd, const char *path)
{
	rd->out_fd = STDOUT_FILENO;
	rd->out_name = "standard output";
	if (!path)
		return 0;
	/* Never follow a symlink planted where the trace goes. */
	rd->out_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
			  O_CLOEXEC, 0600);
	if (rd->out_fd < 0) {
		fprintf(stderr, "sockscope: cannot write the trace to '%s': %s\n",
			path, strerror(errno));
		return -errno;
	}
	rd->out_name = path;
	return 0;
}

/* --- records -------------------------------------------------------------- */

static void report_lost(struct reader *rd, unsigned long long n, __u64 ts)
{
	if (!n)
		return;
	rd->lost_reported += n;
	if (rd->opts->json)
		render_lost_json(&rd->out, n, ts);
	else
		render_lost_text(&rd->out, n);
}

static void handle_syscall(struct reader *rd, const struct syscall_record *r)
{
	struct sock_entry before, *e;

	e = socktable_apply_call(rd->socks, r, &before);
	rd->calls[r->call]++;
	if (r->ret < 0 && r->ret >= -4095)
		rd->failed[r->call]++;
	else if (rd->opts->failed_only)
		return;
	sb_reset(&rd->note);
	if (rd->opts->explain)
		explain_call(&rd->note, r, e, &before);
	if (rd->opts->json) {
		render_syscall_json(&rd->out, r, &rd->ro, rd->note.buf);
	} else {
		render_syscall_text(&rd->out, r, &rd->ro);
		render_note_text(&rd->out, rd->note.buf);
	}
}

static void handle_kernel(struct reader *rd, const struct kernel_record *k)
{
	struct event_owner o = { .pid = k->owner_pid, .fd = -1, .comm = "" };
	struct sock_entry *e;
	__u64 ns_in_old;

	e = socktable_apply_kernel(rd->socks, k, &ns_in_old);
	if (rd->opts->failed_only)
		return;
	if (e) {
		o.pid = e->pid;
		o.fd = e->fd >= 0 ? e->fd : e->last_fd;
		o.comm = e->comm;
	}
	sb_reset(&rd->note);
	explain_kernel(&rd->note, k, e, ns_in_old);
	if (rd->opts->json) {
		render_kernel_json(&rd->out, k, &o, ns_in_old, rd->note.buf);
	} else {
		render_kernel_text(&rd->out, k, &o, ns_in_old, &rd->ro);
		render_note_text(&rd->out, rd->note.buf);
	}
}

static int handle_record(void *ctx, void *data, size_t size)
{
	struct reader *rd = ctx;
	const struct event_header *hdr = data;

	if (record_validate(data, size)) {
		rd->malformed++;
		return 0;
	}
	report_lost(rd, hdr->lost_before, hdr->ts_ns);
	if (hdr->kind == EVENT_SYSCALL)
		handle_syscall(rd, data);
	else
		handle_kernel(rd, data);
	if (rd->out.len >= FLUSH_BYTES)
		flush_output(rd);
	return 0;
}

static void print_summary(struct reader *rd, unsigned long long lost)
{
	unsigned long long calls = 0, failed = 0;

	for (int c = 1; c < CALL_MAX; c++) {
		calls += rd->calls[c];
		failed += rd->failed[c];
	}
	fprintf(stderr, "sockscope: %llu calls, %llu failed, %llu lost\n",
		calls, failed, lost);
	if (rd->malformed)
		fprintf(stderr, "sockscope: %llu malformed records ignored\n",
			rd->malformed);
	if (!calls)
		return;
	fprintf(stderr, "%10s %8s  %s\n", "calls", "failed", "syscall");
	for (int c = 1; c < CALL_MAX; c++)
		if (rd->calls[c])
			fprintf(stderr, "%10llu %8llu  %s\n", rd->calls[c],
				rd->failed[c], call_name(c));
}

/* --- setup ---------------------------------------------------------------- */

static int check_environment(const struct options *o)
{
	if (!can_trace()) {
		fprintf(stderr,
			"sockscope: needs root or CAP_BPF+CAP_PERFMON; try: sudo sockscope\n");
		return -EPERM;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		fprintf(stderr,
			"sockscope: this kernel has no BTF (/sys/kernel/btf/vmlinux is missing); it needs a kernel built with CONFIG_DEBUG_INFO_BTF=y\n");
		return -ENOENT;
	}
	for (int i = 0; i < o->npids; i++) {
		if (kill(o->pids[i], 0) && errno == ESRCH) {
			fprintf(stderr, "sockscope: no process with pid %d\n",
				o->pids[i]);
			return -ESRCH;
		}
	}
	return tracefs_ensure();
}

static void init_render_opts(struct render_opts *ro, const struct options *o)
{
	struct timespec mono, real;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	ro->duration = o->duration;
	ro->wallclock = o->wallclock;
	ro->start_ns = mono.tv_sec * 1000000000ULL + mono.tv_nsec;
	ro->realtime_offset_ns = (real.tv_sec - mono.tv_sec) * 1000000000LL +
				 (real.tv_nsec - mono.tv_nsec);
}

/* --- the loop ------------------------------------------------------------- */

static int read_until_done(struct tracer *t, struct reader *rd,
			   struct launch *cmd, int *cmd_status)
{
	int err;

	while (!exiting) {
		/* Wake-ups are batched in the kernel: poll with a short
		 * timeout, then take whatever is there. */
		err = ring_buffer__poll(t->rb, POLL_TIMEOUT_MS);
		if (err >= 0)
			err = ring_buffer__consume(t->rb);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "sockscope: reading events: %s\n",
				strerror(-err));
			return err;
		}
		flush_output(rd);
		if (cmd && *cmd_status < 0)
			*cmd_status = launch_poll(cmd);
		if (cmd && *cmd_status >= 0)
			break;
	}
	return 0;
}

static int trace(struct tracer *t, struct reader *rd, struct launch *cmd,
		 int *cmd_status)
{
	unsigned long long lost;
	int err;

	err = tracer_open_ring(t, handle_record, rd);
	if (err)
		return err;
	err = tracer_attach(t);
	if (err)
		return err;
	/* Times are relative to the moment tracing began. */
	init_render_opts(&rd->ro, rd->opts);
	if (cmd) {
		err = launch_go(cmd, rd->opts->command[0]);
		if (err) {
			*cmd_status = 127;
			return err;
		}
	} else {
		fprintf(stderr, "sockscope: tracing socket calls; Ctrl-C to stop\n");
	}
	err = read_until_done(t, rd, cmd, cmd_status);
	/* Stop new records, then drain all that were recorded. */
	tracer_detach(t);
	ring_buffer__consume(t->rb);
	lost = tracer_lost_total(t);
	report_lost(rd, tracer_lost_unreported(t), 0);
	flush_output(rd);
	if (rd->write_error && rd->write_error != EPIPE) {
		fprintf(stderr, "sockscope: writing the trace to %s failed: %s\n",
			rd->out_name, strerror(rd->write_error));
		err = -rd->write_error;
	}
	if (rd->write_error != EPIPE)
		print_summary(rd, lost);
	return err;
}

static int run(const struct options *o)
{
	struct reader rd = { .opts = o };
	struct launch cmd_state, *cmd = NULL;
	struct tracer t = {};
	int cmd_status = -1, err;

	if (check_environment(o) || open_output(&rd, o->output))
		return 1;
	if (o->command) {
		cmd = &cmd_state;
		if (launch_choose_user(cmd, o->user))
			return 1;
		err = launch_prepare(cmd, o->command);
		if (err) {
			fprintf(stderr, "sockscope: cannot start '%s': %s\n",
				o->command[0], strerror(-err));
			return 127;
		}
	}
	sb_init(&rd.out);
	sb_init(&rd.note);
	rd.socks = socktable_new();
	if (!rd.socks) {
		fprintf(stderr, "sockscope: out of memory\n");
		return 1;
	}
	err = tracer_load(&t, o);
	if (!err && cmd)
		err = tracer_add_pid(&t, cmd->pid);
	if (!err)
		err = trace(&t, &rd, cmd, &cmd_status);
	tracer_close(&t);
	socktable_free(rd.socks);
	sb_free(&rd.note);
	sb_free(&rd.out);
	if (cmd) {
		/* Output closed (| head): let the command finish. */
		if (cmd_status < 0)
			cmd_status = launch_finish(cmd,
						   rd.write_error != EPIPE);
		/* Never released: the tracer failed, and said why. */
		return cmd->released ? cmd_status : 1;
	}
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct options o;
	int ret;

	ret = options_parse(&o, argc, argv, stderr);
	if (ret)
		return ret;
	if (o.help) {
		options_print_help(stdout);
		return 0;
	}
	if (o.version) {
		printf("sockscope %s\n", SOCKSCOPE_VERSION);
		return 0;
	}
	verbose = o.verbose;
	libbpf_set_print(libbpf_print);
	setup_signals();
	return run(&o);
}
