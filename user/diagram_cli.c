// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * "sockscope diagram [options] FILE.jsonl": a trace saved with --save,
 * drawn as a sequence diagram. No BPF, no root.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagram.h"
#include "diagram_cli.h"
#include "options.h"
#include "output.h"
#include "reader.h"
#include "replay.h"

#define USAGE "usage: sockscope diagram [--format text|svg|html] [-o FILE] [--pid PID] [--port PORT] [--conversation N] [--list] [--width N] FILE.jsonl"

struct diagram_args {
	const char *file, *output, *format;
	long pid, port, conv, width;
	bool list;
};

static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "sockscope: %s%s%s; %s\n", what, arg ? ": " : "",
		arg ? arg : "", USAGE);
	return 2;
}

static int parse(struct diagram_args *a, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "format", required_argument, NULL, 'F' },
		{ "output", required_argument, NULL, 'o' },
		{ "pid", required_argument, NULL, 'p' },
		{ "port", required_argument, NULL, 'P' },
		{ "conversation", required_argument, NULL, 'c' },
		{ "list", no_argument, NULL, 'l' },
		{ "width", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	int c;

	memset(a, 0, sizeof(*a));
	a->format = "text";
	a->width = 100;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:p:h", longs, NULL)) != -1) {
		switch (c) {
		case 'F':
			a->format = optarg;
			break;
		case 'o':
			a->output = optarg;
			break;
		case 'p':
			a->pid = options_number(optarg, 1, 4194304);
			if (a->pid < 0)
				return usage_error("bad --pid", optarg);
			break;
		case 'P':
			a->port = options_number(optarg, 1, 65535);
			if (a->port < 0)
				return usage_error("bad --port", optarg);
			break;
		case 'c':
			a->conv = options_number(optarg, 1, DIAGRAM_CONVS);
			if (a->conv < 0)
				return usage_error("bad --conversation (a number from --list)",
						   optarg);
			break;
		case 'l':
			a->list = true;
			break;
		case 'w':
			a->width = options_number(optarg, 60, 200);
			if (a->width < 0)
				return usage_error("bad --width (60 to 200)", optarg);
			break;
		case 'h':
			puts(USAGE);
			exit(0);
		default:
			return usage_error("unknown option", argv[optind - 1]);
		}
	}
	if (strcmp(a->format, "text") && strcmp(a->format, "svg") &&
	    strcmp(a->format, "html"))
		return usage_error("unknown --format (text, svg, html)",
				   a->format);
	if (optind != argc - 1)
		return usage_error("diagram takes one saved trace", NULL);
	a->file = argv[optind];
	return 0;
}

static enum diagram_format format_of(const char *name)
{
	if (!strcmp(name, "svg"))
		return DIAGRAM_SVG;
	if (!strcmp(name, "html"))
		return DIAGRAM_HTML;
	return DIAGRAM_TEXT;
}

/* The picture, or the list of conversations, into sb; or say why not. */
static int draw(const struct diagram_args *a, struct diagram *d,
		struct strbuf *sb)
{
	if (a->list) {
		diagram_list(d, sb);
		if (d->nconvs)
			return 0;
		fprintf(stderr, "sockscope: %s: no conversation between two ports in this trace\n",
			a->file);
		return -ENODATA;
	}
	if (a->conv > d->nconvs) {
		fprintf(stderr, "sockscope: %s: there is no conversation %ld (the trace has %d; see --list)\n",
			a->file, a->conv, d->nconvs);
		return -ENODATA;
	}
	d->only_conv = a->conv;
	if (!diagram_render(d, sb, format_of(a->format), a->width)) {
		struct strbuf cut;

		/* The text picture says it at its end; a file, here too. */
		sb_init(&cut);
		if (format_of(a->format) != DIAGRAM_TEXT || a->output)
			diagram_cut(d, &cut, 100000);
		if (cut.len)
			fprintf(stderr, "sockscope: %s: %s", a->file, cut.buf);
		sb_free(&cut);
		return 0;
	}
	fprintf(stderr, "sockscope: %s: no socket calls to draw%s\n", a->file,
		a->pid || a->port || a->conv ?
		" for that --pid, --port or --conversation" : "");
	return -ENODATA;
}

int diagram_main(int argc, char **argv)
{
	struct output discard = { .fd = -1, .name = "nowhere" }, out;
	struct diagram_args a;
	struct options o = { .explain = true };
	struct diagram d;
	struct reader rd;
	struct strbuf sb;
	FILE *f;
	int ret;

	ret = parse(&a, argc, argv);
	if (ret)
		return ret;
	f = fopen(a.file, "re");
	if (!f) {
		fprintf(stderr, "sockscope: cannot read '%s': %s\n", a.file,
			strerror(errno));
		return 1;
	}
	sb_init(&discard.buf);
	diagram_init(&d);
	d.only_pid = a.pid;
	d.only_port = a.port;
	if (!d.steps || reader_init(&rd, &o, &discard, NULL)) {
		fprintf(stderr, "sockscope: out of memory\n");
		fclose(f);
		return 1;
	}
	rd.diagram = &d;
	ret = replay_file(&rd, f, a.file);
	fclose(f);
	diagram_finish(&d);
	sb_init(&sb);
	if (!ret)
		ret = draw(&a, &d, &sb);
	if (!ret && !output_open(&out, a.output)) {
		sb_add(&out.buf, sb.buf ? sb.buf : "");
		if (output_flush(&out))
			ret = -EIO;
		output_close(&out);
	} else if (!ret) {
		ret = -EIO;
	}
	sb_free(&sb);
	reader_free(&rd);
	sb_free(&discard.buf);
	diagram_free(&d);
	return ret ? 1 : 0;
}
