// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Which part of a diagram is drawn: the conversations of a trace (two
 * ports of one protocol, numbered as first seen), and the steps that
 * --port or --conversation keep.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagram.h"
#include "explain.h"

/* An unbound sender's address is 0.0.0.0 until its peer says which. */
static void known_addr(struct diagram_conv *c, int end, const __u8 *a)
{
	static const __u8 any[16];

	if (!memcmp(c->addr[end], any, sizeof(any)))
		memcpy(c->addr[end], a, sizeof(c->addr[end]));
}

int diagram_conversation(struct diagram *d, int protocol, int family,
			 const __u8 *laddr, unsigned int lport,
			 const __u8 *raddr, unsigned int rport)
{
	struct diagram_conv *c;

	if (!lport || !rport)
		return 0;
	for (int i = 0; i < d->nconvs; i++) {
		c = &d->convs[i];
		if (c->protocol != protocol)
			continue;
		if (c->port[0] == lport && c->port[1] == rport) {
			known_addr(c, 0, laddr);
			known_addr(c, 1, raddr);
			return i + 1;
		}
		if (c->port[0] == rport && c->port[1] == lport) {
			known_addr(c, 0, raddr);
			known_addr(c, 1, laddr);
			return i + 1;
		}
	}
	if (d->nconvs == DIAGRAM_CONVS)
		return 0;
	c = &d->convs[d->nconvs++];
	*c = (struct diagram_conv){ .protocol = protocol, .family = family,
				    .port = { lport, rport } };
	memcpy(c->addr[0], laddr, sizeof(c->addr[0]));
	memcpy(c->addr[1], raddr, sizeof(c->addr[1]));
	return d->nconvs;
}

static int steps_of(const struct diagram *d, int conv)
{
	int n = 0;

	for (int i = 0; i < d->nsteps; i++)
		n += d->steps[i].conv == conv;
	return n;
}

void diagram_list(const struct diagram *d, struct strbuf *sb)
{
	for (int i = 0; i < d->nconvs; i++) {
		const struct diagram_conv *c = &d->convs[i];

		sb_addf(sb, "%3d  %s  ", i + 1,
			c->protocol == IPPROTO_TCP ? "TCP" :
			c->protocol == IPPROTO_UDP ? "UDP" : "IP ");
		format_endpoint(sb, c->family, c->addr[0], c->port[0]);
		sb_add(sb, " <-> ");
		format_endpoint(sb, c->family, c->addr[1], c->port[1]);
		sb_addf(sb, "  (%d steps)\n", steps_of(d, i + 1));
	}
}

static bool has_port(const struct diagram *d, const struct diagram_step *s)
{
	return diagram_has_port_sock(d, s->sk, s->gen);
}

/* The sockets that took part in the --conversation. */
struct conv_socks {
	struct { __u64 sk; unsigned int gen; } at[DIAGRAM_PORT_SOCKS];
	int n;
};

static void find_conv_socks(const struct diagram *d, struct conv_socks *c)
{
	c->n = 0;
	for (int k = 0; k < d->nsteps; k++) {
		const struct diagram_step *o = &d->steps[k];
		int i;

		if (o->conv != d->only_conv || !o->sk)
			continue;
		for (i = 0; i < c->n; i++)
			if (c->at[i].sk == o->sk && c->at[i].gen == o->gen)
				break;
		if (i == c->n && c->n < DIAGRAM_PORT_SOCKS) {
			c->at[c->n].sk = o->sk;
			c->at[c->n++].gen = o->gen;
		}
	}
}

/*
 * A step of the conversation; or, of none, a step of a socket that took
 * part in it (its socket(), bind(), close()).
 */
static bool in_conversation(const struct diagram *d,
			    const struct conv_socks *c,
			    const struct diagram_step *s)
{
	if (s->conv)
		return s->conv == d->only_conv;
	for (int i = 0; s->sk && i < c->n; i++)
		if (c->at[i].sk == s->sk && c->at[i].gen == s->gen)
			return true;
	return false;
}

/* A step on the --pid's lifeline, or an arrow to or from it. */
static bool of_pid(const struct diagram *d, const struct diagram_step *s)
{
	return d->lines[s->from].pid == d->only_pid ||
	       (s->to >= 0 && d->lines[s->to].pid == d->only_pid);
}

static bool kept(const struct diagram *d, const struct conv_socks *c,
		 const struct diagram_step *s)
{
	return (!d->only_pid || of_pid(d, s)) &&
	       (!d->only_port || has_port(d, s)) &&
	       (!d->only_conv || in_conversation(d, c, s));
}

/*
 * What is drawn: the steps kept() (by --port or --conversation), on at
 * most DIAGRAM_LIFELINES lifelines (renumbered) and at most DIAGRAM_STEPS
 * of them; left_out counts the kept steps that did not fit. v->steps is
 * malloc'd.
 */
