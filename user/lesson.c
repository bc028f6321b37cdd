// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Lessons: trace the example chat programs, run unattended, and end with
 * the lesson's key points as this very trace showed them.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "explain.h"
#include "lesson.h"
#include "names.h"
#include "options.h"
#include "diagram.h"
#include "session.h"

#define MAX_CLIENTS	4

struct lesson {
	const char *name;		/* "udp" */
	const char *title;
	const char *intro;
};

static const struct lesson lessons[] = {
	{ "udp", "the UDP chat, call by call",
	  "The server binds a port and waits for datagrams; the client sends\n"
	  "without bind() or connect(). Messages: \"hello\", \"你好，服务器\", \"stop\".\n" },
	{ "tcp", "the TCP chat: handshake, data, close",
	  "The server listens and accepts; a client connects once for two\n"
	  "messages, then another connects anew for each message, as the\n"
	  "article's client does (--reconnect); \"stop\" ends the server.\n" },
};

/* What the runner recorded: pids, and the programs' output. */
struct observed {
	pid_t server;
	pid_t clients[MAX_CLIENTS];
	bool reconnect[MAX_CLIENTS];
	int nclients;
	char *printed;
	struct strbuf points;
	int npoints;
};

static void read_log(struct observed *ob, const char *path)
{
	char line[4096], extra[32];
	struct strbuf text;
	FILE *f = fopen(path, "re");
	int pid;

	sb_init(&text);
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "pid server %d", &pid) == 1) {
			ob->server = pid;
		} else if (sscanf(line, "pid client %d", &pid) == 1) {
			if (ob->nclients < MAX_CLIENTS) {
				ob->reconnect[ob->nclients] =
					sscanf(line, "pid client %*d %31s",
					       extra) == 1;
				ob->clients[ob->nclients++] = pid;
			}
		} else {
			sb_add(&text, "  ");
			sb_add(&text, line);
		}
	}
	if (f)
		fclose(f);
	ob->printed = text.buf;
}

static void point(struct observed *ob, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void point(struct observed *ob, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sb_addf(&ob->points, "  %d. %s\n", ++ob->npoints, buf);
}

static const char *endpoint(struct strbuf *sb, const struct sock_entry *e,
			    bool local)
{
	sb_reset(sb);
	format_endpoint(sb, e->family, local ? e->info.saddr : e->info.daddr,
			local ? e->info.sport : e->info.dport);
	return sb->buf;
}

/* The first IP socket of pid and type (in creation order) that matches:
 * a program may open others before its own, to look a user up (NSS). */
static struct sock_entry *first_of(struct reader *rd, pid_t pid, int type,
				   bool listening)
{
	for (unsigned int i = 0; i < socktable_count(rd->socks); i++) {
		struct sock_entry *e = socktable_at(rd->socks, i);

		if (e->pid == pid && e->info_valid &&
		    (e->family == AF_INET || e->family == AF_INET6) &&
		    e->type == type && (!listening || e->listening))
			return e;
	}
	return NULL;
}

static unsigned int count_of(struct reader *rd, pid_t pid, bool tcp_only)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < socktable_count(rd->socks); i++) {
		struct sock_entry *e = socktable_at(rd->socks, i);

		if (e->pid == pid && !e->listening &&
		    (!tcp_only || e->history[0]))
			n++;
	}
	return n;
}

static void protocol_point(struct observed *ob, const struct sock_entry *e)
{
	const char *name = protocol_name(e->family, e->protocol);

	if (e->asked_protocol == 0 && name)
		point(ob, "socket(%s, %s, 0): protocol 0 let the kernel choose %s.",
		      family_name(e->family), socktype_name(e->type), name);
}

