// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Running build/sockscope from the end-to-end tests. */
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "harness.h"
#include "paths.h"
#include "tracer_run.h"

#define READY_LINE	"sockscope: tracing socket calls; Ctrl-C to stop"
#define START_MS	30000
#define STOP_MS		30000

const char *e2e_skip_reason(void)
{
	if (geteuid() != 0)
		return "needs root to load BPF programs";
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		return "the kernel has no BTF";
	return NULL;
}

static int tracer_argv(char **argv, int max, char *const opts[],
		       char *const command[])
{
	static char path[4096];
	int n = 0;

	build_path(path, sizeof(path), "sockscope");
	argv[n++] = path;
	for (int i = 0; opts && opts[i] && n < max - 2; i++)
		argv[n++] = opts[i];
	if (command) {
		argv[n++] = "--";
		for (int i = 0; command[i] && n < max - 1; i++)
			argv[n++] = command[i];
	}
	argv[n] = NULL;
	return n;
}

int tracer_start(struct proc *tracer, char *const opts[])
{
	char *argv[64], line[512], *err = NULL;
	ssize_t n;

	tracer_argv(argv, 64, opts, NULL);
	if (proc_spawn(tracer, argv))
		return -1;
	n = proc_read_err_line(tracer, line, sizeof(line), START_MS);
	if (n >= 0 && !strcmp(line, READY_LINE))
		return 0;
	proc_read_all_err(tracer, &err, 1000);
	TH_LOG("sockscope did not start: %s %s", n < 0 ? strerror(-n) : line,
	       err ? err : "");
	free(err);
	return -1;
}

int tracer_stop(struct proc *tracer, char **out)
{
	proc_kill(tracer, SIGINT);
	if (proc_read_all(tracer, out, STOP_MS) < 0)
		*out = strdup("");
	return proc_wait(tracer, STOP_MS);
}

/*
 * A Python program runs as the docs run it, through sudo, which sets
 * HOME: without it (a bare CI shell) Python looks its user up over NSS as
 * it starts, and the sockets of those lookups would be traced as the
 * program's. (test_lessons runs the Python lessons without HOME on
 * purpose: the lesson, not python3, is their command.)
 */
static void python_home(char *const command[])
{
	struct passwd *pw;

	if (!command || !command[0] || strcmp(command[0], PYTHON3) ||
	    getenv("HOME"))
		return;
	pw = getpwuid(getuid());
	if (pw)
		setenv("HOME", pw->pw_dir, 1);
}

int tracer_spawn(struct proc *p, char *const opts[], char *const command[])
{
	char *argv[64];

	python_home(command);
	tracer_argv(argv, 64, opts, command);
	if (proc_spawn(p, argv))
		return -1;
	proc_close_stdin(p);
	return 0;
}

int tracer_collect(struct proc *p, char **out, char **err)
{
	int status;

	proc_read_all(p, out, 60000);
	proc_read_all_err(p, err, 5000);
	status = proc_wait(p, 10000);
	proc_cleanup(p);
	return status;
}

int tracer_run(char *const opts[], char *const command[], char **out,
	       char **err)
{
	struct proc p = {};

	if (tracer_spawn(&p, opts, command))
		return -1;
	return tracer_collect(&p, out, err);
}

int trace_python(char *const opts[], const char *program, char **out,
		 char **err)
{
	char *cmd[] = { PYTHON3, "-c", (char *)program, NULL };

	return tracer_run(opts, cmd, out, err);
}

static void append(char **buf, size_t *len, const char *s, size_t n)
{
	*buf = realloc(*buf, *len + n + 2);
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[(*len)++] = '\n';
	(*buf)[*len] = '\0';
}

char *text_lines_of(const char *out, pid_t pid)
{
	char same[32], thread[32];
	size_t len = 0;
	char *buf = strdup("");

	snprintf(same, sizeof(same), "[%d ", pid);
	snprintf(thread, sizeof(thread), "[%d/", pid);
	for (const char *line = out; line && *line;) {
		const char *end = strchrnul(line, '\n');
		const char *call = memchr(line, '[', end - line);

		if (call && (!strncmp(call, same, strlen(same)) ||
			     !strncmp(call, thread, strlen(thread))))
			append(&buf, &len, call, end - call);
		line = *end ? end + 1 : end;
	}
	return buf;
}

/* Replace the digits after each key with a single 0. */
static void zero_number(char *line, const char *key)
{
	char *p = strstr(line, key), *d;

	if (!p)
		return;
	p += strlen(key);
	d = p;
	while (*d >= '0' && *d <= '9')
		d++;
	if (d == p)
		return;
	*p = '0';
	memmove(p + 1, d, strlen(d) + 1);
}

char *json_lines_of(const char *out, pid_t pid)
{
	char key[48], *line;
	size_t len = 0;
	char *buf = strdup("");

	snprintf(key, sizeof(key), "\"pid\":%d,", pid);
	for (const char *p = out; p && *p;) {
		const char *end = strchrnul(p, '\n');

		line = strndup(p, end - p);
		if (strstr(line, key)) {
			zero_number(line, "\"ts_ns\":");
			zero_number(line, "\"duration_ns\":");
			append(&buf, &len, line, strlen(line));
		}
		free(line);
		p = *end ? end + 1 : end;
	}
	return buf;
}

char *tracer_run_over_strace(char *const opts[], char *const strace_args[],
			     const char *trace, char **out, char **err)
{
	char *cmd[32] = { "strace", "-qq", "-o", (char *)trace, "-e",
			  "signal=none" };
	size_t n = 6;

	for (size_t i = 0; strace_args[i] && n < sizeof(cmd) / sizeof(*cmd) - 1;
	     i++)
		cmd[n++] = strace_args[i];
	cmd[n] = NULL;
	/* Under SANITIZE=1: LeakSanitizer cannot run under ptrace. */
	setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
	if (tracer_run(opts, cmd, out, err))
		return NULL;
	return slurp(trace);
}
