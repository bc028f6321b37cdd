/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A growable byte buffer that every formatter writes into. buf is always
 * NUL-terminated after any add (and NULL only before the first one), so it
 * can be printed with fputs. Running out of memory is fatal: the tracer
 * prints "sockscope: out of memory" and exits with status 1.
 *
 * The reader formats every record through here, so the common adds are
 * inline: they only call out (sb_grow) when the buffer is full, and numbers
 * have their own appenders that need no printf format to be parsed.
 */
#ifndef SOCKSCOPE_STRBUF_H
#define SOCKSCOPE_STRBUF_H

#include <stddef.h>
#include <string.h>

struct strbuf {
	char *buf;
	size_t len, cap;
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);

/* Empties the buffer, keeping its memory for reuse. */
void sb_reset(struct strbuf *sb);

/* Makes room for n more bytes plus the terminating NUL (the slow path of
 * sb_reserve: allocates, or exits when it cannot). */
void sb_grow(struct strbuf *sb, size_t n);

/*
 * Room for n more bytes plus the NUL. When buf is not NULL, cap > len (the
 * NUL has its byte), so "n < cap - len" cannot wrap; a NULL buf has cap 0
 * and always grows.
 */
static inline void sb_reserve(struct strbuf *sb, size_t n)
{
	if (n >= sb->cap - sb->len)
		sb_grow(sb, n);
}

/*
 * For a formatter that writes its bytes itself: sb_claim() returns where
 * n bytes may go (the n + 1st, buf[len + n], is there for the NUL), and
 * sb_commit() then adds the n written and terminates the buffer again.
 *
 *	char *p = sb_claim(sb, 2 * n);
 *	... write 2 * n bytes at p ...
 *	sb_commit(sb, 2 * n);
 */
static inline char *sb_claim(struct strbuf *sb, size_t n)
{
	sb_reserve(sb, n);
	return sb->buf + sb->len;
}

/*
 * The adds below read buf and len once, into locals, and store len last:
 * a char stored through buf may alias any object, sb's own fields too, so
 * the compiler would load them again after every byte it wrote.
 */
static inline void sb_commit(struct strbuf *sb, size_t n)
{
	size_t len = sb->len + n;
	char *buf = sb->buf;

	buf[len] = '\0';
	sb->len = len;
}

/*
 * For a formatter that wrote through a cursor from sb_claim(): end is
 * where its bytes end (at most the n claimed past the old end). The
 * buffer is terminated there.
 */
static inline void sb_commit_to(struct strbuf *sb, char *end)
{
	*end = '\0';
	sb->len = end - sb->buf;
}

static inline void sb_addn(struct strbuf *sb, const void *s, size_t n)
{
	size_t len;
	char *buf;

	sb_reserve(sb, n);
	len = sb->len;
	buf = sb->buf;
	if (n)			/* s may be NULL when n is 0 */
		memcpy(buf + len, s, n);
	buf[len + n] = '\0';
	sb->len = len + n;
}

/* With a string literal, the compiler folds the strlen. */
static inline void sb_add(struct strbuf *sb, const char *s)
{
	sb_addn(sb, s, strlen(s));
}

static inline void sb_addc(struct strbuf *sb, char c)
{
	size_t len;
	char *buf;

	sb_reserve(sb, 1);
	len = sb->len;
	buf = sb->buf;
	buf[len] = c;
	buf[len + 1] = '\0';
	sb->len = len + 1;
}

/*
 * Numbers, written as printf writes them but without its machinery:
 *
 *	sb_addu(sb, v)		"%llu"
 *	sb_addi(sb, v)		"%lld" (LLONG_MIN too)
 *	sb_addu_zpad(sb, v, w)	"%0*llu": at least w digits, zeros in front
 *				(w at most 20)
 *	sb_addhex(sb, v)	"%#llx": "0x2e", lowercase; 0 is plain "0"
 */
void sb_addu(struct strbuf *sb, unsigned long long v);
void sb_addi(struct strbuf *sb, long long v);
void sb_addu_zpad(struct strbuf *sb, unsigned long long v, unsigned int width);
void sb_addhex(struct strbuf *sb, unsigned long long v);

/*
 * The same numbers written at a cursor p, for a formatter that claimed
 * room for a bounded piece once (sb_claim) and commits it at the end
 * (sb_commit_to): they return where the digits end. Each needs 20 bytes
 * of room at p (sb_put_i 21), what the longest number takes (the zeros
 * are written first, then the digits over them).
 */
char *sb_put_u(char *p, unsigned long long v);
char *sb_put_i(char *p, long long v);
char *sb_put_u_zpad(char *p, unsigned long long v, unsigned int width);

void sb_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