static void udp_points(struct reader *rd, struct observed *ob)
{
	struct sock_entry *srv = first_of(rd, ob->server, SOCK_DGRAM, false);
	struct sock_entry *cli = ob->nclients ?
		first_of(rd, ob->clients[0], SOCK_DGRAM, false) : NULL;
	struct strbuf ep;
	unsigned long long states = 0;

	sb_init(&ep);
	if (srv) {
		protocol_point(ob, srv);
		point(ob, "The server owns %s: the IP address names the host; UDP and port %u name the server process.",
		      endpoint(&ep, srv, true), srv->info.sport);
	}
	if (cli && cli->autobound)
		point(ob, "The client never called bind(): its first sendto() made the kernel choose port %u for it.",
		      cli->info.sport);
	/* The conclusion only when the counts show it. */
	if (srv && cli && cli->sends == srv->receives &&
	    cli->bytes_out == srv->bytes_in)
		point(ob, "The client sent %llu datagrams (%llu bytes); the server's %llu recvfrom() calls got %llu bytes: each datagram arrived whole, one recvfrom() per sendto().",
		      cli->sends, cli->bytes_out, srv->receives,
		      srv->bytes_in);
	else if (srv && cli)
		point(ob, "The client sent %llu datagrams (%llu bytes); the server's %llu recvfrom() calls got %llu bytes: not one receive per datagram this time.",
		      cli->sends, cli->bytes_out, srv->receives,
		      srv->bytes_in);
	for (unsigned int i = 0; i < socktable_count(rd->socks); i++)
		states += socktable_at(rd->socks, i)->history[0] != '\0';
	if (!states)
		point(ob, "No handshake, no connection states, no close sequence: UDP is connectionless.");
	point(ob, "\"你好，服务器\" is 6 characters but 18 bytes: sockets carry bytes, and UTF-8 needs 3 bytes for each of these characters.");
	sb_free(&ep);
}

static void tcp_points(struct reader *rd, struct observed *ob)
{
	struct sock_entry *lsn = first_of(rd, ob->server, SOCK_STREAM, true);
	struct sock_entry *cli = ob->nclients ?
		first_of(rd, ob->clients[0], SOCK_STREAM, false) : NULL;
	struct strbuf ep;

	sb_init(&ep);
	if (lsn) {
		protocol_point(ob, lsn);
		point(ob, "The server listens on %s with backlog %d; the kernel queues up to %u connections for accept(): its queue is full only when it holds more than %u.",
		      endpoint(&ep, lsn, true), lsn->asked_backlog,
		      lsn->info.backlog + 1, lsn->info.backlog);
		point(ob, "accept() returned a new descriptor for each of the %u connections, while the listening socket kept listening.",
		      lsn->accepted);
	}
	if (cli) {
		point(ob, "connect() is the handshake: SYN_SENT -> ESTABLISHED took %.3f ms; the kernel chose the client's port %u.",
		      cli->handshake_ns / 1e6, cli->info.sport);
		if (cli->history[0])
			point(ob, "The client closed first; its socket went %s%s.",
			      cli->history,
			      cli->time_wait ? ", and now waits in TIME_WAIT (60 s)" : "");
	}
	for (unsigned int i = 0; i < socktable_count(rd->socks); i++) {
		struct sock_entry *e = socktable_at(rd->socks, i);

		if (e->pid == ob->server && !e->listening && e->history[0]) {
			point(ob, "On the server, that connection went %s: born on the listening socket, then the peer's FIN first, then its own.",
			      e->history);
			break;
		}
	}
	for (int i = 0; i < ob->nclients; i++)
		if (ob->reconnect[i])
			point(ob, "With --reconnect, every message cost its own connection: %u connections, each with a handshake and a close.",
			      count_of(rd, ob->clients[i], true));
	sb_free(&ep);
}

struct lesson_ctx {
	const struct lesson *lesson;
	struct observed ob;
	const char *log;
};

static void after_trace(struct reader *rd, void *arg)
{
	struct lesson_ctx *ctx = arg;

	read_log(&ctx->ob, ctx->log);
	if (!strcmp(ctx->lesson->name, "udp"))
		udp_points(rd, &ctx->ob);
	else
		tcp_points(rd, &ctx->ob);
}

