/*
 * chat_common.c - command line, addresses, lines and TCP framing for the
 * chat programs.  See chat_common.h.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "chat_common.h"

#define CHAT_STOP_WORD	"stop"

/* Values for the long-only options, outside the range of short options. */
enum {
	OPT_HOST = 256,
	OPT_PORT,
	OPT_ECHO,
	OPT_TIMEOUT,
	OPT_RECONNECT,
};

static const char *chat_prog = "chat";
static bool chat_interactive;

static void print_usage(FILE *out, const char *summary, unsigned int flags)
{
	fprintf(out, "usage: %s [--host ADDR] [--port N]%s%s%s\n\n%s\n\n",
		chat_prog,
		flags & CHAT_SERVER ? " [--echo]" : "",
		flags & CHAT_TIMEOUT ? " [--timeout SEC]" : "",
		flags & CHAT_RECONNECT ? " [--reconnect]" : "",
		summary);
	fprintf(out, "options:\n");
	fprintf(out, "  --host ADDR    numeric IPv4 or IPv6 address (default %s)\n",
		CHAT_DEFAULT_HOST);
	fprintf(out, "  --port N       port number (default %d)%s\n",
		CHAT_DEFAULT_PORT,
		flags & CHAT_SERVER ? "; 0 lets the kernel pick one" : "");
	if (flags & CHAT_SERVER)
		fprintf(out, "  --echo         reply with each message instead of reading a reply\n");
	if (flags & CHAT_TIMEOUT)
		fprintf(out, "  --timeout SEC  wait at most SEC seconds for each reply (default %d)\n",
			CHAT_DEFAULT_TIMEOUT);
	if (flags & CHAT_RECONNECT)
		fprintf(out, "  --reconnect    open a new connection for every message\n");
	fprintf(out, "  -h, --help     show this help\n");
}

/* One line on stderr, then exit 2 as command line tools do. */
static void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", chat_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* Decimal digits only, no sign, no spaces; 0 or -EINVAL. */
static int parse_number(const char *s, unsigned long min, unsigned long max,
			unsigned long *value)
{
	unsigned long v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (*s - '0');
		if (v > max)
			return -EINVAL;
	}
	if (v < min)
		return -EINVAL;
	*value = v;
	return 0;
}

