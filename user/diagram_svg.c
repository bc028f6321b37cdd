// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A sequence diagram as SVG (diagram.h): one self-contained picture, no
 * scripts, no fonts or files from elsewhere, readable in a browser and in
 * GitHub's markdown. Lifelines are vertical lines under a box naming the
 * process; each step is a row; arrows carry their label above them.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "diagram.h"

#define LEFT		90	/* the time column */
#define SPACING		230	/* between lifelines */
#define TOP		78	/* below the boxes */
#define ROW		22
#define BOX_W		200
#define BOX_H		52
#define GAP_NS		100000000ULL
/* A column of the monospace font at 12px (DejaVu Sans Mono's advance is
 * 0.602 em; a wide character takes two), for fitting labels. */
#define COLUMN_PX	7.25
#define LABEL_PAD	6	/* between a label and an arrow's ends */
#define CALL_X		9	/* a call's label, right of its lifeline */

void diagram_xml_text(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': sb_add(sb, "&amp;"); break;
		case '<': sb_add(sb, "&lt;"); break;
		case '>': sb_add(sb, "&gt;"); break;
		case '"': sb_add(sb, "&quot;"); break;
		default:
			/* XML 1.0 has no place for other control characters. */
			if ((unsigned char)*s < 0x20 && *s != '\t' &&
			    *s != '\n')
				sb_addc(sb, '?');
			else
				sb_addc(sb, *s);
		}
	}
}

static int x_of(int line)
{
	return LEFT + SPACING / 2 + line * SPACING;
}

static void text_at(struct strbuf *sb, int x, int y, const char *cls,
		    const char *anchor, const char *text)
{
	sb_addf(sb, "<text x=\"%d\" y=\"%d\" class=\"%s\" text-anchor=\"%s\">",
		x, y, cls, anchor);
	diagram_xml_text(sb, text);
	sb_add(sb, "</text>\n");
}

/* The columns of text that fit in px. */
static int columns_in(int px)
{
	return px > 0 ? (int)(px / COLUMN_PX) : 0;
}

static int px_of(const char *text)
{
	return (int)(diagram_columns(text) * COLUMN_PX + 0.999);
}

static void header(struct strbuf *sb, const struct diagram *d, int bottom)
{
	char label[64], fit[64 + 4];

	for (int i = 0; i < d->nlines; i++) {
		const struct diagram_lifeline *l = &d->lines[i];
		int x = x_of(i);

		sb_addf(sb, "<g class=\"lifeline\" id=\"lifeline-%d\">\n", i);
		sb_addf(sb, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"life\"/>\n",
			x, 10 + BOX_H, x, bottom);
		sb_addf(sb, "<rect x=\"%d\" y=\"10\" width=\"%d\" height=\"%d\" rx=\"6\" class=\"%s\"/>\n",
			x - BOX_W / 2, BOX_W, BOX_H, l->pid ? "box" : "box none");
		if (l->pid)
			snprintf(label, sizeof(label), "%d %s", l->pid, l->comm);
		else
			snprintf(label, sizeof(label), "(no process)");
		diagram_shorten(fit, sizeof(fit), label, columns_in(BOX_W - 10));
		text_at(sb, x, 30, "name", "middle", fit);
		diagram_shorten(fit, sizeof(fit), l->where,
				columns_in(BOX_W - 10));
		text_at(sb, x, 48, "where", "middle", fit);
		sb_add(sb, "</g>\n");
	}
}

/* A step links to its record's lines in the html page's trace. */
static void link_open(struct strbuf *sb, const struct diagram_step *s)
{
	if (s->text >= 0)
		sb_addf(sb, "<a href=\"#line-%d\">\n", s->text);
}

static void link_close(struct strbuf *sb, const struct diagram_step *s)
{
	if (s->text >= 0)
		sb_add(sb, "</a>\n");
}

static void arrow(struct strbuf *sb, const struct diagram_step *s, int y,
		  int k)
{
	int a = x_of(s->from), b = x_of(s->to);
	int end = a < b ? b - 4 : b + 4;
	char label[DIAGRAM_LABEL + 4];

	link_open(sb, s);
	sb_addf(sb, "<g class=\"step arrow%s%s\" id=\"step-%d\">\n",
		s->kernel ? " kernel" : "", s->lost ? " lost" : "", k);
	if (s->lost) {
		/* It stops short, in a cross: nobody received it. */
		end = (a + 3 * b) / 4;
		sb_addf(sb, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
			a, y, end, y);
		sb_addf(sb, "<path d=\"M%d %dl10 10m0 -10l-10 10\" class=\"cross\"/>\n",
			end - 5, y - 5);
	} else {
		sb_addf(sb, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" marker-end=\"url(#head)\"/>\n",
			a, y, end, y);
	}
	/* Over the line, clear of its head or its cross: cut to fit. */
	diagram_shorten(label, sizeof(label), s->label,
			columns_in(abs(end - a) - 2 * LABEL_PAD));
	text_at(sb, (a + end) / 2, y - 4, "label", "middle", label);
	sb_add(sb, "</g>\n");
	link_close(sb, s);
}

