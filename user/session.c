// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * One live tracing session: check privileges, BTF and tracefs -> open the
 * outputs -> fork the command (held) -> load -> filters -> attach ->
 * release the command -> read the ring buffer until Ctrl-C or the command
 * ends -> detach, drain, report losses and the summary.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <bpf/libbpf.h>

#include "launch.h"
#include "names.h"
#include "output.h"
#include "privilege.h"
#include "procnet.h"
#include "reader.h"
#include "session.h"
#include "tracefs.h"
#include "tracer.h"

#define POLL_TIMEOUT_MS		50
#define FLUSH_BYTES		(64 * 1024)

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	exiting = 1;
}

bool session_interrupted(void)
{
	return exiting;
}

void session_setup_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Output that cannot be written ends the trace. */
static void flush_all(struct reader *rd)
{
	if (output_flush(rd->out))
		exiting = 1;
	if (rd->save && output_flush(rd->save))
		exiting = 1;
}

static int handle_record(void *ctx, void *data, size_t size)
{
	struct reader *rd = ctx;

	const struct event_header *hdr = data;

	/* A record is reserved with room for the largest payload; its
	 * header says how much of that it used. */
	if (size >= sizeof(*hdr) && hdr->size <= size)
		size = hdr->size;
	reader_handle(rd, data, size, NULL);
	if (rd->out->buf.len >= FLUSH_BYTES ||
	    (rd->save && rd->save->buf.len >= FLUSH_BYTES))
		flush_all(rd);
	return 0;
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

/* --- the loop ------------------------------------------------------------- */

static int read_until_done(struct tracer *t, struct reader *rd,
			   struct launch *cmd, int *cmd_status)
{
	int err;

	while (!exiting) {
		/* Wake-ups are batched in the kernel: poll with a short
		 * timeout, then take whatever is there. */
		err = ringbuf_poll(&t->rb, POLL_TIMEOUT_MS);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "sockscope: reading events: %s\n",
				strerror(-err));
			return err;
		}
		reader_release(rd, false);
		flush_all(rd);
		if (cmd && *cmd_status < 0)
			*cmd_status = launch_poll(cmd);
		if (cmd && *cmd_status >= 0)
			break;
	}
	return 0;
}

struct existing_ctx {
	struct reader *rd;
	struct tracer *t;
	pid_t pid;
	char comm[SOCKSCOPE_COMM_LEN];
};

static void add_existing(int fd, unsigned long inode, void *arg)
{
	struct existing_ctx *ctx = arg;
	struct proc_sock ps;

	if (procnet_find_inode(inode, &ps))
		return;
	socktable_add_existing(ctx->rd->socks, ctx->pid, fd, ctx->comm, &ps);
	if (ps.protocol == IPPROTO_TCP && ps.state == TCP_LISTEN)
		tracer_add_listener(ctx->t, ps.sport, ctx->pid);
}

/* The sockets the -p processes already have: known before their calls. */
static void find_existing_sockets(struct reader *rd, struct tracer *t,
				  const struct options *o)
{
	for (int i = 0; i < o->npids; i++) {
		struct existing_ctx ctx = { .rd = rd, .t = t,
					    .pid = o->pids[i] };
		char path[64];
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/comm", o->pids[i]);
		f = fopen(path, "re");
		if (f) {
			if (fgets(ctx.comm, sizeof(ctx.comm), f))
				ctx.comm[strcspn(ctx.comm, "\n")] = '\0';
			fclose(f);
		}
		proc_socket_fds(o->pids[i], add_existing, &ctx);
	}
}

/* A closed pipe (| head) ends the trace quietly; other failures say so. */
static int check_written(struct output *out)
{
	if (!out->error || out->error == EPIPE)
		return 0;
	fprintf(stderr, "sockscope: writing the trace to %s failed: %s\n",
		out->name, strerror(out->error));
	return -out->error;
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
	reader_start(rd, 0);
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
	tracer_stop(t);
	ringbuf_consume(&t->rb);
	reader_release(rd, true);
	lost = tracer_lost_total(t);
	reader_report_lost(rd, tracer_lost_unreported(t), 0);
	flush_all(rd);
	err = err ? err : check_written(rd->out);
	if (rd->save && !err)
		err = check_written(rd->save);
	if (rd->out->error != EPIPE && !rd->opts->no_summary)
		reader_print_summary(rd, stderr, lost);
	return err;
}

int session_run(const struct options *o, session_hook after, void *ctx)
{
	struct output out, save_state, *save = NULL;
	struct launch cmd_state, *cmd = NULL;
	struct tracer t = {};
	struct reader rd;
	int cmd_status = -1, err;

	if (check_environment(o) || output_open(&out, o->output))
		return 1;
	if (o->save) {
		save = &save_state;
		if (output_open(save, o->save))
			return 1;
	}
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
	if (reader_init(&rd, o, &out, save)) {
		fprintf(stderr, "sockscope: out of memory\n");
		return 1;
	}
	rd.live = true;
	rd.diagram = o->diagram_into;
	err = tracer_load(&t, o);
	if (!err && o->explain)
		find_existing_sockets(&rd, &t, o);
	if (!err && cmd)
		err = tracer_add_pid(&t, cmd->pid);
	if (!err)
		err = trace(&t, &rd, cmd, &cmd_status);
	tracer_close(&t);
	if (after)
		after(&rd, ctx);
	reader_free(&rd);
	output_close(&out);
	if (save)
		output_close(save);
	if (cmd) {
		/* Output closed (| head): let the command finish. */
		if (cmd_status < 0)
			cmd_status = launch_finish(cmd, out.error != EPIPE);
		/* Never released: the tracer failed, and said why. */
		if (!cmd->released)
			return 1;
		/* The trace could not be written (disk full...): a failure,
		 * whatever the command did; the line above said why. */
		if ((out.error && out.error != EPIPE) ||
		    (save && save->error && save->error != EPIPE))
			return 1;
		return cmd_status;
	}
	return err ? 1 : 0;
}

