/*
 * chat_common.h - what the four chat programs share.
 *
 * The command line (--host, --port, --echo, --timeout, --reconnect), the
 * text form of socket addresses, reading lines from stdin, the output
 * lines that the lessons and tests depend on, and the framing of
 * messages on a TCP byte stream.  The socket calls themselves stay in
 * the programs, where a learner reads them top to bottom.
 */
#ifndef CHAT_COMMON_H
#define CHAT_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/types.h>

#define CHAT_DEFAULT_HOST	"127.0.0.1"
#define CHAT_DEFAULT_PORT	8000
#define CHAT_DEFAULT_TIMEOUT	5		/* seconds */
#define CHAT_MAX_TIMEOUT	3600		/* seconds */

/* The receive buffer, 1024 bytes as in the article. */
#define CHAT_BUF_SIZE		1024
/* The longest message on a TCP stream. */
#define CHAT_MAX_MESSAGE	(64 * 1024)
/* The largest UDP payloads: 65535 less the IPv4 and UDP headers ... */
#define CHAT_UDP_MAX_IPV4	65507
/* ... and 65535 less the UDP header (IPv6 does not count its own). */
#define CHAT_UDP_MAX_IPV6	65527

/* "[" + IPv6 address + "]:" + five digits + NUL */
#define CHAT_ADDR_STRLEN	(INET6_ADDRSTRLEN + 9)

/* Which flags a program accepts besides --host, --port and --help. */
enum chat_flag {
	CHAT_SERVER	= 1 << 0,	/* --echo, and --port 0 */
	CHAT_TIMEOUT	= 1 << 1,	/* --timeout SEC */
	CHAT_RECONNECT	= 1 << 2,	/* --reconnect */
};

struct chat_options {
	const char *host;
	unsigned int port;
	int family;			/* AF_INET or AF_INET6, from --host */
	struct sockaddr_storage addr;	/* for bind, sendto or connect */
	socklen_t addrlen;
	char addr_text[CHAT_ADDR_STRLEN];	/* "127.0.0.1:8000" */
	bool echo;
	bool reconnect;
	unsigned int timeout;		/* seconds */
};

/*
 * Fill @opts from the command line.  Prints the help and exits 0 for
 * -h/--help; prints one line on stderr and exits 2 for a bad argument.
 * Also remembers @prog for chat_error() and whether stdin is a terminal
 * for chat_read_line()'s prompt.
 */
void chat_parse_args(struct chat_options *opts, const char *prog,
		     const char *summary, unsigned int flags,
		     int argc, char **argv);

/* "127.0.0.1:54321" or "[::1]:54321" */
void chat_format_addr(const struct sockaddr *sa, char *buf, size_t size);

/* Largest UDP payload that fits one datagram of @family. */
size_t chat_udp_max(int family);

/* True if @msg is the word that ends a conversation. */
bool chat_is_stop(const char *msg, size_t len);

/*
 * Read one line from stdin, after showing @prompt (no newline) if stdin is
 * a terminal; nothing is shown when it is a pipe.  Returns the line's
 * length without the '\n' and points *line at it (valid until the next
 * call), or -1 at end of input.  NUL bytes are kept: the length, not a
 * terminator, says where it ends.
 */
ssize_t chat_read_line(const char *prompt, const char **line);

/* Print one line of output and flush it, so a pipe sees it at once. */
void chat_print_line(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/*
 * Read back with getsockname() the address and port that the server
 * socket @fd got (--port 0 lets the kernel pick), and print the first line
 * of a server, "listening on 127.0.0.1:8000 (@proto)".  Returns 0, or -1
 * after saying why not.
 */
int chat_print_listening(int fd, const char *proto);

/* Print "@label: @msg" with the message bytes exactly as they came. */
void chat_print_message(const char *label, const char *msg, size_t len);

/*
 * Print a datagram that recvfrom(..., MSG_TRUNC) reported as @n bytes
 * long, of which the first @size landed in @buf:
 * "@label: msg" or "@label (truncated: N bytes, first SIZE shown): msg".
 */
void chat_print_datagram(const char *label, const char *buf, size_t n,
			 size_t size);

/* Report a failure on stderr as "prog: ..." */
void chat_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Report a failed call as "prog: @call: strerror(errno)" */
void chat_perror(const char *call);

/* Report a failed bind(); names the port when it is already in use. */
void chat_bind_error(const struct chat_options *opts);

/*
 * TCP framing.  A stream has no message boundaries, so every message is
 * sent as its bytes followed by '\n', and the receiver splits the stream
 * at each '\n'.  Messages never contain '\n': they are read as lines.
 */

/* Send @msg and its '\n' with one send(); 0 or -errno. */
int chat_send_message(int fd, const char *msg, size_t len);

/* Bytes received from one connection, not yet handed out as messages. */
struct chat_reader {
	int fd;
	size_t len;		/* bytes held in buf */
	size_t used;		/* bytes at its start already handed out */
	char buf[CHAT_MAX_MESSAGE + CHAT_BUF_SIZE + 1];
};

/* Start reading messages from a new connection @fd. */
void chat_reader_start(struct chat_reader *reader, int fd);

/*
 * Receive the next message.  Returns 1 and points *msg at it (valid
 * until the next call), 0 when the peer has closed the connection,
 * -EMSGSIZE for a message longer than CHAT_MAX_MESSAGE, or -errno from
 * recv().  Bytes left without a '\n' when the peer closes are handed out
 * as a last message, as getline() does with the last line of a file.
 */
int chat_recv_message(struct chat_reader *reader, const char **msg,
		      size_t *len);

#endif /* CHAT_COMMON_H */
