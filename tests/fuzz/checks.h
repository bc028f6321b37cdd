/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What must hold for any input to sockscope's decoders of untrusted data.
 * Each check takes the raw bytes of one fuzz input, runs decoders on it
 * and returns NULL when all is well, else one line saying what broke.
 *
 *   check_record_input    one ring-buffer record, alone: record_validate,
 *                         then the text and JSON renderers
 *   check_reader_input    a stream of records through the reader (socket
 *                         table, notes, conversations, rendering, --save),
 *                         then the saved trace replayed: the same output
 *   check_replay_input    arbitrary lines given to replay_line
 *   check_sockaddr_input  format_sockaddr_text and format_sockaddr_json
 *   check_escape_input    format_text_bytes (with and without keep_utf8),
 *                         format_json_string, is_valid_utf8, format_hex
 *   check_options_input   options_parse, the input split on NUL into argv
 *
 * Everything printed must be whole lines; text lines valid UTF-8 with no
 * control characters (nothing a traced process sends can reach the
 * terminal but text); JSON lines valid JSON objects.
 *
 * Input layouts (the seed corpus in tests/fuzz/corpus/ follows them):
 *
 *   record    byte 0 is the mode. 0: the rest is the record, used as it
 *             is (any length, any bytes). Else the rest is patched into a
 *             record that passes record_validate (see patch_record), so
 *             that the renderers see every field value.
 *   reader    byte 0: options (READER_* bits); then records, each as 2
 *             bytes little-endian length and the bytes, patched as above
 *             when READER_PATCH is set (with pids, descriptors and kernel
 *             sockets folded onto a few values, so that calls meet).
 *   replay    lines of text.
 *   sockaddr  4 bytes little-endian addrlen, then the captured bytes.
 *             Shorter inputs: addrlen is the input's length.
 *   escape    the bytes.
 *   options   argv[1..] separated by NUL bytes (at most 64).
 *
 * Sanitizers do the rest: every decoder gets its input in a heap block of
 * exactly the input's size, so ASan sees any read past the end.
 *
 * Header-only (static functions) so that the libFuzzer targets
 * (tests/fuzz/fuzz_*.c) and tests/test_bad_input.c, which replays the
 * corpus in every `make test`, share it without build rules of their own.
 */
#ifndef SOCKSCOPE_FUZZ_CHECKS_H
#define SOCKSCOPE_FUZZ_CHECKS_H

#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "calls.h"
#include "events.h"
#include "format.h"
#include "options.h"
#include "output.h"
#include "reader.h"
#include "render.h"
#include "replay.h"
#include "strbuf.h"

#include "json_check.h"

#define CHECK_MAX_ARGS	64

static char check_msg_buf[1024];

static inline __attribute__((format(printf, 1, 2)))
const char *check_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(check_msg_buf, sizeof(check_msg_buf), fmt, ap);
	va_end(ap);
	return check_msg_buf;
}

/* A heap copy of exactly n bytes (ASan catches any read past it). */
static inline void *check_copy(const void *data, size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		abort();
	if (n)
		memcpy(p, data, n);
	return p;
}

/*
 * Text meant for a terminal: valid UTF-8 without control characters (C0,
 * DEL, C1), so that no traced process can move the cursor or change the
 * terminal through sockscope's output. '\n' only where allowed.
 */
static inline const char *check_terminal_text(const char *what,
					      const char *s, size_t n,
					      bool newline_at_end)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len;
	long cp;

	if (newline_at_end) {
		if (!n || p[n - 1] != '\n')
			return check_fail("%s: does not end in a newline", what);
		n--;
	}
	while (i < n) {
		cp = ref_utf8_decode(p + i, n - i, &len);
		if (cp < 0)
			return check_fail("%s: invalid UTF-8 at byte %zu: %.200s",
					  what, i, s);
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			return check_fail("%s: control character U+%04lX at byte %zu: %.200s",
					  what, cp, i, s);
		i += len;
	}
	return NULL;
}

