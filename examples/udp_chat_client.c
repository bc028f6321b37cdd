/*
 * udp_chat_client - send each line typed to a UDP chat server and print
 * its reply.
 *
 *   socket() ->
 *       loop { read a line -> sendto() -> recvfrom() -> print } -> close()
 *
 * There is no bind(): the first sendto() makes the kernel pick a free
 * port for us.  The line "stop" is sent like any other and ends the
 * client after its reply; so does the end of input.
 *
 * UDP does not tell us when nobody is listening, so each reply is waited
 * for at most --timeout seconds.
 *
 * Output: "reply: <message>" per reply.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "chat_common.h"

#define PROG	"udp_chat_client"

/* Make recvfrom() give up with EAGAIN after @seconds without a datagram. */
static int set_reply_timeout(int fd, unsigned int seconds)
{
	struct timeval tv = { .tv_sec = seconds };

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		return -errno;
	return 0;
}

/*
 * By default Linux keeps ICMP errors (such as "port unreachable": nobody
 * listens there) from a UDP socket that is not connect()ed.  Ask for
 * them, so a missing server shows up as ECONNREFUSED at once instead of
 * as a timeout.
 */
static int ask_for_icmp_errors(int fd, int family)
{
	int on = 1;
	int err;

	if (family == AF_INET6)
		err = setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on,
				 sizeof(on));
	else
		err = setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof(on));
	return err < 0 ? -errno : 0;
}

/* Explain why no reply came; @call is the socket call that failed. */
static void explain_no_reply(const struct chat_options *opts, const char *call)
{
	if (errno == EAGAIN)
		chat_error("no reply from %s within %u s: is the server running?",
			   opts->addr_text, opts->timeout);
	else if (errno == ECONNREFUSED)
		chat_error("message refused by %s (ICMP port unreachable): is the server running?",
			   opts->addr_text);
	else
		chat_perror(call);
}

int main(int argc, char **argv)
{
	struct chat_options opts;
	char buf[CHAT_BUF_SIZE];
	const char *line;
	ssize_t len, n;
	int fd, err, ret = 1;

	chat_parse_args(&opts, PROG,
			"Send each line read from stdin to a UDP chat server and print its reply.",
			CHAT_TIMEOUT, argc, argv);

	/* Ask the kernel for a datagram socket of the server's family. */
	fd = socket(opts.family, SOCK_DGRAM, 0);
	if (fd < 0) {
		chat_perror("socket");
		return 1;
	}
	err = set_reply_timeout(fd, opts.timeout);
	if (!err)
		err = ask_for_icmp_errors(fd, opts.family);
	if (err) {
		errno = -err;
		chat_perror("setsockopt");
		goto out_close;
	}

	for (;;) {
		len = chat_read_line("message> ", &line);
		if (len < 0)
			break;		/* end of input */

		/* One datagram: the kernel delivers its bytes together. */
		if (sendto(fd, line, len, 0, (struct sockaddr *)&opts.addr,
			   opts.addrlen) < 0) {
			if (errno == EMSGSIZE) {
				chat_error("message too long for one UDP datagram (%zd bytes, at most %zu)",
					   len, chat_udp_max(opts.family));
				continue;
			}
			explain_no_reply(&opts, "sendto");
			goto out_close;
		}

		/* Wait for the reply; MSG_TRUNC returns its real length. */
		n = recvfrom(fd, buf, sizeof(buf), MSG_TRUNC, NULL, NULL);
		if (n < 0) {
			explain_no_reply(&opts, "recvfrom");
			goto out_close;
		}
		chat_print_datagram("reply", buf, n, sizeof(buf));

		if (chat_is_stop(line, len))
			break;
	}
	ret = 0;
out_close:
	close(fd);
	return ret;
}
