// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The command line. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "calls.h"
#include "format.h"
#include "options.h"

enum {
	OPT_PAYLOAD = 0x100,
	OPT_RINGBUF,
	OPT_IO_VIA_SYSCALLS,
	OPT_NO_EXPLAIN,
	OPT_SAVE,
	OPT_DIAGRAM,
};

static const char short_opts[] = "+p:c:fjo:e:xTtyu:vhV";

static const struct option long_opts[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "comm", required_argument, NULL, 'c' },
	{ "follow", no_argument, NULL, 'f' },
	{ "json", no_argument, NULL, 'j' },
	{ "output", required_argument, NULL, 'o' },
	{ "syscalls", required_argument, NULL, 'e' },
	{ "failed", no_argument, NULL, 'x' },
	{ "duration", no_argument, NULL, 'T' },
	{ "timestamps", no_argument, NULL, 't' },
	{ "decode-fds", no_argument, NULL, 'y' },
	{ "payload", optional_argument, NULL, OPT_PAYLOAD },
	{ "user", required_argument, NULL, 'u' },
	{ "no-explain", no_argument, NULL, OPT_NO_EXPLAIN },
	{ "save", required_argument, NULL, OPT_SAVE },
	{ "diagram", no_argument, NULL, OPT_DIAGRAM },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	/* For tests of loss accounting: a deliberately small ring buffer. */
	{ "ringbuf-size", required_argument, NULL, OPT_RINGBUF },
	/* For tests of the other path: read, write, readv and writev from
	 * their syscall tracepoints even where the socket layer's serve. */
	{ "io-via-syscalls", no_argument, NULL, OPT_IO_VIA_SYSCALLS },
	{},
};

void options_print_help(FILE *out)
{
	fputs(
"Trace the socket calls of programs with eBPF, decoded like strace.\n"
"\n"
"USAGE: sockscope [options] [-- command [args...]]\n"
"       sockscope replay [-j] [-t] [-T] [-x] [--no-explain] [-o FILE] FILE.jsonl\n"
"       sockscope diagram [--format text|svg|html] [-o FILE] [--pid PID]\n"
"                         [--port PORT] [--conversation N] [--list]\n"
"                         [--width N] FILE.jsonl\n"
"       sockscope lesson udp|tcp|all [--python] [--save FILE] [--diagram]\n"
"       sockscope lab [EXPERIMENT] [--diagram] ... (see sockscope lab --help)\n"
"\n"
"  -p, --pid PID        trace these processes (repeatable, or PID,PID)\n"
"  -c, --comm NAME      trace processes with this command name (repeatable)\n"
"  -f, --follow         also trace their children (default with a command)\n"
"  -j, --json           one JSON object per line\n"
"  -o, --output FILE    write the trace to FILE (created 0600)\n"
"      --save FILE      also save it as JSON that 'sockscope replay' renders\n"
"      --diagram        end with a sequence diagram of the conversations\n"
"  -e, --syscalls LIST  only these calls, comma-separated (e.g. bind,connect);\n"
"                       %net: every call; %file-io: read, write, readv,\n"
"                       writev, sendfile, splice (on sockets only, always);\n"
"                       %wait: poll, select, epoll (when one fd is a socket)\n"
"  -x, --failed         only failed calls\n"
"  -T, --duration       time spent inside each call\n"
"  -t, --timestamps     wall-clock time (default: seconds since start)\n"
"  -y, --decode-fds     say which socket each fd is, as strace -yy does:\n"
"                       3<TCP:[127.0.0.1:41234->127.0.0.1:8000]>\n"
"      --payload[=N]    show the first N bytes of data sent and received\n"
"                       (default 64, at most 256); this shows other\n"
"                       processes' data, so it is off unless asked for\n"
"  -u, --user USER      run the command as USER\n"
"      --no-explain     no teaching notes and no kernel events (TCP states,\n"
"                       resets, drops): just the calls, at the lowest cost\n"
"  -v, --verbose        libbpf diagnostics\n"
"  -h, --help           this help;  -V, --version  the version\n"
"\n"
"With a command, sockscope starts it, traces it and its children, and\n"
"exits with its exit status. Without one, it traces the whole system (or\n"
"the processes chosen with -p and -c) until Ctrl-C.\n"
"\n"
"EXAMPLES:\n"
"  sudo sockscope                              # every socket call, system-wide\n"
"  sudo sockscope -- python3 -m http.server    # a command, from its start\n"
"  sudo sockscope -p 1234 -e connect,accept    # two calls of one process\n"
"  sudo sockscope -c udp_chat_server -j -o trace.jsonl\n"
"  sudo sockscope -x                           # only the calls that failed\n"
"  sockscope replay trace.jsonl                # render a --save trace\n"
"  sudo sockscope lesson tcp                   # the TCP chat, explained\n",
	      out);
}