/* One JSON object on one line, '\n' at its end. */
static inline const char *check_json_line(const char *what, const char *s,
					  size_t n)
{
	const char *err;
	size_t at;

	if (!n || s[n - 1] != '\n')
		return check_fail("%s: does not end in a newline", what);
	if (memchr(s, '\n', n - 1))
		return check_fail("%s: more than one line: %.200s", what, s);
	if (s[0] != '{')
		return check_fail("%s: not an object: %.200s", what, s);
	err = json_check(s, n - 1, &at);
	if (err)
		return check_fail("%s: invalid JSON (%s at byte %zu): %.300s",
				  what, err, at, s);
	return NULL;
}

/* --- output lines -------------------------------------------------------- */

static const char *const check_json_kinds[] = {
	"syscall", "tcp_state", "tcp_retransmit", "tcp_reset", "udp_drop",
	"rcvqueue_full", "buf_limit", "lost", "trace_start", NULL,
};

/* {"kind":"KNOWN", ... */
static inline const char *check_json_kind(const char *s)
{
	const char *p = s + 9, *q;

	if (strncmp(s, "{\"kind\":\"", 9) || !(q = strchr(p, '"')))
		return check_fail("JSON line: does not start with its kind: %.200s",
				  s);
	for (int i = 0; check_json_kinds[i]; i++)
		if ((size_t)(q - p) == strlen(check_json_kinds[i]) &&
		    !strncmp(p, check_json_kinds[i], q - p))
			return NULL;
	return check_fail("JSON line: unknown kind: %.200s", s);
}

/*
 * Every line of a buffer: whole, and text for a terminal or a JSON object
 * of a known kind.
 */
static inline const char *check_lines(const char *what, const struct strbuf *sb,
				      bool json)
{
	const char *line = sb->buf, *end, *err = NULL;

	if (!sb->len)
		return NULL;
	if (sb->buf[sb->len - 1] != '\n')
		return check_fail("%s: ends in the middle of a line: %.200s",
				  what, sb->buf);
	for (; !err && line < sb->buf + sb->len; line = end + 1) {
		end = memchr(line, '\n', sb->buf + sb->len - line);
		if (json) {
			err = check_json_line(what, line, end - line + 1);
			err = err ? err : check_json_kind(line);
		} else {
			err = check_terminal_text(what, line, end - line + 1,
						  true);
		}
	}
	return err;
}

/* --- records ------------------------------------------------------------- */

#define CHECK_RECORD_MAX	(sizeof(struct syscall_record) + PAYLOAD_MAX)

static inline const char *check_syscall_rendering(const struct syscall_record *r,
						  const struct render_opts *ro)
{
	const struct call_desc *d = call_desc(r->call);
	const char *err;
	char prefix[48], resumed[64];
	struct strbuf sb;

	sb_init(&sb);
	render_syscall_text(&sb, r, ro);
	err = check_lines("text line", &sb, false);
	if (!err && memchr(sb.buf, '\n', sb.len - 1))
		err = check_fail("text line: more than one line: %.200s",
				 sb.buf);
	snprintf(prefix, sizeof(prefix), "] %s(", d->name);
	snprintf(resumed, sizeof(resumed), "] <... %s resumed>", d->name);
	if (!err && !strstr(sb.buf, prefix) && !strstr(sb.buf, resumed))
		err = check_fail("text line: no '%s': %.200s", prefix, sb.buf);
	sb_reset(&sb);
	render_syscall_json(&sb, r, ro, "a note with \"quotes\"\n");
	err = err ? err : check_lines("JSON line", &sb, true);
	if (!err && memchr(sb.buf, '\n', sb.len - 1))
		err = check_fail("JSON line: more than one line: %.200s",
				 sb.buf);
	sb_free(&sb);
	return err;
}

