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
#include <sys/wait.h>

#include "lesson.h"

struct child {
	pid_t pid;
	FILE *out;		/* its stdout and stderr */
};

/* The programs: build/examples/NAME, or examples/python/NAME.py. */
static void program_path(char *buf, size_t size, const char *name,
			  bool python)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *dir;

	exe[n > 0 ? n : 0] = '\0';
	dir = dirname(exe);			/* build */
	if (python)
		snprintf(buf, size, "%s/../examples/python/%s.py", dir, name);
	else
		snprintf(buf, size, "%s/examples/%s", dir, name);
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
	c->out = fdopen(out[0], "r");
	return c->out ? 0 : -errno;
}

static void copy_lines(FILE *from, FILE *to, const char *who)
{
	char line[4096];

	while (fgets(line, sizeof(line), from))
		fprintf(to, "%s| %s%s", who, line,
			strchr(line, '\n') ? "" : "\n");
}

static int finish(struct child *c, FILE *log, const char *who)
{
	int status = 0;

	copy_lines(c->out, log, who);
	fclose(c->out);
	waitpid(c->pid, &status, 0);
	return status;
}

static int run_client(FILE *log, const char *path, bool python,
		      const char *port, const char *extra, const char *input)
{
	char *argv[8];
	int i = 0;
	struct child c;

	if (python)
		argv[i++] = "python3";
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
	return finish(&c, log, "client");
}

/* argv: LESSON_RUNNER udp|tcp c|python LOGFILE */
int lesson_runner_main(int argc, char **argv)
{
	char server[PATH_MAX], client[PATH_MAX], line[256], port[16];
	bool python, udp;
	struct child srv;
	char *sargv[6];
	FILE *log;
	int i = 0;

	if (argc != 4)
		return 2;
	udp = !strcmp(argv[1], "udp");
	python = !strcmp(argv[2], "python");
	log = fopen(argv[3], "we");
	if (!log)
		return 1;
	program_path(server, sizeof(server),
		     udp ? "udp_chat_server" : "tcp_chat_server", python);
	program_path(client, sizeof(client),
		     udp ? "udp_chat_client" : "tcp_chat_client", python);
	if (python)
		sargv[i++] = "python3";
	sargv[i++] = server;
	sargv[i++] = "--port";
	sargv[i++] = "0";
	sargv[i++] = "--echo";
	sargv[i] = NULL;
	if (start(&srv, sargv, NULL))
		return 1;
	fprintf(log, "pid server %d\n", srv.pid);
	if (!fgets(line, sizeof(line), srv.out) ||
	    sscanf(line, "listening on %*[^:]:%15[0-9]", port) != 1) {
		fprintf(log, "server| %s", line);
		kill(srv.pid, SIGTERM);
		return 1;
	}
	fprintf(log, "server| %s", line);
	fflush(log);
	if (udp) {
		run_client(log, client, python, port, NULL,
			   "hello\n你好，服务器\nstop\n");
	} else {
		/* One connection for two messages, then the article's way:
		 * a connection per message; "stop" ends the server. */
		run_client(log, client, python, port, NULL,
			   "hello\n你好，服务器\n");
		run_client(log, client, python, port, "--reconnect",
			   "one\nstop\n");
	}
	finish(&srv, log, "server");
	fclose(log);
	return 0;
}