#define ECHO_MAX	64	/* bytes of an argument echoed in a message */

/*
 * A copy of a command-line argument that is safe to echo in a one-line
 * message: at most ECHO_MAX bytes, cut between characters, then "...";
 * control characters (and bytes that are not UTF-8) become '?'. free() it.
 */
static char *printable_arg(const char *arg)
{
	size_t len = strlen(arg);
	unsigned char *p;
	char *s;
	bool utf8;

	if (len > ECHO_MAX) {
		len = ECHO_MAX;
		while (len && ((unsigned char)arg[len] & 0xc0) == 0x80)
			len--;
	}
	s = malloc(len + 4);
	if (!s)
		return NULL;
	memcpy(s, arg, len);
	s[len] = '\0';
	utf8 = is_valid_utf8(s, len);
	if (arg[len])
		strcat(s, "...");
	p = (unsigned char *)s;
	for (; *p; p++) {
		bool c1 = utf8 && p[0] == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0;

		if (c1)
			*p++ = '?';	/* U+0080..U+009F: two bytes */
		if (c1 || *p < 0x20 || *p == 0x7f || (*p >= 0x80 && !utf8))
			*p = '?';
	}
	return s;
}

static int usage_error(FILE *err, const char *fmt, const char *arg)
{
	char *safe = printable_arg(arg);

	fputs("sockscope: ", err);
	fprintf(err, fmt, safe ? safe : "");
	fputs("; see sockscope --help\n", err);
	free(safe);
	return 2;
}

/* A whole decimal number in [min, max], or -1. */
long options_number(const char *s, long min, long max)
{
	char *end;
	long v;

	if (!*s || *s == '+' || *s == '-' || *s == ' ')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	return v;
}

static int add_pids(struct options *o, const char *arg, FILE *err)
{
	char buf[256], *tok, *save = NULL;
	long pid;

	if (strlen(arg) >= sizeof(buf))
		return usage_error(err, "-p list too long: '%s'", arg);
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		pid = options_number(tok, 1, INT_MAX);
		if (pid < 0)
			return usage_error(err, "bad pid '%s': expected a positive number",
					   tok);
		if (o->npids == MAX_PIDS)
			return usage_error(err, "too many pids (at most 64) at '%s'",
					   tok);
		o->pids[o->npids++] = pid;
	}
	if (!*arg || arg[0] == ',' || arg[strlen(arg) - 1] == ',' || !o->npids)
		return usage_error(err, "bad pid list '%s'", arg);
	return 0;
}

static int add_comm(struct options *o, const char *arg, FILE *err)
{
	if (!*arg)
		return usage_error(err, "empty command name for -c%s", "");
	if (strlen(arg) >= SOCKSCOPE_COMM_LEN)
		return usage_error(err,
				   "command name '%s' is longer than the kernel's 15 characters",
				   arg);
	if (o->ncomms == MAX_COMMS)
		return usage_error(err, "too many -c names (at most 16) at '%s'",
				   arg);
	strcpy(o->comms[o->ncomms++], arg);
	return 0;
}

static int set_calls(struct options *o, const char *arg, FILE *err)
{
	char buf[512], *tok, *save = NULL;
	call_set set;

	if (o->call_mask)
		return usage_error(err, "-e given twice%s", "");
	if (strlen(arg) >= sizeof(buf))
		return usage_error(err, "-e list too long: '%s'", arg);
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		set = call_set_by_name(tok);
		if (!set) {
			char *safe = printable_arg(tok);

			fprintf(err,
				"sockscope: unknown syscall '%s' in -e; known: %s, and the groups %%net, %%file-io and %%wait\n",
				safe ? safe : "", call_names_list());
			free(safe);
			return 2;
		}
		o->call_mask |= set;
	}
	if (!o->call_mask)
		return usage_error(err, "empty syscall list for -e%s", "");
	return 0;
}