static inline const char *check_kernel_rendering(const struct kernel_record *k,
						 const struct render_opts *ro)
{
	/* The owner as the reader knows it: a traced process's name is
	 * whatever that process chose. */
	char comm[SOCKSCOPE_COMM_LEN + 1] = "";
	struct event_owner o = { .pid = k->owner_pid, .fd = (int)k->pad2,
				 .comm = comm };
	const char *err;
	struct strbuf sb;

	memcpy(comm, k->hdr.comm, SOCKSCOPE_COMM_LEN);
	sb_init(&sb);
	render_kernel_text(&sb, k, &o, k->hdr.ts_ns / 3, ro);
	err = check_lines("kernel text line", &sb, false);
	sb_reset(&sb);
	render_kernel_json(&sb, k, &o, k->hdr.ts_ns / 3, NULL);
	err = err ? err : check_lines("kernel JSON line", &sb, true);
	if (!err && memchr(sb.buf, '\n', sb.len - 1))
		err = check_fail("kernel JSON line: more than one line: %.200s",
				 sb.buf);
	sb_free(&sb);
	return err;
}

/* The losses reported with a record, in both forms. */
static inline const char *check_lost_rendering(const struct event_header *h)
{
	const char *err;
	struct strbuf sb;

	sb_init(&sb);
	render_lost_text(&sb, h->lost_before);
	err = check_lines("lost line", &sb, false);
	sb_reset(&sb);
	render_lost_json(&sb, h->lost_before, h->ts_ns);
	err = err ? err : check_lines("lost JSON line", &sb, true);
	sb_free(&sb);
	return err;
}

/* What validation promises the renderers. */
static inline bool record_is_consistent(const void *data, size_t size)
{
	const struct event_header *h = data;
	const struct syscall_record *r = data;

	if (size < sizeof(*h) || h->size != size)
		return false;
	if (h->kind == EVENT_SYSCALL)
		return size >= sizeof(*r) && call_desc(r->call) &&
		       r->addr_captured <= SOCKADDR_MAX &&
		       r->payload_len <= PAYLOAD_MAX &&
		       size == sizeof(*r) + r->payload_len;
	return h->kind > EVENT_SYSCALL && h->kind < EVENT_KIND_MAX &&
	       size == sizeof(struct kernel_record);
}

/* A record exactly as the reader gets it from the ring buffer. */
static inline const char *check_record(const void *data, size_t size)
{
	struct render_opts ro = {
		.start_ns = 1000000000ULL,
		.realtime_offset_ns = 1700000000LL * 1000000000LL,
	};
	const struct event_header *h;
	const char *err = NULL;
	void *copy = check_copy(data, size);

	h = copy;
	if (record_validate(copy, size) == 0) {
		if (!record_is_consistent(copy, size))
			err = check_fail("record_validate accepted an inconsistent record of %zu bytes (kind %u)",
					 size, h->kind);
		for (int wall = 0; !err && wall <= 1; wall++) {
			ro.wallclock = wall;
			ro.duration = !wall;
			if (h->kind == EVENT_SYSCALL)
				err = check_syscall_rendering(copy, &ro);
			else
				err = check_kernel_rendering(copy, &ro);
		}
		if (!err)
			err = check_lost_rendering(h);
	}
	free(copy);
	return err;
}

/* Fold a value onto a few, so that records meet in the socket table. */
#define FOLD(x, n, base)	((x) = (base) + (x) % (n))

/*
 * Make bytes into a record that record_validate accepts, in out (room for
 * CHECK_RECORD_MAX bytes): the first byte chooses a syscall record (even)
 * or a kernel event (odd); the rest fills the record. With tame, pids,
 * descriptors and kernel sockets take only a few values. Returns the
 * record's size.
 */