/* A label on lifeline i: up to the next lifeline; right of the last
 * one, as long as it is (the picture is made wide enough). */
static void on_line_text(char *out, size_t size, const struct diagram *d,
			 const struct diagram_step *s)
{
	char text[DIAGRAM_LABEL + 4];

	snprintf(text, sizeof(text), s->kind == STEP_STATE ? "[%s]" : "%s",
		 s->label);
	if (s->from + 1 < d->nlines)
		diagram_shorten(out, size, text,
				columns_in(SPACING - CALL_X - LABEL_PAD));
	else
		snprintf(out, size, "%s", text);
}

static void on_line(struct strbuf *sb, const struct diagram *d,
		    const struct diagram_step *s, int y, int k)
{
	int x = x_of(s->from);
	char text[DIAGRAM_LABEL + 8];
	const char *cls = s->kind == STEP_STATE ? "state" :
			  s->kind == STEP_DROP || s->failed ? "call failed" :
			  "call";

	link_open(sb, s);
	sb_addf(sb, "<g class=\"step %s\" id=\"step-%d\">\n", cls, k);
	if (s->kind == STEP_CALL && !s->failed)
		sb_addf(sb, "<circle cx=\"%d\" cy=\"%d\" r=\"4\"/>\n", x, y - 4);
	else if (s->kind != STEP_STATE)
		sb_addf(sb, "<path d=\"M%d %dl8 8m0 -8l-8 8\" class=\"cross\"/>\n",
			x - 4, y - 8);
	on_line_text(text, sizeof(text), d, s);
	text_at(sb, x + CALL_X, y, "text", "start", text);
	sb_add(sb, "</g>\n");
	link_close(sb, s);
}

static const char style[] =
	"<style>\n"
	"text { font-family: DejaVu Sans Mono, Menlo, Consolas, monospace; font-size: 12px; fill: #1a1a1a; }\n"
	".name { font-weight: bold; }\n"
	".where, .time, .gap { fill: #666; }\n"
	".box { fill: #eef3fb; stroke: #3465a4; }\n"
	".box.none { fill: #f4f4f4; stroke: #999; stroke-dasharray: 4 3; }\n"
	".life { stroke: #999; stroke-width: 1; }\n"
	".arrow line { stroke: #204a87; stroke-width: 1.6; }\n"
	".arrow.kernel line { stroke: #75507b; stroke-dasharray: 5 3; }\n"
	".arrow.kernel .label { fill: #75507b; }\n"
	".arrow.lost line { stroke: #a40000; stroke-dasharray: 2 3; }\n"
	".arrow.lost .label { fill: #a40000; }\n"
	".call circle { fill: #204a87; }\n"
	".failed text, .cross { fill: #a40000; stroke: #a40000; stroke-width: 2; }\n"
	".failed text { stroke: none; }\n"
	".state text { fill: #4e9a06; }\n"
	".cut { fill: #a40000; }\n"
	"#head path { fill: context-stroke; }\n"
	".step:target text { fill: #ce5c00; font-weight: bold; }\n"
	".step:target line { stroke: #ce5c00; }\n"
	".legend .legend { fill: #444; }\n"
	".legend .prog { stroke: #204a87; stroke-width: 1.6; }\n"
	".legend .kern { stroke: #75507b; stroke-width: 1.6; stroke-dasharray: 5 3; }\n"
	".legend .lost { stroke: #a40000; stroke-width: 1.6; stroke-dasharray: 2 3; }\n"
	".legend .dot { fill: #204a87; }\n"
	".legend .state-mark { fill: #4e9a06; }\n"
	"</style>\n";

/* What the marks mean, as the text picture's last line says it. */
static const struct legend_entry {
	const char *mark;		/* an SVG fragment at (0, 0) */
	const char *words;
} legend_entries[] = {
	{ "<line x1=\"0\" y1=\"-4\" x2=\"30\" y2=\"-4\" class=\"prog\" marker-end=\"url(#head)\"/>",
	  "what the programs sent" },
	{ "<line x1=\"0\" y1=\"-4\" x2=\"30\" y2=\"-4\" class=\"kern\" marker-end=\"url(#head)\"/>",
	  "what the kernel sent on its own (TCP segments)" },
	{ "<line x1=\"0\" y1=\"-4\" x2=\"22\" y2=\"-4\" class=\"lost\"/><path d=\"M20 -9l10 10m0 -10l-10 10\" class=\"cross\"/>",
	  "lost" },
	{ "<circle cx=\"15\" cy=\"-4\" r=\"4\" class=\"dot\"/>",
	  "a call = its result" },
	{ "<path d=\"M11 -8l8 8m0 -8l-8 8\" class=\"cross\"/>", "a call that failed" },
	{ "<text x=\"0\" y=\"0\" class=\"state-mark\">[ ]</text>",
	  "TCP state" },
};

