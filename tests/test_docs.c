// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The sample output in README.md and docs/ is real: every block between
 * "<!-- gen:NAME -->" and "<!-- end:NAME -->" is what scripts/gen-docs.py
 * wrote from a run of sample NAME. These tests run each sample again
 * ("gen-docs.py --print NAME") and compare the shape of the fresh output
 * with the shape of the documented one, so that a change in what
 * sockscope prints fails here until the docs are regenerated with
 *
 *	sudo scripts/gen-docs.py docs/NN-name.md	(or README.md)
 *
 * The shape of an output: its lines with every number masked (pids,
 * ports, times, fds, byte counts, addresses in hex) and runs of blanks
 * made one, keeping call names, argument names, notes and state names.
 * What two runs may legitimately do differently is left out of it:
 *
 *  - processes run side by side, so the order of their lines varies: the
 *    lines are grouped by process (command name, and which process of
 *    that name it was, in order of appearance); within a process its
 *    calls are compared in order, and the kernel events of its sockets
 *    as a set, since a packet handled on another CPU may change a state
 *    on either side of a call, or of another socket's change; the events
 *    of connections no descriptor holds yet (no "(fd N)": their owner is
 *    inferred from the listening port) form a set of their own, whoever
 *    they are attributed to;
 *  - a note clause saying how long a call waited appears only when it
 *    waited long enough ("; it waited 0.012 s for data"), and a state
 *    change caused by another process may fall inside a call or not
 *    ("; the state changes just above happened during this call"), and
 *    a receive that returns before the send's own call is not paired
 *    with it ("; sent by ..."): such clauses and remarks are dropped;
 *  - the rows of the "sockets seen" table are compared as a set, and so
 *    are the rows of a sequence diagram (those with a lifeline "│"),
 *    whose steps come in the order the records did; a diagram's row for
 *    a pause ("┆") is left out, as it is there only when a run was slow.
 *
 * A picture, "<!-- gen:svg-NAME -->", is an image, img/NAME.svg beside
 * the document, that gen-docs.py drew ("--print svg-NAME" prints a fresh
 * one): the file must be there, and have the shape of a fresh picture (see
 * svg_shape()).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "lib/paths.h"
#include "lib/proc.h"
#include "lib/tracer_run.h"

#define SAMPLE_MS	120000	/* for one sample to run */
#define CHECK_MS	30000	/* for gen-docs.py --check */
#define MAX_ACTORS	64

#define DOC_README	"README.md"
#define DOC_INDEX	"docs/README.md"
#define DOC_SOCKET	"docs/01-what-is-a-socket.md"
#define DOC_UDP		"docs/02-udp-chat.md"
#define DOC_TCP		"docs/03-tcp-chat.md"
#define DOC_VERSUS	"docs/04-tcp-vs-udp.md"
#define DOC_KERNEL	"docs/05-inside-the-kernel.md"
#define DOC_INTERNALS	"docs/06-how-sockscope-works.md"
#define DOC_CLAIMS	"docs/claims.md"

static const char *const doc_files[] = {
	DOC_INDEX, DOC_SOCKET, DOC_UDP, DOC_TCP, DOC_VERSUS, DOC_KERNEL,
	DOC_INTERNALS, DOC_CLAIMS,
};

/* --- small helpers ---------------------------------------------------- */

struct lines {
	char **v;
	size_t n, cap;
};

static void lines_add(struct lines *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		ASSERT_NE(NULL, l->v);
	}
	l->v[l->n++] = s;
}

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static char *strdupf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static char *strdupf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	ASSERT_NE(NULL, s);
	return s;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* --- the shape of an output ------------------------------------------- */

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/*
 * The line with numbers masked as N (0x... as 0xN) and blanks squeezed.
 * Digits inside a name stay: AF_INET6, python3, SO_RCVTIMEO_OLD.
 */
#define LAB_NS	"sockscope-lab-"