static inline size_t patch_record(const uint8_t *data, size_t size,
				  void *out, bool tame)
{
	struct syscall_record *r = out;
	struct kernel_record *k = out;
	bool kernel = size && (data[0] & 1);
	size_t n;

	if (size) {
		data++;
		size--;
	}
	n = kernel ? sizeof(*k) : sizeof(*r);
	if (!kernel && size > n)
		n = size < CHECK_RECORD_MAX ? size : CHECK_RECORD_MAX;
	memset(out, 0, n);
	memcpy(out, data, size < n ? size : n);
	r->hdr.size = n;
	r->hdr.comm[SOCKSCOPE_COMM_LEN - 1] = '\0';	/* as the kernel's */
	if (tame) {
		FOLD(r->hdr.pid, 3, 100);
		r->hdr.tid = r->hdr.tid & 1 ? r->hdr.pid : r->hdr.pid + 1000;
		r->hdr.lost_before %= 3;
	}
	if (kernel) {
		k->hdr.kind = EVENT_TCP_STATE +
			      k->hdr.kind % (EVENT_KIND_MAX - EVENT_TCP_STATE);
		if (tame) {
			FOLD(k->sock.sk, 4, 0xffff0000);
			FOLD(k->owner_pid, 4, 99);
			k->sock.family = k->sock.family & 1 ? 2 : 10;
		}
		return n;
	}
	r->hdr.kind = EVENT_SYSCALL;
	r->call = r->call % (CALL_MAX - 1) + 1;
	r->addr_captured %= SOCKADDR_MAX + 1;
	r->payload_len = n - sizeof(*r);
	if (tame) {
		FOLD(r->args[0], 6, 3);
		FOLD(r->sock.sk, 4, 0xffff0000);
		r->sock.family = r->sock.family & 1 ? 2 : 10;
		if (r->ret >= 0 && (r->call == CALL_SOCKET ||
				    r->call == CALL_ACCEPT ||
				    r->call == CALL_ACCEPT4))
			FOLD(r->ret, 6, 3);
		FOLD(r->aux0, 6, 3);
		FOLD(r->aux1, 6, 3);
	}
	return n;
}

static inline const char *check_record_input(const uint8_t *data, size_t size)
{
	uint8_t rec[CHECK_RECORD_MAX] __attribute__((aligned(8)));
	const char *err;
	size_t n;

	if (!size)
		return NULL;
	if (data[0] == 0)
		return check_record(data + 1, size - 1);
	n = patch_record(data + 1, size - 1, rec, false);
	if (record_validate(rec, n))
		return check_fail("record_validate rejected a consistent record (kind %u, %zu bytes)",
				  ((struct event_header *)rec)->kind, n);
	err = check_record(rec, n);
	return err;
}

/* --- the reader, and replaying what it saved ----------------------------- */

#define READER_JSON		(1u << 0)
#define READER_FAILED_ONLY	(1u << 1)
#define READER_NO_EXPLAIN	(1u << 2)
#define READER_DURATION		(1u << 3)
#define READER_WALLCLOCK	(1u << 4)
#define READER_PATCH		(1u << 5)

static inline void reader_options(struct options *o, uint8_t bits)
{
	memset(o, 0, sizeof(*o));
	o->json = bits & READER_JSON;
	o->failed_only = bits & READER_FAILED_ONLY;
	o->explain = !(bits & READER_NO_EXPLAIN);
	o->duration = bits & READER_DURATION;
	o->wallclock = bits & READER_WALLCLOCK;
}

static inline void discard_output(struct output *out)
{
	sb_init(&out->buf);
	out->fd = -1;
	out->name = "nowhere";
	out->error = 0;
}

/* Move what the reader wrote into all, checking it on the way. */
static inline const char *collect(const char *what, struct output *out,
				  bool json, struct strbuf *all)
{
	const char *err = check_lines(what, &out->buf, json);

	sb_addn(all, out->buf.buf ? out->buf.buf : "", out->buf.len);
	sb_reset(&out->buf);
	return err;
}

/* Feed the saved trace to a fresh reader; its output goes to *replayed. */
static inline const char *replay_saved(const struct options *o,
				       const struct strbuf *saved,
				       struct strbuf *replayed)
{
	const char *line = saved->buf, *end, *why, *err = NULL;
	struct output out;
	struct reader rd;

