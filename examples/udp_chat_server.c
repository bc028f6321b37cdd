/*
 * udp_chat_server - receive UDP messages and answer each one.
 *
 *   socket() -> bind() ->
 *       loop { recvfrom() -> print -> read a reply -> sendto() }
 *
 * UDP has no connections: every datagram arrives with the address of its
 * sender, and the reply is sent back to that address.  Sending the reply
 * "stop" ends the server; so does the end of its input.
 *
 * Output (one line each, flushed at once):
 *   listening on 127.0.0.1:8000 (udp)
 *   from 127.0.0.1:54321: <message>
 *   from 127.0.0.1:54321 (truncated: 2000 bytes, first 1024 shown): <message>
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>

#include "chat_common.h"

#define PROG	"udp_chat_server"

/*
 * Read reply lines until one fits in a datagram, and send it to @peer.
 * Returns 0 when sent, -ENODATA at the end of input, or -errno.
 */
static int send_typed_reply(int fd, int family, const struct sockaddr *peer,
			    socklen_t peerlen, bool *stop)
{
	const char *line;
	ssize_t len;

	for (;;) {
		len = chat_read_line("reply> ", &line);
		if (len < 0)
			return -ENODATA;
		if (sendto(fd, line, len, 0, peer, peerlen) >= 0)
			break;
		if (errno != EMSGSIZE)
			return -errno;
		chat_error("message too long for one UDP datagram (%zd bytes, at most %zu)",
			   len, chat_udp_max(family));
	}
	*stop = chat_is_stop(line, len);
	return 0;
}

int main(int argc, char **argv)
{
	struct chat_options opts;
	struct sockaddr_storage peer;
	socklen_t peerlen;
	char text[CHAT_ADDR_STRLEN], label[CHAT_ADDR_STRLEN + 8];
	char buf[CHAT_BUF_SIZE];
	bool stop = false;
	ssize_t n;
	size_t len;
	int fd, err, ret = 1;

	chat_parse_args(&opts, PROG,
			"Receive UDP messages, print each one and send back a reply.",
			CHAT_SERVER, argc, argv);

	/* Ask the kernel for a datagram socket of the address's family. */
	fd = socket(opts.family, SOCK_DGRAM, 0);
	if (fd < 0) {
		chat_perror("socket");
		return 1;
	}

	/* Claim the address and port: datagrams sent to it now queue here. */
	if (bind(fd, (struct sockaddr *)&opts.addr, opts.addrlen) < 0) {
		chat_bind_error(&opts);
		goto out_close;
	}

	/*
	 * Ask with getsockname() which address and port we got (--port 0
	 * lets the kernel pick), and print them as the first line.
	 */
	if (chat_print_listening(fd, "udp") < 0)
		goto out_close;

	while (!stop) {
		/*
		 * Wait for one datagram and learn who sent it.  MSG_TRUNC
		 * makes the kernel return the datagram's real length even
		 * when it did not fit in buf (the rest is lost).
		 */
		peerlen = sizeof(peer);
		n = recvfrom(fd, buf, sizeof(buf), MSG_TRUNC,
			     (struct sockaddr *)&peer, &peerlen);
		if (n < 0) {
			chat_perror("recvfrom");
			goto out_close;
		}
		len = (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf);

		chat_format_addr((struct sockaddr *)&peer, text, sizeof(text));
		snprintf(label, sizeof(label), "from %s", text);
		chat_print_datagram(label, buf, n, sizeof(buf));

		/* Send the reply back to the address the datagram came from. */
		if (opts.echo) {
			err = 0;
			if (sendto(fd, buf, len, 0, (struct sockaddr *)&peer,
				   peerlen) < 0)
				err = -errno;
			stop = chat_is_stop(buf, len);
		} else {
			err = send_typed_reply(fd, opts.family,
					       (struct sockaddr *)&peer,
					       peerlen, &stop);
		}
		if (err == -ENODATA)
			break;		/* end of input */
		if (err) {
			errno = -err;
			chat_perror("sendto");
			goto out_close;
		}
	}
	ret = 0;
out_close:
	close(fd);
	return ret;
}
