// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The lesson runner, traced by the lesson: an example chat server with
 * --echo on a port the kernel picks, then the clients with their scripted
 * messages, one after the other. What they print, and their pids, go to
 * a file the lesson reads afterwards.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include <sys/wait.h>

#include "lesson.h"

struct child {
	pid_t pid;
	int out;		/* its stdout and stderr */
	const char *who;	/* "server", "client" */
	bool line_start;	/* the next byte starts a line */
};

/*
 * The Python interpreter itself: the first python3 on PATH that is a
 * program, not a script. A wrapper script (pyenv's shim is one) would run
 * the program under another pid after forks of its own, and its own calls
 * would fill the trace.
 */
static const char *python_interpreter(char *buf, size_t size)
{
	const char *path = getenv("PATH");
	char magic[4];

	while (path && *path) {
		size_t len = strcspn(path, ":");
		bool elf;
		int fd;

		snprintf(buf, size, "%.*s/python3", (int)len,
			 len ? path : ".");
		path += len + (path[len] == ':');
		if (access(buf, X_OK))
			continue;
		fd = open(buf, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		elf = read(fd, magic, sizeof(magic)) == sizeof(magic) &&
		      !memcmp(magic, "\x7f" "ELF", 4);
		close(fd);
		if (elf)
			return buf;
	}
	return "python3";
}

/*
 * The programs: in the build tree, build/examples/NAME or
 * examples/python/NAME.py beside build/; else where they are installed,
 * LIBEXECDIR/NAME or LIBEXECDIR/python/NAME.py. When neither is there,
 * the path that was expected, for the error message.
 */
void example_program_path(char *buf, size_t size, const char *name,
			  bool python)
{
	char exe[PATH_MAX], way[2 * PATH_MAX], lib[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *dir;

	exe[n > 0 ? n : 0] = '\0';
	dir = dirname(exe);			/* build */
	if (python)
		snprintf(buf, size, "%s/../examples/python/%s.py", dir, name);
	else
		snprintf(buf, size, "%s/examples/%s", dir, name);
	if (!access(buf, F_OK))
		return;
	/* Installed: from BINDIR to LIBEXECDIR/sockscope, the Makefile's
	 * way (the same in a DESTDIR staging tree). */
	snprintf(way, sizeof(way), "%s/%s", dir, SOCKSCOPE_LIBEXEC_FROM_BIN);
	if (!realpath(way, lib))
		return;
	if (python)
		snprintf(buf, size, "%s/python/%s.py", lib, name);
	else
		snprintf(buf, size, "%s/%s", lib, name);
}

static int start(struct child *c, char *const argv[], const char *input)
{
	int out[2], in[2];

	if (pipe(out) || pipe(in))
		return -errno;
	c->pid = fork();
	if (c->pid < 0)
		return -errno;
	if (c->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(out[1], 2);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	if (input && write(in[1], input, strlen(input)) < 0)
		perror("lesson: writing to the client");
	close(in[1]);
	c->out = out[0];
	c->line_start = true;
	return 0;
}

/* Copy what a child printed to the log, each line behind "who| ".
 * Returns false at end of file. */
static bool copy_some(struct child *c, FILE *log)
{
	char buf[4096];
	ssize_t n = read(c->out, buf, sizeof(buf));

	if (n <= 0)
		return false;
	for (ssize_t i = 0; i < n; i++) {
		if (c->line_start)
			fprintf(log, "%s| ", c->who);
		fputc(buf[i], log);
		c->line_start = buf[i] == '\n';
	}
	fflush(log);
	return true;
}

/* Until c ends, log what it and the server print, in the order they
 * print it. */
static void pump(struct child *c, struct child *srv, FILE *log)
{
	struct pollfd fds[2] = {
		{ .fd = c->out, .events = POLLIN },
		{ .fd = srv && srv != c ? srv->out : -1, .events = POLLIN },
	};

	while (fds[0].fd >= 0) {
		if (poll(fds, 2, -1) < 0 && errno != EINTR)
			break;
		/* The server first: what it printed before replying is
		 * already in its pipe when the client prints the reply. */
		for (int i = 1; i >= 0; i--) {
			struct child *who = i ? srv : c;

			if (fds[i].revents && !copy_some(who, log))
				fds[i].fd = -1;
		}
	}
}

static int finish(struct child *c, struct child *srv, FILE *log)
{
	int status = 0;

	pump(c, srv, log);
	if (!c->line_start)
		fputc('\n', log);
	close(c->out);
	waitpid(c->pid, &status, 0);
	return status;
}

static int run_client(FILE *log, struct child *srv, const char *path,
		      const char *python, const char *port, const char *extra,
		      const char *input)
{
	char *argv[8];
	int i = 0;
	struct child c = { .who = "client" };

	if (python)
		argv[i++] = (char *)python;
	argv[i++] = (char *)path;
	argv[i++] = "--port";
	argv[i++] = (char *)port;
	if (extra)
		argv[i++] = (char *)extra;
	argv[i] = NULL;
	if (start(&c, argv, input))
		return -1;
	fprintf(log, "pid client %d%s%s\n", c.pid, extra ? " " : "",
		extra ? extra : "");
	return finish(&c, srv, log);
}

/* The server's first line, byte by byte, so nothing after it is taken. */
static int read_first_line(struct child *c, char *line, size_t size)
{
	size_t n = 0;
	char ch;

	while (n + 1 < size && read(c->out, &ch, 1) == 1 && ch != '\n')
		line[n++] = ch;
	line[n] = '\0';
	return n ? 0 : -1;
}

/*
 * argv: LESSON_RUNNER udp|tcp c|python LOGFD. The log is a descriptor the
 * lesson opened: the runner may run as another user (sudo's), who could
 * not open the lesson's file by name.
 */
int lesson_runner_main(int argc, char **argv)
{
	char server[PATH_MAX], client[PATH_MAX], line[256], port[16];
	char interp[PATH_MAX];
	const char *python = NULL;
	struct child srv = { .who = "server" };
	char *sargv[6], *end;
	FILE *log = NULL;
	bool udp;
	long fd;
	int i = 0;

	if (argc != 4)
		return 2;
	udp = !strcmp(argv[1], "udp");
	if (!strcmp(argv[2], "python")) {
		python = python_interpreter(interp, sizeof(interp));
		/* No __pycache__ beside installed programs, which their
		 * package could not remove. */
		setenv("PYTHONDONTWRITEBYTECODE", "1", 1);
	}
	fd = strtol(argv[3], &end, 10);
	if (!*end && fd > 2 && fd < INT_MAX &&
	    fcntl((int)fd, F_SETFD, FD_CLOEXEC) == 0)
		log = fdopen((int)fd, "w");
	if (!log) {
		fprintf(stderr, "sockscope: the lesson runner has no log (descriptor %s)\n",
			argv[3]);
		return 1;
	}
	example_program_path(server, sizeof(server),
			     udp ? "udp_chat_server" : "tcp_chat_server",
			     python);
	example_program_path(client, sizeof(client),
			     udp ? "udp_chat_client" : "tcp_chat_client",
			     python);
	if (python)
		sargv[i++] = (char *)python;
	sargv[i++] = server;
	sargv[i++] = "--port";
	sargv[i++] = "0";
	sargv[i++] = "--echo";
	sargv[i] = NULL;
	if (start(&srv, sargv, NULL))
		return 1;
	fprintf(log, "pid server %d\n", srv.pid);
	if (read_first_line(&srv, line, sizeof(line)) ||
	    sscanf(line, "listening on %*[^:]:%15[0-9]", port) != 1) {
		fprintf(log, "server| %s\n", line);
		kill(srv.pid, SIGTERM);
		return 1;
	}
	fprintf(log, "server| %s\n", line);
	fflush(log);
	if (udp) {
		run_client(log, &srv, client, python, port, NULL,
			   "hello\n你好，服务器\nstop\n");
	} else {
		/* One connection for two messages, then the article's way:
		 * a connection per message; "stop" ends the server. */
		run_client(log, &srv, client, python, port, NULL,
			   "hello\n你好，服务器\n");
		run_client(log, &srv, client, python, port, "--reconnect",
			   "one\nstop\n");
	}
	finish(&srv, NULL, log);
	fclose(log);
	return 0;
}