	discard_output(&out);
	if (reader_init(&rd, o, &out, NULL))
		abort();
	for (; !err && line && line < saved->buf + saved->len; line = end + 1) {
		end = memchr(line, '\n', saved->buf + saved->len - line);
		why = NULL;
		if (replay_line(&rd, line, end - line, &why) < 0)
			err = check_fail("replay refused a saved line (%s): %.300s",
					 why, line);
		err = err ? err : collect("replayed output", &out, o->json,
					  replayed);
	}
	reader_free(&rd);
	sb_free(&out.buf);
	return err;
}

static inline const char *check_reader_input(const uint8_t *data, size_t size)
{
	uint8_t rec[CHECK_RECORD_MAX] __attribute__((aligned(8)));
	struct strbuf live, saved, replayed;
	struct output out, save;
	const char *err = NULL;
	struct options o;
	struct reader rd;
	size_t i = 1, len, n;
	void *copy;

	if (!size)
		return NULL;
	reader_options(&o, data[0]);
	discard_output(&out);
	discard_output(&save);
	sb_init(&live);
	sb_init(&saved);
	sb_init(&replayed);
	if (reader_init(&rd, &o, &out, &save))
		abort();
	reader_start(&rd, 5000000000ULL);
	err = collect("saved trace", &save, true, &saved);
	while (!err && i + 2 <= size) {
		len = data[i] | data[i + 1] << 8;
		i += 2;
		if (len > size - i)
			len = size - i;
		if (data[0] & READER_PATCH) {
			n = patch_record(data + i, len, rec, true);
			copy = check_copy(rec, n);
		} else {
			n = len;
			copy = check_copy(data + i, n);
		}
		i += len;
		reader_handle(&rd, copy, n, NULL);
		free(copy);
		err = collect("live output", &out, o.json, &live);
		err = err ? err : collect("saved trace", &save, true, &saved);
	}
	if (!err) {
		FILE *f = fopen("/dev/null", "w");

		reader_print_summary(&rd, f, rd.lost_reported);
		fclose(f);
	}
	reader_free(&rd);
	/* -x leaves successful calls out of the saved trace too. */
	if (!err && !o.failed_only) {
		err = replay_saved(&o, &saved, &replayed);
		if (!err && (live.len != replayed.len ||
			     (live.len && memcmp(live.buf, replayed.buf,
						 live.len))))
			err = check_fail("the replay differs from the live output:\n%.600s\n-- replayed --\n%.600s",
					 live.buf ? live.buf : "",
					 replayed.buf ? replayed.buf : "");
	}
	sb_free(&out.buf);
	sb_free(&save.buf);
	sb_free(&live);
	sb_free(&saved);
	sb_free(&replayed);
	return err;
}

/* Arbitrary lines given to replay (in JSON, then in text). */
static inline const char *check_replay_input(const uint8_t *data, size_t size)
{
	const char *err = NULL, *why;
	struct output out;
	struct options o;
	struct reader rd;
	struct strbuf all;

	sb_init(&all);
	for (int json = 0; !err && json <= 1; json++) {
		const uint8_t *line = data, *end;

		reader_options(&o, json ? READER_JSON : 0);
		discard_output(&out);
		if (reader_init(&rd, &o, &out, NULL))
			abort();
		for (; !err && line < data + size; line = end + 1) {
			void *copy;

			end = memchr(line, '\n', data + size - line);
			if (!end)
				end = data + size;
			copy = check_copy(line, end - line);
			why = NULL;
			if (replay_line(&rd, copy, end - line, &why) < 0 &&
			    (!why || !*why))
				err = check_fail("replay refused a line without saying why");
			free(copy);
			err = err ? err : collect("replay output", &out, json,
						  &all);
			sb_reset(&all);
		}
		reader_free(&rd);
		sb_free(&out.buf);
	}
	sb_free(&all);
	return err;
}

/* --- socket addresses ---------------------------------------------------- */

/* "{hex=...}" or "{FAMILY, hex=...}": the bytes, not decoded fields. */
static inline bool sockaddr_text_is_raw(const char *text)
{
	const char *p = text + 1, *comma = strstr(text, ", ");

	if (strncmp(p, "hex=", 4) && comma)
		p = comma + 2;
	return !strncmp(p, "hex=", 4);
}