static int run_lesson(const struct lesson *l, bool python, const char *save,
		      bool diagram)
{
	char exe[PATH_MAX], log[] = "/tmp/sockscope-lesson-XXXXXX", fdarg[16];
	char *command[] = { exe, LESSON_RUNNER, (char *)l->name,
			    python ? "python" : "c", fdarg, NULL };
	struct lesson_ctx ctx = { .lesson = l, .log = log };
	struct options o;
	struct diagram d;
	ssize_t n;
	int fd, status;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	fd = mkstemp(log);
	if (fd < 0) {
		fprintf(stderr, "sockscope: cannot create a temporary file: %s\n",
			strerror(errno));
		return 1;
	}
	/* The runner writes to this descriptor: it may run as sudo's user,
	 * who cannot open a file of root's by name. */
	snprintf(fdarg, sizeof(fdarg), "%d", fd);
	memset(&o, 0, sizeof(o));
	o.explain = true;
	o.follow = true;
	o.payload = PAYLOAD_DEFAULT;
	o.command = command;
	o.save = save;
	if (diagram) {
		diagram_init(&d);
		o.diagram_into = &d;
	}
	sb_init(&ctx.ob.points);
	printf("Lesson: %s%s\n\n%s\n", l->title,
	       python ? " (the article's Python programs)" : "", l->intro);
	fflush(stdout);
	status = session_run(&o, after_trace, &ctx);
	close(fd);
	if (ctx.ob.printed) {
		printf("\nWhat the programs printed:\n%s", ctx.ob.printed);
		printf("\nWhat this trace showed:\n%s\n", ctx.ob.points.buf);
	}
	if (diagram) {
		diagram_finish(&d);
		printf("The conversation as a picture (time runs down):\n\n");
		diagram_print(&d);
		diagram_free(&d);
	}
	fflush(stdout);
	free(ctx.ob.printed);
	sb_free(&ctx.ob.points);
	unlink(log);
	return status;
}

static int lesson_usage(const char *msg)
{
	fprintf(stderr, "sockscope: %s; usage: sockscope lesson udp|tcp|all [--python] [--save FILE] [--diagram]\n",
		msg);
	return 2;
}

int lesson_main(int argc, char **argv)
{
	const char *name = NULL, *save = NULL;
	bool python = false, diagram = false;
	int status = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("usage: sockscope lesson udp|tcp|all [--python] [--save FILE] [--diagram]\n"
			       "  udp, tcp   trace the example chat programs, run unattended, explained\n"
			       "  all        both, one after the other (what make demo runs)\n"
			       "  --python   the article's Python programs instead of the C ones\n"
			       "  --save F   also save the trace for 'sockscope replay F'\n"
			       "  --diagram  end with a sequence diagram of the conversation\n");
			return 0;
		}
		if (!strcmp(argv[i], "--python"))
			python = true;
		else if (!strcmp(argv[i], "--diagram"))
			diagram = true;
		else if (!strcmp(argv[i], "--save") && i + 1 < argc)
			save = argv[++i];
		else if (argv[i][0] != '-' && !name)
			name = argv[i];
		else
			return lesson_usage("unexpected argument");
	}
	if (!name)
		return lesson_usage("which lesson?");
	if (save && !strcmp(name, "all"))
		return lesson_usage("--save takes one lesson, not all");
	session_setup_signals();
	for (size_t i = 0; i < sizeof(lessons) / sizeof(lessons[0]); i++) {
		if (strcmp(name, "all") && strcmp(name, lessons[i].name))
			continue;
		status = run_lesson(&lessons[i], python, save, diagram);
		if (status)
			return status;
		name = strcmp(name, "all") ? "" : name;
	}
	if (strcmp(name, "") && strcmp(name, "all"))
		return lesson_usage("no such lesson");
	return status;
}
