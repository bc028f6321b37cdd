/*
 * tcp_chat_server - accept TCP connections and answer each message.
 *
 *   socket() -> setsockopt(SO_REUSEADDR) -> bind() -> listen() ->
 *   loop { accept() ->
 *          loop { recv() -> print -> read a reply -> send() } -> close() }
 *
 * One client at a time: when it closes its connection, the server goes
 * back to accept() for the next one.  Sending the reply "stop" (typed, or
 * echoed with --echo) ends the server, once a client that sent "stop"
 * itself has closed; so does the end of its input.
 *
 * TCP carries a stream of bytes, not messages, so each message travels as
 * its bytes followed by '\n' (see chat_send_message/chat_recv_message).
 *
 * Output (one line each, flushed at once):
 *   listening on 127.0.0.1:8000 (tcp)
 *   connected: 127.0.0.1:54321
 *   from 127.0.0.1:54321: <message>
 *   closed: 127.0.0.1:54321        (or "reset: ..." if the client vanished)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "chat_common.h"

#define PROG	"tcp_chat_server"

/* How many finished handshakes the kernel queues while we are busy. */
#define BACKLOG	5

/* What the conversation with one client led to. */
enum client_end {
	NEXT_CLIENT,		/* it left: accept the next one */
	END_SERVER,		/* "stop" was sent, or input ended */
};

static struct chat_reader reader;

/*
 * Read reply lines until one is short enough, and send it.  Returns 0
 * when sent, -ENODATA at the end of input, or -errno from send().
 */
static int send_typed_reply(int conn, bool *stop)
{
	const char *line;
	ssize_t len;

	for (;;) {
		len = chat_read_line("reply> ", &line);
		if (len < 0)
			return -ENODATA;
		if (len <= CHAT_MAX_MESSAGE)
			break;
		chat_error("message too long (%zd bytes, at most %d)",
			   len, CHAT_MAX_MESSAGE);
	}
	*stop = chat_is_stop(line, len);
	return chat_send_message(conn, line, len);
}

/* Print why a connection ended; it did not end in "stop". */
static void report_end(int err, const char *peer)
{
	if (err == 0)
		chat_print_line("closed: %s", peer);
	else if (err == -ECONNRESET || err == -EPIPE)
		chat_print_line("reset: %s", peer);
	else if (err == -EMSGSIZE)
		chat_error("%s sent a message longer than %d bytes: dropping the connection",
			   peer, CHAT_MAX_MESSAGE);
	else
		chat_error("connection with %s: %s", peer, strerror(-err));
}

/*
 * The client closes first: recv() until the end of its stream, so that
 * its FIN comes before ours and the close is the same every time (had
 * both closed at once, each FIN would cross the other: CLOSING).
 */
static void wait_for_close(void)
{
	const char *msg;
	size_t len;

	while (chat_recv_message(&reader, &msg, &len) > 0)
		;
}

static enum client_end serve_client(int conn, const char *peer,
				    const struct chat_options *opts)
{
	char label[CHAT_ADDR_STRLEN + 8];
	const char *msg;
	bool stop = false, client_stops;
	size_t len;
	int err;

	snprintf(label, sizeof(label), "from %s", peer);
	chat_reader_start(&reader, conn);
	for (;;) {
		/* recv() until a whole message has arrived. */
		err = chat_recv_message(&reader, &msg, &len);
		if (err <= 0)
			break;
		chat_print_message(label, msg, len);
		/* A client that sent "stop" closes after the reply. */
		client_stops = chat_is_stop(msg, len);

		if (opts->echo) {
			stop = chat_is_stop(msg, len);
			err = chat_send_message(conn, msg, len);
		} else {
			err = send_typed_reply(conn, &stop);
		}
		if (err == -ENODATA)
			return END_SERVER;	/* end of input */
		if (err)
			break;
		if (stop && client_stops)
			wait_for_close();
		if (stop)
			return END_SERVER;
	}
	report_end(err, peer);
	return NEXT_CLIENT;
}

int main(int argc, char **argv)
{
	struct chat_options opts;
	struct sockaddr_storage peer;
	socklen_t addrlen;
	char text[CHAT_ADDR_STRLEN];
	enum client_end end = NEXT_CLIENT;
	int fd, conn, on = 1, ret = 1;

	chat_parse_args(&opts, PROG,
			"Accept TCP connections, print each message and send back a reply.",
			CHAT_SERVER, argc, argv);

	/* Ask the kernel for a stream socket of the address's family. */
	fd = socket(opts.family, SOCK_STREAM, 0);
	if (fd < 0) {
		chat_perror("socket");
		return 1;
	}

	/*
	 * Let a restarted server bind the port at once, although connections
	 * of the previous run still linger in TIME_WAIT.
	 */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0) {
		chat_perror("setsockopt");
		goto out_close;
	}

	/* Claim the address and port. */
	if (bind(fd, (struct sockaddr *)&opts.addr, opts.addrlen) < 0) {
		chat_bind_error(&opts);
		goto out_close;
	}

	/* Turn the socket into one that waits for connections. */
	if (listen(fd, BACKLOG) < 0) {
		chat_perror("listen");
		goto out_close;
	}

	/*
	 * Ask with getsockname() which address and port we got (--port 0
	 * lets the kernel pick), and print them as the first line.
	 */
	if (chat_print_listening(fd, "tcp") < 0)
		goto out_close;

	while (end == NEXT_CLIENT) {
		/* Wait for a client; the kernel makes a new socket for it. */
		addrlen = sizeof(peer);
		conn = accept(fd, (struct sockaddr *)&peer, &addrlen);
		if (conn < 0) {
			if (errno == ECONNABORTED)
				continue;	/* it gave up while queued */
			chat_perror("accept");
			goto out_close;
		}
		chat_format_addr((struct sockaddr *)&peer, text, sizeof(text));
		chat_print_line("connected: %s", text);

		end = serve_client(conn, text, &opts);
		close(conn);
	}
	ret = 0;
out_close:
	close(fd);
	return ret;
}