static inline const char *check_one_sockaddr(const void *addr, size_t captured,
					     size_t addrlen)
{
	const unsigned char *p = addr;
	size_t len = captured < addrlen ? captured : addrlen;
	bool no_addr = !addrlen || addrlen > INT_MAX;
	struct strbuf text, json;
	const char *err = NULL;
	char expect[64];
	int rt, rj;

	sb_init(&text);
	sb_init(&json);
	rt = format_sockaddr_text(&text, addr, captured, addrlen);
	rj = format_sockaddr_json(&json, addr, captured, addrlen);
	if (rt != rj || (rt && rt != -ENODATA))
		err = check_fail("sockaddr: text returned %d, JSON %d", rt, rj);
	/* Only printable ASCII: every byte of a path is escaped. */
	for (size_t i = 0; !err && i < text.len; i++)
		if ((unsigned char)text.buf[i] < 0x20 ||
		    (unsigned char)text.buf[i] > 0x7e)
			err = check_fail("sockaddr text: byte 0x%02x at %zu: %.200s",
					 (unsigned char)text.buf[i], i, text.buf);
	/* A length of 0, or one the kernel reads as a negative int: no
	 * address at all. */
	if (!err && no_addr && (strcmp(text.buf, "NULL") ||
				strcmp(json.buf, "null")))
		err = check_fail("sockaddr of length %zu: %s and %s", addrlen,
				 text.buf, json.buf);
	if (!err && !no_addr && (text.buf[0] != '{' ||
				 text.buf[text.len - 1] != '}'))
		err = check_fail("sockaddr text not in braces: %.200s",
				 text.buf);
	if (!err && !no_addr && (rt == 0) == sockaddr_text_is_raw(text.buf))
		err = check_fail("sockaddr: returned %d for %.200s", rt,
				 text.buf);
	if (!err) {
		size_t at;
		const char *jerr = json_check(json.buf, json.len, &at);

		if (jerr)
			err = check_fail("sockaddr JSON invalid (%s at %zu): %.300s",
					 jerr, at, json.buf);
	}
	/* AF_INET, worked out independently. */
	if (!err && !no_addr && len >= 16 && p[0] == (AF_INET & 0xff) &&
	    p[1] == 0) {
		snprintf(expect, sizeof(expect), "{AF_INET, %u.%u.%u.%u:%u}",
			 p[4], p[5], p[6], p[7], p[2] << 8 | p[3]);
		if (strcmp(expect, text.buf))
			err = check_fail("sockaddr: %s, expected %s", text.buf,
					 expect);
	}
	sb_free(&text);
	sb_free(&json);
	return err;
}

static inline const char *check_sockaddr_input(const uint8_t *data,
					       size_t size)
{
	const uint8_t *bytes = data;
	size_t addrlen = size, n = size;
	const char *err;
	void *copy;

	if (size >= 4) {
		addrlen = data[0] | data[1] << 8 | data[2] << 16 |
			  (size_t)data[3] << 24;
		bytes = data + 4;
		n = size - 4;
	}
	copy = check_copy(bytes, n);
	err = check_one_sockaddr(copy, n, addrlen);
	/* The same length with nothing captured (the read faulted). */
	if (!err)
		err = check_one_sockaddr(NULL, 0, addrlen);
	free(copy);
	return err;
}

/* --- escaping ------------------------------------------------------------ */

/*
 * Undo format_text_bytes: a C string literal, quotes included, read the
 * way a C compiler reads it (octal escapes take up to three digits).
 * Multi-byte UTF-8 is copied when utf8 allows it.
 */
