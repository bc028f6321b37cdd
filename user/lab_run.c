// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The lab runner, traced by the lab: runs an experiment's steps, each a
 * program in the sender's or the receiver's network namespace, and writes
 * their pids, output and exit statuses to the lab's log.
 *
 *	__lab-run LOGFD --step LABEL NETNS bg|fg PROGRAM ARGS... --step ...
 *
 * A "bg" step (a receiver) starts, and the next step waits for its first
 * line ("listening on ..."): it is ready. A "fg" step (a sender) runs to
 * its end. The runner then waits for the bg steps to end by themselves,
 * for at most LAB_RUN_DEADLINE_S seconds in all.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "lab.h"

#define MAX_STEPS		8
#define LAB_RUN_DEADLINE_S	30

struct step {
	const char *label;	/* "udp-receiver" */
	const char *netns;
	bool background;
	char **argv;		/* into the runner's argv, NULL-terminated */
	pid_t pid;
	int out;		/* its stdout and stderr; -1 at EOF */
	bool line_start;
	bool done;
};

static struct timespec deadline;

static int ms_left(void)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline.tv_sec - now.tv_sec) * 1000LL +
	     (deadline.tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : (int)ms;
}

static int start_step(struct step *s, FILE *log)
{
	char path[PATH_MAX];
	int out[2], nsfd;

	snprintf(path, sizeof(path), "/run/netns/%s", s->netns);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0 || pipe2(out, O_CLOEXEC)) {
		fprintf(log, "%s| cannot start: %s\n", s->label,
			strerror(errno));
		return -1;
	}
	s->pid = fork();
	if (s->pid == 0) {
		if (setns(nsfd, CLONE_NEWNET)) {
			dprintf(out[1], "cannot enter %s: %s\n", s->netns,
				strerror(errno));
			_exit(126);
		}
		dup2(out[1], 1);
		dup2(out[1], 2);
		execv(s->argv[0], s->argv);
		dprintf(2, "cannot run %s: %s\n", s->argv[0], strerror(errno));
		_exit(127);
	}
	close(nsfd);
	close(out[1]);
	if (s->pid < 0) {
		close(out[0]);
		return -1;
	}
	s->out = out[0];
	s->line_start = true;
	fprintf(log, "pid %s %d\n", s->label, s->pid);
	fflush(log);
	return 0;
}

/* Copy what a step printed to the log, each line behind "label| ". Stops
 * after a newline when one_line. Returns false at end of file. */
static bool copy_output(struct step *s, FILE *log, bool one_line)
{
	char buf[4096];
	ssize_t n = read(s->out, buf, one_line ? 1 : sizeof(buf));

	if (n <= 0) {
		if (!s->line_start)
			fputc('\n', log);
		close(s->out);
		s->out = -1;
		return false;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (s->line_start)
			fprintf(log, "%s| ", s->label);
		fputc(buf[i], log);
		s->line_start = buf[i] == '\n';
	}
	fflush(log);
	return true;
}

/* Until step `until` has printed its first line (first_line) or closed
 * its output, copy what every running step prints. false: deadline. */
static bool pump(struct step *steps, int n, struct step *until,
		 bool first_line, FILE *log)
{
	while (until->out >= 0) {
		struct pollfd fds[MAX_STEPS];
		int ready;

		for (int i = 0; i < n; i++)
			fds[i] = (struct pollfd){ .fd = steps[i].out,
						  .events = POLLIN };
		ready = poll(fds, n, ms_left());
		if (ready == 0)
			return false;
		if (ready < 0 && errno != EINTR)
			return false;
		for (int i = 0; i < n && ready > 0; i++) {
			struct step *s = &steps[i];
			bool one = first_line && s == until;

			if (!fds[i].revents)
				continue;
			if (copy_output(s, log, one) && one &&
			    s->line_start)
				return true;
		}
	}
	return true;
}

static void reap(struct step *s, FILE *log, bool kill_it)
{
	int status;

	if (s->done || s->pid <= 0)
		return;
	if (kill_it) {
		kill(s->pid, SIGKILL);
		fprintf(log, "killed %s: still running after %d s\n",
			s->label, LAB_RUN_DEADLINE_S);
	}
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (s->out >= 0)
		close(s->out);
	s->out = -1;
	s->done = true;
	fprintf(log, "exit %s %d\n", s->label,
		WIFEXITED(status) ? WEXITSTATUS(status) :
		128 + WTERMSIG(status));
	fflush(log);
}

/* Split argv at each "--step" into steps. Returns how many, or -1. */
static int parse_steps(int argc, char **argv, struct step *steps)
{
	int n = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--step"))
			continue;
		if (n == MAX_STEPS || i + 4 >= argc)
			return -1;
		argv[i] = NULL;		/* ends the previous step's argv */
		steps[n] = (struct step){
			.label = argv[i + 1], .netns = argv[i + 2],
			.background = !strcmp(argv[i + 3], "bg"),
			.argv = &argv[i + 4], .out = -1,
		};
		n++;
		i += 4;
	}
	return n;
}

int lab_runner_main(int argc, char **argv)
{
	struct step steps[MAX_STEPS];
	bool in_time = true;
	FILE *log = NULL;
	char *end;
	long fd;
	int n;

	if (argc < 2)
		return 2;
	fd = strtol(argv[1], &end, 10);
	if (!*end && fd > 2 && fd < INT_MAX &&
	    fcntl((int)fd, F_SETFD, FD_CLOEXEC) == 0)
		log = fdopen((int)fd, "w");
	n = parse_steps(argc - 2, argv + 2, steps);
	if (!log || n <= 0) {
		fprintf(stderr, "sockscope: the lab runner needs a log and steps\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += LAB_RUN_DEADLINE_S;
	for (int i = 0; i < n && in_time; i++) {
		struct step *s = &steps[i];

		if (start_step(s, log))
			break;
		in_time = pump(steps, i + 1, s, s->background, log);
		if (!s->background)
			reap(s, log, !in_time);
	}
	/* The receivers end by themselves: the sender closed, or went
	 * quiet. */
	for (int i = 0; i < n; i++) {
		if (in_time && steps[i].out >= 0)
			in_time = pump(steps, n, &steps[i], false, log);
		reap(&steps[i], log, !in_time);
	}
	fclose(log);
	return in_time ? 0 : 1;
}