static int view(const struct diagram *d, struct diagram *v)
{
	int map[DIAGRAM_KEEP_LINES];
	struct conv_socks c = { .n = 0 };

	if (d->only_conv)
		find_conv_socks(d, &c);
	*v = *d;
	v->steps = malloc((d->nsteps ? d->nsteps : 1) * sizeof(*v->steps));
	if (!v->steps)
		return -ENOMEM;
	v->nsteps = 0;
	v->nlines = 0;
	v->left_out = 0;
	for (int i = 0; i < DIAGRAM_KEEP_LINES; i++)
		map[i] = -1;
	for (int k = 0; k < d->nsteps; k++) {
		struct diagram_step s = d->steps[k];
		int need = (s.from >= 0 && map[s.from] < 0) +
			   (s.to >= 0 && s.to != s.from && map[s.to] < 0);
		bool fits = v->nsteps < DIAGRAM_STEPS &&
			    v->nlines + need <= DIAGRAM_LIFELINES;

		if (!kept(d, &c, &s))
			continue;
		if (!fits) {
			v->left_out++;
			continue;
		}
		for (int e = 0; e < 2; e++) {
			int *line = e ? &s.to : &s.from;

			if (*line < 0)
				continue;
			if (map[*line] < 0) {
				v->lines[v->nlines] = d->lines[*line];
				map[*line] = v->nlines++;
			}
			*line = map[*line];
		}
		if (!v->nsteps)
			v->start_ns = s.ts_ns;
		v->steps[v->nsteps++] = s;
	}
	return 0;
}

void diagram_cut_note(const struct diagram *v, struct strbuf *sb, int width)
{
	struct strbuf text;
	const char *p;
	int col = 0;

	if (!v->left_out && !v->too_big)
		return;
	sb_init(&text);
	if (v->left_out)
		sb_addf(&text, "%d more steps are not drawn: a picture has at most %d lifelines and %d steps.",
			v->left_out, DIAGRAM_LIFELINES, DIAGRAM_STEPS);
	if (v->too_big)
		sb_addf(&text, "%sThe trace is longer than a diagram keeps (%d processes, %d steps): its end is in no picture.",
			v->left_out ? " " : "", DIAGRAM_KEEP_LINES,
			DIAGRAM_KEEP_STEPS);
	sb_add(&text, " Draw a part: sockscope diagram FILE --conversation N (--list numbers them), --pid PID or --port PORT.");
	/* Words, wrapped to width (the text is ASCII). */
	for (p = text.buf; *p;) {
		size_t len = strcspn(p, " ");

		if (col && col + 1 + (int)len > width) {
			sb_addc(sb, '\n');
			col = 0;
		} else if (col) {
			sb_addc(sb, ' ');
			col++;
		}
		sb_addf(sb, "%.*s", (int)len, p);
		col += (int)len;
		p += len;
		p += *p == ' ';
	}
	sb_addc(sb, '\n');
	sb_free(&text);
}

/* --- a lifeline for each socket of a process ----------------------------- */

struct sock_line {
	int line;			/* the process's lifeline */
	__u64 sk;
	unsigned int gen;
	int to;				/* its own lifeline in the split view */
};

struct split {
	struct sock_line socks[DIAGRAM_LIFELINES];
	int nsocks;
	int per[DIAGRAM_LIFELINES];	/* sockets on each lifeline */
	int first[DIAGRAM_LIFELINES];	/* its first in the split view */
};

/* The lifeline of the step's own socket: an arrow's tail, or its head
 * when the step was the receiving end's. */
static int own_end(const struct diagram_step *s)
{
	return s->kind == STEP_ARROW && s->sk_to ? s->to : s->from;
}

static struct sock_line *sock_of(struct split *sp, int line, __u64 sk,
				 unsigned int gen)
{
	for (int i = 0; i < sp->nsocks; i++)
		if (sp->socks[i].line == line && sp->socks[i].sk == sk &&
		    sp->socks[i].gen == gen)
			return &sp->socks[i];
	return NULL;
}

/* The sockets on each process's lifeline: false when they would need
 * more lifelines than a diagram has, or when none has two. */
static bool count_sockets(const struct diagram *d, struct split *sp)
{
	int lines = 0;
	bool several = false;

	memset(sp, 0, sizeof(*sp));
	for (int k = 0; k < d->nsteps; k++) {
		const struct diagram_step *s = &d->steps[k];
		int line = own_end(s);

		if (!s->sk || line < 0 || !d->lines[line].pid ||
		    sock_of(sp, line, s->sk, s->gen))
			continue;
		if (sp->nsocks == DIAGRAM_LIFELINES)
			return false;
		sp->socks[sp->nsocks++] = (struct sock_line){
			.line = line, .sk = s->sk, .gen = s->gen };
		sp->per[line]++;
	}
	for (int i = 0; i < d->nlines; i++) {
		lines += sp->per[i] > 1 ? sp->per[i] : 1;
		several |= sp->per[i] > 1;
	}
	return several && lines <= DIAGRAM_LIFELINES;
}