static inline const char *decode_c_literal(const char *s, size_t n,
					   bool utf8, unsigned char *out,
					   size_t *outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 1, o = 0, len;
	static const char letters[] = "tnvfr\"\\";
	static const char bytes[] = "\t\n\v\f\r\"\\";

	if (n < 2 || p[0] != '"' || p[n - 1] != '"')
		return "not in quotes";
	while (i < n - 1) {
		if (p[i] == '\\') {
			const char *l = strchr(letters, p[i + 1]);
			unsigned int v = 0, digits = 0;

			i++;
			if (l && *l) {
				out[o++] = bytes[l - letters];
				i++;
				continue;
			}
			while (digits < 3 && i < n - 1 && p[i] >= '0' &&
			       p[i] <= '7') {
				v = v * 8 + (p[i++] - '0');
				digits++;
			}
			if (!digits || v > 0xff)
				return "bad escape";
			out[o++] = v;
		} else if (p[i] == '"') {
			return "unescaped quote";
		} else if (p[i] >= 0x20 && p[i] < 0x7f) {
			out[o++] = p[i++];
		} else if (utf8 && ref_utf8_decode(p + i, n - 1 - i, &len) >= 0xa0) {
			memcpy(out + o, p + i, len);
			o += len;
			i += len;
		} else {
			return "raw byte that should be escaped";
		}
	}
	*outlen = o;
	return NULL;
}

static inline const char *check_text_escape(const unsigned char *in, size_t n,
					    bool utf8, unsigned char *out)
{
	struct strbuf sb;
	const char *err;
	size_t outlen;

	sb_init(&sb);
	format_text_bytes(&sb, in, n, utf8);
	err = check_terminal_text("escaped text", sb.buf, sb.len, false);
	if (!err) {
		err = decode_c_literal(sb.buf, sb.len, utf8, out, &outlen);
		if (err)
			err = check_fail("escaped text (keep_utf8 %d): %s: %.300s",
					 utf8, err, sb.buf);
	}
	if (!err && (outlen != n || memcmp(out, in, n)))
		err = check_fail("escaped text (keep_utf8 %d) does not read back as the bytes: %.300s",
				 utf8, sb.buf);
	sb_free(&sb);
	return err;
}

/*
 * The JSON string: valid JSON; it reads back as the bytes, except that a
 * byte that starts no valid UTF-8 sequence reads back as U+00XX.
 */
static inline const char *check_json_escape(const unsigned char *in, size_t n,
					    unsigned char *out,
					    unsigned char *expect)
{
	size_t i = 0, e = 0, len, outlen;
	struct strbuf sb;
	const char *err;

	while (i < n) {
		if (ref_utf8_decode(in + i, n - i, &len) >= 0) {
			memcpy(expect + e, in + i, len);
			e += len;
			i += len;
		} else {
			e += ref_utf8_encode(in[i++], expect + e);
		}
	}
	sb_init(&sb);
	format_json_string(&sb, in, n);
	err = json_decode_string(sb.buf, sb.len, out, 2 * n + 8, &outlen);
	if (err)
		err = check_fail("JSON string: %s: %.300s", err, sb.buf);
	else if (outlen != e || memcmp(out, expect, e))
		err = check_fail("JSON string does not read back as the bytes: %.300s",
				 sb.buf);
	else if (memchr(sb.buf, 0x7f, sb.len))
		err = check_fail("JSON string holds a raw DEL: %.300s", sb.buf);
	sb_free(&sb);
	return err;
}

static inline const char *check_hex(const unsigned char *in, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	const char *err = NULL;
	struct strbuf sb;

	sb_init(&sb);
	format_hex(&sb, in, n);
	if (sb.len != 2 * n)
		err = check_fail("hex: %zu digits for %zu bytes", sb.len, n);
	for (size_t i = 0; !err && i < n; i++)
		if (sb.buf[2 * i] != digits[in[i] >> 4] ||
		    sb.buf[2 * i + 1] != digits[in[i] & 0xf])
			err = check_fail("hex: wrong at byte %zu", i);
	sb_free(&sb);
	return err;
}

