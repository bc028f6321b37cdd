/*
 * lab_common.c - the lab programs' messages and command line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab_common.h"

/* The article's own words among them: UTF-8, 3 bytes per character. */
static const char *const words[] = {
	"hello", "你好，服务器", "how are you?", "我很好，谢谢！",
};

size_t lab_message(unsigned int n, unsigned int size, char *buf)
{
	int len = snprintf(buf, LAB_MAX_SIZE + 1, "#%03u %s", n,
			   words[(n - 1) % (sizeof(words) / sizeof(words[0]))]);

	if (len < 0)
		return 0;
	if (size > (unsigned int)len && size <= LAB_MAX_SIZE) {
		memset(buf + len, '.', size - len);
		len = (int)size;
	}
	buf[len] = '\0';
	return (size_t)len;
}

unsigned int lab_message_number(const char *msg, size_t len,
				unsigned int size)
{
	char expected[LAB_MAX_SIZE + 1];
	unsigned int n = 0;

	if (len < 5 || msg[0] != '#')
		return 0;
	for (int i = 1; i <= 3; i++) {
		if (msg[i] < '0' || msg[i] > '9')
			return 0;
		n = n * 10 + (unsigned int)(msg[i] - '0');
	}
	if (n == 0 || lab_message(n, size, expected) != len ||
	    memcmp(expected, msg, len))
		return 0;
	return n;
}

static unsigned int number(const char *prog, const char *opt,
			   const char *arg, unsigned int min,
			   unsigned int max)
{
	char *end;
	unsigned long v;

	if (!arg) {
		fprintf(stderr, "%s: %s needs a value\n", prog, opt);
		exit(2);
	}
	v = strtoul(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || *end || v < min || v > max) {
		fprintf(stderr, "%s: %s takes a number from %u to %u, not '%s'\n",
			prog, opt, min, max, arg);
		exit(2);
	}
	return (unsigned int)v;
}

void lab_parse_args(struct lab_options *o, const char *prog,
		    const char *usage, int argc, char **argv)
{
	memset(o, 0, sizeof(*o));
	o->to = "127.0.0.1";
	o->port = LAB_DEFAULT_PORT;
	o->count = LAB_DEFAULT_COUNT;
	o->idle_ms = 500;
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("%s", usage);
		exit(0);
	}
	if (argc < 2 || (strcmp(argv[1], "udp") && strcmp(argv[1], "tcp"))) {
		fprintf(stderr, "%s: say udp or tcp first; try: %s --help\n",
			prog, prog);
		exit(2);
	}
	o->tcp = !strcmp(argv[1], "tcp");
	for (int i = 2; i < argc; i++) {
		const char *opt = argv[i], *arg = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(opt, "--nonblock")) {
			o->nonblock = true;
			continue;
		}
		if (!strcmp(opt, "--expect-refused")) {
			o->expect_refused = true;
			continue;
		}
		i++;
		if (!strcmp(opt, "--to"))
			o->to = arg ? arg : (number(prog, opt, arg, 0, 0), "");
		else if (!strcmp(opt, "--port"))
			o->port = number(prog, opt, arg, 1, 65535);
		else if (!strcmp(opt, "--count"))
			o->count = number(prog, opt, arg, 1, LAB_MAX_COUNT);
		else if (!strcmp(opt, "--size"))
			o->size = number(prog, opt, arg, 0, LAB_MAX_SIZE);
		else if (!strcmp(opt, "--gap-us"))
			o->gap_us = number(prog, opt, arg, 0, 1000000);
		else if (!strcmp(opt, "--idle-ms"))
			o->idle_ms = number(prog, opt, arg, 1, 60000);
		else if (!strcmp(opt, "--pause-ms"))
			o->pause_ms = number(prog, opt, arg, 0, 60000);
		else if (!strcmp(opt, "--rcvbuf"))
			o->rcvbuf = number(prog, opt, arg, 0, 1 << 30);
		else {
			fprintf(stderr, "%s: unknown option '%s'; try: %s --help\n",
				prog, opt, prog);
			exit(2);
		}
	}
}
