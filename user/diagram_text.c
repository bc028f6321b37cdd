// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A sequence diagram as text (diagram.h): lifelines down the page, time
 * on the left, box-drawing arrows between them. Each row is laid out as
 * cells, one per terminal column, so that message text in UTF-8 (wide
 * characters take two) lines up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagram.h"

#define TIME_W		11	/* "0.001234   " */
#define CELL_BYTES	5
#define MAX_WIDTH	200
#define GAP_NS		100000000ULL	/* a pause worth a row of its own */

struct row {
	char cell[MAX_WIDTH][CELL_BYTES];
	int width;
};

/* Bytes in the UTF-8 sequence that starts with c (1 for a stray byte). */
static int utf8_len(unsigned char c)
{
	return c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

static unsigned int utf8_code(const unsigned char *s, int n)
{
	static const unsigned char mask[] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
	unsigned int c = s[0] & mask[n];

	for (int i = 1; i < n; i++)
		c = c << 6 | (s[i] & 0x3f);
	return c;
}

/* Columns a character takes in a terminal: East Asian wide ones two. */
static int char_width(unsigned int c)
{
	return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
	       (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	       (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	       (c >= 0xffe0 && c <= 0xffe6) || c >= 0x20000 ? 2 : 1;
}

/* Columns text takes. */
static int text_width(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	int w = 0;

	while (*s) {
		int n = utf8_len(*s);

		w += char_width(utf8_code(s, n));
		s += n;
	}
	return w;
}

int diagram_columns(const char *text)
{
	return text_width(text);
}

void diagram_shorten(char *out, size_t size, const char *text, int columns)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t at = 0;

	if (text_width(text) <= columns) {
		snprintf(out, size, "%s", text);
		return;
	}
	/* Whole characters, and room for the "…" (3 bytes, a column). */
	while (*s && columns > 1) {
		int n = utf8_len(*s), w = char_width(utf8_code(s, n));

		if (w > columns - 1 || at + n + 4 > size ||
		    strnlen((const char *)s, n) < (size_t)n)
			break;
		memcpy(out + at, s, n);
		at += n;
		s += n;
		columns -= w;
	}
	snprintf(out + at, size - at, "%s", columns > 0 ? "…" : "");
}

static void row_clear(struct row *r, int width)
{
	r->width = width;
	for (int i = 0; i < width; i++)
		strcpy(r->cell[i], " ");
}

static void put(struct row *r, int col, const char *glyph)
{
	if (col >= 0 && col < r->width)
		snprintf(r->cell[col], CELL_BYTES, "%s", glyph);
}

/* Writes text from col on, in at most max columns ("…" when cut); the
 * columns it took. */
static int put_text(struct row *r, int col, const char *text, int max)
{
	const unsigned char *s = (const unsigned char *)text;
	bool cut = text_width(text) > max;
	int from = col;

	if (cut)
		max--;
	while (*s && max > 0 && col < r->width) {
		int n = utf8_len(*s), w = char_width(utf8_code(s, n));

		if (w > max)
			break;
		memcpy(r->cell[col], s, n);
		r->cell[col][n] = '\0';
		if (w == 2 && col + 1 < r->width)
			r->cell[col + 1][0] = '\0';
		col += w;
		max -= w;
		s += n;
	}
	if (cut)
		put(r, col++, "…");
	return col - from;
}

static void row_emit(struct strbuf *sb, const struct row *r)
{
	int end = r->width;

	while (end > 0 && !strcmp(r->cell[end - 1], " "))
		end--;
	for (int i = 0; i < end; i++)
		sb_add(sb, r->cell[i]);
	sb_addc(sb, '\n');
}

/* "1.234567" seconds of ns. */
static void put_time(struct row *r, __u64 ns)
{
	char t[32];

	snprintf(t, sizeof(t), "%llu.%06llu", ns / 1000000000ULL,
		 ns % 1000000000ULL / 1000);
	put_text(r, 0, t, TIME_W - 1);
}

struct layout {
	int col[DIAGRAM_LIFELINES];
	int n, width;
};

/* Room for a label that starts right of lifeline i. */
static int room_after(const struct layout *l, int i)
{
	int next = i + 1 < l->n ? l->col[i + 1] : l->width;

	return next - l->col[i] - 3;
}

static void lifelines(struct row *r, const struct layout *l,
		      const char *glyph)
{
	for (int i = 0; i < l->n; i++)
		put(r, l->col[i], glyph);
}

static void centered(struct row *r, const struct layout *l, int i,
		     const char *text)
{
	int room = (i + 1 < l->n ? l->col[i + 1] - l->col[i] :
		    (l->width - l->col[i]) * 2) - 2;
	int w = text_width(text);

	if (room < 4)
		room = 4;
	if (w > room)
		w = room;
	put_text(r, l->col[i] - w / 2, text, room);
}

static void draw_arrow(struct row *r, const struct layout *l,
		       const struct diagram_step *s)
{
	int a = l->col[s->from], b = l->col[s->to];
	int lo = a < b ? a : b, hi = a < b ? b : a;
	const char *line = s->kernel ? "┄" : "─";
	int w = text_width(s->label), room = hi - lo - 6, start;

	for (int c = lo + 1; c < hi; c++)
		put(r, c, line);
	if (a < b) {
		put(r, a, "├");
		put(r, b - 1, s->lost ? "╳" : "▶");
	} else {
		put(r, a, "┤");
		put(r, b + 1, s->lost ? "╳" : "◀");
	}
	if (room < 1)
		return;
	if (w > room)
		w = room;
	/* Centred, with a blank each side, clear of the arrow's ends. */
	start = lo + (hi - lo - w) / 2;
	put(r, start - 1, " ");
	put(r, start + put_text(r, start, s->label, room), " ");
}

static void draw_step(struct row *r, const struct layout *l,
		      const struct diagram_step *s)
{
	int c = l->col[s->from];
	char text[DIAGRAM_LABEL + 8];

	switch (s->kind) {
	case STEP_ARROW:
		draw_arrow(r, l, s);
		return;
	case STEP_CALL:
		put(r, c, s->failed ? "✗" : "●");
		snprintf(text, sizeof(text), "%s", s->label);
		break;
	case STEP_STATE:
		snprintf(text, sizeof(text), "[%s]", s->label);
		break;
	case STEP_DROP:
		put(r, c, "╳");
		snprintf(text, sizeof(text), "%s", s->label);
		break;
	}
	put_text(r, c + 2, text, room_after(l, s->from));
}

static void make_layout(struct layout *l, const struct diagram *d, int width)
{
	int spacing = 0;

	l->n = d->nlines;
	l->width = width;
	if (l->n > 1)
		spacing = (width - TIME_W - 24) / (l->n - 1);
	if (spacing > 40)
		spacing = 40;
	for (int i = 0; i < l->n; i++)
		l->col[i] = TIME_W + 8 + i * spacing;
}

int diagram_text(const struct diagram *d, struct strbuf *sb, int width)
{
	struct row *r = malloc(sizeof(*r));
	struct layout l;
	char label[64];
	__u64 prev = d->start_ns;

	if (!r)
		return -ENOMEM;
	if (!d->nsteps || !d->nlines) {
		free(r);
		return -ENODATA;
	}
	if (width > MAX_WIDTH)
		width = MAX_WIDTH;
	make_layout(&l, d, width);
	row_clear(r, width);
	for (int i = 0; i < l.n; i++) {
		if (d->lines[i].pid)
			snprintf(label, sizeof(label), "%d", d->lines[i].pid);
		else
			snprintf(label, sizeof(label), "(no process)");
		centered(r, &l, i, label);
	}
	row_emit(sb, r);
	row_clear(r, width);
	for (int i = 0; i < l.n; i++)
		centered(r, &l, i, d->lines[i].comm);
	row_emit(sb, r);
	row_clear(r, width);
	for (int i = 0; i < l.n; i++)
		centered(r, &l, i, d->lines[i].where);
	row_emit(sb, r);
	for (int k = 0; k < d->nsteps; k++) {
		const struct diagram_step *s = &d->steps[k];

		if (s->ts_ns > prev + GAP_NS) {
			row_clear(r, width);
			lifelines(r, &l, "┆");
			snprintf(label, sizeof(label), "+%.3f s",
				 (s->ts_ns - prev) / 1e9);
			put_text(r, 0, label, TIME_W - 1);
			row_emit(sb, r);
		}
		prev = s->ts_ns;
		row_clear(r, width);
		lifelines(r, &l, "│");
		put_time(r, s->ts_ns - d->start_ns);
		draw_step(r, &l, s);
		row_emit(sb, r);
	}
	if (width >= 91)
		sb_add(sb, "─── what the programs sent    ┄┄┄ what the kernel sent on its own (TCP segments)    ─╳ lost\n");
	else
		sb_add(sb, "─── what the programs sent\n┄┄┄ what the kernel sent on its own (TCP segments)\n─╳ lost\n");
	diagram_cut_note(d, sb, width);
	free(r);
	return 0;
}

int diagram_print(const struct diagram *d)
{
	struct strbuf sb;
	int ret;

	sb_init(&sb);
	ret = diagram_render(d, &sb, DIAGRAM_TEXT, 100);
	if (ret)
		fprintf(stderr, "sockscope: no socket calls to draw in a diagram\n");
	else
		fputs(sb.buf, stdout);
	fflush(stdout);
	sb_free(&sb);
	return ret;
}