#define LEGEND_MARK	40	/* the mark's width, before its words */
#define LEGEND_GAP	24

/* The legend, in rows that fit width; returns how many rows. */
static int legend(struct strbuf *sb, int width, int y)
{
	int x = 10, rows = 1;

	if (sb)
		sb_add(sb, "<g class=\"legend\">\n");
	for (size_t i = 0; i < sizeof(legend_entries) / sizeof(legend_entries[0]); i++) {
		const struct legend_entry *e = &legend_entries[i];
		int w = LEGEND_MARK + px_of(e->words);

		if (x > 10 && x + w > width - 10) {
			x = 10;
			rows++;
			y += ROW;
		}
		if (sb) {
			sb_addf(sb, "<g transform=\"translate(%d %d)\">%s</g>\n",
				x, y, e->mark);
			text_at(sb, x + LEGEND_MARK, y, "legend", "start",
				e->words);
		}
		x += w + LEGEND_GAP;
	}
	if (sb)
		sb_add(sb, "</g>\n");
	return rows;
}

/* Wide enough for the lifelines and every label right of the last. */
static int width_of(const struct diagram *d)
{
	int width = LEFT + d->nlines * SPACING + 20;
	char text[DIAGRAM_LABEL + 8];

	for (int k = 0; k < d->nsteps; k++) {
		const struct diagram_step *s = &d->steps[k];
		int right;

		if (s->kind == STEP_ARROW)
			continue;
		on_line_text(text, sizeof(text), d, s);
		right = x_of(s->from) + CALL_X + px_of(text) + 10;
		if (right > width)
			width = right;
	}
	return width;
}

/* The picture, its times counted from origin. */
static int picture(const struct diagram *d, struct strbuf *sb, __u64 origin)
{
	int width, height, bottom, y = TOP, rows = 0;
	__u64 prev = d->start_ns;
	struct strbuf cut;
	char t[48];

	if (!d->nsteps || !d->nlines)
		return -ENODATA;
	for (int k = 0; k < d->nsteps; k++)
		rows += 1 + (d->steps[k].ts_ns > prev + GAP_NS),
		prev = d->steps[k].ts_ns;
	sb_init(&cut);
	diagram_cut_note(d, &cut, 100);
	for (const char *c = cut.buf; c && *c; c++)
		rows += *c == '\n';
	width = width_of(d);
	if (cut.len && width < 760)
		width = 760;
	bottom = TOP + rows * ROW + 10;
	rows += 1 + legend(NULL, width, 0);
	height = TOP + rows * ROW + 40;
	sb_addf(sb, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" class=\"sockscope-diagram\">\n",
		width, height, width, height);
	sb_add(sb, style);
	sb_add(sb, "<defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" fill=\"#204a87\"/></marker></defs>\n");
	sb_addf(sb, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
		width, height);
	header(sb, d, bottom);
	prev = d->start_ns;
	for (int k = 0; k < d->nsteps; k++) {
		const struct diagram_step *s = &d->steps[k];

		if (s->ts_ns > prev + GAP_NS) {
			y += ROW;
			snprintf(t, sizeof(t), "+%.3f s", (s->ts_ns - prev) / 1e9);
			text_at(sb, 10, y - 6, "gap", "start", t);
		}
		prev = s->ts_ns;
		y += ROW;
		snprintf(t, sizeof(t), "%llu.%06llu",
			 (s->ts_ns - origin) / 1000000000ULL,
			 (s->ts_ns - origin) % 1000000000ULL / 1000);
		text_at(sb, 10, y, "time", "start", t);
		if (s->kind == STEP_ARROW)
			arrow(sb, s, y, k);
		else
			on_line(sb, d, s, y, k);
	}
	for (const char *c = cut.buf; c && *c;) {
		size_t len = strcspn(c, "\n");
		char line[128];

		snprintf(line, sizeof(line), "%.*s", (int)len, c);
		y += ROW;
		text_at(sb, 10, y + 12, "cut", "start", line);
		c += len + (c[len] == '\n');
	}
	sb_free(&cut);
	legend(sb, width, y + 2 * ROW + 12);
	sb_add(sb, "</svg>\n");
	return 0;
}

int diagram_svg(const struct diagram *d, struct strbuf *sb)
{
	return picture(d, sb, d->start_ns);
}

/* The html page's picture: its times are the trace's beside it. */
int diagram_svg_in_trace_time(const struct diagram *d, struct strbuf *sb)
{
	return picture(d, sb, d->trace_ns && d->trace_ns <= d->start_ns ?
			      d->trace_ns : d->start_ns);
}
