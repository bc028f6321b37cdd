// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Starting the traced command, as the right user, after attaching. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "launch.h"

static int parse_id(const char *s, unsigned long *out)
{
	char *end;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno || *end ? -EINVAL : 0;
}

int launch_choose_user(struct launch *l, const char *user)
{
	unsigned long uid, gid;
	struct passwd *pw;

	memset(l, 0, sizeof(*l));
	l->pid = -1;
	l->go_fd = l->err_fd = -1;
	if (user) {
		pw = getpwnam(user);
		if (!pw && !parse_id(user, &uid))
			pw = getpwuid(uid);
		if (!pw) {
			fprintf(stderr, "sockscope: no such user '%s' for -u\n",
				user);
			return -ENOENT;
		}
		l->uid = pw->pw_uid;
		l->gid = pw->pw_gid;
		l->drop = true;
		return 0;
	}
	/* Started with sudo: the command runs as the user who typed it. */
	if (geteuid() == 0 && !parse_id(getenv("SUDO_UID"), &uid) &&
	    !parse_id(getenv("SUDO_GID"), &gid) && uid != 0) {
		l->uid = uid;
		l->gid = gid;
		l->drop = true;
	}
	return 0;
}

static int drop_privileges(const struct launch *l)
{
	struct passwd *pw = getpwuid(l->uid);

	if (pw ? initgroups(pw->pw_name, l->gid) : setgroups(0, NULL))
		return -errno;
	if (setgid(l->gid) || setuid(l->uid))
		return -errno;
	return 0;
}

static void child_run(struct launch *l, int go_rd, int err_wr, char **argv)
{
	char byte;
	int err = 0;

	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	/* Become the user first: looking the user up makes socket calls of
	 * its own (NSS), which are not the command's. */
	if (l->drop)
		err = drop_privileges(l);
	/* Wait for the tracer: EOF means it gave up. */
	if (read(go_rd, &byte, 1) != 1)
		_exit(127);
	close(go_rd);
	if (!err) {
		execvp(argv[0], argv);
		err = -errno;
	}
	if (write(err_wr, &err, sizeof(err)) < 0)
		_exit(127);
	_exit(127);
}

int launch_prepare(struct launch *l, char **argv)
{
	int go[2], ex[2];

	if (pipe2(go, O_CLOEXEC))
		return -errno;
	if (pipe2(ex, O_CLOEXEC)) {
		close(go[0]);
		close(go[1]);
		return -errno;
	}
	fflush(NULL);
	l->pid = fork();
	if (l->pid < 0) {
		int err = -errno;

		close(go[0]);
		close(go[1]);
		close(ex[0]);
		close(ex[1]);
		return err;
	}
	if (l->pid == 0) {
		close(go[1]);
		close(ex[0]);
		child_run(l, go[0], ex[1], argv);
	}
	close(go[0]);
	close(ex[1]);
	l->go_fd = go[1];
	l->err_fd = ex[0];
	return 0;
}

int launch_go(struct launch *l, const char *prog)
{
	char byte = 1;
	int err = 0;
	ssize_t n;

	if (write(l->go_fd, &byte, 1) != 1)
		err = -errno;
	close(l->go_fd);
	l->go_fd = -1;
	if (err)
		return err;
	l->released = true;
	/* exec closes the CLOEXEC pipe: EOF means the command started. */
	do
		n = read(l->err_fd, &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(l->err_fd);
	l->err_fd = -1;
	if (n == sizeof(err)) {
		fprintf(stderr, "sockscope: cannot run '%s': %s\n", prog,
			strerror(-err));
		return err;
	}
	return 0;
}

int launch_poll(struct launch *l)
{
	int status;
	pid_t r;

	if (l->pid <= 0)
		return -1;
	r = waitpid(l->pid, &status, WNOHANG);
	if (r != l->pid)
		return -1;
	l->pid = 0;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static int wait_ms(struct launch *l, int ms)
{
	int status;

	for (int waited = 0; waited <= ms; waited += 10) {
		status = launch_poll(l);
		if (status >= 0)
			return status;
		usleep(10000);
	}
	return -1;
}

int launch_finish(struct launch *l, bool stop_it)
{
	int status;

	if (l->pid == 0)
		return -1;
	if (l->go_fd >= 0) {
		/* Never released: EOF on the pipe makes it exit 127. */
		close(l->go_fd);
		l->go_fd = -1;
	}
	if (l->err_fd >= 0) {
		close(l->err_fd);
		l->err_fd = -1;
	}
	if (!stop_it) {
		while ((status = launch_poll(l)) < 0)
			usleep(10000);
		return status;
	}
	/* Ctrl-C in a terminal reaches the command too; give it a moment,
	 * then ask it to stop, then make it. */
	status = wait_ms(l, 1000);
	if (status < 0) {
		kill(l->pid, SIGTERM);
		status = wait_ms(l, 2000);
	}
	if (status < 0) {
		kill(l->pid, SIGKILL);
		while ((status = launch_poll(l)) < 0)
			usleep(10000);
	}
	return status;
}