static inline const char *check_escape_input(const uint8_t *data, size_t size)
{
	unsigned char *in = check_copy(data, size);
	unsigned char *out = malloc(2 * size + 8);
	unsigned char *expect = malloc(2 * size + 8);
	const char *err;

	if (!out || !expect)
		abort();
	err = check_text_escape(in, size, false, out);
	if (!err)
		err = check_text_escape(in, size, true, out);
	if (!err)
		err = check_json_escape(in, size, out, expect);
	if (!err && is_valid_utf8(in, size) != ref_utf8_valid(in, size))
		err = check_fail("is_valid_utf8 says %d for %zu bytes",
				 is_valid_utf8(in, size), size);
	if (!err)
		err = check_hex(in, size);
	free(in);
	free(out);
	free(expect);
	return err;
}

/* --- the command line ---------------------------------------------------- */

/* What a successful parse promises the rest of sockscope. */
static inline const char *check_parsed_options(const struct options *o,
					       char **argv, int argc)
{
	if (o->npids < 0 || o->npids > MAX_PIDS ||
	    o->ncomms < 0 || o->ncomms > MAX_COMMS)
		return check_fail("options: %d pids, %d comms", o->npids,
				  o->ncomms);
	for (int i = 0; i < o->npids; i++)
		if (o->pids[i] <= 0)
			return check_fail("options: pid %d accepted", o->pids[i]);
	for (int i = 0; i < o->ncomms; i++) {
		size_t len = strnlen(o->comms[i], SOCKSCOPE_COMM_LEN);

		if (!len || len >= SOCKSCOPE_COMM_LEN)
			return check_fail("options: comm of %zu bytes accepted",
					  len);
	}
	if (o->payload > PAYLOAD_MAX)
		return check_fail("options: payload %u accepted", o->payload);
	if (o->ringbuf_size && (o->ringbuf_size < 4096 ||
				(o->ringbuf_size & (o->ringbuf_size - 1))))
		return check_fail("options: ring buffer of %lu bytes accepted",
				  o->ringbuf_size);
	if (o->call_mask & ~(((1ULL << CALL_MAX) - 1) & ~1ULL))
		return check_fail("options: call mask %#llx", o->call_mask);
	if (o->command && (o->command < argv + 1 || o->command >= argv + argc ||
			   !*o->command))
		return check_fail("options: command outside argv");
	if (o->command && (o->npids || o->ncomms))
		return check_fail("options: a command and -p/-c accepted");
	if (o->user && !o->command)
		return check_fail("options: -u without a command accepted");
	if (o->output && !*o->output)
		return check_fail("options: empty -o accepted");
	return NULL;
}

static inline const char *check_options_input(const uint8_t *data, size_t size)
{
	char *argv[CHECK_MAX_ARGS + 2], *errtext = NULL;
	const char *err = NULL;
	size_t errlen = 0, start = 0;
	struct options o;
	int argc = 0, ret;
	FILE *f;

	argv[argc++] = check_copy("sockscope", 10);
	for (size_t i = 0; i <= size && argc <= CHECK_MAX_ARGS; i++) {
		if (i < size && data[i])
			continue;
		argv[argc] = malloc(i - start + 1);
		if (!argv[argc])
			abort();
		memcpy(argv[argc], data + start, i - start);
		argv[argc++][i - start] = '\0';
		start = i + 1;
	}
	argv[argc] = NULL;
	f = open_memstream(&errtext, &errlen);
	if (!f)
		abort();
	ret = options_parse(&o, argc, argv, f);
	fclose(f);
	if (ret == 0 && errlen)
		err = check_fail("options: accepted, yet said: %.200s", errtext);
	else if (ret == 0)
		err = check_parsed_options(&o, argv, argc);
	else if (ret != 2)
		err = check_fail("options: returned %d", ret);
	else if (errlen < 12 || strncmp(errtext, "sockscope: ", 11))
		err = check_fail("options: refused with '%.200s'", errtext);
	else if (memchr(errtext, '\n', errlen - 1))
		err = check_fail("options: more than one line: %.300s", errtext);
	else
		err = check_terminal_text("options error", errtext, errlen,
					  true);
	free(errtext);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	return err;
}

#endif