static int set_payload(struct options *o, const char *arg, FILE *err)
{
	long n = PAYLOAD_DEFAULT;

	if (o->payload)
		return usage_error(err, "--payload given twice%s", "");
	if (arg) {
		n = options_number(arg, 1, PAYLOAD_MAX);
		if (n < 0)
			return usage_error(err,
					   "bad --payload size '%s': expected 1 to 256 bytes",
					   arg);
	}
	o->payload = n;
	return 0;
}

static int set_ringbuf(struct options *o, const char *arg, FILE *err)
{
	long n = options_number(arg, 4096, 1L << 30);

	if (n < 0 || (n & (n - 1)))
		return usage_error(err,
				   "bad --ringbuf-size '%s': expected a power of 2 from 4096",
				   arg);
	o->ringbuf_size = n;
	return 0;
}

static int set_once(const char **slot, const char *arg, const char *name,
		    FILE *err)
{
	if (*slot)
		return usage_error(err, "%s given twice", name);
	if (!*arg)
		return usage_error(err, "empty value for %s", name);
	*slot = arg;
	return 0;
}

static int parse_one(struct options *o, int key, const char *arg, FILE *err)
{
	switch (key) {
	case 'p': return add_pids(o, arg, err);
	case 'c': return add_comm(o, arg, err);
	case 'f': o->follow = true; return 0;
	case 'j': o->json = true; return 0;
	case 'o': return set_once(&o->output, arg, "-o", err);
	case 'e': return set_calls(o, arg, err);
	case 'x': o->failed_only = true; return 0;
	case 'T': o->duration = true; return 0;
	case 't': o->wallclock = true; return 0;
	case 'y': o->decode_fds = true; return 0;
	case 'u': return set_once(&o->user, arg, "-u", err);
	case 'v': o->verbose = true; return 0;
	case 'h': o->help = true; return 0;
	case 'V': o->version = true; return 0;
	case OPT_PAYLOAD: return set_payload(o, arg, err);
	case OPT_RINGBUF: return set_ringbuf(o, arg, err);
	case OPT_IO_VIA_SYSCALLS: o->io_via_syscalls = true; return 0;
	case OPT_NO_EXPLAIN: o->explain = false; return 0;
	case OPT_SAVE: return set_once(&o->save, arg, "--save", err);
	case OPT_DIAGRAM: o->diagram = true; return 0;
	default: return 2;
	}
}

static int check_combination(struct options *o, FILE *err)
{
	if (o->user && !o->command)
		return usage_error(err, "-u needs a command to run%s", "");
	if (o->command && (o->npids || o->ncomms))
		return usage_error(err,
				   "give either a command or -p/-c, not both%s",
				   "");
	/* Both on stdout would mix JSON with the picture. */
	if (o->diagram && o->json && !o->output)
		return usage_error(err,
				   "--diagram draws for a terminal, -j writes JSON: use one, send the JSON to a file with -o, or --save the trace and run 'sockscope diagram FILE'%s",
				   "");
	if (o->command)
		o->follow = true;
	return 0;
}

/*
 * An option getopt refused. For a long option optopt is the value from
 * long_opts (not a character), so name it as it was typed.
 */
static int option_error(FILE *err, const char *elem, int opt)
{
	if (strncmp(elem, "--", 2) && opt > 0 && opt < 0x100)
		return usage_error(err, "option '-%s' is unknown or needs a value",
				   (char[]){ opt, 0 });
	return usage_error(err, "option '%s' is unknown or needs a value",
			   elem);
}

int options_parse(struct options *o, int argc, char **argv, FILE *err)
{
	int key, ret, at;

	memset(o, 0, sizeof(*o));
	o->explain = true;
	opterr = 0;
	optind = 0;	/* glibc: start over, re-reading the option string */
	for (;;) {
		/* The element getopt works on: a cluster of short options
		 * keeps optind until it is done. */
		at = optind ? optind : 1;
		key = getopt_long(argc, argv, short_opts, long_opts, NULL);
		if (key == -1)
			break;
		if (key == '?')
			return option_error(err, at < argc ? argv[at] : "",
					    optopt);
		ret = parse_one(o, key, optarg, err);
		if (ret)
			return ret;
	}
	if (optind < argc)
		o->command = &argv[optind];
	return check_combination(o, err);
}
