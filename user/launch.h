/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_LAUNCH_H
#define SOCKSCOPE_LAUNCH_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * Running the traced command: launch_prepare forks a child that waits
 * until launch_go, so the tracer can add the child's pid to its filter
 * and attach first; not one call of the command is missed.
 */
struct launch {
	pid_t pid;
	int go_fd;		/* write end: one byte releases the child */
	int err_fd;		/* read end: errno of a failed exec, or EOF */
	uid_t uid;		/* who the command runs as */
	gid_t gid;
	bool drop;
	bool released;		/* launch_go let it run */
};

/*
 * Who runs the command: -u USER, else the user who ran sudo (SUDO_UID and
 * SUDO_GID), else ourselves. 0, or -errno after printing why.
 */
int launch_choose_user(struct launch *l, const char *user);

int launch_prepare(struct launch *l, char **argv);

/* Release the child. 0 when it exec'ed; -errno (printed) when it could not. */
int launch_go(struct launch *l, const char *prog);

/* The exit status of the child, shell-style (128+signal), or -1 while it
 * runs. */
int launch_poll(struct launch *l);

/*
 * Wait for the command to end and return its status. With stop_it (the
 * tracer was interrupted), wait a moment, then SIGTERM, then SIGKILL; a
 * command never released exits at once.
 */
int launch_finish(struct launch *l, bool stop_it);

#endif