static char *mask_numbers(const char *s)
{
	char *out = malloc(2 * strlen(s) + 1), *o = out;
	bool blank = true;

	ASSERT_NE(NULL, out);
	for (size_t i = 0; s[i]; i++) {
		char c = s[i];
		bool in_name = i > 0 && (isalpha((unsigned char)s[i - 1]) ||
					 s[i - 1] == '_');

		if (isspace((unsigned char)c)) {
			if (!blank)
				*o++ = ' ';
			blank = true;
			continue;
		}
		blank = false;
		/* A lab's namespaces are named at random. */
		if (!strncmp(s + i, LAB_NS, strlen(LAB_NS)) &&
		    strspn(s + i + strlen(LAB_NS), "0123456789abcdef") >= 6) {
			o = stpcpy(o, LAB_NS "X");
			i += strlen(LAB_NS) + 5;
		} else if (c == '0' && s[i + 1] == 'x' &&
		    isxdigit((unsigned char)s[i + 2]) &&
		    !(i > 0 && ident_char(s[i - 1]))) {
			o = stpcpy(o, "0xN");
			for (i += 2; isxdigit((unsigned char)s[i + 1]); i++)
				;
		} else if (isdigit((unsigned char)c) && !in_name) {
			*o++ = 'N';
			while (isdigit((unsigned char)s[i + 1]))
				i++;
		} else {
			*o++ = c;
		}
	}
	if (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	return out;
}

/* note without its parenthesized remarks that contain word. */
static void drop_remarks(char *note, const char *word)
{
	char *open = note, *close;

	while ((open = strstr(open, " ("))) {
		close = strchr(open, ')');
		if (!close)
			return;
		if (memmem(open, close - open, word, strlen(word)))
			memmove(open, close + 1, strlen(close + 1) + 1);
		else
			open = close;
	}
}

/*
 * A note without what depends on timing: clauses saying how long a call
 * waited or which send a receive got, and remarks that state changes
 * happened during the call.
 */
static char *note_shape(const char *note)
{
	char *copy = strdup(note), *rest = copy, *clause, *out;
	size_t cap = strlen(note) + 1, len = 0;

	ASSERT_NE(NULL, copy);
	drop_remarks(copy, "during this call");
	out = calloc(1, cap);
	ASSERT_NE(NULL, out);
	while ((clause = rest)) {
		rest = strstr(rest, "; ");
		if (rest) {
			*rest = '\0';
			rest += 2;
		}
		/* "sent by P, N ms earlier": a receive can return before
		 * the send's own call does, and then it is not paired. */
		if (strstr(clause, "waited") ||
		    strstr(clause, "during this call") ||
		    !strncmp(clause, "sent by ", 8))
			continue;
		len += snprintf(out + len, cap - len, "%s%s",
				len ? "; " : "", clause);
	}
	free(copy);
	return out;
}

/*
 * A step of a picture that is there or not by timing. An active close's
 * socket goes to its timewait socket before the peer's FIN comes (the
 * peer's ACK of our FIN came alone: its delayed-ACK timer went off
 * first) or after (the ACK rode on the peer's FIN, the peer closed in
 * time): a matter of how soon the peer ran. [TIME_WAIT] is drawn either
 * way, the wait for the FIN only in the first.
 */
static bool drawn_by_timing(const char *step)
{
	return strstr(step, "[timewait: FIN_WAIT2]") != NULL;
}

/* The lines of one process: its calls, and its sockets' kernel events. */
struct actor {
	long pid;
	char key[64];			/* "tcp_chat_client#2" */
	struct lines calls, events;
};

struct shape_state {
	struct actor actors[MAX_ACTORS];
	int nactors;
	struct lines global, rows;
	/* A sequence diagram's rows: as a set, since steps of two
	 * processes, and a receive and its send, come in either order. */
	struct lines picture;
	/* What each program printed ("server| ..."), in its own order:
	 * how two programs' lines interleave is a matter of timing. */
	struct lines printed;
	char **last;			/* the entry the next note belongs to */
	bool in_table;			/* inside "sockets seen:" */
};

static struct actor *actor_of(struct shape_state *st, long pid,
			      const char *comm)
{
	int same = 0;

	for (int i = 0; i < st->nactors; i++) {
		size_t n = strcspn(st->actors[i].key, "#");

		if (st->actors[i].pid == pid)
			return &st->actors[i];
		if (n == strlen(comm) && !strncmp(st->actors[i].key, comm, n))
			same++;
	}
	ASSERT_GT(MAX_ACTORS, st->nactors);
	st->actors[st->nactors].pid = pid;
	snprintf(st->actors[st->nactors].key,
		 sizeof(st->actors[st->nactors].key), "%s#%d", comm,
		 same + 1);
	return &st->actors[st->nactors++];
}

/*
 * Files an entry (a call or an event) under its process. An event of a
 * socket no descriptor holds yet (a connection before accept(), shown
 * without "(fd N)") is filed apart: its owner is a guess, from the port.
 */
static void add_entry(struct shape_state *st, long pid, const char *comm,
		      bool call, bool has_fd, const char *text)
{
	struct actor *a;
	struct lines *l;

	if (!call && !has_fd)
		a = actor_of(st, LONG_MIN, "(no descriptor)");
	else
		a = actor_of(st, pid, comm);
	l = call ? &a->calls : &a->events;

	lines_add(l, mask_numbers(text));
	st->last = &l->v[l->n - 1];
}

/* "0.012345 [1234 comm] rest" or "0.012345 [1234/1240 comm] rest". */
static bool trace_line(struct shape_state *st, const char *line)
{
	const char *p = line, *comm, *end, *rest;
	char name[64];
	long pid = 0;

	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p) || *p == '.' || *p == ':')
		p++;
	if (strncmp(p, " [", 2))
		return false;
	p += 2;
	end = strstr(p, "] ");
	if (!end)
		return false;
	if (isdigit((unsigned char)*p)) {
		pid = strtol(p, NULL, 10);
		comm = strchr(p, ' ');
		comm = comm && comm < end ? comm + 1 : end;
	} else {
		comm = p;		/* "[kernel]" */
	}
	snprintf(name, sizeof(name), "%.*s", (int)(end - comm), comm);
	rest = end + 2;
	p = rest;
	while (*p == '_' || isalnum((unsigned char)*p))
		p++;
	add_entry(st, pid, name, p > rest && *p == '(',
		  strstr(rest, " (fd ") != NULL, rest);
	return true;
}