/* Fill @opts->addr from a numeric IPv4 or IPv6 address; 0 or -EINVAL. */
static int parse_host(struct chat_options *opts)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&opts->addr;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&opts->addr;

	memset(&opts->addr, 0, sizeof(opts->addr));
	if (inet_pton(AF_INET, opts->host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(opts->port);
		opts->addrlen = sizeof(*sin);
	} else if (inet_pton(AF_INET6, opts->host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(opts->port);
		opts->addrlen = sizeof(*sin6);
	} else {
		return -EINVAL;
	}
	opts->family = opts->addr.ss_family;

	/* For messages: the address as typed (inet_pton() took it: short). */
	if (opts->family == AF_INET6)
		snprintf(opts->addr_text, sizeof(opts->addr_text), "[%s]:%u",
			 opts->host, opts->port);
	else
		snprintf(opts->addr_text, sizeof(opts->addr_text), "%s:%u",
			 opts->host, opts->port);
	return 0;
}

/* Only the options this program accepts, so getopt rejects the others. */
static void build_option_table(struct option *table, unsigned int flags)
{
	int n = 0;

	table[n++] = (struct option){ "host", required_argument, 0, OPT_HOST };
	table[n++] = (struct option){ "port", required_argument, 0, OPT_PORT };
	if (flags & CHAT_SERVER)
		table[n++] = (struct option){ "echo", no_argument, 0,
					      OPT_ECHO };
	if (flags & CHAT_TIMEOUT)
		table[n++] = (struct option){ "timeout", required_argument, 0,
					      OPT_TIMEOUT };
	if (flags & CHAT_RECONNECT)
		table[n++] = (struct option){ "reconnect", no_argument, 0,
					      OPT_RECONNECT };
	table[n++] = (struct option){ "help", no_argument, 0, 'h' };
	table[n] = (struct option){ 0 };
}

static const char *option_name(const struct option *table, int val)
{
	for (; table->name; table++)
		if (table->val == val)
			return table->name;
	return "?";
}

void chat_parse_args(struct chat_options *opts, const char *prog,
		     const char *summary, unsigned int flags,
		     int argc, char **argv)
{
	struct option table[7];
	const char *port = NULL, *timeout = NULL;
	unsigned long min_port = flags & CHAT_SERVER ? 0 : 1;
	unsigned long value;
	int c;

	chat_prog = prog;
	chat_interactive = isatty(STDIN_FILENO);
	memset(opts, 0, sizeof(*opts));
	opts->host = CHAT_DEFAULT_HOST;
	opts->port = CHAT_DEFAULT_PORT;
	opts->timeout = CHAT_DEFAULT_TIMEOUT;

	build_option_table(table, flags);
	opterr = 0;	/* our own one-line messages instead of getopt's */
	while ((c = getopt_long(argc, argv, ":h", table, NULL)) != -1) {
		switch (c) {
		case OPT_HOST:
			opts->host = optarg;
			break;
		case OPT_PORT:
			port = optarg;
			break;
		case OPT_ECHO:
			opts->echo = true;
			break;
		case OPT_TIMEOUT:
			timeout = optarg;
			break;
		case OPT_RECONNECT:
			opts->reconnect = true;
			break;
		case 'h':
			print_usage(stdout, summary, flags);
			exit(0);
		case ':':
			usage_error("option '--%s' needs a value",
				    option_name(table, optopt));
		default:
			if (optopt >= OPT_HOST)
				usage_error("option '--%s' takes no value",
					    option_name(table, optopt));
			if (optopt > 0)
				usage_error("unknown option '-%c' (try --help)",
					    optopt);
			usage_error("unknown option '%s' (try --help)",
				    argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s' (try --help)",
			    argv[optind]);

	if (port) {
		if (parse_number(port, min_port, 65535, &value))
			usage_error("bad port '%s': expected a number from %lu to 65535",
				    port, min_port);
		opts->port = value;
	}
	if (timeout) {
		if (parse_number(timeout, 1, CHAT_MAX_TIMEOUT, &value))
			usage_error("bad timeout '%s': expected a number of seconds from 1 to %d",
				    timeout, CHAT_MAX_TIMEOUT);
		opts->timeout = value;
	}
	if (parse_host(opts))
		usage_error("bad host '%s': expected a numeric IPv4 or IPv6 address such as 127.0.0.1 or ::1",
			    opts->host);
}

void chat_format_addr(const struct sockaddr *sa, char *buf, size_t size)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
	char ip[INET6_ADDRSTRLEN];

	if (sa->sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &sin6->sin6_addr, ip, sizeof(ip));
		snprintf(buf, size, "[%s]:%u", ip, ntohs(sin6->sin6_port));
	} else {
		inet_ntop(AF_INET, &sin->sin_addr, ip, sizeof(ip));
		snprintf(buf, size, "%s:%u", ip, ntohs(sin->sin_port));
	}
}

size_t chat_udp_max(int family)
{
	return family == AF_INET6 ? CHAT_UDP_MAX_IPV6 : CHAT_UDP_MAX_IPV4;
}

bool chat_is_stop(const char *msg, size_t len)
{
	return len == strlen(CHAT_STOP_WORD) &&
	       memcmp(msg, CHAT_STOP_WORD, len) == 0;
}

/* Show @prompt (no newline) if stdin is a terminal; nothing to a pipe. */
static void show_prompt(const char *prompt)
{
	if (!chat_interactive)
		return;
	fputs(prompt, stdout);
	fflush(stdout);
}

ssize_t chat_read_line(const char *prompt, const char **line)
{
	static char *buf;
	static size_t cap;
	ssize_t len;

	show_prompt(prompt);

	/* getline() counts the bytes it read, so NUL bytes are kept. */
	len = getline(&buf, &cap, stdin);
	if (len < 0) {
		if (ferror(stdin))
			chat_perror("read stdin");
		return -1;
	}
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	*line = buf;
	return len;
}

void chat_print_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

int chat_print_listening(int fd, const char *proto)
{
	struct sockaddr_storage local;
	socklen_t addrlen = sizeof(local);
	char text[CHAT_ADDR_STRLEN];

	if (getsockname(fd, (struct sockaddr *)&local, &addrlen) < 0) {
		chat_perror("getsockname");
		return -1;
	}
	chat_format_addr((struct sockaddr *)&local, text, sizeof(text));
	chat_print_line("listening on %s (%s)", text, proto);
	return 0;
}

void chat_print_message(const char *label, const char *msg, size_t len)
{
	printf("%s: ", label);
	fwrite(msg, 1, len, stdout);	/* not printf: msg may hold NUL bytes */
	putchar('\n');
	fflush(stdout);
}

void chat_print_datagram(const char *label, const char *buf, size_t n,
			 size_t size)
{
	char truncated[CHAT_ADDR_STRLEN + 96];

	if (n <= size) {
		chat_print_message(label, buf, n);
		return;
	}
	snprintf(truncated, sizeof(truncated),
		 "%s (truncated: %zu bytes, first %zu shown)", label, n, size);
	chat_print_message(truncated, buf, size);
}

void chat_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", chat_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void chat_perror(const char *call)
{
	chat_error("%s: %s", call, strerror(errno));
}

void chat_bind_error(const struct chat_options *opts)
{
	if (errno == EADDRINUSE)
		chat_error("port %u is already in use: is another server running?",
			   opts->port);
	else
		chat_error("bind to %s: %s", opts->addr_text, strerror(errno));
}

int chat_send_message(int fd, const char *msg, size_t len)
{
	static char frame[CHAT_MAX_MESSAGE + 1];
	size_t sent = 0;
	ssize_t n;

	if (len > CHAT_MAX_MESSAGE)
		return -EMSGSIZE;
	memcpy(frame, msg, len);
	frame[len++] = '\n';

	/*
	 * send() may take only part of the bytes; send the rest until all
	 * are queued.  MSG_NOSIGNAL: if the peer is gone, fail with EPIPE
	 * instead of killing this process with SIGPIPE.
	 */
	while (sent < len) {
		n = send(fd, frame + sent, len - sent, MSG_NOSIGNAL);
		if (n < 0)
			return -errno;
		sent += n;
	}
	return 0;
}

void chat_reader_start(struct chat_reader *reader, int fd)
{
	reader->fd = fd;
	reader->len = 0;
	reader->used = 0;
}

/* Hand out buf[0..len) as a message and mark it and its '\n' used. */
static int hand_out(struct chat_reader *reader, size_t len,
		    const char **msg, size_t *msg_len)
{
	*msg = reader->buf;
	*msg_len = len;
	reader->used = len < reader->len ? len + 1 : len;
	return 1;
}

int chat_recv_message(struct chat_reader *reader, const char **msg,
		      size_t *len)
{
	char *newline;
	ssize_t n;

	/* Drop the message handed out last time. */
	reader->len -= reader->used;
	memmove(reader->buf, reader->buf + reader->used, reader->len);
	reader->used = 0;

	for (;;) {
		newline = memchr(reader->buf, '\n', reader->len);
		if (newline && newline - reader->buf > CHAT_MAX_MESSAGE)
			return -EMSGSIZE;
		if (newline)
			return hand_out(reader, newline - reader->buf, msg,
					len);
		if (reader->len > CHAT_MAX_MESSAGE)
			return -EMSGSIZE;

		/* Up to 1024 more bytes, as many as have arrived. */
		n = recv(reader->fd, reader->buf + reader->len, CHAT_BUF_SIZE,
			 0);
		if (n < 0)
			return -errno;
		if (n == 0) {
			if (reader->len == 0)
				return 0;
			return hand_out(reader, reader->len, msg, len);
		}
		reader->len += n;
	}
}