static const char *where_of(const struct diagram *d, __u64 sk,
			    unsigned int gen)
{
	for (int i = 0; i < d->nwheres; i++)
		if (d->wheres[i].sk == sk && d->wheres[i].gen == gen)
			return d->wheres[i].where;
	return NULL;
}

/*
 * The far end of an arrow on a split lifeline: the socket at the far end
 * if it has a lifeline, else the socket there that is in the arrow's
 * conversation, or the first, but not the near end's own (mine).
 */
static int far_end(const struct diagram *d, struct split *sp, int line,
		   const struct diagram_step *s, const struct sock_line *mine)
{
	struct sock_line *sl;

	if (sp->per[line] <= 1)
		return sp->first[line];
	sl = s->peer_sk ? sock_of(sp, line, s->peer_sk, s->peer_gen) : NULL;
	if (sl)
		return sl->to;
	for (int k = 0; s->conv && k < d->nsteps; k++) {
		const struct diagram_step *o = &d->steps[k];

		if (o->conv != s->conv || own_end(o) != line)
			continue;
		sl = sock_of(sp, line, o->sk, o->gen);
		if (sl && sl != mine)
			return sl->to;
	}
	for (int k = 0; k < sp->nsocks; k++)
		if (sp->socks[k].line == line && &sp->socks[k] != mine)
			return sp->socks[k].to;
	return sp->first[line];
}

/* v: d, with a lifeline per socket for each process that has several
 * (when they all fit). 1 when it split, 0 when d is drawn as it is. */
static int split_sockets(const struct diagram *d, struct diagram *v)
{
	struct split sp;

	if (!count_sockets(d, &sp))
		return 0;
	*v = *d;
	v->steps = malloc((d->nsteps ? d->nsteps : 1) * sizeof(*v->steps));
	if (!v->steps)
		return -ENOMEM;
	v->nlines = 0;
	for (int i = 0; i < d->nlines; i++) {
		sp.first[i] = v->nlines;
		if (sp.per[i] <= 1) {
			v->lines[v->nlines++] = d->lines[i];
			continue;
		}
		for (int k = 0; k < sp.nsocks; k++) {
			struct diagram_lifeline *l = &v->lines[v->nlines];
			const char *where;

			if (sp.socks[k].line != i)
				continue;
			*l = d->lines[i];
			where = where_of(d, sp.socks[k].sk, sp.socks[k].gen);
			snprintf(l->where, sizeof(l->where), "%s",
				 where ? where : "");
			sp.socks[k].to = v->nlines++;
		}
	}
	for (int k = 0; k < d->nsteps; k++) {
		struct diagram_step *s = &v->steps[k];
		int own = own_end(&d->steps[k]);
		struct sock_line *sl;
		int *mine, *other;

		*s = d->steps[k];
		sl = own >= 0 && sp.per[own] > 1 ?
		     sock_of(&sp, own, s->sk, s->gen) : NULL;
		mine = s->kind == STEP_ARROW && s->sk_to ? &s->to : &s->from;
		other = mine == &s->to ? &s->from : &s->to;
		if (*other >= 0)
			*other = far_end(d, &sp, *other, &d->steps[k], sl);
		if (*mine >= 0)
			*mine = sl ? sl->to : sp.first[*mine];
	}
	return 1;
}

/* An arrow between two sockets of one lifeline (a process whose sockets
 * did not get one each) cannot be drawn: it is left out. */
static void drop_self_arrows(struct diagram *v)
{
	int n = 0;

	for (int k = 0; k < v->nsteps; k++) {
		const struct diagram_step *s = &v->steps[k];

		if (s->kind == STEP_ARROW && s->from == s->to)
			v->left_out++;
		else
			v->steps[n++] = *s;
	}
	v->nsteps = n;
}

/* What is drawn of d: *use, v or w (each steps malloc'd, or NULL). */
static int drawn(const struct diagram *d, struct diagram *v,
		 struct diagram *w, struct diagram **use)
{
	int ret = view(d, v);

	*use = v;
	if (!ret) {
		ret = split_sockets(v, w);
		if (ret == 1)
			*use = w;
		ret = ret < 0 ? ret : 0;
	}
	if (!ret)
		drop_self_arrows(*use);
	return ret;
}

void diagram_cut(const struct diagram *d, struct strbuf *sb, int width)
{
	struct diagram v = { 0 }, w = { 0 }, *use;

	if (!drawn(d, &v, &w, &use))
		diagram_cut_note(use, sb, width);
	free(v.steps);
	free(w.steps);
}

int diagram_render(const struct diagram *d, struct strbuf *sb,
		   enum diagram_format format, int width)
{
	struct diagram v = { 0 }, w = { 0 }, *use;
	int ret = drawn(d, &v, &w, &use);

	if (!ret)
		ret = format == DIAGRAM_SVG ? diagram_svg(use, sb) :
		      format == DIAGRAM_HTML ? diagram_html(use, sb) :
		      diagram_text(use, sb, width);
	free(v.steps);
	free(w.steps);
	return ret;
}