/* A JSON line: {"kind":"...","ts_ns":...,"pid":N,...,"comm":"..."}. */
static bool json_line(struct shape_state *st, const char *line)
{
	const char *pid = strstr(line, "\"pid\":");
	const char *comm = strstr(line, "\"comm\":\"");
	char name[64] = "";

	if (!starts_with(line, "{\"kind\":\"") || !pid)
		return false;
	if (comm) {
		comm += strlen("\"comm\":\"");
		snprintf(name, sizeof(name), "%.*s",
			 (int)strcspn(comm, "\""), comm);
	}
	add_entry(st, strtol(pid + strlen("\"pid\":"), NULL, 10), name,
		  starts_with(line, "{\"kind\":\"syscall\""),
		  strstr(line, "\"fd\":") != NULL, line);
	return true;
}

static void note_line(struct shape_state *st, const char *note)
{
	char *shape = note_shape(note), *masked = mask_numbers(shape);

	free(shape);
	if (!st->last) {
		lines_add(&st->global, strdupf("# %s", masked));
	} else {
		char *joined = strdupf("%s ## %s", *st->last, masked);

		free(*st->last);
		*st->last = joined;
	}
	free(masked);
}

static void shape_line(struct shape_state *st, const char *raw)
{
	/* Blocks are indented by 4; a note by 4 more. */
	const char *line = starts_with(raw, "    ") ? raw + 4 : raw;

	if (!*line)
		return;
	if (starts_with(line, "    # ")) {
		note_line(st, line + 6);
		return;
	}
	if (st->in_table && isdigit((unsigned char)line[strspn(line, " ")])) {
		lines_add(&st->rows, mask_numbers(line));
		return;
	}
	st->in_table = !strcmp(line, "sockets seen:") ||
		       (st->in_table && starts_with(line, "     pid comm"));
	if (trace_line(st, line) || json_line(st, line))
		return;
	st->last = NULL;
	/* A pause in a diagram ("┆"): there when the machine was slow. */
	if (strstr(line, "┆"))
		return;
	if (strstr(line, "│") || strstr(line, "┤")) {
		if (!drawn_by_timing(line))
			lines_add(&st->picture, mask_numbers(line));
		return;
	}
	if (strstr(line, "| ") && (starts_with(line + strspn(line, " "),
						"server| ") ||
				   starts_with(line + strspn(line, " "),
					       "client| "))) {
		lines_add(&st->printed, mask_numbers(line));
		return;
	}
	lines_add(&st->global, mask_numbers(line));
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int compare_actors(const void *a, const void *b)
{
	return strcmp(((const struct actor *)a)->key,
		      ((const struct actor *)b)->key);
}

/* The shape of text, one string per line, in a fixed order. */
static void shape_of(const char *text, struct lines *shape)
{
	struct shape_state *st = calloc(1, sizeof(*st));
	char *copy = strdup(text), *save = NULL, *line;

	ASSERT_NE(NULL, st);
	ASSERT_NE(NULL, copy);
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		shape_line(st, line);
	free(copy);
	for (size_t i = 0; i < st->global.n; i++)
		lines_add(shape, strdupf("%s", st->global.v[i]));
	/* Each program's lines in order: the server's, then the client's. */
	for (int who = 0; who < 2; who++)
		for (size_t i = 0; i < st->printed.n; i++)
			if (strstr(st->printed.v[i], who ? "client| " :
							  "server| "))
				lines_add(shape, strdupf("%s",
							 st->printed.v[i]));
	lines_free(&st->printed);
	qsort(st->actors, st->nactors, sizeof(st->actors[0]), compare_actors);
	for (int i = 0; i < st->nactors; i++) {
		struct actor *a = &st->actors[i];

		for (size_t j = 0; j < a->calls.n; j++)
			lines_add(shape, strdupf("[%s] call: %s", a->key,
						 a->calls.v[j]));
		if (a->events.n)
			qsort(a->events.v, a->events.n, sizeof(char *),
			      compare_strings);
		for (size_t j = 0; j < a->events.n; j++)
			lines_add(shape, strdupf("[%s] event: %s", a->key,
						 a->events.v[j]));
		lines_free(&a->calls);
		lines_free(&a->events);
	}
	if (st->picture.n)
		qsort(st->picture.v, st->picture.n, sizeof(char *),
		      compare_strings);
	for (size_t i = 0; i < st->picture.n; i++)
		lines_add(shape, strdupf("picture: %s", st->picture.v[i]));
	lines_free(&st->picture);
	if (st->rows.n)
		qsort(st->rows.v, st->rows.n, sizeof(char *), compare_strings);
	for (size_t i = 0; i < st->rows.n; i++)
		lines_add(shape, strdupf("row: %s", st->rows.v[i]));
	lines_free(&st->global);
	lines_free(&st->rows);
	free(st);
}

/* --- the generated blocks of a document ------------------------------- */

struct block {
	char name[64];
	char *text;
};

/*
 * "<!-- gen:NAME -->" and a newline, NAME in [a-z0-9-] as gen-docs.py
 * has it: the length of NAME, or 0 when start is not such a marker.
 */
static size_t marker_name(const char *start)
{
	const char *name = start + strlen("<!-- gen:");
	size_t len = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-");

	return len && starts_with(name + len, " -->\n") ? len : 0;
}

/*
 * The blocks of a document, in order. Returns their number, or -1 (after
 * logging why) for a marker without its end.
 */
static int doc_blocks(const char *doc, const char *path, struct block *b,
		      int max)
{
	const char *p = doc, *start, *end;
	char marker[96];
	int n = 0;

	while ((start = strstr(p, "<!-- gen:"))) {
		size_t len = marker_name(start);

		p = start + 1;
		if (!len)
			continue;
		ASSERT_GT(max, n);
		snprintf(b[n].name, sizeof(b[n].name), "%.*s", (int)len,
			 start + strlen("<!-- gen:"));
		start = strchr(start, '\n');
		snprintf(marker, sizeof(marker), "<!-- end:%.63s -->", b[n].name);
		end = strstr(start, marker);
		if (!end) {
			TH_LOG("%s: <!-- gen:%s --> has no %s", path,
			       b[n].name, marker);
			return -1;
		}
		b[n].text = strndup(start + 1, end - start - 1);
		ASSERT_NE(NULL, b[n].text);
		p = end + strlen(marker);
		n++;
	}
	return n;
}

/* --- running gen-docs.py ---------------------------------------------- */

static char gen_docs[PATH_MAX];

/* gen-docs.py with args; its exit status, *out its stdout (malloc'd). */
static int run_gen_docs(char *const args[], int timeout_ms, char **out)
{
	char build[PATH_MAX], *argv[8] = { "python3", gen_docs };
	struct proc p = {};
	char *err = NULL;
	int status, n = 2;

	ASSERT_EQ(0, source_path(gen_docs, sizeof(gen_docs),
				 "scripts/gen-docs.py"));
	/* The samples run the programs of the build being tested. */
	if (realpath(build_dir(), build))
		setenv("SOCKSCOPE_BUILD", build, 1);
	for (int i = 0; args[i] && n < 7; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	ASSERT_EQ(0, proc_spawn(&p, argv));
	proc_close_stdin(&p);
	if (proc_read_all(&p, out, timeout_ms) < 0)
		*out = strdup("");
	proc_read_all_err(&p, &err, 1000);
	status = proc_wait(&p, 1000);
	if (status) {
		TH_LOG("gen-docs.py %s %s: exit status %d", args[0],
		       args[1] ? args[1] : "", status);
		TH_LOG("its errors: %s", err ? err : "");
	}
	free(err);
	proc_cleanup(&p);
	return status;
}

/* Logs where two shapes part, with a line of context. */
static void log_difference(const struct lines *doc, const struct lines *fresh)
{
	size_t i = 0;

	while (i < doc->n && i < fresh->n && !strcmp(doc->v[i], fresh->v[i]))
		i++;
	TH_LOG("the shapes part at line %zu of %zu (documented) / %zu (fresh):",
	       i + 1, doc->n, fresh->n);
	if (i > 0)
		TH_LOG("  both:       %s", doc->v[i - 1]);
	TH_LOG("  documented: %s", i < doc->n ? doc->v[i] : "(nothing more)");
	TH_LOG("  fresh:      %s", i < fresh->n ? fresh->v[i] : "(nothing more)");
}

/*
 * The shape of a picture (an SVG of "sockscope diagram"): how many
 * lifelines it has, and the kinds of its steps and the labels on them,
 * numbers masked and an arrow's message text left out, each kind and
 * label once: how many reads took a stream's bytes, and which bytes each
 * took, or how many segments were resent, varies from run to run (most
 * on a busy machine); what happened does not. Times and pauses are left
 * out.
 */
static void svg_shape(const char *svg, struct lines *shape)
{
	int lifelines = 0;
	size_t kept = 0;

	for (const char *p = svg; (p = strstr(p, "<g class=\"")); ) {
		size_t n;

		p += strlen("<g class=\"");
		n = strcspn(p, "\"");
		lifelines += n == 8 && !strncmp(p, "lifeline", n);
		lines_add(shape, strdupf("step %.*s", (int)n, p));
	}
	for (const char *p = svg; (p = strstr(p, "<text ")); p++) {
		const char *cls = strstr(p, "class=\""), *gt = strchr(p, '>');
		const char *end = strstr(p, "</text>");
		char *text, *masked;
		size_t n;

		if (!cls || !gt || !end || cls > gt || gt > end)
			continue;
		cls += strlen("class=\"");
		n = strcspn(cls, "\"");
		if ((n == 4 && !strncmp(cls, "time", n)) ||
		    (n == 3 && !strncmp(cls, "gap", n)))
			continue;
		text = strndup(gt + 1, end - gt - 1);
		ASSERT_NE(NULL, text);
		/* An arrow's bytes, not their text: a stream is read in
		 * pieces that differ from run to run. */
		if (n == 5 && !strncmp(cls, "label", n) &&
		    strstr(text, "&quot;"))
			*strstr(text, "&quot;") = '\0';
		masked = mask_numbers(text);
		if (!drawn_by_timing(masked))
			lines_add(shape, strdupf("text %.*s %s", (int)n, cls,
						 masked));
		free(masked);
		free(text);
	}
	lines_add(shape, strdupf("lifelines %d", lifelines));
	qsort(shape->v, shape->n, sizeof(shape->v[0]), compare_strings);
	for (size_t i = 0; i < shape->n; i++) {
		if (kept && !strcmp(shape->v[kept - 1], shape->v[i]))
			free(shape->v[i]);
		else
			shape->v[kept++] = shape->v[i];
	}
	shape->n = kept;
}

static bool is_picture(const struct block *b)
{
	return starts_with(b->name, "svg-");
}

/* 0 when the documented shape and a fresh run's are the same. */
static int compare_with_fresh_run(const char *path, const struct block *b,
				  const struct lines *doc_shape)
{
	char *args[] = { "--print", (char *)b->name, NULL }, *fresh;
	struct lines fresh_shape = {};
	int differ;

	if (run_gen_docs(args, SAMPLE_MS, &fresh)) {
		free(fresh);
		return -1;
	}
	if (is_picture(b))
		svg_shape(fresh, &fresh_shape);
	else
		shape_of(fresh, &fresh_shape);
	differ = doc_shape->n != fresh_shape.n;
	for (size_t i = 0; !differ && i < doc_shape->n; i++)
		differ = strcmp(doc_shape->v[i], fresh_shape.v[i]) != 0;
	if (differ) {
		TH_LOG("%s: the block of sample %s does not match a fresh run",
		       path, b->name);
		log_difference(doc_shape, &fresh_shape);
	}
	lines_free(&fresh_shape);
	free(fresh);
	return differ;
}

/*
 * A picture's block is its image, "![...](img/NAME.svg)", and the file is
 * beside the document: its shape, or -1 (after saying why).
 */
static int picture_shape(const char *path, const struct block *b,
			 struct lines *shape)
{
	char image[128], file[PATH_MAX], rel[PATH_MAX];
	const char *slash = strrchr(path, '/');
	char *svg;

	snprintf(image, sizeof(image), "](img/%s.svg)", b->name + 4);
	if (!strstr(b->text, image)) {
		TH_LOG("%s: the block of %s shows no %s", path, b->name,
		       image + 2);
		return -1;
	}
	snprintf(rel, sizeof(rel), "%.*simg/%s.svg",
		 slash ? (int)(slash - path + 1) : 0, path, b->name + 4);
	ASSERT_EQ(0, source_path(file, sizeof(file), rel));
	svg = read_file(file);
	if (!svg || !starts_with(svg, "<svg ")) {
		TH_LOG("%s: %s is %s", path, rel,
		       svg ? "not an SVG picture" : "missing");
		free(svg);
		return -1;
	}
	svg_shape(svg, shape);
	free(svg);
	return 0;
}

/*
 * 0 when the documented block has the shape of a fresh run. A mismatch
 * is confirmed by a second run before it counts: what changed in
 * sockscope's output fails both, while the rare line of another
 * process's socket (sockscope knows a socket by its kernel address,
 * which the kernel reuses) fails only one.
 */
static int check_block(const char *path, const struct block *b)
{
	struct lines doc_shape = {};
	int differ = 0;

	if (is_picture(b))
		differ = picture_shape(path, b, &doc_shape);
	else
		shape_of(b->text, &doc_shape);
	if (!differ)
		differ = compare_with_fresh_run(path, b, &doc_shape);
	if (differ > 0)
		differ = compare_with_fresh_run(path, b, &doc_shape);
	if (differ)
		TH_LOG("if the change is meant, regenerate: sudo scripts/gen-docs.py %s",
		       path);
	lines_free(&doc_shape);
	return differ;
}

/* --- the tests -------------------------------------------------------- */

TEST(a_picture_shape_has_each_kind_and_label_once)
{
	static const char svg[] =
		"<svg width=\"9\"><g class=\"lifeline\" id=\"lifeline-0\">"
		"<text x=\"1\" class=\"name\">42 server</text></g>"
		"<g class=\"lifeline\"><text class=\"name\">43 client</text></g>"
		"<text x=\"10\" class=\"time\">0.000123</text>"
		"<g class=\"step call\"><text class=\"text\">recvfrom = 5</text></g>"
		"<g class=\"step call\"><text class=\"text\">recvfrom = 17</text></g>"
		"<g class=\"step arrow\"><text class=\"label\">4 bytes &quot;one&quot;</text></g>"
		"<g class=\"step arrow\"><text class=\"label\">9 bytes &quot;two\\n&quot;</text></g>"
		"<text class=\"gap\">+0.168 s</text></svg>";
	struct lines shape = {};

	svg_shape(svg, &shape);
	ASSERT_EQ(8, shape.n);
	EXPECT_STREQ("lifelines 2", shape.v[0]);
	EXPECT_STREQ("step lifeline", shape.v[1]);
	EXPECT_STREQ("step step arrow", shape.v[2]);
	EXPECT_STREQ("step step call", shape.v[3]);
	EXPECT_STREQ("text label N bytes", shape.v[4]);
	EXPECT_STREQ("text name N client", shape.v[5]);
	EXPECT_STREQ("text name N server", shape.v[6]);
	EXPECT_STREQ("text text recvfrom = N", shape.v[7]);
	lines_free(&shape);
}

/* A close that waited for the peer's FIN, or did not: the same shape,
 * as a text picture and as an SVG one; its TIME_WAIT stays. */
TEST(a_close_has_one_shape_whether_the_fin_came_first)
{
	static const char waited[] =
		"<svg><g class=\"step state\"><text class=\"text\">[timewait: FIN_WAIT2]</text></g>"
		"<g class=\"step state\"><text class=\"text\">[TIME_WAIT]</text></g></svg>";
	static const char at_once[] =
		"<svg><g class=\"step state\"><text class=\"text\">[TIME_WAIT]</text></g></svg>";
	struct lines a = {}, b = {};

	svg_shape(waited, &a);
	svg_shape(at_once, &b);
	ASSERT_EQ(b.n, a.n);
	for (size_t i = 0; i < a.n; i++)
		EXPECT_STREQ(b.v[i], a.v[i]);
	EXPECT_STREQ("text text [TIME_WAIT]", b.v[2]);
	lines_free(&a);
	lines_free(&b);

	shape_of("    0.000562   │ [FIN_WAIT2]   │\n"
		 "    0.000563   │ [timewait: FIN_WAIT2]   │\n"
		 "    0.000574   │ [TIME_WAIT]   │\n", &a);
	shape_of("    0.000562   │ [FIN_WAIT2]   │\n"
		 "    0.000574   │ [TIME_WAIT]   │\n", &b);
	ASSERT_EQ(2, a.n);
	ASSERT_EQ(2, b.n);
	EXPECT_STREQ("picture: N.N │ [FIN_WAIT2] │", a.v[0]);
	EXPECT_STREQ("picture: N.N │ [TIME_WAIT] │", a.v[1]);
	EXPECT_STREQ(b.v[0], a.v[0]);
	EXPECT_STREQ(b.v[1], a.v[1]);
	lines_free(&a);
	lines_free(&b);
}

/* Every marker in README.md and docs/ names a sample gen-docs.py has. */
TEST(every_marker_has_a_sample)
{
	char *args[] = { "--check", NULL }, *out;

	EXPECT_EQ(0, run_gen_docs(args, CHECK_MS, &out));
	free(out);
}

/* Every document in docs/ is one of those checked below, and exists. */
TEST(every_doc_is_checked)
{
	char dir[PATH_MAX], path[PATH_MAX];
	size_t ndocs = sizeof(doc_files) / sizeof(doc_files[0]);
	struct dirent *d;
	DIR *dp;

	ASSERT_EQ(0, source_path(dir, sizeof(dir), "docs"));
	dp = opendir(dir);
	ASSERT_NE(NULL, dp) {
		TH_LOG("%s: %s", dir, strerror(errno));
	}
	while ((d = readdir(dp))) {
		bool known = false;
		size_t len = strlen(d->d_name);

		if (len < 3 || strcmp(d->d_name + len - 3, ".md"))
			continue;
		snprintf(path, sizeof(path), "docs/%s", d->d_name);
		for (size_t i = 0; i < ndocs; i++)
			known |= !strcmp(path, doc_files[i]);
		EXPECT_TRUE(known) {
			TH_LOG("%s is not in doc_files[] of tests/test_docs.c",
			       path);
		}
	}
	closedir(dp);
	for (size_t i = 0; i < ndocs; i++) {
		ASSERT_EQ(0, source_path(path, sizeof(path), doc_files[i]));
		EXPECT_EQ(0, access(path, R_OK)) {
			TH_LOG("%s: %s", path, strerror(errno));
		}
	}
}

/* Whether tests/FILE.c defines a test called name: the name is the last
 * argument but one of a TEST*() line, or its only one. */
static bool defines_test(const char *file, const char *name)
{
	char path[PATH_MAX], *text, want[160];
	bool found = false;

	if (source_path(path, sizeof(path), file))
		return false;
	text = read_file(path);
	if (!text)
		return false;
	for (const char *p = text; (p = strstr(p, "\nTEST")); p++) {
		const char *end = strchrnul(p + 1, '\n');
		const char *open = memchr(p, '(', end - p);

		if (!open)
			continue;
		snprintf(want, sizeof(want), ", %s,", name);
		found |= memmem(open, end - open, want, strlen(want)) != NULL;
		snprintf(want, sizeof(want), ", %s)", name);
		found |= memmem(open, end - open, want, strlen(want)) != NULL;
		snprintf(want, sizeof(want), "(%s)", name);
		found |= memmem(open, end - open, want, strlen(want)) != NULL;
		snprintf(want, sizeof(want), "(%s,", name);
		found |= memmem(open, end - open, want, strlen(want)) != NULL;
	}
	free(text);
	return found;
}

/*
 * docs/claims.md names, for each claim a note makes about the kernel,
 * the test that proves it, as `test_FILE:NAME`: each of them exists.
 */
TEST(every_test_the_claims_name_exists)
{
	char path[PATH_MAX], file[96], name[96];
	char *text;
	int refs = 0;

	ASSERT_EQ(0, source_path(path, sizeof(path), DOC_CLAIMS));
	text = read_file(path);
	ASSERT_NE(NULL, text);
	for (const char *p = text; (p = strstr(p, "`test_")); p++) {
		int n = 0;

		if (sscanf(p + 1, "%95[a-z_]:%95[a-z0-9_]`%n", file, name,
			   &n) != 2 || !n)
			continue;
		refs++;
		snprintf(path, sizeof(path), "tests/%s.c", file);
		EXPECT_TRUE(defines_test(path, name)) {
			TH_LOG("docs/claims.md names %s:%s, which %s does not define",
			       file, name, path);
		}
	}
	/* The table is there, not an empty page. */
	EXPECT_LE(40, refs);
	free(text);
}

/*
 * The counts at the top of docs/claims.md are its rows', exactly: a row is
 * "| NUMBER | ... |", and its last cell starts with yes, words or (for
 * anything else) no. The test_docs shapes mask numbers, so this is what
 * keeps the counts true.
 */
TEST(claims_count_is_the_tables)
{
	char path[PATH_MAX], want[256];
	int rows = 0, yes = 0, words = 0;
	char *text, *line, *save = NULL;

	ASSERT_EQ(0, source_path(path, sizeof(path), DOC_CLAIMS));
	text = read_file(path);
	ASSERT_NE(NULL, text);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(line);
		char *last;

		if (strncmp(line, "| ", 2) || !isdigit((unsigned char)line[2]) ||
		    n < 4 || strcmp(line + n - 2, " |"))
			continue;
		line[n - 2] = '\0';
		last = strrchr(line, '|');
		rows++;
		yes += !strncmp(last, "| yes", 5);
		words += !strncmp(last, "| words", 7);
	}
	free(text);
	snprintf(want, sizeof(want),
		 "In all: %d claims; %d proved by a test that checks the kernel, %d by a test of the words only, %d by none.\n",
		 rows, yes, words, rows - yes - words);
	text = read_file(path);
	EXPECT_NE(NULL, strstr(text, want)) {
		TH_LOG("docs/claims.md does not say: %s(regenerate: sudo scripts/gen-docs.py docs/claims.md)",
		       want);
	}
	EXPECT_LE(100, rows);
	free(text);
}

/* The masking itself: what is kept, what is not. */
TEST(shape_masks_numbers_and_keeps_words)
{
	struct lines a = {}, b = {};
	char *m;

	m = mask_numbers("0.004070 [6233 udp_chat_client] sendto(3, \"hi\", 2, 0, {AF_INET6, [::1]:38425}, 28) = 2");
	EXPECT_STREQ("N.N [N udp_chat_client] sendto(N, \"hi\", N, N, {AF_INET6, [::N]:N}, N) = N",
		     m);
	free(m);
	m = mask_numbers("setsockopt(3, SOL_SOCKET, SO_RCVTIMEO_OLD, 0x7fff679f2dc0, 16)");
	EXPECT_STREQ("setsockopt(N, SOL_SOCKET, SO_RCVTIMEO_OLD, 0xN, N)", m);
	free(m);
	m = mask_numbers("\"sender\":\"sockscope-lab-1f9a00-snd\" sockscope-lab-");
	EXPECT_STREQ("\"sender\":\"sockscope-lab-X-snd\" sockscope-lab-", m);
	free(m);
	m = note_shape("one whole datagram; it waited 0.630 s for data; sent by x; and more");
	EXPECT_STREQ("one whole datagram; and more", m);
	free(m);
	m = note_shape("fd 3 closed; the state changes just above happened during this call; and more");
	EXPECT_STREQ("fd 3 closed; and more", m);
	free(m);

	/* Two processes interleaved either way: the same shape. */
	shape_of("1.0 [10 srv] socket(AF_INET) = 3\n"
		 "    # a note\n"
		 "1.1 [11 cli] socket(AF_INET) = 3\n"
		 "1.2 [10 srv] tcp 1.2.3.4:5 (fd 3): CLOSE -> LISTEN\n", &a);
	shape_of("2.0 [20 srv] socket(AF_INET) = 4\n"
		 "    # a note\n"
		 "2.1 [20 srv] tcp 1.2.3.4:6 (fd 4): CLOSE -> LISTEN\n"
		 "2.2 [21 cli] socket(AF_INET) = 4\n", &b);
	ASSERT_EQ(a.n, b.n);
	for (size_t i = 0; i < a.n; i++)
		EXPECT_STREQ(a.v[i], b.v[i]);
	lines_free(&b);

	/* Another state name is another shape. */
	shape_of("2.0 [20 srv] socket(AF_INET) = 4\n"
		 "    # a note\n"
		 "2.1 [20 srv] tcp 1.2.3.4:6 (fd 4): CLOSE -> SYN_SENT\n"
		 "2.2 [21 cli] socket(AF_INET) = 4\n", &b);
	ASSERT_EQ(a.n, b.n);
	EXPECT_STRNE(a.v[a.n - 1], b.v[b.n - 1]);
	lines_free(&a);
	lines_free(&b);

	/* A connection before accept(): whoever it is attributed to. */
	shape_of("1.0 [10 srv] tcp 1.2.3.4:5 -> 1.2.3.4:6: LISTEN -> SYN_RECV\n", &a);
	shape_of("1.0 [11 cli] tcp 1.2.3.4:5 -> 1.2.3.4:7: LISTEN -> SYN_RECV\n", &b);
	ASSERT_EQ(1, a.n);
	ASSERT_EQ(1, b.n);
	EXPECT_STREQ(a.v[0], b.v[0]);
	lines_free(&a);
	lines_free(&b);
}

FIXTURE(doc) {
	char *text;
};

FIXTURE_VARIANT(doc) {
	const char *path;
};

FIXTURE_VARIANT_ADD(doc, readme) { .path = DOC_README, };
FIXTURE_VARIANT_ADD(doc, index) { .path = DOC_INDEX, };
FIXTURE_VARIANT_ADD(doc, what_is_a_socket) { .path = DOC_SOCKET, };
FIXTURE_VARIANT_ADD(doc, udp_chat) { .path = DOC_UDP, };
FIXTURE_VARIANT_ADD(doc, tcp_chat) { .path = DOC_TCP, };
FIXTURE_VARIANT_ADD(doc, tcp_vs_udp) { .path = DOC_VERSUS, };
FIXTURE_VARIANT_ADD(doc, inside_the_kernel) { .path = DOC_KERNEL, };
FIXTURE_VARIANT_ADD(doc, how_sockscope_works) { .path = DOC_INTERNALS, };
FIXTURE_VARIANT_ADD(doc, claims) { .path = DOC_CLAIMS, };

FIXTURE_SETUP(doc)
{
	char path[PATH_MAX];

	ASSERT_EQ(0, source_path(path, sizeof(path), variant->path));
	self->text = read_file(path);
	ASSERT_NE(NULL, self->text) {
		TH_LOG("%s: %s", path, strerror(errno));
	}
}

FIXTURE_TEARDOWN(doc)
{
	free(self->text);
}

/* Each generated block has the shape of a fresh run of its sample. */
TEST_F_TIMEOUT(doc, samples_match_a_fresh_run, 180)
{
	struct block blocks[32];
	const char *why = e2e_skip_reason();
	int n;

	n = doc_blocks(self->text, variant->path, blocks, 32);
	ASSERT_LE(0, n);
	if (n > 0 && why)
		SKIP(goto out, "%s", why);
	for (int i = 0; i < n; i++)
		EXPECT_EQ(0, check_block(variant->path, &blocks[i]));
out:
	for (int i = 0; i < n; i++)
		free(blocks[i].text);
}

TEST_HARNESS_MAIN
