/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A growable byte buffer that every formatter writes into. buf is always
 * NUL-terminated after any add (and NULL only before the first one), so it
 * can be printed with fputs. Running out of memory is fatal: the tracer
 * prints "sockscope: out of memory" and exits with status 1.
 */
#ifndef SOCKSCOPE_STRBUF_H
#define SOCKSCOPE_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len, cap;
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);

/* Empties the buffer, keeping its memory for reuse. */
void sb_reset(struct strbuf *sb);

void sb_add(struct strbuf *sb, const char *s);
void sb_addn(struct strbuf *sb, const void *s, size_t n);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
