/*
 * tcp_chat_client - send each line typed to a TCP chat server and print
 * its reply.
 *
 *   socket() -> connect() ->
 *       loop { read a line -> send() -> recv() -> print } -> close()
 *
 * With --reconnect, every message gets its own connection, the way the
 * article's client does it:
 *
 *   loop { read a line -> socket() -> connect() -> send() -> recv() ->
 *          close() }
 *
 * The line "stop" is sent like any other and ends the client after its
 * reply; so does the end of input.  Each message travels as its bytes
 * followed by '\n' (see chat_send_message/chat_recv_message).
 *
 * Output: "reply: <message>" per reply.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "chat_common.h"

#define PROG	"tcp_chat_client"

static struct chat_reader reader;

/* A socket connected to the server, or -1 after saying why not. */
static int connect_to_server(const struct chat_options *opts)
{
	int fd;

	/* Ask the kernel for a stream socket of the server's family. */
	fd = socket(opts->family, SOCK_STREAM, 0);
	if (fd < 0) {
		chat_perror("socket");
		return -1;
	}

	/*
	 * The kernel picks a free port for us and does the three-way
	 * handshake with the server; connect() returns once it is done.
	 */
	if (connect(fd, (struct sockaddr *)&opts->addr, opts->addrlen) < 0) {
		if (errno == ECONNREFUSED)
			chat_error("connection refused by %s: is the server running?",
				   opts->addr_text);
		else
			chat_error("connect to %s: %s", opts->addr_text,
				   strerror(errno));
		close(fd);
		return -1;
	}
	chat_reader_start(&reader, fd);
	return fd;
}

/* Send one message on @fd and print the reply; 0, or -1 after saying why. */
static int exchange(int fd, const struct chat_options *opts,
		    const char *msg, size_t len)
{
	const char *reply;
	size_t reply_len;
	int err;

	err = chat_send_message(fd, msg, len);
	if (!err)
		err = chat_recv_message(&reader, &reply, &reply_len);
	if (err == 1) {
		chat_print_message("reply", reply, reply_len);
		return 0;
	}

	if (err == 0)
		chat_error("connection closed by %s before it replied",
			   opts->addr_text);
	else if (err == -ECONNRESET || err == -EPIPE)
		chat_error("connection reset by %s", opts->addr_text);
	else if (err == -EMSGSIZE)
		chat_error("reply from %s longer than %d bytes",
			   opts->addr_text, CHAT_MAX_MESSAGE);
	else
		chat_error("connection with %s: %s", opts->addr_text,
			   strerror(-err));
	return -1;
}

int main(int argc, char **argv)
{
	struct chat_options opts;
	const char *line;
	ssize_t len;
	int fd = -1, err = 0;

	chat_parse_args(&opts, PROG,
			"Send each line read from stdin to a TCP chat server and print its reply.",
			CHAT_RECONNECT, argc, argv);

	if (!opts.reconnect) {
		fd = connect_to_server(&opts);
		if (fd < 0)
			return 1;
	}

	for (;;) {
		len = chat_read_line("message> ", &line);
		if (len < 0)
			break;		/* end of input */
		if (len > CHAT_MAX_MESSAGE) {
			chat_error("message too long (%zd bytes, at most %d)",
				   len, CHAT_MAX_MESSAGE);
			continue;
		}

		if (opts.reconnect) {
			fd = connect_to_server(&opts);
			if (fd < 0)
				return 1;
		}
		err = exchange(fd, &opts, line, len);
		if (opts.reconnect) {
			/* This message's connection is done with. */
			close(fd);
			fd = -1;
		}
		if (err || chat_is_stop(line, len))
			break;
	}

	/* Tell the server we are done: it sees the end of the stream. */
	if (fd >= 0)
		close(fd);
	return err ? 1 : 0;
}
