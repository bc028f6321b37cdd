// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Rendering a saved trace again: each line's "raw" record goes through the
 * same reader as a live one, so the output is the same. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json_scan.h"
#include "options.h"
#include "output.h"
#include "reader.h"
#include "replay.h"

#define MAX_MEMBERS	32
#define RECORD_MAX	(sizeof(struct syscall_record) + PAYLOAD_IOV_MAX)

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Lowercase hex to bytes; the number of bytes, or -1. */
static long unhex(const struct json_member *m, __u8 *out, size_t size)
{
	size_t n;

	if (!m || m->value_len < 2 || m->value[0] != '"')
		return -1;
	n = m->value_len - 2;
	if (n % 2 || n / 2 > size)
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		int hi = hex_value(m->value[1 + i]);
		int lo = hex_value(m->value[2 + i]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i / 2] = hi << 4 | lo;
	}
	return n / 2;
}

static int replay_record(struct reader *rd, const struct json_member *m,
			 int n, const char **why)
{
	static __u8 buf[RECORD_MAX] __attribute__((aligned(8)));
	long size = unhex(json_find(m, n, "raw"), buf, sizeof(buf));
	struct event_header *hdr = (struct event_header *)buf;
	const struct json_member *note = json_find(m, n, "note");
	struct strbuf text;

	if (size < 0) {
		*why = "no readable \"raw\" record: was this trace written with --save?";
		return -1;
	}
	if (record_validate(buf, size)) {
		*why = "its \"raw\" record is not a valid sockscope record";
		return -1;
	}
	/* The loss it carried was replayed from the "lost" line above. */
	hdr->lost_before = 0;
	/* The saved note says what was known then (e.g. from /proc). */
	sb_init(&text);
	if (note && json_string(note, &text)) {
		sb_free(&text);
		*why = "its \"note\" is not a string";
		return -1;
	}
	reader_handle(rd, buf, size, note ? text.buf : NULL);
	sb_free(&text);
	return 0;
}

int replay_line(struct reader *rd, const char *line, size_t len,
		const char **why)
{
	struct json_member m[MAX_MEMBERS];
	unsigned long long v;
	char kind[32];
	int n;

	n = json_scan_object(line, len, m, MAX_MEMBERS);
	if (n < 0) {
		*why = "not a JSON object";
		return -1;
	}
	if (n > MAX_MEMBERS)
		n = MAX_MEMBERS;
	if (json_plain_string(json_find(m, n, "kind"), kind, sizeof(kind))) {
		*why = "no \"kind\"";
		return -1;
	}
	if (!strcmp(kind, "trace_start")) {
		if (json_u64(json_find(m, n, "abi"), &v) ||
		    v != SOCKSCOPE_SAVE_ABI) {
			*why = "saved by a sockscope with another record layout (abi)";
			return -1;
		}
		if (json_u64(json_find(m, n, "ts_ns"), &v)) {
			*why = "no \"ts_ns\"";
			return -1;
		}
		reader_start(rd, v);
		/* Wall-clock times (-t) as they were then. */
		if (!json_u64(json_find(m, n, "realtime_ns"), &v))
			rd->ro.realtime_offset_ns = (__s64)(v - rd->ro.start_ns);
		return 0;
	}
	if (!strcmp(kind, "lost")) {
		unsigned long long ts = 0;

		if (json_u64(json_find(m, n, "count"), &v)) {
			*why = "a \"lost\" object without a count";
			return -1;
		}
		json_u64(json_find(m, n, "ts_ns"), &ts);
		reader_report_lost(rd, v, ts);
		return 0;
	}
	return replay_record(rd, m, n, why);
}

int replay_file(struct reader *rd, FILE *f, const char *path)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	int ret = 0;

	while ((len = getline(&line, &cap, f)) > 0) {
		const char *why = NULL;
		bool whole = line[len - 1] == '\n';

		lineno++;
		if (whole)
			len--;
		if (len == 0)
			continue;
		if (replay_line(rd, line, len, &why) < 0) {
			fprintf(stderr, "sockscope: %s:%ld: %s%s\n", path, lineno,
				whole ? "" : "the file ends in the middle of a line: ",
				why);
			ret = -EINVAL;
			break;
		}
		if (output_flush(rd->out))
			break;
	}
	free(line);
	/* Every saved trace starts with its "trace_start" line. */
	if (!ret && !rd->ro.start_ns) {
		fprintf(stderr, "sockscope: %s: no saved trace in it (no \"trace_start\" line); save one with --save FILE\n",
			path);
		ret = -EINVAL;
	}
	return ret;
}

static int replay_usage(const char *msg)
{
	fprintf(stderr, "sockscope: %s; usage: sockscope replay [-j] [-t] [-T] [-x] [--no-explain] [-o FILE] FILE.jsonl\n",
		msg);
	return 2;
}

int replay_main(int argc, char **argv)
{
	struct options o;
	struct output out;
	struct reader rd;
	FILE *f;
	int ret;

	ret = options_parse(&o, argc, argv, stderr);
	if (ret)
		return ret;
	if (o.help) {
		options_print_help(stdout);
		return 0;
	}
	if (!o.command || o.command[1])
		return replay_usage("replay takes one file");
	if (o.npids || o.ncomms || o.payload || o.user || o.save ||
	    o.call_mask)
		return replay_usage("replay only renders: -p, -c, -f, -e, -u, --payload and --save do not apply");
	f = fopen(o.command[0], "re");
	if (!f) {
		fprintf(stderr, "sockscope: cannot read '%s': %s\n",
			o.command[0], strerror(errno));
		return 1;
	}
	if (output_open(&out, o.output)) {
		fclose(f);
		return 1;
	}
	if (reader_init(&rd, &o, &out, NULL)) {
		fprintf(stderr, "sockscope: out of memory\n");
		fclose(f);
		return 1;
	}
	ret = replay_file(&rd, f, o.command[0]);
	output_flush(&out);
	if (out.error && out.error != EPIPE) {
		fprintf(stderr, "sockscope: writing to %s failed: %s\n",
			out.name, strerror(out.error));
		ret = -out.error;
	}
	if (!ret)
		reader_print_summary(&rd, stderr, rd.lost_reported);
	reader_free(&rd);
	output_close(&out);
	fclose(f);
	return ret ? 1 : 0;
}
